"""The balance between sides and the one lag rule that the athlete's note and the coach's
flag share (training/balance.py), and the numbers the review queue gathers for it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from coaches import review_queue
from coaches.models import CoachLink
from coaching.models import FormError
from training import balance as review
from training.balance import Balance
from training.models import Set, TrainingSession
from training.records import balance_note

TODAY = datetime.date(2026, 11, 20)


def test_balance_measures_the_weaker_side_against_the_stronger():
    assert Balance(Decimal(80), Decimal(100)).asymmetry == Decimal("20.0")
    assert Balance(Decimal(80), Decimal(100)).weaker == "left"
    assert Balance(Decimal(0), Decimal(0)).asymmetry is None


def test_balances_combine_by_adding_each_sides_work():
    total = review.combined([Balance(Decimal(80), Decimal(100)), Balance(Decimal(20), Decimal(0))])
    assert (total.left, total.right, total.asymmetry, total.weaker) == (100, 100, 0, None)
    assert review.combined([]).asymmetry is None


@pytest.mark.parametrize(
    ("asymmetry", "lags"),
    [
        (None, False),
        (Decimal("0.0"), False),
        (Decimal("9.9"), False),
        (Decimal("10"), False),
        (Decimal("10.0"), False),
        (Decimal("10.01"), True),
        (Decimal("10.1"), True),
        (Decimal("100.0"), True),
    ],
)
def test_a_side_lags_only_when_more_than_ten_percent_behind(asymmetry, lags):
    assert review.lags(asymmetry) is lags


@pytest.mark.parametrize(
    ("left", "right", "lags"),
    [("90", "100", False), ("899", "1000", True), ("100", "90", False), ("1000", "899", True)],
)
def test_the_athletes_note_and_the_coachs_flag_agree_at_the_threshold(left, right, lags):
    balance = Balance(Decimal(left), Decimal(right))
    row = SimpleNamespace(
        left_sets=3, right_sets=3, left_work=balance.left, right_work=balance.right
    )
    stats = review.AthleteStats(
        today=TODAY,
        first_session=TODAY,
        last_session=TODAY,
        lag_percent=balance.asymmetry,
        lagging_side=balance.weaker,
    )
    assert (balance_note([row]) is not None) == lags
    assert ("lag" in [flag.kind for flag in review.flags(stats)]) == lags


def _session(user, variation, days_ago: int, *sides_and_reps: tuple[str, int]) -> None:
    session = TrainingSession.objects.create(
        user=user, date=TODAY - datetime.timedelta(days=days_ago), variation=variation
    )
    for position, (side, reps) in enumerate(sides_and_reps, start=1):
        Set.objects.create(session=session, position=position, side=side, reps=reps)


def test_the_queue_measures_lag_over_the_recent_sessions_with_both_sides(user, bodyweight):
    _session(user, bodyweight, 1, ("left", 8), ("right", 10))
    _session(user, bodyweight, 2, ("left", 1))  # one side only: no balance to judge
    _session(user, bodyweight, 3, ("left", 12), ("right", 10))
    _session(user, bodyweight, 4, ("left", 4), ("right", 10), ("unknown", 30))
    _session(user, bodyweight, 5, ("left", 10), ("right", 1))  # older than the last four

    stats = review_queue.athlete_stats([user], TODAY)[user.pk]

    # 24 reps on the left against 30 on the right, over the three paired sessions.
    assert (stats.lag_percent, stats.lagging_side) == (Decimal("20.0"), "left")
    assert [flag.text for flag in review.flags(stats) if flag.kind == "lag"] == [
        "Left side 20.0% behind"
    ]


def test_the_queue_has_no_lag_without_a_session_on_both_sides(user, bodyweight):
    _session(user, bodyweight, 1, ("left", 8))
    stats = review_queue.athlete_stats([user], TODAY)[user.pk]
    assert (stats.lag_percent, stats.lagging_side) == (None, None)


def _stats(**overrides) -> review.AthleteStats:
    base = {
        "today": TODAY,
        "first_session": TODAY - datetime.timedelta(days=10),
        "last_session": TODAY - datetime.timedelta(days=1),
        "latest_session_id": 30,
    }
    return review.AthleteStats(**{**base, **overrides})


@pytest.mark.parametrize(
    ("overrides", "subjects"),
    [
        # Pain: how many painful sets and the newest, whatever came after it: another
        # painful set, in a new session or one reviewed before, is news.
        (
            {"pain_session_id": 12, "pain_sets": 2, "pain_set_id": 140},
            {"pain": "painful sets 2, newest 140"},
        ),
        # The others: the newest session, so any new session asks for a fresh look.
        ({"form_error_sessions": 2}, {"form-errors": "session 30"}),
        ({"promotion_waiting": True}, {"promotion": "session 30"}),
        (
            {"lag_percent": Decimal("15"), "lagging_side": "left", "latest_session_id": 31},
            {"lag": "session 31"},
        ),
        # Inactive: the last session's day, or never.
        (
            {"last_session": TODAY - datetime.timedelta(days=30), "latest_session_id": None},
            {"inactive": f"last {TODAY - datetime.timedelta(days=30)}"},
        ),
        (
            {"last_session": None, "first_session": None, "latest_session_id": None},
            {"inactive": "last never"},
        ),
    ],
)
def test_each_flag_names_what_raised_it(overrides, subjects):
    assert {flag.kind: flag.subject for flag in review.flags(_stats(**overrides))} == subjects


def test_a_flag_is_reviewed_only_for_the_subject_that_was_reviewed():
    pain = review.Flag("pain", "Pain", 5, subject="session 12")
    lag = review.Flag("lag", "Lag", 2, subject="session 30")
    seen = object()
    open_, done = review.split_reviewed(
        [pain, lag], {("pain", "session 12"): seen, ("lag", "session 29"): seen}
    )
    assert (open_, done) == ([lag], [(pain, seen)])


def test_form_errors_on_a_set_do_not_multiply_its_work_in_the_queues_balance(user, bodyweight):
    _session(user, bodyweight, 1, ("left", 10), ("right", 10))
    left = Set.objects.get(side="left")
    left.form_errors.set(FormError.objects.filter(exercise=bodyweight.exercise)[:2])

    stats = review_queue.athlete_stats([user], TODAY)[user.pk]

    assert stats.lag_percent == Decimal("0.0")
    assert stats.form_error_sessions == 1


def _bests_from_the_sets(user, today: datetime.date, stall_days: int) -> tuple[tuple, tuple]:
    """The best load, reps and hold within the stall window and before it, read from every
    set: what the queue's kept groups must agree with."""
    stall = today - datetime.timedelta(days=stall_days)
    sets = list(Set.objects.filter(session__user=user).select_related("session"))

    def best(chosen) -> tuple:
        return (
            max((s.load_kg for s in chosen), default=Decimal(0)),
            max((s.reps for s in chosen), default=0),
            max((s.hold_seconds for s in chosen), default=0),
        )

    return (
        best([s for s in sets if s.session.date > stall]),
        best([s for s in sets if s.session.date <= stall]),
    )


