"""Accessible line charts drawn on the server as inline SVG: no JavaScript, no library.

The page's Content-Security-Policy forbids inline `style` attributes and `<style>`
elements, so every element carries `chart-*` classes for the site stylesheet and,
as a fallback, presentation attributes (stroke="currentColor", fill, dashes) so a
chart still reads without CSS. Sides are told apart without colour: each series
has its own point shape (circle, square, diamond) and the right side's line is
dashed. All text is escaped.

The chart is a picture (`role="img"`) named by its `<title>` and `<desc>`; the
page should offer the same numbers as a table for anyone who needs the values
(`table_rows` lays a chart's series side by side for it).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from html import escape
from operator import itemgetter
from typing import TypeVar

MAX_X_TICKS = 6
MAX_Y_INTERVALS = 5
EMPTY_TEXT = "No sessions logged yet"
_NEGLIGIBLE = 1e-9

# Layout, in user units of the viewBox.
# The right margin holds the values again: a phone scrolls a chart open at its newest end.
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 44, 40, 36
_LEGEND_Y = 16
_EDGE = 30  # labels this close to the right edge end at their tick instead
_POINT = 3.5  # half the size of a point marker

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# A side keeps its shape on every chart; other keys take the next shape in turn.
_SHAPE_BY_KEY = {"left": "circle", "right": "square", "both": "diamond"}
_SHAPES = ("circle", "square", "diamond", "triangle")
_DASH_BY_KEY = {"right": "6 4"}


@dataclass(frozen=True)
class Series:
    name: str  # "Left", "Right"
    points: tuple[tuple[date, float], ...]
    key: str  # css modifier: "left" | "right" | "both"


@dataclass(frozen=True)
class Marker:
    day: date
    label: str  # e.g. "Level 4"


T = TypeVar("T")


def table_rows(
    columns: Sequence[Sequence[tuple[date, T]]],
) -> list[tuple[date, tuple[T | None, ...]]]:
    """The points of a chart's series side by side, as its table shows them: a row per day,
    newest first, with each series' value that day (None where it has none). A series with
    two points on one day (two sessions) gives that day a row for each, in order."""
    by_day = []
    for points in columns:
        values: dict[date, list[T]] = defaultdict(list)
        for day, value in points:
            values[day].append(value)
        by_day.append(values)
    rows = []
    for day in sorted({day for values in by_day for day in values}, reverse=True):
        that_day = [values.get(day, []) for values in by_day]
        for index in range(max(map(len, that_day))):
            rows.append((day, tuple(v[index] if index < len(v) else None for v in that_day)))
    return rows


def format_number(value: float) -> str:
    """The default y label: "12", "2.5", "1,000" (no trailing zeros)."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    y_label: str,
    chart_id: str,
    markers: Sequence[Marker] = (),
    width: int = 640,
    height: int = 260,
    y_format: Callable[[float], str] = format_number,
    empty_text: str = EMPTY_TEXT,
) -> str:
    """One `<svg>` line chart of values over dates, y axis from 0; `empty_text` where there is
    nothing to draw."""
    if width <= _LEFT + _RIGHT or height <= _TOP + _BOTTOM:
        raise ValueError("The chart is too small to draw.")
    head = _head(title, description, chart_id, width, height)
    plotted = [s for s in series if s.points]
    if not plotted:
        return head + _empty(width, height, empty_text)
    plot = _plot_area(plotted, markers, width, height)
    styles = [_style(item, index) for index, item in enumerate(plotted)]
    return "".join(
        [
            head,
            _gridlines(plot),
            _y_axis(plot, y_label, y_format),
            _x_axis(plot),
            _markers(plot, markers),
            _lines(plot, plotted, styles),
            _legend(plotted, styles),
            "</svg>",
        ]
    )


@dataclass(frozen=True)
class _Plot:
    """The plot area inside the margins and the scales that place data in it."""

    left: int
    right: int
    top: int
    bottom: int
    first: date
    last: date
    y_ticks: tuple[float, ...]  # the last one is the top of the axis
    x: Callable[[date], float]
    y: Callable[[float], float]


@dataclass(frozen=True)
class _Style:
    """How a series is told apart without colour: its point shape and its dash."""

    key: str  # escaped, for css classes
    shape: str
    dash_attr: str  # the stroke-dasharray attribute, or ""


