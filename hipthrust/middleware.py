"""What the site adds to answers: pages for those Django gives without one, where a
boosted form leaves the address bar, and where a form sent signed out leads."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django_htmx.http import HttpResponseClientRedirect

from core.redirects import referring_page
from core.unsaved import written_in


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


class SignedOutFormMiddleware:
    """A form, or an htmx request, that needs a login and was sent signed out (the password
    changed on another device, the cookie cleared) leads the whole tab to the login page,
    whose `next` is the page the form was on, and which gives back what was written in it.

    Left to @login_required, htmx followed the redirect and dropped the whole login page
    into the session page, and `next` named the form's own address, which only takes a
    post: after logging in, a 405 and nothing saved. Every view behind the login check is
    covered here, by its answer: a redirect to the login page for someone signed out. A view
    that sends to the login page itself (an invitation's) names its own `next`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def process_view(self, request: HttpRequest, view_func: Callable, *args) -> None:
        # user_passes_test (under login_required) marks the views it guards: the attribute
        # reaches the outermost decorator through functools.wraps.
        request.behind_login = hasattr(view_func, "login_url")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = request.headers.get("HX-Request") == "true"
        asked_for_a_page = request.method in ("GET", "HEAD")
        if (asked_for_a_page and not htmx) or not _sent_to_login(request, response):
            return response  # a page asked for: Django's `next` is that page
        login = resolve_url(settings.LOGIN_URL)
        if asked_for_a_page and request.headers.get("HX-Boosted") == "true":
            page = request.get_full_path()  # a boosted link: the page it opens
        else:
            page = referring_page(request)  # a form or a fragment: the page they are on
        if urlsplit(page).path == login:
            page = ""  # with no `next`, the login lands where their day starts
        if not asked_for_a_page:
            request.session[SIGNED_OUT_FORM_KEY] = {"next": page, "unsaved": written_in(request)}
        url = f"{login}?{urlencode({'next': page})}" if page else login
        return HttpResponseClientRedirect(url) if htmx else HttpResponseRedirect(url)


# What a form sent signed out held, kept in the (signed-out) session for the login page that
# `next` brings back to it (hipthrust.views.LoginView), until the login.
SIGNED_OUT_FORM_KEY = "signed_out_form"


def _sent_to_login(request: HttpRequest, response: HttpResponse) -> bool:
    """The login check's answer to someone signed out (@login_required)."""
    if not getattr(request, "behind_login", False):
        return False
    if not 300 <= response.status_code < 400 or "Location" not in response:
        return False
    if request.user.is_authenticated:
        return False
    return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
