from pathlib import Path

from axes.utils import reset as reset_login_lockout
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.template import loader
from django.templatetags.static import static
from django.utils.encoding import iri_to_uri
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import throttle
from core.middleware import client_ip
from hipthrust.forms import LoginForm

# Only what the upload pipeline writes is ever served from MEDIA_ROOT.
MEDIA_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    context = {
        "title": "Page not found",
        "description": "This address does not match a page on hipthrust.",
    }
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request))


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database and the cache answer, 503 otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:  # any failure means "not healthy", and says why
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("health-check", "ok", 10)
        checks["cache"] = "ok" if cache.get("health-check") == "ok" else "error: no value"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


@require_GET
def serve_media(request: HttpRequest, path: str) -> FileResponse:
    """Uploaded photos, served as images and nothing else, never as a page or a script."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    content_type = MEDIA_TYPES.get(target.suffix.lower())
    # Set videos and their posters are private: only training's video view serves them.
    private = root / "videos" in (target, *target.parents)
    if content_type is None or private or root not in target.parents or not target.is_file():
        raise Http404("No such file.")
    response = FileResponse(target.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("favicon.svg"))


class PasswordResetView(auth_views.PasswordResetView):
    """Mails a reset link, at most PASSWORD_RESETS_PER_HOUR to one address and for
    PASSWORD_RESETS_PER_IP_PER_HOUR requests from one client; past either, the same
    "check your email" page and no mail, so the page never tells whether an address
    has an account or has been throttled."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        hour = 60 * 60
        allowed = throttle.allow(
            "password-reset-ip",
            client_ip(self.request),
            limit=settings.PASSWORD_RESETS_PER_IP_PER_HOUR,
            window=hour,
        ) and throttle.allow(
            "password-reset-email", email, limit=settings.PASSWORD_RESETS_PER_HOUR, window=hour
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # The lockout page offers a reset as the way back in: a new password lifts the
        # login lockout of that username, from every address.
        reset_login_lockout(username=form.user.get_username())
        return response


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_redirect_url(self) -> str:
        # Django checks `next` as given but sends it percent-encoded, which can make it
        # longer than Django itself accepts as a safe address; check what is sent.
        url = super().get_redirect_url()
        sent_safely = url_has_allowed_host_and_scheme(
            iri_to_uri(url),
            allowed_hosts=self.get_success_url_allowed_hosts(),
            require_https=self.request.is_secure(),
        )
        return url if sent_safely else ""
