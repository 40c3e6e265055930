"""A trainee's whole log as CSV in our own format, which the import reads back exactly."""

from __future__ import annotations

import re
from typing import TextIO

from django.db.models import Prefetch

from coaching.models import FormError
from imports.csv_io.adapters.ours import HIPTHRUST_COLUMNS, SET_COLUMNS
from imports.csv_io.formulas import safe
from training.models import Set, TrainingSession
from training.units import plain


def export_csv(user, out: TextIO) -> int:
    """Write the user's whole log to `out`; return the number of rows after the header."""
    writer = _Writer(out)
    writer.writerow(HIPTHRUST_COLUMNS)
    sets = Set.objects.order_by("position", "pk").prefetch_related(
        Prefetch("form_errors", queryset=FormError.objects.order_by("slug"))
    )
    sessions = (
        TrainingSession.objects.filter(user=user)
        .select_related("variation")
        .order_by("date", "pk")
        .prefetch_related(Prefetch("sets", queryset=sets))
    )
    rows = 0
    for number, session in enumerate(sessions.iterator(chunk_size=500), start=1):
        head = [number, session.date.isoformat(), session.variation.slug, safe(session.notes)]
        logged = list(session.sets.all())
        if not logged:
            writer.writerow(head + [""] * len(SET_COLUMNS))
            rows += 1
        # Positions are renumbered 1..n, as an import would store them.
        for position, done in enumerate(logged, start=1):
            writer.writerow([*head, position, *_set_cells(done)])
            rows += 1
    return rows


def _set_cells(done: Set) -> list:
    return [
        done.side,
        done.reps,
        plain(done.load_kg),
        done.hold_seconds,
        done.tempo,
        "" if done.rpe is None else plain(done.rpe),
        "" if done.rir is None else done.rir,
        ";".join(error.slug for error in done.form_errors.all()),
        "yes" if done.pain else "no",
        safe(done.note),
    ]


class _Writer:
    """csv.writer's minimal quoting, but a lone carriage return is quoted too.

    csv.writer quotes only the characters of its line terminator ("\\n" here), and a reader
    takes a bare "\\r" for the end of a line, so a note with one would break the row.
    """

    _SPECIAL = re.compile(r'[,"\r\n]')

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def writerow(self, cells: list) -> None:
        self._out.write(",".join(self._cell(str(cell)) for cell in cells) + "\n")

    def _cell(self, text: str) -> str:
        if self._SPECIAL.search(text):
            return '"' + text.replace('"', '""') + '"'
        return text
