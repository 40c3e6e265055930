import functools
import re
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

# The guide needs none of these; the tempo timer will ask for the screen wake lock itself.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body over MAX_REQUEST_BYTES before anything reads it; the addresses
    in LARGE_UPLOAD_PATHS (a pattern to a limit) take up to their own limit instead.

    Refused as Django refuses a form's body over its own limit (RequestDataTooBig), so both
    get the site's page for it (handler400), drawn with the session and the headers of every
    page. So it is checked once the address is resolved, as its view is about to run: first
    in MIDDLEWARE, before the CSRF check, the first to read a body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.large = [
            (re.compile(pattern), limit)
            for pattern, limit in getattr(settings, "LARGE_UPLOAD_PATHS", {}).items()
        ]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _content_length(request) is None:
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: tuple, kwargs: dict
    ) -> None:
        allowed = next(
            (limit for pattern, limit in self.large if pattern.match(request.path_info)),
            settings.MAX_REQUEST_BYTES,
        )
        if _content_length(request) > allowed:
            limit = allowed // (1024 * 1024)
            raise RequestDataTooBig(f"The request is too large; the limit is {limit} MB.")


def _content_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting only as many X-Forwarded-For hops as we have proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class RejectNulMiddleware:
    """A NUL character in a query string or a path is never text a person typed.

    PostgreSQL refuses it in text columns, so it would surface as a server error deep in
    a view or an admin list's filter; answer 400 at the door instead. A form's body is
    left to its fields, which refuse NUL and every other control character with a message
    on the field, however the form is encoded (core/text.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.META.get("QUERY_STRING", "")) or "\x00" in request.path:
            return _bad_text()
        return self.get_response(request)


def _has_nul(encoded: str) -> bool:
    return "%00" in encoded or "\x00" in encoded


def _bad_text() -> HttpResponse:
    return HttpResponse(
        "The request contains a NUL character.", status=400, content_type="text/plain"
    )


class PrivateCacheMiddleware:
    """No shared cache (a proxy, a CDN) may keep an answer that depends on who asks.

    Private: every answer to a request with a session (everyone signed in has one), that
    changed the session, or that sets a cookie. The personal areas the project lists in
    settings.PERSONAL_PATH_PREFIXES (a log, a coach's view, videos, accounts) are not
    stored at all, not even by the browser. Sits outside the session middleware, so it sees
    the session's cookie set on the way out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.PERSONAL_PATH_PREFIXES):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        elif _depends_on_the_requester(request, response):
            patch_cache_control(response, private=True)
        return response


def _depends_on_the_requester(request: HttpRequest, response: HttpResponse) -> bool:
    # Without a session cookie the session read is empty; only one being written counts.
    session = getattr(request, "session", None)
    return bool(
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or (session is not None and session.modified)
        or response.cookies
    )


class TimeZoneMiddleware:
    """Days in the visitor's own time zone: "today", a new session's date and the log's
    window are theirs, not the server's (an evening session in Los Angeles was dated the
    next day by a server on UTC), as logging offline dates them by the device's clock. The
    zone is the one the browser reports, kept in the `tz` cookie by static/js/time-zone.mjs;
    without it, or with a name that is no zone, the site's own (TIME_ZONE)."""

    COOKIE = "tz"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = zone_named(request.COOKIES.get(self.COOKIE, ""))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}$")


@functools.lru_cache(maxsize=64)
def zone_named(name: str) -> zoneinfo.ZoneInfo | None:
    """The IANA zone of that name ("Europe/Berlin"), or None for anything else."""
    if len(name) > 64 or not _ZONE_NAME.match(name):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
