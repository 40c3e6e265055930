"""Stored files served with byte ranges (RFC 9110 section 14), as video players ask."""

from __future__ import annotations

import re

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

CHUNK = 64 * 1024
# Byte positions of at most 15 digits (a petabyte): int() of a longer one is refused by
# Python past 4,300 digits and slow well before, and no file here comes near it.
POSITION = r"\d{1,15}"
RANGE = re.compile(rf"^bytes=({POSITION})?-({POSITION})?$")
# A range in the right form whose numbers are longer: past the end of any file (416).
LONG_RANGE = re.compile(r"^bytes=\d*-\d*$")


def ranged_file_response(request: HttpRequest, name: str, content_type: str) -> HttpResponse:
    """A stored file streamed whole or in the byte range asked (Range: bytes=...), so that
    players can seek; FileNotFoundError when storage has no such file."""
    total = default_storage.size(name)
    start, end, status = 0, total - 1, 200
    header = request.headers.get("Range", "").strip()
    match = RANGE.match(header)
    if not match and LONG_RANGE.match(header):
        return _unsatisfiable(total)
    if header and match:
        first, last = match.groups()
        if first:
            start = int(first)
            end = min(int(last), total - 1) if last else total - 1
        elif last:  # the final N bytes
            start = max(0, total - int(last))
        if not (first or last) or start >= total or start > end:
            return _unsatisfiable(total)
        status = 206
    handle = default_storage.open(name, "rb")
    handle.seek(start)
    response = StreamingHttpResponse(
        _read(handle, end - start + 1), status=status, content_type=content_type
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    # Already compressed; and gzip would break the byte ranges.
    response["Content-Encoding"] = "identity"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{total}"
    return response


def _unsatisfiable(total: int) -> HttpResponse:
    response = HttpResponse(status=416)
    response["Content-Range"] = f"bytes */{total}"
    return response


def _read(handle, remaining: int):
    try:
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()
