"""Drawing primitives shared by the SVG and the Pillow renderers.

Coordinates are the pose model's: centimetres, y up from the floor. A renderer
flips y and scales; everything else (what is drawn, in which role, with which
label) is decided once, here and in coaching/figures.py, so both outputs match.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Point = tuple[float, float]


# (name, value) pairs an SVG element carries as data-<name> attributes, for a page's
# script to find it by (the timer moves its limbs); other renderers ignore them.
Data = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Line:
    points: tuple[Point, ...]
    role: str
    width: float = 1.0
    dashed: bool = False
    data: Data = ()


@dataclass(frozen=True)
class Circle:
    centre: Point
    radius: float
    role: str
    data: Data = ()


@dataclass(frozen=True)
class Rect:
    x: float
    y: float  # bottom edge
    width: float
    height: float
    role: str
    corner: float = 0.0


@dataclass(frozen=True)
class Polygon:
    points: tuple[Point, ...]
    role: str


@dataclass(frozen=True)
class Arc:
    centre: Point
    radius: float
    start: float  # degrees, counter-clockwise from +x
    end: float
    role: str
    width: float = 1.0


@dataclass(frozen=True)
class Callout:
    """A numbered disc on the figure; the legend beside it says what the number points at."""

    at: Point
    number: int
    radius: float = 5.5
    role: str = "callout"


Item = Line | Circle | Rect | Polygon | Arc | Callout


@dataclass(frozen=True)
class Scene:
    items: tuple[Item, ...]
    padding: float = 4.0
    # A fixed (min_x, min_y, max_x, max_y), for a figure that moves beyond what is drawn.
    frame: tuple[float, float, float, float] | None = None

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min_x, min_y, max_x, max_y) of everything drawn, callouts included, or the frame."""
        if self.frame is not None:
            return self.frame
        xs: list[float] = []
        ys: list[float] = []
        for item in self.items:
            for x, y, reach in _extent(item):
                xs += [x - reach, x + reach]
                ys += [y - reach, y + reach]
        pad = self.padding
        return (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)


@dataclass(frozen=True)
class Panel:
    scene: Scene
    caption: str = ""
    verdict: Literal["error", "fix"] | None = None
    notes: tuple[str, ...] = ()  # the legend: notes[0] explains callout 1, and so on


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    description: str
    panels: tuple[Panel, ...]
    layout: Literal["single", "pair", "strip"] = "single"
    keyframes: dict = field(default_factory=dict, compare=False, hash=False)


def _extent(item: Item) -> Iterable[tuple[float, float, float]]:
    if isinstance(item, Line):
        return [(x, y, item.width / 2) for x, y in item.points]
    if isinstance(item, Polygon):
        return [(x, y, 0.0) for x, y in item.points]
    if isinstance(item, Circle):
        return [(*item.centre, item.radius)]
    if isinstance(item, Callout):
        return [(*item.at, item.radius + 0.5)]
    if isinstance(item, Arc):
        return [(*item.centre, item.radius + item.width)]
    assert isinstance(item, Rect)
    return [(item.x, item.y, 0.0), (item.x + item.width, item.y + item.height, 0.0)]


def arrow(start: Point, end: Point, role: str = "arrow", width: float = 1.6) -> list[Item]:
    """A shaft and a filled head, drawn as plain shapes so every renderer agrees."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    head = min(5.0, length * 0.45)
    base = (end[0] - ux * head, end[1] - uy * head)
    normal = (-uy * head * 0.55, ux * head * 0.55)
    return [
        Line((start, base), role, width),
        Polygon(
            (
                end,
                (base[0] + normal[0], base[1] + normal[1]),
                (base[0] - normal[0], base[1] - normal[1]),
            ),
            role,
        ),
    ]


def arrow_between(
    start: Point, end: Point, start_gap: float, end_gap: float
) -> tuple[Point, Point]:
    """The ends of an arrow from `start` to `end` that stops short of each by its gap."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    return (
        (start[0] + ux * start_gap, start[1] + uy * start_gap),
        (end[0] - ux * end_gap, end[1] - uy * end_gap),
    )


class Notes:
    """Numbers callouts in the order they are added and keeps their legend."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def at(self, point: Point, text: str) -> list[Item]:
        self.texts.append(text)
        return [Callout(point, len(self.texts))]


def extend(a: Point, b: Point, before: float, after: float) -> tuple[Point, Point]:
    """The segment a-b lengthened by `before` past a and `after` past b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    return (a[0] - ux * before, a[1] - uy * before), (b[0] + ux * after, b[1] + uy * after)


def direction_degrees(origin: Point, towards: Point) -> float:
    return math.degrees(math.atan2(towards[1] - origin[1], towards[0] - origin[0]))
