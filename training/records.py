"""Records, balance between sides and chart data, aggregated in the database."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import mark_safe

from coaching.models import Variation
from core.prepared import Prepared
from training import balance as review
from training import charts, progression, sides, summaries, thinning
from training.models import (
    AlikeSets,
    LevelChange,
    ProgressPoints,
    Side,
    TrainingSession,
)
from training.thinning import MAX_CHART_POINTS
from training.units import format_load, format_number, from_kg


def session_balance(session: TrainingSession) -> review.Balance | None:
    """Work per side from a session annotated by SessionQuerySet.with_totals() (or a plain
    row of the same totals); None unless both sides have sets with reps (review.between)."""
    if not (session.left_sets and session.right_sets):
        return None
    return review.between(session.left_work, session.right_work)


# The newest sessions a balance note judges, on Today and the progress page alike (our own
# choice: the sessions Today lists).
NOTE_SESSIONS = 5


def balance_note(sessions: list[TrainingSession], today: datetime.date | None = None) -> str | None:
    """A plain sentence when one side lags (review.lags) over the NOTE_SESSIONS newest of
    `sessions` (newest first). After a long break (progression.long_gap) before `today`, it
    names the days of those sessions, so it does not read as how the sides do now."""
    newest = sessions[:NOTE_SESSIONS]
    judged = [(s, b) for s, b in ((s, session_balance(s)) for s in newest) if b is not None]
    total = review.combined(b for _, b in judged)
    if not review.lags(total.asymmetry):
        return None
    stronger = "right" if total.weaker == "left" else "left"
    count = len(judged)
    span = "your last session" if count == 1 else f"your last {count} sessions"
    if today is not None and progression.long_gap(newest[0].date, today):
        span += f", {progression.on_days(s.date for s, _ in judged)}, before your break"
    return (
        f"Your {total.weaker} side did {total.asymmetry}% less work than your {stronger} "
        f"over {span}. Start each session with the {total.weaker} side and match its reps "
        f"on the {stronger}."
    )


# Epley's formula; past 12 reps it says little of a single rep (records.html says so).
E1RM_MOST_REPS = 12


def estimated_one_rep_max() -> Case:
    """A set's estimated one-rep max in kg, by Epley's formula: null for a set it does not
    count (body weight alone, a hold alone, whose 0 reps would make the load itself a
    single no rep showed, or more than E1RM_MOST_REPS reps). The one definition: the record
    and the day it was set both read it."""
    epley = ExpressionWrapper(
        F("load_kg") * (1 + F("reps") / 30.0),
        output_field=DecimalField(max_digits=20, decimal_places=10),
    )
    return Case(
        When(load_kg__gt=0, reps__gt=0, reps__lte=E1RM_MOST_REPS, then=epley),
        default=None,
        output_field=DecimalField(max_digits=20, decimal_places=10),
    )


def personal_records(user) -> list[dict]:
    """Per variation and side: heaviest load (with its reps), most reps, longest hold, best e1RM,
    each with the day it was first set, and the heaviest load for each rep count.

    One query, of the trainee's groups of alike sets (AlikeSets, kept on write: variation,
    side, reps, load, hold and the first day one was done), each with its estimated one-rep
    max. There are as many groups as distinct sets, not as sets, so every record and its
    day is read off them here.
    """
    groups: dict[tuple[int, str], list[dict]] = {}
    for row in (
        AlikeSets.objects.filter(user=user)
        .annotate(e1rm=estimated_one_rep_max())
        .values("variation", "side", "reps", "load_kg", "hold_seconds", "first_day", "e1rm")
        .order_by()
    ):
        groups.setdefault((row.pop("variation"), row.pop("side")), []).append(row)
    variations = {v.pk: v for v in Variation.objects.filter(pk__in={k[0] for k in groups})}
    result = []
    for variation in sorted(variations.values(), key=lambda v: v.level):
        per_side = []
        for side in sides.NAMED:
            rows = groups.get((variation.pk, side))
            if rows is not None:
                per_side.append({"side": side, "label": Side(side).label, **_side_records(rows)})
        result.append({"variation": variation, "sides": per_side})
    return result


def _side_records(rows: list[dict]) -> dict:
    """The records of one variation and side from its groups of alike sets (each with
    `reps`, `load_kg`, `hold_seconds`, `first_day` and `e1rm`); a tie is the day it was
    first reached."""

    def first_day(matching) -> Any:
        return min(row["first_day"] for row in rows if matching(row))

    heaviest = max(row["load_kg"] for row in rows)
    heaviest_reps = max(row["reps"] for row in rows if row["load_kg"] == heaviest)
    # A hold alone at the heaviest load (no rep with it) is that hold's record, in seconds.
    heaviest_hold = (
        max(row["hold_seconds"] for row in rows if row["load_kg"] == heaviest and row["reps"] == 0)
        if heaviest_reps == 0
        else None
    )
    most_reps = max(row["reps"] for row in rows)
    longest_hold = max(row["hold_seconds"] for row in rows)
    best_e1rm = max((row["e1rm"] for row in rows if row["e1rm"] is not None), default=None)
    rep_maxes: dict[int, Decimal] = {}
    for row in sorted(rows, key=lambda row: row["reps"]):
        # A hold alone has no number of reps to hold a load record for.
        if row["reps"] and row["load_kg"] > 0 and row["load_kg"] > rep_maxes.get(row["reps"], 0):
            rep_maxes[row["reps"]] = row["load_kg"]
    return {
        "heaviest": heaviest or None,
        "heaviest_reps": heaviest_reps if heaviest else None,
        "heaviest_hold": heaviest_hold if heaviest else None,
        "most_reps": most_reps or None,  # holds alone: no reps to hold a record
        "longest_hold": longest_hold or None,
        "best_e1rm": best_e1rm,
        "rep_maxes": rep_maxes,
        "heaviest_on": first_day(
            lambda row: (
                row["load_kg"] == heaviest
                and row["reps"] == heaviest_reps
                and heaviest_hold in (None, row["hold_seconds"])
            )
        ),
        "most_reps_on": first_day(lambda row: row["reps"] == most_reps),
        "longest_hold_on": first_day(lambda row: row["hold_seconds"] == longest_hold),
        # With no counted set, the side's first day (as the window query of old picked it).
        "best_e1rm_on": first_day(lambda row: best_e1rm is None or row["e1rm"] == best_e1rm),
    }


BALANCE_SESSIONS = 30  # the newest sessions in the balance table and chart
_SERIES_NAMES = ((Side.LEFT, "Left"), (Side.RIGHT, "Right"), (Side.BOTH, "Both legs"))


def progress_data(
    user, unit: str, *, points_stale: bool = True, today: datetime.date | None = None
) -> dict:
    """Chart SVGs and the balance table, from two queries of a few rows whatever the
    history: the trainee's kept progress points (ProgressPoints) and changes of level.
    `points_stale`: whether weeks of theirs wait for their points to be made again
    (ProfileQuerySet.unit_and_stale_points); then they are made first. `today`: the
    trainee's day, which the balance note counts a long break to (balance_note)."""
    if points_stale:
        summaries.make_points_current(user.pk)
    points = _progress_points(user)
    markers = _level_markers(user)
    work = "work" if unit == "kg" else f"work_{unit}"
    series = {
        (side, total): _thinned(points[side], column)
        for side in sides.NAMED
        if points[side].sessions
        for total, column in (("max_load", "max_load"), ("work", work), ("hold", "hold"))
    }
    recent = _newest_sessions(points, work)
    balance_rows = _balance_rows(recent)
    session_count = points[ProgressPoints.ANY_SIDE].sessions
    return {
        "load_chart": _load_chart(series, markers, unit),
        "volume_chart": _volume_chart(series, markers, unit),
        "hold_chart": _hold_chart(series, markers),
        # The charts' numbers as tables, under each chart as the balance table is.
        "load_table": _chart_table(series, "max_load", lambda kg: format_load(Decimal(kg), unit)),
        "volume_table": _chart_table(series, "work", lambda work: format_number(Decimal(work))),
        "hold_table": _chart_table(series, "hold", lambda seconds: f"{seconds} s"),
        "balance_chart": _balance_chart(balance_rows, markers, logged=session_count > 0),
        "balance_behind": balance_behind(balance_rows),
        "balance_rows": balance_rows,
        "balance_note": balance_note(list(reversed(recent)), today),
        "session_count": session_count,
        "thinned": session_count > MAX_CHART_POINTS,
        # Every week's best hold is some month's, or under a better one of that month.
        "has_holds": any(row.hold for side in sides.NAMED for row in points[side].months),
        "format_load": format_load,
    }


