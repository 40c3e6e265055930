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
    Label,
    Line,
    Notes,
    Panel,
    Point,
    Rect,
    Scene,
    arrow,
    direction_degrees,
    extend,
)
from coaching.pose import Body, FrontLeg, Pose, Setup, Skeleton, front_leg, solve

BODY = Body()
BENCH = Setup()
BRIDGE = Setup(bench_height=0)
ELEVATED = Setup(support_height=7)
BENCH_LENGTH = 48.0

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


FAR_LEG = Limb("far", ("hip", "free_knee", "free_ankle"), 10.0)
FAR_FOOT = Limb("far", ("free_ankle", "free_toe"), 5.0)
ARM = Limb("far", ("shoulder", "elbow", "hand"), 6.0)
NEAR_ARM = Limb("near-arm", ARM.joints, ARM.width)  # in front, holding a load
NECK = Limb("body", ("shoulder", "head"), 7.0)
TORSO = Limb("body", ("shoulder", "waist", "hip"), 17.0)
LEG = Limb("working", ("hip", "knee", "ankle"), 11.0)
FOOT = Limb("working", ("heel", "ankle", "toe"), 5.0)


def _limb(joints: Mapping[str, Sequence[float]], limb: Limb, *, tagged: bool = False) -> Line:
    """The limb through its joints; `tagged` names them on it, for a script that moves it."""
    points = tuple((joints[name][0], joints[name][1]) for name in limb.joints)
    data = (("joints", " ".join(limb.joints)),) if tagged else ()
    return Line(points, limb.role, limb.width, data=data)


def _head(joints: Mapping[str, Sequence[float]], *, tagged: bool = False) -> Circle:
    centre = (joints["head"][0], joints["head"][1])
    return Circle(centre, BODY.head_radius, "body", data=(("head", ""),) if tagged else ())


def _floor(left: float, right: float) -> Line:
    return Line(((left, 0.0), (right, 0.0)), "floor", 1.2)


def _bench(height: float) -> list[Item]:
    return [
        Rect(-BENCH_LENGTH, height - 7, BENCH_LENGTH, 7, "bench", corner=2.0),
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
        items += _bench(setup.bench_height)
    if setup.support_height:
        items.append(_support(setup.support_height, skeleton.heel[0], skeleton.toe[0]))
    return items


def _figure_items(skeleton: Skeleton) -> list[Item]:
    s = skeleton
    joints = s.joints()
    items: list[Item] = []
    if s.free_knee != s.knee:
        items += [_limb(joints, FAR_LEG), _limb(joints, FAR_FOOT)]
    if s.load_centre is None:
        items.append(_limb(joints, ARM))
    items += [_limb(joints, NECK), _head(joints), _limb(joints, TORSO)]
    items += [_limb(joints, LEG), _limb(joints, FOOT)]
    if s.load_centre is not None:
        if s.pose.load == "kettlebell":
            items.append(Circle(s.load_centre, 10.0, "load"))
        else:
            items.append(Rect(s.load_centre[0] - 11, s.load_centre[1] - 3, 22, 6, "load", 2))
            items.append(Circle(s.load_centre, 9.0, "load"))
        items.append(_limb(joints, NEAR_ARM))
    return items


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


def _angle(vertex: Point, a: Point, b: Point, text: str, radius: float = 10.0) -> list[Item]:
    start, end = sorted((direction_degrees(vertex, a), direction_degrees(vertex, b)))
    if end - start > 180:
        start, end = end, start + 360
    middle = math.radians((start + end) / 2)
    reach = radius + 8
    at = (vertex[0] + math.cos(middle) * reach, vertex[1] + math.sin(middle) * reach - 2.5)
    return [Arc(vertex, radius, start, end, "angle", 1.2), Label(at, text, "middle", "angle-label")]


def _hip_arrow(s: Skeleton, notes: Notes, text: str, down: bool = False) -> list[Item]:
    base = (s.hip[0] + 3, s.hip[1] + 14)
    tip = (base[0], base[1] + 14)
    start, end = (tip, base) if down else (base, tip)
    return [*arrow(start, end), *notes.at((base[0] + 9, base[1] + 8), text)]


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
        notes.at((top.ankle[0] + 7, 24), "Foot placed where the shin will be vertical at the top"),
        notes.at(
            (s.free_knee[0] + 3, s.free_knee[1] + 8), "Other leg lifted, bent about 90 degrees"
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


def _top_figure(key: str, title: str) -> Figure:
    notes = Notes()
    s = solve(Pose(), BENCH)
    panel = _panel(
        s,
        notes,
        _body_line(s, notes),
        _shin_vertical(s, notes),
        _angle(s.knee, s.hip, s.ankle, f"{s.knee_angle:.0f}°"),
    )
    return Figure(
        key,
        title,
        f"Side view at the top: shoulders, hips and the working knee form one straight line, "
        f"the working shin is vertical with the knee straight over the ankle, the knee is bent "
        f"to about {s.knee_angle:.0f} degrees, and the other leg is held up, bent.",
        (panel,),
        keyframes=keyframes(BENCH),
    )


def _guide_descent() -> Figure:
    notes = Notes()
    s = solve(Pose(hip_height=phase_hip_heights(BENCH)["lowering"]), BENCH)
    panel = _panel(
        s,
        notes,
        _hip_arrow(s, notes, "Lower the hips over two to three seconds", down=True),
        notes.at((s.head[0] + 14, s.head[1] + 6), "Breathe in on the way down, out on the drive"),
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
        _shin_vertical(s, notes, "Both feet flat, shins vertical"),
    )
    return Figure(
        "variation-floor-glute-bridge",
        "Floor glute bridge",
        "Side view of a glute bridge at the top: lying on the floor, both feet flat, the hips "
        "lifted until shoulders, hips and knees make a straight line, shins vertical.",
        (panel,),
        keyframes=keyframes(BRIDGE, Pose(both_feet_down=True)),
    )


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
                _body_line(up, up_notes, "Both feet drive the hips up"),
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
        keyframes=keyframes(BENCH),
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
            "Dumbbell across the hip crease, steadied by the hands",
        ),
    )
    return Figure(
        "variation-loaded-single-leg-hip-thrust",
        "Dumbbell across the hips",
        "Side view at the top of a single leg hip thrust with a dumbbell resting across the hip "
        "crease, steadied by the hands; shoulders, hips and knee in line.",
        (panel,),
        keyframes=keyframes(BENCH, Pose(load="dumbbell")),
    )


