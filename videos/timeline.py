"""The video page's timeline, plain Python: each rep's phases placed along the clip, and,
where the camera timed no phase, whether the pose model found the person there."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

PHASES = (
    ("lifting", "Lifting"),
    ("top_hold", "Top hold"),
    ("lowering", "Lowering"),
    ("pause", "Pause"),
)
# The timeline's width in the units of its drawing (an SVG stretched to the page's width).
TIMELINE_WIDTH = 1000
# What the timeline says of a stretch of a rep with no phase timed: whether the pose model
# found the person in its frames.
SIGHT_LABELS = {True: ("seen", "Seen, no rep"), False: ("unseen", "Not seen")}


@dataclass(frozen=True)
class Segment:
    phase: str  # a PHASES name, or SIGHT_LABELS' "seen" or "unseen"
    label: str
    x: float
    width: float


class Sight:
    """Where the person was found across the clip, read once from the skeleton's `frames`
    (a row of the time alone is a frame with no one found): a moment goes with the frame
    read nearest it. With no frame read, nobody was seen."""

    def __init__(self, frames: list[list]) -> None:
        found = [(row[0], len(row) > 1) for row in frames]
        self.seen_first = bool(found and found[0][1])
        # Each moment the sight changes, halfway between two frames, and what it becomes.
        self.changes = [
            ((time + following) / 2, now)
            for (time, was), (following, now) in itertools.pairwise(found)
            if was != now
        ]

    def stretches(self, start: float, end: float) -> list[tuple[float, float, bool]]:
        """`start` to `end` cut where the sight changes, each stretch with whether the person
        was found in it."""
        seen = self.seen_first
        for change, now in self.changes:
            if change <= start:
                seen = now
        stretches, moment = [], start
        for change, now in self.changes:
            if start < change < end:
                stretches.append((moment, change, seen))
                moment, seen = change, now
        stretches.append((moment, end, seen))
        return stretches


def rep_segments(rep: dict, duration: float, sight: Sight) -> list[Segment]:
    """The rep's phases in the order they are done, placed on the timeline; from the first
    phase the camera did not time, the rest of the rep is said as the camera saw it: not
    seen where the pose model found no one in the frames, seen with no rep elsewhere."""
    scale = TIMELINE_WIDTH / duration if duration > 0 else 0
    placed, moment = [], rep["start"]
    for name, label in PHASES:
        seconds = rep[name]
        if name == "top_hold" and seconds is None:
            seconds = rep.get("top_hold_at_least")  # seen held, until the clip ended
        if seconds is None:
            break
        placed.append(Segment(name, label, moment * scale, seconds * scale))
        moment += seconds
    if rep["end"] - moment > 0.01:
        for start, end, seen in sight.stretches(moment, rep["end"]):
            phase, label = SIGHT_LABELS[seen]
            placed.append(Segment(phase, label, start * scale, (end - start) * scale))
    return placed
