"""Undo one import: remove the sets and sessions it added, and nothing else, all at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import router, transaction
from django.db.models.deletion import Collector

from training import summaries
from training.models import ImportBatch, Profile, Set, TrainingSession


@dataclass(frozen=True)
class Undone:
    sets: int
    sessions: int
    kept_sets: int  # sets of the import kept for a coach's note or a video on them
    kept_sessions: int  # sessions of the import kept for what was added to them since


def undo_import(batch: ImportBatch) -> Undone:
    """Delete the batch's sets, then its sessions that hold nothing else now.

    What others wrote and what the trainee filmed is never taken with it: a set with a
    coach's note or a video stays, and so does a session holding anything added after the
    import (a set typed by hand, a coach's note, a video), with only the rest of the
    imported sets gone; it forgets which workout it was imported from, so importing the file
    again brings the rest back. Sets edited since the import are still the import's and go.
    """
    user_id = batch.owner_id
    with transaction.atomic():
        # The trainee's row lock first (PostgreSQL; SQLite's IMMEDIATE transactions hold the
        # write lock already), so a double submit undoes the import once.
        list(Profile.objects.select_for_update().filter(user_id=user_id).values_list("pk"))
        imported = Set.objects.filter(import_batch=batch)
        bare = imported.without_notes_or_videos()
        sets = list(bare)
        kept_sets = imported.count() - len(sets)
        removed = summaries.marks_of(bare)
        touched = summaries.sessions_of(bare)
        _delete(sets)
        sessions = TrainingSession.objects.filter(import_batch=batch)
        # By its rows, not its set_count: the summaries are counted once the sets are gone.
        empty = sessions.filter(sets__isnull=True).without_notes_or_videos()
        emptied = list(empty.distinct())
        kept_sessions = sessions.count() - len(emptied)
        _delete(emptied)
        # A session kept holds only part of the workout now: no longer that workout as
        # imported, or importing the file again would skip the sets this took away.
        sessions.exclude(import_key="").update(import_key="")
        batch.delete()  # what stays is no longer the import's (SET_NULL)
        # Deleted without an origin the summaries' receivers know: counted here, once.
        summaries.sets_changed(touched - {s.pk for s in emptied}, removed=removed)
    return Undone(
        sets=len(sets), sessions=len(emptied), kept_sets=kept_sets, kept_sessions=kept_sessions
    )


def _delete(rows: list) -> None:
    if not rows:
        return
    collector = Collector(using=router.db_for_write(type(rows[0])))
    collector.collect(rows)
    collector.delete()
