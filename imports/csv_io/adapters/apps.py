"""What the Strong and Hevy adapters share: their rows, told apart by exercise name.

Each app's reader turns a row into an AppRow; `plan_app` keeps the single-leg hip thrusts
and glute bridges, checks them as typed sets, and groups them into one session per
workout and variation.

The rung is the one the exercise's name says (a band, a raised foot, a hold at the top, two
up and one down; a plain pause is the one at the bottom, which is no rung); a plain single
leg hip thrust is the loaded rung when its load cell has a weight, the body-weight one when
not. A weight (in the load cell, or an implement in the name: a barbell glute bridge) on a
rung that takes none, or a band on a rung other than the banded thrust, is another exercise:
skipped, not logged as that rung.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from coaching.models import Variation
from imports.csv_io.checks import Catalogue, SetRules, load_kg, number, session_notes
from imports.csv_io.errors import CsvImportError, got
from imports.csv_io.plan import Plan, PlannedSession, PlannedSet, Skipped
from imports.csv_io.reading import Cells, Row
from training import sides
from training.models import Side

# Of the exercise's words (lower case, hyphens as spaces): "single leg", "single legged",
# "one leg", "1 leg", "SL", "unilateral".
_SINGLE_LEG = re.compile(
    r"\b(single legged|single leg|one legged|one leg|1 ?leg(ged)?|sl|unilateral)\b"
)
# A side named in words (English, and the words of the languages these apps are most used in
# besides: German or Dutch, French, Spanish, Italian), as "(L)", or as a cell that is only
# the letter or starts with it and a dash or colon ("L - knee caved"): never read from a
# word that merely starts alike ("Lunges").
_LEFT_WORDS = r"left|links|linke[nrs]?|gauche|izquierd[ao]|sinistr[ao]"
_RIGHT_WORDS = r"right|rechts|rechte[nrs]?|droite?|derech[ao]|destr[ao]"
_LEFT = re.compile(rf"\b({_LEFT_WORDS})\b|\(l\)|^\s*l\.?\s*$|^\s*l\s*[-–:]", re.IGNORECASE)
_RIGHT = re.compile(rf"\b({_RIGHT_WORDS})\b|\(r\)|^\s*r\.?\s*$|^\s*r\s*[-–:]", re.IGNORECASE)
# A side joined to a body part names where something was felt, not the leg the set was on:
# "right knee a bit sore" says nothing of the side (ours: taken out before a side is read).
_PARTS = (
    r"knees?|hips?|glutes?|hamstrings?|hams?|foot|feet|ankles?|calf|calves|quads?|back|"
    r"shoulders?|arms?|hands?|wrists?|groin|adductors?|knie|hüfte|genou|hanche|rodilla|"
    r"cadera|ginocchio|anca"
)
_SIDES = f"{_LEFT_WORDS}|{_RIGHT_WORDS}"
_FELT_AT = re.compile(rf"\b({_SIDES})\s+({_PARTS})\b|\b({_PARTS})\s+({_SIDES})\b", re.IGNORECASE)
# Of the exercise's words, the rungs a name can say besides the plain thrust and bridge.
_BANDED = re.compile(r"\b(band|banded|bands|mini band|loop band)\b")
_FOOT_ELEVATED = re.compile(r"\b(feet|foot) elevated\b|\belevated (feet|foot)\b|\bdeficit\b")
# A hold at the top, as the tempo names its last phase (coaching/tempo.py): "hold",
# "isometric", or a pause said to be at the top. A plain "pause" is the tempo's pause at the
# bottom, as is a hold at the bottom: not the top-hold rung.
_TOP_HOLD = re.compile(
    r"\btop (pause|paused|hold|holds)\b|\b(pause|paused|hold|held) (at )?(the )?top\b"
    r"|\b(isometric|iso)\b|(?<!bottom )\b(hold|holds)\b(?! (at )?(the )?bottom)"
)
_PAUSED = re.compile(
    r"\b(pause|paused|pauses)\b|\bbottom (hold|holds)\b|\bhold (at )?(the )?bottom\b"
)
_TWO_UP_ONE_DOWN = re.compile(r"\b(two|2) up,? (one|1) down\b")
# A bridge on both feet but most of the weight on one: neither rung.
_STAGGERED = re.compile(r"\b(b stance|staggered|kickstand)\b")
# An implement the name says the exercise is loaded with.
_IMPLEMENT = re.compile(
    r"\b(barbell|bb|dumbbells?|db|kettlebells?|kb|machine|smith|weighted|loaded|trap bar|"
    r"landmine|cable)\b"
)
# Strong's current export: "2025-09-02 6:12:45 PM", maybe with U+202F before the PM.
_TIME_FORMATS = (
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%d %I:%M %p",
    "%d %b %Y, %H:%M",
    "%d %b %Y %H:%M",
    # As a spreadsheet in Europe writes it back: day.month.year, never month first.
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
)
# As a spreadsheet writes it back elsewhere: 9/5/2026 is 9 May or 5 September, by the country.
_SLASHED = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}\b")
# Why a row is skipped: what the preview says of the row, and what the result's notes say
# of them all ("Skipped 2 sets of ...", or the note's own words after "Skipped" where it
# places {sets} itself), in this order (None: no note).
_SKIPS = {
    "other exercise": ("another exercise", None),
    "not a set": ("not a set (a rest timer or a note)", None),
    "two-legged hip thrust": (
        "a two-legged hip thrust, which is not on the ladder",
        "two-legged hip thrusts, which are not on the ladder",
    ),
    "single-leg glute bridge": (
        "a single-leg glute bridge, which is not on the ladder",
        "single-leg glute bridges, which are not on the ladder",
    ),
    "staggered glute bridge": (
        "a B-stance (staggered) glute bridge, which is not on the ladder",
        "B-stance (staggered) glute bridges, which are not on the ladder",
    ),
    "two rungs": (
        "a single leg hip thrust that is two rungs at once (banded, foot-elevated or with a "
        "top hold), which is not on the ladder",
        "single leg hip thrusts that are two rungs at once (banded, foot-elevated or with a "
        "top hold), which are not on the ladder",
    ),
    # With the rung's name: a barbell glute bridge is no floor glute bridge.
    "weight on a body-weight rung": (
        "a {rung} with a weight, which is not on the ladder (that rung takes none)",
        "{rung}s with a weight, which are not on the ladder (that rung takes none)",
    ),
    # A glute bridge, or two up and one down, with a band: the ladder's one band is on the
    # banded single leg hip thrust.
    "band on another rung": (
        "a {rung} with a band, which is not on the ladder (that rung is done without one)",
        "{rung}s with a band, which are not on the ladder (that rung is done without one)",
    ),
    # Only what is surely a copy (_Copies): two blocks of an exercise alike are both kept.
    "copy": (
        "a copy of an earlier row of the same set (Strong writes each set once), so its set "
        "is imported once",
        "{sets} copied from an earlier row of the same set (Strong writes each set once): "
        "each is imported once",
    ),
    "warm-up": ("a warm-up set", "warm-ups"),
    "no reps": ("no reps and no hold", "hip thrusts or bridges without reps or a hold"),
}


@dataclass
class AppRow:
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
    # A set the app numbers within its block (Strong's Set Order: 1, 2, ... over the rows of
    # an exercise in a workout, from 1 again where the exercise is added again), and what
    # makes the row that one set: every cell. None where rows alike may be two sets.
    set_order: int | None = None
    copy_key: tuple[str, ...] | None = None


class AppReader(Protocol):
    """One app's columns: the names its errors quote, and how a row is read."""

    source: str  # the adapter's, so that one app's workout never names another's
    moment_column: str
    weight_column: str
    reps_column: str
    seconds_column: str
    note_column: str
    side_hints_column: str
    # The side hints are one note for an exercise in a workout, repeated on each of its sets
    # (Hevy's exercise_notes), not each set's own (Strong's Notes).
    side_hints_per_exercise: bool

    def __call__(self, get: Cells) -> AppRow: ...

    def pounds_for(self, line: int, row: AppRow) -> bool: ...


