"""When a typed set is so far from the trainee's recent sets on that side that it is more
likely a slip of the keyboard than a new best: the set forms ask before saving it.

The rule (ours, not from the source material):

    reps   more than double the recent most on that side, AND at least 10 more.
           Doubling alone would question 5 reps after sets of 2 (a normal jump at the
           bottom of the ladder); +10 alone would question 25 after sets of 15 (a
           body-weight trainee's normal range). Both together catch a stray digit
           (8 -> 98, 10 -> 100) and almost never a real set: nobody doubles their
           reps and adds ten from one session to the next.
    load   over 3x the recent heaviest, or under 1/3 of the recent lightest, of the
           loaded sets on that side. Plate and dumbbell jumps are 10-50 %, a drop set
           or a deload rarely goes below half; a factor of 3 either way is a slipped
           decimal (15 -> 150, 20 -> 2) or a unit mix-up (kg typed as lb is only 2.2x,
           so that one is left to the eye). Body weight (0) is never questioned: going
           back to it is a normal step.

"Recent" is the last RECENT_SETS sets on that side of the same variation (another rung
takes other loads). Only sets with a history are judged: with nothing recent on that
side there is no range to be far from. Hold-only sets (0 reps) have no reps to judge.
The CSV import never asks: it brings in a history as it was, and its own checks hold
every row to the limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

RECENT_SETS = 12  # on one side of one variation: two or three sessions' worth
REPS_FACTOR = 2
REPS_MARGIN = 10
LOAD_FACTOR = 3


@dataclass(frozen=True)
class Doubt:
    """One number of a set that is far outside the recent range, and the range."""

    field: str  # "reps" or "load_kg"
    typed: int | Decimal
    low: int | Decimal
    high: int | Decimal
    guess: int | None = None  # for reps: the number typed without the prefilled digits


def doubts(
    reps: int,
    load_kg: Decimal,
    recent_reps: list[int],
    recent_loads_kg: list[Decimal],
    prefilled: int | None = None,
) -> list[Doubt]:
    """What in this set is far outside the recent sets on its side (see the module's rule).

    `prefilled` is the reps the entry came with (the session's last set), for the guess.
    """
    found: list[Doubt] = []
    counted = [r for r in recent_reps if r > 0]
    if reps > 0 and counted:
        high = max(counted)
        if reps > REPS_FACTOR * high and reps >= high + REPS_MARGIN:
            guess = _guess(reps, prefilled) if prefilled else None
            found.append(Doubt("reps", reps, min(counted), high, guess))
    loads = [kg for kg in recent_loads_kg if kg > 0]
    if load_kg > 0 and loads:
        low, high = min(loads), max(loads)
        if load_kg > LOAD_FACTOR * high or load_kg * LOAD_FACTOR < low:
            found.append(Doubt("load_kg", load_kg, low, high))
    return found


def _guess(reps: int, prefilled: int) -> int | None:
    """The reps typed into a box that kept its prefilled number: with 8 in the box, 98 was
    9 typed in front of it and 89 was 9 typed after it."""
    typed, kept = str(reps), str(prefilled)
    for rest in (typed.removesuffix(kept), typed.removeprefix(kept)):
        if rest != typed and rest and int(rest) > 0:
            return int(rest)
    return None
