"""An athlete back after a long break, or stepped back for form errors, is told to add no
load: a coach's plan adding load is asked about, as one against pain is, and Today says the
advice comes before the plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from coaches import services
from coaches.models import Prescription
from tests.conftest import (
    asked_before_adding_load,
    days_ago,
    logged_session,
    prescription,
    prescription_form,
    todays_plan_card,
)
from training.models import Profile, Set

pytestmark = pytest.mark.django_db

THREE_BY_TEN_AT_10 = [(side, 10, "10") for side in ("left", "right") for _ in range(3)]


@pytest.fixture
def back_after_a_break(user, linked_coach, loaded):
    """ada at the loaded rung, her last sessions 40 and 38 days ago at 10 kg."""
    Profile.objects.filter(user=user).update(level=loaded)
    for days in (40, 38):
        logged_session(user, loaded, days_ago(days), THREE_BY_TEN_AT_10)
    return user


def _told(client, user) -> str:
    client.force_login(user)
    suggestion = client.get(reverse("training:log")).context["advice"].suggestion
    assert suggestion.kind == "stay"
    assert "restart at a load you control, 10 kg as last time or less" in suggestion.why
    return suggestion.why


def test_it_asks_before_adding_load_for_an_athlete_back_after_a_long_break(
    client, coach, back_after_a_break, loaded
):
    why = _told(client, back_after_a_break)
    client.force_login(coach)
    asked_before_adding_load(client, back_after_a_break, loaded, "12.5", "10", why, "the break")


def test_the_load_of_last_time_or_less_is_not_asked_about_after_a_break(
    client, coach, back_after_a_break, loaded
):
    client.force_login(coach)
    url = reverse("coaches:prescribe", args=[back_after_a_break.pk])
    for load in ("10", "7.5", ""):
        assert client.post(url, prescription_form(loaded, load=load)).status_code == 302
    assert Prescription.objects.count() == 3


def test_today_says_the_break_advice_comes_before_a_loaded_plan(
    client, coach, back_after_a_break, loaded
):
    services.prescribe(coach, back_after_a_break, prescription(loaded, load_kg=Decimal("12.5")))
    card = todays_plan_card(client, back_after_a_break)
    assert "with 12.5 kg" in card
    assert (
        "Back after a break: no added load, no longer hold and no move up until a session back "
        "shows how it goes; your level advice stands over this plan until then."
    ) in card
    assert "Pain comes first" not in card

    # A session back: the break is over, and so is the note.
    logged_session(back_after_a_break, loaded, days_ago(0), THREE_BY_TEN_AT_10)
    html = " ".join(client.get(reverse("training:log")).content.decode().split())
    assert "Back after a break" not in html


def test_it_asks_before_adding_load_for_an_athlete_stepped_back_for_form_errors(
    client, coach, user, linked_coach, loaded
):
    Profile.objects.filter(user=user).update(level=loaded)
    for days in (3, 1):
        logged_session(user, loaded, days_ago(days), THREE_BY_TEN_AT_10)
    caving = loaded.exercise.form_errors.first()
    for each in Set.objects.filter(session__user=user, side="right", position=4):
        each.form_errors.add(caving)
    client.force_login(user)
    assert client.get(reverse("training:log")).context["advice"].suggestion.kind == "step_back"

    client.force_login(coach)
    url = reverse("coaches:prescribe", args=[user.pk])
    response = client.post(url, prescription_form(loaded, load="12.5"))
    [message] = response.context["prescription_form"].errors["load"]
    assert message.startswith("ada is told: “Form errors on ")
    assert message.endswith(
        "12.5 kg is more than the 10 kg of their plan and recent sets. Correct it, or tick "
        "“Yes, prescribe 12.5 kg despite the form errors”."
    )
    confirmed = prescription_form(
        loaded, load="12.5", confirm="load_kg=12.5 despite the form errors"
    )
    assert client.post(url, confirmed).status_code == 302

    client.force_login(user)
    html = " ".join(client.get(reverse("training:log")).content.decode().split())
    assert (
        "Clean form comes first: no added load until the sets are clean; your level advice "
        "stands over this plan until then."
    ) in html