def is_zero(raw: str) -> bool:
    return not raw.strip() or number(raw) == 0


@dataclass
class _Tally:
    """What the result's notes report: sets without a side, rows skipped, RPEs left out."""

    unsided: int = 0
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)  # (reason, rung)
    skipped_rows: list[Skipped] = field(default_factory=list)
    dropped_rpe: int = 0
    unrecorded_pauses: int = 0  # sets named paused, not the top-hold rung: no field keeps it

    def skip(self, line: int, reason: str, exercise: str, rung: str = "") -> None:
        """`rung`: the ladder's rung the row would have been, for a reason that names it."""
        self.skipped[reason, rung] += 1
        self.skipped_rows.append(Skipped(line, _SKIPS[reason][0].format(rung=rung), exercise))

    def notes(self) -> list[str]:
        notes = []
        if self.unsided:
            have = "set has" if self.unsided == 1 else "sets have"
            notes.append(
                f"{self.unsided} {have} no side recorded: they are logged with the side "
                "unknown. Set their sides on each session's page; until then balance and "
                "progression leave them out."
            )
        for reason, (_, text) in _SKIPS.items():
            for (skipped, rung), count in self.skipped.items():
                if text and skipped == reason:
                    said = text.format(rung=rung, sets=_sets(count))
                    notes.append(
                        f"Skipped {said}."
                        if "{sets}" in text
                        else f"Skipped {_sets(count)} of {said}."
                    )
        if self.dropped_rpe:
            notes.append(
                f"RPE was left out for {_sets(self.dropped_rpe)}: it was not from 6 to 10 in "
                "half steps."
            )
        if self.unrecorded_pauses:
            notes.append(
                f"The pause of {_sets(self.unrecorded_pauses)} named paused is not recorded: "
                "only a hold at the top is a rung of its own, and the file does not say how "
                "long the pause was. Those sets are logged on the rung the rest of the name and "
                "the load say; add the pause to their tempo on each session's page."
            )
        return notes


