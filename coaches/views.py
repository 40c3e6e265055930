"""The coach's side: the review queue, one athlete's log, prescriptions, levels and notes.

Coaches see only the athletes who accepted their invitation; for everyone else an
athlete's pages answer 404, as if they did not exist.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coaches import review_queue, services
from coaches.forms import CoachLevelForm, CoachNoteForm, InvitationForm, PrescriptionForm
from coaches.models import (
    LEFT_RECENTLY_DAYS,
    AuditEntry,
    CoachLink,
    CoachNote,
    FlagReview,
    Prescription,
)
from coaches.roles import can_coach
from coaching.caching import ladder, with_rungs
from core.redirects import safe_next
from core.submissions import SubmissionConflict
from training import balance
from training.level import advice_for
from training.models import LevelChange, Profile, Set, TrainingSession
from videos.models import SetVideo


def coach_required(view: Callable) -> Callable:
    """Coaches and superusers only; for anyone else the coach area does not exist."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_coach(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def _get_athlete_for_coach(request: HttpRequest, user_id: int):
    """The coach's own athlete, or 404."""
    return get_object_or_404(CoachLink.objects.athletes_of(request.user), pk=user_id)


SORTS = {
    "name": lambda row: row["athlete"].get_username().lower(),
    "last": lambda row: row["stats"].last_session or datetime.date.min,
    "level": lambda row: row["level"].level if row["level"] else 0,
    "compliance": lambda row: row["compliance_7"] if row["compliance_7"] is not None else -1,
    # An athlete told to stop comes first, whatever else the others have.
    "flags": lambda row: (
        row["stats"].told_to_stop,
        sum(flag.severity for flag, _ in row["flags"]),
    ),
}


def _flag_url(athlete_id: int, stats: balance.AthleteStats, flag: balance.Flag) -> str:
    """A flag opens the session that raised it, or the athlete's page when none did."""
    session_id = balance.flag_session_id(stats, flag)
    if session_id is None:
        return reverse("coaches:athlete", args=[athlete_id])
    session_url = reverse("coaches:session", args=[athlete_id, session_id])
    return f"{session_url}?{urlencode({'flag': flag.kind})}"


@coach_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "coaches/dashboard.html", _dashboard_context(request))


def _dashboard_context(request: HttpRequest, invite_form: InvitationForm | None = None) -> dict:
    # The coach's own label of the invitation each athlete accepted: whoever opens a link
    # first takes it, so the coach sees whom it was meant for beside who took it.
    label = CoachLink.objects.current().filter(coach=request.user, athlete=OuterRef("pk"))
    athletes = list(
        CoachLink.objects.athletes_of(request.user)
        .select_related("profile__level")
        .annotate(invitation_label=Subquery(label.values("label")[:1]))
    )
    today = timezone.localdate()
    stats = review_queue.athlete_stats(athletes, today)
    flags = {athlete.pk: balance.flags(stats[athlete.pk]) for athlete in athletes}
    reviews = FlagReview.objects.covering(flags, request.user)
    rows = []
    for athlete in athletes:
        athlete_stats_ = stats[athlete.pk]
        open_flags, reviewed_flags = balance.split_reviewed(
            flags[athlete.pk], reviews.get(athlete.pk, {})
        )
        url = functools.partial(_flag_url, athlete.pk, athlete_stats_)
        rows.append(
            {
                "athlete": athlete,
                "level": athlete.profile.level,
                "stats": athlete_stats_,
                # Open flags decide the order; reviewed ones stay in sight, after them.
                "flags": [(flag, url(flag)) for flag in open_flags],
                "reviewed_flags": [(flag, url(flag), done) for flag, done in reviewed_flags],
                "compliance_7": balance.compliance(athlete_stats_, 7),
                "compliance_30": balance.compliance(athlete_stats_, 30),
                # Shown instead of the figures while the plan is too young to judge.
                "plan_since": athlete_stats_.prescribed_on,
            }
        )
    sort = request.GET.get("sort", "flags")
    if sort not in SORTS:
        sort = "flags"
    descending = sort in {"flags", "last", "level", "compliance"}
    rows.sort(key=SORTS[sort], reverse=descending)
    links = list(CoachLink.objects.filter(coach=request.user).on_the_coachs_page())
    invitations = [link for link in links if link.athlete_id is None and not link.closed_account]
    return {
        "title": "Your athletes",
        "description": "Review queue",
        "rows": rows,
        "sort": sort,
        "invitations": [link for link in invitations if not link.declined],
        "declined_invitations": [link for link in invitations if link.declined],
        "left_recently": sorted(
            (link for link in links if link.athlete_id or link.closed_account),
            key=lambda link: link.ended_at,
            reverse=True,
        ),
        "left_recently_days": LEFT_RECENTLY_DAYS,
        "invite_form": invite_form or InvitationForm(),
        "invitation_days": settings.INVITATION_DAYS,
        "videos_to_review": SetVideo.objects.to_review_by(request.user)
        .with_set_side_number()
        .with_athletes_words()
        .select_related("owner", "set", "session"),
    }


