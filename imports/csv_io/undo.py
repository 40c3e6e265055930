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
    kept_sessions: int  # sessions of the import kept for what was added to them since


def undo_import(batch: ImportBatch) -> Undone:
    """Delete the batch's sets, then its sessions that hold nothing else now.

    A session keeps what was logged into it after the import (a set typed by hand, a coach's
    note) and so stays, with only the imported sets gone. Sets edited since the import are
    still the import's and go.
    """
    user_id = batch.owner_id
    with transaction.atomic():
        # The trainee's row lock first (PostgreSQL; SQLite's IMMEDIATE transactions hold the
        # write lock already), so a double submit undoes the import once.
        list(Profile.objects.select_for_update().filter(user_id=user_id).values_list("pk"))
        sets = list(Set.objects.filter(import_batch=batch))
        removed = summaries.marks_of(Set.objects.filter(import_batch=batch))
        touched = summaries.sessions_of(Set.objects.filter(import_batch=batch))
        _delete(sets)
        sessions = TrainingSession.objects.filter(import_batch=batch)
        empty = sessions.filter(sets__isnull=True, coach_notes__isnull=True)
        emptied = list(empty.distinct())
        kept = sessions.count() - len(emptied)
        _delete(emptied)
        batch.delete()
        # Deleted without an origin the summaries' receivers know: counted here, once.
        summaries.sets_changed(touched - {s.pk for s in emptied}, removed=removed)
    return Undone(sets=len(sets), sessions=len(emptied), kept_sessions=kept)


def _delete(rows: list) -> None:
    if not rows:
        return
    collector = Collector(using=router.db_for_write(type(rows[0])))
    collector.collect(rows)
    collector.delete()
