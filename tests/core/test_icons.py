"""The web app manifest's icons: drawn from the brand mark, and committed as drawn."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PIL import Image

from core.icons import ICONS, _polylines, draw, read_mark, write_icons

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_committed_icons_are_what_the_brand_mark_draws(tmp_path):
    """After changing static/favicon.svg, run `manage.py make_app_icons` and commit."""
    write_icons(STATIC / "favicon.svg", tmp_path)
    for name, pixels, _ in ICONS:
        with Image.open(STATIC / "icons" / name) as committed, Image.open(tmp_path / name) as drawn:
            assert committed.size == (pixels, pixels)
            assert committed.convert("RGBA").tobytes() == drawn.convert("RGBA").tobytes(), name


def test_the_mark_is_read_from_the_svg():
    mark = read_mark(STATIC / "favicon.svg")
    assert (mark.size, mark.background, mark.corner) == (32, "#0f6b63", 7)
    assert mark.polylines == (((6, 22), (26, 22)), ((9, 22), (14, 13), (20, 16), (23, 22)))
    assert mark.dots == ((8.5, 11, 2.6, "#fff"),)


def test_a_path_command_the_drawing_does_not_know_is_refused():
    with pytest.raises(ValueError, match="'C'"):
        _polylines("M0 0C1 1 2 2 3 3")


def test_a_maskable_icon_keeps_the_drawing_inside_the_safe_zone():
    mark = read_mark(STATIC / "favicon.svg")
    image = draw(mark, 512, "maskable").convert("RGB")
    background = image.getpixel((0, 0))
    assert background == (0x0F, 0x6B, 0x63)
    safe = 0.4 * 512  # the centre circle of 80 % of the width
    for x in range(0, 512, 2):
        for y in range(0, 512, 2):
            if math.hypot(x + 0.5 - 256, y + 0.5 - 256) > safe:
                assert image.getpixel((x, y)) == background, (x, y)
    assert any(image.getpixel((x, 256 + 64)) == (255, 255, 255) for x in range(512)), "drawn"


def test_an_any_icon_is_the_rounded_square_on_a_transparent_ground():
    image = draw(read_mark(STATIC / "favicon.svg"), 192, "any")
    assert image.getpixel((0, 0))[3] == 0
    assert image.getpixel((96, 4))[:3] == (0x0F, 0x6B, 0x63)
