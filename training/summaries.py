"""The log's summaries, kept on write so the log's pages read a few rows, not the history:
each session's `set_count` and SessionTotals, and each trainee's AlikeSets (the records).

`sets_changed` is the one place they change. Every write of sets or sessions calls it in
its own transaction: single rows through the receivers in training/signals.py (a set or
session saved or deleted), bulk writes (bulk_create, bulk_update, an import's undo) by
their service. `rebuild` makes them again from the sets, for a migration or a restore.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Min, QuerySet

from core.prepared import Prepared
from training import sides
from training.models import (
    TOTAL_FIELDS,
    AlikeSets,
    SessionTotals,
    Set,
    TrainingSession,
    work_total,
)

# What makes sets alike for a record, and the day one was done: (user, variation, side,
# reps, load_kg, hold_seconds, day).
MARK_FIELDS = (
    "session__user_id",
    "session__variation_id",
    "side",
    "reps",
    "load_kg",
    "hold_seconds",
    "session__date",
)
_GROUP = ("user_id", "variation_id", "side", "reps", "load_kg", "hold_seconds")
_TOTALS = [name for name in TOTAL_FIELDS if name != "set_count"] + [
    f"{side}_work_lb" for side in sides.NAMED
]
_BATCH = 500


def marks_of(sets: QuerySet[Set]) -> Counter:
    """How many of `sets` each (group, day) has: what sets_changed is told was added or
    removed."""
    return Counter(sets.order_by().values_list(*MARK_FIELDS))


def marks_of_new(sets: Iterable[Set]) -> Counter:
    """The marks of sets just made, read off them and their sessions (no query): each set's
    values as the database gives them back ("12.5" as 12.5, "10" as 10)."""
    fields = [Set._meta.get_field(name) for name in MARK_FIELDS[2:6]]
    to_day = TrainingSession._meta.get_field("date").to_python
    return Counter(
        (
            new.session.user_id,
            new.session.variation_id,
            *(field.to_python(getattr(new, field.name)) for field in fields),
            to_day(new.session.date),
        )
        for new in sets
    )


def sessions_of(sets: QuerySet[Set]) -> set[int]:
    return set(sets.order_by().values_list("session_id", flat=True).distinct())


def sets_changed(
    sessions: Iterable[int] = (),
    *,
    removed: Counter | None = None,
    added: Counter | None = None,
    locked: bool = False,
) -> None:
    """Bring the summaries up to date after sets were added, removed or changed.

    `sessions` are those whose sets changed (their totals are counted again from their own
    sets); `removed` and `added` are the marks of the sets as they were and are. An added
    mark is counted in; a group that lost a set is counted again from the trainee's sets,
    so a removal never trusts a count that a raw UPDATE elsewhere may have left behind.
    `locked`: the caller locked the sessions' rows in this transaction before writing their
    sets (services.add_set), so they are not locked again.
    """
    # In the writer's transaction (no savepoint of its own), or one of its own without.
    with transaction.atomic(savepoint=False):
        delta = Counter(added or {})
        delta.subtract(removed or {})
        sessions = sorted(set(sessions))
        for start in range(0, len(sessions), _BATCH):
            batch = set(sessions[start : start + _BATCH])
            _recount_sessions(batch, some_emptied=bool(removed), locked=locked)
        _add_marks({mark: n for mark, n in delta.items() if n > 0})
        _recount_groups({mark[:6] for mark, n in delta.items() if n < 0})


def _recount_sessions(session_ids: set[int], *, some_emptied: bool, locked: bool) -> None:
    """Count the sessions' sets and totals again from their own sets, in statements that
    write as they read (UPDATE ... SELECT, INSERT ... SELECT): an import's transaction
    holds its write lock for writes alone."""
    if not session_ids:
        return
    sessions = TrainingSession.objects.filter(pk__in=session_ids)
    if not locked:
        # Their rows locked first (an UPDATE that changes nothing, a write an import may
        # make): a writer of the same session meanwhile has committed before the counts
        # below start, so they count its sets. Counted in the locking statement itself,
        # PostgreSQL would read them as of before the wait.
        sessions.update(set_count=F("set_count"))
    # Written out: the ORM took longer to build this statement than the engine to run it.
    counted, sets = (connection.ops.quote_name(m._meta.db_table) for m in (TrainingSession, Set))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {counted} SET set_count = (SELECT COUNT(*) FROM {sets} "
            f"WHERE {sets}.session_id = {counted}.id) "
            f"WHERE id IN ({', '.join(['%s'] * len(session_ids))})",
            list(session_ids),
        )
    if some_emptied:
        SessionTotals.objects.filter(session_id__in=session_ids, session__set_count=0).delete()
    select, params = _TOTALS_OF.sql_with_params(*session_ids)
    table = connection.ops.quote_name(SessionTotals._meta.db_table)
    names = ["session_id", *_TOTALS]  # the select's columns: the pk, then the totals
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    updates = ", ".join(f"{name} = excluded.{name}" for name in names[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {select} "
            f"ON CONFLICT (session_id) DO UPDATE SET {updates}",
            params,
        )


def _totals_of(*session_ids: int) -> QuerySet:
    return (
        TrainingSession.objects.filter(pk__in=session_ids, set_count__gt=0)
        .with_totals()
        .annotate(**{f"{side}_work_lb": work_total(side, "lb") for side in sides.NAMED})
        .values("pk", *_TOTALS)
        .order_by()
    )


# Compiled once for each number of sessions: Django took longer to build this annotated
# query than the engine to run it.
_TOTALS_OF = Prepared(_totals_of)


def _add_marks(added: dict[tuple, int]) -> None:
    """Count added sets into their groups, a group's first day the earlier of the two: one
    INSERT ... ON CONFLICT, so two writers of one group add up instead of clashing."""
    if not added:
        return
    firsts: dict[tuple, tuple] = {}
    for mark, n in added.items():
        group, day = mark[:6], mark[6]
        count, first = firsts.get(group, (0, day))
        firsts[group] = (count + n, min(first, day))
    table = connection.ops.quote_name(AlikeSets._meta.db_table)
    columns = ", ".join(_GROUP)
    earlier = "LEAST" if connection.vendor == "postgresql" else "MIN"
    rows = [
        (*group[:4], connection.ops.adapt_decimalfield_value(group[4], 16, 10), group[5], *first)
        for group, first in firsts.items()
    ]
    for start in range(0, len(rows), _BATCH):
        batch = rows[start : start + _BATCH]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}, set_count, first_day) VALUES {values} "
                f"ON CONFLICT ({columns}) DO UPDATE SET "
                f"set_count = {table}.set_count + excluded.set_count, "
                f"first_day = {earlier}({table}.first_day, excluded.first_day)",
                [value for row in batch for value in row],
            )


def _recount_groups(groups: set[tuple]) -> None:
    """Count groups that lost sets again from the trainee's sets; an emptied one goes."""
    for group in groups:
        user_id, variation_id, side, reps, load_kg, hold_seconds = group
        where = AlikeSets.objects.filter(**dict(zip(_GROUP, group, strict=True)))
        # Locked before counting, as the sessions are: a writer of the group meanwhile
        # (an added set counted in, another removal) has committed before the count.
        if not list(where.select_for_update().values_list("pk", flat=True)):
            continue
        found = Set.objects.filter(
            session__user_id=user_id,
            session__variation_id=variation_id,
            side=side,
            reps=reps,
            load_kg=load_kg,
            hold_seconds=hold_seconds,
        ).aggregate(count=Count("pk"), first_day=Min("session__date"))
        if found["count"]:
            where.update(set_count=found["count"], first_day=found["first_day"])
        else:
            where.delete()


def rebuild(users: QuerySet | None = None) -> None:
    """Make every summary again from the sets, for `users` (everyone when None)."""
    sessions = TrainingSession.objects.all()
    groups = AlikeSets.objects.all()
    if users is not None:
        sessions = sessions.filter(user__in=users)
        groups = groups.filter(user__in=users)
    with transaction.atomic():
        groups.delete()
        SessionTotals.objects.filter(session__in=sessions).delete()
        sessions.filter(set_count__gt=0).update(set_count=0)
        sets_changed(sessions.filter(sets__isnull=False).values_list("pk", flat=True).distinct())
        AlikeSets.objects.bulk_create(
            (
                AlikeSets(
                    **dict(zip(_GROUP, row[:6], strict=True)), first_day=row[6], set_count=row[7]
                )
                for row in Set.objects.filter(session__in=sessions)
                .values_list(*MARK_FIELDS[:6])
                .annotate(first_day=Min("session__date"), count=Count("pk"))
                .order_by()
                .iterator(chunk_size=2000)
            ),
            batch_size=_BATCH,
        )
