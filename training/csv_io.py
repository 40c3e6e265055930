"""Export a trainee's log to CSV and import it back, plus the CSV exports of Strong and Hevy.

Our own format has one row per set, so a spreadsheet can sort and filter it; the session
columns repeat on every row of a session. Exporting what an import saved gives back the
imported file byte for byte. Text cells a spreadsheet would run as a formula (starting with
= + - @, a tab or a carriage return) are written with a leading single quote, as OWASP
advises against CSV injection; a text cell starting with a quote gets one more, and our
import takes exactly one off, so the round trip stays exact.

Imports are all or nothing: every row is checked first, with the rules of the set form a
person types into, then duplicates are looked up, and only then is a file without a single
bad row written, in one short transaction that does nothing but write. Give `import_csv`
text, for an upload for example `io.TextIOWrapper(upload, encoding="utf-8-sig",
newline="")`; a byte order mark left in the text and CRLF line endings are tolerated.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal, TextIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch

from coaching.models import FormError, Variation
from training.forms import (
    EARLIEST_DATE,
    EFFORT_CHOICES,
    SessionForm,
    SetForm,
    latest_session_day,
    load_in_kg,
    reps_and_hold_error,
    tempo_notation,
)
from training.models import RPE_VALUES, Profile, Set, Side, TrainingSession, log_version_bumped

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
# The columns each importer needs, case-folded: a header with them all is recognised.
_STRONG_NEEDS = {"date", "workout name", "exercise name", "set order", "weight", "reps"}
_HEVY_NEEDS = {"title", "start_time", "exercise_title", "set_type", "reps"}
_HEVY_WEIGHTS = {"weight_kg": False, "weight_lbs": True}  # column -> in pounds

MAX_ROWS = 50_000
_RPE_PLACES = Decimal("0.1")
_BATCH = 1000
# OWASP's list: a cell starting with one of these is a formula to a spreadsheet. The quote
# is ours: a text that starts with it gets one more, so the import can take exactly one off.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")

Source = Literal["hipthrust", "strong", "hevy"]


class CsvImportError(ValueError):
    """A file that cannot be imported; nothing from it was saved."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"Line {line}: {message}")


@dataclass(frozen=True)
class ImportResult:
    source: Source
    sessions: int
    sets: int
    skipped_rows: int  # rows of other exercises, warm-ups, etc.
    duplicate_sessions: int  # sessions already in the log, not added again
    notes: tuple[str, ...]


# --------------------------------------------------------------------------- export


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
        head = [number, session.date.isoformat(), session.variation.slug, _safe(session.notes)]
        logged = list(session.sets.all())
        if not logged:
            writer.writerow(head + [""] * len(SET_COLUMNS))
            rows += 1
        # Positions are renumbered 1..n, as an import would store them.
        for position, done in enumerate(logged, start=1):
            writer.writerow(
                [
                    *head,
                    position,
                    done.side,
                    done.reps,
                    _plain(done.load_kg),
                    done.hold_seconds,
                    done.tempo,
                    "" if done.rpe is None else _plain(done.rpe),
                    "" if done.rir is None else done.rir,
                    ";".join(error.slug for error in done.form_errors.all()),
                    "yes" if done.pain else "no",
                    _safe(done.note),
                ]
            )
            rows += 1
    return rows


def _plain(value: Decimal) -> str:
    """60.0000000000 -> "60", 28.3495231250 -> "28.349523125", never an exponent."""
    return format(value.normalize(), "f")


class _Writer:
    """csv.writer's minimal quoting, but a lone carriage return is quoted too.

    csv.writer quotes only the characters of its line terminator ("\n" here), and a reader
    takes a bare "\r" for the end of a line, so a note with one would break the row.
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


def _safe(text: str) -> str:
    """A free-text cell a spreadsheet shows as text instead of running it."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _unsafe(text: str) -> str:
    """Undo `_safe`, exactly."""
    return text[1:] if text.startswith("'") else text


# --------------------------------------------------------------------------- import


