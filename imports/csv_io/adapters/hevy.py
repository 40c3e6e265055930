"""Hevy's CSV export, its load column named by the account's unit."""

from __future__ import annotations

from collections.abc import Iterator

from imports.csv_io.adapters.apps import AppRow, plan_app
from imports.csv_io.adapters.base import Adapter, Context
from imports.csv_io.plan import Plan
from imports.csv_io.reading import Cells, Row, column_index

HEVY_COLUMNS = [
    "title",
    "start_time",
    "end_time",
    "description",
    "exercise_title",
    "superset_id",
    "exercise_notes",
    "set_index",
    "set_type",
    "weight_kg",
    "reps",
    "distance_km",
    "duration_seconds",
    "rpe",
]
# The columns the adapter needs: a header with them all, and one load column, is Hevy's.
_NEEDS = {"title", "start_time", "exercise_title", "set_type", "reps"}
_WEIGHTS = {"weight_kg": False, "weight_lbs": True}  # column -> in pounds
_TYPE_FLAGS = {"dropset": "Drop set", "failure": "Failure set"}


class HevyReader:
    source = "hevy"
    moment_column, reps_column = "start_time", "reps"
    seconds_column, note_column = "duration_seconds", "exercise_notes"
    side_hints_column, side_hints_per_exercise = "exercise_notes", True

    def __init__(self, columns: dict[str, int]) -> None:
        # Hevy names the load column by the account's unit: weight_kg or weight_lbs.
        self.weight_column = next(name for name in _WEIGHTS if name in columns)
        self.pounds = _WEIGHTS[self.weight_column]

    def __call__(self, get: Cells) -> AppRow:
        description, exercise_notes = get.optional("description"), get.optional("exercise_notes")
        set_type = get("set_type").strip().lower()
        return AppRow(
            workout=(get("title").strip(), get("start_time").strip()),
            moment=get("start_time"),
            exercise=get("exercise_title"),
            is_set=True,
            warm_up=set_type == "warmup",
            flag=_TYPE_FLAGS.get(set_type, ""),
            weight=get(self.weight_column),
            weight_unit=None,
            reps=get("reps"),
            seconds=get.optional("duration_seconds"),
            rpe=get.optional("rpe"),
            side_hints=exercise_notes,
            set_note="",
            session_notes=tuple(text for text in (description, exercise_notes) if text),
        )

    def pounds_for(self, line: int, row: AppRow) -> bool:
        return self.pounds


def _detect(header: list[str]) -> bool:
    columns = set(column_index(header))
    return columns >= _NEEDS and len(columns & set(_WEIGHTS)) == 1


def _plan(rows: Iterator[Row], context: Context) -> Plan:
    return plan_app(rows, context.catalogue, HevyReader(context.columns))


ADAPTER = Adapter(
    source="hevy",
    described=f"Hevy ({','.join(HEVY_COLUMNS)}, with weight_lbs for an account in pounds)",
    detect=_detect,
    plan=_plan,
)
