"""Bridges the log in the database and the pure rule engine in training/progression.py."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import cache

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from coaching import caching
from coaching.models import Variation
from core.prepared import Prepared
from training.models import (
    LevelChange,
    OwnedWeight,
    Profile,
    SessionTotals,
    Set,
    SetQuerySet,
    TrainingSession,
)
from training.progression import (
    Criteria,
    LevelChangeRecord,
    SessionRecord,
    SetRecord,
    Suggestion,
    all_out,
    suggest,
)
from videos.models import with_error_count

HISTORY_DEPTH = 6


@dataclass(frozen=True)
class LevelAdvice:
    suggestion: Suggestion
    level: Variation
    target: Variation | None  # the rung to move to, for advance and step back
    fingerprint: str


def criteria_for(variation: Variation) -> Criteria:
    return Criteria(
        sets=variation.advance_sets,
        reps_per_side=variation.advance_reps_per_side,
        hold_seconds=variation.advance_hold_seconds,
        tempo=variation.tempo.tempo.notation,
        per_side=variation.one_side_at_a_time,
        takes_load=variation.takes_external_load,
    )


def newest_sets(user, depth: int = HISTORY_DEPTH) -> SetQuerySet:
    """The sets of the `depth` newest sessions with sets, newest session first, each with its
    session and error count: one query, the sessions chosen in a subquery. Read them with
    sessions_of, which gives the sessions their variations."""
    return _newest_sets(user, depth).select_related("session")


def _newest_sets(user, depth: int) -> SetQuerySet:
    newest = TrainingSession.objects.for_user(user).with_sets().order_by("-date", "-pk")
    # A form error the coach tagged on the set's video counts once the trainee has seen it.
    return with_error_count(Set.objects.filter(session__in=newest.values("pk")[:depth])).order_by(
        "-session__date", "-session_id", "position"
    )


@dataclass(slots=True)
class NewestSet:
    """A set of newest_sets_with_totals: what the level advice reads of it, and its session
    (with its kept totals)."""

    session_id: int
    side: str
    reps: int
    load_kg: Decimal
    hold_seconds: int
    tempo: str
    pain: bool
    error_count: int
    rpe: Decimal | None
    rir: int | None
    session: TrainingSession | None = None


# What Today reads of a set, its session and their kept totals: plain rows, not model
# instances (which took longer to make than the database took to find them).
_SET_COLUMNS = [f.name for f in fields(NewestSet) if f.name != "session"]
_SESSION_COLUMNS = ("user_id", "date", "variation_id", "notes", "created_at", "set_count")
_KEPT_TOTALS = [f.attname for f in SessionTotals._meta.concrete_fields if not f.primary_key]


@cache
def _newest_sets_with_totals(depth: int) -> Prepared:
    return Prepared(
        lambda user_id: _newest_sets(user_id, depth).values_list(
            *_SET_COLUMNS,
            *(f"session__{name}" for name in _SESSION_COLUMNS),
            *(f"session__totals__{name}" for name in _KEPT_TOTALS),
        )
    )


def newest_sets_with_totals(user, depth: int) -> list[NewestSet]:
    """newest_sets(user, depth) as Today reads them, each set's session with its kept
    totals, one object a session: in a query compiled once, which Django took longer to
    build than the database to run."""
    sets = []
    sessions: dict[int, TrainingSession] = {}
    set_width, session_width = len(_SET_COLUMNS), len(_SESSION_COLUMNS)
    for row in _newest_sets_with_totals(depth).rows(user.pk):
        newest = NewestSet(*row[:set_width])
        if newest.session_id not in sessions:
            session_values = row[set_width : set_width + session_width]
            session = TrainingSession(
                pk=newest.session_id, **dict(zip(_SESSION_COLUMNS, session_values, strict=True))
            )
            totals = row[set_width + session_width :]
            session.totals = SessionTotals(
                session=session, **dict(zip(_KEPT_TOTALS, totals, strict=True))
            )
            sessions[newest.session_id] = session
        newest.session = sessions[newest.session_id]
        sets.append(newest)
    return sets


def sessions_of(
    sets: list[Set] | list[NewestSet], ladder: list[Variation] | None = None
) -> list[TrainingSession]:
    """The sessions of newest_sets' `sets`, newest first, one object each (every set of a
    session is given it), their variations from `ladder` (the kept one unless given) instead
    of a join."""
    sessions: dict[int, TrainingSession] = {}
    for s in sets:
        s.session = sessions.setdefault(s.session_id, s.session)
    return caching.with_rungs(sessions.values(), rungs=ladder)


def history_of(
    sets: list[Set] | list[NewestSet],
    depth: int = HISTORY_DEPTH,
    ladder: list[Variation] | None = None,
) -> list[SessionRecord]:
    """The records of the `depth` newest sessions among `sets` (newest_sets), newest first."""
    sessions = sessions_of(sets, ladder)[:depth]
    by_session: dict[int, list[Set]] = {session.pk: [] for session in sessions}
    for s in sets:
        if s.session_id in by_session:
            by_session[s.session_id].append(s)
    return [
        SessionRecord(
            day=session.date,
            level=session.variation.level,
            logged_at=session.created_at,
            sets=tuple(
                SetRecord(
                    side=s.side,
                    reps=s.reps,
                    load_kg=s.load_kg,
                    hold_seconds=s.hold_seconds,
                    tempo=s.tempo,
                    form_errors=s.error_count,
                    pain=s.pain,
                    all_out=all_out(s.rpe, s.rir),
                )
                for s in by_session[session.pk]
            ),
        )
        for session in sessions
    ]


def recent_history(user, depth: int = HISTORY_DEPTH) -> list[SessionRecord]:
    """The `depth` newest sessions with sets, newest first."""
    return history_of(list(newest_sets(user, depth)), depth)


def _latest_change_query(user):
    return LevelChange.objects.filter(user=user, from_variation__isnull=False).order_by(
        "-changed_at", "-pk"
    )


def _latest_move_up_query(user):
    """The changes to a harder rung, newest first: what "you moved up since" says."""
    return _latest_change_query(user).filter(to_variation__level__gt=F("from_variation__level"))


def _newest(query, column: str) -> Subquery:
    return Subquery(query.values(column)[:1])


# What advice_for reads of the profile's user besides the history, as annotations for the
# query that finds the profile (not a query of its own): the latest change of level, the
# latest move up and the weights they own.
ADVICE = {
    "latest_level_change_at": _newest(_latest_change_query(OuterRef("user")), "changed_at"),
    "latest_level_change_day": _newest(_latest_change_query(OuterRef("user")), "day"),
    "latest_move_up_at": _newest(_latest_move_up_query(OuterRef("user")), "changed_at"),
    "latest_move_up_day": _newest(_latest_move_up_query(OuterRef("user")), "day"),
    "owned_loads_kg": Subquery(OwnedWeight.objects.filter(user=OuterRef("user")).joined_loads()),
}


def latest_changes(user) -> tuple[LevelChangeRecord | None, LevelChangeRecord | None]:
    """The newest change from one level to another and the newest to a harder rung, in one
    query; choosing a first level is not a change."""
    row = (
        _latest_change_query(user)
        .annotate(
            up_at=_newest(_latest_move_up_query(user), "changed_at"),
            up_day=_newest(_latest_move_up_query(user), "day"),
        )
        .values_list("changed_at", "day", "up_at", "up_day")
        .first()
    )
    return (None, None) if row is None else (_change(*row[:2]), _change(*row[2:]))


def _change(at, day) -> LevelChangeRecord | None:
    return None if at is None else LevelChangeRecord(at, day)


def _latest_changes_of(profile: Profile) -> tuple[LevelChangeRecord | None, ...]:
    if not hasattr(profile, "latest_level_change_at"):  # not looked up with ADVICE
        return latest_changes(profile.user)
    return (
        _change(profile.latest_level_change_at, profile.latest_level_change_day),
        _change(profile.latest_move_up_at, profile.latest_move_up_day),
    )


def ladder_of(level: Variation, ladder: list[Variation] | None = None) -> list[Variation]:
    """The rungs of `level`'s exercise in order, from `ladder` or the one kept under the
    content generation; read afresh when that does not hold `level` yet (a rung added within
    its lifetime, which another process may still keep)."""
    ladder = caching.ladder() if ladder is None else ladder
    rungs = [rung for rung in ladder if rung.exercise_id == level.exercise_id]
    if not any(rung.pk == level.pk for rung in rungs):
        rungs = list(Variation.objects.filter(exercise_id=level.exercise_id).order_by("level"))
    return rungs


def _owned_weights_of(profile: Profile) -> list[Decimal]:
    if not hasattr(profile, "owned_loads_kg"):  # not looked up with ADVICE
        return list(OwnedWeight.objects.filter(user=profile.user).values_list("load_kg", flat=True))
    return OwnedWeight.loads_from(profile.owned_loads_kg)


def advice_for(
    profile: Profile,
    history: list[SessionRecord] | None = None,
    ladder: list[Variation] | None = None,
) -> LevelAdvice | None:
    """The advice for `profile`'s trainee; `history` is their recent_history and `ladder`
    the kept one when the page has already read them."""
    level = profile.level
    if level is None:
        return None
    ladder = ladder_of(level, ladder)
    index = next(i for i, rung in enumerate(ladder) if rung.pk == level.pk)
    if history is None:
        history = recent_history(profile.user)
    if not history:
        return None
    owned = _owned_weights_of(profile)
    changed, moved_up = _latest_changes_of(profile)
    suggestion = suggest(
        criteria_for(level),
        history,
        level=level.level,
        is_top_level=index == len(ladder) - 1,
        is_bottom_level=index == 0,
        owned_weights_kg=owned,
        changed=changed,
        moved_up=moved_up,
        unit=profile.unit,
        # A long gap is counted to today in the zone of the request: the trainee's own on
        # Today (a coach's page may count a day apart, which four weeks do not feel).
        today=timezone.localdate(),
    )
    target = None
    if suggestion.kind == "advance":
        target = ladder[index + 1]
    elif suggestion.kind == "step_back":
        target = ladder[index - 1]
    latest = history[0]
    # Sets whose side is given later change the advice: count only sets with a side.
    sided = sum(1 for record in latest.sets if record.side != "unknown")
    fingerprint = hashlib.sha256(
        f"{suggestion.kind}|{level.pk}|{latest.day}|{sided}".encode()
    ).hexdigest()[:32]
    return LevelAdvice(suggestion, level, target, fingerprint)
