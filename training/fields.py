"""Each rule a logged value follows, written once, as a form field or the check it runs.

The set forms, the prescription form, the timer's log form and the CSV import (which
checks rows with SetForm's fields) all use these. The limits are training.models'
constants, the ones its database constraints hold the rows to.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.models import Variation
from coaching.tempo import Tempo, TempoError
from training import sides
from training.models import (
    MAX_HOLD_SECONDS,
    MAX_LOAD_KG,
    MAX_REPS,
    MAX_SETS,
    RPE_VALUES,
    Side,
    Unit,
)
from training.units import from_kg, plain, to_kg

EARLIEST_DATE = datetime.date(1990, 1, 1)


def latest_session_day() -> datetime.date:
    """Tomorrow: a day of slack for people training across time zones late at night."""
    return timezone.localdate() + datetime.timedelta(days=1)


def outside_session_days(
    value: datetime.date, latest: datetime.date | None = None
) -> Literal["future", "past"] | None:
    """Where a session's day falls outside EARLIEST_DATE to `latest` (latest_session_day()):
    the one window the form and the CSV import both hold days to, each in its own words."""
    if value > (latest or latest_session_day()):
        return "future"
    if value < EARLIEST_DATE:
        return "past"
    return None


class SessionDateField(forms.DateField):
    """A session's day, from EARLIEST_DATE to latest_session_day()."""

    def validate(self, value: datetime.date | None) -> None:
        super().validate(value)
        outside = None if value is None else outside_session_days(value)
        if outside == "future":
            raise ValidationError("The date is in the future; log sessions once they happen.")
        if outside == "past":
            raise ValidationError("The date is too far in the past.")


def tempo_notation(raw: str) -> str:
    """A tempo as Tempo writes it ("3 - 0 - 1 - 1" is 3-0-1-1); "" for none."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        return Tempo.parse(raw).notation
    except TempoError as error:
        raise ValidationError(str(error)) from None


class TempoField(forms.CharField):
    """Down-pause-up-hold seconds, like 3-0-1-1: Tempo's rule, which the models' pattern holds."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        return tempo_notation(super().clean(value))


class RepsField(forms.IntegerField):
    """Reps, from `least` (0 where a hold alone is a set) to `most` (MAX_REPS, a set's), said
    in words."""

    def __init__(self, *, least: int = 1, most: int = MAX_REPS, **kwargs) -> None:
        fewest = "Reps cannot be negative." if least == 0 else f"Reps must be at least {least}."
        messages = {"min_value": fewest, "max_value": f"Reps must be at most {most}."}
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(min_value=least, max_value=most, error_messages=messages, **kwargs)


class SetsField(forms.IntegerField):
    """A count of sets, from 1 to MAX_SETS, said in words."""

    def __init__(self, **kwargs) -> None:
        said = f"Sets: from 1 to {MAX_SETS}."
        messages = {"min_value": said, "max_value": said}
        super().__init__(min_value=1, max_value=MAX_SETS, error_messages=messages, **kwargs)


def load_in_kg(
    value: Decimal,
    unit: str,
    *,
    too_heavy: str = "That is more than {limit} {unit}; check the number.",
) -> Decimal:
    """A load entered in `unit`, as stored kilograms, within MAX_LOAD_KG: the one check of
    the limit the database's constraints hold too (set forms, prescriptions, owned weights,
    imports). `too_heavy` is the refusal, given the limit in `unit` and `unit`."""
    if value < 0:
        raise ValidationError("Load cannot be negative.")
    kg = to_kg(value, unit)
    if kg > MAX_LOAD_KG:
        raise ValidationError(too_heavy.format(limit=from_kg(MAX_LOAD_KG, unit), unit=unit))
    return kg


