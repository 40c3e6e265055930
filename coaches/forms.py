"""The coach's forms: a prescription, a level move, a note."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from coaches.models import CoachLink, Prescription
from coaching.forms import plan_form
from coaching.legs import worked
from coaching.models import TempoPreset, Variation
from coaching.tempo import MAX_PHASE_SECONDS, Tempo
from coaching.timer import MAX_REPS_PER_SIDE
from core.fields import BoundedModelChoiceField
from core.submissions import SubmittedOnce
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
from training.plausibility import RECENT_SETS, doubts
from training.units import format_load


class PrescriptionForm(SubmittedOnce):
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
    notes = forms.CharField(
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    # "Yes, prescribe it" for a load far from the athlete's recent sets of the rung, as the
    # set form asks (training/_confirm_set.html draws it; its value names the load).
    confirm = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    # Where the tempo timer's messages about the plan belong on this form.
    TIMER_FIELD_FOR = {
        "sets": "sets",
        "reps": "reps_per_side",
        "tempo": "tempo",
        "last_hold": "hold_seconds",
        "sides": "side_order",
    }

    def __init__(self, *args, unit: str, athlete=None, in_force=None, advice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.athlete = athlete  # whose recent loads a prescribed load is held to
        # The plan in force's (rung id, load): kept as it was, it is not asked about again.
        self.in_force = in_force
        # What the athlete is told now (training.level.advice_for): added load against
        # advice that adds none (Suggestion.no_added_load) is asked about.
        self.advice = advice
        self.confirm_value = self.confirm_label = ""
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
        self._check_the_load(data["variation"], data["load"])
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

    def _check_the_load(self, variation: Variation, load_kg) -> None:
        """Advice that can hurt errs on the safe side: no load on a rung done at body weight
        (the ladder adds it a rung up); asked about once, a load far from the athlete's
        recent sets of the rung (training/plausibility.py, the set form's rule), as a slip of
        the keyboard (15 -> 150) reaches every set they log from it, and a load heavier than
        they lift now while their advice adds no load (for pain, after a long break, for form
        errors: Suggestion.no_added_load): one tick answers both."""
        if not load_kg:
            return
        if not variation.takes_external_load:
            self.add_error(
                "load",
                f"The {variation.name.lower()} is done at body weight: leave the load empty, "
                "or prescribe a rung that holds a weight.",
            )
            return
        if self.athlete is None or (variation.pk, load_kg) == self.in_force:
            return  # the plan in force's load was asked about when it was prescribed
        name, shown = self.athlete.get_username(), format_load(load_kg, self.unit)
        recent = [
            kg
            for side in worked(variation.one_side_at_a_time)
            for kg in Set.objects.recent_on_side(
                self.athlete.pk, variation.pk, side, RECENT_SETS
            ).values_list("load_kg", flat=True)
        ]
        said = []
        against_advice = self._heavier_than_now(variation, load_kg, recent)
        if against_advice:
            said.append(f"{name} is told: “{self.advice.suggestion.why}” {against_advice}")
        where = "of this rung"
        if not any(recent):
            # A rung they have not loaded yet (moving up): their recent loads of any rung.
            loaded = Set.objects.filter(session__user=self.athlete, load_kg__gt=0)
            newest = loaded.order_by("-session__date", "-session_id", "-position")
            recent = list(newest.values_list("load_kg", flat=True)[:RECENT_SETS])
            where = "of any rung"
        for doubt in doubts(0, load_kg, [], recent):
            low, high = format_load(doubt.low, self.unit), format_load(doubt.high, self.unit)
            recently = high if low == high else f"{low} to {high}"
            said.append(
                f"{shown} is far from {name}'s recent sets {where} ({recently}), and every set "
                "they log from it takes it."
            )
        if not said:
            return
        despite = f" despite {self.advice.suggestion.no_added_load}" if against_advice else ""
        self.confirm_value = f"load_kg={load_kg.normalize():f}{despite}"
        if self.cleaned_data.get("confirm") == self.confirm_value:
            return
        self.confirm_label = f"Yes, prescribe {shown}{despite}"
        said[-1] += f" Correct it, or tick “{self.confirm_label}”."
        for message in said:
            self.add_error("load", message)

    def _heavier_than_now(self, variation: Variation, load_kg, recent: list) -> str:
        """While the athlete's advice adds no load (Suggestion.no_added_load), what a
        `load_kg` heavier than they lift now adds: now is the heaviest of the plan in force on
        this rung and their `recent` sets of it. "" otherwise."""
        if self.advice is None or not self.advice.suggestion.no_added_load:
            return ""
        planned = self.in_force[1] if self.in_force and self.in_force[0] == variation.pk else 0
        now = max([*recent, planned])
        if load_kg <= now:
            return ""
        shown = format_load(load_kg, self.unit)
        if not now:
            return f"{shown} adds load to their plan and recent sets, at body weight."
        return (
            f"{shown} is more than the {format_load(now, self.unit)} of their plan and recent sets."
        )

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


class InvitationForm(forms.Form):
    label = forms.CharField(
        max_length=CoachLink._meta.get_field("label").max_length,
        required=False,
        label="Who it is for (optional)",
        help_text="Only you see it, under Open invitations.",
    )


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


class CoachNoteForm(SubmittedOnce):
    # Not stripped before clean_text: a note of spaces hears "Write the note first.", not
    # Django's "This field is required."
    text = forms.CharField(
        max_length=1000, strip=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )
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
