"""A coach's prescription opens the tempo timer on a plan that runs, doing what the coach wrote."""

from __future__ import annotations

import itertools
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from coaches import services
from coaches.forms import PrescriptionForm
from coaches.models import Prescription
from coaching.forms import plan_form
from coaching.models import TempoPreset, Variation
from coaching.tempo import Tempo
from tests.conftest import prescription, prescription_form, timer_plan
from training.models import Set, TrainingSession

pytestmark = pytest.mark.django_db


def _prescribe(coach, user, variation, **changes) -> Prescription:
    return services.prescribe(coach, user, prescription(variation, **changes))


def _timer_plan(client, prescription_: Prescription) -> tuple[str, dict]:
    response = client.get(prescription_.timer_url())
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'<script id="timer-plan" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no plan: " + re.sub(r"\s+", " ", html)[:300]
    return html, json.loads(found.group(1))


def test_a_hold_the_tempo_already_has_opens_a_valid_plan_held_on_every_rep(
    client, coach, user, loaded
):
    rx = _prescribe(coach, user, loaded, tempo="3-0-1-2", hold_seconds=2)
    html, plan = _timer_plan(client, rx)
    assert "The plan needs a change" not in html
    assert (plan["tempo"]["notation"], plan["lastHold"]) == ("3-0-1-2", 0)


def test_a_prescribed_hold_is_held_at_the_top_of_every_rep_not_only_the_last(
    client, coach, user, loaded
):
    rx = _prescribe(coach, user, loaded, tempo="3-0-1-1", hold_seconds=3)
    _, plan = _timer_plan(client, rx)
    assert (plan["tempo"]["topHold"], plan["lastHold"]) == (3, 0)


@pytest.mark.parametrize("side_order", ["left-right", "right-left", "alternating"])
def test_the_timer_takes_the_legs_in_the_prescribed_order(client, coach, user, loaded, side_order):
    rx = _prescribe(coach, user, loaded, side_order=side_order)
    _, plan = _timer_plan(client, rx)
    assert plan["sides"] == side_order


def test_a_rung_done_on_both_legs_times_both_legs_whatever_the_order(client, coach, user, bridge):
    rx = _prescribe(coach, user, bridge, side_order="right-left")
    _, plan = _timer_plan(client, rx)
    assert (plan["sides"], plan["sideRest"]) == ("both", 0)


def test_the_coach_chooses_the_first_leg_and_the_athlete_sees_it_on_the_log_and_first_set(
    client, coach, user, linked, loaded
):
    client.force_login(coach)
    page = client.get(reverse("coaches:athlete", args=[user.pk])).content.decode()
    assert 'name="side_order"' in page
    response = client.post(
        reverse("coaches:prescribe", args=[user.pk]),
        {
            "variation": loaded.pk,
            "sets": 3,
            "reps_per_side": 8,
            "tempo": "3-0-1-1",
            "hold_seconds": 0,
            "side_order": "right-left",
            "sessions_per_week": 2,
            "notes": "right side first",
        },
    )
    assert response.status_code == 302
    assert Prescription.objects.get(athlete=user).side_order == "right-left"

    client.force_login(user)
    log = client.get(reverse("training:log")).content.decode()
    assert "right leg, then left" in log
    assert "sides=right-left" in log
    session = TrainingSession.objects.create(user=user, date="2026-11-03", variation=loaded)
    assert client.get(session.get_absolute_url()).context["form"].initial["side"] == "right"


