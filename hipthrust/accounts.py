"""Closing an account: the trainee (or coach) asks, and everything of theirs is deleted.

Closing is one quick transaction: the account can no longer sign in (Django refuses an
inactive account on every request, so it is signed out on every device at once) and is
marked closed (Profile.closed_at). The deletion itself is a background job, because it is
as large as the log: deleting a trainee with 100,000 sets in one go took longer than any
request may, and on PostgreSQL failed outright (more than 65,535 parameters in one query).
The job deletes the largest parts, sets and then sessions, in batches of BATCH rows, each
batch its own transaction, until JOB_SECONDS have passed, then queues itself again; the
account row goes last, with what remains (videos and their files, coaching links, notes,
the audit entries of what they did for their athletes, imports, summaries), except the
links it ended as it closed, kept without it so that each coach, or athlete, is told
(CoachLink.closed_account). A worker killed between batches loses nothing that should
stay: `requeue_videos` queues closed accounts still there again.
"""

from __future__ import annotations

import datetime
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import router, transaction
from django.db.models import Model, Q, QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone
from django_tasks import task

from coaches.models import AuditEntry, CoachLink
from training.models import Profile, Set, TrainingSession

BATCH = 2_000  # rows a transaction deletes (ours): about a quarter of a second of sets
JOB_SECONDS = 20  # a job's budget before it queues the rest (ours); one batch may run over it
# A closed account still there this long after closing had its job lost (a killed worker):
# requeue_videos queues it again. Far longer than any closing takes.
STALE_AFTER = datetime.timedelta(minutes=10)


def close(user: AbstractBaseUser) -> None:
    """Refuse the account from now on and queue its deletion when that commits."""
    with transaction.atomic():
        get_user_model()._default_manager.filter(pk=user.pk).update(is_active=False)
        closed_at = timezone.now()
        Profile.objects.update_or_create(user=user, defaults={"closed_at": closed_at})
        # Their coaches and athletes are told (CoachLink.closed_account), the links kept
        # without them.
        CoachLink.objects.filter(Q(athlete=user) | Q(coach=user)).active().update(
            ended_at=closed_at, ended_by=user, closed_account=True
        )
        transaction.on_commit(lambda: delete_closed_account.enqueue(user.pk))


def _largest_parts(user: AbstractBaseUser) -> list[QuerySet]:
    return [Set.objects.filter(session__user=user), TrainingSession.objects.filter(user=user)]


def _delete_batch(rows: QuerySet, user: AbstractBaseUser) -> bool:
    """Delete up to BATCH of `rows`, with what hangs on them; False when there were none."""
    model: type[Model] = rows.model
    ids = list(rows.order_by().values_list("pk", flat=True)[:BATCH])
    if not ids:
        return False
    with transaction.atomic():
        # Started at the account: the log's summaries, which go with it, are not kept up
        # to date row by row (training/signals.py).
        collector = Collector(using=router.db_for_write(model), origin=user)
        collector.collect(model.objects.filter(pk__in=ids))
        collector.delete()
    return True


def delete_some(user_id: int, seconds: float) -> bool:
    """Delete the closed account `user_id`, or as much of it as `seconds` allow; True once
    nothing of it is left (also when there was no such closed account)."""
    user = get_user_model()._default_manager.filter(pk=user_id, profile__closed_at__isnull=False)
    user = user.first()
    if user is None:
        return True
    deadline = time.monotonic() + seconds
    for rows in _largest_parts(user):
        while _delete_batch(rows, user):
            if time.monotonic() > deadline:
                return False
    with transaction.atomic():
        closed_by_them = CoachLink.objects.filter(ended_by=user, closed_account=True)
        closed_by_them.filter(athlete=user).update(athlete=None)
        closed_by_them.filter(coach=user).update(coach=None)
        # What they did for others, in their words ("Note on ...: <the note>"): the closing
        # page promises that what a coach wrote for their athletes goes. The audit's actor
        # alone would only be set to nobody, the words kept.
        AuditEntry.objects.filter(actor=user).delete()
        user.delete()
    return True


@task()
def delete_closed_account(user_id: int) -> str:
    if delete_some(user_id, JOB_SECONDS):
        return "deleted"
    delete_closed_account.enqueue(user_id)
    return "continues"


def requeue_stale() -> int:
    """Queue again the deletion of accounts closed long ago and still there."""
    closed = list(unfinished())
    for user_id in closed:
        delete_closed_account.enqueue(user_id)
    return len(closed)


def unfinished() -> QuerySet:
    """The ids of accounts closed longer ago than STALE_AFTER and not yet deleted."""
    stale = timezone.now() - STALE_AFTER
    return Profile.objects.filter(closed_at__lt=stale).values_list("user_id", flat=True)