def _head(title: str, description: str, chart_id: str, width: int, height: int) -> str:
    """The opening tag and the chart's accessible name and description."""
    cid = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="system-ui, sans-serif" '
        'font-size="12" fill="currentColor">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(description)}</desc>'
    )


def _empty(width: int, height: int, text: str) -> str:
    return (
        f'<text class="chart-empty" x="{_n(width / 2)}" y="{_n(height / 2)}" '
        f'text-anchor="middle">{escape(text)}</text></svg>'
    )


def _plot_area(
    plotted: Sequence[Series], markers: Sequence[Marker], width: int, height: int
) -> _Plot:
    """Scales fitting every value and every day (markers' too); refuses what cannot be drawn."""
    values = [float(value) for s in plotted for _, value in s.points]
    for value in values:
        if not math.isfinite(value) or value < -_NEGLIGIBLE:
            raise ValueError("Chart values must be finite and not negative (the axis starts at 0).")
    days = [day for s in plotted for day, _ in s.points] + [m.day for m in markers]
    first, last = min(days), max(days)
    left, right, top, bottom = _LEFT, width - _RIGHT, _TOP, height - _BOTTOM
    y_ticks = tuple(nice_ticks(max(values)))
    return _Plot(
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        first=first,
        last=last,
        y_ticks=y_ticks,
        x=_x_scale(first, (last - first).days, left, right),
        y=_y_scale(top, bottom, y_ticks[-1]),
    )


def _style(item: Series, index: int) -> _Style:
    dash = _DASH_BY_KEY.get(item.key)
    return _Style(
        key=escape(item.key),
        shape=_SHAPE_BY_KEY.get(item.key, _SHAPES[index % len(_SHAPES)]),
        dash_attr=f' stroke-dasharray="{dash}"' if dash else "",
    )


def _gridlines(plot: _Plot) -> str:
    lines = "".join(
        f'<line x1="{plot.left}" y1="{_n(plot.y(t))}" x2="{plot.right}" y2="{_n(plot.y(t))}"/>'
        for t in plot.y_ticks
    )
    return f'<g class="chart-grid" stroke="currentColor" stroke-opacity="0.15">{lines}</g>'


def _y_axis(plot: _Plot, y_label: str, y_format: Callable[[float], str]) -> str:
    """A label on each gridline and the axis name, turned to read upwards."""
    labels = "".join(
        f'<text x="{plot.left - 6}" y="{_n(plot.y(t) + 4)}">{escape(y_format(t))}</text>'
        for t in plot.y_ticks
    )
    # The same values at the right end, hidden from screen readers (they are said once).
    again = "".join(
        f'<text x="{plot.right + 6}" y="{_n(plot.y(t) + 4)}">{escape(y_format(t))}</text>'
        for t in plot.y_ticks
    )
    middle = (plot.top + plot.bottom) / 2
    return (
        f'<g class="chart-axis chart-axis--y" text-anchor="end">{labels}'
        f'<text class="chart-axis-label" x="{_n(-middle)}" y="14" text-anchor="middle" '
        f'transform="rotate(-90)">{escape(y_label)}</text></g>'
        f'<g class="chart-axis chart-axis--y-end" text-anchor="start" aria-hidden="true">'
        f"{again}</g>"
    )


def _x_axis(plot: _Plot) -> str:
    """The baseline with a tick and a date under it at each calendar step."""
    bottom = plot.bottom
    ticks = "".join(
        f'<line x1="{_n(x)}" y1="{bottom}" x2="{_n(x)}" y2="{bottom + 4}" '
        f'stroke="currentColor"/><text x="{_n(x)}" y="{bottom + 18}"'
        f"{_anchor(x, plot.right)}>{escape(label)}</text>"
        for x, label in ((plot.x(tick), label) for tick, label in date_ticks(plot.first, plot.last))
    )
    return (
        f'<g class="chart-axis chart-axis--x" text-anchor="middle">'
        f'<line x1="{plot.left}" y1="{bottom}" x2="{plot.right}" y2="{bottom}" '
        f'stroke="currentColor"/>{ticks}</g>'
    )


