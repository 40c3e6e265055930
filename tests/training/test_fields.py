"""Each rule a logged value follows, once: the fields every form and the import share."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coaches.forms import CoachLevelForm, PrescriptionForm
from coaches.models import Prescription
from coaching.legs import SIDES
from coaching.models import Variation
from coaching.timer import MAX_REPS_PER_SIDE
from training.fields import (
    EARLIEST_DATE,
    EffortField,
    HoldField,
    LoadField,
    RepsField,
    SessionDateField,
    TempoField,
    latest_session_day,
    side_choices,
    sides_for,
)
from training.forms import ProfileForm, SessionForm, SetEditForm, SetForm, TimerLogForm
from training.models import MAX_HOLD_SECONDS, MAX_LOAD_KG, MAX_REPS, Profile, Set
from training.units import to_kg

pytestmark = pytest.mark.django_db


def _messages(field, value) -> str:
    with pytest.raises(ValidationError) as caught:
        field.clean(value)
    return " ".join(caught.value.messages)


def test_a_tempo_cleans_to_its_notation_and_an_optional_one_may_be_empty():
    assert TempoField().clean(" 3 - 0 - 1 - 1 ") == "3-0-1-1"
    assert TempoField(required=False).clean("") == ""
    assert "four numbers" in _messages(TempoField(), "fast")
    assert "required" in _messages(TempoField(), "")


@pytest.mark.parametrize("form", [SetForm, SetEditForm, PrescriptionForm, TimerLogForm])
def test_every_form_with_a_tempo_checks_it_with_the_one_tempo_field(form):
    assert isinstance(form.base_fields["tempo"], TempoField)


@pytest.mark.parametrize(
    ("form", "name", "fewest", "most"),
    [
        (SetForm, "reps", 0, MAX_REPS),
        (SetEditForm, "reps", 0, MAX_REPS),
        # A prescription is one the timer can run: no more than it counts a side.
        (PrescriptionForm, "reps_per_side", 1, MAX_REPS_PER_SIDE),
        (TimerLogForm, "reps", 1, MAX_REPS),
    ],
)
def test_every_form_with_reps_checks_them_with_the_one_reps_field(form, name, fewest, most):
    field = form.base_fields[name]
    assert isinstance(field, RepsField)
    assert (field.min_value, field.max_value) == (fewest, most)
    assert _messages(field, most + 1) == f"Reps must be at most {most}."
    below = "Reps cannot be negative." if fewest == 0 else "Reps must be at least 1."
    assert _messages(field, fewest - 1) == below


def test_a_load_is_stored_in_kilograms_and_empty_is_body_weight():
    assert LoadField("lb").clean("22.05") == to_kg(Decimal("22.05"), "lb")
    assert LoadField("kg").clean("") == Decimal(0)
    assert "cannot be negative" in _messages(LoadField("kg"), "-1")


@pytest.mark.parametrize(("unit", "limit"), [("kg", "500"), ("lb", "1102.31")])
def test_a_load_over_the_limit_is_refused_in_the_unit_it_was_typed_in(unit, limit):
    assert Decimal(500) == MAX_LOAD_KG
    too_heavy = str(Decimal(limit) + 1)
    assert _messages(LoadField(unit), too_heavy) == (
        f"That is more than {limit} {unit}; check the number."
    )


def test_the_set_and_prescription_forms_share_the_load_rule_in_the_forms_unit(session):
    set_form = SetForm(session=session, unit="lb")
    prescription_form = PrescriptionForm(unit="lb")
    for form in (set_form, prescription_form):
        assert isinstance(form.fields["load"], LoadField)
        assert (form.fields["load"].unit, form.fields["load"].label) == ("lb", "Load (lb)")


def test_a_hold_is_bounded_by_the_models_limit():
    assert HoldField(required=False).clean("") == 0
    assert _messages(HoldField(), str(MAX_HOLD_SECONDS + 1)) == (
        "A hold can be at most 10 minutes (600 s)."
    )


@pytest.mark.parametrize(
    ("choice", "effort"),
    [("", (None, None)), ("rpe:8.5", (Decimal("8.5"), None)), ("rir:2", (None, 2))],
)
def test_an_effort_is_one_scale_or_the_other_and_reads_back_as_its_choice(choice, effort):
    assert EffortField().clean(choice) == effort
    assert EffortField.choice_for(*effort) == choice


def test_an_effort_off_the_scales_is_refused():
    assert "Select a valid choice" in _messages(EffortField(), "rpe:11")


def test_a_one_leg_variation_takes_left_right_or_unknown_and_a_two_leg_one_both(bodyweight, bridge):
    assert sides_for(bodyweight) == {"left", "right", "unknown"}
    assert sides_for(bridge) == {"both"}
    assert side_choices(bodyweight) == [("left", "Left"), ("right", "Right")]
    assert side_choices(bodyweight, unknown=True)[-1] == ("unknown", "Side not recorded")
    assert side_choices(bridge, unknown=True) == [("both", "Both legs")]


def test_the_timer_log_takes_exactly_the_timers_own_side_plans():
    assert TimerLogForm.base_fields["sides"].choices == SIDES


def test_a_session_day_is_from_the_earliest_date_to_tomorrow():
    field = SessionDateField()
    assert field.clean(EARLIEST_DATE) == EARLIEST_DATE
    assert field.clean(latest_session_day()) == latest_session_day()
    assert "too far in the past" in _messages(field, EARLIEST_DATE - datetime.timedelta(days=1))
    future = latest_session_day() + datetime.timedelta(days=1)
    assert "in the future" in _messages(field, future)


def test_a_set_forms_values_carry_every_field_a_set_records(session):
    form = SetForm(
        {"side": "left", "reps": "8", "load": "10", "tempo": "3-0-1-1", "effort": "rir:2"},
        session=session,
        unit="kg",
    )
    assert form.is_valid(), form.errors
    fields = form.set_fields()
    saved = Set.objects.create(session=session, position=1, **fields)
    assert (saved.load_kg, saved.rpe, saved.rir, saved.hold_seconds) == (Decimal(10), None, 2, 0)


def test_the_ladder_reads_the_same_in_every_form_that_offers_it(user, session):
    profile = Profile.objects.get(user=user)
    forms = [
        ProfileForm(instance=profile).fields["level"],
        SessionForm(instance=session).fields["variation"],
        PrescriptionForm(unit="kg").fields["variation"],
        CoachLevelForm().fields["variation"],
    ]
    expected = [f"{variation.level}. {variation.name}" for variation in Variation.objects.ladder()]
    for field in forms:
        labels = [label for value, label in field.choices if value != ""]
        assert labels == expected


def test_a_prescription_prefills_the_coachs_form_and_the_athletes_first_set(coach, user, loaded):
    prescription = Prescription.objects.create(
        coach=coach, athlete=user, variation=loaded, sets=3, reps_per_side=8,
        load_kg=Decimal("10"), tempo="3-0-1-2", hold_seconds=0, sessions_per_week=2,
        side_order="right-left", notes="Start each session with the left side.",
    )  # fmt: skip
    assert prescription.form_values("kg") == {
        "variation": loaded.pk,
        "sets": 3,
        "reps_per_side": 8,
        "load": Decimal("10"),
        "tempo": "3-0-1-2",
        "hold_seconds": 0,
        "side_order": "right-left",
        "sessions_per_week": 2,
        "notes": "Start each session with the left side.",
    }
    assert prescription.first_set_values("kg", side="left") == {
        "side": "left",
        "reps": 8,
        "load": Decimal("10"),
        "hold_seconds": None,
        "tempo": "3-0-1-2",
    }