@coach_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if not form.is_valid():
        context = _dashboard_context(request, invite_form=form)
        return render(request, "coaches/dashboard.html", context)
    services.create_invitation(request.user, label=form.cleaned_data["label"])
    # The link is a secret: it is shown on this coach's own dashboard, never in a message
    # (a message outlives a logout in its cookie and may be shown on a shared page).
    messages.success(request, "Invitation ready: copy its link under Open invitations.")
    return redirect(reverse("coaches:dashboard") + "#invite-title")


@coach_required
@require_POST
def cancel_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(
        CoachLink, pk=pk, coach=request.user, athlete__isnull=True, ended_at__isnull=True
    )
    services.end_link(link, request.user)
    messages.info(request, "Invitation withdrawn.")
    return redirect("coaches:dashboard")


def _athlete_context(request: HttpRequest, athlete, **forms) -> dict:
    unit = Profile.objects.unit_of(request.user)
    prescription = (
        Prescription.objects.in_force()
        .filter(athlete=athlete)
        .select_related("variation", "coach")
        .first()
    )
    initial = {}
    if prescription:
        initial = prescription.form_values(unit)
        if prescription.coach_id != request.user.pk:
            # Another coach's words are theirs: a plan written from theirs starts without them.
            del initial["notes"]
    elif athlete.profile.level:
        level = athlete.profile.level
        initial = {
            "variation": level.pk,
            "sets": level.advance_sets,
            "reps_per_side": level.advance_reps_per_side,
            "tempo": level.tempo.tempo.notation,
            "hold_seconds": level.advance_hold_seconds,
        }
    advice = advice_for(athlete.profile, ladder=ladder(request))
    # The level moved away from the plan's rung (read with the advice: no query more): the
    # coach is told, so as to write a plan for the new level.
    off_level = prescription.off_level(athlete.profile.level) if prescription else None
    sessions = TrainingSession.with_kept_totals(
        with_rungs(
            TrainingSession.objects.filter(user=athlete)
            .with_sets()
            .select_related("totals")
            .order_by("-date", "-pk")[:12],
            rungs=ladder(request),
        ),
        unit,
    )
    return {
        "title": f"Athlete {athlete.get_username()}",
        "description": "An athlete's log, level and prescription.",
        "athlete": athlete,
        "unit": unit,
        "sessions": sessions,
        "prescription": prescription,
        "off_level": off_level,
        "advice": advice,
        "changes": LevelChange.objects.filter(user=athlete).select_related(
            "from_variation", "to_variation", "changed_by"
        )[:10],
        "audit": AuditEntry.objects.visible_to(request.user)
        .filter(athlete=athlete)
        .select_related("actor")[:15],
        # The coach's own link to the athlete, which they may end here (a superuser may
        # have none).
        "own_link": CoachLink.objects.active().filter(coach=request.user, athlete=athlete).first(),
        "prescription_form": forms.get("prescription_form")
        or PrescriptionForm(unit=unit, initial=initial),
        "level_form": forms.get("level_form") or CoachLevelForm(),
    }


@coach_required
@require_safe
def athlete_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    athlete = _get_athlete_for_coach(request, user_id)
    return render(request, "coaches/athlete.html", _athlete_context(request, athlete))


