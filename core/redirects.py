"""Where a `next` address may send someone: the one check the login and sign-up forms share."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, url: str | None) -> str:
    """`url` when it stays on this site, else "".

    Django checks `next` as given but sends it percent-encoded, which can make it longer
    than Django itself accepts as a safe address; so the encoded form is checked too.
    """
    if not url:
        return ""
    for candidate in (url, iri_to_uri(url)):
        if not url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return ""
    return url


def referring_page(request: HttpRequest) -> str:
    """The page a request was sent from (its Referer) as a path on this site, else "": where
    a form that only takes a post was, for a `next` that can be opened again."""
    referer = request.headers.get("Referer", "")
    if not safe_next(request, referer):
        return ""
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.get_host():
        return ""
    if not parts.path.startswith("/"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")
