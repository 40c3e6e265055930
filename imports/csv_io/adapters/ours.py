"""hipthrust's own format: one row per set, the session's columns repeated on each of its rows.

A session without sets is one row with the set columns empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from imports.csv_io.adapters.base import Adapter, Context
from imports.csv_io.checks import Catalogue, SetRules, load_kg, session_notes
from imports.csv_io.errors import CsvImportError, got
from imports.csv_io.formulas import unsafe
from imports.csv_io.plan import Plan, PlannedSession, PlannedSet
from imports.csv_io.reading import Cells, Row, column_index
from training.models import Side
from training.units import from_kg, plain

HIPTHRUST_COLUMNS = [
    "session",
    "date",
    "variation",
    "session_notes",
    "position",
    "side",
    "reps",
    "load_kg",
    "hold_seconds",
    "tempo",
    "rpe",
    "rir",
    "form_errors",
    "pain",
    "note",
]
SET_COLUMNS = HIPTHRUST_COLUMNS[4:]
# For an account in pounds the export adds each load in pounds beside its kilograms.
LOAD_LB = "load_lb"

_WHOLE = re.compile(r"^\d+$")


def columns_for(unit: str) -> list[str]:
    """The export's header for an account in `unit`: load_lb beside load_kg for pounds."""
    if unit != "lb":
        return HIPTHRUST_COLUMNS
    at = HIPTHRUST_COLUMNS.index("load_kg") + 1
    return [*HIPTHRUST_COLUMNS[:at], LOAD_LB, *HIPTHRUST_COLUMNS[at:]]


def _detect(header: list[str]) -> bool:
    return any(
        len(header) == len(columns) and set(column_index(header)) == set(columns)
        for columns in (HIPTHRUST_COLUMNS, columns_for("lb"))
    )


def _plan(rows: Iterator[Row], context: Context) -> Plan:
    catalogue = context.catalogue
    plan = Plan(sessions=[])
    seen: dict[str, int] = {}  # session label -> its first line
    current: PlannedSession | None = None
    label = ""
    set_less = False  # the current session has a row with no set
    for line, get in rows:
        row_label = get("session").strip()
        if not row_label:
            raise CsvImportError(
                line, "session is empty; every row needs the number of its session."
            )
        if current is None or row_label != label:
            _first_row(line, row_label, seen)
            label, set_less = row_label, False
            current = _new_session(line, get, catalogue)
            plan.sessions.append(current)
        else:
            _same_session(line, get, current, label, catalogue)

        if not any(get.optional(name).strip() for name in (*SET_COLUMNS, LOAD_LB)):
            if current.sets or set_less:
                raise CsvImportError(
                    line, f"this row has no set, but session “{label}” has other rows."
                )
            set_less = True
            continue
        if set_less:
            raise CsvImportError(
                line, f"session “{label}” has a row with no set; a session with sets needs none."
            )
        current.sets.append(_set(line, get, catalogue.rules_for(current.variation)))
    return plan


def _first_row(line: int, label: str, seen: dict[str, int]) -> None:
    if label in seen:
        raise CsvImportError(
            line,
            f"session “{label}” started on line {seen[label]} and other rows came between; "
            "keep the rows of a session together.",
        )
    seen[label] = line


def _new_session(line: int, get: Cells, catalogue: Catalogue) -> PlannedSession:
    return PlannedSession(
        line=line,
        date=_date(line, get("date"), catalogue),
        variation=catalogue.variation(line, get("variation")),
        notes=session_notes(line, unsafe(get("session_notes")), "session_notes"),
    )


def _date(line: int, raw: str, catalogue: Catalogue) -> date:
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        raise CsvImportError(
            line, f"date must be a real date written like 2024-03-05 {got(raw)}."
        ) from None
    return catalogue.day(line, value, raw)


def _same_session(
    line: int, get: Cells, current: PlannedSession, label: str, catalogue: Catalogue
) -> None:
    """Later rows of a session may repeat its date, variation and notes, or leave them empty."""
    if get("date").strip() and _date(line, get("date"), catalogue) != current.date:
        raise CsvImportError(
            line,
            f"session “{label}” is dated {current.date.isoformat()} on line {current.line}; "
            "all its rows need the same date.",
        )
    if get("variation").strip() and get("variation").strip() != current.variation.slug:
        raise CsvImportError(
            line,
            f"session “{label}” is of {current.variation.slug} on line {current.line}; "
            "all its rows need the same variation.",
        )
    notes = unsafe(get("session_notes"))
    if notes and notes != current.notes:
        if current.notes:
            raise CsvImportError(
                line,
                f"session “{label}” has different session_notes on line {current.line}; "
                "all its rows need the same notes.",
            )
        current.notes = session_notes(line, notes, "session_notes")


