"""Render the guide's figures as inline SVG.

Colours come from classes that static/css/site.css styles (so dark mode works and
no inline style is needed under the CSP); the same colours are also given as
presentation attributes so a figure copied out of the page still reads.
"""

from __future__ import annotations

import math
from html import escape

from coaching.drawing import (
    Arc,
    Callout,
    Circle,
    Figure,
    Item,
    Line,
    Panel,
    Polygon,
    Rect,
    Scene,
)

# role: (stroke, fill). Light-mode defaults; the stylesheet overrides them.
PALETTE: dict[str, tuple[str, str]] = {
    "floor": ("#6b665c", "none"),
    "wall": ("none", "#cfc9bb"),
    "bench": ("none", "#8c7a5f"),
    "support": ("none", "#6b665c"),
    "far": ("#a9b4bd", "none"),
    "body": ("#33424f", "#33424f"),
    "near-arm": ("#5b6b78", "none"),
    "working": ("#0f6b63", "none"),
    "load": ("none", "#4a4a4a"),
    "load-hub": ("none", "#a3a3a3"),
    "body-far": ("none", "#7d8a95"),
    "motion": ("#b91c1c", "#b91c1c"),
    "band": ("#c2410c", "none"),
    "guide": ("#b45309", "none"),
    "angle": ("#b45309", "none"),
    "arrow": ("#0a4f49", "#0a4f49"),
    "arrow-label": ("none", "#0a4f49"),
    "pressure": ("#1d4ed8", "#1d4ed8"),
    "pressure-label": ("none", "#1d4ed8"),
    "error-arrow": ("#b91c1c", "#b91c1c"),
    "marker": ("#1d1c1a", "#1d1c1a"),
    "label": ("none", "#1d1c1a"),
    "hold": ("#0a4f49", "none"),
    "hold-face": ("none", "#dcefec"),
    "callout": ("#ffffff", "#1d1c1a"),
}
SCALE = 3.0  # pixels per centimetre for the intrinsic size (the page scales it down)


def _n(value: float) -> str:
    """A coordinate to one decimal, without a trailing ".0" (and never "-0")."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _points(points) -> str:
    return " ".join(f"{_n(x)},{_n(-y)}" for x, y in points)


def _element(item: Item) -> str:
    stroke, fill = PALETTE.get(item.role, ("#000", "none"))
    cls = f'class="fig-{item.role}"'
    if isinstance(item, Line | Circle):
        cls += "".join(f' data-{name}="{escape(value)}"' for name, value in item.data)
    if isinstance(item, Line):
        dash = ' stroke-dasharray="4 3"' if item.dashed else ""
        return (
            f'<polyline {cls} points="{_points(item.points)}" fill="none" stroke="{stroke}" '
            f'stroke-width="{_n(item.width)}" stroke-linecap="round" '
            f'stroke-linejoin="round"{dash}/>'
        )
    if isinstance(item, Circle):
        paint = f'fill="{fill}"' if fill != "none" else f'fill="none" stroke="{stroke}"'
        x, y = item.centre
        return f'<circle {cls} cx="{_n(x)}" cy="{_n(-y)}" r="{_n(item.radius)}" {paint}/>'
    if isinstance(item, Rect):
        return (
            f'<rect {cls} x="{_n(item.x)}" y="{_n(-(item.y + item.height))}" '
            f'width="{_n(item.width)}" height="{_n(item.height)}" rx="{_n(item.corner)}" '
            f'fill="{fill}"/>'
        )
    if isinstance(item, Callout):
        x, y = item.at
        return (
            f'<g {cls}><circle cx="{_n(x)}" cy="{_n(-y)}" r="{_n(item.radius)}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1"/>'
            f'<text x="{_n(x)}" y="{_n(-y + item.radius * 0.62)}" text-anchor="middle" '
            f'font-size="{_n(item.radius * 1.55)}" fill="{stroke}">{item.number}</text></g>'
        )
    if isinstance(item, Polygon):
        return f'<polygon {cls} points="{_points(item.points)}" fill="{fill}"/>'
    assert isinstance(item, Arc)
    return (
        f'<path {cls} d="{_arc_path(item)}" fill="none" stroke="{stroke}" '
        f'stroke-width="{_n(item.width)}" stroke-linecap="round"/>'
    )


def _arc_path(arc: Arc) -> str:
    cx, cy = arc.centre
    start, end = math.radians(arc.start), math.radians(arc.end)
    x1, y1 = cx + arc.radius * math.cos(start), cy + arc.radius * math.sin(start)
    x2, y2 = cx + arc.radius * math.cos(end), cy + arc.radius * math.sin(end)
    large = 1 if (arc.end - arc.start) % 360 > 180 else 0
    # y is flipped, so counter-clockwise in the model is clockwise (sweep 0) on screen.
    return f"M{_n(x1)} {_n(-y1)} A{_n(arc.radius)} {_n(arc.radius)} 0 {large} 0 {_n(x2)} {_n(-y2)}"


def render_panel(panel: Panel, *, element_id: str, title: str, description: str) -> str:
    min_x, min_y, max_x, max_y = panel.scene.bounds
    width, height = max_x - min_x, max_y - min_y
    body = "".join(_element(item) for item in panel.scene.items)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fig-svg" role="img" '
        f'viewBox="{_n(min_x)} {_n(-max_y)} {_n(width)} {_n(height)}" '
        f'width="{round(width * SCALE)}" height="{round(height * SCALE)}" '
        f'aria-labelledby="{element_id}-title {element_id}-desc" '
        f'font-family="system-ui, sans-serif">'
        f'<title id="{element_id}-title">{escape(title)}</title>'
        f'<desc id="{element_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )


def render_figure_panels(figure: Figure, *, id_prefix: str) -> list[str]:
    """One <svg> per panel, each with its own title and a description of what it shows."""
    if len(figure.panels) == 1:
        panel = figure.panels[0]
        return [
            render_panel(
                panel,
                element_id=f"{id_prefix}-0",
                title=figure.title,
                description=figure.description,
            )
        ]
    return [
        render_panel(
            panel,
            element_id=f"{id_prefix}-{index}",
            title=f"{figure.title}: {panel.caption}",
            description=figure.description if index == 0 else panel.caption,
        )
        for index, panel in enumerate(figure.panels)
    ]


def render_moving_figure(scene: Scene, *, element_id: str, title: str) -> str:
    """The timer's figure: the page's script moves the limbs that name their joints, and
    mirrors the drawing about its middle (data-mirror) to show the left leg working. As
    drawn (as every guide figure is), the body lies face up with its head on the viewer's
    left, showing its right side: the working leg, drawn in front, is the right leg."""
    min_x, min_y, max_x, max_y = scene.bounds
    width, height = max_x - min_x, max_y - min_y
    mirror = f"matrix(-1 0 0 1 {_n(2 * min_x + width)} 0)"
    body = "".join(_element(item) for item in scene.items)
    return (
        f'<svg class="timer-figure" viewBox="{_n(min_x)} {_n(-max_y)} {_n(width)} {_n(height)}" '
        f'role="img" aria-labelledby="{element_id}-title" focusable="false">'
        f'<title id="{element_id}-title">{escape(title)}</title>'
        f'<g data-mirror="{mirror}">{body}</g></svg>'
    )
