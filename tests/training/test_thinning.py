"""The thinning of a long series (training/thinning.py), without a database: the kept
session, week and month points give exactly what thinning the whole series gives."""

from __future__ import annotations

import datetime
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from training.thinning import (
    MAX_CHART_POINTS,
    MONTH,
    SESSION,
    WEEK,
    best_per,
    month_of,
    period_rows,
    thinned,
    week_of,
)

SERIES = ("load", "hold")


def _iso_week(day: datetime.date) -> tuple:
    return tuple(day.isocalendar())[:2]


def _month(day: datetime.date) -> tuple:
    return (day.year, day.month)


def thin(points: list[tuple]) -> tuple:
    """The rule on a whole series, as the page applied it to every session before the
    points were kept (training/records.py's _thin of old)."""
    for bucket in (_iso_week, _month):
        if len(points) <= MAX_CHART_POINTS:
            break
        best: dict = {}
        for day, value in points:
            key = bucket(day)
            if key not in best or value > best[key][1]:
                best[key] = (day, value)
        points = sorted(best.values())
    return (
        tuple(points[-MAX_CHART_POINTS:]) if len(points) > MAX_CHART_POINTS * 3 else tuple(points)
    )


def test_it_names_a_week_by_its_monday_and_a_month_by_its_first_day():
    new_year = datetime.date(2026, 1, 1)  # a Thursday, of the ISO week starting in 2025
    assert week_of(new_year) == datetime.date(2025, 12, 29)
    assert week_of(datetime.date(2026, 1, 4)) == datetime.date(2025, 12, 29)
    assert week_of(datetime.date(2026, 1, 5)) == datetime.date(2026, 1, 5)
    assert month_of(new_year) == new_year
    assert month_of(datetime.date(2026, 2, 28)) == datetime.date(2026, 2, 1)


def test_it_keeps_the_earliest_day_of_a_tie_and_puts_a_week_in_its_best_days_month():
    # Monday March 30 to Sunday April 5: one week across two months.
    days = [datetime.date(2026, 3, 30), datetime.date(2026, 4, 1), datetime.date(2026, 4, 3)]
    weekly = best_per(zip(days, (5, 7, 7), strict=True), week_of)
    assert weekly == [(datetime.date(2026, 4, 1), 7)]
    assert best_per(weekly, month_of) == [(datetime.date(2026, 4, 1), 7)]


def _history(count: int, gap: int, seed: int) -> list[tuple[datetime.date, int, tuple]]:
    """`count` sessions about `gap` days apart (some on one day), values that often tie."""
    rng = random.Random(seed)
    day = datetime.date(1990, 1, 1)
    sessions = []
    for pk in range(1, count + 1):
        day += datetime.timedelta(days=rng.randint(0, 2 * gap))
        sessions.append((day, pk, (rng.choice((10, 12, 12, 15)), rng.randint(0, 3))))
    return sessions


def _read_as_the_page_does(rows: list[dict], series: str) -> tuple:
    """The page's reading of one side's kept rows (training/records.py)."""

    def points(period):
        found = sorted(
            (row["start"], row.get("session_pk", 0), row[f"{series}_on"], row[series])
            for row in rows
            if row["period"] == period and row[f"{series}_on"] is not None
        )
        return [(day, value) for _, _, day, value in found]

    months = [row for row in rows if row["period"] == MONTH]
    return thinned(
        sum(row["sessions"] for row in months),
        sum(row["weeks"] for row in months),
        each=points(SESSION),
        weekly=points(WEEK),
        monthly=points(MONTH),
    )


@settings(max_examples=60)
@given(
    count=st.one_of(st.integers(0, 130), st.integers(100, 1200)),
    gap=st.sampled_from([1, 3, 7, 12, 30]),
    seed=st.integers(0, 2**16),
)
def test_the_kept_points_give_what_thinning_the_whole_series_gives(count, gap, seed):
    sessions = _history(count, gap, seed)
    rows = period_rows({"left": sessions}, SERIES)
    for n, series in enumerate(SERIES):
        whole = thin([(day, values[n]) for day, _, values in sessions])
        assert _read_as_the_page_does(rows, series) == whole
        assert len(whole) <= MAX_CHART_POINTS * 3


def test_more_than_360_months_keep_the_last_120():
    sessions = _history(1000, 13, seed=1)  # about 36 years
    series = thin([(day, values[0]) for day, _, values in sessions])
    assert len(series) == MAX_CHART_POINTS
    assert series[-1][0] >= sessions[-1][0] - datetime.timedelta(days=31)
    rows = period_rows({"left": sessions}, SERIES)
    assert _read_as_the_page_does(rows, "load") == series


def test_a_month_counts_the_sessions_and_weeks_of_the_weeks_starting_in_it():
    days = [datetime.date(2026, 3, 30), datetime.date(2026, 4, 2), datetime.date(2026, 4, 8)]
    rows = period_rows({"left": [(day, pk, (1, 0)) for pk, day in enumerate(days)]}, SERIES)
    months = {row["start"]: row for row in rows if row["period"] == MONTH}
    assert {start: (row["sessions"], row["weeks"]) for start, row in months.items()} == {
        datetime.date(2026, 3, 1): (2, 1),
        datetime.date(2026, 4, 1): (1, 1),
    }
    # The week across both months had its best on March 30, the first of the tie.
    assert months[datetime.date(2026, 3, 1)]["load_on"] == datetime.date(2026, 3, 30)
    assert months[datetime.date(2026, 4, 1)]["load_on"] == datetime.date(2026, 4, 8)
