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

from django.core.cache import caches

THROTTLE_CACHE = "throttle"


def allow(
    action: str, who: str, *, limit: int, window: int, cache_alias: str = THROTTLE_CACHE
) -> bool:
    """Count one attempt at `action` by `who` (an address, an email); False past the limit."""
    store = caches[cache_alias]
    # Hashed: email addresses and client addresses are not kept in the cache as such.
    digest = hashlib.sha256(f"{action}\0{who}".encode()).hexdigest()[:32]
    return any(
        store.add(f"throttle:{action}:{digest}:{slot}", 1, timeout=window) for slot in range(limit)
    )