@coach_required
@require_POST
def prescribe(request: HttpRequest, user_id: int) -> HttpResponse:
    athlete = _get_athlete_for_coach(request, user_id)
    unit = Profile.objects.unit_of(request.user)
    in_force = Prescription.objects.in_force().filter(athlete=athlete)
    in_force = in_force.values_list("variation_id", "load_kg").first()
    advice = advice_for(athlete.profile, ladder=ladder(request))
    form = PrescriptionForm(
        request.POST, unit=unit, athlete=athlete, in_force=in_force, advice=advice
    )
    if not form.is_valid():
        return render(
            request,
            "coaches/athlete.html",
            _athlete_context(request, athlete, prescription_form=form),
        )
    try:
        services.prescribe(
            request.user,
            athlete,
            form.prescription_fields(),
            submission_id=form.cleaned_data["submission_id"],
        )
    except SubmissionConflict:
        form.add_error(None, "This form was already used; reload the page and try again.")
        context = _athlete_context(request, athlete, prescription_form=form)
        return render(request, "coaches/athlete.html", context, status=409)
    messages.success(request, f"Prescription saved; {athlete.get_username()} sees it now.")
    return redirect("coaches:athlete", user_id=athlete.pk)


@coach_required
@require_POST
def move_level(request: HttpRequest, user_id: int) -> HttpResponse:
    athlete = _get_athlete_for_coach(request, user_id)
    form = CoachLevelForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "coaches/athlete.html",
            _athlete_context(request, athlete, level_form=form),
        )
    variation = form.cleaned_data["variation"]
    changed = services.coach_change_level(
        request.user, athlete, variation, reason=form.cleaned_data["reason"]
    )
    if changed is None:
        messages.info(
            request,
            f"{athlete.get_username()} is already at {variation.name}; nothing changed, "
            "nothing was recorded.",
        )
    else:
        messages.success(request, f"Level changed to {variation.name}.")
    return redirect("coaches:athlete", user_id=athlete.pk)


@coach_required
@require_POST
def approve_promotion(request: HttpRequest, user_id: int) -> HttpResponse:
    athlete = _get_athlete_for_coach(request, user_id)
    advice = advice_for(athlete.profile, ladder=ladder(request))
    if (
        advice is None
        or advice.suggestion.kind != "advance"
        or advice.fingerprint != request.POST.get("fingerprint")
    ):
        messages.error(request, "That promotion is no longer suggested; nothing changed.")
        return redirect("coaches:athlete", user_id=athlete.pk)
    reason = " ".join(advice.suggestion.reasons) or "Met the target twice in a row."
    services.coach_change_level(request.user, athlete, advice.target, reason=reason, approved=True)
    messages.success(request, f"Promotion to {advice.target.name} approved.")
    return redirect("coaches:athlete", user_id=athlete.pk)


@coach_required
@require_POST
def review_flag(request: HttpRequest, user_id: int) -> HttpResponse:
    """Mark a flag the queue raises now as reviewed; a stale or made-up one changes nothing."""
    athlete = _get_athlete_for_coach(request, user_id)
    wanted = (request.POST.get("kind"), request.POST.get("subject"))
    flag = next(
        (
            flag
            for flag in review_queue.athlete_flags(athlete, timezone.localdate())
            if (flag.kind, flag.subject) == wanted and flag.reviewable
        ),
        None,
    )
    if flag is None:
        messages.error(request, "That flag is no longer raised; nothing changed.")
    else:
        services.review_flag(request.user, athlete, flag)
        messages.success(request, f"Marked reviewed for {athlete.get_username()}: {flag.text}.")
    back = safe_next(request, request.POST.get("next"))
    # Back on the queue at the athlete's row, not its top (on a phone, screens above it).
    queue_row = f"{reverse('coaches:dashboard')}#athlete-{athlete.pk}"
    return HttpResponseRedirect(back or queue_row)


def _session_flag(coach, athlete, session, kind: str):
    """The flag of this kind that links to this session, if the queue raises one now,
    with `coach`'s review (or None): what the session page offers to mark reviewed."""
    stats = review_queue.athlete_stats([athlete], timezone.localdate())[athlete.pk]
    for flag in balance.flags(stats):
        if flag.kind == kind and balance.flag_session_id(stats, flag) == session.pk:
            reviews = FlagReview.objects.covering({athlete.pk: [flag]}, coach)
            reviews = reviews.get(athlete.pk, {})
            return flag, reviews.get((flag.kind, flag.subject))
    return None, None