class _ExerciseNotes:
    """Sides read from a note written once per exercise: it names a set's side when it is on
    that one set. On several, it speaks of them all ("start with left leg") and cannot tell
    which was on which leg, so they are left unknown (the log's "Set sides" then asks);
    unless the exercise is done as one block a side, the note of another block of it in the
    workout naming the other leg ("Left" on one block, "Right" on the next): then each
    block's note is the side of its sets."""

    def __init__(self, read: AppReader) -> None:
        self.read = read
        self._rows: Counter[tuple] = Counter()  # (workout, exercise, note) -> rows, warm-ups too
        self._sided: list[tuple[tuple, PlannedSet]] = []
        self._legs_noted: dict[tuple, set[str]] = {}  # (workout, exercise) -> legs notes name

    def count(self, row: AppRow) -> None:
        if self.read.side_hints_per_exercise:
            self._rows[self._key(row)] += 1

    def read_from(self, row: AppRow, done: PlannedSet) -> None:
        """Note a set whose side came from the note, to be undone if the note is shared."""
        if self.read.side_hints_per_exercise and done.side_read_from == _hints_column(self.read):
            key = self._key(row)
            self._sided.append((key, done))
            self._legs_noted.setdefault(key[:2], set()).add(done.side)

    def unside_shared(self) -> int:
        """Leave unknown the side of each set read from a note on other sets too, but for
        blocks a side; how many."""
        shared = [
            done
            for key, done in self._sided
            if self._rows[key] > 1 and sides.mirror(done.side) not in self._legs_noted[key[:2]]
        ]
        for done in shared:
            done.side, done.side_read_from = Side.UNKNOWN, ""
        return len(shared)

    @staticmethod
    def _key(row: AppRow) -> tuple:
        return (row.workout, row.exercise, row.side_hints)


