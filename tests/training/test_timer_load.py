"""The load of the sets the tempo timer logs on a rung that takes a weight: the coach's, else
the trainee's last on each side, shown to check and change, and asked for when not known."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaches import services as coach_services
from coaches.models import Prescription
from tests.conftest import days_ago, logged_session, prescription, timer_plan
from training.models import Profile, Set, TrainingSession
from training.units import to_kg

pytestmark = pytest.mark.django_db

LB_33_75 = to_kg(Decimal("33.75"), "lb")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def _loaded_plan(**overrides) -> dict:
    return timer_plan(variation="loaded-single-leg-hip-thrust", sets="3", **overrides)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def in_lb(user):
    Profile.objects.filter(user=user).update(unit="lb")


def _todays_loads(user) -> list[tuple[str, Decimal]]:
    session = TrainingSession.objects.get(user=user, date=days_ago(0))
    return list(session.sets.values_list("side", "load_kg"))


def test_it_logs_each_side_at_its_last_load_on_the_rung_and_says_which(
    user_client, user, loaded, in_lb
):
    logged_session(user, loaded, days_ago(1), [("left", 10, LB_33_75), ("right", 10, LB_33_75)] * 3)
    response = user_client.post(reverse("training:log-from-timer"), _loaded_plan(), follow=True)
    assert _todays_loads(user) == [("right", LB_33_75), ("left", LB_33_75)] * 3
    assert _messages(response) == [
        "Logged, each set with 33.75 lb, your last load on this rung. "
        "Adjust any set that went differently."
    ]


def test_it_gives_each_side_its_own_last_load_when_they_differ(user_client, user, loaded):
    logged_session(user, loaded, days_ago(2), [("left", 10, "10"), ("right", 10, "10")])
    logged_session(user, loaded, days_ago(1), [("left", 10, "15"), ("right", 10, "12.5")])
    response = user_client.post(reverse("training:log-from-timer"), _loaded_plan(), follow=True)
    assert _todays_loads(user) == [("right", Decimal("12.5")), ("left", Decimal(15))] * 3
    assert _messages(response) == [
        "Logged, the left sets with 15 kg and the right sets with 12.5 kg, your last load on "
        "this rung. Adjust any set that went differently."
    ]


def test_it_asks_for_the_load_on_its_field_and_saves_nothing_without_an_earlier_set(
    user_client, user, loaded
):
    response = user_client.post(reverse("training:log-from-timer"), _loaded_plan())
    assert response.status_code == 400
    html = _text(response.content.decode())
    assert "Enter the load you lifted: no earlier set of this rung says it" in html
    assert re.search(r'<input type="number" name="load"[^>]* required', html)
    assert not TrainingSession.objects.filter(user=user).exists()
    assert not Set.objects.exists()


def test_a_refused_post_reads_the_coachs_load_and_the_last_loads_once_each(
    user_client, user, loaded
):
    with CaptureQueriesContext(connection) as queries:
        response = user_client.post(reverse("training:log-from-timer"), _loaded_plan())
    assert response.status_code == 400
    reads = [query["sql"] for query in queries.captured_queries]
    tables = [f'FROM "{model._meta.db_table}"' for model in (Prescription, Set)]
    assert [sum(table in sql for sql in reads) for table in tables] == [1, 1]


def test_it_logs_the_load_typed_on_the_keep_page_in_the_trainees_unit(
    user_client, user, loaded, in_lb
):
    response = user_client.post(
        reverse("training:log-from-timer"),
        _loaded_plan(load="35", unit="lb"),
        follow=True,
    )
    assert set(Set.objects.values_list("load_kg", flat=True)) == {to_kg(Decimal(35), "lb")}
    assert _messages(response)[0].startswith("Logged, each set with 35 lb, the load you entered.")


def test_it_refuses_a_load_the_set_form_refuses_and_saves_nothing(user_client, loaded):
    response = user_client.post(reverse("training:log-from-timer"), _loaded_plan(load="12,5"))
    assert response.status_code == 400
    assert "Enter a number, with a point for decimals: 12.5, not 12,5." in _text(
        response.content.decode()
    )
    assert not Set.objects.exists()


def test_the_keep_page_fills_in_the_last_load_to_check_before_logging(
    user_client, user, loaded, in_lb
):
    logged_session(user, loaded, days_ago(1), [("left", 10, LB_33_75), ("right", 10, LB_33_75)])
    query = {k: v for k, v in _loaded_plan().items() if k != "submission_id"}
    html = _text(user_client.get(reverse("training:log-from-timer"), query).content.decode())
    assert re.search(r'<input type="number" name="load" value="33.75"', html)
    assert "Load (lb)" in html
    assert "Your last load on this rung" in html
    assert '<input type="hidden" name="unit" value="lb">' in html
    assert Set.objects.count() == 2


def test_with_a_coachs_plan_the_sets_keep_the_plans_load(user_client, user, coach, loaded, linked):
    coach_services.prescribe(coach, user, prescription(loaded, load_kg=Decimal(20)))
    logged_session(user, loaded, days_ago(1), [("left", 10, "15"), ("right", 10, "15")])
    response = user_client.post(reverse("training:log-from-timer"), _loaded_plan(), follow=True)
    assert {kg for _, kg in _todays_loads(user)} == {Decimal(20)}
    assert _messages(response)[0].startswith(
        "Logged, each set with 20 kg, your coach's load for this rung."
    )


def test_a_queued_timer_log_without_a_load_takes_the_last_one(client, user, loaded):
    logged_session(user, loaded, days_ago(1), [("left", 10, "15"), ("right", 10, "15")])
    client.force_login(user)
    response = client.post(reverse("training:sync"), {"kind": "timer", **_loaded_plan()})
    assert response.status_code == 200
    assert {kg for _, kg in _todays_loads(user)} == {Decimal(15)}


def test_a_body_weight_rung_is_logged_at_body_weight_as_before(user_client, user, bodyweight):
    logged_session(user, bodyweight, days_ago(1), [("left", 10), ("right", 10)])
    response = user_client.post(reverse("training:log-from-timer"), timer_plan(), follow=True)
    assert {kg for _, kg in _todays_loads(user)} == {Decimal(0)}
    assert _messages(response) == ["Logged. Adjust any set that went differently."]
    query = {k: v for k, v in timer_plan().items() if k != "submission_id"}
    html = user_client.get(reverse("training:log-from-timer"), query).content.decode()
    assert 'name="load"' not in html
