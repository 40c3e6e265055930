"""An import from start to end: read the file, let its app's adapter plan it, save the plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from training.csv_io import reading
from training.csv_io.adapters import Context, adapter_for
from training.csv_io.checks import Catalogue
from training.csv_io.save import save_plan


@dataclass(frozen=True)
class ImportResult:
    source: str  # the adapter's: "hipthrust", "strong", "hevy"
    sessions: int
    sets: int
    skipped_rows: int  # rows of other exercises, warm-ups, etc.
    duplicate_sessions: int  # sessions already in the log, not added again
    notes: tuple[str, ...]


def import_csv(user, data: TextIO, *, unit: str = "kg") -> ImportResult:
    """Add the sessions in `data` to the user's log; raise CsvImportError and save nothing if
    any row is wrong. `unit` is the user's unit, which Strong's current export writes its
    weights in (its older export and Hevy's name the unit themselves)."""
    pounds = _is_pounds(unit)
    records = reading.records(data)
    header_line, header = next(records)
    columns = reading.column_index(header)
    catalogue = Catalogue.load()
    adapter = adapter_for(header_line, header)
    rows = reading.rows(records, columns, len(header))
    plan = adapter.plan(rows, Context(columns=columns, catalogue=catalogue, pounds=pounds))
    saved = save_plan(user, plan.sessions)
    return ImportResult(
        source=adapter.source,
        sessions=saved.sessions,
        sets=saved.sets,
        skipped_rows=plan.skipped_rows,
        duplicate_sessions=saved.duplicate_sessions,
        notes=tuple(plan.notes),
    )


def _is_pounds(unit: str) -> bool:
    cleaned = unit.strip().lower()
    if cleaned not in {"kg", "lb", "lbs"}:
        raise ValueError(f"unit must be 'kg' or 'lb', not {unit!r}")
    return cleaned != "kg"