@dataclass
class _SidePoints:
    """One side's kept points, in order: its months, and the weeks and sessions read of it
    (every one of them when thinning.thinned takes that level)."""

    sessions: int = 0
    weeks: int = 0
    months: list = field(default_factory=list)
    weeks_read: list = field(default_factory=list)
    sessions_read: list = field(default_factory=list)


def _few_in_side(user_id: int, side: str, count: str) -> RawSQL:
    """Whether the side's months hold at most MAX_CHART_POINTS of `count` (weeks or
    sessions). Written out: the ORM took longer to build six such subqueries than the
    engine to run them."""
    table, column = map(connection.ops.quote_name, (ProgressPoints._meta.db_table, count))
    return RawSQL(
        f"(SELECT SUM({column}) FROM {table} WHERE user_id = %s AND period = %s AND side = %s)"
        " <= %s",
        [user_id, ProgressPoints.MONTH, side, MAX_CHART_POINTS],
        output_field=BooleanField(),
    )


def _progress_points_query(user_id: int):
    """In one query: each side's months (their sums say how many sessions and weeks it
    has), the weeks of a side with few enough to chart them, the sessions of a side with
    few enough, and every side's rows of the newest BALANCE_SESSIONS sessions. Each is a
    range of the index (user, period, side, start), read apart and put together (UNION)."""
    points = ProgressPoints.objects.filter(user_id=user_id)
    months = points.filter(period=ProgressPoints.MONTH)

    def of_sides_with_few(period: str, count: str) -> list:
        # A side's range of the index, read only when its total is few enough: a subquery
        # naming no column of the row, summed once (PostgreSQL's one-time filter). Asked as
        # "side IN (sides with few)", PostgreSQL with statistics taken while the table was
        # empty summed every side again for each row it read: 11.7 s at 100,000 sets.
        return [
            points.filter(_few_in_side(user_id, side, count), period=period, side=side)
            for side in sides.NAMED
        ]

    newest = points.filter(period=ProgressPoints.SESSION, side=ProgressPoints.ANY_SIDE)
    # The day of the oldest of them (the first day of all with fewer).
    since = Coalesce(
        Subquery(
            newest.order_by("-start", "-session_pk").values("start")[
                BALANCE_SESSIONS - 1 : BALANCE_SESSIONS
            ]
        ),
        Value(datetime.date.min),
    )
    rows = months.union(
        *of_sides_with_few(ProgressPoints.WEEK, "weeks"),
        *of_sides_with_few(ProgressPoints.SESSION, "sessions"),
        points.filter(
            period=ProgressPoints.SESSION, side__in=ProgressPoints.SIDES, start__gte=since
        ),
    )
    return rows.order_by("start", "session_pk").values_list(*_READ, named=True)


