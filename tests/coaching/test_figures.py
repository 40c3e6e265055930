"""Figures: well-formed SVG with a text alternative, the same scene in Pillow, timer keyframes."""

from __future__ import annotations

import io
import itertools
import json
import math
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from coaching import raster
from coaching.drawing import Callout, Circle, Line, Polygon, Rect
from coaching.figures import (
    ARM,
    BENCH,
    BODY,
    BUILDERS,
    FAR_LEG,
    LEG,
    NEAR_ARM,
    NECK,
    SEATED_HIP,
    TORSO,
    Pose,
    figure,
    keyframes,
    keyframes_for,
    moving_figure,
    solve,
)
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


def test_two_up_one_down_moves_as_its_drawing_both_feet_up_one_leg_down():
    data = keyframes_for("variation-two-up-one-down-hip-thrust")
    frames, lowering = data["frames"], data["lowering"]
    assert all(frames[name]["free_knee"] == frames[name]["knee"] for name in frames)
    assert set(lowering) == {"mid-drive", "top"}
    assert all(lowering[name]["free_knee"][1] > frames[name]["knee"][1] for name in lowering)
    assert data["both_feet"] == ["lift", "pause"]
    # A rung the same on the way up and down sends no lowering of its own.
    assert "lowering" not in keyframes_for("variation-single-leg-hip-thrust")
    assert keyframes_for("variation-floor-glute-bridge")["both_feet"] == [
        "lift", "hold", "lower", "pause",
    ]  # fmt: skip


# The drawing is true to the body: what touches, touches; segments keep their lengths.

SIDE_VIEWS = [key for key in BUILDERS if key != "error-knee-caving-in"]  # that one is from the feet
TIMER_FRAMES = ["bottom", "mid-drive", "top"]


def _side_panels():
    for key in SIDE_VIEWS:
        for index, panel in enumerate(figure(key).panels):
            yield f"{key}[{index}]", panel.scene


def _timer_scenes():
    """The timer's figure at each keyframe, for every figure a rung can take."""
    for key in BUILDERS:
        frames = keyframes_for(key)
        for name in TIMER_FRAMES:
            yield f"{key}@{name}", moving_figure(frames, pose=name)


def _lines(scene, limb):
    return [
        item
        for item in scene.items
        if isinstance(item, Line)
        and item.role == limb.role
        and item.width == limb.width
        and len(item.points) == len(limb.joints)
        and not item.dashed
    ]


def _segment_to_box(a, b, box) -> float:
    """Shortest distance from segment a-b to an axis-aligned box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    steps = max(1, int(math.dist(a, b) / 0.02))
    best = math.inf
    for i in range(steps + 1):
        x = a[0] + (b[0] - a[0]) * i / steps
        y = a[1] + (b[1] - a[1]) * i / steps
        dx = max(x0 - x, 0, x - x1)
        dy = max(y0 - y, 0, y - y1)
        best = min(best, math.hypot(dx, dy))
    return best


def _gap_to_bench_top(torso: Line, bench: Rect) -> float:
    """How far the drawn trunk's surface is from the drawn bench top (rounded corners)."""
    r = bench.corner
    inner = (bench.x + r, bench.y + r, bench.x + bench.width - r, bench.y + bench.height - r)
    spine = min(_segment_to_box(a, b, inner) for a, b in itertools.pairwise(torso.points))
    return spine - r - torso.width / 2


def _all_scenes():
    yield from _side_panels()
    yield from _timer_scenes()


def test_the_upper_back_rests_on_the_bench_edge_in_every_bench_pose_and_frame():
    checked = 0
    for name, scene in _all_scenes():
        tops = [
            i for i in scene.items if isinstance(i, Rect) and i.role == "bench" and i.height == 7
        ]
        (torso,) = _lines(scene, TORSO)
        if not tops:  # a bridge: the shoulders rest on the floor instead
            lowest = min(y for _, y in torso.points[:1]) - torso.width / 2
            assert lowest == pytest.approx(0, abs=0.05), name
            continue
        assert _gap_to_bench_top(torso, tops[0]) == pytest.approx(0, abs=0.1), name
        checked += 1
    assert checked > 30


def _segments(scene) -> dict[str, list[float]]:
    lengths: dict[str, list[float]] = {}
    named = {
        LEG: ("thigh", "shin"),
        FAR_LEG: ("thigh", "shin"),
        ARM: ("upper arm", "forearm"),
        NEAR_ARM: ("upper arm", "forearm"),
        NECK: ("neck",),
        TORSO: ("thorax", "lumbar"),
    }
    for limb, names in named.items():
        for line in _lines(scene, limb):
            for segment, (a, b) in zip(names, itertools.pairwise(line.points), strict=True):
                lengths.setdefault(segment, []).append(math.dist(a, b))
    return lengths


