"""The guide's figures: which poses to draw and what to point out on each.

Each figure is built from the pose model (coaching/pose.py), so the claims in its
labels are the geometry's own: the line drawn through shoulders, hips and knee is
straight because the solved joints are. Plain Python, no Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import NamedTuple

from coaching.drawing import (
    Arc,
    Circle,
    Figure,
    Item,
    Line,
    Notes,
    Panel,
    Point,
    Polygon,
    Rect,
    Scene,
    arrow,
    arrow_between,
    direction_degrees,
    extend,
)
from coaching.pose import Body, FrontLeg, Pose, Setup, Skeleton, front_leg, solve

BODY = Body()
BENCH = Setup()
BRIDGE = Setup(bench_height=0)
ELEVATED = Setup(support_height=7)
# Deep enough front to back (a plyo box's long side) for the arms to lie flat along it
# at their full length: the side view draws them in its own plane.
BENCH_LENGTH = 78.0

# Hip heights, in centimetres, for the named phases of a rep off a bench.
SEATED_HIP = 10.0
BOTTOM_HIP = 20.0


def phase_hip_heights(setup: Setup) -> dict[str, float | None]:
    top = solve(Pose(), setup).hip[1]
    bottom = BODY.back_radius + 1 if setup.bench_height == 0 else BOTTOM_HIP
    return {
        "bottom": bottom,
        "mid-drive": bottom + (top - bottom) * 0.55,
        "lowering": bottom + (top - bottom) * 0.45,
        "top": None,
    }


# Building blocks, shared with the timer's moving figure (moving_figure below).


class Limb(NamedTuple):
    role: str
    joints: tuple[str, ...]
    width: float


# Widths are the body's own thicknesses where something rests on that surface: the
# trunk on the bench edge, the arms on the bench, the band around the thighs.
FAR_LEG = Limb("far", ("hip", "free_knee", "free_ankle"), 2 * BODY.thigh_radius - 1)
FAR_FOOT = Limb("far", ("free_ankle", "free_toe"), 5.0)
ARM = Limb("far", ("shoulder", "elbow", "hand"), 2 * BODY.arm_radius)
NEAR_ARM = Limb("near-arm", ARM.joints, ARM.width)  # in front, holding a load
NECK = Limb("body", ("shoulder", "head"), 7.0)
TORSO = Limb("body", ("shoulder", "waist", "hip"), 2 * BODY.back_radius)
LEG = Limb("working", ("hip", "knee", "ankle"), 2 * BODY.thigh_radius)
FOOT = Limb("working", ("heel", "ankle", "toe"), 5.0)
BAND_WIDTH = 2.4
DUMBBELL_RADIUS = 9.0


def _limb(joints: Mapping[str, Sequence[float]], limb: Limb, *, tagged: bool = False) -> Line:
    """The limb through its joints; `tagged` names them on it, for a script that moves it."""
    points = tuple((joints[name][0], joints[name][1]) for name in limb.joints)
    data = (("joints", " ".join(limb.joints)),) if tagged else ()
    return Line(points, limb.role, limb.width, data=data)


def _disc(
    joints: Mapping[str, Sequence[float]], joint: str, radius: float, role: str, *, tagged: bool
) -> Circle:
    """A disc centred on `joint`; `tagged` names the joint, for a script that moves it."""
    centre = (joints[joint][0], joints[joint][1])
    return Circle(centre, radius, role, data=(("centre", joint),) if tagged else ())


def _head(joints: Mapping[str, Sequence[float]], *, tagged: bool = False) -> Circle:
    return _disc(joints, "head", BODY.head_radius, "body", tagged=tagged)


BAND_OUTLINE = tuple(f"band_{n}" for n in range(1, 9))
BAND_SPAN = 5.0  # how much of the thigh, along it, the band covers


def _band_outline(joints: Mapping[str, Sequence[float]]) -> dict[str, Point]:
    """The loop band round both thighs just above the knees, seen from the side: the hull
    of where it wraps each drawn thigh (a band's width along it) and the strands between.

    Always eight points, the hull's last repeated if it has fewer, so that every pose
    names the same points and a script can move the loop from one pose to the next.
    """
    hx, hy = joints["hip"]
    corners: list[Point] = []
    for point, knee, limb in (("band", "knee", LEG), ("free_band", "free_knee", FAR_LEG)):
        (px, py), (kx, ky) = joints[point], joints[knee]
        length = math.hypot(kx - hx, ky - hy)
        ux, uy = (kx - hx) / length, (ky - hy) / length
        half = limb.width / 2 + BAND_WIDTH / 2
        for along in (-BAND_SPAN / 2, BAND_SPAN / 2):
            corners += [(px + ux * along - uy * a, py + uy * along + ux * a) for a in (-half, half)]
    hull = _hull(corners)
    hull += [hull[-1]] * (len(BAND_OUTLINE) - len(hull))
    return dict(zip(BAND_OUTLINE, hull, strict=True))


def _hull(points: list[Point]) -> list[Point]:
    """The convex hull, counter-clockwise from the lowest-left point (Andrew's chain)."""
    ordered = sorted(set(points))

    def chain(sequence: list[Point]) -> list[Point]:
        kept: list[Point] = []
        for p in sequence:
            while len(kept) >= 2:
                (ax, ay), (bx, by) = kept[-2], kept[-1]
                if (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) > 0:
                    break
                kept.pop()
            kept.append(p)
        return kept[:-1]

    return chain(ordered) + chain(ordered[::-1])


def _carried(joints: Mapping[str, Sequence[float]], load: str, *, tagged: bool = False):
    """The equipment on the body, drawn over it: the band, the weight and the hand on it."""
    items: list[Item] = []
    if "band_1" in joints:
        names = (*BAND_OUTLINE, BAND_OUTLINE[0])
        points = tuple((joints[name][0], joints[name][1]) for name in names)
        data = (("joints", " ".join(names)),) if tagged else ()
        items.append(Line(points, "band", BAND_WIDTH, data=data))
    if "load_centre" in joints:
        if load == "kettlebell":
            items.append(_disc(joints, "load_centre", 10.0, "load", tagged=tagged))
        else:
            # A dumbbell lies across the hips, so the side view sees its end: the plate
            # and the handle's cap.
            items.append(_disc(joints, "load_centre", DUMBBELL_RADIUS, "load", tagged=tagged))
            items.append(_disc(joints, "load_centre", 3.0, "load-hub", tagged=tagged))
        items.append(_limb(joints, NEAR_ARM, tagged=tagged))
    return items


def drawn_joints(skeleton: Skeleton) -> dict[str, Point]:
    """The skeleton's points with the band's outline, which depends on the drawn thighs."""
    joints = skeleton.joints()
    if skeleton.band is not None:
        joints.update(_band_outline(joints))
    return joints


def _floor(left: float, right: float) -> Line:
    return Line(((left, 0.0), (right, 0.0)), "floor", 1.2)


def _bench(height: float, edge_radius: float) -> list[Item]:
    return [
        Rect(-BENCH_LENGTH, height - 7, BENCH_LENGTH, 7, "bench", corner=edge_radius),
        Rect(-BENCH_LENGTH + 3, 0.0, 4, height - 7, "bench"),
        Rect(-7, 0.0, 4, height - 7, "bench"),
    ]


def _support(height: float, heel_x: float, toe_x: float) -> Rect:
    """The plate under the working foot, a little wider than the foot from heel to toe."""
    return Rect(heel_x - 4, 0.0, toe_x - heel_x + 8, height, "support", 1.5)


def _equipment(skeleton: Skeleton) -> list[Item]:
    setup = skeleton.setup
    right = max(skeleton.toe[0], skeleton.free_toe[0], skeleton.knee[0]) + 8
    left = -BENCH_LENGTH - 6 if setup.bench_height else skeleton.head[0] - BODY.head_radius - 6
    items: list[Item] = [_floor(left, right)]
    if setup.bench_height:
        # The wall keeps the bench from sliding, as the setup asks.
        items.append(Rect(-BENCH_LENGTH - 6, 0.0, 3.0, setup.bench_height + 18, "wall"))
        items += _bench(setup.bench_height, setup.edge_radius)
    if setup.support_height:
        items.append(_support(setup.support_height, skeleton.heel[0], skeleton.toe[0]))
    return items


def _figure_items(skeleton: Skeleton) -> list[Item]:
    s = skeleton
    joints = drawn_joints(s)
    items: list[Item] = []
    if s.free_knee != s.knee:
        items += [_limb(joints, FAR_LEG), _limb(joints, FAR_FOOT)]
    if s.load_centre is None:
        items.append(_limb(joints, ARM))
    items += [_limb(joints, NECK), _head(joints), _limb(joints, TORSO)]
    items += [_limb(joints, LEG), _limb(joints, FOOT)]
    return items + _carried(joints, s.pose.load)


def _panel(skeleton: Skeleton, notes: Notes, *annotations: list[Item], **panel) -> Panel:
    items = _equipment(skeleton) + _figure_items(skeleton)
    for annotation in annotations:
        items += annotation
    return Panel(Scene(tuple(items)), notes=tuple(notes.texts), **panel)


def _body_line(s: Skeleton, notes: Notes | None = None, text: str = "") -> list[Item]:
    a, b = extend(s.shoulder, s.knee, 10, 10)
    items: list[Item] = [Line((a, b), "guide", 1.2, dashed=True)]
    if notes is not None:
        items += notes.at(
            (b[0] + 7, b[1] + 3), text or "Shoulders, hips and knee in one straight line"
        )
    return items


def _shin_vertical(s: Skeleton, notes: Notes | None = None, text: str = "") -> list[Item]:
    top = (s.ankle[0], s.knee[1] + 12)
    bottom = (s.ankle[0], s.setup.support_height)
    items: list[Item] = [Line((bottom, top), "guide", 1.2, dashed=True)]
    if notes is not None:
        at = (s.ankle[0] + 10, (s.knee[1] + s.ankle[1]) / 2)
        items += notes.at(at, text or "Shin vertical, knee straight over the ankle")
    return items


def _angle(vertex: Point, a: Point, b: Point, radius: float = 10.0) -> list[Item]:
    """An arc marking the angle at `vertex`, unnumbered: the guide gives no angle but the
    other leg's (the drawing's own would read as a target)."""
    start, end = sorted((direction_degrees(vertex, a), direction_degrees(vertex, b)))
    if end - start > 180:
        start, end = end, start + 360
    return [Arc(vertex, radius, start, end, "angle", 1.2)]


def _hip_arrow(s: Skeleton, notes: Notes, text: str, down: bool = False) -> list[Item]:
    base = (s.hip[0] + 3, s.hip[1] + 14)
    tip = (base[0], base[1] + 14)
    start, end = (tip, base) if down else (base, tip)
    return [*arrow(start, end), *notes.at((base[0] + 9, base[1] + 8), text)]


def _clock(centre: Point, radius: float = 8.5) -> list[Item]:
    """A stopwatch face: the body is held still here."""
    return [
        Circle(centre, radius, "hold-face"),
        Arc(centre, radius, 90 - 300, 90, "hold", 2.2),
        Line((centre, (centre[0], centre[1] + radius * 0.7)), "hold", 1.4),
        Line((centre, (centre[0] + radius * 0.47, centre[1])), "hold", 1.4),
    ]


def _speed_lines(s: Skeleton, *, trailing_up: bool) -> list[Item]:
    """Streaks left behind the moving hips: above them on the way down, below on the way up."""
    x, y = s.hip
    sign = 1 if trailing_up else -1
    start = y + sign * (BODY.back_radius + 3)
    return [
        Line(((x + dx, start), (x + dx, start + sign * length)), "motion", 1.6)
        for dx, length in ((-9, 9), (-3, 14), (3, 14), (9, 9))
    ]


def _impact(x: float) -> list[Item]:
    """Marks of the hips hitting the floor."""
    return [
        Line(((x + dx * 0.4, 2 + abs(dx) * 0.1), (x + dx, 5 + abs(dx) * 0.35)), "motion", 1.6)
        for dx in (-16, -9, 9, 16)
    ]


def _pressure(points: list[Point], notes: Notes, text: str, role: str = "pressure") -> list[Item]:
    items: list[Item] = []
    for x, y in points:
        items += arrow((x, y + 12), (x, y + 1.5), role, 1.4)
    last = points[-1]
    return [*items, *notes.at((last[0] + 9, last[1] + 9), text)]


# The figures.


def _guide_setup() -> Figure:
    notes = Notes()
    s = solve(Pose(hip_height=SEATED_HIP), BENCH)
    top = solve(Pose(), BENCH)
    foot_line = Line(((top.ankle[0], 0.0), (top.ankle[0], 30.0)), "guide", 1.0, dashed=True)
    panel = _panel(
        s,
        notes,
        notes.at((-BENCH_LENGTH - 4.5, BENCH.bench_height + 24), "Bench pushed against a wall"),
        notes.at(
            (s.bench_edge[0] - 9, s.bench_edge[1] + 1),
            "Lower tips of the shoulder blades on the bench edge",
        ),
        [foot_line],
        notes.at((top.ankle[0] + 12, 13), "Foot placed where the shin will be vertical at the top"),
        notes.at(
            (s.free_knee[0] + 3, s.free_knee[1] + 8),
            "Other leg lifted, bent about 90 degrees or straight",
        ),
        notes.at((s.hand[0] + 2, s.hand[1] + 8), "Arms relaxed and flat on the bench"),
    )
    return Figure(
        "guide-setup",
        "The starting position",
        "Side view of the setup, seated on the floor: the lower tips of the shoulder blades rest "
        "on the edge of a bench pushed against a wall, the working foot is flat on the floor "
        "where the shin will be vertical at the top, the other leg is lifted and bent, and the "
        "arms lie relaxed on the bench.",
        (panel,),
    )


def _guide_execution() -> Figure:
    notes = Notes()
    s = solve(Pose(hip_height=phase_hip_heights(BENCH)["mid-drive"]), BENCH)
    panel = _panel(
        s,
        notes,
        _pressure(
            [(s.heel[0] + 3, 0.0), (s.ankle[0] + 4, 0.0)],
            notes,
            "Push through the heel and midfoot",
        ),
        _hip_arrow(s, notes, "Squeeze the working glute and drive the hips up"),
    )
    return Figure(
        "guide-execution",
        "The drive",
        "Side view halfway up: the working foot presses into the floor through the heel and "
        "midfoot and the hips rise toward the ceiling while the upper back pivots on the bench.",
        (panel,),
    )


def _top_figure(key: str, title: str, *, checks: bool = False) -> Figure:
    """The top of a rep. With `checks`, numbered as the guide's three checks at the top (its
    cues, in their order), beside which it stands; the straight line is drawn unnumbered."""
    notes = Notes()
    s = solve(Pose(), BENCH)
    if checks:
        trunk = ((s.shoulder[0] + s.hip[0]) / 2, max(s.shoulder[1], s.hip[1]) + 14)
        marks = (
            _body_line(s),
            notes.at((s.hip[0] - 2, s.hip[1] - 16), "Working glute fully squeezed"),
            _shin_vertical(s, notes, "Knee over the ankle, shin vertical"),
            notes.at(trunk, "Ribs down, pelvis slightly tucked"),
        )
    else:
        marks = (_body_line(s, notes), _shin_vertical(s, notes))
    return Figure(
        key,
        title,
        "Side view at the top: shoulders, hips and the working knee form one straight line, "
        "the working shin is vertical with the knee straight over the ankle, and the other leg "
        "is held up, bent.",
        (_panel(s, notes, *marks),),
        keyframes=keyframes(BENCH),
    )


def _guide_descent() -> Figure:
    """Numbered as the guide's lowering cues, then its first breathing cue (the list below
    continues from 3)."""
    notes = Notes()
    s = solve(Pose(hip_height=phase_hip_heights(BENCH)["lowering"]), BENCH)
    panel = _panel(
        s,
        notes,
        _hip_arrow(s, notes, "Lower the hips over two to three seconds", down=True),
        notes.at((s.hip[0] + 2, 8), "Reach the bottom under control: no rebound"),
        notes.at((s.head[0] + 14, s.head[1] + 6), "Breathe in on the way down"),
    )
    return Figure(
        "guide-descent",
        "The descent",
        "Side view on the way down: the hips sink slowly toward the floor over two to three "
        "seconds while the person breathes in; the foot stays flat and the upper back stays on "
        "the bench.",
        (panel,),
    )


def _floor_glute_bridge() -> Figure:
    notes = Notes()
    s = solve(Pose(both_feet_down=True), BRIDGE)
    panel = _panel(
        s,
        notes,
        _body_line(s, notes, "Shoulders, hips and knees in one straight line"),
        _shin_vertical(s, notes, "Both feet flat on the floor"),
        notes.at((s.elbow[0], s.hand[1] - 9), "Arms flat on the floor beside you"),
    )
    return Figure(
        "variation-floor-glute-bridge",
        "Floor glute bridge",
        "Side view of a glute bridge at the top: lying on the floor, arms flat beside the body, "
        "both feet flat, the hips lifted until shoulders, hips and knees make a straight line.",
        (panel,),
        keyframes=keyframes(BRIDGE, Pose(both_feet_down=True)),
    )


# The rung's own cues for the timer's steps, on top of the guide's: what this rung does
# differently from the full exercise, said on every rep (keyframes' "cues").
TWO_UP_ONE_DOWN_CUES = {
    "lift": "Both feet drive the hips up",
    "hold": "At the top, lift one foot off the floor",
    "lower": "One foot off, lower slowly on the other leg",
    "pause": "Both feet back down",
}


def _two_up_one_down() -> Figure:
    up = solve(Pose(both_feet_down=True), BENCH)
    down = solve(Pose(hip_height=phase_hip_heights(BENCH)["lowering"]), BENCH)
    up_notes, down_notes = Notes(), Notes()
    return Figure(
        "variation-two-up-one-down-hip-thrust",
        "Two up, one down",
        "Two side views. First, the hips are up at the top with both feet on the floor. Second, "
        "one foot has been lifted and the hips lower slowly on the other leg alone.",
        (
            _panel(
                up,
                up_notes,
                _body_line(up, up_notes, TWO_UP_ONE_DOWN_CUES["lift"]),
                caption="Up on both feet",
            ),
            _panel(
                down,
                down_notes,
                _hip_arrow(
                    down, down_notes, "One foot lifted, lower slowly on the other", down=True
                ),
                caption="Down on one",
            ),
        ),
        layout="pair",
        # Up on both feet, the top hold and the lowering on one leg, both feet down again at
        # the bottom: the drawing's two panels, in motion.
        keyframes=keyframes(
            BENCH, Pose(both_feet_down=True), lowering=Pose(), cues=TWO_UP_ONE_DOWN_CUES
        ),
    )


def _loaded() -> Figure:
    notes = Notes()
    s = solve(Pose(load="dumbbell"), BENCH)
    panel = _panel(
        s,
        notes,
        _body_line(s),
        notes.at(
            (s.load_centre[0] + 15, s.load_centre[1] + 6),
            "Dumbbell across the hip crease, the hands only keeping it from rolling",
        ),
    )
    return Figure(
        "variation-loaded-single-leg-hip-thrust",
        "Dumbbell across the hips",
        "Side view at the top of a single leg hip thrust with a dumbbell resting across the hip "
        "crease, the hands only keeping it from rolling, not pushing it up; shoulders, hips and "
        "knee in line.",
        (panel,),
        keyframes=keyframes(BENCH, Pose(load="dumbbell")),
    )


def _isometric() -> Figure:
    notes = Notes()
    s = solve(Pose(), BENCH)
    centre = (s.hip[0] - 12, s.hip[1] + 24)
    panel = _panel(
        s,
        notes,
        _body_line(s),
        _clock(centre),
        notes.at(
            (centre[0] + 14, centre[1]),
            "Hold the top a few seconds (we start at 5), glute squeezed",
        ),
    )
    return Figure(
        "variation-isometric-hold-single-leg-hip-thrust",
        "Hold at the top",
        "Side view at the top of a single leg hip thrust, held still for a few seconds (hipthrust "
        "starts at five) with the glute squeezed; a clock marks the hold.",
        (panel,),
        keyframes=keyframes(BENCH),
    )


# With the band on, the other leg is held out straight (the guide allows either): the
# knees stay close, so the loop around them reads as one, not as a strap up to a thigh.
BANDED = Pose(band=True, free_leg="straight")


def _banded() -> Figure:
    notes = Notes()
    s = solve(BANDED, BENCH)
    loop = _band_outline(drawn_joints(s))
    top = max(loop.values(), key=lambda p: p[1])
    panel = _panel(
        s,
        notes,
        notes.at((top[0] - 2, top[1] + 12), "Band looped around both knees"),
        _shin_vertical(s, notes, "Working knee held out over the foot"),
    )
    return Figure(
        "variation-banded-single-leg-hip-thrust",
        "Band around the knees",
        "Side view at the top of a single leg hip thrust with a resistance band looped around "
        "both knees, the other leg held out straight; the working knee "
        "stays over the ankle.",
        (panel,),
        keyframes=keyframes(BENCH, BANDED),
    )


def _foot_elevated() -> Figure:
    bottom = solve(Pose(hip_height=BOTTOM_HIP), ELEVATED)
    top = solve(Pose(), ELEVATED)
    bottom_notes, top_notes = Notes(), Notes()
    return Figure(
        "variation-foot-elevated-single-leg-hip-thrust",
        "Foot on a plate",
        "Two side views with the working foot on a small plate. At the bottom the hip bends "
        "further, for a deeper stretch; at the top shoulders, hips and knee are in line with "
        "the shin vertical.",
        (
            _panel(
                bottom,
                bottom_notes,
                _angle(bottom.hip, bottom.shoulder, bottom.knee, 9),
                bottom_notes.at(
                    (bottom.toe[0] + 4, ELEVATED.support_height + 6),
                    "Working foot on a plate or low step",
                ),
                caption="Bottom: a deeper hip bend",
            ),
            _panel(
                top, top_notes, _body_line(top, top_notes), caption="Top: the same straight line"
            ),
        ),
        layout="pair",
        keyframes=keyframes(ELEVATED),
    )


def _error_pair(key, title, description, error: Panel, fix: Panel) -> Figure:
    return Figure(key, title, description, (error, fix), layout="pair")


def _arched_back() -> Figure:
    arched = solve(Pose(lumbar_extension=18), BENCH)
    good = solve(Pose(), BENCH)
    error_notes, fix_notes = Notes(), Notes()
    line_a, line_b = extend(arched.shoulder, arched.knee, 10, 10)
    return _error_pair(
        "error-arched-lower-back",
        "Arched lower back, and the fix",
        "Two side views at the top. Wrong: the lower back arches and the hips rise above the "
        "line from shoulders to knee. Right: ribs down and pelvis slightly tucked, so "
        "shoulders, hips and knee form one flat line.",
        _panel(
            arched,
            error_notes,
            [Line((line_a, line_b), "guide", 1.2, dashed=True)],
            error_notes.at(
                (arched.waist[0] - 4, arched.waist[1] + 16),
                "Lower back arched, hips pushed above the line",
            ),
            caption="Hips pushed past the line",
            verdict="error",
        ),
        _panel(
            good,
            fix_notes,
            _body_line(good, fix_notes, "Ribs down, pelvis tucked: one flat line"),
            caption="Ribs down, pelvis tucked",
            verdict="fix",
        ),
    )


def _toes() -> Figure:
    toes = solve(Pose(heel_lift=22), BENCH)
    flat = solve(Pose(), BENCH)
    error_notes, fix_notes = Notes(), Notes()
    return _error_pair(
        "error-pushing-through-toes",
        "Pushing through the toes, and the fix",
        "Two side views at the top. Wrong: the heel of the working foot is off the floor and "
        "the push goes through the ball of the foot. Right: the whole foot is flat and the push "
        "goes through the heel and midfoot.",
        _panel(
            toes,
            error_notes,
            _pressure(
                [(toes.toe[0] - 2, 0.0)],
                error_notes,
                "Heel up, weight on the ball of the foot",
                "error-arrow",
            ),
            caption="Heel up, weight on the toes",
            verdict="error",
        ),
        _panel(
            flat,
            fix_notes,
            _pressure(
                [(flat.heel[0] + 3, 0.0), (flat.ankle[0] + 4, 0.0)],
                fix_notes,
                "Whole foot down, push through heel and midfoot",
            ),
            caption="Whole foot down",
            verdict="fix",
        ),
    )


def _pelvis(leg: FrontLeg) -> Polygon:
    """A pelvis seen from the front: the wide crests above, narrowing past the hip joints
    to the pubic bone."""
    (lx, y), (rx, _) = leg.hip, leg.other_hip
    middle, half = (lx + rx) / 2, (rx - lx) / 2
    return Polygon(
        (
            (middle - half * 1.7, y + 10),
            (middle + half * 1.7, y + 10),
            (rx + 2, y),
            (middle + 4, y - 7),
            (middle - 4, y - 7),
            (lx - 2, y),
        ),
        "body",
    )


def _front_panel(leg: FrontLeg, text: str, *, push_out: bool = False, **panel) -> Panel:
    """The body seen from beyond the feet: the trunk beyond the hips, on the bench.

    The arrow shows the fault, pointing in at the knee from outside; or, with `push_out`,
    the fix: from the knee outward, the way the knee is driven, its number under it.
    """
    notes = Notes()
    hips = leg.hip[1]
    if push_out:
        outside = (leg.knee[0] - 32, leg.knee[1])
        tip, tail = arrow_between(outside, leg.knee, 6.5, LEG.width / 2 + 1.5)
        callout = ((tail[0] + tip[0]) / 2, leg.knee[1] - 9)
    else:
        callout = (leg.hip[0] - 26, leg.knee[1])
        tail, tip = arrow_between(callout, leg.knee, 6.5, LEG.width / 2 + 0.5)
    toes = leg.toe[1]
    items: list[Item] = [
        Line(((-46.0, toes - 3), (46.0, toes - 3)), "floor", 1.2),
        Rect(-46.0, leg.bench_floor, 92.0, leg.bench_edge - leg.bench_floor, "bench", 2.0),
        Circle((0.0, leg.head), BODY.head_radius, "body-far"),
        Polygon(
            ((-15.0, hips), (15.0, hips), (18.0, leg.shoulders), (-18.0, leg.shoulders)),
            "body-far",
        ),
        Circle((-18.0 + BODY.back_radius, leg.shoulders), BODY.back_radius, "body-far"),
        Circle((18.0 - BODY.back_radius, leg.shoulders), BODY.back_radius, "body-far"),
        # The lifted leg: thigh up from the hip to the bent knee, shin down, the foot
        # hanging from it drawn as the working one is, toes spread across.
        Line((leg.other_hip, leg.other_knee, leg.other_ankle), "far", FAR_LEG.width),
        Line((leg.other_ankle, leg.other_toe), "far", 8.0),
        Line(
            ((leg.other_toe[0] - 5, leg.other_toe[1]), (leg.other_toe[0] + 5, leg.other_toe[1])),
            "far",
            6.0,
        ),
        _pelvis(leg),
        Line((leg.hip, leg.knee, leg.ankle), "working", LEG.width),
        # The foot points at the viewer: from the ankle down to the toes, spread across.
        Line((leg.ankle, leg.toe), "working", 8.0),
        Line(((leg.toe[0] - 5, toes), (leg.toe[0] + 5, toes)), "working", 6.0),
        Line(((leg.ankle[0], leg.toe[1]), (leg.hip[0], hips + 12)), "guide", 1.2, True),
        *notes.at(callout, text),
        *arrow(tail, tip, "arrow" if push_out else "error-arrow", 1.6),
    ]
    return Panel(Scene(tuple(items)), notes=tuple(notes.texts), **panel)


def _knee_caving() -> Figure:
    caved = front_leg(valgus=14)
    tracked = front_leg(valgus=0)
    return _error_pair(
        "error-knee-caving-in",
        "Knee caving in, and the fix",
        "Two views from beyond the feet, looking down the working leg. Wrong: the knee drops "
        "inward, off the line from hip to ankle. Right: the knee is driven slightly outward, "
        "so hip, knee and ankle stack in one line with the knee over the foot.",
        _front_panel(
            caved,
            "Knee drifts in, off the hip-ankle line",
            caption="From the feet: knee caves in",
            verdict="error",
        ),
        _front_panel(
            tracked,
            "Knee pushed slightly out, over the foot",
            push_out=True,
            caption="Knee tracks over the foot",
            verdict="fix",
        ),
    )


def _bouncing() -> Figure:
    heights = phase_hip_heights(BENCH)
    top = solve(Pose(), BENCH)
    dropping = solve(Pose(hip_height=(heights["bottom"] + top.hip[1]) / 2), BENCH)
    # Bouncing drops the hips until the seat hits the floor; control stops them short.
    floor = solve(Pose(hip_height=BODY.back_radius), BENCH)
    lowering = solve(Pose(hip_height=heights["lowering"]), BENCH)
    bottom = solve(Pose(hip_height=heights["bottom"]), BENCH)
    driving = solve(Pose(hip_height=heights["mid-drive"]), BENCH)

    def frame(s: Skeleton, caption: str, verdict, *marks: list[Item]) -> Panel:
        return _panel(s, Notes(), *marks, caption=caption, verdict=verdict)

    def hips_arrow(s: Skeleton, role: str, down: bool, width: float, length: float) -> list[Item]:
        """Under the hips (or, when they are on the floor, between trunk and thigh)."""
        x, y = s.hip
        if y - BODY.back_radius < length:
            x += 6  # clear of the trunk, rising steeply from the floor
            near, far = y + BODY.back_radius + 3, y + BODY.back_radius + 3 + length
        else:
            near, far = y - BODY.back_radius - 3, y - BODY.back_radius - 3 - length
        start, end = sorted((near, far), reverse=down)
        return arrow((x, start), (x, end), role, width)

    return Figure(
        "error-bouncing",
        "Bouncing, and the fix, frame by frame",
        "Two strips of side views. Bouncing: with no pause the hips fall from the top until the "
        "seat hits the floor in about half a second and rebound straight back up, streaks "
        "showing the speed. Controlled: a brief pause at the top, a slow lowering over about "
        "three seconds that reaches the bottom without hitting the floor, and the drive back up.",
        (
            frame(
                top, "0 s: no pause at the top", "error", hips_arrow(top, "motion", True, 2.4, 22)
            ),
            frame(
                dropping, "0.3 s: dropping fast", "error", _speed_lines(dropping, trailing_up=True)
            ),
            frame(
                floor,
                "0.5 s: seat hits the floor",
                "error",
                _impact(floor.hip[0]),
                hips_arrow(floor, "motion", False, 2.4, 22),
            ),
            frame(
                dropping,
                "0.8 s: bounced back up",
                "error",
                _speed_lines(dropping, trailing_up=False),
            ),
            # The source asks for a brief pause at the top, none at the bottom.
            frame(
                top, "0–1 s: pause at the top", "fix", _clock((top.hip[0] - 12, top.hip[1] + 24))
            ),
            frame(
                lowering,
                "2.5 s: lowering slowly",
                "fix",
                hips_arrow(lowering, "arrow", True, 1.2, 10),
            ),
            frame(bottom, "4 s: at the bottom, no bounce", "fix"),
            frame(
                driving, "5 s: driven back up", "fix", hips_arrow(driving, "arrow", False, 1.6, 14)
            ),
        ),
        layout="strip",
    )


# The steps of a rep, as the timer names them.
REP_STEPS = ("lift", "hold", "lower", "pause")


def keyframes(
    setup: Setup = BENCH,
    pose: Pose | None = None,
    *,
    lowering: Pose | None = None,
    cues: Mapping[str, str] | None = None,
) -> dict:
    """Joint positions at the bottom, midway and the top, for the tempo timer to animate.

    The equipment carried on the body (the load, the band's outline) comes as joints too,
    so whatever moves the body moves it with the body. A rung whose way down differs from
    its way up gives the `lowering` pose: the top hold and the lowering then take their top
    and middle frames from it ("lowering"), the bottom staying the drive's. "both_feet"
    names the steps of a rep done on both feet, and "cues" the rung's own cue for a step.
    """
    pose = pose or Pose()

    def frame(pose: Pose, name: str) -> dict[str, list[float]]:
        skeleton = solve(replace(pose, hip_height=phase_hip_heights(setup)[name]), setup)
        return {
            joint: [round(x, 2), round(y, 2)] for joint, (x, y) in drawn_joints(skeleton).items()
        }

    data = {
        "units": "cm",
        "bench_height": setup.bench_height,
        "edge_radius": setup.edge_radius,
        "support_height": setup.support_height,
        "load": pose.load,
        "frames": {name: frame(pose, name) for name in ("bottom", "mid-drive", "top")},
        "both_feet": [],
        "cues": dict(cues or {}),
    }
    if pose.both_feet_down:
        # With a lowering of its own, the top hold and the lowering are on one leg.
        one_leg = ("hold", "lower") if lowering else ()
        data["both_feet"] = [step for step in REP_STEPS if step not in one_leg]
    if lowering is not None:
        data["lowering"] = {name: frame(lowering, name) for name in ("mid-drive", "top")}
    return data


BUILDERS = {
    "guide-setup": _guide_setup,
    "guide-execution": _guide_execution,
    "guide-top": lambda: _top_figure("guide-top", "The top position", checks=True),
    "guide-descent": _guide_descent,
    "variation-floor-glute-bridge": _floor_glute_bridge,
    "variation-two-up-one-down-hip-thrust": _two_up_one_down,
    "variation-single-leg-hip-thrust": lambda: _top_figure(
        "variation-single-leg-hip-thrust", "Single leg hip thrust"
    ),
    "variation-loaded-single-leg-hip-thrust": _loaded,
    "variation-isometric-hold-single-leg-hip-thrust": _isometric,
    "variation-banded-single-leg-hip-thrust": _banded,
    "variation-foot-elevated-single-leg-hip-thrust": _foot_elevated,
    "error-arched-lower-back": _arched_back,
    "error-pushing-through-toes": _toes,
    "error-knee-caving-in": _knee_caving,
    "error-bouncing": _bouncing,
}


@cache
def figure(key: str) -> Figure:
    """The figure for `key`; KeyError for an unknown one."""
    return BUILDERS[key]()


def keyframes_for(key: str) -> dict:
    """The poses the timer animates for figure `key`: the figure's own, else the standard's."""
    return (figure(key).keyframes if key in BUILDERS else None) or keyframes()


def moving_figure(frames_data: dict, pose: str = "bottom") -> Scene:
    """The timer's figure at `pose`, framed to fit every pose in `frames_data` (keyframes).

    Every limb is drawn, each naming its joints, so the page's script has one to move
    for each; it moves them between the keyframes, and the equipment carried on the body
    with them. Only the bench and the plate under the foot, which nothing moves, stay put.
    """
    frames = frames_data["frames"]
    bench = float(frames_data.get("bench_height") or 0)
    edge_radius = float(frames_data.get("edge_radius") or 0)
    support = float(frames_data.get("support_height") or 0)
    xs = [x for frame in frames.values() for x, _ in frame.values()]
    ys = [y for frame in frames.values() for _, y in frame.values()]
    margin = 12.0  # the widest stroke and the head's radius
    left = min([*xs, -BENCH_LENGTH if bench else min(xs)]) - margin
    right = max(xs) + margin
    top = max([*ys, bench]) + BODY.head_radius + 4
    items: list[Item] = [_floor(left, right)]
    if bench:
        items += _bench(bench, edge_radius)
    if support:
        heel_x = min(frame["heel"][0] for frame in frames.values())
        toe_x = max(frame["toe"][0] for frame in frames.values())
        items.append(_support(support, heel_x, toe_x))
    joints = frames[pose]
    behind = (FAR_LEG, FAR_FOOT) if "load_centre" in joints else (FAR_LEG, FAR_FOOT, ARM)
    items += [
        *(_limb(joints, limb, tagged=True) for limb in (*behind, NECK)),
        _head(joints, tagged=True),
        *(_limb(joints, limb, tagged=True) for limb in (TORSO, LEG, FOOT)),
        *_carried(joints, frames_data.get("load", "none"), tagged=True),
    ]
    return Scene(tuple(items), frame=(left, -3.0, right, top))