def _set(line: int, get: Cells, rules: SetRules) -> PlannedSet:
    """One set row, checked cell by cell in column order, as the set form checks it."""
    _position(line, get("position"))
    side = get("side").strip().lower()
    if side not in Side.values:
        raise CsvImportError(line, f"side must be left, right, both or unknown {got(get('side'))}.")
    rules.side(line, side)
    reps = rules.whole(line, "reps", get("reps"), "reps")
    hold = rules.whole(line, "hold_seconds", get("hold_seconds"), "hold_seconds")
    rules.reps_and_hold(line, reps, hold, get("reps"), "reps")
    tempo = rules.tempo(line, get("tempo"))
    rpe, rir = _effort(line, get, rules)
    errors = _form_errors(line, get("form_errors"), rules)
    pain = get("pain").strip().lower()
    if pain not in {"yes", "no", ""}:
        raise CsvImportError(line, f"pain must be “yes” or “no” {got(get('pain'))}.")
    load, pounds = _load(line, get)
    return PlannedSet(
        side=side,
        reps=reps,
        load_kg=load,
        pounds=pounds,
        hold_seconds=hold,
        tempo=tempo,
        rpe=rpe,
        rir=rir,
        form_errors=errors,
        pain=pain == "yes",
        note=rules.note(line, unsafe(get("note")), "note"),
        line=line,
    )


def _load(line: int, get: Cells) -> tuple[Decimal, Decimal | None]:
    """The kilograms of a set's load, and its pounds when only load_lb gave it. load_kg is
    the load as stored; a load_lb beside it must be the same load, so a load changed in one
    column of a spreadsheet and not the other is never saved as either silently."""
    kg_cell, lb_cell = get("load_kg"), get.optional(LOAD_LB)
    if not lb_cell.strip():
        return load_kg(line, kg_cell, "load_kg", as_stored=True), None
    from_pounds = load_kg(line, lb_cell, LOAD_LB, pounds=True)
    if not kg_cell.strip():
        return from_pounds, from_kg(from_pounds, "lb")
    kg = load_kg(line, kg_cell, "load_kg", as_stored=True)
    if from_kg(kg, "lb") != from_kg(from_pounds, "lb"):
        raise CsvImportError(
            line,
            f"load_kg and load_lb are different loads: {plain(kg)} kg is "
            f"{plain(from_kg(kg, 'lb'))} lb, not {lb_cell.strip()} lb. Change one to match "
            "the other, or empty one of them.",
        )
    return kg, None


def _position(line: int, raw: str) -> None:
    # Only checked: positions are renumbered 1..n in file order, as the export writes them.
    position = raw.strip()
    if position and not (_WHOLE.match(position) and int(position) >= 1):
        raise CsvImportError(
            line, f"position must be a whole number from 1 up, or empty {got(position)}."
        )


def _effort(line: int, get: Cells, rules: SetRules) -> tuple[Decimal | None, int | None]:
    """rpe and rir, each one of the set form's effort choices; a set gives one at most."""
    try:
        rpe = rules.rpe(get("rpe"))
    except ValueError:
        raise CsvImportError(
            line, f"rpe must be from 6 to 10 in half steps, like 7.5 {got(get('rpe'))}."
        ) from None
    try:
        rir = rules.rir(get("rir"))
    except ValueError:
        raise CsvImportError(
            line,
            f"rir must be one of {rules.rir_values[0]} to {rules.rir_values[-1]}, as when a set "
            f"is logged by hand {got(get('rir'))}.",
        ) from None
    if rpe is not None and rir is not None:
        raise CsvImportError(
            line,
            f"give rpe or rir for a set, not both (got rpe “{get('rpe').strip()}” and "
            f"rir “{get('rir').strip()}”).",
        )
    return rpe, rir


def _form_errors(line: int, raw: str, rules: SetRules) -> tuple[int, ...]:
    """The keys of the form errors named, each once; only those the set form offers."""
    offered = rules.form_errors
    errors: list[int] = []
    for slug in (part.strip() for part in raw.split(";")):
        if not slug:
            continue
        if slug not in offered:
            raise CsvImportError(
                line,
                f"form error “{slug}” does not exist; use one of "
                f"{', '.join(offered)}, separated by “;”.",
            )
        if offered[slug] not in errors:
            errors.append(offered[slug])
    return tuple(errors)


ADAPTER = Adapter(
    source="hipthrust",
    described=(
        f"hipthrust ({','.join(HIPTHRUST_COLUMNS)}, with {LOAD_LB} beside load_kg for an "
        "account in pounds)"
    ),
    detect=_detect,
    plan=_plan,
)
