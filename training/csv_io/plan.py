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


@dataclass
class PlannedSession:
    line: int
    date: date
    variation: Variation
    notes: str = ""
    sets: list[PlannedSet] = field(default_factory=list)

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


@dataclass
class Plan:
    sessions: list[PlannedSession]
    skipped_rows: int = 0
    notes: list[str] = field(default_factory=list)
