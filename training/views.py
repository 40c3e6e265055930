from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, replace_url, reswap, retarget

from coaches.models import LEFT_RECENTLY_DAYS, CoachLink
from coaching.caching import ladder
from core import throttle
from core.middleware import client_ip
from core.redirects import safe_next
from core.text import counted
from training import records as progress
from training import services, sides, timer_keep
from training.fields import sides_for
from training.forms import (
    AssignSidesForm,
    CopySetForm,
    NewSessionForm,
    ProfileForm,
    SessionEditForm,
    SessionForm,
    SetEditForm,
    SetForm,
    SignupForm,
    TimerLogForm,
    new_set_lookups,
)
from training.level import (
    advice_for,
)
from training.lookups import (
    SetGone,
    get_profile_for_user,
    get_session_for_user,
    get_set_for_user,
    had_mark,
)
from training.models import (
    LevelChange,
    LevelSource,
    OwnedWeight,
    Profile,
    Side,
    TrainingSession,
    WeightKind,
)
from training.session_page import (
    SESSION_PAGE,
    UNDO_KEY,
    session_context,
    unit_of_request,
)
from training.today_page import start_of_today, today_context


def _wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for a part of the page: not a boosted link or form, nor Back asking
    for the whole page again (htmx keeps no page of its own to restore, base.html)."""
    return bool(
        request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request
    )


def _htmx_fragment(request: HttpRequest, template: str, fragment: str) -> str:
    return f"{template}#{fragment}" if _wants_fragment(request) else template


# Accounts


# The two sign-up limits per client address an hour (settings): accounts made, and posts.
SIGNUPS, SIGNUP_ATTEMPTS = "signup", "signup-attempt"


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    # Carried from the login page, so a coach's invitation still waits after signing up.
    next_url = safe_next(request, request.POST.get("next", request.GET.get("next")))
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url) if next_url else redirect("training:log")
    form = SignupForm(request.POST or None)
    context = {"form": form, "next": next_url, "invitation": CoachLink.objects.named_by(next_url)}
    if request.method == "POST" and not _signup_allowed(request, SIGNUP_ATTEMPTS):
        return _signups_throttled(request, context, SIGNUP_ATTEMPTS)
    if request.method == "POST" and form.is_valid():
        # Only an account made counts: its slot is claimed before it is made (so parallel
        # posts cannot all slip past the limit) and given back when it is not.
        if not _signup_allowed(request, SIGNUPS):
            return _signups_throttled(request, context, SIGNUPS)
        if user := form.create_account():
            # The accounts' backend: the one before it is django-axes' lockout check.
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])
            if next_url:
                messages.success(request, "Welcome! Your account is ready.")
                return HttpResponseRedirect(next_url)
            messages.success(request, "Welcome! Pick your level on the ladder to get suggestions.")
            return redirect("training:profile")
        throttle.give_back(SIGNUPS, client_ip(request), limit=settings.SIGNUPS_PER_HOUR)
    return render(
        request,
        "registration/signup.html",
        {**context, "title": "Create your account", "description": "Sign up to log sets."},
    )


def _signup_allowed(request: HttpRequest, action: str) -> bool:
    limit = settings.SIGNUPS_PER_HOUR if action == SIGNUPS else settings.SIGNUP_ATTEMPTS_PER_HOUR
    return throttle.allow(action, client_ip(request), limit=limit, window=3600)


def _signups_throttled(request: HttpRequest, context: dict, action: str) -> HttpResponse:
    # What was typed comes back to send later, without errors beside it that would say to
    # correct what need not change.
    typed = SignupForm(initial={name: request.POST.get(name, "") for name in ("username", "email")})
    response = render(
        request,
        "registration/signup.html",
        {**context, "form": typed, "title": "Too many sign-ups", "throttled": action},
        status=429,
    )
    response["Retry-After"] = "3600"
    return response


# Each kind of weight the trainee owns, read in the query that finds their profile.
_OWNED = {WeightKind.DUMBBELL: "owned_dumbbells_kg", WeightKind.KETTLEBELL: "owned_kettlebells_kg"}
OWNED_LOADS = {
    name: Subquery(OwnedWeight.objects.filter(user=OuterRef("user"), kind=kind).joined_loads())
    for kind, name in _OWNED.items()
}


# What the profile page asks besides the profile, in its query: the weights owned, and
# whether a coach sees the log or stopped lately (most trainees have none, and then their
# links are not read).
PROFILE_PAGE = {
    **OWNED_LOADS,
    "has_coaches": Exists(
        CoachLink.objects.filter(athlete=OuterRef("user")).current_or_left_recently()
    ),
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    profile = get_profile_for_user(request, **PROFILE_PAGE)
    owned = {kind: OwnedWeight.loads_from(getattr(profile, name)) for kind, name in _OWNED.items()}
    form = ProfileForm(request.POST or None, instance=profile, owned=owned, ladder=ladder(request))
    if request.method == "POST" and form.is_valid():
        services.save_profile(form.save(commit=False), form.cleaned_data, changed_by=request.user)
        saved = "Profile saved."
        if form.level_kept:
            saved += (
                f" Your level was changed to {form.level_kept.name} while this page was open; "
                "it stays as it is."
            )
        messages.success(request, saved)
        return redirect("training:log")
    links = []
    if profile.has_coaches:
        links = CoachLink.objects.filter(athlete=request.user).current_or_left_recently()
        links = list(links.select_related("coach").order_by("-ended_at", "accepted_at"))
    return render(
        request,
        "training/profile.html",
        {
            "form": form,
            "coaches": [link for link in links if link.ended_at is None],
            "coaching_ended": [link for link in links if link.ended_at is not None],
            "left_recently_days": LEFT_RECENTLY_DAYS,
            "title": "Your profile",
            "description": "Units, weights and level.",
        },
    )


# The log


@login_required
@require_safe
def log(request: HttpRequest) -> HttpResponse:
    return render(request, "training/log.html", today_context(request))


@login_required
@require_POST
def empty_sessions_delete(request: HttpRequest) -> HttpResponse:
    count = services.delete_empty_sessions(request.user, started_before=start_of_today())
    if count:
        messages.success(request, f"Deleted {counted(count, 'empty session')}.")
    return redirect("training:log")


@login_required
@require_POST
def session_create(request: HttpRequest) -> HttpResponse:
    form = NewSessionForm(request.POST, ladder=ladder(request))
    unit = unit_of_request(request)
    status = 200
    if form.is_valid():
        try:
            submission_id = form.cleaned_data["submission_id"]
            session, _ = services.create_session(
                request.user, form.session_fields(), submission_id=submission_id
            )
        except services.SubmissionConflict:
            form.add_error(None, "This form was already used; reload the page and try again.")
            status = 409
        else:
            return redirect(session)
    return render(
        request,
        "training/session_form.html",
        {
            "form": form,
            "title": "Log a session",
            "description": "Log a session.",
            "unit": unit,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request, pk)
    form = SessionEditForm(request.POST or None, instance=session, ladder=ladder(request))
    status, stale = 200, False
    if request.method == "POST" and form.is_valid():
        changed_variation = "variation" in form.changed_data
        if changed_variation and session.sets.exists() and not _sides_fit(session, form):
            form.add_error(
                "variation",
                "This session has sets on one side; a both-legs variation cannot hold them "
                "(and the other way round). Delete those sets first.",
            )
        else:
            try:
                services.update_session(
                    session, form.session_fields(), revision=form.cleaned_data["revision"]
                )
            except services.StaleEdit as conflict:
                # Show what is saved now rather than overwrite it, as a set's edit does.
                session, stale, status = conflict.current, True, 409
                form = SessionEditForm(instance=session, ladder=ladder(request))
            else:
                messages.success(request, "Session saved.")
                return redirect(session)
    return render(
        request,
        "training/session_form.html",
        {
            "form": form,
            "session": session,
            "stale": stale,
            "deleting_takes": session.what_deleting_takes(),
            "title": "Edit session",
            "description": "Edit session.",
        },
        status=status,
    )


def _sides_fit(session: TrainingSession, form: SessionForm) -> bool:
    logged = set(session.sets.values_list("side", flat=True))
    return logged <= sides_for(form.cleaned_data["variation"])


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request, pk)
    session.delete()
    messages.success(request, f"Deleted the session of {session.day}.")
    if request.htmx:
        return HttpResponseClientRedirect(reverse("training:log"))
    return redirect("training:log")


@login_required
@require_safe
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request, pk, **SESSION_PAGE)
    template = _htmx_fragment(request, "training/session_detail.html", "sets-and-entry")
    context = session_context(request, session)
    # An inline edit cancelled (set_edit.html): the focus goes back to that row's Edit link,
    # where the person came from, not to the entry's reps box.
    cancelled = request.GET.get("cancelled", "")
    if _wants_fragment(request) and any(str(s.pk) == cancelled for s in context["sets"]):
        context["form"].leave_focus()
        context["focus_edit"] = int(cancelled)
    return render(request, template, context)


def _after_set_change(
    request: HttpRequest,
    session: TrainingSession,
    *,
    focus: str = "",
    focus_set: int | None = None,
    side_clips_moved: bool = False,
    refused: str = "",
    unsaved: Sequence[str] = (),
) -> HttpResponse:
    """The session's list and entry again; `focus`: where the focus goes instead of the entry's
    reps box ("undo" a deletion's, "sets" the list's title), or `focus_set` the set changed;
    `side_clips_moved`: a set's videos became clips of its side, or came back to it, and the
    side's card is redrawn too; `refused`: why what was asked was not done, said in the list
    (htmx) or on the page it leads to, with `unsaved`, what was written in it, to copy."""
    if _wants_fragment(request):
        context = session_context(request, session)
        if focus or focus_set:
            context["form"].leave_focus()
        context.update(focus=focus, focus_set=focus_set)
        context["side_videos_oob"] = side_clips_moved
        context["notes_oob"] = True
        context.update(refused=refused, unsaved=unsaved)
        fragment = render(request, "training/session_detail.html#sets-and-entry", context)
        # Drawn elsewhere too (a video's "log this set"): the address becomes the session's,
        # where a reload fills no form again.
        return replace_url(fragment, session.get_absolute_url())
    if refused:
        messages.error(request, refused)
    return redirect(session)


@login_required
@require_POST
def set_create(request: HttpRequest, pk: int) -> HttpResponse:
    lookups = new_set_lookups(request.POST.get("side"))
    session = get_session_for_user(request, pk, **SESSION_PAGE, **lookups)
    unit = unit_of_request(request, session)
    form = SetForm(request.POST, session=session, unit=unit)
    if not form.is_valid():
        template = _htmx_fragment(request, "training/session_detail.html", "sets-and-entry")
        return render(request, template, session_context(request, session, form))
    try:
        services.add_set(
            session,
            form.set_fields(),
            list(form.cleaned_data["form_errors"]),
            submission_id=form.cleaned_data["submission_id"],
        )
    except services.SubmissionConflict:
        form.add_error(None, "This form was already used for another session; reload the page.")
        template = _htmx_fragment(request, "training/session_detail.html", "sets-and-entry")
        return render(request, template, session_context(request, session, form), status=409)
    request.session.pop(UNDO_KEY, None)
    return _after_set_change(request, session)


@login_required
@require_POST
def set_repeat(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request, pk, **SESSION_PAGE)
    last = session.sets.order_by("-position").first()
    if last is None:
        messages.error(request, "There is no set to repeat yet.")
    else:
        _copy_set(request, last)
    return _after_set_change(request, session)


@login_required
@require_POST
def set_mirror(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request, pk, **SESSION_PAGE)
    last = session.sets.order_by("-position").first()
    other = sides.mirror(last.side) if last is not None else None
    if other is None:
        messages.error(request, "The last set has no other side to copy to.")
    else:
        _copy_set(request, last, side=other)
    return _after_set_change(request, session)


def _copy_set(request: HttpRequest, last, *, side: str | None = None) -> None:
    """Copy the last set once for its form's submission id (a double click copies once)."""
    try:
        services.copy_set(last, side=side, submission_id=CopySetForm(request.POST).posted_id())
    except services.SubmissionConflict:
        messages.error(request, "This form was already used for another session; reload the page.")


