"""One cache idea: a `Generation` per kind of shared content, a token in the cache that an
edit replaces once it commits; every entry made from that content holds the token it was
made under and is read only while that token is current (an old entry is made again, or
ages out); `cached_page` keeps whole pages for visitors without a session under (site, path
with the query the page reads, htmx flags)."""

from __future__ import annotations

import gzip
import hashlib
import secrets
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from core.site import host_without_port, shared_origin

# One lifetime, short: without Redis a process never sees another's bump, so an edit reaches
# it within a minute. With Redis a page made again each minute costs little (same ETag).
LIFETIME = 60


class Generation:
    def __init__(self, name: str):
        self.name = name

    def current(self) -> str:
        return cache.get_or_set(self.name, lambda: secrets.token_hex(8), timeout=None)

    def bump(self) -> None:
        """A new token once the change commits (at once outside a transaction): a visitor
        who reads the old rows before the commit must not store them under the new token."""
        transaction.on_commit(lambda: cache.set(self.name, secrets.token_hex(8), timeout=None))

    def key(self, kind: str, *names: object) -> str:
        """Not named by the token (an entry holds the one it was made under, see `read`), but
        by the static manifest: with Redis an entry outlives a deploy, and a page must not
        name static files the new deploy no longer has."""
        static = getattr(staticfiles_storage, "manifest_hash", "")[:8]
        digest = hashlib.sha256("|".join(map(str, names)).encode()).hexdigest()
        return f"{kind}:{static}:{digest}"

    def read(self, key: str) -> tuple[str, object]:
        """The current token, and what `key` holds if it was made under that token (else
        None): one round trip to Redis, not one for the token and one for the entry."""
        found = cache.get_many([self.name, key])
        token = found.get(self.name) or self.current()
        stored = found.get(key)
        return token, (stored[1] if stored is not None and stored[0] == token else None)

    def remember(self, make: Callable[[], object], kind: str, *names: object):
        """What `make()` returns, kept under this generation and `names`."""
        key = self.key(kind, *names)
        token, value = self.read(key)
        if value is None:
            value = make()
            cache.set(key, (token, value), LIFETIME)
        return value


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Nothing of this visitor went into the page: no cookie, CSRF token, session or message."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # get_token() was called
        and not getattr(getattr(request, "session", None), "modified", False)
        and not len(get_messages(request))
    )


def cached_page(
    generation: Generation,
    view: Callable[..., HttpResponse],
    *,
    params: tuple[str, ...] = (),
    shareable: Callable[[HttpRequest], bool] | None = None,
) -> Callable[..., HttpResponse]:
    """`view` for visitors without a session, kept whole per `generation`.

    The view sees only the query `params` it reads and the host without its port, so
    `/guide/?x=1` is `/guide/` and a stranger cannot grow the cache by varying either.
    `shareable` may say a query is not one to keep (one of the timer's many plans).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # A session, or a message waiting in the cookie storage (it outlives a logout).
        cookies = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}
        personal = cookies & request.COOKIES.keys()
        if request.method not in ("GET", "HEAD") or personal:
            return view(request, *args, **kwargs)
        query = QueryDict(mutable=True)
        for name in sorted(set(params) & request.GET.keys()):
            query.setlist(name, request.GET.getlist(name))
        request.GET, request.META["QUERY_STRING"] = query, query.urlencode()
        request.META["HTTP_HOST"] = host_without_port(request)
        if shareable is not None and not shareable(request):
            return view(request, *args, **kwargs)
        flags = (request.headers.get("HX-Request"), request.headers.get("HX-Boosted"))
        names = (shared_origin(request), request.get_full_path(), flags)
        key = generation.key("page", *names)
        token, stored = generation.read(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if not _shareable(request, response):
                return response
            # Browsers revalidate each time (a 304 is cheap), so an edit shows at once.
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            patch_vary_headers(response, ["Cookie", "HX-Request", "HX-Boosted", "Accept-Encoding"])
            response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            # Compressed once, not by GZipMiddleware on every request (the guide: 1 ms of a
            # 1.3 ms answer); the padding it adds against BREACH guards a secret, and nothing
            # of a visitor's is in a kept page.
            stored = (response.content, dict(response.items()), gzip.compress(response.content))
            cache.set(key, (token, stored), LIFETIME)
        content, headers, compressed = stored
        response = HttpResponse(content, headers=headers)
        if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):  # as GZip does
            response.content = compressed
            response["Content-Encoding"] = "gzip"
            response["ETag"] = f"W/{response['ETag']}"  # as GZipMiddleware marks its own
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper
