"""The progress page's data pinned: a refactor of progress.py must give exactly the same
charts, balance table and note. The files live in tests/training/pinned/; see
test_charts_pinned.py for rewriting them after an intended change.
"""

from __future__ import annotations

import datetime
import json
import random
from decimal import Decimal

import pytest

from tests.conftest import assert_pinned, make_log
from training import summaries
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
    # Real moves between rungs (a starting level, from no rung, is no change to mark).
    for day, before, after in (
        (start + datetime.timedelta(days=21), loaded, bodyweight),
        (start + datetime.timedelta(days=40), bodyweight, loaded),
    ):
        change = LevelChange.objects.create(
            user=user,
            from_variation=before,
            to_variation=after,
            reason="Target met",
            source="suggestion",
        )
        moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
        LevelChange.objects.filter(pk=change.pk).update(changed_at=moment, day=day)


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


def _generated_log(user, variation, *, start, sessions: list[tuple[int, dict]]) -> None:
    """Sessions on `start` plus each day offset, with their sets ({side: [(reps, load, hold)]}),
    written in bulk as an import writes them."""
    made = TrainingSession.objects.bulk_create(
        TrainingSession(
            user=user, date=start + datetime.timedelta(days=offset), variation=variation
        )
        for offset, _ in sessions
    )
    sets = Set.objects.bulk_create(
        Set(
            session=session,
            position=position,
            side=side,
            reps=reps,
            load_kg=load,
            hold_seconds=hold,
        )
        for session, (_, by_side) in zip(made, sessions, strict=True)
        for position, (side, (reps, load, hold)) in enumerate(
            ((side, done) for side, each in by_side.items() for done in each), start=1
        )
    )
    summaries.sets_changed([s.pk for s in made], added=summaries.marks_of_new(sets))


def _sets(rng: random.Random, count: int) -> list[tuple]:
    return [
        (
            rng.randint(6, 10),
            Decimal(rng.choice(("20", "22.5", "25", "25", "27.5"))),
            rng.randint(0, 3),
        )
        for _ in range(count)
    ]


def _twelve_years(user, variation) -> None:
    """Twelve years: the left every five days (thinned to months, fewer than 360), the right
    only in the last 100 weeks (to weeks), both legs on 40 scattered days (each session's
    point, most of them older than the newest sessions), a few sessions of no known side
    and second sessions of a day; loads that tie, so the earliest best wins."""
    rng = random.Random(12)
    last = 12 * 365
    sessions = []
    for offset in range(0, last, 5):
        by_side = {"left": _sets(rng, 2)}
        if offset > last - 700:
            by_side["right"] = _sets(rng, 2)
        sessions.append((offset, by_side))
    for offset in sorted(rng.sample(range(last), 40)):
        sessions.append((offset, {"both": _sets(rng, 1)}))
    for offset in rng.sample(range(last), 6):
        sessions.append((offset, {"unknown": _sets(rng, 2)}))
        sessions.append((offset - offset % 5, {"left": _sets(rng, 1)}))
    _generated_log(user, variation, start=datetime.date(2013, 12, 30), sessions=sessions)


def _thirty_two_years(user, variation) -> None:
    """Left and right every 13 days for 32 years: more than 360 months, so the last 120."""
    rng = random.Random(32)
    sessions = [
        (offset, {"left": _sets(rng, 1), "right": _sets(rng, 1)})
        for offset in range(0, 32 * 365, 13)
    ]
    _generated_log(user, variation, start=datetime.date(1993, 5, 1), sessions=sessions)


@pytest.mark.parametrize("unit", ["kg", "lb"])
def test_twelve_years_give_the_pinned_progress_data(user, loaded, unit):
    _twelve_years(user, loaded)
    _assert_pinned(f"twelve-years-{unit}", progress_data(user, unit))


def test_thirty_two_years_give_the_pinned_progress_data(user, loaded):
    _thirty_two_years(user, loaded)
    _assert_pinned("thirty-two-years", progress_data(user, "kg"))
