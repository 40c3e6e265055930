"""What a form that was not saved held that a person wrote (notes, reasons, comments), to
give back to copy: on the pages for a form refused for its token or sent about something
gone (hipthrust.views), and on the login page after a form sent signed out
(hipthrust.middleware.SignedOutFormMiddleware)."""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError

# The forms' fields that hold what a person wrote (notes, reasons, comments), in a body no
# larger than any of those forms sends.
WRITTEN_FIELDS = ("text", "note", "notes", "reason")
WRITTEN_AT_MOST = 64 * 1024


def written_in(request: HttpRequest) -> list[str]:
    """What a refused form held that a person wrote, to give back to copy."""
    # A form's body, not an upload's: a video is not read only to find no text in it.
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not (length.isdigit() and int(length) <= WRITTEN_AT_MOST):
        return []
    try:
        posted = request.POST
    except (MultiPartParserError, SuspiciousOperation):
        return []  # a body no form of ours sends
    return [text for name in WRITTEN_FIELDS if (text := posted.get(name, "").strip())]
