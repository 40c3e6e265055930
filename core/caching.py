"""Caching: one idea, entries named by the versions of what they were made from.

* `VersionedCache`: such entries, with the ones a process used last kept in its memory
  too (with a shared cache), and how long an entry may live;
* `shared_request`/`check_shared`: a request for the same page asked by nobody, so that
  what is rendered from it can be shared without carrying the visitor's state;
* `cached_parts`: the frame's values and a template's partials, rendered from a shared
  request once per versions: how every cached page body is made.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django_htmx.middleware import HtmxDetails

from core.site import host_without_port, site_origin
from core.versions import SharedVersion, release

# With a shared cache (Redis) an entry never changes, since it is named by the versions it
# was made from: each process keeps the ones it used last in memory as well, and a hit
# costs one small read (the version) instead of fetching and unpickling a page.
LOCAL_COPIES = 64
_local: OrderedDict[str, object] = OrderedDict()
_local_lock = threading.Lock()

DAY = 60 * 60 * 24
# A version in per-process memory is bumped in the process that made the edit only; bound
# how long another process serves what it made before.
UNSHARED_TTL = 60


class VersionedCache:
    """Entries named by `versions` (tokens every edit of their source bumps) and a name.

    A bump orphans every entry named by the old token at once, so an entry is never
    updated or deleted, only replaced by one under a new name. Versions kept in the
    database (Profile.log_version) are given as part of the name instead.
    """

    def __init__(self, prefix: str, versions: Iterable[SharedVersion] = ()):
        self.prefix = prefix
        self.versions = tuple(versions)

    @property
    def ttl(self) -> int:
        # Entries every process names alike may live a day; see UNSHARED_TTL.
        return DAY if settings.SHARED_CACHE or not self.versions else UNSHARED_TTL

    def key(self, *names: object) -> str:
        tokens = ":".join([release(), *(version.current() for version in self.versions)])
        raw = "|".join(str(name) for name in names)
        return f"{self.prefix}:{tokens}:{hashlib.sha256(raw.encode()).hexdigest()}"

    def get(self, key: str):
        if settings.SHARED_CACHE:
            with _local_lock:
                if key in _local:
                    _local.move_to_end(key)
                    return _local[key]
        value = cache.get(key)
        if value is not None:
            _keep_local(key, value)
        return value

    def set(self, key: str, value) -> None:
        cache.set(key, value, self.ttl)
        _keep_local(key, value)


def _keep_local(key: str, value) -> None:
    if not settings.SHARED_CACHE:  # the cache is this process's memory already
        return
    with _local_lock:
        _local[key] = value
        _local.move_to_end(key)
        while len(_local) > LOCAL_COPIES:
            _local.popitem(last=False)


def forget_local_copies() -> None:
    """Drop this process's copies (tests)."""
    with _local_lock:
        _local.clear()


class SharedRenderError(RuntimeError):
    """A page meant for everyone tried to use something of the person who asked."""


# The parts of a request a shared page may depend on: where it was asked, never by whom.
_SHARED_HEADERS = ("HTTP_HOST", "HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_X_FORWARDED_PROTO")
_SHARED_ENVIRON = ("SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME", "PATH_INFO", "wsgi.url_scheme")


def shared_request(request: HttpRequest, params: tuple[str, ...] = ()) -> HttpRequest:
    """A request for the same page asked by nobody in particular.

    It carries the host (without its port), path and htmx flags of `request` and only
    the query `params` the page reads; no cookie, no session, no messages, an anonymous
    user. Whatever is rendered from it is the same for every visitor, so it may be
    shared: this is what keeps a person's flash message, name or CSRF token out of every
    shared entry.
    """
    if getattr(request, "is_shared", False):
        return request
    query = QueryDict(mutable=True)
    for name in sorted(params):
        if name in request.GET:
            query.setlist(name, request.GET.getlist(name))
    environ = {
        key: request.META[key] for key in _SHARED_HEADERS + _SHARED_ENVIRON if key in request.META
    }
    environ.update(
        {
            # Without the port, which the client chooses freely: one page per site, not per port.
            "HTTP_HOST": host_without_port(request),
            "REQUEST_METHOD": "GET",
            "QUERY_STRING": query.urlencode(),
            "wsgi.input": io.BytesIO(),
        }
    )
    shared = WSGIRequest(environ)
    shared.is_shared = True
    shared.resolver_match = request.resolver_match
    shared.user = AnonymousUser()
    shared.htmx = HtmxDetails(shared)
    return shared


def check_shared(shared: HttpRequest) -> None:
    """Refuse what a shared render took from a visitor: a CSRF token is one per person."""
    if "CSRF_COOKIE" in shared.META:
        raise SharedRenderError(f"{shared.path}: a page shared by everyone asked for a CSRF token")


# What the frame (base.html and a page's blocks outside its partials) reads from a page's
# context; the rest only feeds its partials. tests/core/test_frame.py reads the templates
# and fails when the two drift apart.
FRAME_KEYS = (
    "title",
    "description",
    "og_image",
    "og_type",
    "structured_data",
    "noindex",
    "next",  # the header's log-in and sign-up links carry it (set by those two pages only)
)


def cached_parts(
    request: HttpRequest,
    store: VersionedCache,
    name: str | None,
    template: str,
    build: Callable[[HttpRequest], dict],
    *,
    params: tuple[str, ...] = (),
    partials: tuple[str, ...] = ("body",),
    keep: tuple[str, ...] = (),
) -> dict:
    """The frame's values, the `keep` values and each named partial of `template`, made
    once per versions of `store` and `name`: small, picklable values `template` then
    places in its blocks, around whatever it renders for this request alone.

    `build` gets a `shared_request` carrying only the query `params` and returns the
    context; it may raise Http404. The partials are rendered for that shared request, so
    no entry can carry the state of the visitor who happened to fill it. A context with a
    "status" other than 200 (kept with `keep`) is not worth a place and is not stored; nor
    is anything when `name` is None (a page not worth keeping, made the same way).
    """
    shared = shared_request(request, params)
    key = None if name is None else store.key(site_origin(shared), name)
    parts = None if key is None else store.get(key)
    if parts is None:
        context = build(shared)
        parts = {field: context[field] for field in FRAME_KEYS + keep if field in context}
        for partial in partials:
            parts[partial] = render_to_string(f"{template}#{partial}", context, shared)
        check_shared(shared)
        if key is not None and parts.get("status", 200) == 200:
            store.set(key, parts)
    return parts
