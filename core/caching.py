"""Cache primitives the apps build their caches from.

* `get_versioned`/`set_versioned`: entries named by the versions they were made from,
  with the ones a process used last kept in its memory too (with a shared cache);
* `shared_request`/`check_shared`: a request for the same page asked by nobody, so that
  what is rendered from it can be shared without carrying the visitor's state;
* `render_parts`: the frame's values and a template's partials, rendered for sharing.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django_htmx.middleware import HtmxDetails

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


class SharedRenderError(RuntimeError):
    """A page meant for everyone tried to use something of the person who asked."""


# The parts of a request a shared page may depend on: where it was asked, never by whom.
_SHARED_HEADERS = ("HTTP_HOST", "HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_X_FORWARDED_PROTO")
_SHARED_ENVIRON = ("SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME", "PATH_INFO", "wsgi.url_scheme")


def shared_request(request: HttpRequest, params: tuple[str, ...] = ()) -> HttpRequest:
    """A request for the same page asked by nobody in particular.

    It carries the host, path and htmx flags of `request` and only the query `params`
    the page reads; no cookie, no session, no messages, an anonymous user. Whatever is
    rendered from it is the same for every visitor, so it may be shared: this is what
    keeps a person's flash message, name or CSRF token out of every shared entry.
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
        {"REQUEST_METHOD": "GET", "QUERY_STRING": query.urlencode(), "wsgi.input": io.BytesIO()}
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


# What the frame (base.html) reads from a page's context; the rest only feeds its partials.
FRAME_KEYS = ("title", "description", "og_image", "og_type", "structured_data")


def render_parts(
    request: HttpRequest, template: str, context: dict, partials: tuple[str, ...] = ("body",)
) -> dict:
    """The frame's values from `context` and each named partial of `template`, rendered:
    small, picklable strings for the cache, that `template` then places in its blocks.
    They are rendered for a shared request, so they can never carry the visitor's state."""
    shared = shared_request(request)
    parts = {key: context[key] for key in FRAME_KEYS if key in context}
    for name in partials:
        parts[name] = render_to_string(f"{template}#{name}", context, shared)
    check_shared(shared)
    return parts
