"""Two fixed pages for bench/harness.py: the ceilings of this stack on this machine.

Routed only when HIPTHRUST_BENCH_VIEW=1 (see hipthrust/urls.py). `bare` renders nothing and
touches no database, so what it costs is Django, the middleware stack and gunicorn.
`signed_in_floor` is the least a signed-in page costs: the visitor's session and user read,
and base.html drawn around an empty page, what every page of the log does before its own work.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

PAGE = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>bench</title>"
    b"<p>The bare view: the same middleware, no template, no database.</p></html>"
)


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


@login_required
@require_safe
def signed_in_floor(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {"title": "Bench", "description": "An empty page."})