def test_the_prescription_hold_box_allows_what_the_form_allows(client, coach, user, linked):
    client.force_login(coach)
    page = client.get(reverse("coaches:athlete", args=[user.pk])).content.decode()
    box = re.search(r'<input type="number" name="hold_seconds"[^>]*>', page).group()
    assert 'max="30"' in box
    # The reps a side the timer counts, so the browser takes no number the form refuses.
    box = re.search(r'<input type="number" name="reps_per_side"[^>]*>', page).group()
    assert 'max="50"' in box


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"hold_seconds": 31}, "hold_seconds", "A hold on every rep can be at most 30 s."),
        ({"hold_seconds": 601}, "hold_seconds", "A hold on every rep can be at most 30 s."),
        (
            {"tempo": "3-0-1-2", "hold_seconds": 1},
            "hold_seconds",
            "Tempo 3-0-1-2 already holds the top 2 s: make the hold 0, or 2 s or longer.",
        ),
        ({"reps_per_side": 60}, "reps_per_side", "Reps must be at most 50."),
        ({"side_order": "both"}, "side_order", "Select a valid choice."),
    ],
)
def test_a_prescription_the_timer_cannot_run_is_refused_on_its_field(
    client, coach, user, linked, loaded, changes, field, message
):
    client.force_login(coach)
    response = client.post(
        reverse("coaches:prescribe", args=[user.pk]), prescription_form(loaded, **changes)
    )
    assert response.status_code == 200
    errors = response.context["prescription_form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    assert not Prescription.objects.exists()


def test_a_prescription_longer_than_the_timer_counts_is_refused_as_a_whole(loaded):
    form = PrescriptionForm(
        {
            "variation": loaded.pk,
            "sets": 10,
            "reps_per_side": 50,
            "tempo": "30-30-30-30",
            "hold_seconds": 30,
            "side_order": "left-right",
            "sessions_per_week": 2,
        },
        unit="kg",
    )
    assert not form.is_valid()
    assert form.non_field_errors()[0].startswith("For the tempo timer: This plan would take")


# Each field's edges and a value past them: every combination the form accepts must
# open a valid plan that does what the prescription says.
GRID = {
    "sets_reps": [(1, 1), (10, 50), (3, 51)],
    "tempo": ["1-0-1-0", "3-0-1-2", "30-30-30-30"],
    "hold_seconds": [0, 2, 3, 30, 31],
    "side_order": ["left-right", "right-left", "alternating"],
}


def test_every_prescription_the_form_accepts_opens_a_valid_timer_plan_as_written():
    presets = list(TempoPreset.objects.all())
    accepted = 0
    for variation in Variation.objects.ladder():
        for (sets, reps), tempo, hold, side_order in itertools.product(*GRID.values()):
            form = PrescriptionForm(
                {
                    "variation": variation.pk,
                    "sets": sets,
                    "reps_per_side": reps,
                    "tempo": tempo,
                    "hold_seconds": hold,
                    "side_order": side_order,
                    "sessions_per_week": 2,
                },
                unit="kg",
            )
            if not form.is_valid():
                assert all(form.errors.values())  # refused with a message
                continue
            accepted += 1
            rx = Prescription(**form.prescription_fields())
            plan = plan_form(rx.timer_query(), variation=variation, presets=presets)
            assert plan.is_valid(), (variation.slug, sets, reps, tempo, hold, side_order)
            cleaned = plan.cleaned_data
            written = Tempo.parse(tempo)
            assert cleaned["tempo_value"] == written.with_top_hold(max(hold, written.top_hold))
            assert (cleaned["sets"], cleaned["reps"], cleaned["last_hold"]) == (sets, reps, 0)
            both = not variation.one_side_at_a_time
            assert cleaned["sides"] == ("both" if both else side_order)
            assert cleaned["side_rest"] == (0 if both or side_order == "alternating" else 10)
    assert accepted > 100


def _timer_log_of(prescription_: Prescription) -> dict:
    """What the timer's "log these sets" posts after running the prescription's plan."""
    plan = prescription_.timer_query()
    return timer_plan(**{key: plan[key] for key in ("variation", "tempo", "sets", "reps", "sides")})


def test_sets_the_timer_logs_take_the_coachs_load_for_that_rung_and_say_so(
    client, coach, user, loaded, linked
):
    prescribed = _prescribe(coach, user, loaded, load_kg=Decimal(15), sets=2)
    client.force_login(user)
    response = client.post(
        reverse("training:log-from-timer"), _timer_log_of(prescribed), follow=True
    )
    assert set(Set.objects.values_list("load_kg", flat=True)) == {Decimal(15)}
    assert Set.objects.count() == 4
    said = [str(message) for message in response.context["messages"]]
    assert said == [
        "Logged, each set with 15 kg, your coach's load for this rung. "
        "Adjust any set that went differently."
    ]


def test_the_keep_page_names_the_coachs_load_before_anything_is_logged(
    client, coach, user, loaded, linked
):
    prescribed = _prescribe(coach, user, loaded, load_kg=Decimal(15))
    client.force_login(user)
    query = {
        key: value for key, value in _timer_log_of(prescribed).items() if key != "submission_id"
    }
    html = client.get(reverse("training:log-from-timer"), query).content.decode()
    assert 'each with <strong class="nowrap">15 kg</strong>, your coach\'s load' in html
    assert not Set.objects.exists()


def test_sets_synced_from_an_offline_timer_take_the_coachs_load_too(
    client, coach, user, loaded, linked
):
    prescribed = _prescribe(coach, user, loaded, load_kg=Decimal("22.5"))
    client.force_login(user)
    response = client.post(reverse("training:sync"), {"kind": "timer", **_timer_log_of(prescribed)})
    assert response.status_code == 200
    assert set(Set.objects.values_list("load_kg", flat=True)) == {Decimal("22.5")}


def test_timer_sets_of_a_rung_the_coach_did_not_prescribe_carry_no_load(
    client, coach, user, loaded, linked
):
    _prescribe(coach, user, loaded, load_kg=Decimal(15))
    client.force_login(user)
    response = client.post(reverse("training:log-from-timer"), timer_plan(), follow=True)
    assert set(Set.objects.values_list("load_kg", flat=True)) == {Decimal(0)}
    assert "coach's load" not in str(list(response.context["messages"]))
