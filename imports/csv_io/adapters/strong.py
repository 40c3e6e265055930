"""Strong's CSV export: the current one with commas, and the older one with semicolons."""

from __future__ import annotations

from collections.abc import Iterator

from imports.csv_io.adapters.apps import AppRow, plan_app
from imports.csv_io.adapters.base import Adapter, Context
from imports.csv_io.checks import number
from imports.csv_io.errors import CsvImportError, got
from imports.csv_io.plan import Plan
from imports.csv_io.reading import Cells, Row, column_index

STRONG_COLUMNS = [
    "Date",
    "Workout Name",
    "Duration",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Reps",
    "Distance",
    "Seconds",
    "Notes",
    "Workout Notes",
    "RPE",
]
# Strong's older export: semicolons, and each row names its weight unit.
STRONG_OLDER_COLUMNS = [
    "Date",
    "Workout Name",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Weight Unit",
    "Reps",
    "RPE",
    "Distance",
    "Distance Unit",
    "Seconds",
    "Notes",
    "Workout Notes",
    "Workout Duration",
]
# The columns the adapter needs, case-folded: a header with them all is Strong's.
_NEEDS = {"date", "workout name", "exercise name", "set order", "weight", "reps"}
_ORDER_FLAGS = {"D": "Drop set", "F": "Failure set"}
_POUND_UNITS, _KILO_UNITS = {"lb", "lbs"}, {"kg", "kgs"}


class StrongReader:
    source = "strong"
    moment_column, weight_column, reps_column = "Date", "Weight", "Reps"
    seconds_column, note_column = "Seconds", "Notes"
    side_hints_column, side_hints_per_exercise = "Notes", False  # each set's own note

    def __init__(self, pounds: bool, columns: dict[str, int]) -> None:
        self.pounds = pounds  # the account's unit, for the current export without a unit
        self.has_unit = "weight unit" in columns

    def __call__(self, get: Cells) -> AppRow:
        order = get("Set Order").strip().upper()  # 1, 2, ...; W(arm-up), D(rop), F(ailure)
        numbered = int(order) if order.isdecimal() else None
        notes, workout_notes = get.optional("Notes"), get.optional("Workout Notes")
        return AppRow(
            workout=(get("Date").strip(), get("Workout Name").strip()),
            moment=get("Date"),
            exercise=get("Exercise Name"),
            is_set=order.isdigit() or order in {"W", "D", "F"},
            warm_up=order == "W",
            flag=_ORDER_FLAGS.get(order, ""),
            weight=get("Weight"),
            weight_unit=get("Weight Unit") if self.has_unit else None,
            reps=get("Reps"),
            seconds=get.optional("Seconds"),
            rpe=get.optional("RPE"),
            side_hints=notes,
            set_note=notes,
            session_notes=(workout_notes,) if workout_notes else (),
            # Strong numbers the sets of each block of an exercise's rows 1, 2, ...: which row
            # again is surely a copy (a row pasted twice, files joined) is apps._Copies'.
            set_order=numbered,
            copy_key=get.values() if numbered is not None else None,
        )

    def pounds_for(self, line: int, row: AppRow) -> bool:
        if row.weight_unit is None:
            return self.pounds
        unit = row.weight_unit.strip().lower()
        if unit in _POUND_UNITS:
            return True
        if unit in _KILO_UNITS or (not unit and not (number(row.weight) or 0)):
            return False
        raise CsvImportError(line, f"Weight Unit must be “kg” or “lbs” {got(row.weight_unit)}.")


def _detect(header: list[str]) -> bool:
    return set(column_index(header)) >= _NEEDS


def _plan(rows: Iterator[Row], context: Context) -> Plan:
    reader = StrongReader(context.pounds, context.columns)
    plan = plan_app(rows, context.catalogue, reader)
    loaded = any(s.load_kg for session in plan.sessions for s in session.sets)
    plan.unit_assumed = loaded and not reader.has_unit
    return plan


ADAPTER = Adapter(
    source="strong",
    described=(
        f"Strong ({','.join(STRONG_COLUMNS)}, or the older {';'.join(STRONG_OLDER_COLUMNS)})"
    ),
    detect=_detect,
    plan=_plan,
)
