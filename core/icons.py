"""The installed app's icons, drawn with Pillow from the brand mark (static/favicon.svg).

The mark is read from the SVG itself (its rounded square, the stroked path and the
dot), so the icons cannot drift from the favicon. Two kinds, as the web app manifest
names them:

* "any": the mark as it is, its rounded square on a transparent ground;
* "maskable": a full-bleed square of the mark's colour with the drawing scaled into the
  safe zone (the centre circle of 80 % of the width), since a launcher may cut the icon
  to any shape inside it.

Drawn at four times the size and scaled down, for smooth edges.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

SVG_NS = "{http://www.w3.org/2000/svg}"
SUPERSAMPLE = 4
# The drawing's share of a maskable icon: its farthest point stays inside the safe zone.
MASKABLE_SCALE = 0.8
# (file name, pixels, purpose), as the manifest lists them.
ICONS = (
    ("icon-192.png", 192, "any"),
    ("icon-512.png", 512, "any"),
    ("icon-maskable-512.png", 512, "maskable"),
)


@dataclass(frozen=True)
class Mark:
    size: float  # the viewBox's side
    background: str
    corner: float
    stroke: str
    stroke_width: float
    polylines: tuple[tuple[tuple[float, float], ...], ...]
    dots: tuple[tuple[float, float, float, str], ...]  # x, y, radius, fill


def _polylines(d: str) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The path's subpaths as point lists: M, L, H and V, absolute or relative (all the
    mark uses); anything else is refused rather than drawn wrong."""
    tokens = re.findall(r"[A-Za-z]|-?\d*\.?\d+", d)
    lines: list[list[tuple[float, float]]] = []
    x = y = 0.0
    command = ""
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
        if command not in "MmLlHhVv":
            raise ValueError(f"the brand mark's path uses {command!r}, which is not drawn")
        relative = command.islower()
        if command in "MmLl":
            dx, dy = float(tokens[i]), float(tokens[i + 1])
            i += 2
            x, y = (x + dx, y + dy) if relative else (dx, dy)
        elif command in "Hh":
            x = x + float(tokens[i]) if relative else float(tokens[i])
            i += 1
        else:
            y = y + float(tokens[i]) if relative else float(tokens[i])
            i += 1
        if command in "Mm":
            lines.append([(x, y)])
            command = "l" if relative else "L"  # coordinates after a move are lines
        else:
            lines[-1].append((x, y))
    return tuple(tuple(line) for line in lines)


def read_mark(svg: Path) -> Mark:
    root = ET.parse(svg).getroot()
    size = float(root.get("viewBox", "0 0 32 32").split()[2])
    rect = root.find(f".//{SVG_NS}rect")
    path = root.find(f".//{SVG_NS}path")
    circles = root.findall(f".//{SVG_NS}circle")
    return Mark(
        size=size,
        background=rect.get("fill"),
        corner=float(rect.get("rx", "0")),
        stroke=path.get("stroke"),
        stroke_width=float(path.get("stroke-width", "1")),
        polylines=_polylines(path.get("d")),
        dots=tuple(
            (float(c.get("cx")), float(c.get("cy")), float(c.get("r")), c.get("fill"))
            for c in circles
        ),
    )


def draw(mark: Mark, pixels: int, purpose: str) -> Image.Image:
    big = pixels * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    unit = big / mark.size
    if purpose == "maskable":
        canvas.rectangle((0, 0, big, big), fill=mark.background)
        scale = MASKABLE_SCALE
    else:
        canvas.rounded_rectangle(
            (0, 0, big - 1, big - 1), radius=mark.corner * unit, fill=mark.background
        )
        scale = 1.0
    centre = mark.size / 2

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return tuple((centre + (value - centre) * scale) * unit for value in point)

    width = mark.stroke_width * scale * unit
    for line in mark.polylines:
        points = [at(point) for point in line]
        canvas.line(points, fill=mark.stroke, width=round(width))
        # Round caps and joins, as the SVG's stroke-linecap and stroke-linejoin ask.
        for px, py in points:
            canvas.ellipse(
                (px - width / 2, py - width / 2, px + width / 2, py + width / 2), fill=mark.stroke
            )
    for cx, cy, radius, fill in mark.dots:
        px, py = at((cx, cy))
        r = radius * scale * unit
        canvas.ellipse((px - r, py - r, px + r, py + r), fill=fill)
    return image.resize((pixels, pixels), Image.Resampling.LANCZOS)


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def write_icons(svg: Path, folder: Path) -> list[Path]:
    mark = read_mark(svg)
    written = []
    for name, pixels, purpose in ICONS:
        target = folder / name
        target.write_bytes(png(draw(mark, pixels, purpose)))
        written.append(target)
    return written