# Compiled once (core.prepared): Django took longer to build the union of eight queries
# than the database to run it.
_PROGRESS_POINTS = Prepared(_progress_points_query)


def _progress_points(user) -> dict[str, _SidePoints]:
    """The trainee's kept points as the progress page reads them (_progress_points_query),
    each side's apart."""
    found = {side: _SidePoints() for side in ProgressPoints.SIDES}
    # Plain rows, not model instances: a long history has a few thousand.
    for row in _PROGRESS_POINTS.rows(user.pk):
        side = found[row.side]
        if row.period == ProgressPoints.MONTH:
            side.sessions += row.sessions
            side.weeks += row.weeks
            side.months.append(row)
        elif row.period == ProgressPoints.WEEK:
            side.weeks_read.append(row)
        else:
            side.sessions_read.append(row)
    return found


_READ = [
    "period",
    "side",
    "start",
    "session_pk",
    "sessions",
    "weeks",
    *(name for series in ProgressPoints.SERIES for name in (series, f"{series}_on")),
]


def _thinned(side: _SidePoints, column: str) -> tuple:
    """A side's series of one kept total, thinned (thinning.thinned)."""

    def points(rows):
        return [
            (getattr(row, f"{column}_on"), getattr(row, column))
            for row in rows
            if getattr(row, f"{column}_on") is not None
        ]

    return thinning.thinned(
        side.sessions,
        side.weeks,
        each=points(side.sessions_read),
        weekly=points(side.weeks_read),
        monthly=points(side.months),
    )


