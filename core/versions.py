"""Version tokens kept in the cache, that name cached entries made from some state.

Bumping a version orphans every entry named by the old one at once. A token is random,
not a counter, so after the cache is emptied (Redis restarted, a backup restored) a new
token can never name an entry that a process still holds in memory. With a shared cache
(Redis) each process reads a token at most once a second, since the read is a network
round trip on every page otherwise: a bump shows at once in the process that made it and
within a second everywhere else.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import transaction

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
        """A new token once the change commits (at once outside a transaction): a visitor
        who reads the old rows before the commit must not store them under the new token."""
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(self._replace)
        else:
            self._replace()

    def _replace(self) -> None:
        cache.set(self.key, secrets.token_hex(8), timeout=None)
        self._memo = None

    def forget(self) -> None:
        """Drop this process's memo (tests)."""
        self._memo = None


def files_version(paths: Iterable[Path]) -> str:
    """A digest of the files' names and bytes."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def release() -> str:
    """What this deploy serves: the project's modules and templates, and the hashed static
    names when there are any. Cached pages carry it in their names: with Redis they outlive
    a deploy, and one rendered by the old code would name static files it no longer has.
    """
    base = Path(settings.BASE_DIR)
    # The project's own apps sit at its top (a virtualenv inside it holds the others).
    roots = [Path(app.path) for app in apps.get_app_configs() if Path(app.path).parent == base]
    roots += [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", ())]
    roots.append(base / settings.ROOT_URLCONF.partition(".")[0])  # settings, root URLs, views
    sources = {
        path for root in roots for pattern in ("*.py", "*.html") for path in root.rglob(pattern)
    }
    manifest = getattr(staticfiles_storage, "manifest_hash", "")
    return f"{files_version(sources)}{manifest[:8]}"
