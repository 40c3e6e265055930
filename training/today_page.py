"""Today, the log's first page: the trainee's level and its advice, today's session or the
way to start one, the recent sessions with their balance, a coach's prescription and unread
comments. Read in six queries whatever the history: the profile with what the page asks
besides, the newest sessions' sets with their kept totals, today's sessions and the count
of those left empty (compiled once, core.prepared), and the session and user of the
request."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone

from coaches.models import Prescription
from coaching.caching import ladder, with_rungs
from core.prepared import Prepared
from training import records as progress
from training.forms import NewSessionForm
from training.level import (
    ADVICE,
    HISTORY_DEPTH,
    advice_for,
    history_of,
    newest_sets_with_totals,
    sessions_of,
)
from training.lookups import get_profile_for_user
from training.models import TrainingSession
from training.progression import PAIN_LIFTED_BY
from videos.models import SetVideo, VideoComment


def today_context(request: HttpRequest) -> dict:
    """What Today shows the trainee of `request`."""
    today = start_of_today()
    # The profile with what the page asks besides; its level (with tempo), the sessions'
    # variations and the form's choices come from the ladder kept under the content
    # generation, not from joins.
    profile = get_profile_for_user(request, **TODAY, **ADVICE)
    rungs = ladder(request)
    # The newest sessions' sets, each with its session and kept totals: the level advice's
    # history and the recent sessions in one query.
    sets = newest_sets_with_totals(request.user, max(HISTORY_DEPTH, RECENT_SESSIONS))
    recent = sessions_of(sets, rungs)[:RECENT_SESSIONS]
    recent = TrainingSession.with_kept_totals(recent, profile.unit)
    # Today's session and those started today without sets (perhaps dated another day), in
    # one query; an import's sessions, made today, are not read.
    day = timezone.localdate()
    current = with_rungs(_TODAYS_SESSIONS.raw(request.user.pk, day, today), rungs=rungs)
    todays_session = next((s for s in current if s.date == day), None)
    # Started today and nothing logged yet: still offered, whatever its date.
    started = [
        s for s in current if s is not todays_session and not s.set_count and s.created_at >= today
    ]
    advice = advice_for(profile, history_of(sets, ladder=rungs), rungs)
    # Advice that adds no load (for pain, after a break, for form errors) comes before a
    # coach's plan, even once "Not now" hides it: "stop" when it says to stop for pain, else
    # what it adds no load for (Suggestion.no_added_load).
    advice_first = advice.suggestion.no_added_load if advice else ""
    if advice_first and advice.suggestion.kind == "stop":
        advice_first = "stop"
    if advice and advice.fingerprint == profile.dismissed_suggestion:
        advice = None
    prescription = None
    if profile.has_prescription:
        prescription = (
            Prescription.objects.in_force()
            .filter(athlete=request.user)
            .select_related("variation", "coach")
            .first()
        )
    commented_videos = []
    if profile.has_unread_comments:
        commented_videos = SetVideo.objects.with_unread_comments(request.user)[:5]
    session_form = NewSessionForm(
        initial={
            "date": day,
            "variation": prescription.variation_id if prescription else profile.level_id,
        },
        ladder=rungs,
    )
    return {
        "title": "Your training log",
        "description": "Your sessions, level and balance.",
        "profile": profile,
        "recent": recent,
        "todays_session": todays_session,
        "started": started,
        "abandoned": _left_empty_before(request.user, today),
        "advice": advice,
        "balance": progress.balance_note(recent, day),
        "session_form": session_form,
        "prescription": prescription,
        # The level moved away from the plan's rung: said as the coach's page says it.
        "off_level": prescription.off_level(profile.level) if prescription else None,
        "advice_first": advice_first,
        "pain_lifted_by": PAIN_LIFTED_BY,
        "unit": profile.unit,
        "commented_videos": commented_videos,
    }


RECENT_SESSIONS = 5  # no fewer than records.NOTE_SESSIONS: the balance note judges these


# Whether Today has a coach's prescription or unread comments on videos to show, asked in
# the profile's query: most trainees have neither, and then read neither.
TODAY = {
    "has_prescription": Exists(Prescription.objects.in_force().filter(athlete=OuterRef("user"))),
    "has_unread_comments": Exists(
        VideoComment.objects.filter(video__owner=OuterRef("user"), seen_at__isnull=True).exclude(
            author=OuterRef("user")
        )
    ),
}


# Today's session and those started today still without sets; how many started before
# today were left without sets. Compiled once (core.prepared).
_TODAYS_SESSIONS = Prepared(
    lambda user_id, day, start_of_day: TrainingSession.objects.for_user(user_id).of_today(
        day, start_of_day
    )
)
_ABANDONED = Prepared(
    lambda user_id, start_of_day: (
        TrainingSession.objects.for_user(user_id)
        .abandoned()
        .filter(created_at__lt=start_of_day)
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
)


def _left_empty_before(user, start_of_day: datetime.datetime) -> int:
    """How many sessions the trainee started before `start_of_day` and left without sets."""
    counted = _ABANDONED.rows(user.pk, start_of_day)  # no row when there is none
    return counted[0][0] if counted else 0


def start_of_today() -> datetime.datetime:
    """Midnight of the local day: a session started before it and still empty was left."""
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