def _newest_sessions(points: dict[str, _SidePoints], work: str) -> list[SimpleNamespace]:
    """The newest BALANCE_SESSIONS sessions, oldest first, each with its sets and work (the
    kept `work` column) per side, as session_balance reads them."""
    newest = points[ProgressPoints.ANY_SIDE].sessions_read[-BALANCE_SESSIONS:]
    on_side = {
        (side, row.session_pk): row for side in sides.NAMED for row in points[side].sessions_read
    }
    sessions = []
    for session in newest:
        totals = {}
        for side in sides.NAMED:
            row = on_side.get((side, session.session_pk))
            totals[f"{side}_sets"] = 1 if row else 0
            totals[f"{side}_work"] = getattr(row, work) if row else Decimal(0)
        sessions.append(SimpleNamespace(date=session.start, pk=session.session_pk, **totals))
    return sessions


def _level_markers(user) -> list[charts.Marker]:
    """A marker on every chart for each change of level, on the local day it was made: a
    move from one rung to another, never the starting level (a first pick, from no rung)."""
    return [charts.Marker(day, f"Level {level}") for day, level in _LEVEL_CHANGES.rows(user.pk)]


_LEVEL_CHANGES = Prepared(
    lambda user_id: (
        LevelChange.objects.filter(user_id=user_id, from_variation__isnull=False)
        .order_by("changed_at")
        .values_list("day", "to_variation__level")
    )
)


def _side_series(
    series: dict, total: str, convert: Callable[[Any], float] = float
) -> list[charts.Series]:
    """A chart series per side of one total (`max_load`, `work`, `hold`), for the sides
    that have it."""
    result = []
    for side, name in _SERIES_NAMES:
        points = series.get((side, total))
        if points:
            # Thinned first, then converted: a long log converts its ~120 points.
            points = tuple((day, convert(v)) for day, v in points)
            result.append(charts.Series(name, points, side))
    return result


def _chart_table(series: dict, total: str, said: Callable[[Any], str]) -> dict:
    """A chart's points as its table shows them: the sides that have the total, and its body,
    a row per day with each side's value `said` in the log's unit (charts.table_rows). Made
    here, not cell by cell in the template: a long log has hundreds of rows, which the
    template engine took longer to draw than the rest of the page."""
    named = [(side, name) for side, name in _SERIES_NAMES if series.get((side, total))]
    rows = charts.table_rows([series[side, total] for side, _ in named])
    lines = []
    for day, values in rows:
        cells = "".join(
            f"<td>{'—' if value is None else escape(said(value))}</td>" for value in values
        )
        lines.append(f'<tr><th scope="row">{day.day} {day:%b %Y}</th>{cells}</tr>')
    return {
        "sides": [name for _, name in named],
        "count": len(rows),
        "body": mark_safe("\n".join(lines)),  # every value escaped above
    }


