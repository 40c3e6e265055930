"""What an import would add, computed by the same code that then saves it, with nothing written.

The preview is the plan after the duplicate check: the sessions to add are the very objects
save.py writes. Its digest names them, field by field, so a "save" of a preview that no
longer matches the file and the log (the log changed in between, or the form was altered)
is refused instead of saving something the trainee did not see.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from imports.csv_io import duplicates, reading
from imports.csv_io.adapters import Context, adapter_for
from imports.csv_io.checks import Catalogue
from imports.csv_io.plan import PlannedSession, PlannedSet, Skipped
from training.models import SET_FIELDS, Side


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def line_ranges(lines: Iterable[int], shown: int = 12) -> str:
    """Row numbers as ranges ("2-10, 14, 20", with en dashes): the first `shown`, and a count
    of the rest."""
    ranges: list[list[int]] = []
    for line in sorted(set(lines)):
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in ranges[:shown]]
    if len(ranges) > shown:
        parts.append(f"and {len(ranges) - shown} more")
    return ", ".join(parts)


@dataclass(frozen=True)
class SkippedGroup:
    """The skipped rows of one reason, for the preview."""

    reason: str
    lines: tuple[int, ...]
    exercises: tuple[str, ...]  # the distinct exercise names of those rows, in file order

    @property
    def rows(self) -> str:
        return line_ranges(self.lines)


_SIDES = {
    Side.LEFT: "left",
    Side.RIGHT: "right",
    Side.BOTH: "both legs",
    Side.UNKNOWN: "with no side recorded",
}


@dataclass(frozen=True)
class SessionLine:
    """One session of the preview: when, what, and its sets by side."""

    session: PlannedSession

    @property
    def sides(self) -> str:
        counts = Counter(s.side for s in self.session.sets)
        shown = [f"{counts[side]} {words}" for side, words in _SIDES.items() if counts[side]]
        return " · ".join(shown)

    @property
    def rows(self) -> str:
        """The rows of the file the session was read from: "row 4", "rows 5-6"."""
        lines = {self.session.line, *(s.line for s in self.session.sets)}
        return f"row{'s' if len(lines) > 1 else ''} {line_ranges(lines)}"


@dataclass(frozen=True)
class SetGroup:
    """Sets to add that share something the preview points out, with their rows."""

    label: str
    sets: tuple[PlannedSet, ...]

    @property
    def rows(self) -> str:
        return line_ranges(s.line for s in self.sets)


@dataclass
class Preview:
    source: str  # the adapter's: "hipthrust", "strong", "hevy"
    file_hash: str
    planned: list[PlannedSession]  # every session of the file, in file order
    new: list[PlannedSession]  # what a save adds
    logged: list[PlannedSession]  # already in the log, left out
    skipped: list[Skipped]
    skipped_rows: int  # as the adapter counts them
    notes: tuple[str, ...]
    log_mark: tuple[int, ...]  # the log the duplicates were looked up in (duplicates.log_mark)
    unit_assumed: bool = False  # Plan's: the weights read in the account's unit
    # Sessions to add on a day the log has a session of their variation with other sets:
    # the same session edited since, or another one; the trainee is asked to look.
    beside_logged: list[PlannedSession] = field(default_factory=list)

    @property
    def set_count(self) -> int:
        return sum(len(session.sets) for session in self.new)

    @property
    def logged_set_count(self) -> int:
        return sum(len(session.sets) for session in self.logged)

    def _new_sets(self) -> Iterator[PlannedSet]:
        for session in self.new:
            yield from session.sets

    @property
    def new_lines(self) -> list[SessionLine]:
        return [SessionLine(session) for session in self.new]

    @property
    def logged_lines(self) -> list[SessionLine]:
        return [SessionLine(session) for session in self.logged]

    @property
    def beside_logged_lines(self) -> list[SessionLine]:
        return [SessionLine(session) for session in self.beside_logged]

    @cached_property
    def unknown_sides(self) -> SetGroup:
        """Sets to add whose side no cell names: logged as "side not recorded"."""
        unknown = tuple(s for s in self._new_sets() if s.side == Side.UNKNOWN)
        return SetGroup("no side recorded", unknown)

    @cached_property
    def read_sides(self) -> list[SetGroup]:
        """Sets to add whose side was read from words, e.g. "(L)" in the exercise name, by
        where it was read."""
        groups: dict[str, list[PlannedSet]] = {}
        for planned in self._new_sets():
            if planned.side_read_from:
                groups.setdefault(planned.side_read_from, []).append(planned)
        return [SetGroup(where, tuple(sets)) for where, sets in groups.items()]

    @cached_property
    def converted(self) -> list[PlannedSet]:
        """Sets to add whose load the file gave in pounds, stored in kilograms."""
        return [s for s in self._new_sets() if s.pounds is not None]

    @cached_property
    def rpe_left_out(self) -> list[PlannedSet]:
        return [s for s in self._new_sets() if s.rpe_left_out]

    @cached_property
    def skipped_groups(self) -> list[SkippedGroup]:
        groups: dict[str, tuple[list[int], dict[str, None]]] = {}
        for row in self.skipped:
            lines, exercises = groups.setdefault(row.reason, ([], {}))
            lines.append(row.line)
            if row.exercise:
                exercises[row.exercise] = None
        return [
            SkippedGroup(reason, tuple(lines), tuple(exercises))
            for reason, (lines, exercises) in groups.items()
        ]

    @cached_property
    def digest(self) -> str:
        """Names the file and every field of every session and set a save would add."""
        return plan_digest(self.file_hash, self.new)


def plan_digest(file_hash: str, sessions: list[PlannedSession]) -> str:
    digest = hashlib.sha256(file_hash.encode())
    for session in sessions:
        digest.update(repr((session.date, session.variation.pk, session.notes)).encode())
        for planned in session.sets:
            cells = tuple(getattr(planned, name) for name in SET_FIELDS)
            digest.update(repr((cells, planned.form_errors)).encode())
        digest.update(b"\x00")  # where a session ends, so sets cannot shift between sessions
    return digest.hexdigest()


def preview_csv(
    user, text: str, *, unit: str = "kg", progress: Callable[[int], None] | None = None
) -> Preview:
    """Read and check the whole file and look up its duplicates; raise CsvImportError if any
    row is wrong. Nothing is written. `unit` is the user's unit, which Strong's current
    export writes its weights in (its older export and Hevy's name the unit themselves).
    `progress` hears how many rows were read, now and then (reading.rows)."""
    pounds = _is_pounds(unit)
    log_mark = duplicates.log_mark(user)
    records = reading.records(io.StringIO(text, newline=""))
    header_line, header = next(records)
    columns = reading.column_index(header)
    catalogue = Catalogue.load()
    adapter = adapter_for(header_line, header)
    rows = reading.rows(records, columns, len(header), progress)
    plan = adapter.plan(rows, Context(columns=columns, catalogue=catalogue, pounds=pounds))
    new, logged = duplicates.drop_duplicates(user, plan.sessions)
    days = duplicates.days_logged(user, new)
    return Preview(
        source=adapter.source,
        file_hash=text_hash(text),
        planned=plan.sessions,
        new=new,
        logged=logged,
        skipped=plan.skipped,
        skipped_rows=plan.skipped_rows,
        notes=tuple(plan.notes),
        log_mark=log_mark,
        unit_assumed=plan.unit_assumed,
        beside_logged=[session for session in new if (session.date, session.variation.pk) in days],
    )


def _is_pounds(unit: str) -> bool:
    cleaned = unit.strip().lower()
    if cleaned not in {"kg", "lb", "lbs"}:
        raise ValueError(f"unit must be 'kg' or 'lb', not {unit!r}")
    return cleaned != "kg"
