"""The coach's forms: a prescription, a level move, a note."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from coaches.models import Prescription
from coaching.forms import plan_form
from coaching.models import TempoPreset, Variation
from coaching.tempo import MAX_PHASE_SECONDS, Tempo
from coaching.timer import MAX_REPS_PER_SIDE
from core.fields import BoundedModelChoiceField
from training.fields import (
    HoldField,
    LoadField,
    RepsField,
    SetsField,
    TempoField,
)
from training.models import (
    MAX_SESSIONS_PER_WEEK,
    SIDE_ORDERS,
    Set,
    TrainingSession,
)


class PrescriptionForm(forms.Form):
    variation = BoundedModelChoiceField(queryset=Variation.objects.none())
    sets = SetsField(initial=3)
    reps_per_side = RepsField(initial=10, most=MAX_REPS_PER_SIDE)  # as the timer counts
    load = LoadField()
    tempo = TempoField(initial="3-0-1-1")
    hold_seconds = HoldField(
        most=MAX_PHASE_SECONDS,
        too_long=f"A hold on every rep can be at most {MAX_PHASE_SECONDS} s.",
        initial=0,
        label="Hold at the top (s)",
        help_text="On every rep; 0 for none.",
    )
    side_order = forms.ChoiceField(
        choices=SIDE_ORDERS,
        initial="left-right",
        required=False,  # a form from before the field existed: left first, as then
        label="Legs",
        help_text="Which leg goes first. A rung done on both legs together ignores it.",
    )
    sessions_per_week = forms.IntegerField(
        min_value=1,
        max_value=MAX_SESSIONS_PER_WEEK,
        initial=2,
        error_messages=dict.fromkeys(
            ("min_value", "max_value"), f"Sessions a week: from 1 to {MAX_SESSIONS_PER_WEEK}."
        ),
    )
    notes = forms.CharField(required=False, max_length=500)

    # Where the tempo timer's messages about the plan belong on this form.
    TIMER_FIELD_FOR = {
        "sets": "sets",
        "reps": "reps_per_side",
        "tempo": "tempo",
        "last_hold": "hold_seconds",
        "sides": "side_order",
    }

    def __init__(self, *args, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["variation"].queryset = Variation.objects.ladder()
        self.fields["load"].set_unit(unit)

    def clean_side_order(self) -> str:
        return self.cleaned_data["side_order"] or "left-right"

    def clean(self) -> dict:
        """A prescription is one the tempo timer can run as written: "Time it with the
        tempo timer" opens a plan with no message, or the coach hears why here."""
        data = super().clean()
        if self.errors:
            return data
        tempo, hold = Tempo.parse(data["tempo"]), data["hold_seconds"]
        if 0 < hold < tempo.top_hold:
            self.add_error(
                "hold_seconds",
                f"Tempo {tempo} already holds the top {tempo.top_hold} s: make the hold 0, "
                f"or {tempo.top_hold} s or longer.",
            )
        else:
            self._check_with_the_timer()
        return data

    def _check_with_the_timer(self) -> None:
        query = Prescription(**self.prescription_fields()).timer_query()
        variation = self.cleaned_data["variation"]
        plan = plan_form(query, variation=variation, presets=list(TempoPreset.objects.all()))
        if plan.is_valid():
            return
        for field, errors in plan.errors.items():
            for error in errors:
                self.add_error(self.TIMER_FIELD_FOR.get(field), f"For the tempo timer: {error}")

    def prescription_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "variation": data["variation"],
            "sets": data["sets"],
            "reps_per_side": data["reps_per_side"],
            "load_kg": data["load"],
            "tempo": data["tempo"],
            "hold_seconds": data["hold_seconds"],
            "side_order": data["side_order"],
            "sessions_per_week": data["sessions_per_week"],
            "notes": data["notes"],
        }


class CoachLevelForm(forms.Form):
    variation = BoundedModelChoiceField(queryset=Variation.objects.none(), label="Move to")
    reason = forms.CharField(max_length=500, help_text="The athlete sees this in their history.")

    def __init__(self, *args, **kwargs):
        # Its own ids: the prescription form beside it on the athlete's page has a
        # "variation" too, and a label must name the one control it is for.
        kwargs.setdefault("auto_id", "id_level_%s")
        super().__init__(*args, **kwargs)
        self.fields["variation"].queryset = Variation.objects.ladder()

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise ValidationError("Say why, so the athlete knows.")
        return reason


class CoachNoteForm(forms.Form):
    text = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), label="Note")
    set = BoundedModelChoiceField(
        queryset=None, required=False, label="About set", empty_label="The whole session"
    )

    def __init__(self, *args, session: TrainingSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["set"].queryset = session.sets.order_by("position")
        # Numbered by side as the session page numbers them, all in one query.
        numbered = Set.number_by_side(list(session.sets.order_by("position")))
        labels = {s.pk: f"{s.name.capitalize()}: {s.amount}" for s in numbered}
        self.fields["set"].label_from_instance = lambda s: labels.get(s.pk, s.amount)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Write the note first.")
        return text
