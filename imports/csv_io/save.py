"""The write of a previewed plan: one short transaction that does nothing but INSERT.

Everything is read and checked before it, so the write lock is held only for the INSERTs:
on SQLite it blocks every other trainee's writes while it is held. The sessions and sets
written point to one ImportBatch, which undo.py removes whole.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.db import transaction

from core.text import stored_file_name
from imports.csv_io import duplicates
from imports.csv_io.plan import PlannedSession
from imports.csv_io.preview import Preview, plan_digest
from training import summaries
from training.models import SET_FIELDS, ImportBatch, Set, TrainingSession

_BATCH = 1000


class PreviewOutdated(Exception):
    """The log changed since the preview, so a save would add other sessions than it showed.
    Nothing was saved."""


@dataclass(frozen=True)
class Saved:
    sessions: int
    sets: int
    duplicate_sessions: int  # sessions already in the log, not added again
    batch: ImportBatch | None  # None when there was nothing to add


def save_preview(user, preview: Preview, *, file_name: str = "") -> Saved:
    """Add exactly the sessions the preview shows, all or nothing, as one import; raise
    PreviewOutdated, saving nothing, if the log changed so that they are no longer those."""
    if not preview.new:
        return Saved(sessions=0, sets=0, duplicate_sessions=len(preview.logged), batch=None)
    with transaction.atomic():
        # The first write takes the trainee's row lock, so two imports of one trainee, from
        # a double submit, queue here. If the log changed since the preview, check again
        # now that nothing can slip in.
        if not duplicates.lock_if_unchanged(user, preview.log_mark):
            new, _ = duplicates.drop_duplicates(user, preview.planned)
            if plan_digest(preview.file_hash, new) != preview.digest:
                raise PreviewOutdated
        batch = ImportBatch.objects.create(
            owner=user,
            file_name=stored_file_name(file_name),
            file_hash=preview.file_hash,
            source=preview.source,
            session_count=len(preview.new),
            set_count=preview.set_count,
            duplicate_sessions=len(preview.logged),
            skipped_rows=preview.skipped_rows,
        )
        set_count = _insert(user, preview.new, batch)
    # Once committed, also when the caller's transaction holds this one (the import job's):
    # it unlinks older imports' sessions, which a writer may hold while it waits for the
    # lock on this trainee's points that the insert took (training/summaries.py).
    transaction.on_commit(lambda: _forget_old_imports(user))
    return Saved(
        sessions=len(preview.new),
        sets=set_count,
        duplicate_sessions=len(preview.logged),
        batch=batch,
    )


def _insert(user, planned: list[PlannedSession], batch: ImportBatch) -> int:
    """Write the sessions, their sets and form errors in a few bulk INSERTs; return the sets.

    bulk_create sets the new keys on SQLite 3.35+ and PostgreSQL, which the links need.
    """
    sessions = TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                user=user,
                date=p.date,
                variation=p.variation,
                notes=p.notes,
                import_batch=batch,
                import_key=p.import_key,
            )
            for p in planned
        ],
        batch_size=_BATCH,
    )
    sets = [
        Set(
            session=session,
            position=position,
            import_batch=batch,
            **{name: getattr(s, name) for name in SET_FIELDS},
        )
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
    summaries.sets_changed(
        [session.pk for session in sessions],
        added=summaries.marks_of_new(sets),
    )
    return len(sets)


def _forget_old_imports(user) -> None:
    """Only the last ImportBatch.KEEP imports can be undone; older ones let go of their rows,
    which stay in the log (the links are set to NULL)."""
    stale = list(ImportBatch.objects.beyond_undo(user).values_list("pk", flat=True))
    if stale:
        ImportBatch.objects.filter(pk__in=stale).delete()
