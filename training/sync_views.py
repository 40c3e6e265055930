"""What a device sends from its offline queue (static/js/offline-queue.mjs), one entry a
request, in the order it was logged: a session started offline, a set, a timer's sets.

Each entry carries the submission id the device gave it when it was logged, so sending
it twice (a reply lost on a weak signal, the queue replayed) saves it once: the second
answer names what the first saved. What is refused is answered with the reason, field
by field, as JSON: the device keeps the entry and shows it to the trainee to fix or
discard (nothing here drops it).

Signed out, @login_required answers with its redirect to the login page; the device
sends with `redirect: "manual"` and reads that as "sign in to send these".
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from coaching.caching import cached_public_page
from coaching.models import Variation
from training import services, sides
from training.fields import load_in_kg
from training.forms import OfflineSetForm, QueuedSessionForm, QueuedSetForm, QueuedTimerLogForm
from training.models import Profile, TrainingSession
from training.timer_keep import TimerLoads
from training.units import UnitError, from_kg, plain


def _refused(status: int, message: str, form=None, **extra) -> JsonResponse:
    errors = {}
    if form is not None:
        errors = {
            field: [e["message"] for e in found]
            for field, found in form.errors.get_json_data().items()
        }
    return JsonResponse({"refused": message, "errors": errors, **extra}, status=status)


def refused_unread(status: int) -> JsonResponse:
    """An entry whose body was refused unread (larger, or with more fields, than any entry):
    answered from hipthrust.views.bad_request, as the refusal comes before this view (the
    CSRF check reads the body first). As JSON, so the device keeps it refused: an answer it
    cannot read, it sends again and again."""
    if status == 413:
        return _refused(
            status, "This is larger than the log takes: shorten its note, or discard it."
        )
    # Too many fields: nothing a trainee wrote could do that, so no note to shorten.
    return _refused(status, "This entry cannot be read (more fields than any entry): discard it.")


def _queued_session(request: HttpRequest) -> TrainingSession | None:
    """The user's session an entry names: by its id, or by the submission id a session
    started offline was given (its id is known only once it is saved)."""
    sessions = TrainingSession.objects.for_user(request.user).select_related("variation")
    pk, submission = request.POST.get("session", ""), request.POST.get("session_submission_id", "")
    if re.fullmatch(r"[0-9]{1,18}", pk):  # str.isdigit() takes "²" and 5,000 digits alike
        return sessions.filter(pk=int(pk)).first()
    try:
        return sessions.filter(submission_id=uuid.UUID(submission)).first()
    except ValueError:  # none, or not a UUID: no such session
        return None


def _sync_session(request: HttpRequest) -> JsonResponse:
    form = QueuedSessionForm(request.POST)
    if not form.is_valid():
        return _refused(400, "The session could not be started.", form)
    try:
        session, created = services.create_session(
            request.user, form.session_fields(), submission_id=form.cleaned_data["submission_id"]
        )
    except services.SubmissionConflict:
        return _refused(409, "This session's id was used for another; start it again.")
    return JsonResponse(
        {"session": session.pk, "url": session.get_absolute_url(), "created": created}
    )


def _converted(load: str, logged_in: str, unit: str) -> dict:
    """A load logged in another unit, as the set form shows it in `unit`, with the kilograms it
    stands for (the form keeps them if the load is sent as shown); nothing if it is no load."""
    try:
        kg = load_in_kg(Decimal(load), logged_in)
    except (InvalidOperation, ValidationError, UnitError):
        return {}
    return {"load": plain(from_kg(kg, unit)), "load_kg_shown": plain(kg)}


def _sync_set(request: HttpRequest) -> JsonResponse:
    session = _queued_session(request)
    if session is None:
        return _refused(
            404, "Its session is no longer in your log: it was deleted, or never saved."
        )
    unit = Profile.objects.unit_of(request.user)
    if request.POST.get("unit", unit) != unit:
        logged_in = request.POST["unit"]
        return _refused(
            409,
            f"Your weights are in {unit} now, and this set was logged in {logged_in}: "
            "check the load.",
            unit=unit,
            **_converted(request.POST.get("load", ""), logged_in, unit),
        )
    form = QueuedSetForm(request.POST, session=session, unit=unit)
    if not form.is_valid():
        return _refused(400, "The set could not be saved.", form, confirm=form.confirm_value)
    try:
        saved, created = services.add_set(
            session,
            form.set_fields(),
            list(form.cleaned_data["form_errors"]),
            submission_id=form.cleaned_data["submission_id"],
        )
    except services.SubmissionConflict:
        return _refused(409, "This set's id was used in another session; log it again.")
    return JsonResponse(
        {
            "set": saved.pk,
            "session": session.pk,
            "url": session.get_absolute_url(),
            "created": created,
        }
    )


def _sync_timer(request: HttpRequest) -> JsonResponse:
    form = QueuedTimerLogForm(request.POST, unit=Profile.objects.unit_of(request.user))
    if not form.is_valid():
        return _refused(400, "The timer's sets could not be logged.", form)
    day = form.cleaned_data["date"] or timezone.localdate()  # the day it was logged offline
    known = TimerLoads(request.user, form)
    loads = form.loads_kg(known)
    if loads is None:
        # Only a post without a load (the timer page's, kept before the page asked) gets
        # here: a timer entry cannot be fixed on the device, so refused it would be lost.
        loads = dict.fromkeys(form.set_sides(), known.prescribed_kg)
    try:
        logged = services.log_timer_sets(
            request.user, day=day, loads_kg=loads, **form.logged_sets()
        )
    except services.SubmissionConflict:
        return _refused(409, "These sets' id was already used for another entry; log them again.")
    session = logged.session
    return JsonResponse(
        {"session": session.pk, "url": session.get_absolute_url(), "joined": logged.joined}
    )


SYNC = {"session": _sync_session, "set": _sync_set, "timer": _sync_timer}


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sync(request: HttpRequest) -> HttpResponse:
    """GET: who is signed in and the token to send with (a page kept for offline use has
    neither). POST: one queued entry, by its `kind`."""
    if request.method in ("GET", "HEAD"):
        return JsonResponse({"user": request.user.pk, "csrf": get_token(request)})
    handler = SYNC.get(request.POST.get("kind", ""))
    if handler is None:
        return _refused(400, "Not an entry this site knows.")
    return handler(request)


@require_safe
def _offline_log(request: HttpRequest) -> HttpResponse:
    """The page for logging sets offline: the same for everyone (the ladder and the session
    page's set form, no one's log), kept by the service worker; offline-log.mjs fills it
    from the device's queue."""
    ladder = list(Variation.objects.ladder())
    # What the page's script needs of each rung: the sides its sets take, and the tempo the
    # set form starts at (the rung's, as on the session page: moving up counts sets at it).
    variations = [
        {
            "pk": v.pk,
            "slug": v.slug,
            "name": v.name,
            "sides": list(sides.worked(v.one_side_at_a_time)),
            "tempo": v.tempo.tempo.notation,
        }
        for v in ladder
    ]
    return render(
        request,
        "training/offline_log.html",
        {
            "title": "Log sets offline",
            "description": "Log sets without a connection; they are sent when you are back online.",
            "noindex": True,
            "variations": variations,
            "form": OfflineSetForm(variations=ladder) if ladder else None,  # before any rung
        },
    )


offline_log = cached_public_page(_offline_log)
