"""The site's pages for answers Django gives without one."""

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
