from __future__ import annotations

import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, JSONArray

from coaching import caching
from coaching.legs import SIDES as TIMER_SIDES
from coaching.legs import order_fits
from coaching.models import FormError, Variation
from coaching.tempo import Tempo
from core.aggregates import JSONList
from core.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from core.submissions import SubmittedOnce
from training import sides

# The CSV import checks rows with these rules; it imports them from here, with SetForm.
from training.fields import (
    EffortField,
    HoldField,
    LoadField,
    RepsField,
    SessionDateField,
    SetsField,
    ShownKgField,
    SideField,
    TempoField,
    load_in_kg,
)
from training.models import (
    SET_FIELDS,
    Profile,
    Set,
    Side,
    TrainingSession,
    Unit,
    WeightKind,
)
from training.plausibility import RECENT_SETS, Doubt, doubts
from training.units import as_shown, format_load, from_kg, plain

if TYPE_CHECKING:
    from training.timer_keep import TimerLoads


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        help_text="Only for resetting your password. We send nothing else.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]

    def validate_password_for_user(self, user, **kwargs) -> None:
        # A password too short or too common is said beside the password, under its rules,
        # not beside the confirmation (Django's place), which only says they differ.
        super().validate_password_for_user(user, password_field_name="password1")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if held_by_another_account("email", email):
            raise ValidationError(EMAIL_TAKEN)
        return email

    def create_account(self) -> AbstractUser | None:
        """The new account, or None with the reason on its field when another sign-up took
        the email or the name after this form looked them up (the database's unique indexes
        in any case, training migration 0025)."""
        try:
            with transaction.atomic():
                return self.save()
        except IntegrityError:
            users = get_user_model().objects
            if users.filter(email__iexact=self.cleaned_data["email"]).exists():
                self.add_error("email", EMAIL_TAKEN)
            else:
                self.add_error(
                    "username",
                    self.instance.unique_error_message(type(self.instance), ["username"]),
                )
            return None


EMAIL_TAKEN = "An account already uses this email. Try resetting its password."


def held_by_another_account(field: str, value: str, account: AbstractUser | None = None) -> bool:
    """Whether an account other than `account` holds `value` as its email or user name in any
    case: one account per each, the rule training migration 0025 keeps in the database."""
    others = get_user_model().objects.filter(**{f"{field}__iexact": value})
    return others.exclude(pk=account.pk).exists() if account and account.pk else others.exists()


def _offer_kept_rungs(field: forms.ModelChoiceField, ladder: list[Variation] | None = None):
    """The field offers the rungs of `ladder`, or of the kept one (coaching.caching.ladder)
    read when the form is drawn, not a query of its own; a posted choice is still checked
    against the database (the field's queryset)."""

    def choices():
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        rungs = caching.ladder() if ladder is None else ladder
        return [*empty, *((rung.pk, field.label_from_instance(rung)) for rung in rungs)]

    field.choices = choices


