"""A Prepared query (core/prepared.py) is compiled once and runs with each call's values."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo

import pytest
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from core.prepared import Prepared, PreparedWith
from tests.conftest import make_log
from training.models import Set, TrainingSession

pytestmark = pytest.mark.django_db


def _sessions_before(user_id: int, day: datetime.date):
    return (
        TrainingSession.objects.filter(Q(user_id=user_id) & Q(date__lt=day))
        .annotate(sets_counted=Count("sets"))
        .order_by("date")
    )


def test_it_gives_the_rows_the_queryset_gives_for_each_calls_values(user, other_user, bodyweight):
    make_log(user, bodyweight, sessions=4, sets_per_side=1)
    make_log(other_user, bodyweight, sessions=2, sets_per_side=2)
    prepared = Prepared(_sessions_before)
    days = sorted(TrainingSession.objects.values_list("date", flat=True).distinct())
    for who in (user, other_user):
        for day in days:
            expected = [(s.pk, s.date, s.sets_counted) for s in _sessions_before(who.pk, day)]
            got = [(s.pk, s.date, s.sets_counted) for s in prepared.raw(who.pk, day)]
            assert got == expected


def test_it_builds_the_queryset_once(user, bodyweight):
    built = []

    def build(user_id, day):
        built.append((user_id, day))
        return _sessions_before(user_id, day)

    prepared = Prepared(build)
    for offset in range(3):
        list(prepared.raw(user.pk, datetime.date(2026, 1, 1) + datetime.timedelta(days=offset)))
    assert len(built) == 1


@pytest.mark.parametrize("beyond", [2**63, -(2**63) - 1, 10**30])
def test_an_id_no_column_can_hold_matches_no_row_as_the_orms_pk_lookup_answers(user, beyond):
    # SQLite refused such a value (OverflowError): a session's URL with it answered 500.
    prepared = Prepared(_sessions_before)
    assert prepared.raw(beyond, datetime.date(2026, 1, 1)) == []
    assert Prepared(lambda pk: Set.objects.filter(pk=pk).values_list("pk")).rows(beyond) == []
    assert list(Set.objects.filter(pk=beyond)) == []  # the ORM's answer for a primary key


@pytest.mark.parametrize("value", ["text", 1.5, True, datetime.datetime(2026, 1, 1)])
def test_it_takes_ids_days_and_times_with_their_zone_alone(user, value):
    with pytest.raises(TypeError):
        Prepared(lambda user_id, other: _sessions_before(user_id, datetime.date.today())).raw(
            user.pk, value
        )


def test_it_refuses_a_value_the_query_does_not_take(user):
    prepared = Prepared(lambda user_id, unused: _sessions_before(user_id, datetime.date.today()))
    with pytest.raises(ValueError, match="not parameters"):
        prepared.raw(user.pk, 7)


def _sessions_with_their_last_set(user_id: int, day: datetime.date):
    return _sessions_before(user_id, day).annotate(
        last_set_at=Max("sets__created_at"),
        has_a_hold=Exists(Set.objects.filter(session=OuterRef("pk"), hold_seconds__gt=0)),
    )


def test_it_converts_annotations_as_the_orm_does(user, bodyweight):
    """A time is a time and a truth a bool on every engine (SQLite gives text and 0 or 1)."""
    make_log(user, bodyweight, sessions=3, sets_per_side=1)
    day = datetime.date.today() + datetime.timedelta(days=1)
    expected = [
        (s.pk, s.last_set_at, s.has_a_hold) for s in _sessions_with_their_last_set(user.pk, day)
    ]
    got = [
        (s.pk, s.last_set_at, s.has_a_hold)
        for s in Prepared(_sessions_with_their_last_set).raw(user.pk, day)
    ]
    assert got == expected
    assert all(isinstance(at, datetime.datetime) and at.tzinfo for _, at, _ in got)
    assert {type(has) for _, _, has in got} == {bool}


def _sessions_started_before(user_id: int, at: datetime.datetime):
    return TrainingSession.objects.filter(user_id=user_id, created_at__lt=at).order_by("pk")


def test_it_gives_the_rows_the_queryset_gives_for_each_time(user, bodyweight):
    made = make_log(user, bodyweight, sessions=4, sets_per_side=1)
    start = timezone.now()
    for number, session in enumerate(made):
        TrainingSession.objects.filter(pk=session.pk).update(
            created_at=start - datetime.timedelta(hours=number)
        )
    prepared = Prepared(_sessions_started_before)
    zones = [datetime.UTC, zoneinfo.ZoneInfo("America/New_York"), zoneinfo.ZoneInfo("Asia/Tokyo")]
    for hours, zone in itertools.product(range(-1, 5), zones):
        at = (start - datetime.timedelta(hours=hours, minutes=30)).astimezone(zone)
        expected = [s.pk for s in _sessions_started_before(user.pk, at)]
        assert [s.pk for s in prepared.raw(user.pk, at)] == expected


def test_it_refuses_annotations_made_anew_on_each_call_rather_than_keep_them_all(user):
    sessions = PreparedWith(lambda user_id: TrainingSession.objects.filter(user_id=user_id))
    kept = {"sets_counted": Count("sets")}
    for _ in range(PreparedWith.MOST + 5):
        sessions.raw(kept, user.pk)
    for _ in range(PreparedWith.MOST - 1):
        sessions.raw({"sets_counted": Count("sets")}, user.pk)
    with pytest.raises(RuntimeError, match="made once"):
        sessions.raw({"sets_counted": Count("sets")}, user.pk)


def _days_and_last_sets(user_id: int, day: datetime.date):
    return _sessions_with_their_last_set(user_id, day).values_list(
        "date", "last_set_at", "has_a_hold", named=True
    )


def test_its_rows_are_the_values_list_the_queryset_gives_converted_alike(user, bodyweight):
    """A day is a day, a time a time with its zone and a truth a bool on every engine, and
    the rows are named as values_list(named=True) names them."""
    make_log(user, bodyweight, sessions=3, sets_per_side=1)
    day = datetime.date.today() + datetime.timedelta(days=1)
    got = Prepared(_days_and_last_sets).rows(user.pk, day)
    assert got == list(_days_and_last_sets(user.pk, day))
    assert [row.date for row in got] == [row.date for row in _days_and_last_sets(user.pk, day)]
    assert all(isinstance(row.date, datetime.date) for row in got)
    assert all(
        isinstance(row.last_set_at, datetime.datetime) and row.last_set_at.tzinfo for row in got
    )
    assert {type(row.has_a_hold) for row in got} == {bool}