def test_every_segment_keeps_its_length_in_every_pose_of_every_figure_and_timer_frame():
    seen: dict[str, list[tuple[str, float]]] = {}
    for name, scene in _all_scenes():
        for segment, lengths in _segments(scene).items():
            seen.setdefault(segment, []).extend((name, length) for length in lengths)
    assert set(seen) == {"thigh", "shin", "upper arm", "forearm", "neck", "thorax", "lumbar"}
    for segment, lengths in seen.items():
        shortest, longest = min(lengths, key=lambda x: x[1]), max(lengths, key=lambda x: x[1])
        assert longest[1] - shortest[1] < 0.05, (segment, shortest, longest)


def test_relaxed_arms_lie_flat_on_the_bench_top_within_its_length():
    for name, scene in _all_scenes():
        tops = [
            i for i in scene.items if isinstance(i, Rect) and i.role == "bench" and i.height == 7
        ]
        for arm in _lines(scene, ARM):
            _, elbow, hand = arm.points
            if not tops:
                assert elbow[1] == hand[1] == pytest.approx(ARM.width / 2), name
                continue
            top = tops[0]
            surface = top.y + top.height + ARM.width / 2
            assert elbow[1] == pytest.approx(surface), name
            assert hand[1] == pytest.approx(surface), name
            assert hand[0] - ARM.width / 2 >= top.x, name


def _inside(point, polygon) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(polygon):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _band_scenes():
    key = "variation-banded-single-leg-hip-thrust"
    yield from ((f"{key}[{i}]", p.scene) for i, p in enumerate(figure(key).panels))
    for name in TIMER_FRAMES:
        yield f"{key}@{name}", moving_figure(keyframes_for(key), pose=name)


def test_the_band_is_a_closed_loop_round_both_thighs_just_above_the_knees():
    for name, scene in _band_scenes():
        (band,) = [item for item in scene.items if isinstance(item, Line) and item.role == "band"]
        assert band.points[0] == band.points[-1], name
        assert len(set(band.points)) >= 4, name
        for limb in (LEG, FAR_LEG):
            (leg,) = _lines(scene, limb)
            hip, knee, _ = leg.points
            along = math.dist(hip, knee)
            ux, uy = (hip[0] - knee[0]) / along, (hip[1] - knee[1]) / along
            for cm in (5.5, 7.0, 8.5):  # the band's width, just above the knee
                x, y = knee[0] + ux * cm, knee[1] + uy * cm
                # Round the thigh, not through it: where the band runs, the drawn thigh's
                # surfaces are inside too.
                surfaces = (limb.width / 2, -limb.width / 2) if cm == 7.0 else ()
                for across in (0.0, *surfaces):
                    point = (x - uy * across, y + ux * across)
                    assert _inside(point, band.points), (name, limb.role, cm, across)


def _hip(scene) -> tuple[float, float]:
    (torso,) = _lines(scene, TORSO)
    return torso.points[-1]


def test_the_bouncing_strip_shows_the_fault_itself_not_only_other_captions():
    panels = figure("error-bouncing").panels
    wrong = [p for p in panels if p.verdict == "error"]
    right = [p for p in panels if p.verdict == "fix"]
    wrong_lowest = min(_hip(p.scene)[1] for p in wrong)
    right_lowest = min(_hip(p.scene)[1] for p in right)
    # Bouncing: the seat (the trunk's underside at the hips) hits the floor...
    assert wrong_lowest - TORSO.width / 2 == pytest.approx(0, abs=0.5)
    # ...control stops well short of it.
    assert right_lowest - TORSO.width / 2 >= 5
    roles = [{item.role for item in p.scene.items} for p in panels]
    assert all("motion" in r for r, p in zip(roles, panels, strict=True) if p.verdict == "error")
    assert not any("motion" in r for r, p in zip(roles, panels, strict=True) if p.verdict == "fix")
    assert [_hip(p.scene) for p in wrong] != [_hip(p.scene) for p in right]


