"""The log's summaries, kept on write so the log's pages read a few rows, not the history:
each session's `set_count` and SessionTotals, each trainee's AlikeSets (the records) and
ProgressPoints (the progress page's sessions, weeks and months).

`sets_changed` is the one place they change. Every write of sets or sessions calls it in
its own transaction: single rows through the receivers in training/signals.py (a set or
session saved or deleted), bulk writes (bulk_create, bulk_update, an import's undo) by
their service. The progress points alone are made when read: a write marks its weeks
(StaleProgressWeek) and `make_points_current` counts them again for the progress page.
`rebuild` makes them all again from the sets, for a migration or a restore.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Count, F, Min, QuerySet

from core.prepared import Prepared
from training import sides, thinning
from training.models import (
    TOTAL_FIELDS,
    AlikeSets,
    ProgressPoints,
    SessionTotals,
    Set,
    StaleProgressWeek,
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
    counted: bool = False,
) -> None:
    """Bring the summaries up to date after sets were added, removed or changed.

    `sessions` are those whose sets changed (their totals are counted again from their own
    sets); `removed` and `added` are the marks of the sets as they were and are. An added
    mark is counted in; a group that lost a set is counted again from the trainee's sets,
    so a removal never trusts a count that a raw UPDATE elsewhere may have left behind.
    `counted`: the caller counted the sets it added into the sessions' set counts before
    writing them, which locked their rows (services.add_set), so neither is done again.
    """
    # In the writer's transaction (no savepoint of its own), or one of its own without.
    with transaction.atomic(savepoint=False):
        delta = Counter(added or {})
        delta.subtract(removed or {})
        writes = _Writes()
        sessions = sorted(set(sessions))
        for start in range(0, len(sessions), _BATCH):
            batch = set(sessions[start : start + _BATCH])
            _recount_sessions(writes, batch, some_emptied=bool(removed), counted=counted)
        _add_marks(writes, {mark: n for mark, n in delta.items() if n > 0})
        _recount_groups(writes, {mark[:6] for mark, n in delta.items() if n < 0})
        _mark_weeks_stale(writes, [*(removed or ()), *(added or ())])


class _Writes:
    """The summaries' INSERTs, which give nothing back, run in the order they are added.

    On PostgreSQL as one statement, each INSERT a part of a WITH that starts once the part
    before it is done, so the rows and the points lock are taken in the same order as one
    by one, without a round trip each (adding a set writes three). SQLite, in the process,
    runs them one by one. A statement run on its own runs them first (`run`), so every
    write keeps its place.
    """

    # PostgreSQL takes at most 65,535 values in one statement: an import's thousands of
    # groups go in several.
    MOST_VALUES = 30_000

    def __init__(self) -> None:
        self.parts: list[tuple[str, str, str, list]] = []
        self.values = 0

    def add(self, into: str, select: str, conflict: str, params: list) -> None:
        """INSERT INTO `into` `select` `conflict`: `select` a SELECT, or VALUES."""
        if self.values + len(params) > self.MOST_VALUES:
            self.run()
        self.parts.append((into, select, conflict, params))
        self.values += len(params)

    def run(self) -> None:
        parts, self.parts, self.values = self.parts, [], 0
        if not parts:
            return
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                for into, select, conflict, params in parts:
                    cursor.execute(f"INSERT INTO {into} {select} {conflict}", params)
                return
            done, every_param = [], []
            for number, (into, select, conflict, params) in enumerate(parts):
                if number:
                    # Its rows only once the part before is all written: a condition of no
                    # row, which PostgreSQL checks before reading any (a One-Time Filter).
                    select = (
                        f"SELECT * FROM ({select}) AS rows_{number} "
                        f"WHERE (SELECT COUNT(*) FROM part_{number - 1}) >= 0"
                    )
                done.append(f"INSERT INTO {into} {select} {conflict}")
                every_param.extend(params)
            *earlier, last = done
            with_parts = ", ".join(
                f"part_{number} AS ({insert} RETURNING 1)" for number, insert in enumerate(earlier)
            )
            cursor.execute(f"WITH {with_parts} {last}" if earlier else last, every_param)


def _recount_sessions(
    writes: _Writes, session_ids: set[int], *, some_emptied: bool, counted: bool
) -> None:
    """Count the sessions' sets (unless their writer counted them in) and totals again from
    their own sets, in statements that write as they read (UPDATE ... SELECT, INSERT ...
    SELECT): an import's transaction holds its write lock for writes alone."""
    if not session_ids:
        return
    if not counted or some_emptied:
        writes.run()
    if not counted:
        # Their rows locked first (an UPDATE that changes nothing, a write an import may
        # make): a writer of the same session meanwhile has committed before the counts
        # below start, so they count its sets. Counted in the locking statement itself,
        # PostgreSQL would read them as of before the wait.
        TrainingSession.objects.filter(pk__in=session_ids).update(set_count=F("set_count"))
        # Written out: the ORM took longer to build this statement than the engine to run it.
        table, sets = (connection.ops.quote_name(m._meta.db_table) for m in (TrainingSession, Set))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET set_count = (SELECT COUNT(*) FROM {sets} "
                f"WHERE {sets}.session_id = {table}.id) "
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
    writes.add(
        f"{table} ({columns})", select, f"ON CONFLICT (session_id) DO UPDATE SET {updates}", params
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


def _add_marks(writes: _Writes, added: dict[tuple, int]) -> None:
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
        writes.add(
            f"{table} ({columns}, set_count, first_day)",
            f"VALUES {values}",
            f"ON CONFLICT ({columns}) DO UPDATE SET "
            f"set_count = {table}.set_count + excluded.set_count, "
            f"first_day = {earlier}({table}.first_day, excluded.first_day)",
            [value for row in batch for value in row],
        )


def _recount_groups(writes: _Writes, groups: set[tuple]) -> None:
    """Count groups that lost sets again from the trainee's sets; an emptied one goes."""
    if groups:
        writes.run()
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


def _mark_weeks_stale(writes: _Writes, marks: Iterable[tuple]) -> None:
    """Mark the weeks of the days the marks name (a session moved to another day names
    both) for make_points_current, in the last of the summaries' writes, which first takes
    each trainee's points lock (PostgreSQL; SQLite lets one writer in at a time already),
    held until the transaction ends; then run the writes.

    The lock keeps a reader from taking the marks while this writer's sets are not yet
    committed: it would count the week without them, and a mark already there (this
    insert then adds nothing) would be gone. Taken after the writer's sessions, totals and
    groups, in trainee order, and no writer locks a session or a group after it (an import
    lets go of older imports' sessions once committed): no two writers wait for each other
    in a circle, and a reader, which takes it first, waits for no writer's rows."""
    weeks = sorted({(mark[0], thinning.week_of(mark[6])) for mark in marks})
    table = connection.ops.quote_name(StaleProgressWeek._meta.db_table)
    for start in range(0, len(weeks), _BATCH):
        batch = weeks[start : start + _BATCH]
        rows = ", ".join(["(%s, %s)"] * len(batch))
        params = [
            value
            for user_id, week in batch
            for value in (user_id, connection.ops.adapt_datefield_value(week))
        ]
        if connection.vendor == "postgresql":
            # The lock is taken as each row is made, before the row goes in (VALUES keeps
            # their order): one statement where a lock and an insert would take two.
            select = (
                f"SELECT v.user_id, CAST(v.week AS date) FROM (VALUES {rows}) AS v(user_id, week) "
                f"CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock({_POINTS_LOCK}, v.user_id)) l"
            )
        else:
            select = f"SELECT * FROM (VALUES {rows}) WHERE true"
        writes.add(
            f"{table} (user_id, week)", select, "ON CONFLICT (user_id, week) DO NOTHING", params
        )
    writes.run()  # the marks last, and every write added before them


def make_points_current(user_id: int) -> None:
    """Make the trainee's progress points of the weeks marked since they were last made
    (and of those weeks' months) again from the sessions' totals, and take the marks."""
    with transaction.atomic():
        _lock_points(user_id)
        table = connection.ops.quote_name(StaleProgressWeek._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE user_id = %s RETURNING week", [user_id])
            to_day = StaleProgressWeek._meta.get_field("week").to_python
            every_week = sorted(to_day(week) for (week,) in cursor.fetchall())
        # In batches, for a bounded statement; a month across two is counted again after.
        for start in range(0, len(every_week), _BATCH):
            weeks = every_week[start : start + _BATCH]
            months = {thinning.month_of(week) for week in weeks}
            months |= {thinning.month_of(week + _SIX_DAYS) for week in weeks}
            months = sorted(months)
            # A week may have lost a session, or all: its rows go before they are made.
            _delete_points(user_id, weeks, months)
            _recount_weeks(user_id, weeks)
            _recount_months(user_id, months)


# The first key of the advisory lock on a trainee's points (the second is their id): a
# number of its own, so no other advisory lock is taken for it.
_POINTS_LOCK = 7_406_001


def _lock_points(user_id: int) -> None:
    """One maker of a trainee's points at a time, and none while a writer that marked their
    weeks has not committed (PostgreSQL; SQLite lets one writer in at a time already).
    Each statement reads as of its start: two makers of one month, each missing the other's
    weeks, would leave it as the last made it. In a statement of its own, so the
    statements after the wait read the writers' committed totals."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_POINTS_LOCK, user_id])


_SIX_DAYS = datetime.timedelta(days=6)
_WEEK = datetime.timedelta(days=7)
_POINT_COLUMNS = (
    "user_id",
    "period",
    "side",
    "start",
    "session_pk",
    "sessions",
    "weeks",
    *(name for series in ProgressPoints.SERIES for name in (series, f"{series}_on")),
)
# Named in full, so the index (user, period, side, start) finds the days of each side.
_EVERY_SIDE = "(" + ", ".join(f"'{side}'" for side in ProgressPoints.SIDES) + ")"
_SERIES_TYPES = {"max_load": "numeric", "work": "numeric", "work_lb": "numeric", "hold": "integer"}


def _date_sql(expression: str, to: str) -> str:
    """The Monday of `expression`'s week (to="week"), its month's first day ("month"), or
    the day six days later ("sunday"), in this database's SQL."""
    if connection.vendor == "postgresql":
        if to == "sunday":
            return f"({expression} + 6)"
        return f"CAST(DATE_TRUNC('{to}', CAST({expression} AS timestamp)) AS date)"
    modifier = {
        "week": "'weekday 0', '-6 days'",
        "month": "'start of month'",
        "sunday": "'+6 days'",
    }
    return f"DATE({expression}, {modifier[to]})"


def _within(column: str, starts: list[datetime.date], end_of) -> tuple[str, list]:
    """`column` within any of the periods starting on `starts` (sorted) and ending (not
    included) on `end_of(start)`, adjoining ones merged: its SQL and parameters."""
    spans: list[list[datetime.date]] = []
    for start in starts:
        if spans and spans[-1][1] >= start:
            spans[-1][1] = max(spans[-1][1], end_of(start))
        else:
            spans.append([start, end_of(start)])
    sql = " OR ".join([f"({column} >= %s AND {column} < %s)"] * len(spans))
    return f"({sql})", [connection.ops.adapt_datefield_value(day) for span in spans for day in span]


def _delete_points(user_id: int, weeks: list[datetime.date], months: list[datetime.date]) -> None:
    """Delete the trainee's rows of the weeks (theirs and their sessions') and months, in
    one statement: the months are made from the weeks, never from their old rows."""
    table = connection.ops.quote_name(ProgressPoints._meta.db_table)
    start = connection.ops.quote_name("start")
    in_weeks, weeks_params = _within(start, weeks, lambda week: week + _WEEK)
    in_months, months_params = _within(start, months, _next_month)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE user_id = %s AND side IN {_EVERY_SIDE} AND ("
            f"(period IN (%s, %s) AND {in_weeks}) OR (period = %s AND {in_months}))",
            [
                user_id,
                ProgressPoints.SESSION,
                ProgressPoints.WEEK,
                *weeks_params,
                ProgressPoints.MONTH,
                *months_params,
            ],
        )


def _write_points(select: str, params: list) -> None:
    """Insert `select`'s rows (the columns of _POINT_COLUMNS), _delete_points having made
    room for them."""
    table = connection.ops.quote_name(ProgressPoints._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in _POINT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {select}", params)


def _recount_weeks(user_id: int, weeks: list[datetime.date]) -> None:
    """The rows of the weeks' sessions, per side the session's totals, and the weeks' own,
    per side its sessions and each series' best with the earliest day it was reached: in
    one statement, from the sessions' totals."""
    totals = connection.ops.quote_name(SessionTotals._meta.db_table)
    sessions = connection.ops.quote_name(TrainingSession._meta.db_table)
    within, within_params = _within("s.date", weeks, lambda start: start + _WEEK)
    parts, params = [], []
    for side in ProgressPoints.SIDES:
        if side == ProgressPoints.ANY_SIDE:
            values = [
                f"CAST(NULL AS {_SERIES_TYPES[name]}) AS {name}" for name in ProgressPoints.SERIES
            ]
            has_side = "1 = 1"
        else:
            values = [f"t.{side}_{name} AS {name}" for name in ProgressPoints.SERIES]
            has_side = f"t.{side}_sets > 0"
        parts.append(
            f"SELECT s.user_id AS user_id, '{side}' AS side, {_date_sql('s.date', 'week')} AS wk, "
            f"s.date AS on_day, s.id AS session_pk, {', '.join(values)} FROM {totals} t "
            f"JOIN {sessions} s ON s.id = t.session_id "
            f"WHERE s.user_id = %s AND {has_side} AND {within}"
        )
        params += [user_id, *within_params]
    each = " UNION ALL ".join(parts)
    tops = ", ".join(
        f"MAX({name}) OVER (PARTITION BY side, wk) AS top_{name}" for name in ProgressPoints.SERIES
    )
    bests = ", ".join(
        f"MAX({name}), MIN(CASE WHEN {name} = top_{name} THEN on_day END)"
        for name in ProgressPoints.SERIES
    )
    as_sessions = ", ".join(
        f"{name}, CASE WHEN {name} IS NOT NULL THEN on_day END" for name in ProgressPoints.SERIES
    )
    select = (
        f"SELECT user_id, '{ProgressPoints.SESSION}', side, on_day, session_pk, 1, 0, "
        f"{as_sessions} FROM ({each}) e UNION ALL "
        f"SELECT user_id, '{ProgressPoints.WEEK}', side, wk, 0, COUNT(*), 1, {bests} "
        f"FROM (SELECT p.*, {tops} FROM ({each}) p) q GROUP BY user_id, side, wk"
    )
    _write_points(select, params * 2)


def _next_month(day: datetime.date) -> datetime.date:
    return (day + datetime.timedelta(days=31)).replace(day=1)


def _recount_months(user_id: int, months: list[datetime.date]) -> None:
    """The months' rows from the weeks overlapping them: the sessions and weeks of those
    starting in each, and per series the best of the weeks whose best day falls in it."""
    table = connection.ops.quote_name(ProgressPoints._meta.db_table)
    start = connection.ops.quote_name("start")
    # A week overlapping a month starts at most six days before it.
    firsts = [month - _SIX_DAYS for month in months]
    overlapping, overlapping_params = _within(
        start, firsts, lambda first: _next_month(first + _SIX_DAYS)
    )
    from_weeks = (
        f"FROM {table} WHERE user_id = %s AND period = '{ProgressPoints.WEEK}' "
        f"AND side IN {_EVERY_SIDE} AND {overlapping}"
    )

    def part(month_of: str, counts: str, best: str | None = None) -> str:
        values = [
            f"{series}, {series}_on"
            if series == best
            else f"CAST(NULL AS {_SERIES_TYPES[series]}) AS {series}, "
            f"CAST(NULL AS date) AS {series}_on"
            for series in ProgressPoints.SERIES
        ]
        on = f" AND {best}_on IS NOT NULL" if best else ""
        return (
            f"SELECT user_id, side, {_date_sql(month_of, 'month')} AS mo, {counts}, "
            f"{', '.join(values)} {from_weeks}{on}"
        )

    parts = [
        part(start, "sessions, weeks"),
        part(_date_sql(start, "sunday"), "0, 0"),
        *(part(f"{series}_on", "0, 0", series) for series in ProgressPoints.SERIES),
    ]
    union = " UNION ALL ".join(parts)
    tops = ", ".join(
        f"MAX({series}) OVER (PARTITION BY side, mo) AS top_{series}"
        for series in ProgressPoints.SERIES
    )
    bests = ", ".join(
        f"MAX({series}), MIN(CASE WHEN {series} = top_{series} THEN {series}_on END)"
        for series in ProgressPoints.SERIES
    )
    in_months = ", ".join(["%s"] * len(months))
    select = (
        f"SELECT user_id, '{ProgressPoints.MONTH}', side, mo, 0, SUM(sessions), SUM(weeks), "
        f"{bests} "
        f"FROM (SELECT p.*, {tops} FROM ({union}) p) q WHERE mo IN ({in_months}) "
        "GROUP BY user_id, side, mo"
    )
    params = [user_id, *overlapping_params] * len(parts) + [
        connection.ops.adapt_datefield_value(month) for month in months
    ]
    _write_points(select, params)


def points_of(totals: QuerySet) -> Iterator[dict]:
    """The ProgressPoints of the trainees whose sessions' `totals` these are, made from them
    (thinning.period_rows): one trainee at a time, each session read once."""
    rows = (
        totals.order_by("session__user_id", "session__date", "session_id")
        .values_list(
            "session__user_id",
            "session__date",
            "session_id",
            *(f"{side}_sets" for side in sides.NAMED),
            *(f"{side}_{series}" for side in sides.NAMED for series in ProgressPoints.SERIES),
        )
        .iterator(chunk_size=2000)
    )
    width = len(ProgressPoints.SERIES)
    for user_id, sessions in itertools.groupby(rows, key=lambda row: row[0]):
        by_side: dict[str, list] = {side: [] for side in sides.NAMED}
        every = []
        for _, day, pk, *counts_and_values in sessions:
            counts, values = counts_and_values[:3], counts_and_values[3:]
            every.append((day, pk, ()))
            for n, side in enumerate(sides.NAMED):
                if counts[n]:
                    by_side[side].append((day, pk, values[n * width : (n + 1) * width]))
        for row in thinning.period_rows(by_side, ProgressPoints.SERIES):
            yield {"user_id": user_id, **row}
        for row in thinning.period_rows({ProgressPoints.ANY_SIDE: every}, ()):
            yield {"user_id": user_id, **row}


def rebuild(users: QuerySet | None = None) -> None:
    """Make every summary again from the sets, for `users` (everyone when None)."""
    sessions = TrainingSession.objects.all()
    groups = AlikeSets.objects.all()
    points = ProgressPoints.objects.all()
    if users is not None:
        sessions = sessions.filter(user__in=users)
        groups = groups.filter(user__in=users)
        points = points.filter(user__in=users)
    with transaction.atomic():
        groups.delete()
        SessionTotals.objects.filter(session__in=sessions).delete()
        sessions.filter(set_count__gt=0).update(set_count=0)
        sets_changed(sessions.filter(sets__isnull=False).values_list("pk", flat=True).distinct())
        points.delete()
        ProgressPoints.objects.bulk_create(
            (
                ProgressPoints(**row)
                for row in points_of(SessionTotals.objects.filter(session__in=sessions))
            ),
            batch_size=_BATCH,
        )
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