class LoadField(forms.DecimalField):
    """A load typed in a unit, cleaned to kilograms within MAX_LOAD_KG; empty is body weight."""

    def __init__(self, unit: str = Unit.KG, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {
                # "12,5" too: a comma may mark decimals or thousands, asked, never guessed.
                "invalid": "Enter a number, with a point for decimals: 12.5, not 12,5.",
                "min_value": "Load cannot be negative.",
                "max_decimal_places": "A load has at most two decimals (12.25).",
                "max_digits": "That is more than any load; check the number.",
                "max_whole_digits": "That is more than any load; check the number.",
            },
        )
        super().__init__(min_value=0, max_digits=8, decimal_places=2, **kwargs)
        self.set_unit(unit)

    def set_unit(self, unit: str) -> None:
        """The unit of the person filling the form in, known only when the form is made."""
        self.unit = unit
        self.label = f"Load ({unit})"

    def run_validators(self, value) -> None:
        # A long run of decimals is a slip to name as such, not as "more than any load",
        # which the digits' count Django checks first would say.
        decimals = -value.as_tuple().exponent if isinstance(value, Decimal) else 0
        if value is not None and value.is_finite() and decimals > self.decimal_places:
            raise ValidationError(
                self.error_messages["max_decimal_places"], code="max_decimal_places"
            )
        super().run_validators(value)

    def clean(self, value) -> Decimal:
        value = super().clean(value)
        return Decimal(0) if value is None else load_in_kg(value, self.unit)


class ShownKgField(forms.DecimalField):
    """The kilograms a load box was filled with in the trainee's unit (a load refused in
    another unit, converted; an offline set fixed): hidden, so that the load sent back as
    shown keeps them (units.as_shown). A value that cannot be a load is ignored, never
    refused: the load typed decides then."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(
            required=False,
            min_value=0,
            max_value=MAX_LOAD_KG,
            max_digits=16,
            decimal_places=10,
            **kwargs,
        )

    def clean(self, value) -> Decimal | None:
        try:
            return super().clean(value)
        except ValidationError:
            return None


class HoldField(forms.IntegerField):
    """Seconds held at the top, up to MAX_HOLD_SECONDS (a set's one hold) or `most` (a
    prescription's hold on every rep), told as `too_long`; empty is no hold."""

    def __init__(self, *, most: int = MAX_HOLD_SECONDS, too_long: str = "", **kwargs) -> None:
        minutes = MAX_HOLD_SECONDS // 60
        kwargs.setdefault(
            "error_messages",
            {
                "min_value": "A hold cannot be negative.",
                "max_value": too_long
                or f"A hold can be at most {minutes} minutes ({MAX_HOLD_SECONDS} s).",
            },
        )
        super().__init__(min_value=0, max_value=most, **kwargs)

    def clean(self, value) -> int:
        return super().clean(value) or 0


EFFORT_CHOICES = [
    ("", "Not recorded"),
    *[(f"rpe:{plain(value)}", f"RPE {plain(value)}") for value in RPE_VALUES],
    *[(f"rir:{n}", f"{n} in reserve") for n in range(0, 6)],
]


class EffortField(forms.ChoiceField):
    """How hard the set was, on one of two scales: cleans to (rpe, rir), one of them None."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=EFFORT_CHOICES, **kwargs)

    def clean(self, value) -> tuple[Decimal | None, int | None]:
        raw = super().clean(value)
        if not raw:
            return (None, None)
        scale, _, number = raw.partition(":")
        return (Decimal(number), None) if scale == "rpe" else (None, int(number))

    @staticmethod
    def choice_for(rpe: Decimal | None, rir: int | None) -> str:
        """The choice a set's stored effort is shown as."""
        if rpe is not None:
            return f"rpe:{plain(rpe)}"
        if rir is not None:
            return f"rir:{rir}"
        return ""


def sides_for(variation: Variation) -> set[str]:
    """The sides a set of `variation` may have: one leg at a time, or both legs together.

    A set of unknown side (imported from Strong or Hevy) is one leg not yet named.
    """
    return set(sides.recordable(variation.one_side_at_a_time))


def side_choices(variation: Variation, *, unknown: bool = False) -> list[tuple[str, str]]:
    """The sides to offer for a set of `variation`.

    "Side not recorded" is only offered where a set already has it (an imported set)
    or for an import; a set logged by hand always says its side.
    """
    fitting = sides_for(variation)
    if not unknown:
        fitting.discard(Side.UNKNOWN)
    return [(side.value, side.label) for side in Side if side in fitting]


class SideField(forms.ChoiceField):
    """The leg of a set, from the sides its session's variation allows (see sides_for)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(choices=Side.choices, **kwargs)

    def for_variation(self, variation: Variation, *, unknown: bool = False) -> None:
        self.choices = side_choices(variation, unknown=unknown)
        if not variation.one_side_at_a_time:
            self.initial = Side.BOTH
