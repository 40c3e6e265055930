"""The numbers the review queue's rules (review.py) judge, gathered in a few grouped
queries however many athletes a coach has (and, for the level advice, each athlete's newest
sessions), none of which reads an athlete's whole history."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from coaches.models import CoachLink, Prescription
from coaching.caching import ladder, with_rungs
from training import balance as review
from training.level import (
    ADVICE,
    HISTORY_DEPTH,
    advice_for,
    history_of,
    newest_sets_with_totals,
)
from training.models import AlikeSets, Profile, Set, TrainingSession
from training.records import session_balance
from videos.models import VideoComment

RECENT_SESSIONS = 4  # per athlete, for balance; form errors count over the first three


def athlete_stats(athletes: list, today: datetime.date) -> dict[int, review.AthleteStats]:
    """Everything the review queue needs, per athlete id."""
    ids = [a.pk for a in athletes]
    if not ids:
        return {}
    sessions = _session_counts(ids, today)
    bests = _bests(ids, today)
    frequency = _prescribed_frequency(ids)
    recent = _recent_sessions(ids, today)
    # Each athlete's level (its tempo from the kept ladder), latest change and owned weights
    # in one query: the advice read them athlete by athlete, three queries each.
    rungs = ladder()
    profiles = {
        profile.user_id: profile
        for profile in with_rungs(
            Profile.objects.filter(user__in=ids).annotate(**ADVICE), "level", rungs=rungs
        )
    }
    for athlete in athletes:
        profiles[athlete.pk].user = athlete
    return {
        athlete.pk: _stats(
            profiles[athlete.pk],
            rungs,
            today,
            sessions.get(athlete.pk, {}),
            bests.get(athlete.pk, {}),
            frequency.get(athlete.pk, (None, None)),
            recent.get(athlete.pk, []),
        )
        for athlete in athletes
    }


def athlete_flags(athlete, today: datetime.date) -> list[review.Flag]:
    """One athlete's flags, as the review queue shows them."""
    return review.flags(athlete_stats([athlete], today)[athlete.pk])


def _session_counts(ids: list[int], today: datetime.date) -> dict[int, dict]:
    """Each athlete's first and last session and how many in the last week and month (each a
    range of their index of sessions with sets, never all), and since when they are active:
    the newer of their joining and their newest current coaching link."""
    week, month = today - datetime.timedelta(days=7), today - datetime.timedelta(days=30)
    done = TrainingSession.objects.with_sets().filter(user=OuterRef("pk"))
    linked = (
        CoachLink.objects.current()
        .filter(athlete=OuterRef("pk"))
        .order_by("-accepted_at")
        .values("accepted_at")[:1]
    )

    def since(day: datetime.date) -> Coalesce:
        counted = done.filter(date__gt=day).values("user").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted), 0)

    rows = (
        get_user_model()
        .objects.filter(pk__in=ids)
        .annotate(
            first=Subquery(done.order_by("date", "pk").values("date")[:1]),
            last=Subquery(done.order_by("-date", "-pk").values("date")[:1]),
            week=since(week),
            month=since(month),
            # Greatest with a null is null on SQLite: no link reads as the joining.
            active_since=Greatest("date_joined", Coalesce(Subquery(linked), "date_joined")),
        )
        .values("pk", "first", "last", "week", "month", "active_since")
    )
    return {row.pop("pk"): row for row in rows}


def _bests(ids: list[int], today: datetime.date) -> dict[int, dict]:
    """Best load, reps and hold before and within the stall window, and the latest pain: the
    windows' sets read by their sessions' dates, the bests before from the records' groups
    kept on write (AlikeSets, a group's first day its earliest set's), so the cost follows
    the windows and the distinct sets, not the athletes' histories."""
    stall = today - datetime.timedelta(days=review.STALL_DAYS)
    pain_since = today - datetime.timedelta(days=review.PAIN_DAYS)
    recent = Q(session__date__gt=stall)
    painful = Q(pain=True, session__date__gte=pain_since)
    bests = {
        row["session__user"]: row
        for row in Set.objects.filter(
            session__user__in=ids,
            session__date__gte=min(stall + datetime.timedelta(days=1), pain_since),
        )
        .values("session__user")
        .annotate(
            load_recent=Max("load_kg", filter=recent),
            reps_recent=Max("reps", filter=recent),
            hold_recent=Max("hold_seconds", filter=recent),
            pain_session=Max("session_id", filter=painful),
            pain_set=Max("id", filter=painful),
            pain_sets=Count("id", filter=painful),
        )
    }
    for row in (
        AlikeSets.objects.filter(user__in=ids, first_day__lte=stall)
        .values("user")
        .annotate(
            load_before=Max("load_kg"), reps_before=Max("reps"), hold_before=Max("hold_seconds")
        )
    ):
        bests.setdefault(row["user"], {}).update(row)
    return bests


