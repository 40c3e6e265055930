"""Caching for the public guide pages, dropped the moment a coach edits content.

Two layers, both keyed by the content version that every edit bumps:

* whole pages, for requests without a session cookie (a signed-in page shows the
  person's name and navigation). Each carries a strong ETag, so a browser that already
  has it gets a 304 and no body;
* the pages' bodies (`cached_content`), for everyone: a signed-in visitor's page is the
  cached body inside a freshly rendered frame, with no content queries.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.gzip import re_accepts_gzip  # GZipMiddleware's own test
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers

from hipthrust.versions import SharedVersion

VERSION_KEY = "coaching:content-version"


def page_ttl() -> int:
    # With a shared cache an edit reaches every server at once; with per-process memory
    # another worker keeps its copy, so bound how long that copy can live.
    return 60 * 60 * 24 if settings.REDIS_URL else 60


CONTENT_VERSION = SharedVersion(VERSION_KEY)


def content_version() -> str:
    return CONTENT_VERSION.current()


def bump_content_version() -> None:
    """Every cached page is keyed by this version; a new one orphans them all at once."""
    CONTENT_VERSION.bump()


# With a shared cache (Redis) every entry is named by the versions it was made from, so
# it never changes: each process keeps the ones it used last in memory as well, and a
# hit costs one small read (the version) instead of fetching and unpickling a page.
LOCAL_COPIES = 64
_local: OrderedDict[str, object] = OrderedDict()
_local_lock = threading.Lock()


def get_versioned(key: str):
    if settings.REDIS_URL:
        with _local_lock:
            if key in _local:
                _local.move_to_end(key)
                return _local[key]
    value = cache.get(key)
    if value is not None:
        _keep_local(key, value)
    return value


def set_versioned(key: str, value, timeout: int) -> None:
    cache.set(key, value, timeout)
    _keep_local(key, value)


def _keep_local(key: str, value) -> None:
    if not settings.REDIS_URL:  # the cache is this process's memory already
        return
    with _local_lock:
        _local[key] = value
        _local.move_to_end(key)
        while len(_local) > LOCAL_COPIES:
            _local.popitem(last=False)


def cached_content(request: HttpRequest, name: str, build: Callable[[], dict]) -> dict:
    """The parts of a page that are the same for everyone, built once per content version.

    Unlike the page cache this serves signed-in visitors too: the page around these parts
    (navigation, account links, CSRF token) is still rendered for each request.
    `build` may raise Http404; nothing is cached then.
    """
    raw = f"{request.get_host()}|{settings.SITE_URL}|{name}"
    key = f"coaching:content:{content_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"
    parts = get_versioned(key)
    if parts is None:
        parts = build()
        set_versioned(key, parts, page_ttl())
    return parts


# What the frame (base.html) reads from a page's context; the rest only feeds its partials.
FRAME_KEYS = ("title", "description", "og_image", "og_type", "structured_data")


def render_parts(
    request: HttpRequest, template: str, context: dict, partials: tuple[str, ...] = ("body",)
) -> dict:
    """The frame's values from `context` and each named partial of `template`, rendered:
    small, picklable strings for the cache, that `template` then places in its blocks."""
    parts = {key: context[key] for key in FRAME_KEYS if key in context}
    for name in partials:
        parts[name] = render_to_string(f"{template}#{name}", context, request)
    return parts


def _is_anonymous(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _key(request: HttpRequest) -> str:
    htmx = "h" if request.headers.get("HX-Request") else "-"
    boosted = "b" if request.headers.get("HX-Boosted") else "-"
    raw = f"{request.get_host()}|{request.get_full_path()}|{htmx}{boosted}|{settings.SITE_URL}"
    return f"coaching:page:{content_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


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


def cached_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not _is_anonymous(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = get_versioned(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            stored = _stored_page(response)
            set_versioned(key, stored, page_ttl())
        body, headers = stored["gzip" if _accepts_gzip(request) else "identity"]
        if _not_modified(request, headers["ETag"]):
            response = HttpResponseNotModified()
            for name in _NOT_MODIFIED_HEADERS:
                response[name] = headers[name]
            return response
        return HttpResponse(body, headers=headers)

    return wrapper