@coach_required
@require_http_methods(["GET", "HEAD", "POST"])
def athlete_session(request: HttpRequest, user_id: int, pk: int) -> HttpResponse:
    athlete = _get_athlete_for_coach(request, user_id)
    session = get_object_or_404(
        TrainingSession.objects.select_related("variation__tempo"), pk=pk, user=athlete
    )
    # The flag the queue opened the page for, kept through the note form and its redirect:
    # a note answering it leaves "Mark reviewed" in sight.
    highlight = request.GET.get("flag", "")
    if highlight not in balance.FLAG_KINDS:
        highlight = ""
    here = request.path + (f"?{urlencode({'flag': highlight})}" if highlight else "")
    form = CoachNoteForm(request.POST or None, session=session)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.add_coach_note(
                request.user,
                athlete,
                session,
                form.cleaned_data["text"],
                form.cleaned_data["set"],
                submission_id=form.cleaned_data["submission_id"],
            )
        except SubmissionConflict:
            form.add_error(None, "This form was already used; reload the page and try again.")
            status = 409
        else:
            messages.success(request, "Note added; the athlete sees it on this session.")
            return HttpResponseRedirect(here)
    flag, flag_review = (
        _session_flag(request.user, athlete, session, highlight) if highlight else (None, None)
    )
    sets = Set.number_by_side(
        list(session.sets.prefetch_related("form_errors").order_by("position"))
    )
    return render(
        request,
        "coaches/session.html",
        {
            "title": f"{athlete.get_username()}: session of {session.date:%d %b %Y}",
            "description": "An athlete's session.",
            "athlete": athlete,
            "session": session,
            "sets": sets,
            "notes": CoachNote.objects.on_session(session, sets),
            # Every clip of the session, reviewed or not: the queue lists only those to review.
            "videos": SetVideo.objects.filter(session=session)
            .with_review(request.user)
            .select_related("set")
            .with_set_side_number()
            .order_by("created_at", "pk"),
            "form": form,
            "unit": Profile.objects.unit_of(request.user),
            "highlight": highlight,
            "here": here,
            "flag": flag,
            "flag_review": flag_review,
        },
        status=status,
    )


# The athlete's side of the link.


def _get_invitation(code: str) -> CoachLink:
    """The invitation of that code; one whose coach closed their account is gone (404)."""
    return get_object_or_404(
        CoachLink.objects.select_related("coach"), code=code, coach__isnull=False
    )


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    """The invitation link. Someone signed out learns who invites them and to what, and is
    offered an account first (most have none), then logging in; back here, they consent."""
    link = _get_invitation(code)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.path)
        return render(
            request,
            "coaches/join.html",
            {
                "title": f"{link.coach.get_username()} invites you to hipthrust",
                "description": "A coach's invitation to follow your training.",
                "link": link,
                # Where the sign-up and login links (the header's too) bring them back.
                "next": request.path,
            },
        )
    if request.method == "POST":
        try:
            services.accept_invitation(link, request.user)
        except ValueError as error:
            messages.error(request, str(error))
            return redirect("training:profile")
        messages.success(request, f"{link.coach.get_username()} now coaches you.")
        return redirect("training:profile")
    return render(
        request,
        "coaches/join.html",
        {
            "title": "Coaching invitation",
            "description": "Accept a coach.",
            "link": link,
            # Their own link, opened to check it: said here, with nothing to accept.
            "own": link.coach_id == request.user.pk,
        },
    )


@login_required
@require_POST
def join_decline(request: HttpRequest, code: str) -> HttpResponse:
    """No to an invitation: it ends, and its coach sees it was declined (not by whom) and
    nothing of the log."""
    link = _get_invitation(code)
    if link.coach_id == request.user.pk:
        messages.error(request, "That is your own invitation: withdraw it under Open invitations.")
        return redirect(reverse("coaches:dashboard") + "#invite-title")
    if not services.decline_invitation(link):
        messages.error(request, "This invitation is no longer open; nothing changed.")
        return redirect("training:log")
    coach = link.coach.get_username()
    messages.info(
        request,
        f"You declined {coach}'s invitation: the link no longer works, and {coach} sees that it "
        "was declined and nothing of your log.",
    )
    return redirect("training:log")


@login_required
@require_POST
def end_coaching(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(
        CoachLink.objects.active(),
        Q(athlete=request.user) | Q(coach=request.user),
        pk=pk,
    )
    services.end_link(link, request.user)
    if link.coach_id == request.user.pk:
        name = link.athlete.get_username()
        messages.success(request, f"You no longer coach {name}; their log is theirs alone again.")
        return redirect("coaches:dashboard")
    messages.success(request, "Coaching link ended; the coach no longer sees your log.")
    return redirect("training:profile")