def test_the_bouncing_fix_pauses_at_the_top_only_as_the_source_asks():
    right = [p for p in figure("error-bouncing").panels if p.verdict == "fix"]
    paused = [p for p in right if "hold" in {item.role for item in p.scene.items}]
    # The source: slow the lowering and pause briefly at the top; no stop at the bottom.
    assert {_hip(p.scene)[1] for p in paused} == {max(_hip(p.scene)[1] for p in right)}
    assert not [p.caption for p in right if "still" in p.caption.lower()]
    lowest = min(right, key=lambda p: _hip(p.scene)[1])
    assert "no bounce" in lowest.caption
    assert "still" not in figure("error-bouncing").description


def _knee_panel(verdict: str):
    (panel,) = [p for p in figure("error-knee-caving-in").panels if p.verdict == verdict]
    items = panel.scene.items
    (leg,) = [
        i for i in items if isinstance(i, Line) and i.role == "working" and len(i.points) == 3
    ]
    (head,) = [i for i in items if isinstance(i, Polygon) and i.role in ("arrow", "error-arrow")]
    (shaft,) = [i for i in items if isinstance(i, Line) and i.role == head.role]
    (callout,) = [i for i in items if isinstance(i, Callout)]
    return items, leg, shaft, head, callout


def _towards_midline(leg, x_from, x_to) -> float:
    """How far a move from x_from to x_to goes toward the body's middle (the pelvis's)."""
    hip_x = leg.points[0][0]
    return (x_to - x_from) * (1 if hip_x < 0 else -1)


def test_the_knee_caving_wrong_panel_points_in_at_the_caved_knee():
    _, leg, shaft, head, callout = _knee_panel("error")
    knee = leg.points[1]
    assert head.role == "error-arrow"
    assert math.dist(head.points[0], knee) <= LEG.width / 2 + 1.5
    assert math.dist(shaft.points[0], callout.at) <= callout.radius + 1.5
    # The fault: the arrow runs in toward the middle, the way the knee fell.
    assert _towards_midline(leg, shaft.points[0][0], head.points[0][0]) > 10


def test_the_knee_caving_right_panel_drives_the_knee_out_and_keeps_it_over_the_foot():
    items, leg, shaft, head, callout = _knee_panel("fix")
    hip, knee, ankle = leg.points
    # The fix, not the fault again: from the knee, outward.
    assert head.role == "arrow"
    assert math.dist(shaft.points[0], knee) <= LEG.width / 2 + 2
    assert _towards_midline(leg, shaft.points[0][0], head.points[0][0]) < -10
    assert abs(head.points[0][1] - knee[1]) < 1  # across, at the knee's height
    assert math.dist(callout.at, shaft.points[-1]) < 15
    # The knee sits over the foot, in line with hip and ankle.
    (toes,) = [
        i
        for i in items
        if isinstance(i, Line) and i.role == "working" and len(i.points) == 2 and not i.dashed
        if i.points[0][1] == i.points[1][1]
    ]
    assert min(x for x, _ in toes.points) < knee[0] < max(x for x, _ in toes.points)
    assert knee[0] == pytest.approx(ankle[0], abs=0.5)
    assert knee[0] == pytest.approx(hip[0], abs=0.5)


@pytest.mark.parametrize("verdict", ["error", "fix"])
def test_the_knee_caving_panels_show_a_recognisable_body_with_a_lifted_leg(verdict):
    items, leg, *_ = _knee_panel(verdict)
    knee = leg.points[1]
    # A pelvis wider than the hips, both legs, a foot on each.
    (pelvis,) = [i for i in items if isinstance(i, Polygon) and i.role == "body"]
    xs = [x for x, _ in pelvis.points]
    (other,) = [i for i in items if isinstance(i, Line) and i.role == "far" and len(i.points) == 3]
    hips = abs(other.points[0][0] - leg.points[0][0])
    assert max(xs) - min(xs) > hips
    feet = [
        i
        for i in items
        if isinstance(i, Line) and i.role in ("working", "far") and len(i.points) == 2
    ]
    assert {f.role for f in feet} == {"working", "far"}
    assert leg.points[0][1] > knee[1] > leg.points[2][1]  # the thigh shows, hip beyond the knee
    # The lifted leg reads as a leg, not an arm hanging from a shoulder: it starts at the
    # hip, its bent knee rises beside the trunk (not over it), and a foot hangs below it.
    other_hip, other_knee, other_ankle = other.points
    assert other_hip[1] == pytest.approx(leg.points[0][1])
    (trunk,) = [i for i in items if isinstance(i, Polygon) and i.role == "body-far"]
    assert abs(other_knee[0]) - FAR_LEG.width / 2 > max(abs(x) for x, _ in trunk.points)
    assert other_knee[1] > other_hip[1]
    assert other_knee[1] > other_ankle[1]
    far_feet = [f for f in feet if f.role == "far"]
    stem = next(f for f in far_feet if f.points[0] == other_ankle)
    assert stem.points[1][1] < other_ankle[1]  # hanging from the ankle
    assert any(f.points[0][1] == f.points[1][1] == stem.points[1][1] for f in far_feet)  # toes