class _Copies:
    """The numbered rows that are surely copies of an earlier one, read in the file's order.

    Strong writes a workout's rows together, and within it the rows of an exercise as one
    block, numbered 1, 2, ... once each; an exercise added to the workout again is a block of
    its own, numbered from 1 again, and may match the first cell for cell (a set a side, no
    notes). So a row is only a copy when it is
    - a set above 1 met again in its block, before a Set Order 1 or another exercise starts
      the next (a row pasted twice), or
    - a row of a workout whose rows had ended, another workout's coming between, met there
      before (files joined): each earlier row matches one copy.
    """

    def __init__(self) -> None:
        self._workout: tuple[str, str] | None = None
        self._exercise = ""
        self._block: set[tuple[str, ...]] = set()
        self._ended: set[tuple[str, str]] = set()
        self._rows_of: dict[tuple[str, str], Counter[tuple[str, ...]]] = {}

    def is_copy(self, row: AppRow) -> bool:
        """Whether the row is a copy; every row of the file, in order, passes through."""
        if row.workout != self._workout:
            if self._workout is not None:
                self._ended.add(self._workout)
            self._workout, self._exercise, self._block = row.workout, row.exercise, set()
        elif row.exercise != self._exercise:
            self._exercise, self._block = row.exercise, set()
        key = row.copy_key
        if key is None or row.set_order is None:
            return False
        earlier = self._rows_of.setdefault(row.workout, Counter())
        if row.workout in self._ended:
            if earlier[key]:
                earlier[key] -= 1
                return True
            return False
        if row.set_order == 1:
            self._block = set()
        elif key in self._block:
            return True
        self._block.add(key)
        earlier[key] += 1
        return False


class _Workouts:
    """The planned sessions: one per workout and variation, in the order first seen."""

    def __init__(self, catalogue: Catalogue, read: AppReader) -> None:
        self.catalogue, self.read = catalogue, read
        self.planned: list[PlannedSession] = []
        self._sessions: dict[tuple, PlannedSession] = {}
        self._notes: dict[tuple, list[str]] = {}

    def session_for(self, line: int, row: AppRow, variation: Variation) -> PlannedSession:
        key = (row.workout, variation.slug)
        session = self._sessions.get(key)
        if session is None:
            day = _moment(line, row.moment, self.read.moment_column, self.catalogue)
            session = PlannedSession(
                line=line, date=day, variation=variation, import_key=self._import_key(key)
            )
            self._sessions[key], self._notes[key] = session, []
            self.planned.append(session)
        # A workout's notes repeat on its rows; each different one is kept once.
        seen = self._notes[key]
        for text in row.session_notes:
            if text not in seen:
                seen.append(text)
                session.notes = session_notes(line, "\n\n".join(seen), "the session note")
        return session

    def _import_key(self, key: tuple) -> str:
        """The workout and variation, however its rows are edited in the app or here."""
        (first, second), slug = key
        named = "\x1f".join((self.read.source, first, second, slug))
        return hashlib.sha256(named.encode()).hexdigest()


