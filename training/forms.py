from __future__ import annotations

import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.models import FormError, Variation
from coaching.tempo import Tempo, TempoError
from core.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from training.models import (
    MAX_HOLD_SECONDS,
    MAX_LOAD_KG,
    MAX_REPS,
    RPE_VALUES,
    Profile,
    Side,
    TrainingSession,
    WeightKind,
)
from training.units import from_kg, to_kg
from training.units import plain as _plain

EARLIEST_DATE = datetime.date(1990, 1, 1)


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        help_text="Only for resetting your password. We send nothing else.", max_length=254
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError("An account already uses this email. Try resetting its password.")
        return email


class ProfileForm(forms.ModelForm):
    dumbbells = forms.CharField(
        required=False,
        max_length=300,
        help_text="The dumbbells you own, separated by commas, e.g. 5, 7.5, 10, 12.5.",
    )
    kettlebells = forms.CharField(
        required=False, max_length=300, help_text="The kettlebells you own, e.g. 8, 12, 16."
    )

    class Meta:
        model = Profile
        fields = ["unit", "level"]
        field_classes = {"level": BoundedModelChoiceField}
        labels = {"unit": "Weights in", "level": "Your level on the ladder"}
        help_texts = {"level": "Where you train now; suggestions to move up or back start here."}
        widgets = {"unit": forms.RadioSelect}

    def __init__(self, *args, owned: dict[str, list[Decimal]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = Variation.objects.ladder()
        self.fields["level"].label_from_instance = lambda v: f"{v.level}. {v.name}"
        self.fields["level"].required = True
        unit = self.instance.unit
        for kind, field in (
            (WeightKind.DUMBBELL, "dumbbells"),
            (WeightKind.KETTLEBELL, "kettlebells"),
        ):
            loads = (owned or {}).get(kind, [])
            self.initial.setdefault(field, ", ".join(str(from_kg(kg, unit)) for kg in loads))

    def _weights(self, field: str) -> list[Decimal]:
        raw = self.cleaned_data.get(field, "")
        unit = self.cleaned_data.get("unit") or self.instance.unit
        loads: set[Decimal] = set()
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                value = Decimal(part)
            except InvalidOperation:
                raise ValidationError(f"“{part}” is not a number.") from None
            if value.is_finite() and value > 10_000:
                raise ValidationError(f"{part} is not a weight anyone owns; check the number.")
            if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2:
                raise ValidationError(
                    f"“{part}” must be a positive weight with at most two decimals."
                )
            kg = to_kg(value, unit)
            if kg > MAX_LOAD_KG:
                raise ValidationError(f"{part} {unit} is heavier than the {MAX_LOAD_KG} kg limit.")
            loads.add(kg)
        if len(loads) > 60:
            raise ValidationError("List at most 60 weights.")
        return sorted(loads)

    def clean_dumbbells(self) -> list[Decimal]:
        return self._weights("dumbbells")

    def clean_kettlebells(self) -> list[Decimal]:
        return self._weights("kettlebells")


class SessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["date", "variation", "notes"]
        field_classes = {"variation": BoundedModelChoiceField}
        widgets = {
            "date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
        }
        labels = {"variation": "Variation trained"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variation"].queryset = Variation.objects.ladder()
        self.fields["variation"].label_from_instance = lambda v: f"{v.level}. {v.name}"
        self.fields["variation"].error_messages["invalid_choice"] = (
            "Choose a variation from the ladder."
        )

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data["date"]
        if day > latest_session_day():
            raise ValidationError("The date is in the future; log sessions once they happen.")
        if day < EARLIEST_DATE:
            raise ValidationError("The date is too far in the past.")
        return day


def latest_session_day() -> datetime.date:
    """Tomorrow: a day of slack for people training across time zones late at night."""
    return timezone.localdate() + datetime.timedelta(days=1)


class NewSessionForm(SessionForm):
    """A session to start; its submission id makes a repeated post give back that session."""

    submission_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_id", uuid.uuid4())

    def session_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


EFFORT_CHOICES = [
    ("", "Not recorded"),
    *[(f"rpe:{_plain(value)}", f"RPE {_plain(value)}") for value in RPE_VALUES],
    *[(f"rir:{n}", f"{n} in reserve") for n in range(0, 6)],
]


HOLD_ONLY_ERROR = "Reps must be at least 1; 0 reps is only for a hold, with its seconds in Hold."


def side_choices(variation: Variation, *, unknown: bool = False) -> list[tuple[str, str]]:
    """The sides a set of `variation` can have: the one rule for forms, imports and views.

    "Side not recorded" is only offered where a set already has it (an imported set)
    or for an import; a set logged by hand always says its side.
    """
    if not variation.one_side_at_a_time:
        return [(Side.BOTH, "Both legs")]
    choices = [(Side.LEFT, "Left"), (Side.RIGHT, "Right")]
    if unknown:
        choices.append((Side.UNKNOWN, Side.UNKNOWN.label))
    return choices


def reps_and_hold_error(reps: int | None, hold_seconds: int) -> str | None:
    """0 reps is a hold-only set (a timed hold from Strong or Hevy), so it needs its seconds."""
    if reps == 0 and not hold_seconds:
        return HOLD_ONLY_ERROR
    return None


def load_in_kg(value: Decimal, unit: str) -> Decimal:
    """A load entered in `unit`, as stored kilograms, within the limit."""
    if value < 0:
        raise ValidationError("Load cannot be negative.")
    kg = to_kg(value, unit)
    if kg > MAX_LOAD_KG:
        limit = from_kg(MAX_LOAD_KG, unit)
        raise ValidationError(f"That is more than {limit} {unit}; check the number.")
    return kg


def tempo_notation(raw: str) -> str:
    raw = raw.strip()
    if not raw:
        return ""
    try:
        return Tempo.parse(raw).notation
    except TempoError as error:
        raise ValidationError(str(error)) from None


class SetForm(forms.Form):
    """One set, entered in the trainee's unit; stores kilograms.

    The CSV import checks every row with these same fields and clean functions.
    """

    side = forms.ChoiceField(choices=Side.choices, widget=forms.RadioSelect)
    reps = forms.IntegerField(
        min_value=0,
        max_value=MAX_REPS,
        error_messages={
            "min_value": "Reps cannot be negative.",
            "max_value": f"Reps must be at most {MAX_REPS}.",
        },
        # The first thing typed at the bench: focus lands here after every added set.
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autofocus": True}),
    )
    load = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        label="Load",
        error_messages={"min_value": "Load cannot be negative."},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.25"}),
    )
    hold_seconds = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_HOLD_SECONDS,
        label="Hold (s)",
        error_messages={
            "min_value": "A hold cannot be negative.",
            "max_value": "A hold can be at most 10 minutes (600 s).",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    tempo = forms.CharField(
        required=False,
        max_length=20,
        help_text="Down-pause-up-hold, e.g. 3-0-1-1",
    )
    effort = forms.ChoiceField(choices=EFFORT_CHOICES, required=False)
    form_errors = BoundedModelMultipleChoiceField(
        queryset=FormError.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Form errors noticed",
    )
    pain = forms.BooleanField(required=False, label="Pain during this set")
    note = forms.CharField(required=False, max_length=500)
    submission_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        session: TrainingSession,
        unit: str,
        allow_unknown_side: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.session = session
        self.unit = unit
        self.fields["load"].label = f"Load ({unit})"
        self.fields["load"].help_text = "Empty for body weight"
        self.fields["form_errors"].queryset = FormError.objects.filter(
            exercise_id=session.variation.exercise_id
        )
        self.fields["side"].choices = side_choices(session.variation, unknown=allow_unknown_side)
        if not session.variation.one_side_at_a_time:
            self.fields["side"].initial = Side.BOTH
        self.fields["hold_seconds"].help_text = "With 0 reps, a hold-only set"
        if not self.is_bound:
            self.initial.setdefault("submission_id", uuid.uuid4())

    def clean_tempo(self) -> str:
        return tempo_notation(self.cleaned_data["tempo"])

    def clean_load(self) -> Decimal:
        value = self.cleaned_data["load"]
        return Decimal(0) if value is None else load_in_kg(value, self.unit)

    def clean_hold_seconds(self) -> int:
        return self.cleaned_data["hold_seconds"] or 0

    def clean(self) -> dict:
        data = super().clean()
        if "reps" in data and "hold_seconds" in data:
            error = reps_and_hold_error(data["reps"], data["hold_seconds"])
            if error:
                self.add_error("reps", error)
        return data

    def clean_effort(self) -> tuple[Decimal | None, int | None]:
        raw = self.cleaned_data["effort"]
        if not raw:
            return (None, None)
        scale, _, value = raw.partition(":")
        return (Decimal(value), None) if scale == "rpe" else (None, int(value))

    def set_fields(self) -> dict:
        data = self.cleaned_data
        rpe, rir = data["effort"]
        return {
            "side": data["side"],
            "reps": data["reps"],
            "load_kg": data["load"],
            "hold_seconds": data["hold_seconds"],
            "tempo": data["tempo"],
            "rpe": rpe,
            "rir": rir,
            "pain": data["pain"],
            "note": data["note"],
        }

    @classmethod
    def initial_from_set(cls, existing, unit: str, *, side: str | None = None) -> dict:
        effort = ""
        if existing.rpe is not None:
            effort = f"rpe:{_plain(existing.rpe)}"
        elif existing.rir is not None:
            effort = f"rir:{existing.rir}"
        return {
            "side": side or existing.side,
            "reps": existing.reps,
            "load": from_kg(existing.load_kg, unit) if existing.load_kg else None,
            "hold_seconds": existing.hold_seconds or None,
            "tempo": existing.tempo,
            "effort": effort,
            "note": "",
        }


class SetEditForm(SetForm):
    """A set's edit, tied to the revision it was opened at (see Set.revision)."""

    # Optional only for a page opened before revisions existed: it saves as edits did.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    @classmethod
    def for_set(cls, existing, *, session: TrainingSession, unit: str, **kwargs) -> SetEditForm:
        initial = cls.initial_from_set(existing, unit)
        initial.update(
            form_errors=list(existing.form_errors.all()),
            note=existing.note,
            pain=existing.pain,
            revision=existing.revision,
        )
        return cls(session=session, unit=unit, initial=initial, **kwargs)


class AssignSidesForm(forms.Form):
    """The sides of a session's sets whose side was not recorded (imported from another app)."""

    pattern = forms.ChoiceField(
        label="Which leg did each set",
        widget=forms.RadioSelect,
        choices=[
            ("left-right", "Left, right, left, right…"),
            ("right-left", "Right, left, right, left…"),
            ("left", "All left"),
            ("right", "All right"),
        ],
    )
    # The sets the trainee saw, so a change in another tab is not overwritten blindly.
    sets = forms.RegexField(regex=r"^\d+(,\d+)*$", widget=forms.HiddenInput, max_length=5000)

    def clean_sets(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["sets"].split(",")]


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="A CSV exported from hipthrust, Strong or Hevy, up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError("The file is larger than 5 MB.")
        return upload


class PrescriptionForm(forms.Form):
    variation = BoundedModelChoiceField(queryset=Variation.objects.none())
    sets = forms.IntegerField(min_value=1, max_value=10, initial=3)
    reps_per_side = forms.IntegerField(min_value=1, max_value=MAX_REPS, initial=10)
    load = forms.DecimalField(required=False, min_value=0, max_digits=8, decimal_places=2)
    tempo = forms.CharField(max_length=20, initial="3-0-1-1")
    hold_seconds = forms.IntegerField(min_value=0, max_value=MAX_HOLD_SECONDS, initial=0)
    sessions_per_week = forms.IntegerField(min_value=1, max_value=14, initial=2)
    notes = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["variation"].queryset = Variation.objects.ladder()
        self.fields["variation"].label_from_instance = lambda v: f"{v.level}. {v.name}"
        self.fields["load"].label = f"Load ({unit})"

    def clean_tempo(self) -> str:
        try:
            return Tempo.parse(self.cleaned_data["tempo"]).notation
        except TempoError as error:
            raise ValidationError(str(error)) from None

    def clean_load(self) -> Decimal:
        value = self.cleaned_data["load"]
        kg = to_kg(value, self.unit) if value else Decimal(0)
        if kg > MAX_LOAD_KG:
            raise ValidationError(
                f"That is more than {from_kg(MAX_LOAD_KG, self.unit)} {self.unit}."
            )
        return kg

    def prescription_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "variation": data["variation"],
            "sets": data["sets"],
            "reps_per_side": data["reps_per_side"],
            "load_kg": data["load"],
            "tempo": data["tempo"],
            "hold_seconds": data["hold_seconds"],
            "sessions_per_week": data["sessions_per_week"],
            "notes": data["notes"],
        }


class CoachLevelForm(forms.Form):
    variation = BoundedModelChoiceField(queryset=Variation.objects.none(), label="Move to")
    reason = forms.CharField(max_length=500, help_text="The athlete sees this in their history.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["variation"].queryset = Variation.objects.ladder()
        self.fields["variation"].label_from_instance = lambda v: f"{v.level}. {v.name}"

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
        self.fields["set"].label_from_instance = lambda s: (
            f"Set {s.position}: {s.get_side_display()} {s.reps} reps"
        )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Write the note first.")
        return text


class TimerLogForm(forms.Form):
    """The sets a finished tempo-timer plan just counted, to log in one go."""

    variation = forms.SlugField(max_length=120)
    tempo = forms.CharField(max_length=20)
    sets = forms.IntegerField(min_value=1, max_value=10)
    reps = forms.IntegerField(min_value=1, max_value=MAX_REPS)
    sides = forms.ChoiceField(
        choices=[(v, v) for v in ("left-right", "right-left", "alternating", "both")]
    )
    hold_seconds = forms.IntegerField(min_value=0, max_value=MAX_HOLD_SECONDS)
    submission_id = forms.UUIDField()

    def clean_variation(self) -> Variation:
        try:
            return Variation.objects.get(slug=self.cleaned_data["variation"])
        except Variation.DoesNotExist:
            raise ValidationError("That variation is not on the ladder.") from None

    def clean_tempo(self) -> str:
        try:
            return Tempo.parse(self.cleaned_data["tempo"]).notation
        except TempoError as error:
            raise ValidationError(str(error)) from None

    def clean(self) -> dict:
        data = super().clean()
        variation, sides = data.get("variation"), data.get("sides")
        if variation and sides and (sides == "both") == variation.one_side_at_a_time:
            raise ValidationError("Those sides do not fit that variation.")
        return data

    def set_sides(self) -> list[str]:
        order = {
            "left-right": ["left", "right"],
            "right-left": ["right", "left"],
            "alternating": ["left", "right"],
            "both": ["both"],
        }[self.cleaned_data["sides"]]
        return [side for _ in range(self.cleaned_data["sets"]) for side in order]
