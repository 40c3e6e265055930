"""An athlete told to stop (or held back) for pain: a coach's added load is asked about, and
Today says the pain advice comes before the plan."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coaches import services
from coaches.models import Prescription
from tests.conftest import (
    asked_before_adding_load,
    logged_session,
    prescription,
    prescription_form,
    todays_plan_card,
)
from training.models import Profile, Set

pytestmark = pytest.mark.django_db


@pytest.fixture
def told_to_stop(coach, user, linked_coach, loaded):
    """ada at the loaded rung on a 12.5 kg plan, with pain in her last two sessions."""
    Profile.objects.filter(user=user).update(level=loaded)
    services.prescribe(coach, user, prescription(loaded, load_kg=Decimal("12.5")))
    today = timezone.localdate()
    for days_ago in (3, 1):
        logged_session(
            user,
            loaded,
            today - datetime.timedelta(days=days_ago),
            [("left", 10, "12.5"), ("right", 8, "12.5")],
        )
    Set.objects.filter(session__user=user, side="right").update(pain=True)
    return user


def _told(client, user) -> str:
    client.force_login(user)
    advice = client.get(reverse("training:log")).context["advice"]
    assert advice.suggestion.kind == "stop"
    return advice.suggestion.why


def test_it_asks_before_adding_load_for_an_athlete_told_to_stop_for_pain(
    client, coach, told_to_stop, loaded
):
    why = _told(client, told_to_stop)
    client.force_login(coach)
    asked_before_adding_load(client, told_to_stop, loaded, "15", "12.5", why, "the pain")


def test_the_load_they_lift_now_or_less_is_not_asked_about(client, coach, told_to_stop, loaded):
    client.force_login(coach)
    url = reverse("coaches:prescribe", args=[told_to_stop.pk])
    for load in ("12.5", "10", ""):
        assert client.post(url, prescription_form(loaded, load=load)).status_code == 302
    assert Prescription.objects.count() == 4


def test_today_says_the_stop_advice_comes_before_a_loaded_plan(client, told_to_stop):
    card = todays_plan_card(client, told_to_stop)
    assert "with 12.5 kg" in card
    assert (
        "Pain comes first: your level advice says to stop this exercise, and it stands over "
        "this plan until you have logged 2 pain-free sessions at your level, on days after the "
        "pain, that train the side that hurt."
    ) in card


def test_today_says_nothing_of_pain_beside_a_plan_when_there_is_none(
    client, coach, user, linked_coach, loaded
):
    Profile.objects.filter(user=user).update(level=loaded)
    services.prescribe(coach, user, prescription(loaded, load_kg=Decimal("12.5")))
    logged_session(user, loaded, timezone.localdate(), [("left", 10, "12.5")])
    client.force_login(user)
    html = client.get(reverse("training:log")).content.decode()
    assert "with 12.5 kg" in " ".join(html.split())
    assert "Pain comes first" not in html


def test_a_step_back_for_pain_holds_a_plan_to_the_load_of_now_too(
    client, coach, user, linked_coach, loaded
):
    Profile.objects.filter(user=user).update(level=loaded)
    logged_session(user, loaded, timezone.localdate(), [("left", 10, "10"), ("right", 8, "10")])
    Set.objects.filter(session__user=user, side="right").update(pain=True)
    client.force_login(user)
    page = client.get(reverse("training:log"))
    assert page.context["advice"].suggestion.kind == "step_back"
    html = " ".join(page.content.decode().split())
    assert "Pain comes first" not in html  # no plan yet

    client.force_login(coach)
    url = reverse("coaches:prescribe", args=[user.pk])
    response = client.post(url, prescription_form(loaded, load="12.5"))
    [message] = response.context["prescription_form"].errors["load"]
    assert message.startswith("ada is told: “Pain on set 1 on the right on")
    assert message.endswith(
        "12.5 kg is more than the 10 kg of their plan and recent sets. Correct it, or tick "
        "“Yes, prescribe 12.5 kg despite the pain”."
    )
    assert client.post(url, prescription_form(loaded, load="10")).status_code == 302

    client.force_login(user)
    html = " ".join(client.get(reverse("training:log")).content.decode().split())
    assert (
        "Pain comes first: no added load, and stop any set that hurts; your level advice stands "
        "over this plan until you have logged 2 pain-free sessions at your level, on days after "
        "the pain, that train the side that hurt."
    ) in html


def test_today_states_the_pain_rule_from_its_one_definition(client, told_to_stop, monkeypatch):
    from training import progression, today_page

    monkeypatch.setattr(today_page, "PAIN_LIFTED_BY", "the rule of progression.py says so")
    card = todays_plan_card(client, told_to_stop)
    assert "stands over this plan until the rule of progression.py says so." in card
    assert "coach has seen" not in card
    assert f"{progression.PAIN_FREE_NEEDED} pain-free sessions" in progression.PAIN_LIFTED_BY