def plan_app(rows: Iterator[Row], catalogue: Catalogue, read: AppReader) -> Plan:
    tally = _Tally()
    workouts = _Workouts(catalogue, read)
    exercise_notes = _ExerciseNotes(read)
    copies = _Copies()
    for line, get in rows:
        row = read(get)
        exercise_notes.count(row)
        words = _exercise_words(row.exercise)
        copy = copies.is_copy(row)
        reason = _skip_reason(row, words) or ("copy" if copy else None)
        if reason:
            tally.skip(line, reason, row.exercise.strip())
            continue
        pounds = read.pounds_for(line, row)
        load = load_kg(line, row.weight, read.weight_column, pounds=pounds)
        variation = catalogue.variation(line, _variation_slug(words, load))
        off = _off_the_ladder(words, load, variation)
        if off:
            tally.skip(line, off, row.exercise.strip(), _rung(variation))
            continue
        rules = catalogue.rules_for(variation)
        done = _checked_set(line, row, read, rules, load)
        tally.unrecorded_pauses += _pause_unrecorded(words, variation)
        exercise_notes.read_from(row, done)
        if pounds and load:
            done.pounds = number(row.weight)
        tally.unsided += done.side == Side.UNKNOWN
        try:
            done.rpe = rules.rpe(row.rpe)
        except ValueError:
            tally.dropped_rpe += 1
            done.rpe_left_out = row.rpe.strip()
        session = workouts.session_for(line, row, variation)
        note = " · ".join(part for part in (row.flag, row.set_note) if part)
        done.note = rules.note(line, note, read.note_column)
        session.sets.append(done)
    tally.unsided += exercise_notes.unside_shared()
    return Plan(
        sessions=workouts.planned,
        skipped_rows=len(tally.skipped_rows),
        notes=tally.notes(),
        skipped=tally.skipped_rows,
    )


def _skip_reason(row: AppRow, words: str) -> str | None:
    """Why a row is not a set on the ladder, or None for one that is."""
    bridge, thrust = "glute bridge" in words, "hip thrust" in words
    single_leg = bool(_SINGLE_LEG.search(words))
    if not (bridge or thrust):
        return "other exercise"
    if not row.is_set:
        return "not a set"
    if single_leg and bridge:
        return "single-leg glute bridge"
    if bridge and _STAGGERED.search(words):
        return "staggered glute bridge"
    if thrust and not bridge and not single_leg and not _TWO_UP_ONE_DOWN.search(words):
        return "two-legged hip thrust"
    if single_leg and len(_named_rungs(words)) > 1:
        return "two rungs"
    if row.warm_up:
        return "warm-up"
    if is_zero(row.reps) and is_zero(row.seconds):
        return "no reps"  # neither reps nor a time: not a finished set
    return None


_BODY_WEIGHT_THRUST = "single-leg-hip-thrust"
_TOP_HOLD_THRUST = "isometric-hold-single-leg-hip-thrust"
_BANDED_THRUST = "banded-single-leg-hip-thrust"  # the ladder's one rung with a band
# The rungs a single leg hip thrust's name can say (guide content: the ladder's slugs).
_NAMED_RUNGS = (
    (_BANDED, _BANDED_THRUST),
    (_FOOT_ELEVATED, "foot-elevated-single-leg-hip-thrust"),
    (_TOP_HOLD, _TOP_HOLD_THRUST),
)


def _named_rungs(words: str) -> list[str]:
    return [slug for pattern, slug in _NAMED_RUNGS if pattern.search(words)]


def _variation_slug(words: str, load: Decimal) -> str:
    """The rung of a row _skip_reason keeps: the one its name says; a plain single leg hip
    thrust is the loaded rung with a weight in its load cell, else the body-weight one (the
    load cell tells them apart: a "(Dumbbell)" set logged at 0 was done without one)."""
    if _TWO_UP_ONE_DOWN.search(words):
        return "two-up-one-down-hip-thrust"
    if "glute bridge" in words:
        return "floor-glute-bridge"
    named = _named_rungs(words)
    if named:
        return named[0]
    return "loaded-single-leg-hip-thrust" if load > 0 else _BODY_WEIGHT_THRUST