def _markers(plot: _Plot, markers: Sequence[Marker]) -> str:
    """A dashed labelled line per marker; drawn before the series, so it never hides a point."""
    if not markers:
        return ""
    placed = [(plot.x(marker.day), marker) for marker in markers]
    lines = "".join(
        f'<line class="chart-marker" x1="{_n(x)}" y1="{plot.top - 4}" x2="{_n(x)}" '
        f'y2="{plot.bottom}" stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="4 4"/>'
        + (
            f'<text class="chart-marker-label" x="{_n(x)}" y="{plot.top - 8}"'
            f"{_anchor(x, plot.right)}>{escape(marker.label)}</text>"
            if not _label_overrun(x, marker, placed)
            else ""
        )
        for x, marker in placed
    )
    return f'<g class="chart-markers" text-anchor="middle">{lines}</g>'


_LABEL_CHARACTER = 7  # a marker label's letter, about, in the chart's units


def _label_overrun(x: float, marker: Marker, placed: list[tuple[float, Marker]]) -> bool:
    """Whether a later marker's label would print over this one's ("Level 3" and "Level 4"
    a few days apart read "Level a"): the later one, the level that followed, keeps its."""
    return any(
        other.day > marker.day
        and abs(other_x - x) < (len(marker.label) + len(other.label)) * _LABEL_CHARACTER / 2
        for other_x, other in placed
    )


def _lines(plot: _Plot, plotted: Sequence[Series], styles: Sequence[_Style]) -> str:
    # The same day is the same x on every series: format each day's x once.
    x_text = {day: _n(plot.x(day)) for s in plotted for day, _ in s.points}
    return "".join(
        _series(plot, item, style, x_text) for item, style in zip(plotted, styles, strict=True)
    )


def _series(plot: _Plot, item: Series, style: _Style, x_text: dict[date, str]) -> str:
    """One series: its line through the points in date order, and a marker on each point."""
    ordered = sorted(item.points, key=itemgetter(0))
    xs = [plot.x(day) for day, _ in ordered]
    ys = [plot.y(float(value)) for _, value in ordered]
    # Each number is formatted once and shared by the line and its point markers.
    x_texts = [x_text[day] for day, _ in ordered]
    y_texts = [_n(y) for y in ys]
    key = style.key
    line_points = " ".join([f"{a},{b}" for a, b in zip(x_texts, y_texts, strict=True)])
    point_class = f"chart-point chart-point--{key}"
    centres = zip(xs, ys, x_texts, y_texts, strict=True)
    points = "".join([_shape(style.shape, x, y, a, b, point_class) for x, y, a, b in centres])
    return (
        f'<g class="chart-series chart-series--{key}">'
        f'<polyline class="chart-line chart-line--{key}" fill="none" stroke="currentColor" '
        f'stroke-width="2" stroke-linejoin="round"{style.dash_attr} points="{line_points}"/>'
        f"{points}</g>"
    )


def _legend(plotted: Sequence[Series], styles: Sequence[_Style]) -> str:
    """An entry per series in a row along the top: a sample of the line, its point, its name."""
    entries = []
    x = float(_LEFT)
    for item, style in zip(plotted, styles, strict=True):
        entries.append(_legend_entry(item.name, style, x))
        # Rough text width (about 7 units a character at 12px) keeps entries apart.
        x += 30 + 7 * len(item.name) + 18
    return f'<g class="chart-legend">{"".join(entries)}</g>'


def _legend_entry(name: str, style: _Style, x: float) -> str:
    key = style.key
    return (
        f'<g class="chart-legend-item">'
        f'<line class="chart-legend-line chart-line--{key}" x1="{_n(x)}" '
        f'y1="{_LEGEND_Y}" x2="{_n(x + 24)}" y2="{_LEGEND_Y}" stroke="currentColor" '
        f'stroke-width="2"{style.dash_attr}/>'
        f"{_legend_point(style.shape, x + 12, f'chart-legend-point chart-point--{key}')}"
        f'<text class="chart-legend-label" x="{_n(x + 30)}" y="{_LEGEND_Y + 4}">'
        f"{escape(name)}</text></g>"
    )