def _load_chart(series: dict, markers: list[charts.Marker], unit: str) -> str:
    def in_unit(kg) -> float:
        return float(from_kg(Decimal(kg), unit))

    return charts.line_chart(
        _side_series(series, "max_load", in_unit),
        title="Heaviest load per session",
        description="The heaviest load lifted in each session, left and right side.",
        y_label=f"Load ({unit})",
        chart_id="chart-load",
        markers=markers,
    )


def _volume_chart(series: dict, markers: list[charts.Marker], unit: str) -> str:
    return charts.line_chart(
        _side_series(series, "work"),
        title=f"Work per session: reps × {unit}, or reps alone for body-weight sets",
        description=(
            "Reps times load per session and side; a body-weight set counts its reps alone, "
            "so the line jumps when load is added."
        ),
        y_label=f"Reps × {unit} (or reps)",
        chart_id="chart-volume",
        markers=markers,
    )


def _hold_chart(series: dict, markers: list[charts.Marker]) -> str:
    return charts.line_chart(
        _side_series(series, "hold"),
        title="Hold time per session",
        description="Seconds held at the top per session and side.",
        y_label="Seconds",
        chart_id="chart-hold",
        markers=markers,
    )


def _balance_rows(sessions: list[SimpleNamespace]) -> list[dict]:
    """The balance of each recent session with both sides, newest first."""
    rows = []
    for session in reversed(sessions[-BALANCE_SESSIONS:]):
        balance = session_balance(session)
        if balance is not None:
            rows.append({"session": session, "balance": balance})
    return rows


def balance_behind(balance_rows: list[dict]) -> str:
    """Which side the balance chart's one line is, in words: "Of the last 28 sessions with
    both sides, the left side was behind in 20, the right in 6, and 2 were even."."""
    total = len(balance_rows)
    if not total:
        return ""
    counts = {"left": 0, "right": 0, None: 0}
    for row in balance_rows:
        counts[row["balance"].weaker] += 1
    sessions = "your one session" if total == 1 else f"the last {total} sessions"
    if counts[None] == total:
        return f"In {sessions} with both sides, the two sides were even."
    first, second = sorted(("left", "right"), key=lambda side: -counts[side])
    parts = [f"the {first} side was behind in {counts[first]}"]
    if counts[second]:
        parts.append(f"the {second} in {counts[second]}")
    if counts[None]:
        parts.append(f"{counts[None]} {'was' if counts[None] == 1 else 'were'} even")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Of {sessions} with both sides, {listed}."


def _balance_chart(balance_rows: list[dict], markers: list[charts.Marker], *, logged: bool) -> str:
    """How far behind the weaker side was, per session: one line, whichever side it was.
    `logged`: there are sessions, none of which compares the sides (holds alone, one side)."""
    series = (
        [
            charts.Series(
                "Weaker side behind (%)",
                tuple(
                    (row["session"].date, float(row["balance"].asymmetry or 0))
                    for row in reversed(balance_rows)
                ),
                "both",
            )
        ]
        if balance_rows
        else []
    )
    return charts.line_chart(
        series,
        title=f"Balance between sides. {balance_behind(balance_rows)}".strip(),
        description="How far the weaker side's work was behind the stronger side's, per session.",
        y_label="% behind",
        # At both ends: a phone opens the chart at its newest end, away from the axis's name.
        y_format=lambda value: f"{charts.format_number(value)}%",
        chart_id="chart-balance",
        markers=markers,
        empty_text="No session with reps on both sides yet" if logged else charts.EMPTY_TEXT,
    )
