"""Sessions of a file the trainee already has in the log, left out of the import."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count, F, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear

from imports.csv_io.plan import PlannedSession, fingerprint
from training.models import Profile, Set, TrainingSession


def _mark_parts(user) -> dict:
    """How many sessions and sets the trainee has and their newest keys: any session or set
    added or deleted moves one of them; and the sums of the sets' revisions and of the
    sessions' days and variations: an edit of a set (its revision moves) or of a session's
    day or variation, what a duplicate is matched on, moves one of those. As subqueries of
    `user` (a profile's user column)."""
    sessions = TrainingSession.objects.filter(user=user).order_by().values("user")
    sets = Set.objects.filter(session__user=user).order_by().values("session__user")
    day = ExtractYear("date") * 10_000 + ExtractMonth("date") * 100 + ExtractDay("date")
    parts = {
        "mark_sessions": sessions.annotate(value=Count("pk")),
        "mark_last_session": sessions.annotate(value=Max("pk")),
        "mark_session_days": sessions.annotate(value=Sum(day)),
        "mark_session_variations": sessions.annotate(value=Sum("variation_id")),
        "mark_sets": sets.annotate(value=Count("pk")),
        "mark_last_set": sets.annotate(value=Max("pk")),
        "mark_set_revisions": sets.annotate(value=Sum("revision")),
    }
    return {name: Coalesce(Subquery(part.values("value")), 0) for name, part in parts.items()}


def log_mark(user) -> tuple[int, ...]:
    """The trainee's log as `_mark_parts` sees it, read when the duplicates are looked up."""
    parts = _mark_parts(OuterRef("user"))
    return tuple(
        Profile.objects.filter(user=user).annotate(**parts).values_list(*parts).first() or ()
    )


def lock_if_unchanged(user, mark: tuple[int, ...]) -> bool:
    """Take the trainee's row lock with one UPDATE (the first write of the import's short
    transaction), and say whether their log still has the `mark` it had at the preview."""
    parts = _mark_parts(OuterRef("user"))
    # A preview made before the mark had its present parts says nothing of them: changed.
    known = len(mark) == len(parts)
    unchanged = dict(zip(parts, mark, strict=True)) if known else {}
    touched = Profile.objects.filter(user=user).alias(**parts).filter(**unchanged)
    if touched.update(unit=F("unit")):
        return known
    Profile.objects.filter(user=user).update(unit=F("unit"))  # the lock, all the same
    return False


def drop_duplicates(
    user, planned: list[PlannedSession]
) -> tuple[list[PlannedSession], list[PlannedSession]]:
    """Split the planned sessions into those to add and those the user already has.

    A planned session is in the log when it was imported before from the same workout of
    the same app (TrainingSession.import_key), however its sets were edited here since, or
    else when a logged session of the same date and variation holds every one of its sets:
    the same session (same sets in order), or part of an export cut short, which would
    otherwise copy those sets again. The sets a planned session matched are used up, so a
    session logged twice in the file and once in the log is added once; a logged session
    with the very same sets is matched first.
    """
    imported = _imported_before(user, planned)
    logged = [session for session in planned if session.import_key in imported]
    planned = [session for session in planned if session.import_key not in imported]
    if not planned:
        return [], logged
    logged_sessions = _logged_sessions(
        user,
        min(session.date for session in planned),
        max(session.date for session in planned),
    )
    unmatched = [(key, Counter(key[2])) for key in logged_sessions]
    new = []
    for session in planned:
        key = session.fingerprint()
        wanted = Counter(key[2])
        candidates = [
            (logged_key != key, index)
            for index, (logged_key, left) in enumerate(unmatched)
            if logged_key[:2] == key[:2] and wanted <= left
        ]
        if candidates:
            _, index = min(candidates)  # an identical session before a larger one
            unmatched[index][1].subtract(wanted)
            logged.append(session)
        else:
            new.append(session)
    return new, logged


def days_logged(user, sessions: list[PlannedSession]) -> set[tuple]:
    """The (date, variation id) of the user's sessions on the days of `sessions`."""
    if not sessions:
        return set()
    within = TrainingSession.objects.filter(
        user=user,
        date__gte=min(session.date for session in sessions),
        date__lte=max(session.date for session in sessions),
    )
    return set(within.values_list("date", "variation_id"))


def _imported_before(user, planned: list[PlannedSession]) -> set[str]:
    """The planned sessions' import keys that name a session in the user's log."""
    keys = sorted({session.import_key for session in planned if session.import_key})
    found: set[str] = set()
    # In slices: a large file names thousands of workouts, more than SQLite takes at once.
    for start in range(0, len(keys), _KEYS_AT_ONCE):
        named = keys[start : start + _KEYS_AT_ONCE]
        rows = TrainingSession.objects.filter(user=user, import_key__in=named)
        found.update(rows.values_list("import_key", flat=True))
    return found


_KEYS_AT_ONCE = 500


def _logged_sessions(user, first, last) -> list[tuple]:
    """The fingerprints of the user's sessions between the two dates."""
    existing = list(
        TrainingSession.objects.filter(user=user, date__gte=first, date__lte=last).values_list(
            "pk", "date", "variation_id"
        )
    )
    sets_of: defaultdict[int, list[tuple]] = defaultdict(list)
    logged_sets = Set.objects.filter(
        session__user=user, session__date__gte=first, session__date__lte=last
    )
    for row in logged_sets.order_by("session_id", "position").values_list(
        "session_id", "side", "reps", "load_kg", "hold_seconds", "tempo"
    ):
        sets_of[row[0]].append(row[1:])
    return [fingerprint(day, variation_id, sets_of[pk]) for pk, day, variation_id in existing]
