"""A row's cells, checked by the rules of the forms a person types a set and a session into.

A set is checked with the set form's own fields, for the variation of its session, and the
helpers the form's clean methods call; a session's date and notes with the session form's
bounds and validators. So an import never stores what the forms would refuse. The fields are
built once per variation, not once per row: a form costs far more than its fields' checks,
and a file may have 50,000 rows. The messages name the file's column and quote its cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.core.exceptions import ValidationError

from coaching.models import Variation
from imports.csv_io.errors import CsvImportError, got
from training.fields import (
    EARLIEST_DATE,
    LoadField,
    latest_session_day,
    load_in_kg,
    outside_session_days,
    tempo_notation,
)
from training.forms import SessionForm, SetForm, reps_and_hold_error
from training.models import TrainingSession, Unit
from training.units import from_kg, plain, to_kg

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_RPE_PLACES = Decimal("0.1")
# The set form's load field in each unit: a load cell passes what a typed load passes.
_TYPED_LOAD = {unit: LoadField(unit) for unit in Unit.values}


def number(raw: str) -> Decimal | None:
    text = raw.strip()
    if re.fullmatch(r"-?\d+,\d+", text):  # a decimal comma, as spreadsheets in much of Europe
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
        return None


def load_kg(
    line: int, raw: str, column: str, *, pounds: bool = False, as_stored: bool = False
) -> Decimal:
    """A load cell, typed in kilograms or pounds, as the kilograms stored, by the set form's
    load field. `as_stored`: kilograms as our export writes them, which for a load typed in
    pounds run past two decimals (45 lb is 20.41165665 kg)."""
    value = Decimal(0) if not raw.strip() else number(raw)
    if value is None:
        unit = "pounds" if pounds else "kilograms"
        raise CsvImportError(line, f"{column} must be a number of {unit}, 0 or more {got(raw)}.")
    try:
        if as_stored and _pounds_to_the_digit(value):
            return load_in_kg(value, "kg")  # typed in pounds, two decimals: the limit is left
        # Judged by its value: "22.500" is 22.5, not a load with three decimals.
        return _TYPED_LOAD["lb" if pounds else "kg"].clean(plain(value))
    except ValidationError as error:
        raise CsvImportError(line, f"{column}: {' '.join(error.messages)} {got(raw)}") from None


def _pounds_to_the_digit(kg: Decimal) -> bool:
    """Whether `kg` is what the set form stores for a load typed in pounds: shown in pounds
    (two decimals, as typed) and stored again, it is the same number."""
    return kg > 0 and to_kg(from_kg(kg, "lb"), "lb") == kg


def session_notes(line: int, raw: str, column: str) -> str:
    # The session form's own validators (length, control characters), on the text as it is.
    try:
        SessionForm.base_fields["notes"].run_validators(raw)
    except ValidationError as error:
        raise CsvImportError(line, f"{column}: {' '.join(error.messages)}") from None
    return raw


class SetRules:
    """The set form's fields for one variation, to check a row as a typed set is checked."""

    def __init__(self, variation: Variation) -> None:
        form = SetForm(
            session=TrainingSession(variation=variation), unit="kg", allow_unknown_side=True
        )
        self.variation = variation
        self.fields = form.fields
        self.sides = [value for value, _ in form.fields["side"].choices]
        self._effort = form.fields["effort"]
        efforts = [value for value, _ in self._effort.choices]
        self.rir_values = sorted(int(value[4:]) for value in efforts if value.startswith("rir:"))

    @cached_property
    def form_errors(self) -> dict[str, int]:
        """slug -> key of the form errors the form offers for this variation's exercise."""
        offered = self.fields["form_errors"].queryset.order_by("slug")
        return dict(offered.values_list("slug", "pk"))

    def whole(self, line: int, name: str, raw: str, column: str) -> int:
        """reps or hold_seconds, by the form's field: 0 for an empty optional cell."""
        try:
            value = self.fields[name].clean(raw.strip())
        except ValidationError as error:
            raise CsvImportError(line, f"{column}: {' '.join(error.messages)} {got(raw)}") from None
        return value or 0

    def reps_and_hold(self, line: int, reps: int, hold: int, raw: str, column: str) -> None:
        error = reps_and_hold_error(reps, hold)
        if error:
            raise CsvImportError(line, f"{column}: {error} {got(raw)}")

    def side(self, line: int, side: str) -> str:
        if side in self.sides:
            return side
        slug = self.variation.slug
        if self.variation.one_side_at_a_time:
            raise CsvImportError(
                line,
                f"side “{side}” does not fit {slug}, which is done one leg at a time; "
                "use “left”, “right” or “unknown”.",
            )
        raise CsvImportError(
            line, f"side “{side}” does not fit {slug}, which is done on both legs; use “both”."
        )

    def tempo(self, line: int, raw: str) -> str:
        """The form's tempo field, then the notation its clean_tempo stores."""
        try:
            return tempo_notation(self.fields["tempo"].clean(raw))
        except ValidationError as error:
            raise CsvImportError(
                line, f"tempo “{raw.strip()}” is not valid. {' '.join(error.messages)}"
            ) from None

    def rpe(self, raw: str) -> Decimal | None:
        """An RPE the form's effort choices offer, None for an empty cell, or a ValueError."""
        if not raw.strip():
            return None
        value = number(raw)
        if value is None or not self._effort.valid_value(f"rpe:{plain(value)}"):
            raise ValueError(raw)
        return value.quantize(_RPE_PLACES)

    def rir(self, raw: str) -> int | None:
        """A reps-in-reserve the form's effort choices offer, None for an empty cell, or a
        ValueError."""
        if not raw.strip():
            return None
        value = number(raw)
        if value is None or not self._effort.valid_value(f"rir:{value}"):
            raise ValueError(raw)
        return int(value)

    def note(self, line: int, text: str, column: str) -> str:
        # The form's validators, not its clean(): that strips spaces, which would change
        # the note a round trip must give back.
        try:
            self.fields["note"].run_validators(text)
        except ValidationError as error:
            raise CsvImportError(line, f"{column}: {' '.join(error.messages)}") from None
        return text


@dataclass
class Catalogue:
    """What rows are checked against, looked up once per import."""

    variations: dict[str, Variation]
    latest_day: date
    rules: dict[int, SetRules] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Catalogue:
        return cls(
            variations={v.slug: v for v in Variation.objects.order_by("exercise_id", "level")},
            latest_day=latest_session_day(),
        )

    def rules_for(self, variation: Variation) -> SetRules:
        if variation.pk not in self.rules:
            self.rules[variation.pk] = SetRules(variation)
        return self.rules[variation.pk]

    def variation(self, line: int, raw: str) -> Variation:
        variation = self.variations.get(raw.strip())
        if variation is None:
            raise CsvImportError(
                line,
                f"variation “{raw.strip()}” does not exist; use one of "
                f"{', '.join(self.variations)}.",
            )
        return variation

    def day(self, line: int, value: date, raw: str) -> date:
        # The session form's window, with latest_session_day() read once per file.
        outside = outside_session_days(value, self.latest_day)
        if outside == "future":
            raise CsvImportError(
                line,
                f"the date “{raw.strip()}” is in the future; only past sessions can be logged.",
            )
        if outside == "past":
            raise CsvImportError(
                line,
                f"the date “{raw.strip()}” is too far in the past; the log starts in "
                f"{EARLIEST_DATE.year}.",
            )
        return value
