"""Sessions of a file the trainee already has in the log, left out of the import."""

from __future__ import annotations

from collections import Counter, defaultdict

from training.csv_io.plan import PlannedSession, fingerprint
from training.models import Set, TrainingSession


def drop_duplicates(
    user, planned: list[PlannedSession]
) -> tuple[list[PlannedSession], list[PlannedSession]]:
    """Split the planned sessions into those to add and those the user already has (same
    date, variation and sets in order).

    Each logged session accounts for one planned session, so a session logged twice in
    the file and once in the log is added once.
    """
    if not planned:
        return [], []
    have = _logged_fingerprints(
        user,
        min(session.date for session in planned),
        max(session.date for session in planned),
    )
    new, logged = [], []
    for session in planned:
        key = session.fingerprint()
        if have[key]:
            have[key] -= 1
            logged.append(session)
        else:
            new.append(session)
    return new, logged


def _logged_fingerprints(user, first, last) -> Counter[tuple]:
    """How many of the user's sessions between the two dates have each fingerprint."""
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
    return Counter(
        fingerprint(day, variation_id, sets_of[pk]) for pk, day, variation_id in existing
    )