def _isometric() -> Figure:
    notes = Notes()
    s = solve(Pose(), BENCH)
    centre = (s.hip[0] - 12, s.hip[1] + 24)
    clock = [
        Circle(centre, 8.5, "hold-face"),
        Arc(centre, 8.5, 90 - 300, 90, "hold", 2.2),
        Line((centre, (centre[0], centre[1] + 6)), "hold", 1.4),
        Line((centre, (centre[0] + 4, centre[1])), "hold", 1.4),
    ]
    panel = _panel(
        s,
        notes,
        _body_line(s),
        clock,
        notes.at((centre[0] + 14, centre[1]), "Hold the top for five seconds, glute squeezed"),
    )
    return Figure(
        "variation-isometric-hold-single-leg-hip-thrust",
        "Hold at the top",
        "Side view at the top of a single leg hip thrust, held still for five seconds with the "
        "glute squeezed; a clock marks the hold.",
        (panel,),
        keyframes=keyframes(BENCH),
    )


def _banded() -> Figure:
    notes = Notes()
    s = solve(Pose(), BENCH)
    a = (s.knee[0] - 6, s.knee[1] + 2)
    b = (s.free_knee[0] - 4, s.free_knee[1] - 6)
    panel = _panel(
        s,
        notes,
        [Line((a, b), "band", 3.2)],
        notes.at(
            ((a[0] + b[0]) / 2 + 9, (a[1] + b[1]) / 2),
            "Band looped around both legs just above the knees",
        ),
        _shin_vertical(s, notes, "Working knee held out over the foot"),
    )
    return Figure(
        "variation-banded-single-leg-hip-thrust",
        "Band around the knees",
        "Side view at the top of a single leg hip thrust with a resistance band looped around "
        "both legs just above the knees; the working knee stays over the ankle.",
        (panel,),
        keyframes=keyframes(BENCH),
    )