@dataclass
class _PlannedSet:
    side: str
    reps: int
    load_kg: Decimal
    hold_seconds: int = 0
    tempo: str = ""
    rpe: Decimal | None = None
    rir: int | None = None
    form_errors: tuple[int, ...] = ()
    pain: bool = False
    note: str = ""


@dataclass
class _PlannedSession:
    line: int
    date: date
    variation: Variation
    notes: str = ""
    sets: list[_PlannedSet] = field(default_factory=list)

    def fingerprint(self) -> tuple:
        return _fingerprint(
            self.date,
            self.variation.pk,
            [(s.side, s.reps, s.load_kg, s.hold_seconds, s.tempo) for s in self.sets],
        )


def _fingerprint(day: date, variation_id: int, sets: list[tuple]) -> tuple:
    # Decimal("60") == Decimal("60.0000000000") and they hash alike, so loads compare exactly.
    return (day, variation_id, tuple(sets))


class _SetRules:
    """The set form's own fields for one variation, to check a row as a typed set is checked.

    Built once per variation, not once per row: a form costs far more than its fields'
    checks, and a file may have 50,000 rows.
    """

    def __init__(self, variation: Variation) -> None:
        form = SetForm(
            session=TrainingSession(variation=variation), unit="kg", allow_unknown_side=True
        )
        self.fields = form.fields
        self.sides = [value for value, _ in form.fields["side"].choices]

    def whole(self, line: int, name: str, raw: str, column: str) -> int:
        """reps or hold_seconds, by the form's field: 0 for an empty optional cell."""
        try:
            value = self.fields[name].clean(raw.strip())
        except ValidationError as error:
            raise CsvImportError(
                line, f"{column}: {' '.join(error.messages)} {_got(raw)}"
            ) from None
        return value or 0

    def note(self, line: int, text: str, column: str) -> str:
        # The form's validators, not its clean(): that strips spaces, which would change
        # the note a round trip must give back.
        try:
            self.fields["note"].run_validators(text)
        except ValidationError as error:
            raise CsvImportError(line, f"{column}: {' '.join(error.messages)}") from None
        return text


def _reps_and_hold(line: int, reps: int, hold: int, raw: str, column: str) -> None:
    error = reps_and_hold_error(reps, hold)
    if error:
        raise CsvImportError(line, f"{column}: {error} {_got(raw)}")


@dataclass
class _Catalogue:
    """What rows are checked against, looked up once per import."""

    variations: dict[str, Variation]
    form_errors: dict[str, tuple[int, int]]  # slug -> (pk, exercise)
    latest_day: date
    rules: dict[int, _SetRules] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Catalogue:
        errors = FormError.objects.order_by("slug").values_list("slug", "pk", "exercise_id")
        return cls(
            variations={v.slug: v for v in Variation.objects.order_by("exercise_id", "level")},
            form_errors={slug: (pk, exercise) for slug, pk, exercise in errors},
            latest_day=latest_session_day(),
        )

    def rules_for(self, variation: Variation) -> _SetRules:
        if variation.pk not in self.rules:
            self.rules[variation.pk] = _SetRules(variation)
        return self.rules[variation.pk]


@dataclass
class _Plan:
    sessions: list[_PlannedSession]
    skipped_rows: int = 0
    notes: list[str] = field(default_factory=list)


