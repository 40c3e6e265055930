"""Render the guide's figures with Pillow, for where SVG does not serve.

Social previews (og:image) must be PNG or JPEG. The drawing is the same scene the SVG
shows. (The printable sheet is a real document: coaching/printing.py.)
"""

from __future__ import annotations

import io
import itertools
import math

from PIL import Image, ImageDraw, ImageFont

from coaching.drawing import Arc, Callout, Circle, Figure, Item, Line, Panel, Polygon, Rect
from coaching.svg import PALETTE

BACKGROUND = "#f7f5f0"
CARD = "#ffffff"
INK = "#1d1c1a"
ACCENT = "#0f6b63"


def _font(size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=max(8, round(size)))


class _Canvas:
    """Maps model centimetres (y up) onto an image region (y down)."""

    def __init__(self, draw: ImageDraw.ImageDraw, panel: Panel, box: tuple[int, int, int, int]):
        self.draw = draw
        min_x, min_y, max_x, max_y = panel.scene.bounds
        left, top, right, bottom = box
        self.scale = min((right - left) / (max_x - min_x), (bottom - top) / (max_y - min_y))
        # Centre the scene in its box.
        used_w = (max_x - min_x) * self.scale
        used_h = (max_y - min_y) * self.scale
        self.origin_x = left + ((right - left) - used_w) / 2 - min_x * self.scale
        self.origin_y = top + ((bottom - top) - used_h) / 2 + max_y * self.scale

    def point(self, p: tuple[float, float]) -> tuple[float, float]:
        return (self.origin_x + p[0] * self.scale, self.origin_y - p[1] * self.scale)

    def length(self, value: float) -> int:
        return max(1, round(value * self.scale))

    def item(self, item: Item) -> None:
        stroke, fill = PALETTE.get(item.role, ("#000000", "none"))
        if isinstance(item, Line):
            self._polyline(item, stroke)
        elif isinstance(item, Circle):
            x, y = self.point(item.centre)
            r = item.radius * self.scale
            box = (x - r, y - r, x + r, y + r)
            if fill != "none":
                self.draw.ellipse(box, fill=fill)
            else:
                self.draw.ellipse(box, outline=stroke, width=self.length(1))
        elif isinstance(item, Rect):
            x1, y1 = self.point((item.x, item.y + item.height))
            x2, y2 = self.point((item.x + item.width, item.y))
            self.draw.rounded_rectangle(
                (x1, y1, x2, y2),
                radius=item.corner * self.scale,
                fill=fill if fill != "none" else None,
            )
        elif isinstance(item, Polygon):
            self.draw.polygon([self.point(p) for p in item.points], fill=fill)
        elif isinstance(item, Arc):
            x, y = self.point(item.centre)
            r = item.radius * self.scale
            # Pillow measures angles clockwise on screen; the model counts counter-clockwise.
            self.draw.arc(
                (x - r, y - r, x + r, y + r),
                -item.end,
                -item.start,
                fill=stroke,
                width=self.length(item.width),
            )
        elif isinstance(item, Callout):
            x, y = self.point(item.at)
            r = item.radius * self.scale
            self.draw.ellipse((x - r, y - r, x + r, y + r), fill=INK, outline="white", width=2)
            self.draw.text((x, y), str(item.number), fill="white", font=_font(r * 1.4), anchor="mm")

    def _polyline(self, line: Line, colour: str) -> None:
        points = [self.point(p) for p in line.points]
        width = self.length(line.width)
        if line.dashed:
            for a, b in itertools.pairwise(points):
                self._dashes(a, b, colour, width)
            return
        self.draw.line(points, fill=colour, width=width, joint="curve")
        radius = width / 2
        if width > 2:
            # Round caps, as the SVG has.
            for x, y in (points[0], points[-1]):
                self.draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)

    def _dashes(self, a, b, colour: str, width: int) -> None:
        length = math.dist(a, b)
        dash, gap = 4 * self.scale, 3 * self.scale
        ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
        position = 0.0
        while position < length:
            end = min(position + dash, length)
            self.draw.line(
                [(a[0] + ux * position, a[1] + uy * position), (a[0] + ux * end, a[1] + uy * end)],
                fill=colour,
                width=width,
            )
            position = end + gap


def draw_panel(image: Image.Image, panel: Panel, box: tuple[int, int, int, int]) -> None:
    draw = ImageDraw.Draw(image)
    canvas = _Canvas(draw, panel, box)
    for item in panel.scene.items:
        canvas.item(item)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def social_preview(
    figure: Figure, heading: str, *, size: tuple[int, int] = (1200, 630)
) -> Image.Image:
    """An og:image: the figure's first panels on a card, with the page's heading."""
    width, height = size
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = 48
    draw.rounded_rectangle((24, 24, width - 24, height - 24), radius=28, fill=CARD)
    draw.text((margin + 8, margin), "hipthrust", fill=ACCENT, font=_font(30))
    title_font = _font(52)
    y = margin + 46
    for line in _wrap(draw, heading, title_font, width - 2 * margin - 16)[:2]:
        draw.text((margin + 8, y), line, fill=INK, font=title_font)
        y += 62
    panels = figure.panels[:2]
    slot = (width - 2 * margin) // len(panels)
    for index, panel in enumerate(panels):
        left = margin + index * slot
        draw_panel(image, panel, (left + 8, y + 16, left + slot - 8, height - margin))
    return image


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
