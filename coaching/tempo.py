"""Four-part lifting tempo: lowering - pause at the bottom - lifting - hold at the top.

Plain Python so the timer, the log and the content can share one definition and
it can be tested without a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PHASE_SECONDS = 30
# The fewest seconds of each phase: a rep moves, so lowering and lifting take time; the
# pause and the hold may be left out.
LEAST_SECONDS = {"lowering": 1, "bottom_pause": 0, "lifting": 1, "top_hold": 0}
# The guide's one tempo fact: the lowering "should take two to three seconds".
GUIDE_LOWERING_SECONDS = (2, 3)
# Phones and copied text turn a typed hyphen into an en or em dash, and a minus sign reads
# the same: any of them joins the numbers.
_DASH = "[-\u2013\u2014\u2212]"
_NOTATION = re.compile(r"^\s*" + rf"\s*{_DASH}\s*".join([r"(\d{1,2})"] * 4) + r"\s*$")


def _seconds_pattern(least: int) -> str:
    """Whole seconds from `least` to MAX_PHASE_SECONDS, written as `notation` writes them."""
    return "|".join(str(seconds) for seconds in range(least, MAX_PHASE_SECONDS + 1))


# A tempo as it is stored (Tempo.notation), as a regular expression both databases read:
# the models' check constraints hold the same rule as Tempo, lowering and lifting >= 1 s.
NOTATION_PATTERN = "^{}$".format(
    "-".join(f"({_seconds_pattern(n)})" for n in LEAST_SECONDS.values())
)


class TempoError(ValueError):
    pass


@dataclass(frozen=True)
class Tempo:
    lowering: int
    bottom_pause: int
    lifting: int
    top_hold: int

    def __post_init__(self) -> None:
        for name, least in LEAST_SECONDS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TempoError(f"{name.replace('_', ' ')} must be a whole number of seconds.")
            if not 0 <= value <= MAX_PHASE_SECONDS:
                raise TempoError(
                    f"{name.replace('_', ' ').capitalize()} must be between {least} and "
                    f"{MAX_PHASE_SECONDS} seconds."
                )
        if any(getattr(self, name) < least for name, least in LEAST_SECONDS.items()):
            raise TempoError("Lowering and lifting each take at least one second.")

    @classmethod
    def parse(cls, notation: str) -> Tempo:
        """Read "3-0-1-2" (spaces around the dashes, and en or em dashes or minus signs for
        them, are tolerated)."""
        match = _NOTATION.match(notation)
        if match is None:
            raise TempoError(
                "Write the tempo as four numbers of seconds joined by dashes, like 3-0-1-2."
            )
        return cls(*(int(part) for part in match.groups()))

    @property
    def notation(self) -> str:
        return f"{self.lowering}-{self.bottom_pause}-{self.lifting}-{self.top_hold}"

    @property
    def rep_seconds(self) -> int:
        return self.lowering + self.bottom_pause + self.lifting + self.top_hold

    def with_top_hold(self, seconds: int) -> Tempo:
        return Tempo(self.lowering, self.bottom_pause, self.lifting, seconds)

    def held_for(self, seconds: int) -> Tempo:
        """Each rep as done with a hold of `seconds` at the top of every rep (a set's or a
        prescription's hold): the hold, when longer, is the tempo's hold. 3-0-1-1 held for
        5 s is 3-0-1-5. TempoError past MAX_PHASE_SECONDS."""
        return self.with_top_hold(seconds) if seconds > self.top_hold else self

    def lowering_warning(self) -> str:
        """What to tell someone whose lowering is quicker than the guide asks; "" when it is not.

        Accepted all the same: a tempo is theirs to choose, but they should know.
        """
        shortest, longest = GUIDE_LOWERING_SECONDS
        if self.lowering >= shortest:
            return ""
        return (
            f"{self.notation} lowers in {_seconds(self.lowering)}; the guide asks for "
            f"{shortest} to {longest} seconds, which keeps the glutes working for longer and "
            f"stops the hips dropping into a bounce."
        )

    def describe(self) -> str:
        """A plain-language reading of the notation, in the order a rep is done from the floor."""
        parts = [f"lift in {_seconds(self.lifting)}"]
        if self.top_hold:
            parts.append(f"hold the top for {_seconds(self.top_hold)}")
        parts.append(f"lower over {_seconds(self.lowering)}")
        if self.bottom_pause:
            parts.append(f"pause {_seconds(self.bottom_pause)} at the bottom")
        sentence = ", ".join(parts)
        return sentence[0].upper() + sentence[1:] + "."

    def __str__(self) -> str:
        return self.notation


def _seconds(value: int) -> str:
    return "1 second" if value == 1 else f"{value} seconds"