def _off_the_ladder(words: str, load: Decimal, variation: Variation) -> str | None:
    """Why a set the name puts on `variation` is another exercise, whose records and progress
    it would distort, or None. A band named on a rung other than the banded one adds
    resistance that rung has none of ("Glute Bridge (Band)"). A weight, in the load cell or
    named ("Glute Bridge (Barbell)"), on a rung that takes none: the body-weight single leg
    hip thrust has the loaded rung beside it, which a weight in the load cell goes to, so
    only its load cell counts (see _variation_slug)."""
    if _BANDED.search(words) and variation.slug != _BANDED_THRUST:
        return "band on another rung"
    if variation.takes_external_load:
        return None
    if load > 0 or (variation.slug != _BODY_WEIGHT_THRUST and _IMPLEMENT.search(words)):
        return "weight on a body-weight rung"
    return None


def _pause_unrecorded(words: str, variation: Variation) -> bool:
    """Whether the name says a pause that the set, on its rung, does not keep: a pause at the
    bottom ("Paused Single Leg Hip Thrust") has no rung, and the file gives no tempo."""
    return variation.slug != _TOP_HOLD_THRUST and bool(_PAUSED.search(words))


def _rung(variation: Variation) -> str:
    """The rung's name as it reads within a sentence: "floor glute bridge"."""
    return variation.name[:1].lower() + variation.name[1:]


def _checked_set(
    line: int, row: AppRow, read: AppReader, rules: SetRules, load: Decimal
) -> PlannedSet:
    """The set's reps, hold and side, by the set form's rules; RPE and note come after."""
    # A timed set is a hold: its seconds are the hold, and it may have no reps.
    reps = 0 if is_zero(row.reps) else rules.whole(line, "reps", row.reps, read.reps_column)
    hold = rules.whole(line, "hold_seconds", row.seconds, read.seconds_column)
    rules.reps_and_hold(line, reps, hold, row.reps, read.reps_column)
    side, read_from = Side.BOTH, ""
    if rules.variation.one_side_at_a_time:
        # Only what the row says; never a guess from the order of the sets.
        side, read_from = _side_of(row, read)
    rules.side(line, side)
    return PlannedSet(
        side=side, reps=reps, load_kg=load, hold_seconds=hold, line=line, side_read_from=read_from
    )


def _exercise_words(name: str) -> str:
    words = re.sub(r"[-_\s]+", " ", name.casefold())
    return words.replace("hipthrust", "hip thrust")


def _side_of(row: AppRow, read: AppReader) -> tuple[str, str]:
    """The side a row's words name, and where they were read; unknown if none or both."""
    side = _side_in(row.exercise)
    if side:
        return side, "the exercise name"
    side = _side_in(row.side_hints)
    if side:
        return side, _hints_column(read)
    return Side.UNKNOWN, ""


def _hints_column(read: AppReader) -> str:
    return f"the {read.side_hints_column} column"


def _side_in(text: str) -> str | None:
    text = _FELT_AT.sub(" ", text)
    left, right = bool(_LEFT.search(text)), bool(_RIGHT.search(text))
    if left == right:  # neither, or both mentioned: no side can be read from it
        return None
    return Side.LEFT if left else Side.RIGHT


def _moment(line: int, raw: str, column: str, catalogue: Catalogue) -> date:
    """The session's day: read from the cell, then checked against the log's window (a day
    read but refused, in the future say, is told so, not as a date unread)."""
    return catalogue.day(line, _read_day(line, raw, column), raw)


def _read_day(line: int, raw: str, column: str) -> date:
    text = " ".join(raw.replace("\u202f", " ").replace("\xa0", " ").split())
    text = text.replace("Sept", "Sep")
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for pattern in _TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    message = f"{column} must be a date and time like 2024-03-05 07:30:12 {got(raw)}."
    if _SLASHED.match(text):
        message += (
            " A date with slashes, as a spreadsheet writes it back, may be day/month or "
            "month/day: import the file as the app exported it."
        )
    raise CsvImportError(line, message)


def _sets(count: int) -> str:
    return f"{count} set" if count == 1 else f"{count} sets"
