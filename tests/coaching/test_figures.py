"""Figures: well-formed SVG with a text alternative, the same scene in Pillow, timer keyframes."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from coaching import raster
from coaching.figures import BUILDERS, figure, keyframes
from coaching.svg import render_figure_panels

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("key", list(BUILDERS))
def test_every_figure_renders_well_formed_svg_with_title_and_description(key):
    drawn = figure(key)
    panels = render_figure_panels(drawn, id_prefix=f"t-{key}")
    assert len(panels) == len(drawn.panels)
    for index, markup in enumerate(panels):
        root = ET.fromstring(markup)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None
        assert title.text.startswith(drawn.title)
        assert desc is not None
        assert len(desc.text) > 10
        assert root.get("aria-labelledby") == f"t-{key}-{index}-title t-{key}-{index}-desc"
        width, height = int(root.get("width")), int(root.get("height"))
        assert width > 0
        assert height > 0
        # Nothing a CSP would block: no script, no inline style, no event handler.
        elements = list(root.iter())
        assert not [e for e in elements if e.tag in {f"{SVG}script", f"{SVG}style"}]
        attributes = {name for element in elements for name in element.attrib}
        assert "style" not in attributes
        assert not [name for name in attributes if name.startswith("on")]


@pytest.mark.parametrize("key", list(BUILDERS))
def test_every_callout_has_its_legend_entry(key):
    for panel in figure(key).panels:
        numbers = sorted(
            item.number for item in panel.scene.items if type(item).__name__ == "Callout"
        )
        assert numbers == list(range(1, len(panel.notes) + 1))


def test_titles_and_descriptions_are_escaped():
    drawn = figure("guide-top")
    from dataclasses import replace

    tricky = replace(drawn, title="<b>&", description='"quoted" <script>')
    (markup,) = render_figure_panels(tricky, id_prefix="x")
    root = ET.fromstring(markup)
    assert root.find(f"{SVG}title").text == "<b>&"
    assert "<script>" not in markup


def test_error_figures_show_the_mistake_beside_its_fix():
    for key in [k for k in BUILDERS if k.startswith("error-")]:
        verdicts = {panel.verdict for panel in figure(key).panels}
        assert verdicts == {"error", "fix"}, key


def test_the_bouncing_strip_runs_in_time_order_for_each_verdict():
    panels = figure("error-bouncing").panels
    assert figure("error-bouncing").layout == "strip"
    assert [p.verdict for p in panels].count("error") == 4
    assert [p.verdict for p in panels].count("fix") == 4


def test_the_social_preview_is_a_1200_by_630_png():
    data = raster.png(raster.social_preview(figure("guide-top"), "How to"))
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    # Not a blank card: the figure's working-leg colour is drawn.
    assert (15, 107, 99) in {colour for _, colour in image.getcolors(1_000_000)}


def test_keyframes_rise_from_bottom_to_top_and_serialise_to_json():
    frames = keyframes()["frames"]
    assert list(frames) == ["bottom", "mid-drive", "top"]
    hips = [frames[name]["hip"][1] for name in frames]
    assert hips == sorted(hips)
    assert set(frames["top"]) >= {"shoulder", "hip", "knee", "ankle", "head", "free_knee"}
    json.dumps(keyframes())