class ProfileForm(forms.ModelForm):
    dumbbells = forms.CharField(
        required=False,
        max_length=300,
        help_text=(
            "The dumbbells you own, separated by commas, e.g. 5, 7.5, 10; "
            "one you add in the unit above."
        ),
    )
    kettlebells = forms.CharField(
        required=False,
        max_length=300,
        help_text="The kettlebells you own, e.g. 8, 12, 16; one you add in the unit above.",
    )
    # The level the page showed: one changed since (by a coach, an accepted suggestion) is
    # kept unless this form chose another, rather than set back by a save of the unit.
    level_shown = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Profile
        fields = ["unit", "level"]
        field_classes = {"level": BoundedModelChoiceField}
        labels = {"unit": "Weights in", "level": "Your level on the ladder"}
        help_texts = {"level": "Where you train now; suggestions to move up or back start here."}
        widgets = {"unit": forms.RadioSelect}

    def __init__(
        self,
        *args,
        owned: dict[str, list[Decimal]] | None = None,
        ladder: list[Variation] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = Variation.objects.ladder()
        _offer_kept_rungs(self.fields["level"], ladder)
        self.fields["level"].required = True
        self.initial["level_shown"] = self.instance.level_id
        self.level_kept: Variation | None = None
        # The unit the lists are shown in: the saved one, before this form changes it.
        self._shown_unit = unit = self.instance.unit
        self._owned_kg = {}
        for kind, field in (
            (WeightKind.DUMBBELL, "dumbbells"),
            (WeightKind.KETTLEBELL, "kettlebells"),
        ):
            loads = (owned or {}).get(kind, [])
            self._owned_kg[field] = list(loads)
            self.initial.setdefault(field, ", ".join(str(from_kg(kg, unit)) for kg in loads))

    def _weights(self, field: str) -> list[Decimal]:
        """The list's numbers as stored kilograms. A number left as the page showed it, in
        the unit it showed it in, is the weight it showed, whatever the unit is switched to:
        5 kg does not become 5 lb, and 11.02 lb shown for 5 kg stays 5 kg rather than
        drifting on every save. A number added or changed is read in the unit chosen."""
        raw = self.cleaned_data.get(field, "")
        unit = self.cleaned_data.get("unit") or self.instance.unit
        shown = list(self._owned_kg[field])  # the weights the numbers shown stood for
        # "7,5" is 7.5 where a comma marks decimals, or 7 and 5: asked, never guessed.
        if between := _COMMA_BETWEEN_DIGITS.search(raw):
            written = between.group(0)
            raise ValidationError(
                f"“{written}” could be one weight or two: write {written.replace(',', '.')} "
                f"for one, or {written.replace(',', ', ')} for two."
            )
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
            stood_for = next(
                (load for load in shown if from_kg(load, self._shown_unit) == value), None
            )
            if stood_for is not None:
                shown.remove(stood_for)  # two weights shown alike are two numbers
                loads.add(stood_for)
                continue
            too_heavy = f"{part} {{unit}} is heavier than the {{limit:,}} {{unit}} limit."
            loads.add(load_in_kg(value, unit, too_heavy=too_heavy))
        if len(loads) > 60:
            raise ValidationError("List at most 60 weights.")
        return sorted(loads)

    def clean_level(self) -> Variation:
        chosen = self.cleaned_data["level"]
        current = self.instance.level
        shown = self.data.get("level_shown")
        if current and current != chosen and shown == str(chosen.pk):
            self.level_kept = current
            return current
        return chosen

    def clean_dumbbells(self) -> list[Decimal]:
        return self._weights("dumbbells")

    def clean_kettlebells(self) -> list[Decimal]:
        return self._weights("kettlebells")


_COMMA_BETWEEN_DIGITS = re.compile(r"\d+,\d+")


class SessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["date", "variation", "notes"]
        field_classes = {"date": SessionDateField, "variation": BoundedModelChoiceField}
        widgets = {
            "date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
        }
        labels = {"variation": "Variation trained"}

    def __init__(self, *args, ladder: list[Variation] | None = None, **kwargs):
        """`ladder`: the rungs as the page already has them (coaching.caching.ladder), so the
        choices need not look them up again."""
        super().__init__(*args, **kwargs)
        field = self.fields["variation"]
        field.queryset = Variation.objects.ladder()
        field.error_messages["invalid_choice"] = "Choose a variation from the ladder."
        _offer_kept_rungs(field, ladder)

    def session_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class SessionEditForm(SessionForm):
    """A session's edit, tied to the revision it was opened at (TrainingSession.revision),
    as a set's edit is (SetEditForm)."""

    # Optional only for a page opened before revisions existed: it saves as edits did.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, instance: TrainingSession, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("revision", instance.revision)


class NewSessionForm(SubmittedOnce, SessionForm):
    """A session to start; its submission id makes a repeated post give back that session."""


HOLD_ONLY_ERROR = "Reps must be at least 1; 0 reps is only for a hold, with its seconds in Hold."


def reps_and_hold_error(reps: int | None, hold_seconds: int) -> str | None:
    """0 reps is a hold-only set (a timed hold from Strong or Hevy), so it needs its seconds."""
    if reps == 0 and not hold_seconds:
        return HOLD_ONLY_ERROR
    return None


def new_set_lookups(posted_side: str | None) -> dict:
    """What a new set's doubts compare it with (SetForm._doubts), as annotations for the
    query that finds its session: the reps of the session's last set and, for the side
    posted, the reps and loads of the trainee's recent sets on it; not queries of their own.
    """
    return _NEW_SET_LOOKUPS.get(posted_side, _NEW_SET_LOOKUPS[None])


def _recent_sets_name(side: str) -> str:
    return f"recent_sets_on_{side}"


def _recent_sets(side: str) -> Subquery:
    newest = Set.objects.recent_on_side(
        OuterRef(OuterRef("user_id")), OuterRef(OuterRef("variation_id")), side, RECENT_SETS
    )
    # The load as text: a decimal in JSON would come back a float.
    pairs = JSONList(JSONArray("reps", Cast("load_kg", CharField())))
    # Grouped by a constant: one row, the aggregate of them all.
    rows = Set.objects.filter(pk__in=newest.values("pk")).order_by().annotate(one=Value(1))
    return Subquery(rows.values("one").annotate(pairs=pairs).values("pairs"))


_LAST_REPS = Subquery(
    Set.objects.filter(session=OuterRef("pk")).order_by("-position").values("reps")[:1]
)
# Made once, for each side and for none: the session's query is compiled once for each set
# of annotations objects (core.prepared.PreparedWith), so these must be the same every time.
_NEW_SET_LOOKUPS = {
    None: {"last_reps": _LAST_REPS},
    **{
        side: {"last_reps": _LAST_REPS, _recent_sets_name(side): _recent_sets(side)}
        for side in sides.NAMED
    },
}


class SetForm(SubmittedOnce):
    """One set, entered in the trainee's unit; stores kilograms.

    The CSV import checks every row with these same fields and clean functions.
    """

    side = SideField()
    reps = RepsField(
        least=0,  # a hold alone (clean_reps says so)
        # The first thing typed at the bench: focus lands here after every added set.
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autofocus": True}),
    )
    load = LoadField(
        help_text="Empty for body weight",
        # Its step is the field's two decimals (Django's): a converted load such as
        # 44.09 lb is no quarter, and a step of 0.25 made the browser refuse the set.
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )
    load_kg_shown = ShownKgField()
    hold_seconds = HoldField(
        required=False,
        label="Hold (s)",
        help_text="With 0 reps, a hold-only set",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    tempo = TempoField(required=False, help_text="Down-pause-up-hold, e.g. 3-0-1-1")
    effort = EffortField()
    form_errors = BoundedModelMultipleChoiceField(
        queryset=FormError.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Form errors noticed",
    )
    pain = forms.BooleanField(required=False, label="Pain during this set")
    note = forms.CharField(required=False, max_length=500)
    # "Yes, save it" for a set far outside the recent range: the template renders it as a
    # checkbox whose value names the numbers confirmed (confirm_value), so a changed number
    # is asked about again.
    confirm = forms.CharField(required=False, max_length=100)

    def __init__(
        self,
        *args,
        session: TrainingSession,
        unit: str,
        allow_unknown_side: bool = False,
        saved: Set | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.session = session
        self.unit = unit
        self.saved = saved  # the set being edited: its own numbers are no surprise
        self.confirm_value = self.confirm_label = ""
        self.fields["load"].set_unit(unit)
        field = self.fields["form_errors"]
        field.queryset = FormError.objects.filter(exercise_id=session.variation.exercise_id)
        # Offered from the kept guide, when the form is drawn (a callable: not when it only
        # checks a post); a posted choice is still checked against the database.
        exercise_id = session.variation.exercise_id
        field.choices = lambda: [
            (error.pk, field.label_from_instance(error))
            for error in caching.form_errors_of(exercise_id)
        ]
        self.fields["side"].for_variation(session.variation, unknown=allow_unknown_side)

    def clean(self) -> dict:
        data = super().clean()
        if "reps" in data and "hold_seconds" in data:
            error = reps_and_hold_error(data["reps"], data["hold_seconds"])
            if error:
                self.add_error("reps", error)
        if data.get("load"):
            self._refuse_a_load_in_another_unit()
        if "load" in data:
            # The kilograms the box was filled from (given with it, or an edited set's own: 22.5 lb
            # imported is 10.205828325 kg, shown as 10.21 kg) are kept if it is sent as shown.
            shown = data.get("load_kg_shown")
            if shown is None and self.saved is not None:
                shown = self.saved.load_kg
            data["load"] = as_shown(data["load"], self.unit, shown)
        if {"side", "reps", "load"} <= data.keys():
            self._ask_about_doubts(data)
        return data

    def _refuse_a_load_in_another_unit(self) -> None:
        """A form drawn before the unit was changed (in another tab, on another device)
        posts its load in the old unit, which read in the new one saved another weight: the
        page says which unit it showed ("unit"), and a load in another is refused, converted."""
        shown = self.data.get("unit")
        if shown not in Unit.values or shown == self.unit:
            return
        typed_kg = load_in_kg(Decimal(self["load"].data), shown)
        self.add_error(
            "load",
            f"This form showed loads in {shown}, but your weights are in {self.unit} now "
            f"(changed in another tab or on another device). {format_load(typed_kg, shown)} is "
            f"{format_load(typed_kg, self.unit)}, now in the box: check it and save again.",
        )
        # The box shows the load converted, so that sending the form again as it comes back
        # saves the weight meant, not the old number read in the new unit: to the gram, as
        # the kilograms it was converted from come with it.
        self.data = self.data.copy()
        self.data[self.add_prefix("load")] = str(from_kg(typed_kg, self.unit))
        self.data[self.add_prefix("load_kg_shown")] = plain(typed_kg)

    def _ask_about_doubts(self, data: dict) -> None:
        """Refuse, once, a set far outside the recent range (training/plausibility.py),
        with the question on the field; ticking "Yes, save" posts it again confirmed."""
        found = [d for d in self._doubts(data) if not self._is_saved_value(d)]
        if not found:
            return
        self.confirm_value = "|".join(f"{d.field}={d.typed}" for d in found)
        if data.get("confirm") == self.confirm_value:
            return
        self.confirm_label = "Yes, save " + " with ".join(self._shown(d, d.typed) for d in found)
        where = {Side.LEFT: "left side", Side.RIGHT: "right side"}.get(data["side"], "both legs")
        for doubt in found:
            recent = self._shown(doubt, doubt.high)
            if doubt.low != doubt.high:
                low = doubt.low if doubt.field == "reps" else self._shown(doubt, doubt.low)
                recent = f"{low} to {recent}"
            question = f"Did you mean {doubt.guess}? " if doubt.guess else ""
            self.add_error(
                "reps" if doubt.field == "reps" else "load",
                f"{self._shown(doubt, doubt.typed)} is far from your recent sets on the {where} "
                f"({recent}). {question}Correct it, or tick “{self.confirm_label}”.",
            )

    def _doubts(self, data: dict) -> list[Doubt]:
        if data["side"] == Side.UNKNOWN:
            return []
        kept = _recent_sets_name(data["side"])
        if self.saved is None and hasattr(self.session, kept):  # looked up with new_set_lookups
            rows = [(reps, Decimal(load)) for reps, load in getattr(self.session, kept)]
        else:
            recent = Set.objects.recent_on_side(
                self.session.user_id,
                self.session.variation_id,
                data["side"],
                RECENT_SETS,
                besides=self.saved,
            )
            rows = list(recent.values_list("reps", "load_kg"))
        # An edit comes with the set's own reps; a new set with the session's last set's
        # (whichever side it was), or the last session's numbers, where no guess is made.
        if self.saved is not None:
            prefilled = self.saved.reps
        elif self.session.pk is None:  # a session not saved yet holds no set
            prefilled = None
        elif hasattr(self.session, "last_reps"):  # looked up with new_set_lookups
            prefilled = self.session.last_reps
        else:
            prefilled = self.session.sets.order_by("-position").values_list("reps", flat=True)
            prefilled = prefilled.first()
        return doubts(
            data["reps"], data["load"], [r for r, _ in rows], [kg for _, kg in rows], prefilled
        )

    def _is_saved_value(self, doubt: Doubt) -> bool:
        return self.saved is not None and getattr(self.saved, doubt.field) == doubt.typed

    def _shown(self, doubt: Doubt, value) -> str:
        if doubt.field == "reps":
            return f"{value} rep{'' if value == 1 else 's'}"
        return format_load(value, self.unit)

    def leave_focus(self) -> None:
        """Drawn beside a change the focus goes to instead (a deletion's undo, a set edited or
        brought back): the reps box does not take it, which on a phone scrolls away from the
        change and opens the keyboard."""
        self.fields["reps"].widget.attrs.pop("autofocus", None)

    def flagged(self) -> int:
        """How many of form errors, pain and note hold something: the count their folded
        section names, so what is in it is not hidden."""
        errors = self["form_errors"].value() or []
        return len(errors) + bool(self["pain"].value()) + bool(self["note"].value())

    def set_fields(self) -> dict:
        """The cleaned values under the set's own names (SET_FIELDS)."""
        data = self.cleaned_data
        rpe, rir = data["effort"]
        values = {**data, "load_kg": data["load"], "rpe": rpe, "rir": rir}
        return {name: values[name] for name in SET_FIELDS}

    @classmethod
    def initial_from_set(cls, existing, unit: str, *, side: str | None = None) -> dict:
        return {
            "side": side or existing.side,
            "reps": existing.reps,
            "load": from_kg(existing.load_kg, unit) if existing.load_kg else None,
            "hold_seconds": existing.hold_seconds or None,
            "tempo": existing.tempo,
            "effort": EffortField.choice_for(existing.rpe, existing.rir),
            "note": "",
        }


class SetEditForm(SetForm):
    """A set's edit, tied to the revision it was opened at (see Set.revision)."""

    # Optional only for a page opened before revisions existed: it saves as edits did.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, **kwargs) -> None:
        # Drawn on the session page beside the add form: ids of its own, or a label of one
        # form would tick a box of the other (pain on the wrong set).
        kwargs.setdefault("auto_id", "id_edit_%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def for_set(cls, existing, *, session: TrainingSession, unit: str, **kwargs) -> SetEditForm:
        initial = cls.initial_from_set(existing, unit)
        initial.update(
            form_errors=list(existing.form_errors.all()),
            note=existing.note,
            pain=existing.pain,
            revision=existing.revision,
        )
        return cls(session=session, unit=unit, initial=initial, saved=existing, **kwargs)


class CopySetForm(SubmittedOnce):
    """ "Repeat last set" or "Same for the other side": nothing to type, only the submission
    id that makes a double click copy the set once. Read only: the session page writes
    its id as a plain hidden input (session_page.session_context)."""

    def posted_id(self) -> uuid.UUID | None:
        """The posted submission id; none from a page drawn before the form carried one, or a broken
        one, which copies as it did."""
        return self.cleaned_data["submission_id"] if self.is_valid() else None


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


class TimerLogForm(forms.Form):
    """The sets a finished tempo-timer plan just counted, to log in one go."""

    variation = forms.SlugField(max_length=120)
    tempo = TempoField()
    sets = SetsField()
    reps = RepsField()
    sides = forms.ChoiceField(choices=TIMER_SIDES)
    # The hold of every rep (a set's hold), and the longer one of the last rep alone, if any.
    hold_seconds = HoldField()
    last_hold = HoldField(required=False)
    # The load of every set, in the unit the form showed it in ("unit"): on a rung that takes
    # a weight, where the log-from-timer page offers it. A post without it (the timer page's, a
    # queued one) or left empty logs the load the sets were most likely done with.
    load = LoadField(required=False, widget=forms.NumberInput(attrs={"inputmode": "decimal"}))
    load_kg_shown = ShownKgField()
    unit = forms.ChoiceField(choices=Unit.choices, required=False, widget=forms.HiddenInput)
    submission_id = forms.UUIDField()

    def __init__(self, *args, unit: str = Unit.KG, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A form kept on a device shows its load in the unit it was drawn in: read in that one.
        shown = self.data.get("unit")
        self.fields["load"].set_unit(shown if shown in Unit.values else unit)
        self.initial.setdefault("unit", unit)

    def typed_load_kg(self) -> Decimal | None:
        """The load the trainee typed, in kilograms; None if the post had no load in it."""
        if not str(self.data.get("load", "")).strip():
            return None
        data = self.cleaned_data
        return as_shown(data["load"], self.fields["load"].unit, data.get("load_kg_shown"))

    def clean_variation(self) -> Variation:
        try:
            return Variation.objects.get(slug=self.cleaned_data["variation"])
        except Variation.DoesNotExist:
            raise ValidationError("That variation is not on the ladder.") from None

    def clean(self) -> dict:
        data = super().clean()
        variation, order = data.get("variation"), data.get("sides")
        if variation and order and not order_fits(order, variation.one_side_at_a_time):
            raise ValidationError("Those sides do not fit that variation.")
        hold, last = data.get("hold_seconds"), data.get("last_hold")
        if "last_hold" not in self.data and data.get("tempo") and hold is not None:
            # A timer page drawn before the long hold went apart (a kept copy, a queued
            # entry) sent it as every rep's hold: only a long hold made it the tempo's.
            top_hold = Tempo.parse(data["tempo"]).top_hold
            if hold > top_hold:
                data["hold_seconds"], data["last_hold"] = top_hold, hold
        elif last and hold is not None and last <= hold:
            raise ValidationError("The last rep's long hold must be longer than every rep's.")
        return data

    def plan(self) -> dict:
        """The plan as the timer page's form posts it, to offer it again."""
        data = self.cleaned_data
        fields = ("tempo", "sets", "reps", "sides", "hold_seconds", "last_hold")
        return {"variation": data["variation"].slug, **{name: data[name] for name in fields}}

    def logged_sets(self) -> dict:
        """What services.log_timer_sets takes from the plan, besides who and which day."""
        data = self.cleaned_data
        return {
            "variation": data["variation"],
            "sides": self.set_sides(),
            "reps": data["reps"],
            "tempo": data["tempo"],
            "hold_seconds": data["hold_seconds"],
            "last_hold": data["last_hold"],
            "submission_id": data["submission_id"],
        }

    def loads_kg(self, known: TimerLoads) -> dict[str, Decimal] | None:
        """The load of each side's sets: the one typed, on a rung that takes a weight, else
        the one they were most likely done with (`known.kept_kg`); None, with the load field
        asking for it, when no load is known."""
        typed = self.typed_load_kg()
        if typed is not None and self.cleaned_data["variation"].takes_external_load:
            return dict.fromkeys(self.set_sides(), typed)
        loads = known.kept_kg
        if loads is None:
            self.add_error(
                "load",
                "Enter the load you lifted: no earlier set of this rung says it. Without "
                "one, these sets would count at body weight, as if you had dropped your "
                "load.",
            )
        return loads

    def set_sides(self) -> list[str]:
        # Each of the plan's sets is one round of the legs: a left and a right set, or one.
        order = self.cleaned_data["sides"]
        return sides.in_order(order, self.cleaned_data["sets"] * len(sides.ORDERS[order]))


# The offline queue's entries (training/sync_views.py): the forms the pages post, with the
# submission id the device gave each entry required, since it is what saves it once.


class QueuedSessionForm(NewSessionForm):
    submission_id = forms.UUIDField(widget=forms.HiddenInput)


class QueuedSetForm(SetForm):
    submission_id = forms.UUIDField(widget=forms.HiddenInput)


class QueuedTimerLogForm(TimerLogForm):
    # The day the timer finished: the queue may reach the server a day later.
    date = SessionDateField(required=False)


class OfflineSetForm(SetForm):
    """The set form of the offline log page (/offline/log/): the session page's, for a session
    the device picks. The page is the same for everyone, so it offers every side the ladder
    has (offline-log.mjs shows the chosen session's, and the load in the trainee's unit),
    and each device fills in its own submission ids: one written here would be everyone's."""

    def __init__(self, *, variations: list[Variation]):
        super().__init__(session=TrainingSession(variation=variations[0]), unit=Unit.KG)
        offered = {side for v in variations for side in sides.worked(v.one_side_at_a_time)}
        self.fields["side"].choices = [(side.value, side.label) for side in Side if side in offered]
        self.fields["side"].initial = None
        del self.initial["submission_id"]
        self.fields["submission_id"].widget.attrs["data-fresh-id"] = ""
