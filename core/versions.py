"""Version tokens kept in the cache, that name cached entries made from some state.

Bumping a version orphans every entry named by the old one at once. A token is random,
not a counter, so after the cache is emptied (Redis restarted, a backup restored) a new
token can never name an entry that a process still holds in memory. With a shared cache
(Redis) each process reads a token at most once a second, since the read is a network
round trip on every page otherwise: a bump shows at once in the process that made it and
within a second everywhere else.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.core.cache import cache

MEMO_SECONDS = 1.0


class SharedVersion:
    def __init__(self, key: str):
        self.key = key
        self._memo: tuple[float, str] | None = None

    def current(self) -> str:
        shared = settings.SHARED_CACHE
        memo = self._memo
        if shared and memo is not None and memo[0] > time.monotonic():
            return memo[1]
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, secrets.token_hex(8), timeout=None)
            version = cache.get(self.key)
        if shared:
            self._memo = (time.monotonic() + MEMO_SECONDS, version)
        return version

    def bump(self) -> None:
        cache.set(self.key, secrets.token_hex(8), timeout=None)
        self._memo = None

    def forget(self) -> None:
        """Drop this process's memo (tests)."""
        self._memo = None
