"""Accessible line charts drawn on the server as inline SVG: no JavaScript, no library.

The page's Content-Security-Policy forbids inline `style` attributes and `<style>`
elements, so every element carries `chart-*` classes for the site stylesheet and,
as a fallback, presentation attributes (stroke="currentColor", fill, dashes) so a
chart still reads without CSS. Sides are told apart without colour: each series
has its own point shape (circle, square, diamond) and the right side's line is
dashed. All text is escaped.

The chart is a picture (`role="img"`) named by its `<title>` and `<desc>`; the
page should offer the same numbers as a table for anyone who needs the values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from html import escape
from operator import itemgetter

MAX_X_TICKS = 6
MAX_Y_INTERVALS = 5
EMPTY_TEXT = "No sessions logged yet"
_NEGLIGIBLE = 1e-9

# Layout, in user units of the viewBox.
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 16, 40, 36
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
) -> str:
    """One `<svg>` line chart of values over dates, y axis from 0."""
    if width <= _LEFT + _RIGHT or height <= _TOP + _BOTTOM:
        raise ValueError("The chart is too small to draw.")
    cid = escape(chart_id)
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="system-ui, sans-serif" '
        'font-size="12" fill="currentColor">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
    ]
    plotted = [s for s in series if s.points]
    if not plotted:
        out.append(
            f'<text class="chart-empty" x="{_n(width / 2)}" y="{_n(height / 2)}" '
            f'text-anchor="middle">{EMPTY_TEXT}</text></svg>'
        )
        return "".join(out)

    values = [float(value) for s in plotted for _, value in s.points]
    for value in values:
        if not math.isfinite(value) or value < -_NEGLIGIBLE:
            raise ValueError("Chart values must be finite and not negative (the axis starts at 0).")
    days = [day for s in plotted for day, _ in s.points] + [m.day for m in markers]
    first, last = min(days), max(days)
    left, right, top, bottom = _LEFT, width - _RIGHT, _TOP, height - _BOTTOM
    span = (last - first).days
    x_of = _x_scale(first, span, left, right)
    y_ticks = nice_ticks(max(values))
    y_top = y_ticks[-1]

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / y_top

    # Grid and y axis.
    out.append('<g class="chart-grid" stroke="currentColor" stroke-opacity="0.15">')
    out.extend(
        f'<line x1="{left}" y1="{_n(y_of(t))}" x2="{right}" y2="{_n(y_of(t))}"/>' for t in y_ticks
    )
    out.append("</g>")
    out.append('<g class="chart-axis chart-axis--y" text-anchor="end">')
    out.extend(
        f'<text x="{left - 6}" y="{_n(y_of(t) + 4)}">{escape(y_format(t))}</text>' for t in y_ticks
    )
    middle = (top + bottom) / 2
    out.append(
        f'<text class="chart-axis-label" x="{_n(-middle)}" y="14" text-anchor="middle" '
        f'transform="rotate(-90)">{escape(y_label)}</text></g>'
    )

    # X axis.
    out.append(
        f'<g class="chart-axis chart-axis--x" text-anchor="middle">'
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="currentColor"/>'
    )
    for tick, label in date_ticks(first, last):
        x = x_of(tick)
        out.append(
            f'<line x1="{_n(x)}" y1="{bottom}" x2="{_n(x)}" y2="{bottom + 4}" '
            f'stroke="currentColor"/><text x="{_n(x)}" y="{bottom + 18}"'
            f"{_anchor(x, right)}>{escape(label)}</text>"
        )
    out.append("</g>")

    # Markers (behind the lines, so they never hide a point).
    if markers:
        out.append('<g class="chart-markers" text-anchor="middle">')
        for marker in markers:
            x = x_of(marker.day)
            out.append(
                f'<line class="chart-marker" x1="{_n(x)}" y1="{top - 4}" x2="{_n(x)}" '
                f'y2="{bottom}" stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="4 4"/>'
                f'<text class="chart-marker-label" x="{_n(x)}" y="{top - 8}"'
                f"{_anchor(x, right)}>{escape(marker.label)}</text>"
            )
        out.append("</g>")

    # Series, each with its legend entry: a sample of the line, its point shape, the name.
    legend: list[str] = ['<g class="chart-legend">']
    legend_x = float(left)
    x_text: dict[date, str] = {}  # the same day is the same x on every series
    for index, item in enumerate(plotted):
        key = escape(item.key)
        shape = _SHAPE_BY_KEY.get(item.key, _SHAPES[index % len(_SHAPES)])
        dash = _DASH_BY_KEY.get(item.key)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        ordered = sorted(item.points, key=itemgetter(0))
        for day, _ in ordered:
            if day not in x_text:
                x_text[day] = _n(x_of(day))
        xs = [x_of(day) for day, _ in ordered]
        ys = [y_of(float(value)) for _, value in ordered]
        # Each number is formatted once and shared by the line and its point markers.
        x_texts = [x_text[day] for day, _ in ordered]
        y_texts = [_n(y) for y in ys]
        out.append(
            f'<g class="chart-series chart-series--{key}">'
            f'<polyline class="chart-line chart-line--{key}" fill="none" stroke="currentColor" '
            f'stroke-width="2" stroke-linejoin="round"{dash_attr} points="'
        )
        out.append(" ".join([f"{a},{b}" for a, b in zip(x_texts, y_texts, strict=True)]))
        out.append('"/>')
        point_class = f"chart-point chart-point--{key}"
        centres = zip(xs, ys, x_texts, y_texts, strict=True)
        out.extend([_shape(shape, x, y, a, b, point_class) for x, y, a, b in centres])
        out.append("</g>")

        legend.append(
            f'<g class="chart-legend-item">'
            f'<line class="chart-legend-line chart-line--{key}" x1="{_n(legend_x)}" '
            f'y1="{_LEGEND_Y}" x2="{_n(legend_x + 24)}" y2="{_LEGEND_Y}" stroke="currentColor" '
            f'stroke-width="2"{dash_attr}/>'
            f"{_legend_point(shape, legend_x + 12, f'chart-legend-point chart-point--{key}')}"
            f'<text class="chart-legend-label" x="{_n(legend_x + 30)}" y="{_LEGEND_Y + 4}">'
            f"{escape(item.name)}</text></g>"
        )
        # Rough text width (about 7 units a character at 12px) keeps entries apart.
        legend_x += 30 + 7 * len(item.name) + 18
    legend.append("</g>")
    out.extend(legend)

    out.append("</svg>")
    return "".join(out)


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