@login_required
@require_POST
def set_sides(request: HttpRequest, pk: int) -> HttpResponse:
    """Give every set of unknown side in the session its side, in one go."""
    session = get_session_for_user(request, pk, **SESSION_PAGE)
    form = AssignSidesForm(request.POST)
    if form.is_valid():
        try:
            count = services.assign_sides(
                session, form.cleaned_data["pattern"], expected=form.cleaned_data["sets"]
            )
        except services.StaleSides:
            messages.error(
                request, "Those sets changed in the meantime; check them and choose again."
            )
        else:
            messages.success(request, f"Sides set for {counted(count, 'set')}.")
        return redirect(session)
    context = session_context(request, session, sides_form=form)
    return render(request, "training/session_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        existing = get_set_for_user(request, pk)
    except SetGone as gone:
        return _set_gone(request, gone)
    session = existing.session
    unit = unit_of_request(request)
    status, stale = 200, False
    # An imported set of unknown side may stay so while its other fields are corrected.
    unknown = existing.side == Side.UNKNOWN
    if request.method == "POST":
        form = SetEditForm(
            request.POST, session=session, unit=unit, allow_unknown_side=unknown, saved=existing
        )
        if form.is_valid():
            try:
                services.update_set(
                    existing,
                    form.set_fields(),
                    form.cleaned_data["form_errors"],
                    revision=form.cleaned_data["revision"],
                )
                return _after_set_change(request, session, focus_set=existing.pk)
            except services.StaleEdit as conflict:
                # Show what is saved now rather than overwrite it; the trainee redoes
                # the edit on top of it if it still applies.
                existing, stale, status = conflict.current, True, 409
                form = SetEditForm.for_set(
                    existing, session=session, unit=unit, allow_unknown_side=unknown
                )
    else:
        form = SetEditForm.for_set(existing, session=session, unit=unit, allow_unknown_side=unknown)
    inline = _wants_fragment(request)
    context = {
        "title": "Edit set",
        "description": "Edit one set.",
        "session": session,
        "set": existing,
        "form": form,
        "unit": unit,
        "stale": stale,
        "had": had_mark("set", request.user.pk, existing.pk, session.pk),
        # In the session's list the form swaps the list; on its own page it is a plain
        # (boosted) form that returns to the session.
        "inline": inline,
    }
    template = _htmx_fragment(request, "training/set_edit.html", "set-edit-form")
    response = render(request, template, context, status=status)
    if request.method == "POST" and inline:
        # The form posts into the whole list; its errors belong back in the row.
        response = reswap(retarget(response, f"#set-{existing.pk}"), "outerHTML")
    return response


def _set_gone(request: HttpRequest, gone: SetGone) -> HttpResponse:
    """A set of the trainee's deleted meanwhile (another tab or device): in the session's
    list, the list as it is now, saying so, with what the edit's note held to copy; as a
    page, the page saying so, with the way back to the session (hipthrust.views)."""
    if not _wants_fragment(request) or gone.session_id is None:
        raise gone
    session = get_session_for_user(request, gone.session_id, **SESSION_PAGE)
    note = request.POST.get("note", "").strip()
    response = _after_set_change(
        request, session, focus="sets", refused=gone.reason, unsaved=[note] if note else []
    )
    # Asked by a row (its Edit, its form): the whole list comes back, without that row.
    return reswap(retarget(response, "#sets-and-entry"), "outerHTML")


@login_required
@require_POST
def set_delete(request: HttpRequest, pk: int) -> HttpResponse:
    existing = get_set_for_user(request, pk)
    session = existing.session
    undo = services.snapshot_set(existing)
    undo["kept"] = services.delete_set(existing)
    request.session[UNDO_KEY] = undo
    return _after_set_change(request, session, focus="undo", side_clips_moved=bool(undo["videos"]))


@login_required
@require_POST
def set_restore(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request, pk, **SESSION_PAGE)
    undo = request.session.get(UNDO_KEY)
    if not undo or undo.get("session") != session.pk:
        messages.error(request, "There is nothing to undo.")
        return _after_set_change(request, session, focus="sets")
    del request.session[UNDO_KEY]
    try:
        restored = services.restore_set(request.user, undo)
    except services.SideNoLongerFits as refused:
        return _after_set_change(request, session, focus="sets", refused=str(refused))
    return _after_set_change(
        request, session, focus_set=restored.pk, side_clips_moved=bool(undo.get("videos"))
    )


# Level


@login_required
@require_POST
def level_accept(request: HttpRequest) -> HttpResponse:
    profile = get_profile_for_user(request)
    advice = advice_for(profile, ladder=ladder(request))
    if (
        advice is None
        or advice.target is None
        or advice.fingerprint != request.POST.get("fingerprint")
    ):
        messages.error(request, "That suggestion has changed; have another look.")
        return redirect("training:log")
    reason = " ".join(advice.suggestion.reasons) or advice.suggestion.kind
    services.change_level(
        request.user,
        advice.target,
        reason=reason,
        source=LevelSource.SUGGESTION,
        changed_by=request.user,
    )
    messages.success(request, f"Your level is now {advice.target.name}.")
    return redirect("training:log")


@login_required
@require_POST
def level_dismiss(request: HttpRequest) -> HttpResponse:
    profile = get_profile_for_user(request)
    fingerprint = request.POST.get("fingerprint", "")
    # Fingerprints are hex digests; anything else could only be a forged form.
    if not re.fullmatch(r"[0-9a-f]{1,64}", fingerprint):
        fingerprint = ""
    profile.dismissed_suggestion = fingerprint
    profile.save(update_fields=["dismissed_suggestion"])
    messages.info(request, "Suggestion dismissed; it comes back if your next session changes it.")
    return redirect("training:log")


@login_required
@require_safe
def level_history(request: HttpRequest) -> HttpResponse:
    changes = LevelChange.objects.filter(user=request.user).select_related(
        "from_variation", "to_variation", "changed_by"
    )
    return render(
        request,
        "training/level_history.html",
        {
            "title": "Your level history",
            "description": "Every change of level, when and why.",
            "changes": changes[:200],
            "profile": get_profile_for_user(request),
        },
    )


# Progress


@login_required
@require_safe
def history(request: HttpRequest) -> HttpResponse:
    unit = unit_of_request(request)
    sessions = (
        TrainingSession.objects.for_user(request.user)
        .with_sets()
        .select_related("variation")
        .order_by("-date", "-pk")
        # Apart, for the page's sessions alone: joined, a late page would join every
        # session before it.
        .prefetch_related("totals")
    )
    page = Paginator(sessions, 20).get_page(request.GET.get("page"))
    # The totals kept on write: no set is read.
    page.object_list = TrainingSession.with_kept_totals(list(page.object_list), unit)
    return render(
        request,
        "training/history.html",
        {
            "title": "History",
            "description": "Every session you logged.",
            "page": page,
            "unit": unit,
        },
    )


@login_required
@require_safe
def records(request: HttpRequest) -> HttpResponse:
    unit = unit_of_request(request)
    return render(
        request,
        "training/records.html",
        {
            "title": "Personal records",
            "description": "Your best sets on each side.",
            "records": progress.personal_records(request.user),
            "unit": unit,
        },
    )


@login_required
@require_safe
def progress_view(request: HttpRequest) -> HttpResponse:
    unit, points_stale = Profile.objects.unit_and_stale_points(request.user)
    return render(
        request,
        "training/progress.html",
        {
            "title": "Progress and balance",
            "description": "Load, volume and holds per side over time.",
            "unit": unit,
            **progress.progress_data(
                request.user, unit, points_stale=points_stale, today=timezone.localdate()
            ),
        },
    )


# CSV


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def log_from_timer(request: HttpRequest) -> HttpResponse:
    """POST logs a finished timer plan's sets; GET offers them again, for someone who
    signed up (or in) after the timer finished, with the load to check on a loaded rung."""
    unit = Profile.objects.unit_of(request.user)
    if request.method in ("GET", "HEAD"):
        form = TimerLogForm({**request.GET.dict(), "submission_id": uuid.uuid4()}, unit=unit)
        if not form.is_valid():
            messages.error(request, "Those sets could not be offered: the plan was not valid.")
            return redirect("coaching:timer")
        return timer_keep.keep_page(request, form, unit, timer_keep.TimerLoads(request.user, form))
    form = TimerLogForm(request.POST, unit=unit)
    if not form.is_valid():
        if set(form.errors) == {"load"}:
            known = timer_keep.TimerLoads(request.user, form)
            return timer_keep.keep_page(request, form, unit, known, status=400)
        messages.error(request, "Those sets could not be logged: the plan was not valid.")
        return redirect("coaching:timer")
    known = timer_keep.TimerLoads(request.user, form)
    loads = form.loads_kg(known)
    if loads is None:
        return timer_keep.keep_page(request, form, unit, known, status=400)
    try:
        logged = services.log_timer_sets(
            request.user, day=timezone.localdate(), loads_kg=loads, **form.logged_sets()
        )
    except services.SubmissionConflict:
        raise Http404("No such session.") from None
    where = (
        f"Added to today's {logged.session.variation.name} session" if logged.joined else "Logged"
    )
    if known.variation.takes_external_load or known.prescribed_kg:
        where += f", {timer_keep.loads_said(loads, unit)}, {known.whose()}"
    messages.success(request, f"{where}. Adjust any set that went differently.")
    return redirect(logged.session)