def import_csv(user, data: TextIO, *, unit: str = "kg") -> ImportResult:
    """Add the sessions in `data` to the user's log; raise CsvImportError and save nothing if
    any row is wrong. `unit` is the user's unit, which Strong's current export writes its
    weights in (its older export and Hevy's name the unit themselves)."""
    lb = _is_pounds(unit)
    records = _records(data)
    header_line, header = next(records)
    columns = {name.strip().casefold(): index for index, name in enumerate(header)}
    catalogue = _Catalogue.load()
    source: Source
    if len(header) == len(HIPTHRUST_COLUMNS) and set(columns) == set(HIPTHRUST_COLUMNS):
        source, plan = "hipthrust", _plan_ours(_rows(records, columns, len(header)), catalogue)
    elif set(columns) >= _STRONG_NEEDS:
        rows = _rows(records, columns, len(header))
        source, plan = "strong", _plan_app(rows, catalogue, _StrongReader(lb, columns))
    elif set(columns) >= _HEVY_NEEDS and len(set(columns) & set(_HEVY_WEIGHTS)) == 1:
        rows = _rows(records, columns, len(header))
        source, plan = "hevy", _plan_app(rows, catalogue, _HevyReader(columns))
    else:
        raise CsvImportError(
            header_line,
            "the first row is not a header we know. We import files exported from hipthrust "
            f"({','.join(HIPTHRUST_COLUMNS)}), from Strong ({','.join(STRONG_COLUMNS)}, or "
            f"the older {';'.join(STRONG_OLDER_COLUMNS)}) and from Hevy "
            f"({','.join(HEVY_COLUMNS)}, with weight_lbs for an account in pounds).",
        )

    # Read and check everything before the write, so the write lock is held only for the
    # INSERTs: on SQLite it blocks every other trainee's writes while it is held.
    seen_version = Profile.objects.filter(user=user).values_list("log_version", flat=True).first()
    new, duplicates = _drop_duplicates(user, plan.sessions)
    set_count = 0
    if new:
        with transaction.atomic():
            # The version bump is the first write: it takes the write lock (a row lock on
            # PostgreSQL), so two imports of one trainee, from a double submit, queue here.
            # If the log changed since the check, check again now that nothing can slip in.
            bumped = Profile.objects.filter(user=user, log_version=seen_version).update(
                log_version=F("log_version") + 1
            )
            if not bumped:
                Profile.objects.bump_log_version(user.pk)
                new, duplicates = _drop_duplicates(user, plan.sessions)
            with log_version_bumped(user.pk):  # the bump above, which _save's writes skip
                set_count = _save(user, new) if new else 0
    return ImportResult(
        source=source,
        sessions=len(new),
        sets=set_count,
        skipped_rows=plan.skipped_rows,
        duplicate_sessions=duplicates,
        notes=tuple(plan.notes),
    )


def _is_pounds(unit: str) -> bool:
    cleaned = unit.strip().lower()
    if cleaned not in {"kg", "lb", "lbs"}:
        raise ValueError(f"unit must be 'kg' or 'lb', not {unit!r}")
    return cleaned != "kg"


# Reading ---------------------------------------------------------------------------


