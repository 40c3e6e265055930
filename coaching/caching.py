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
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.gzip import re_accepts_gzip  # GZipMiddleware's own test
from django.utils.cache import patch_cache_control, patch_vary_headers

VERSION_KEY = "coaching:content-version"


def page_ttl() -> int:
    # With a shared cache an edit reaches every server at once; with per-process memory
    # another worker keeps its copy, so bound how long that copy can live.
    return 60 * 60 * 24 if settings.REDIS_URL else 60


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def bump_content_version() -> None:
    """Every cached page is keyed by this number; a new number orphans them all at once."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def cached_content(request: HttpRequest, name: str, build: Callable[[], dict]) -> dict:
    """The parts of a page that are the same for everyone, built once per content version.

    Unlike the page cache this serves signed-in visitors too: the page around these parts
    (navigation, account links, CSRF token) is still rendered for each request.
    `build` may raise Http404; nothing is cached then.
    """
    raw = f"{request.get_host()}|{settings.SITE_URL}|{name}"
    key = f"coaching:content:{content_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"
    parts = cache.get(key)
    if parts is None:
        parts = build()
        cache.set(key, parts, page_ttl())
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


def cached_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not _is_anonymous(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        hit = cache.get(key)
        if hit is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            body = response.content
            tag = hashlib.sha256(body).hexdigest()[:32]
            # Compressed once here rather than by GZipMiddleware on every hit. These pages
            # carry no secret (no session, no CSRF token), so BREACH has nothing to find.
            hit = {
                "body": body,
                "gzip": gzip.compress(body, compresslevel=9, mtime=0),
                "etag": f'"{tag}"',
                "gzip_etag": f'"{tag}-gzip"',
                "headers": dict(response.headers),
            }
            cache.set(key, hit, page_ttl())
        compressed = _accepts_gzip(request)
        etag = hit["gzip_etag"] if compressed else hit["etag"]
        if _not_modified(request, etag):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(hit["gzip"] if compressed else hit["body"])
            for name, value in hit["headers"].items():
                if name.lower() not in {"content-length", "etag"}:
                    response[name] = value
            if compressed:
                response["Content-Encoding"] = "gzip"
        response["ETag"] = etag
        # Browsers revalidate each time (cheap: a 304), so a coach's edit shows at once.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ["Cookie", "HX-Request", "HX-Boosted", "Accept-Encoding"])
        return response

    return wrapper