def test_the_timer_figure_carries_the_rungs_equipment_in_every_frame():
    loaded = keyframes_for("variation-loaded-single-leg-hip-thrust")
    banded = keyframes_for("variation-banded-single-leg-hip-thrust")
    elevated = keyframes_for("variation-foot-elevated-single-leg-hip-thrust")
    for name in TIMER_FRAMES:
        joints = loaded["frames"][name]
        scene = moving_figure(loaded, pose=name)
        discs = [i for i in scene.items if isinstance(i, Circle) and i.role == "load"]
        (weight,) = discs
        assert dict(weight.data) == {"centre": "load_centre"}
        assert weight.centre == tuple(joints["load_centre"])
        # Resting on the hips, the near hand on it.
        assert math.dist(weight.centre, joints["hip"]) == pytest.approx(
            BODY.back_radius + weight.radius, abs=0.05
        )
        (arm,) = _lines(scene, NEAR_ARM)
        assert math.dist(arm.points[-1], weight.centre) < weight.radius

        scene = moving_figure(banded, pose=name)
        (band,) = [i for i in scene.items if isinstance(i, Line) and i.role == "band"]
        names = dict(band.data)["joints"].split()
        assert band.points == tuple(tuple(banded["frames"][name][j]) for j in names)

        scene = moving_figure(elevated, pose=name)
        (plate,) = [i for i in scene.items if isinstance(i, Rect) and i.role == "support"]
        heel, toe = elevated["frames"][name]["heel"], elevated["frames"][name]["toe"]
        assert plate.x <= heel[0]
        assert toe[0] <= plate.x + plate.width
        assert plate.height == heel[1] == toe[1]
    # The weight and the band move with the hips and knees between the frames.
    assert loaded["frames"]["bottom"]["load_centre"] != loaded["frames"]["top"]["load_centre"]
    assert banded["frames"]["bottom"]["band_1"] != banded["frames"]["top"]["band_1"]


def _bridge_scenes():
    key = "variation-floor-glute-bridge"
    yield from ((f"{key}[{i}]", p.scene) for i, p in enumerate(figure(key).panels))
    for name in TIMER_FRAMES:
        yield f"{key}@{name}", moving_figure(keyframes_for(key), pose=name)


def test_the_floor_bridges_arms_lie_flat_on_the_floor_beside_the_body_not_over_the_head():
    for name, scene in _bridge_scenes():
        (arm,) = _lines(scene, ARM)
        shoulder, elbow, hand = arm.points
        (torso,) = _lines(scene, TORSO)
        hip = torso.points[-1]
        (head,) = [i for i in scene.items if isinstance(i, Circle) and i.role == "body"]
        (floor,) = [i for i in scene.items if isinstance(i, Line) and i.role == "floor"]
        # On the floor, as the text says: "arms flat beside you".
        assert elbow[1] == hand[1] == pytest.approx(ARM.width / 2), name
        # Down along the body toward the hips, never past the head.
        assert head.centre[0] < shoulder[0] < elbow[0] < hand[0], name
        assert abs(hand[0] - hip[0]) <= 15, name
        assert floor.points[0][0] <= hand[0] <= floor.points[-1][0], name


def _to_segment(point, a, b) -> float:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    along = max(0.0, min(1.0, ((point[0] - ax) * dx + (point[1] - ay) * dy) / (dx * dx + dy * dy)))
    return math.dist(point, (ax + along * dx, ay + along * dy))


def test_the_setups_working_foot_callout_sits_by_that_foot_clear_of_the_lifted_leg():
    panel = figure("guide-setup").panels[0]
    callouts = [item for item in panel.scene.items if isinstance(item, Callout)]
    foot = next(c for c in callouts if panel.notes[c.number - 1].startswith("Foot placed"))
    seated = solve(Pose(hip_height=SEATED_HIP), BENCH)
    lifted = min(
        _to_segment(foot.at, seated.free_knee, seated.free_ankle),
        _to_segment(foot.at, seated.free_ankle, seated.free_toe),
    )
    working = _to_segment(foot.at, seated.ankle, seated.toe)
    assert lifted > foot.radius + FAR_LEG.width / 2  # not drawn over the other leg
    assert working < lifted
