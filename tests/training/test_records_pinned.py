"""The progress page's data pinned: a refactor of progress.py must give exactly the same
charts, balance table and note. The files live in tests/training/pinned/; see
test_charts_pinned.py for rewriting them after an intended change.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from tests.conftest import assert_pinned, make_log
from training.models import LevelChange, Set, TrainingSession
from training.records import progress_data
from training.units import format_load

pytestmark = pytest.mark.django_db

CHARTS = ("load_chart", "volume_chart", "hold_chart", "balance_chart")


def _varied_log(user, bodyweight, loaded):
    """Loaded and body-weight sets, both legs, holds, one-sided days, two level changes and
    a right side lagging over the last six sessions."""
    start = datetime.date(2026, 1, 5)
    for i in range(40):
        variation = loaded if i >= 20 else bodyweight
        session = TrainingSession.objects.create(
            user=user, date=start + datetime.timedelta(days=2 * i), variation=variation
        )
        load = Decimal("2.5") * (i - 18) if i >= 20 else Decimal(0)
        sides = ("left",) if i % 9 == 4 else ("left", "right")
        lag = {"left": 0, "right": 3 if i >= 34 else 0}
        position = 0
        for side in sides:
            for number in range(2):
                position += 1
                Set.objects.create(
                    session=session,
                    position=position,
                    side=side,
                    reps=8 + (i + number + (side == "right") * (i % 4)) % 5 - lag[side],
                    load_kg=load,
                    hold_seconds=(i + number) % 3 if i % 5 else 0,
                )
        if i % 7 == 3:
            Set.objects.create(
                session=session, position=position + 1, side="both", reps=15, hold_seconds=2
            )
    for day, variation in (
        (start + datetime.timedelta(days=21), bodyweight),
        (start + datetime.timedelta(days=40), loaded),
    ):
        change = LevelChange.objects.create(
            user=user, to_variation=variation, reason="Target met", source="suggestion"
        )
        moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
        LevelChange.objects.filter(pk=change.pk).update(changed_at=moment)


def _plain(amount: Decimal) -> str:
    # "1050", whatever trailing zeros the database's decimal type keeps.
    return format(amount.normalize(), "f")


def _summary(data: dict) -> str:
    assert data["format_load"] is format_load
    rest = {
        "balance_rows": [
            [
                row["session"].date.isoformat(),
                _plain(row["balance"].left),
                _plain(row["balance"].right),
                str(row["balance"].asymmetry),
                row["balance"].weaker,
            ]
            for row in data["balance_rows"]
        ],
        **{key: data[key] for key in ("balance_note", "session_count", "thinned", "has_holds")},
    }
    return json.dumps(rest, indent=1) + "\n"


def _assert_pinned(name: str, data: dict) -> None:
    for chart in CHARTS:
        assert_pinned(f"progress-{name}-{chart}.svg", data[chart])
    assert_pinned(f"progress-{name}.json", _summary(data))


@pytest.mark.parametrize("unit", ["kg", "lb"])
def test_a_varied_log_gives_the_pinned_progress_data(user, bodyweight, loaded, unit):
    _varied_log(user, bodyweight, loaded)
    _assert_pinned(f"varied-{unit}", progress_data(user, unit))


def test_a_long_log_gives_the_pinned_thinned_progress_data(user, loaded):
    make_log(user, loaded, sessions=1000, sets_per_side=1, load="20")
    _assert_pinned("long", progress_data(user, "kg"))


def test_an_empty_log_gives_the_pinned_progress_data(user):
    _assert_pinned("empty", progress_data(user, "kg"))
