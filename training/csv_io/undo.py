"""Undo one import: remove the sets and sessions it added, and nothing else, all at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import router, transaction
from django.db.models.deletion import Collector

from training.models import ImportBatch, Profile, Set, TrainingSession, log_version_bumped


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
        # One bump, first: it takes the write lock, and the deletes below skip their own.
        Profile.objects.bump_log_version(user_id)
        with log_version_bumped(user_id):
            # The sets come with their session, which the delete signals read the owner from
            # (without it, each set's signal would look its trainee up again).
            sets = list(Set.objects.filter(import_batch=batch).select_related("session"))
            _delete(sets)
            sessions = TrainingSession.objects.filter(import_batch=batch)
            empty = sessions.filter(sets__isnull=True, coach_notes__isnull=True)
            emptied = list(empty.distinct())
            kept = sessions.count() - len(emptied)
            _delete(emptied)
            batch.delete()
    return Undone(sets=len(sets), sessions=len(emptied), kept_sessions=kept)


def _delete(rows: list) -> None:
    if not rows:
        return
    collector = Collector(using=router.db_for_write(type(rows[0])))
    collector.collect(rows)
    collector.delete()