def test_the_queues_bests_before_the_stall_window_are_those_of_the_sets(user, bodyweight):
    """Read from the records' groups kept on write, not from every set: the same numbers,
    also once the best set before the window is deleted while one alike stays inside it."""
    _session(user, bodyweight, 40, ("left", 12), ("right", 12))
    _session(user, bodyweight, 10, ("left", 20), ("right", 9))
    before = TrainingSession.objects.get(date=TODAY - datetime.timedelta(days=40))
    heaviest = Set.objects.create(
        session=before, position=3, side="left", reps=20, load_kg=Decimal("7.5"), hold_seconds=3
    )
    inside = TrainingSession.objects.get(date=TODAY - datetime.timedelta(days=10))
    Set.objects.create(
        session=inside, position=3, side="left", reps=20, load_kg=Decimal("7.5"), hold_seconds=3
    )
    expected = _bests_from_the_sets(user, TODAY, review.STALL_DAYS)
    assert expected[1] == (Decimal("7.5"), 20, 3)
    stats = review_queue.athlete_stats([user], TODAY)[user.pk]
    assert (stats.best_recent, stats.best_before) == expected

    heaviest.delete()  # its group keeps the set inside the window, first seen there now
    expected = _bests_from_the_sets(user, TODAY, review.STALL_DAYS)
    assert expected[1] == (Decimal(0), 12, 0)
    stats = review_queue.athlete_stats([user], TODAY)[user.pk]
    assert (stats.best_recent, stats.best_before) == expected


def test_an_athlete_who_just_joined_or_just_linked_is_not_flagged_idle(client, coach, user, linked):
    long_ago = timezone.now() - datetime.timedelta(days=60)
    client.force_login(coach)
    assert (
        "No session in three weeks" not in client.get(reverse("coaches:dashboard")).content.decode()
    )

    # Here for two months and coached for as long, and never a session: idle.
    type(user).objects.filter(pk=user.pk).update(date_joined=long_ago)
    CoachLink.objects.filter(pk=linked.pk).update(accepted_at=long_ago)
    assert "No session in three weeks" in client.get(reverse("coaches:dashboard")).content.decode()

    # Linked again just now: given the time to start.
    CoachLink.objects.filter(pk=linked.pk).update(accepted_at=timezone.now())
    assert (
        "No session in three weeks" not in client.get(reverse("coaches:dashboard")).content.decode()
    )
