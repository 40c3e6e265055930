"""What the site adds to answers: pages for those Django gives without one, and where a
boosted form leaves the address bar."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    """A visit to an address that only takes a form (reloading after a form sent there, a
    link followed by hand) gets a page that says so: Django's 405 is empty, and Chromium
    shows its own "HTTP ERROR 405" over it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method not in ("GET", "HEAD"):
            return response
        if response.content:
            return response
        page = render(request, "405.html", {"title": "Not a page"}, status=405)
        page["Allow"] = response["Allow"]
        return page


class BoostedFormAddressMiddleware:
    """A boosted form answered in place (its errors, a page gone) leaves the address bar
    where the form was. htmx would put the form's own address there, often one that only
    takes a form (a video's comments): reloading it, or coming back to it, showed a 405. A
    form that redirects is unaffected: htmx shows the address it landed on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        boosted = request.headers.get("HX-Boosted") == "true"
        answered_in_place = not 300 <= response.status_code < 400
        names_an_address = any(name in response for name in ADDRESS_HEADERS)
        if boosted and request.method == "POST" and answered_in_place and not names_an_address:
            response["HX-Push-Url"] = "false"
        return response


ADDRESS_HEADERS = ("HX-Push-Url", "HX-Replace-Url", "HX-Location", "HX-Redirect")
