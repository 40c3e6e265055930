"""Charts pinned byte for byte: a refactor of charts.py must draw exactly the same SVG.

The files live in tests/training/pinned/. After a change meant to alter the drawing,
look at the new charts, then rewrite the files with `PIN_UPDATE=1 pytest <this file>`.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import assert_pinned
from training.charts import Marker, Series, line_chart

MAR = [date(2025, 3, day) for day in (3, 5, 7, 10)]
LEFT = Series("Left", tuple(zip(MAR, (10.0, 11.0, 12.0, 12.0), strict=True)), "left")
RIGHT = Series("Right", tuple(zip(MAR, (9.0, 10.0, 12.0, 13.0), strict=True)), "right")
TEXT = {
    "title": "Reps per session",
    "description": "Reps on each side per session.",
    "y_label": "Reps",
    "chart_id": "reps",
}


def _years() -> list[Series]:
    days = [date(2022, 11, 20) + timedelta(days=5 * i) for i in range(220)]
    left = tuple((day, 40 + (i * 37 % 23) * 2.5) for i, day in enumerate(days))
    right = tuple((day, 38.5 + (i * 29 % 19) * 2.5) for i, day in enumerate(days[::3]))
    return [Series("Left", left, "left"), Series("Right", right, "right")]


CASES = {
    "two-sides": ((LEFT, RIGHT), TEXT),
    "markers": (
        (LEFT, RIGHT),
        {
            **TEXT,
            "markers": (
                Marker(date(2025, 3, 1), "Level 3"),
                Marker(date(2025, 3, 6), "Level 4"),
                Marker(date(2025, 3, 10), "Level 5"),
            ),
        },
    ),
    "four-kinds-unsorted-fractions": (
        (
            Series("Right", ((MAR[2], 0.35), (MAR[0], 0.1), (MAR[1], 0.2)), "right"),
            Series("Left", ((MAR[1], 0.25), (MAR[3], 0.3)), "left"),
            Series("Both legs", ((MAR[0], 0.05), (MAR[3], 0.15)), "both"),
            Series("Other", ((MAR[2], 0.12),), "other"),
            Series("Also other", ((MAR[1], 0.22),), "more"),
        ),
        TEXT,
    ),
    "one-point": ((Series("Both legs", ((MAR[0], 7.0),), "both"),), TEXT),
    "nothing-logged": ((Series("Left", (), "left"),), TEXT),
    "no-series": ((), {**TEXT, "width": 320, "height": 120}),
    "escaped": (
        (Series('<b>"L" & R\'s</b>', LEFT.points, "x\"y'<z>"), RIGHT),
        {
            "title": "<script>alert('t')</script> & co",
            "description": 'Says "hi" <there>',
            "y_label": "Reps × <kg>",
            "chart_id": 'c"><svg onload=x>',
            "markers": (Marker(MAR[1], "<Level & 4>"),),
        },
    ),
    "small-with-format": (
        (LEFT,),
        {**TEXT, "width": 300, "height": 180, "y_format": lambda value: f"{value:.1f} kg"},
    ),
    "all-zero": ((Series("Left", ((MAR[0], 0.0), (MAR[1], 0.0)), "left"),), TEXT),
    "years": (tuple(_years()), {**TEXT, "y_label": "Load (kg)", "chart_id": "chart-load"}),
    "across-new-year": (
        (
            Series(
                "Right",
                tuple(
                    (date(2024, 11, 25) + timedelta(days=9 * i), 1200.0 + 75 * i) for i in range(9)
                ),
                "right",
            ),
        ),
        {**TEXT, "markers": (Marker(date(2025, 1, 1), "Level 2"),)},
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_the_chart_is_drawn_exactly_as_pinned(name):
    series, options = CASES[name]
    assert_pinned(f"chart-{name}.svg", line_chart(series, **options))