def _prescribed_frequency(ids: list[int]) -> dict[int, tuple[int, datetime.date]]:
    """Sessions per week of each athlete's prescription in force (the newest), and its day."""
    frequency: dict[int, tuple[int, datetime.date]] = {}
    for athlete_id, per_week, created_at in (
        Prescription.objects.in_force()
        .filter(athlete__in=ids)
        .order_by("athlete", "-created_at", "-pk")
        .values_list("athlete", "sessions_per_week", "created_at")
    ):
        frequency.setdefault(athlete_id, (per_week, timezone.localdate(created_at)))
    return frequency


def _recent_sessions(ids: list[int], today: datetime.date) -> dict[int, list[SimpleNamespace]]:
    """The last few sessions of each athlete, with side totals and form-error counts."""
    month = today - datetime.timedelta(days=30)
    rows = (
        TrainingSession.objects.filter(user__in=ids, date__gt=month)
        .with_sets()
        .with_totals()
        .annotate(
            # Exists, not a Count over a join: joining form errors would repeat a set's row
            # once per error and multiply its work in the totals beside it.
            errors=Exists(Set.form_errors.through.objects.filter(set__session=OuterRef("pk"))),
            # A form error the coach tagged on a set's video counts as the athlete's flag.
            tagged=Exists(
                VideoComment.objects.form_errors_on_sets(seen_only=False).filter(
                    video__session=OuterRef("pk")
                )
            ),
        )
        .order_by("user", "-date", "-pk")
        .values(
            "user", "pk", "left_work", "right_work", "left_sets", "right_sets", "errors", "tagged"
        )
    )
    by_athlete: dict[int, list[SimpleNamespace]] = {}
    for row in rows:
        kept = by_athlete.setdefault(row["user"], [])
        if len(kept) < RECENT_SESSIONS:
            # Plain rows with the totals' names, as session_balance reads them.
            kept.append(SimpleNamespace(**row))
    return by_athlete


def _best(b: dict, when: str) -> tuple[Decimal, int, int]:
    return (
        b.get(f"load_{when}") or Decimal(0),
        b.get(f"reps_{when}") or 0,
        b.get(f"hold_{when}") or 0,
    )


def _stats(
    profile, rungs, today, s: dict, b: dict, plan: tuple, rows: list[SimpleNamespace]
) -> review.AthleteStats:
    balance = review.combined(each for each in map(session_balance, rows) if each is not None)
    advice = None
    if s.get("last") and profile.level_id is not None:
        # Their newest sessions in a query compiled once (as Today reads them): building
        # one with the ORM for each athlete cost more than running it.
        history = history_of(newest_sets_with_totals(profile.user, HISTORY_DEPTH), ladder=rungs)
        advice = advice_for(profile, history, rungs)
    return review.AthleteStats(
        today=today,
        first_session=s.get("first"),
        last_session=s.get("last"),
        sessions_7d=s.get("week", 0),
        sessions_30d=s.get("month", 0),
        sessions_per_week=plan[0],
        prescribed_on=plan[1],
        lag_percent=balance.asymmetry,
        lagging_side=balance.weaker,
        form_error_sessions=sum(1 for r in rows[:3] if r.errors or r.tagged),
        pain_session_id=b.get("pain_session"),
        pain_sets=b.get("pain_sets", 0),
        pain_set_id=b.get("pain_set"),
        best_recent=_best(b, "recent"),
        best_before=_best(b, "before"),
        promotion_waiting=bool(advice and advice.suggestion.kind == "advance"),
        latest_session_id=rows[0].pk if rows else None,
        told_to_stop=bool(advice and advice.suggestion.kind == "stop"),
        active_since=s.get("active_since") and timezone.localdate(s["active_since"]),
    )
