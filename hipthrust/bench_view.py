"""A bare view for bench/harness.py: the ceiling of this stack on this machine.

Routed only when HIPTHRUST_BENCH_VIEW=1 (see hipthrust/urls.py). It renders nothing and
touches no database, so what it costs is Django, the middleware stack and gunicorn.
"""

from django.http import HttpRequest, HttpResponse

PAGE = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>bench</title>"
    b"<p>The bare view: the same middleware, no template, no database.</p></html>"
)


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")