def _records(data: TextIO) -> Iterator[tuple[int, list[str]]]:
    """Yield (first physical line, cells) for each CSV record, the header first."""
    first = data.readline()
    first = first.removeprefix("\ufeff")
    if not first.strip():
        raise CsvImportError(
            1, "the file is empty; it should start with a header row naming the columns."
        )
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(itertools.chain([first], data), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CsvImportError(
                start, f"this row is not valid CSV ({error}); check its quotes."
            ) from None
        yield start, row
        start = reader.line_num + 1


class _Cells:
    """One data row, read by column name: cells("reps"), or cells.optional("RPE")."""

    __slots__ = ("_cells", "_columns")

    def __init__(self, cells: list[str], columns: dict[str, int]) -> None:
        self._cells, self._columns = cells, columns

    def __call__(self, name: str) -> str:
        return self._cells[self._columns[name.casefold()]]

    def optional(self, name: str) -> str:
        index = self._columns.get(name.casefold())
        return "" if index is None else self._cells[index]


_Row = tuple[int, _Cells]


def _rows(
    records: Iterator[tuple[int, list[str]]], columns: dict[str, int], width: int
) -> Iterator[_Row]:
    """Yield (first line, cells) for each data row that is not blank."""
    count = 0
    for line, cells in records:
        count += 1
        if count > MAX_ROWS:
            raise CsvImportError(
                line,
                f"the file has more than {MAX_ROWS:,} rows; split it into smaller files and "
                "import them one after another.",
            )
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            raise CsvImportError(
                line,
                f"this row has {len(cells)} columns but the header has {width}; "
                "a separator or a quote may be missing or extra.",
            )
        yield line, _Cells(cells, columns)


# Checking cells --------------------------------------------------------------------

_WHOLE = re.compile(r"^\d+$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
# The effort a person can pick in the set form, and so the only ones an import stores.
_EFFORTS = {value for value, _ in EFFORT_CHOICES if value}
_RIR_VALUES = sorted(int(value[4:]) for value in _EFFORTS if value.startswith("rir:"))


def _got(raw: str) -> str:
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    return f"(got “{shown}”)"


def _number(raw: str) -> Decimal | None:
    text = raw.strip()
    if re.fullmatch(r"-?\d+,\d+", text):  # a decimal comma, as spreadsheets in much of Europe
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
        return None


def _load(line: int, raw: str, name: str, *, pounds: bool = False) -> Decimal:
    value = Decimal(0) if not raw.strip() else _number(raw)
    if value is None:
        unit = "pounds" if pounds else "kilograms"
        raise CsvImportError(line, f"{name} must be a number of {unit}, 0 or more {_got(raw)}.")
    try:
        return load_in_kg(value, "lb" if pounds else "kg")
    except ValidationError as error:
        raise CsvImportError(line, f"{name}: {' '.join(error.messages)} {_got(raw)}") from None


def _rpe(raw: str) -> Decimal | None:
    """A valid RPE, None for an empty cell, or a ValueError."""
    if not raw.strip():
        return None
    value = _number(raw)
    if value is None or value not in RPE_VALUES:
        raise ValueError(raw)
    return value.quantize(_RPE_PLACES)


def _day(line: int, value: date, raw: str, catalogue: _Catalogue) -> date:
    # The session form's bounds: from EARLIEST_DATE to latest_session_day().
    if value > catalogue.latest_day:
        raise CsvImportError(
            line, f"the date “{raw.strip()}” is in the future; only past sessions can be logged."
        )
    if value < EARLIEST_DATE:
        raise CsvImportError(
            line,
            f"the date “{raw.strip()}” is too far in the past; the log starts in "
            f"{EARLIEST_DATE.year}.",
        )
    return value


def _session_notes(line: int, raw: str, name: str) -> str:
    # The session form's own validators (length, NUL), on the text as it is.
    try:
        SessionForm.base_fields["notes"].run_validators(raw)
    except ValidationError as error:
        raise CsvImportError(line, f"{name}: {' '.join(error.messages)}") from None
    return raw


def _side_fits(line: int, side: str, variation: Variation, rules: _SetRules) -> str:
    if side in rules.sides:
        return side
    if variation.one_side_at_a_time:
        raise CsvImportError(
            line,
            f"side “{side}” does not fit {variation.slug}, which is done one leg at a time; "
            "use “left”, “right” or “unknown”.",
        )
    raise CsvImportError(
        line,
        f"side “{side}” does not fit {variation.slug}, which is done on both legs; use “both”.",
    )


# Our format ------------------------------------------------------------------------


def _plan_ours(rows: Iterator[_Row], catalogue: _Catalogue) -> _Plan:
    plan = _Plan(sessions=[])
    seen: dict[str, int] = {}  # session label -> its first line
    current: _PlannedSession | None = None
    label = ""
    set_less = False  # the current session has a row with no set
    for line, get in rows:
        row_label = get("session").strip()
        if not row_label:
            raise CsvImportError(
                line, "session is empty; every row needs the number of its session."
            )
        if current is None or row_label != label:
            if row_label in seen:
                raise CsvImportError(
                    line,
                    f"session “{row_label}” started on line {seen[row_label]} and other rows "
                    "came between; keep the rows of a session together.",
                )
            seen[row_label] = line
            label, set_less = row_label, False
            current = _PlannedSession(
                line=line,
                date=_our_date(line, get("date"), catalogue),
                variation=_variation(line, get("variation"), catalogue),
                notes=_session_notes(line, _unsafe(get("session_notes")), "session_notes"),
            )
            plan.sessions.append(current)
        else:
            _same_session(line, get, current, label, catalogue)

        if not any(get(name).strip() for name in SET_COLUMNS):
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
        current.sets.append(_our_set(line, get, current.variation, catalogue))
    return plan


def _our_date(line: int, raw: str, catalogue: _Catalogue) -> date:
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        raise CsvImportError(
            line, f"date must be a real date written like 2024-03-05 {_got(raw)}."
        ) from None
    return _day(line, value, raw, catalogue)


def _variation(line: int, raw: str, catalogue: _Catalogue) -> Variation:
    variation = catalogue.variations.get(raw.strip())
    if variation is None:
        raise CsvImportError(
            line,
            f"variation “{raw.strip()}” does not exist; use one of "
            f"{', '.join(catalogue.variations)}.",
        )
    return variation


def _same_session(
    line: int, get: _Cells, current: _PlannedSession, label: str, catalogue: _Catalogue
) -> None:
    """Later rows of a session may repeat its date, variation and notes, or leave them empty."""
    if get("date").strip() and _our_date(line, get("date"), catalogue) != current.date:
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
    notes = _unsafe(get("session_notes"))
    if notes and notes != current.notes:
        if current.notes:
            raise CsvImportError(
                line,
                f"session “{label}” has different session_notes on line {current.line}; "
                "all its rows need the same notes.",
            )
        current.notes = _session_notes(line, notes, "session_notes")


def _our_set(line: int, get: _Cells, variation: Variation, catalogue: _Catalogue) -> _PlannedSet:
    rules = catalogue.rules_for(variation)
    position = get("position").strip()
    if position and not (_WHOLE.match(position) and int(position) >= 1):
        raise CsvImportError(
            line, f"position must be a whole number from 1 up, or empty {_got(position)}."
        )
    side = get("side").strip().lower()
    if side not in Side.values:
        raise CsvImportError(
            line, f"side must be left, right, both or unknown {_got(get('side'))}."
        )
    _side_fits(line, side, variation, rules)

    reps = rules.whole(line, "reps", get("reps"), "reps")
    hold = rules.whole(line, "hold_seconds", get("hold_seconds"), "hold_seconds")
    _reps_and_hold(line, reps, hold, get("reps"), "reps")

    try:
        tempo = tempo_notation(get("tempo"))
    except ValidationError as error:
        raise CsvImportError(
            line, f"tempo “{get('tempo').strip()}” is not valid. {' '.join(error.messages)}"
        ) from None

    try:
        rpe = _rpe(get("rpe"))
    except ValueError:
        raise CsvImportError(
            line, f"rpe must be from 6 to 10 in half steps, like 7.5 {_got(get('rpe'))}."
        ) from None
    rir = None
    if get("rir").strip():
        rir_value = _number(get("rir"))
        if rir_value is None or f"rir:{rir_value}" not in _EFFORTS:
            raise CsvImportError(
                line,
                f"rir must be one of {_RIR_VALUES[0]} to {_RIR_VALUES[-1]}, as when a set is "
                f"logged by hand {_got(get('rir'))}.",
            )
        rir = int(rir_value)
    if rpe is not None and rir is not None:
        raise CsvImportError(
            line,
            f"give rpe or rir for a set, not both (got rpe “{get('rpe').strip()}” and "
            f"rir “{get('rir').strip()}”).",
        )

    # The form offers the form errors of the session's exercise; so does the import.
    offered = {
        slug: pk
        for slug, (pk, exercise) in catalogue.form_errors.items()
        if exercise == variation.exercise_id
    }
    errors: list[int] = []
    for slug in (part.strip() for part in get("form_errors").split(";")):
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

    pain = get("pain").strip().lower()
    if pain not in {"yes", "no", ""}:
        raise CsvImportError(line, f"pain must be “yes” or “no” {_got(get('pain'))}.")

    return _PlannedSet(
        side=side,
        reps=reps,
        load_kg=_load(line, get("load_kg"), "load_kg"),
        hold_seconds=hold,
        tempo=tempo,
        rpe=rpe,
        rir=rir,
        form_errors=tuple(errors),
        pain=pain == "yes",
        note=rules.note(line, _unsafe(get("note")), "note"),
    )


# Strong and Hevy -------------------------------------------------------------------

_SINGLE_LEG = re.compile(r"\b(single leg|one leg|unilateral)\b")
_LEFT = re.compile(r"\bleft\b|\(l\)", re.IGNORECASE)
_RIGHT = re.compile(r"\bright\b|\(r\)", re.IGNORECASE)
_STRONG_ORDER_FLAGS = {"D": "Drop set", "F": "Failure set"}
_HEVY_TYPE_FLAGS = {"dropset": "Drop set", "failure": "Failure set"}
_POUND_UNITS, _KILO_UNITS = {"lb", "lbs"}, {"kg", "kgs"}
# Strong's current export: "2025-09-02 6:12:45 PM", maybe with U+202F before the PM.
_APP_TIME_FORMATS = (
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%d %I:%M %p",
    "%d %b %Y, %H:%M",
    "%d %b %Y %H:%M",
)


def _exercise_words(name: str) -> str:
    words = re.sub(r"[-_\s]+", " ", name.casefold())
    return words.replace("hipthrust", "hip thrust")


def _side_in(text: str) -> str | None:
    left, right = bool(_LEFT.search(text)), bool(_RIGHT.search(text))
    if left == right:  # neither, or both mentioned: no side can be read from it
        return None
    return Side.LEFT if left else Side.RIGHT


def _app_moment(line: int, raw: str, column: str, catalogue: _Catalogue) -> date:
    text = " ".join(raw.replace("\u202f", " ").replace("\xa0", " ").split())
    text = text.replace("Sept", "Sep")
    try:
        return _day(line, datetime.fromisoformat(text).date(), raw, catalogue)
    except ValueError:
        pass
    for pattern in _APP_TIME_FORMATS:
        try:
            moment = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return _day(line, moment.date(), raw, catalogue)
    raise CsvImportError(
        line, f"{column} must be a date and time like 2024-03-05 07:30:12 {_got(raw)}."
    )


@dataclass
class _AppRow:
    """What the Strong and Hevy readers hand over from one row."""

    workout: tuple[str, str]  # one workout: (date, name) for Strong, (title, start) for Hevy
    moment: str
    exercise: str
    is_set: bool  # Strong gives rest timers and notes rows of their own
    warm_up: bool
    flag: str  # "Drop set", "Failure set" or ""
    weight: str
    weight_unit: str | None  # the row's own unit; None when the file has no such column
    reps: str
    seconds: str  # a timed set's duration: its hold
    rpe: str
    side_hints: str  # text besides the exercise name that may say left or right
    set_note: str
    session_notes: tuple[str, ...]


class _StrongReader:
    moment_column, weight_column, reps_column = "Date", "Weight", "Reps"
    seconds_column, note_column = "Seconds", "Notes"

    def __init__(self, pounds: bool, columns: dict[str, int]) -> None:
        self.pounds = pounds  # the account's unit, for the current export without a unit
        self.has_unit = "weight unit" in columns

    def __call__(self, get: _Cells) -> _AppRow:
        order = get("Set Order").strip().upper()  # 1, 2, ...; W(arm-up), D(rop), F(ailure)
        notes, workout_notes = get.optional("Notes"), get.optional("Workout Notes")
        return _AppRow(
            workout=(get("Date").strip(), get("Workout Name").strip()),
            moment=get("Date"),
            exercise=get("Exercise Name"),
            is_set=order.isdigit() or order in {"W", "D", "F"},
            warm_up=order == "W",
            flag=_STRONG_ORDER_FLAGS.get(order, ""),
            weight=get("Weight"),
            weight_unit=get("Weight Unit") if self.has_unit else None,
            reps=get("Reps"),
            seconds=get.optional("Seconds"),
            rpe=get.optional("RPE"),
            side_hints=notes,
            set_note=notes,
            session_notes=(workout_notes,) if workout_notes else (),
        )

    def pounds_for(self, line: int, row: _AppRow) -> bool:
        if row.weight_unit is None:
            return self.pounds
        unit = row.weight_unit.strip().lower()
        if unit in _POUND_UNITS:
            return True
        if unit in _KILO_UNITS or (not unit and not (_number(row.weight) or 0)):
            return False
        raise CsvImportError(line, f"Weight Unit must be “kg” or “lbs” {_got(row.weight_unit)}.")


class _HevyReader:
    moment_column, reps_column = "start_time", "reps"
    seconds_column, note_column = "duration_seconds", "exercise_notes"

    def __init__(self, columns: dict[str, int]) -> None:
        # Hevy names the load column by the account's unit: weight_kg or weight_lbs.
        self.weight_column = next(name for name in _HEVY_WEIGHTS if name in columns)
        self.pounds = _HEVY_WEIGHTS[self.weight_column]

    def __call__(self, get: _Cells) -> _AppRow:
        description, exercise_notes = get.optional("description"), get.optional("exercise_notes")
        set_type = get("set_type").strip().lower()
        return _AppRow(
            workout=(get("title").strip(), get("start_time").strip()),
            moment=get("start_time"),
            exercise=get("exercise_title"),
            is_set=True,
            warm_up=set_type == "warmup",
            flag=_HEVY_TYPE_FLAGS.get(set_type, ""),
            weight=get(self.weight_column),
            weight_unit=None,
            reps=get("reps"),
            seconds=get.optional("duration_seconds"),
            rpe=get.optional("rpe"),
            side_hints=exercise_notes,
            set_note="",
            session_notes=tuple(text for text in (description, exercise_notes) if text),
        )

    def pounds_for(self, line: int, row: _AppRow) -> bool:
        return self.pounds


def _is_zero(raw: str) -> bool:
    return not raw.strip() or _number(raw) == 0


def _plan_app(
    rows: Iterator[_Row], catalogue: _Catalogue, read: _StrongReader | _HevyReader
) -> _Plan:
    plan = _Plan(sessions=[])
    sessions: dict[tuple, _PlannedSession] = {}
    session_notes: dict[tuple, list[str]] = {}
    unsided = 0  # single-leg sets whose row does not say which leg
    skipped = Counter[str]()
    dropped_rpe = 0

    for line, get in rows:
        row = read(get)
        words = _exercise_words(row.exercise)
        bridge, thrust = "glute bridge" in words, "hip thrust" in words
        single_leg = bool(_SINGLE_LEG.search(words))
        if not (row.is_set and (bridge or thrust)):
            skipped["other"] += 1
            continue
        if single_leg and bridge:
            skipped["single-leg glute bridge"] += 1
            continue
        if thrust and not bridge and not single_leg:
            skipped["two-legged hip thrust"] += 1
            continue
        if row.warm_up:
            skipped["warm-up"] += 1
            continue
        if _is_zero(row.reps) and _is_zero(row.seconds):
            skipped["no reps"] += 1  # neither reps nor a time: not a finished set
            continue

        load = _load(line, row.weight, read.weight_column, pounds=read.pounds_for(line, row))
        if bridge:
            slug = "floor-glute-bridge"
        else:
            slug = "loaded-single-leg-hip-thrust" if load > 0 else "single-leg-hip-thrust"
        variation = _variation(line, slug, catalogue)
        rules = catalogue.rules_for(variation)
        # A timed set is a hold: its seconds are the hold, and it may have no reps.
        reps = 0 if _is_zero(row.reps) else rules.whole(line, "reps", row.reps, read.reps_column)
        hold = rules.whole(line, "hold_seconds", row.seconds, read.seconds_column)
        _reps_and_hold(line, reps, hold, row.reps, read.reps_column)

        if variation.one_side_at_a_time:
            # Only what the row says; never a guess from the order of the sets.
            side = _side_in(row.exercise) or _side_in(row.side_hints) or Side.UNKNOWN
            unsided += side == Side.UNKNOWN
        else:
            side = Side.BOTH
        _side_fits(line, side, variation, rules)

        try:
            rpe = _rpe(row.rpe)
        except ValueError:
            rpe, dropped_rpe = None, dropped_rpe + 1

        key = (row.workout, slug)
        session = sessions.get(key)
        if session is None:
            session = _PlannedSession(
                line=line,
                date=_app_moment(line, row.moment, read.moment_column, catalogue),
                variation=variation,
            )
            sessions[key] = session
            session_notes[key] = []
            plan.sessions.append(session)
        for text in row.session_notes:
            if text not in session_notes[key]:
                session_notes[key].append(text)
                session.notes = _session_notes(
                    line, "\n\n".join(session_notes[key]), "the session note"
                )
        note = " · ".join(part for part in (row.flag, row.set_note) if part)
        session.sets.append(
            _PlannedSet(
                side=side,
                reps=reps,
                load_kg=load,
                hold_seconds=hold,
                rpe=rpe,
                note=rules.note(line, note, read.note_column),
            )
        )

    plan.skipped_rows = sum(skipped.values())
    if unsided:
        have = "set has" if unsided == 1 else "sets have"
        plan.notes.append(
            f"{unsided} {have} no side recorded: they are logged with the side unknown. Set "
            "their sides on each session's page; until then balance and progression leave "
            "them out."
        )
    for reason, text in (
        ("two-legged hip thrust", "two-legged hip thrusts, which are not on the ladder"),
        ("single-leg glute bridge", "single-leg glute bridges, which are not on the ladder"),
        ("warm-up", "warm-ups"),
        ("no reps", "hip thrusts or bridges without reps or a hold"),
    ):
        if skipped[reason]:
            plan.notes.append(f"Skipped {_sets(skipped[reason])} of {text}.")
    if dropped_rpe:
        plan.notes.append(
            f"RPE was left out for {_sets(dropped_rpe)}: it was not from 6 to 10 in half steps."
        )
    return plan


def _sets(count: int) -> str:
    return f"{count} set" if count == 1 else f"{count} sets"


# Writing ---------------------------------------------------------------------------


def _drop_duplicates(user, planned: list[_PlannedSession]) -> tuple[list[_PlannedSession], int]:
    """Leave out sessions the user already has: same date, variation and sets in order."""
    if not planned:
        return [], 0
    first = min(session.date for session in planned)
    last = max(session.date for session in planned)
    existing = list(
        TrainingSession.objects.filter(user=user, date__gte=first, date__lte=last).values_list(
            "pk", "date", "variation_id"
        )
    )
    sets_of: defaultdict[int, list[tuple]] = defaultdict(list)
    logged_sets = Set.objects.filter(
        session__user=user, session__date__gte=first, session__date__lte=last
    )
    for row in logged_sets.order_by("session_id", "position").values_list(
        "session_id", "side", "reps", "load_kg", "hold_seconds", "tempo"
    ):
        sets_of[row[0]].append(row[1:])
    have = Counter(
        _fingerprint(day, variation_id, sets_of[pk]) for pk, day, variation_id in existing
    )
    new = []
    for session in planned:
        fingerprint = session.fingerprint()
        if have[fingerprint]:
            have[fingerprint] -= 1
        else:
            new.append(session)
    return new, len(planned) - len(new)


def _save(user, planned: list[_PlannedSession]) -> int:
    """Write the sessions, their sets and form errors in a few bulk INSERTs; return the sets.

    bulk_create sets the new keys on SQLite 3.35+ and PostgreSQL, which the links need; it
    sends no signals, so the caller bumps the log version.
    """
    sessions = TrainingSession.objects.bulk_create(
        [
            TrainingSession(user=user, date=p.date, variation=p.variation, notes=p.notes)
            for p in planned
        ],
        batch_size=_BATCH,
    )
    sets: list[Set] = []
    for session, plan in zip(sessions, planned, strict=True):
        sets.extend(
            Set(
                session=session,
                position=position,
                side=s.side,
                reps=s.reps,
                load_kg=s.load_kg,
                hold_seconds=s.hold_seconds,
                tempo=s.tempo,
                rpe=s.rpe,
                rir=s.rir,
                pain=s.pain,
                note=s.note,
            )
            for position, s in enumerate(plan.sets, start=1)
        )
    Set.objects.bulk_create(sets, batch_size=_BATCH)
    planned_sets = itertools.chain.from_iterable(plan.sets for plan in planned)
    link = Set.form_errors.through
    link.objects.bulk_create(
        [
            link(set_id=saved.pk, formerror_id=error)
            for saved, s in zip(sets, planned_sets, strict=True)
            for error in s.form_errors
        ],
        batch_size=_BATCH,
    )
    return len(sets)
