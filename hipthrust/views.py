import hashlib
import unicodedata
from pathlib import Path

from axes.utils import reset as reset_login_lockout
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from coaches.models import CoachLink
from coaches.roles import can_coach
from core import throttle
from core.icons import ICONS
from core.middleware import client_ip
from core.not_found import GoneSaying
from core.redirects import safe_next
from core.site import mail_link_context
from core.unsaved import written_in
from hipthrust import accounts, offline
from hipthrust.auth import lockout_name
from hipthrust.forms import ChangePasswordForm, CloseAccountForm, LoginForm, NewPasswordForm
from hipthrust.middleware import SIGNED_OUT_FORM_KEY
from training import sync_views

# Only what the upload pipeline writes is ever served from MEDIA_ROOT.
MEDIA_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    context = {
        "title": "Page not found",
        "description": "This address does not match a page on hipthrust.",
    }
    if isinstance(exception, GoneSaying):
        context["gone"] = exception
        if request.method == "POST":  # what was written in a form sent about it, to copy
            context["unsaved"] = written_in(request)
    elif request.method == "POST":
        # A form sent about something deleted or no longer the sender's (an athlete ended
        # coaching, deleted the video): nothing was saved, and the page it came from no
        # longer holds what was written in it.
        context.update(title="Not saved", unsaved=written_in(request))
    return HttpResponseNotFound(loader.render_to_string("404.html", context, request))


# Bodies Django refuses unread: over its limit for a form's fields (or core.middleware's for
# any request), or with more fields or files than any form of ours has.
UNREAD_BODIES = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A form's body refused unread, said in the site's words: Django's own 400 is a bare
    line. Too large is a 413, whichever limit it passed. To the offline queue, in its own
    words (JSON): the view it was sent to is known by its address alone, as no view ran."""
    if not isinstance(exception, UNREAD_BODIES):
        # A host not ours, say: drawing any page would ask for that host again.
        return HttpResponseBadRequest("Bad request.", content_type="text/plain")
    status = 413 if isinstance(exception, RequestDataTooBig) else 400
    match = request.resolver_match
    if match is not None and match.view_name == "training:sync":
        return sync_views.refused_unread(status)
    return render(request, "400.html", {"title": "Not sent"}, status=status)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", {"title": "Not allowed"}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose security token no longer matches (signed in or out in another tab, the
    cookie cleared): said in the site's words, with what was written in it, not Django's
    page (unstyled, its own style refused by the CSP)."""
    context = {"title": "Not sent", "unsaved": written_in(request)}
    return render(request, "403_csrf.html", context, status=403)


@require_safe
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


@require_safe
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


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("favicon.svg"))


# The site's two background colours (static/css/site.css), as base.html's theme-color.
LIGHT = "#f7f5f0"
DARK = "#14181c"