def _foot_elevated() -> Figure:
    bottom = solve(Pose(hip_height=BOTTOM_HIP), ELEVATED)
    top = solve(Pose(), ELEVATED)
    bottom_notes, top_notes = Notes(), Notes()
    return Figure(
        "variation-foot-elevated-single-leg-hip-thrust",
        "Foot on a plate",
        "Two side views with the working foot on a small plate. At the bottom the hip bends "
        f"further, to about {bottom.hip_angle:.0f} degrees, for a deeper stretch; at the top "
        "shoulders, hips and knee are in line with the shin vertical.",
        (
            _panel(
                bottom,
                bottom_notes,
                _angle(bottom.hip, bottom.shoulder, bottom.knee, f"{bottom.hip_angle:.0f}°", 9),
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
        f"Two side views at the top. Wrong: the lower back arches and the hips rise about "
        f"{arched.hip_above_line:.0f} cm above the line from shoulders to knee. Right: ribs "
        "down and pelvis slightly tucked, so shoulders, hips and knee form one flat line.",
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


def _front_panel(leg: FrontLeg, text: str, **panel) -> Panel:
    notes = Notes()
    hip_y = leg.hip[1]
    items: list[Item] = [
        Line(((-40.0, 0.0), (40.0, 0.0)), "floor", 1.2),
        # Seen from the feet: the pelvis, the other leg lifted toward the viewer.
        Rect(leg.hip[0] - 8, hip_y - 6, leg.other_hip[0] - leg.hip[0] + 16, 14, "body", 6),
        Line((leg.other_hip, (leg.other_hip[0] + 5, hip_y + 24)), "far", 10.0),
        Line((leg.hip, leg.knee, leg.ankle), "working", 11.0),
        Line(((leg.ankle[0] - 6, 2.5), (leg.ankle[0] + 6, 2.5)), "working", 5.0),
        Line(((leg.ankle[0], 0.0), (leg.hip[0], hip_y + 14)), "guide", 1.2, True),
        *notes.at((leg.knee[0] - 24, leg.knee[1]), text),
    ]
    return Panel(Scene(tuple(items)), notes=tuple(notes.texts), **panel)


def _knee_caving() -> Figure:
    caved = front_leg(valgus=14)
    tracked = front_leg(valgus=0)
    return _error_pair(
        "error-knee-caving-in",
        "Knee caving in, and the fix",
        f"Two views from the front, looking at the working leg. Wrong: the knee drops about "
        f"{caved.knee_offset_from_line:.0f} cm inward, off the line from hip to ankle. Right: "
        "hip, knee and ankle stack in one vertical line with the knee over the foot.",
        _front_panel(
            caved,
            "Knee drifts in, off the hip-ankle line",
            caption="From the front: knee caves in",
            verdict="error",
        ),
        _front_panel(
            tracked,
            "Knee pushed slightly out, over the foot",
            caption="Knee tracks over the foot",
            verdict="fix",
        ),
    )


def _bouncing() -> Figure:
    heights = phase_hip_heights(BENCH)
    mid = (heights["bottom"] + solve(Pose(), BENCH).hip[1]) / 2

    def frame(hip_height: float | None, caption: str, verdict, bounce: bool = False) -> Panel:
        s = solve(Pose(hip_height=hip_height), BENCH)
        note: list[Item] = []
        if bounce:
            note = arrow(
                (s.hip[0] + 3, s.hip[1] + 4), (s.hip[0] + 3, s.hip[1] + 24), "error-arrow", 2.4
            )
        return _panel(s, Notes(), note, caption=caption, verdict=verdict)

    return Figure(
        "error-bouncing",
        "Bouncing, and the fix, frame by frame",
        "Two strips of side views. Bouncing: the hips fall from the top to the floor in about "
        "half a second and rebound straight back up. Controlled: a pause at the top, three "
        "seconds down, and a drive up from a still bottom position.",
        (
            frame(None, "0 s: top", "error"),
            frame(mid, "0.3 s: dropping fast", "error"),
            frame(heights["bottom"], "0.5 s: rebound off the bottom", "error", bounce=True),
            frame(mid, "0.8 s: momentum carries up", "error"),
            frame(None, "0–1 s: pause at the top", "fix"),
            frame(mid, "2.5 s: lowering slowly", "fix"),
            frame(heights["bottom"], "4 s: still at the bottom", "fix"),
            frame(None, "5 s: driven back up", "fix"),
        ),
        layout="strip",
    )


def keyframes(setup: Setup = BENCH, pose: Pose | None = None) -> dict:
    """Joint positions at the bottom, midway and the top, for the tempo timer to animate."""
    pose = pose or Pose()
    frames = {}
    for name in ("bottom", "mid-drive", "top"):
        skeleton = solve(replace(pose, hip_height=phase_hip_heights(setup)[name]), setup)
        frames[name] = {
            joint: [round(x, 2), round(y, 2)] for joint, (x, y) in skeleton.joints().items()
        }
    return {
        "units": "cm",
        "bench_height": setup.bench_height,
        "support_height": setup.support_height,
        "frames": frames,
    }


BUILDERS = {
    "guide-setup": _guide_setup,
    "guide-execution": _guide_execution,
    "guide-top": lambda: _top_figure("guide-top", "The top position"),
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
    for each; it moves them between the keyframes, no equipment moves.
    """
    frames = frames_data["frames"]
    bench = float(frames_data.get("bench_height") or 0)
    support = float(frames_data.get("support_height") or 0)
    xs = [x for frame in frames.values() for x, _ in frame.values()]
    ys = [y for frame in frames.values() for _, y in frame.values()]
    margin = 12.0  # the widest stroke and the head's radius
    left = min([*xs, -BENCH_LENGTH if bench else min(xs)]) - margin
    right = max(xs) + margin
    top = max([*ys, bench]) + BODY.head_radius + 4
    items: list[Item] = [_floor(left, right)]
    if bench:
        items += _bench(bench)
    if support:
        heel_x = min(frame["heel"][0] for frame in frames.values())
        toe_x = max(frame["toe"][0] for frame in frames.values())
        items.append(_support(support, heel_x, toe_x))
    joints = frames[pose]
    items += [
        *(_limb(joints, limb, tagged=True) for limb in (FAR_LEG, FAR_FOOT, ARM, NECK)),
        _head(joints, tagged=True),
        *(_limb(joints, limb, tagged=True) for limb in (TORSO, LEG, FOOT)),
    ]
    return Scene(tuple(items), frame=(left, -3.0, right, top))
