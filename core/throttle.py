"""How often someone may do a thing: at most `limit` times in any `window` seconds.

The counts live in a cache alias of their own ("throttle" in settings.CACHES), never in
the one pages are kept in: page traffic must not be able to evict them and reopen a
throttled door. Each attempt claims one of `limit` slots with an atomic `add`, which
every backend does in one step (Redis SET NX, a row insert on the database cache), so
parallel requests cannot all slip through between a read and a write; a slot is free
again `window` seconds after it was claimed.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import caches

THROTTLE_CACHE = "throttle"


def allow(
    action: str, who: str, *, limit: int, window: int, cache_alias: str = THROTTLE_CACHE
) -> bool:
    """Count one attempt at `action` by `who` (an address, an email); False past the limit."""
    store = caches[cache_alias]
    # Each slot holds when it frees, for free_in to tell the person refused.
    frees_at = time.time() + window
    return any(store.add(key, frees_at, timeout=window) for key in _slots(action, who, limit))


def free_in(action: str, who: str, *, limit: int, cache_alias: str = THROTTLE_CACHE) -> int | None:
    """Whole minutes until `who` may do `action` again: 0 when a slot is free now; None when
    no slot says (slots claimed before they held when they free)."""
    held = caches[cache_alias].get_many(_slots(action, who, limit))
    if len(held) < limit:
        return 0
    ends = [value for value in held.values() if isinstance(value, float)]
    if not ends:
        return None
    return max(1, math.ceil((min(ends) - time.time()) / 60))


def give_back(action: str, who: str, *, limit: int, cache_alias: str = THROTTLE_CACHE) -> None:
    """Uncount one attempt that turned out not to count (a file refused before it was kept):
    the last slot taken is free again."""
    store = caches[cache_alias]
    for key in reversed(_slots(action, who, limit)):
        if store.get(key) is not None:
            store.delete(key)
            return


def _slots(action: str, who: str, limit: int) -> list[str]:
    # Hashed: email addresses and client addresses are not kept in the cache as such.
    digest = hashlib.sha256(f"{action}\0{who}".encode()).hexdigest()[:32]
    return [f"throttle:{action}:{digest}:{slot}" for slot in range(limit)]
