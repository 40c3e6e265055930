"""How the progress page thins a long series, and the week and month bests it reads for it.

A series (one side's heaviest load, work or hold per session) keeps each session's point
while it has at most MAX_CHART_POINTS; longer, the best per ISO week (its day and value);
still longer, the best per month of those weekly bests; the last MAX_CHART_POINTS of them
once there are more than three times as many. A tie is the earliest day's.

`thinned` gives the answer from the points training.summaries keeps of each session, week
and month (`period_rows` makes them from the sessions), so a long history is charted from
a few rows a month, not from every session.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_CHART_POINTS = 120
SESSION = "session"
WEEK = "week"
MONTH = "month"

Point = tuple[datetime.date, Any]  # (day, value)


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's ISO week: one day names the week."""
    return day - datetime.timedelta(days=day.weekday())


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def best_per(points: Iterable[Point], bucket: Callable) -> list[Point]:
    """The best point of each bucket, day order: the first of equal values, so in day order
    the earliest day."""
    best: dict = {}
    for day, value in points:
        key = bucket(day)
        if key not in best or value > best[key][1]:
            best[key] = (day, value)
    return sorted(best.values())


def thinned(
    count: int,
    weeks: int,
    *,
    each: Sequence[Point],
    weekly: Sequence[Point],
    monthly: Sequence[Point],
) -> tuple[Point, ...]:
    """The thinned series of `count` sessions in `weeks` weeks: only the level the rule
    takes is read (`each` session's points, the `weekly` or the `monthly` bests)."""
    if count <= MAX_CHART_POINTS:
        return tuple(each)
    if weeks <= MAX_CHART_POINTS:
        return tuple(weekly)
    if len(monthly) > MAX_CHART_POINTS * 3:
        return tuple(monthly[-MAX_CHART_POINTS:])
    return tuple(monthly)


@dataclass
class Period:
    """One side's sessions over a week or a month: how many (a month counts those of the
    weeks starting in it), how many weeks start in it, and per series its best point, or
    None (a month holds the bests of the weeks whose best day falls in it)."""

    sessions: int = 0
    weeks: int = 0
    bests: list[Point | None] = field(default_factory=list)


def period_bests(
    sessions: Iterable[tuple[datetime.date, Sequence]], series: int
) -> tuple[dict[datetime.date, Period], dict[datetime.date, Period]]:
    """The weeks and months of one side, by their first day, from its sessions in session
    order, each a day and its `series` values: what training.summaries keeps on write."""
    by_week: dict[datetime.date, list] = {}
    for day, values in sessions:
        by_week.setdefault(week_of(day), []).append((day, values))
    weeks = {
        start: Period(
            sessions=len(days),
            weeks=1,
            bests=[best_per(((day, v[n]) for day, v in days), week_of)[0] for n in range(series)],
        )
        for start, days in by_week.items()
    }
    months: dict[datetime.date, Period] = {}
    for start, week in sorted(weeks.items()):
        first = months.setdefault(month_of(start), Period(bests=[None] * series))
        first.sessions += week.sessions
        first.weeks += 1
        months.setdefault(
            month_of(start + datetime.timedelta(days=6)), Period(bests=[None] * series)
        )
        for n, (day, value) in enumerate(week.bests):
            month = months[month_of(day)]
            if month.bests[n] is None or value > month.bests[n][1]:
                month.bests[n] = (day, value)
    return weeks, months


def period_rows(
    sessions_by_side: dict[str, list[tuple[datetime.date, int, Sequence]]], series: Sequence[str]
) -> list[dict]:
    """The rows of training.models.ProgressPoints for one trainee, as field values, from
    each side's sessions (day, key and the values of `series`, in session order)."""
    rows = []
    for side, sessions in sessions_by_side.items():
        for day, key, values in sessions:
            row = {"period": SESSION, "side": side, "start": day, "session_pk": key}
            row |= {"sessions": 1, "weeks": 0}
            for name, value in zip(series, values, strict=True):
                row[name], row[f"{name}_on"] = value, day
            rows.append(row)
        weeks, months = period_bests(((day, values) for day, _, values in sessions), len(series))
        for period, periods in ((WEEK, weeks), (MONTH, months)):
            for start, found in periods.items():
                row = {"period": period, "side": side, "start": start}
                row |= {"sessions": found.sessions, "weeks": found.weeks}
                for name, best in zip(series, found.bests, strict=True):
                    row[name], row[f"{name}_on"] = (best[1], best[0]) if best else (None, None)
                rows.append(row)
    return rows
