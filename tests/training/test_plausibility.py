"""The one rule for a set far outside the trainee's recent range (training/plausibility.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from training.plausibility import Doubt, doubts

D = Decimal


@pytest.mark.parametrize(
    ("reps", "recent", "expected"),
    [
        (98, [8, 10, 9], Doubt("reps", 98, 8, 10, guess=9)),  # 9 typed in front of the 8
        (89, [8, 10], Doubt("reps", 89, 8, 10, guess=9)),  # 9 typed after the 8
        (100, [10, 10], Doubt("reps", 100, 10, 10, guess=None)),
        (21, [10, 8], Doubt("reps", 21, 8, 10, guess=None)),  # over double and +11
        (20, [10], None),  # exactly double is a hard set, not a slip
        (14, [5, 4], None),  # near triple, but +9 from a low range: normal progress
        (15, [5, 4], Doubt("reps", 15, 4, 5, guess=1)),  # triple and +10; 1 typed before 5
        (16, [5], Doubt("reps", 16, 5, 5, guess=None)),
        (12, [10, 8], None),
        (1, [10], None),  # far fewer reps is a bad day, never asked
        (0, [10], None),  # a hold-only set has no reps to judge
        (98, [], None),  # nothing recent on that side: no range to be far from
        (98, [0, 0], None),  # only holds recent
    ],
)
def test_reps_are_doubted_when_over_double_the_recent_most_and_ten_more(reps, recent, expected):
    # The entry was prefilled with the newest of the recent reps.
    prefilled = recent[0] if recent else None
    found = doubts(reps, D(0), recent, [D(0)] * len(recent), prefilled)
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("load", "recent", "expected"),
    [
        (D(150), [D(15), D(20)], Doubt("load_kg", D(150), D(15), D(20))),  # a slipped decimal
        (D(2), [D(15), D(20)], Doubt("load_kg", D(2), D(15), D(20))),
        (D(60), [D(15), D(20)], None),  # exactly 3x the heaviest
        (D("60.5"), [D(15), D(20)], Doubt("load_kg", D("60.5"), D(15), D(20))),
        (D(5), [D(15), D(20)], None),  # exactly a third of the lightest
        (D("4.5"), [D(15), D(20)], Doubt("load_kg", D("4.5"), D(15), D(20))),
        (D(0), [D(15), D(20)], None),  # back to body weight is a normal step
        (D(40), [D(0), D(0)], None),  # the first loaded set after body weight
        (D(40), [], None),
    ],
)
def test_loads_are_doubted_beyond_three_times_or_a_third_of_the_recent_loads(
    load, recent, expected
):
    found = doubts(10, load, [10] * len(recent), recent)
    assert found == ([expected] if expected else [])


def test_reps_and_load_are_doubted_together():
    assert [d.field for d in doubts(98, D(150), [8, 8], [D(15), D(15)])] == ["reps", "load_kg"]


def test_without_a_prefilled_number_the_question_makes_no_guess():
    assert doubts(98, D(0), [8, 10], [D(0), D(0)]) == [Doubt("reps", 98, 8, 10, guess=None)]


def test_the_guess_reads_the_prefilled_number_not_the_sides_last():
    # Prefilled with the other side's 10: 98 holds no stray 10, so no guess of 8 from a 9.
    assert doubts(98, D(0), [9, 10], [D(0), D(0)], prefilled=10)[0].guess is None
