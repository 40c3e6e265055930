"""An import from start to end, without a preview shown in between: preview it, save it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from imports.csv_io.preview import preview_csv
from imports.csv_io.save import PreviewOutdated, save_preview


@dataclass(frozen=True)
class ImportResult:
    source: str  # the adapter's: "hipthrust", "strong", "hevy"
    sessions: int
    sets: int
    skipped_rows: int  # rows of other exercises, warm-ups, etc.
    duplicate_sessions: int  # sessions already in the log, not added again
    notes: tuple[str, ...]


def import_csv(user, data: TextIO, *, unit: str = "kg", file_name: str = "") -> ImportResult:
    """Add the sessions in `data` to the user's log; raise CsvImportError and save nothing if
    any row is wrong. `unit` is the user's unit, which Strong's current export writes its
    weights in (its older export and Hevy's name the unit themselves)."""
    text = data.read()
    preview = preview_csv(user, text, unit=unit)
    try:
        saved = save_preview(user, preview, file_name=file_name)
    except PreviewOutdated:
        # Nobody saw the preview: look the duplicates up again in the changed log.
        preview = preview_csv(user, text, unit=unit)
        saved = save_preview(user, preview, file_name=file_name)
    return ImportResult(
        source=preview.source,
        sessions=saved.sessions,
        sets=saved.sets,
        skipped_rows=preview.skipped_rows,
        duplicate_sessions=saved.duplicate_sessions,
        notes=preview.notes,
    )
