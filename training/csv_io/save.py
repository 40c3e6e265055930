"""The write of a checked plan: one short transaction that does nothing but INSERT.

Everything is read and checked before it, so the write lock is held only for the INSERTs:
on SQLite it blocks every other trainee's writes while it is held.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from training.csv_io import duplicates
from training.csv_io.plan import PlannedSession
from training.models import SET_FIELDS, Profile, Set, TrainingSession, log_version_bumped

_BATCH = 1000


@dataclass(frozen=True)
class Saved:
    sessions: int
    sets: int
    duplicate_sessions: int  # sessions already in the log, not added again


def save_plan(user, planned: list[PlannedSession]) -> Saved:
    """Add the planned sessions the user does not have yet, all or nothing."""
    seen_version = Profile.objects.filter(user=user).values_list("log_version", flat=True).first()
    new, duplicate_count = duplicates.drop_duplicates(user, planned)
    set_count = 0
    if new:
        with transaction.atomic():
            # The version bump is the first write: it takes the write lock (a row lock on
            # PostgreSQL), so two imports of one trainee, from a double submit, queue here.
            # If the log changed since the check, check again now that nothing can slip in.
            bumped = Profile.objects.filter(user=user, log_version=seen_version).update(
                log_version=F("log_version") + 1
            )
            if not bumped:
                Profile.objects.bump_log_version(user.pk)
                new, duplicate_count = duplicates.drop_duplicates(user, planned)
            with log_version_bumped(user.pk):  # the bump above, which the INSERTs skip
                set_count = _insert(user, new) if new else 0
    return Saved(sessions=len(new), sets=set_count, duplicate_sessions=duplicate_count)


def _insert(user, planned: list[PlannedSession]) -> int:
    """Write the sessions, their sets and form errors in a few bulk INSERTs; return the sets.

    bulk_create sets the new keys on SQLite 3.35+ and PostgreSQL, which the links need. The
    caller has bumped the log version already, in the same transaction.
    """
    sessions = TrainingSession.objects.bulk_create(
        [
            TrainingSession(user=user, date=p.date, variation=p.variation, notes=p.notes)
            for p in planned
        ],
        batch_size=_BATCH,
    )
    sets = [
        Set(session=session, position=position, **{name: getattr(s, name) for name in SET_FIELDS})
        for session, plan in zip(sessions, planned, strict=True)
        for position, s in enumerate(plan.sets, start=1)
    ]
    Set.objects.bulk_create(sets, batch_size=_BATCH)
    planned_sets = itertools.chain.from_iterable(plan.sets for plan in planned)
    link = Set.form_errors.through
    link.objects.bulk_create(
        [
            link(set_id=saved.pk, formerror_id=error)
            for saved, s in zip(sets, planned_sets, strict=True)
            for error in s.form_errors
        ],
        batch_size=_BATCH,
    )
    return len(sets)
