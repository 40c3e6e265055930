"""The site's public origin, the one place absolute addresses are made from.

DJANGO_SITE_URL when it is set; otherwise the origin the request was made to, for local
use. Canonical links, the guide's structured data, the mails' links and the page caches'
keys all go through here, so a Host header with a port of the client's choosing neither
ends up in a mail nor makes a page of its own in the cache.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port

SITE_NAME = "hipthrust"


def site_origin(request: HttpRequest) -> str:
    """scheme://host[:port] of the site, without a trailing slash."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def shared_origin(request: HttpRequest) -> str:
    """The origin a render shared by everyone (a cached page, the printable sheet) names:
    DJANGO_SITE_URL, else the request's scheme and host without the port the client chose."""
    return settings.SITE_URL or f"{request.scheme}://{host_without_port(request)}"


def absolute_url(request: HttpRequest, path: str) -> str:
    return site_origin(request) + path


def mail_link_context(request: HttpRequest) -> dict[str, str]:
    """`protocol` and `domain` for a mail's links and the `site_name` it signs with (what
    Django's mail templates read), never a Host of the client's choosing."""
    scheme, netloc, *_ = urlsplit(site_origin(request))
    return {"protocol": scheme, "domain": netloc, "site_name": SITE_NAME}


def host_without_port(request: HttpRequest) -> str:
    """The request's host name, lowercased, without a port or a trailing dot: Django's
    ALLOWED_HOSTS check ignores the port, so anyone may send any."""
    host = request.get_host()
    domain, _ = split_domain_port(host)
    return domain or host