def _revalidated(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Sent again only when it changed: browsers ask each time and mostly get a 304."""
    tag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = tag
    patch_cache_control(response, no_cache=True)
    return get_conditional_response(request, etag=tag, response=response)


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the root so that it may control every page."""
    response = HttpResponse(offline.worker_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return _revalidated(request, response)


@require_safe
def web_manifest(request: HttpRequest) -> HttpResponse:
    """What an installed hipthrust is called, looks like and opens on."""
    icons = [
        {
            "src": static(f"icons/{name}"),
            "sizes": f"{px}x{px}",
            "type": "image/png",
            "purpose": purpose,
        }
        for name, px, purpose in ICONS
    ]
    manifest = {
        "id": "/",
        "name": "hipthrust: the single leg hip thrust",
        "short_name": "hipthrust",
        "description": "Learn, time and log the single leg hip thrust.",
        "lang": "en-GB",
        "dir": "ltr",
        # /start/ sends a signed-in trainee to their log and anyone else to the guide.
        "start_url": reverse("start"),
        "scope": "/",
        "display": "standalone",
        "theme_color": LIGHT,
        "background_color": LIGHT,
        # The manifest's own dark colours (an incubation some browsers read); the pages'
        # theme-color meta tags carry both schemes too.
        "user_preferences": {
            "color_scheme": {"dark": {"theme_color": DARK, "background_color": DARK}}
        },
        "icons": icons,
        "shortcuts": [
            {"name": "Tempo timer", "url": reverse("coaching:timer")},
            {"name": "Guide", "url": reverse("coaching:guide")},
            {"name": "Training log", "url": reverse("training:log")},
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    return _revalidated(request, response)


@require_safe
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """Where the installed app opens: a trainee's log, or the guide for anyone else."""
    return redirect("training:log" if request.user.is_authenticated else "coaching:guide")


@require_safe
def offline_page(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page it does not keep, without a network."""
    context = {
        "title": "You are offline",
        "description": "What hipthrust can show without a connection.",
        "noindex": True,
    }
    return render(request, "offline.html", context)


class PasswordResetView(auth_views.PasswordResetView):
    """Mails a reset link, at most PASSWORD_RESETS_PER_HOUR to one address and for
    PASSWORD_RESETS_PER_IP_PER_HOUR requests from one client; past either, the same
    "check your email" page and no mail, so the page never tells whether an address
    has an account or has been throttled."""

    def form_valid(self, form):
        # Named as the form's lookup compares addresses (NFKC, then casefold): PostgreSQL's
        # case-insensitive match finds "sam@" spelled with U+017F (long s), and a key made
        # with lower() would give that spelling a limit of its own.
        email = unicodedata.normalize("NFKC", form.cleaned_data["email"].strip()).casefold()
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
        # The link goes to the site's own address, not to whatever Host (and port) the
        # request named; the mail's template reads these two.
        self.extra_email_context = mail_link_context(self.request)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        # The lockout page offers a reset as the way back in: a new password lifts the
        # login lockout of that username, from every address.
        reset_login_lockout(username=lockout_name(form.user.get_username()))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_redirect_url(self) -> str:
        return safe_next(self.request, self.request.POST.get("next", self.request.GET.get("next")))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Opened from a coach's invitation: say whose, and offer an account first.
        context["invitation"] = CoachLink.objects.named_by(self.get_redirect_url())
        # Brought here by a form sent signed out (hipthrust.middleware): say that it was not
        # saved, and give back what was written in it, for the page `next` returns to.
        unsent = self.request.session.get(SIGNED_OUT_FORM_KEY)
        if unsent and unsent.get("next", "") == self.get_redirect_url():
            context["unsent"] = unsent
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(SIGNED_OUT_FORM_KEY, None)
        return response

    def get_default_redirect_url(self) -> str:
        # Without a `next`, each lands where their day starts: a coach on the review queue.
        if can_coach(self.request.user):
            return reverse("coaches:dashboard")
        return super().get_default_redirect_url()


# Closing an account

# The closed account's id, kept in the signed-out session for the one page after closing:
# its script deletes what that account logged offline on this device (offline-log.mjs).
CLOSED_ACCOUNT_KEY = "closed_account"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def close_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    # A superuser may be the only one who can run the admin: another one takes it off.
    runs_the_site = user.is_superuser
    form = None if runs_the_site else CloseAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form is not None and form.is_valid():
        accounts.close(user)
        logout(request)
        request.session[CLOSED_ACCOUNT_KEY] = user.pk
        return redirect("account-closed")
    context = {
        "form": form,
        "coaches_others": can_coach(user),
        "title": "Close your account",
        "description": "Delete your account and everything in it.",
        "noindex": True,
    }
    status = 403 if request.method == "POST" and runs_the_site else 200
    return render(request, "registration/close_account.html", context, status=status)


@require_safe
@never_cache
def account_closed(request: HttpRequest) -> HttpResponse:
    closed = request.session.pop(CLOSED_ACCOUNT_KEY, None)
    if closed is None:
        return redirect("coaching:home")
    context = {"closed_account": closed, "title": "Account closed", "noindex": True}
    return render(request, "registration/account_closed.html", context)
