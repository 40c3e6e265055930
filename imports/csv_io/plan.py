"""What an adapter makes of a file: the sessions and sets to add, checked, not yet saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from coaching.models import Variation


@dataclass
class PlannedSet:
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
    # What the preview tells the trainee about the set; not saved.
    line: int = 0
    side_read_from: str = ""  # where a side was read from text, e.g. "the exercise name"
    pounds: Decimal | None = None  # the file's load, when it was in pounds
    rpe_left_out: str = ""  # an RPE cell the set form does not offer, left out

    @property
    def side_mark(self) -> str:
        """The side as the preview's list of sets marks it: L, R, ? (none recorded), or
        nothing for both legs."""
        return {"left": "L", "right": "R", "unknown": "?"}.get(self.side, "")


@dataclass
class PlannedSession:
    line: int
    date: date
    variation: Variation
    notes: str = ""
    sets: list[PlannedSet] = field(default_factory=list)
    # Which workout of the source app it is (TrainingSession.import_key), "" if it cannot say.
    import_key: str = ""

    def fingerprint(self) -> tuple:
        return fingerprint(
            self.date,
            self.variation.pk,
            [(s.side, s.reps, s.load_kg, s.hold_seconds, s.tempo) for s in self.sets],
        )


def fingerprint(day: date, variation_id: int, sets: list[tuple]) -> tuple:
    """What makes two sessions the same: date, variation and sets in order."""
    # Decimal("60") == Decimal("60.0000000000") and they hash alike, so loads compare exactly.
    return (day, variation_id, tuple(sets))


@dataclass(frozen=True)
class Skipped:
    """A row that is not a set on the ladder, left out of the import."""

    line: int
    reason: str  # as the preview says it: "a warm-up set"
    exercise: str = ""


@dataclass
class Plan:
    sessions: list[PlannedSession]
    skipped_rows: int = 0
    notes: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # the rows skipped_rows counts
    # The file's weights were read in the account's unit, the file naming none (Strong's
    # current export): the preview says so, since a wrong guess scales every load.
    unit_assumed: bool = False