def nice_ticks(highest: float) -> list[float]:
    """Up to 6 ticks from 0 past `highest`, spaced 1, 2 or 5 times a power of ten."""
    # Decimal throughout: 0.3 / 0.1 is exactly 3, and ticks come out as 0.6, never
    # 0.6000000000000001. Anything below a billionth is float noise, drawn as zero;
    # an all-zero chart still gets a 0 to 1 axis.
    high = Decimal(repr(highest)) if highest > _NEGLIGIBLE else Decimal(1)
    exponent = high.adjusted() - 1  # one digit below the leading one
    for mantissa in (1, 2, 5, 10, 20, 50):  # by 50 a single interval covers `high`
        step = Decimal(mantissa).scaleb(exponent)
        intervals = math.ceil(high / step)
        if intervals <= MAX_Y_INTERVALS:
            break
    return [float(step * i) for i in range(intervals + 1)]


def date_ticks(first: date, last: date) -> list[tuple[date, str]]:
    """At most six date ticks on calendar-friendly steps, labelled "3 Mar".

    Days, weeks or fortnights for short spans, month starts for longer ones and
    New Year's days beyond that. The year is shown when the span crosses one.
    """
    span = (last - first).days
    with_year = first.year != last.year
    for step in (1, 2, 3, 7, 14):
        if span // step + 1 <= MAX_X_TICKS:
            ticks = [first + timedelta(days=step * i) for i in range(span // step + 1)]
            return [(day, _day_label(day, with_year)) for day in ticks]
    for step in (1, 2, 3, 6):
        ticks = _month_starts(first, last, step)
        if len(ticks) <= MAX_X_TICKS:
            return [(day, _month_label(day, with_year)) for day in ticks]
    for step in _one_two_five():
        years = range(first.year + 1, last.year + 1)
        ticks = [date(year, 1, 1) for year in years if year % step == 0]
        if len(ticks) <= MAX_X_TICKS:
            return [(day, str(day.year)) for day in ticks]
    raise AssertionError("unreachable: the steps grow without bound")  # pragma: no cover


def _one_two_five() -> Iterator[int]:
    """1, 2, 5, 10, 20, 50, … for ever."""
    for exponent in itertools.count():
        for mantissa in (1, 2, 5):
            yield mantissa * 10**exponent


def _month_starts(first: date, last: date, step: int) -> list[date]:
    ticks = []
    year, month = first.year, first.month
    if first.day > 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while date(year, month, 1) <= last:
        if (month - 1) % step == 0:
            ticks.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ticks


def _x_scale(first: date, span: int, left: float, right: float) -> Callable[[date], float]:
    if span == 0:
        middle = (left + right) / 2
        return lambda day: middle
    per_day = (right - left) / span
    return lambda day: left + (day - first).days * per_day


def _y_scale(top: float, bottom: float, y_top: float) -> Callable[[float], float]:
    return lambda value: bottom - (bottom - top) * value / y_top


def _shape(shape: str, x: float, y: float, x_text: str, y_text: str, css: str) -> str:
    """A point marker centred on (x, y); the centre comes preformatted as text."""
    r = _POINT
    if shape == "circle":
        return f'<circle class="{css}" cx="{x_text}" cy="{y_text}" r="{_n(r)}"/>'
    if shape == "square":
        side = _n(2 * r)
        return (
            f'<rect class="{css}" x="{_n(x - r)}" y="{_n(y - r)}" width="{side}" height="{side}"/>'
        )
    if shape == "diamond":
        d = r * 1.3  # a diamond looks smaller than a square of the same width
        up, down, west, east = _n(y - d), _n(y + d), _n(x - d), _n(x + d)
        points = f"{x_text},{up} {east},{y_text} {x_text},{down} {west},{y_text}"
    else:
        w = r * 1.2
        up, base, west, east = _n(y - w), _n(y + r), _n(x - w), _n(x + w)
        points = f"{x_text},{up} {east},{base} {west},{base}"
    return f'<polygon class="{css}" points="{points}"/>'


def _legend_point(shape: str, x: float, css: str) -> str:
    return _shape(shape, x, _LEGEND_Y, _n(x), _n(_LEGEND_Y), css)


def _anchor(x: float, right: float) -> str:
    # A label centred on the last few units would run past the edge of the picture.
    return ' text-anchor="end"' if x > right - _EDGE else ""


def _day_label(day: date, with_year: bool) -> str:
    label = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{label} {day.year}" if with_year else label


def _month_label(day: date, with_year: bool) -> str:
    label = _MONTHS[day.month - 1]
    return f"{label} {day.year}" if with_year else label


def _n(value: float) -> str:
    # One decimal is finer than a pixel; fewer characters keep big charts small.
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text
