"""Caching for the public guide pages, dropped the moment a coach edits content.

Both stores are `VersionedCache`s named by the content version that every edit bumps:

* `PAGES`, whole pages for requests without a session cookie (a signed-in page shows the
  person's name and navigation). Each carries a strong ETag, so a browser that already
  has it gets a 304 and no body;
* `BODIES`, the pages' bodies (`core.caching.cached_parts`), for everyone: a signed-in
  visitor's page is the cached body inside a freshly rendered frame, with no content
  queries.

Whatever goes into either is rendered from a `shared_request`: a request for the same
page asked by nobody, with no cookie, session, messages or user, and only the query
parameters the page reads. So no entry can carry the state of the visitor who happened
to fill it (a flash message, a name, a CSRF token), whatever a template asks for; a
visitor with such state gets a page made for them alone around the shared body.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.gzip import re_accepts_gzip  # GZipMiddleware's own test
from django.utils.cache import patch_cache_control, patch_vary_headers

from core.caching import VersionedCache, check_shared, shared_request
from core.site import site_origin
from core.versions import SharedVersion

VERSION_KEY = "coaching:content-version"
CONTENT_VERSION = SharedVersion(VERSION_KEY)
PAGES = VersionedCache("coaching:page", [CONTENT_VERSION])
BODIES = VersionedCache("coaching:content", [CONTENT_VERSION])


def content_version() -> str:
    return CONTENT_VERSION.current()


def bump_content_version() -> None:
    """Every cached page is keyed by this version; a new one orphans them all at once."""
    CONTENT_VERSION.bump()


def _has_personal_state(request: HttpRequest) -> bool:
    """A session, or a flash message waiting for this browser (the cookie storage keeps
    messages after logout): the page must then be rendered for this visitor alone."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def _key(shared: HttpRequest) -> str:
    htmx = "h" if shared.headers.get("HX-Request") else "-"
    boosted = "b" if shared.headers.get("HX-Boosted") else "-"
    return PAGES.key(site_origin(shared), shared.get_full_path(), htmx + boosted)


def _not_modified(request: HttpRequest, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return any(tag.strip() in (etag, f"W/{etag}", "*") for tag in wanted.split(","))


def _accepts_gzip(request: HttpRequest) -> bool:
    return bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))


def _stored_page(response: HttpResponse) -> dict:
    """The page in both encodings, each with the headers it is sent with, made once."""
    body = response.content
    tag = hashlib.sha256(body).hexdigest()[:32]
    # Browsers revalidate each time (cheap: a 304), so a coach's edit shows at once.
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ["Cookie", "HX-Request", "HX-Boosted", "Accept-Encoding"])
    headers = {k: v for k, v in response.headers.items() if k.lower() not in {"content-length"}}
    return {
        "identity": (body, {**headers, "ETag": f'"{tag}"'}),
        # Compressed once here rather than by GZipMiddleware on every hit. These pages
        # carry no secret (no session, no CSRF token), so BREACH has nothing to find.
        "gzip": (
            gzip.compress(body, compresslevel=9, mtime=0),
            {**headers, "ETag": f'"{tag}-gzip"', "Content-Encoding": "gzip"},
        ),
    }


_NOT_MODIFIED_HEADERS = ("ETag", "Cache-Control", "Vary")


def cached_public_page(
    view: Callable[..., HttpResponse] | None = None,
    *,
    params: tuple[str, ...] = (),
    shareable: Callable[[HttpRequest], bool] | None = None,
):
    """Serve `view` to visitors without a session from one shared copy per content version.

    The view is called with a `shared_request` that carries only the query `params` the
    page reads: others are dropped, so `/guide/?x=1` is `/guide/` and a stranger cannot
    grow the cache by varying the query. `shareable` (given the shared request) may say a
    query is not one to keep, e.g. one of the timer's many possible plans; such a page is
    rendered for this request alone.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in ("GET", "HEAD") or _has_personal_state(request):
                return view(request, *args, **kwargs)
            shared = shared_request(request, params)
            if shareable is not None and not shareable(shared):
                return view(shared, *args, **kwargs)
            key = _key(shared)
            stored = PAGES.get(key)
            if stored is None:
                response = view(shared, *args, **kwargs)
                check_shared(shared)
                if response.status_code != 200 or response.streaming or response.cookies:
                    return response
                stored = _stored_page(response)
                PAGES.set(key, stored)
            body, headers = stored["gzip" if _accepts_gzip(request) else "identity"]
            if _not_modified(request, headers["ETag"]):
                response = HttpResponseNotModified()
                for name in _NOT_MODIFIED_HEADERS:
                    response[name] = headers[name]
                return response
            return HttpResponse(body, headers=headers)

        return wrapper

    return decorate(view) if view is not None else decorate
