"""Clips of a drawn person doing single leg hip thrusts, with the truth they were drawn from.

The tests and the benchmarks (bench/pose_estimation.py, and the form analysis's) use them:
the joints come from the guide's own pose model (coaching/pose.py), so every rep's times, its
phases and the angle at its top are known exactly (phases are the nominal tempo: the hips
ease in and out of each movement, as a person's do). The figure is filled, limbs tapered at an
adult's thicknesses (head, trunk, arms, thighs, shins, shoes; the far leg and arm behind the
body, in shadow), on a bench against a wall over a floor, in colours drawn from `seed`.
Written with PyAV (H.264 in MP4); a portrait clip may be stored as landscape frames with a
display matrix, as phones film it."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Literal

import av
import numpy as np
from PIL import Image, ImageDraw

from coaching.pose import Body, Pose, Setup, Skeleton, solve
from coaching.tempo import Tempo

BODY = Body()
SETUP = Setup()
BOTTOM_HIP = 20.0  # centimetres: the hips just off the floor, as the guide's figures draw it
SHORT_BY = 9.0  # how many centimetres a short top stops below the full top
ARCH_DEGREES = 18.0  # lumbar extension of an arched top
BOUNCE_RISE = 3.0  # centimetres the hips rebound off the bottom of a bounced rep
# The scene across, in model centimetres: from behind the bench to past the lifted foot.
SCENE_X = (-95.0, 110.0)

Facing = Literal["right", "left"]


@dataclass(frozen=True)
class ClipSpec:
    size: tuple[int, int] = (1280, 720)  # of the upright picture
    fps: int = 30
    tempo: str = "2-1-2-1"  # lowering-pause-lifting-hold, as coaching/tempo.py writes it
    reps: int = 3
    facing: Facing = "right"  # the way the feet point in the picture
    bounced: frozenset[int] = frozenset()  # rep numbers (1, 2, ...) bounced off the bottom
    short_tops: frozenset[int] = frozenset()  # rep numbers whose hips stop short of the line
    arched_tops: frozenset[int] = frozenset()  # rep numbers whose hips rise past it
    lead_in: float = 1.0  # seconds held at the top before the first rep, and after the last
    # Stored as landscape frames turned by the display matrix (a phone filming upright).
    display_rotation: bool = False
    # How much of the picture's width the scene takes; the figure is smaller in portrait.
    fill: float = 0.8
    seed: int = 0
    person: bool = True  # False: the same room and bench, nobody on it

    @property
    def portrait(self) -> bool:
        return self.size[1] > self.size[0]


@dataclass(frozen=True)
class RepTruth:
    number: int
    start: float  # the lowering begins, seconds into the clip
    end: float  # the top hold ends
    lowering: float
    pause: float
    lifting: float
    top_hold: float
    top_angle: float  # shoulder-hip-knee at the top, degrees (0 to 180)
    hip_above_line: float  # centimetres, at the top: + past the line (arched), - short of it
    shin_from_vertical: float
    bounced: bool
    short_top: bool
    arched_top: bool


@dataclass(frozen=True)
class RenderedClip:
    path: Path
    spec: ClipSpec
    duration: float
    frame_count: int
    working_side: str  # the person's side nearer the camera: "right" when facing right
    reps: tuple[RepTruth, ...]
    # The drawn joints of each frame, in pixels of the upright picture: frame index -> name
    # ("shoulder", "hip", "knee", "ankle", "free_knee", "free_ankle", "head") -> (x, y).
    joints: tuple[dict[str, tuple[float, float]], ...] = field(repr=False)

    def joints_at(self, time: float) -> dict[str, tuple[float, float]]:
        index = min(round(time * self.spec.fps), len(self.joints) - 1)
        return self.joints[index]


@dataclass(frozen=True)
class _Colours:
    wall: tuple[int, int, int]
    floor: tuple[int, int, int]
    bench: tuple[int, int, int]
    skin: tuple[int, int, int]
    top: tuple[int, int, int]
    bottoms: tuple[int, int, int]
    shoes: tuple[int, int, int]


SKINS = ((241, 194, 167), (224, 172, 105), (198, 134, 66), (141, 85, 36), (92, 58, 34))
CLOTHES = (
    (30, 60, 120), (160, 30, 40), (20, 20, 25), (40, 110, 60), (90, 90, 95), (200, 120, 20),
    (110, 40, 130), (15, 100, 110),
)  # fmt: skip
WALLS = ((235, 232, 225), (200, 210, 220), (180, 170, 150), (120, 125, 130), (225, 215, 190))
CONTRAST = 110  # the least RGB distance between the wall and the skin or the clothes
FLOORS = ((120, 95, 70), (80, 80, 85), (160, 150, 140), (60, 70, 60), (150, 120, 90))


def _colours(seed: int) -> _Colours:
    """Colours drawn from `seed`; the wall is chosen to stand apart from the skin and the
    clothes, as a person filming would stand against a wall they can be seen on (a flat
    drawing has no shading to set a limb off a wall of its own colour)."""
    pick = random.Random(seed)
    top, bottoms = pick.sample(CLOTHES, 2)
    skin = pick.choice(SKINS)
    walls = [w for w in WALLS if min(math.dist(w, c) for c in (skin, top, bottoms)) >= CONTRAST]
    return _Colours(
        wall=pick.choice(walls or [_far_from(skin, top, bottoms)]),
        floor=pick.choice(FLOORS),
        bench=pick.choice(((40, 40, 45), (110, 80, 50), (150, 30, 30), (30, 50, 90))),
        skin=skin,
        top=top,
        bottoms=bottoms,
        shoes=pick.choice(((240, 240, 240), (20, 20, 20), (200, 60, 60))),
    )


def _far_from(*colours) -> tuple[int, int, int]:
    """White or a dark grey, whichever is further from the nearest of `colours`."""
    return max(((245, 245, 245), (45, 45, 50)), key=lambda w: min(math.dist(w, c) for c in colours))


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


@dataclass(frozen=True)
class _Phase:
    start: float
    end: float
    hip_from: float
    hip_to: float
    arch_from: float
    arch_to: float
    motion: Literal["smooth", "into", "out-of", "still"]

    def at(self, time: float) -> tuple[float, float]:
        span = self.end - self.start
        t = 0.0 if span <= 0 else min(max((time - self.start) / span, 0.0), 1.0)
        if self.motion == "still":
            t = 0.0
        elif self.motion == "into":
            t = t * t  # accelerating into the bottom: a drop
        elif self.motion == "out-of":
            t = 1 - (1 - t) * (1 - t)  # fastest leaving the bottom: the rebound
        else:
            t = _ease(t)
        return (
            self.hip_from + (self.hip_to - self.hip_from) * t,
            self.arch_from + (self.arch_to - self.arch_from) * t,
        )


def _plan(spec: ClipSpec) -> tuple[list[_Phase], list[RepTruth], float]:
    """The hip height (and arch) over time, and each rep's truth."""
    tempo = Tempo.parse(spec.tempo)
    full_top = solve(Pose(), SETUP, BODY).hip[1]
    phases: list[_Phase] = []
    reps: list[RepTruth] = []
    now = spec.lead_in
    phases.append(_Phase(0.0, now, full_top, full_top, 0.0, 0.0, "still"))
    top, arch = full_top, 0.0
    for number in range(1, spec.reps + 1):
        bounced = number in spec.bounced
        short = number in spec.short_tops
        arched = number in spec.arched_tops
        start = now
        lowering = float(tempo.lowering)
        pause = 0.0 if bounced else float(tempo.bottom_pause)
        lifting = float(tempo.lifting)
        hold = float(tempo.top_hold)
        phases.append(
            _Phase(now, now + lowering, top, BOTTOM_HIP, arch, 0.0, "into" if bounced else "smooth")
        )
        now += lowering
        if pause:
            phases.append(_Phase(now, now + pause, BOTTOM_HIP, BOTTOM_HIP, 0, 0, "still"))
            now += pause
        next_arch = ARCH_DEGREES if arched else 0.0
        next_top = solve(Pose(lumbar_extension=next_arch), SETUP, BODY).hip[1]
        if short:
            next_top = full_top - SHORT_BY
        if bounced:
            # The hips rebound off the bottom: a brief rise before the drive itself.
            rebound = min(0.25, lifting / 4)
            phases.append(
                _Phase(now, now + rebound, BOTTOM_HIP, BOTTOM_HIP + BOUNCE_RISE, 0, 0, "out-of")
            )
            phases.append(
                _Phase(now + rebound, now + lifting, BOTTOM_HIP + BOUNCE_RISE, next_top, 0,
                       next_arch, "smooth")
            )  # fmt: skip
        else:
            phases.append(_Phase(now, now + lifting, BOTTOM_HIP, next_top, 0, next_arch, "smooth"))
        now += lifting
        top, arch = next_top, next_arch
        at_top = solve(Pose(hip_height=top, lumbar_extension=arch), SETUP, BODY)
        if hold:
            phases.append(_Phase(now, now + hold, top, top, arch, arch, "still"))
            now += hold
        reps.append(
            RepTruth(
                number=number,
                start=start,
                end=now,
                lowering=lowering,
                pause=pause,
                lifting=lifting,
                top_hold=hold,
                top_angle=at_top.hip_angle,
                hip_above_line=at_top.hip_above_line,
                shin_from_vertical=at_top.shin_angle_from_vertical,
                bounced=bounced,
                short_top=short,
                arched_top=arched,
            )
        )
    phases.append(_Phase(now, now + spec.lead_in, top, top, arch, arch, "still"))
    return phases, reps, now + spec.lead_in


def _pose_at(phases: list[_Phase], time: float) -> Skeleton:
    phase = next((p for p in phases if p.start <= time < p.end), phases[-1])
    hip, arch = phase.at(time)
    return solve(Pose(hip_height=hip, lumbar_extension=arch), SETUP, BODY)


class _Projection:
    def __init__(self, spec: ClipSpec) -> None:
        width, height = spec.size
        min_x, max_x = SCENE_X
        self.scale = width * spec.fill / (max_x - min_x)
        self.mirror = spec.facing == "left"
        used_w = (max_x - min_x) * self.scale
        self.left = (width - used_w) / 2 - min_x * self.scale
        self.right = (width + used_w) / 2 + min_x * self.scale
        # The floor a little below the middle in landscape, lower in portrait.
        self.floor_y = height * (0.72 if spec.portrait else 0.8)
        self.width = width

    def point(self, p: tuple[float, float]) -> tuple[float, float]:
        x = self.right - p[0] * self.scale if self.mirror else self.left + p[0] * self.scale
        return (x, self.floor_y - p[1] * self.scale)

    def length(self, cm: float) -> float:
        return cm * self.scale


def _segment(draw, proj: _Projection, a, b, width_a: float, width_b: float, colour) -> None:
    """A limb from joint a to joint b, `width_a` thick (centimetres) at a tapering to
    `width_b` at b, with rounded ends."""
    (ax, ay), (bx, by) = proj.point(a), proj.point(b)
    ra, rb = proj.length(width_a) / 2, proj.length(width_b) / 2
    length = math.hypot(bx - ax, by - ay) or 1.0
    nx, ny = -(by - ay) / length, (bx - ax) / length
    draw.polygon(
        [(ax + nx * ra, ay + ny * ra), (bx + nx * rb, by + ny * rb),
         (bx - nx * rb, by - ny * rb), (ax - nx * ra, ay - ny * ra)],
        fill=colour,
    )  # fmt: skip
    for (x, y), r in (((ax, ay), ra), ((bx, by), rb)):
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def _shoe(draw, proj: _Projection, heel, ankle, toe, colour) -> None:
    """A shoe around the foot from heel to toe, rising to the ankle."""
    length = math.dist(heel, toe)
    u = ((toe[0] - heel[0]) / length, (toe[1] - heel[1]) / length)
    n = (-u[1], u[0])  # up from the sole

    def at(base, along: float, up: float):
        return proj.point((base[0] + u[0] * along + n[0] * up, base[1] + u[1] * along + n[1] * up))

    outline = [
        at(heel, -2, 0), at(heel, -2.5, 6), at(ankle, -3, 4), at(ankle, 5, 4),
        at(toe, -2, 5), at(toe, 3, 2), at(toe, 3, 0),
    ]  # fmt: skip
    draw.polygon(outline, fill=colour)


def _shade(colour, factor: float):
    return tuple(max(0, min(255, round(c * factor))) for c in colour)


def _background(spec: ClipSpec, proj: _Projection, colours: _Colours) -> Image.Image:
    width, height = spec.size
    image = Image.new("RGB", spec.size, colours.wall)
    draw = ImageDraw.Draw(image)
    # A soft vertical gradient on the wall and a skirting board, so the room is not flat.
    for y in range(0, round(proj.floor_y), 8):
        draw.rectangle((0, y, width, y + 8), fill=_shade(colours.wall, 0.85 + 0.15 * y / height))
    draw.rectangle((0, proj.floor_y, width, height), fill=colours.floor)
    draw.rectangle(
        (0, proj.floor_y - proj.length(6), width, proj.floor_y), fill=_shade(colours.wall, 0.7)
    )
    bench_top = SETUP.bench_height
    corners = [proj.point((-78.0, bench_top)), proj.point((0.0, bench_top - 7))]
    xs = sorted(c[0] for c in corners)
    draw.rounded_rectangle(
        (xs[0], corners[0][1], xs[1], corners[1][1]),
        radius=proj.length(SETUP.edge_radius),
        fill=colours.bench,
    )
    for leg_x in (-75.0, -7.0):
        a, b = proj.point((leg_x, bench_top - 7)), proj.point((leg_x + 4, 0.0))
        draw.rectangle(
            (min(a[0], b[0]), a[1], max(a[0], b[0]), b[1]), fill=_shade(colours.bench, 0.8)
        )
    return image


def _draw_person(image: Image.Image, proj: _Projection, s: Skeleton, colours: _Colours) -> None:
    """Filled, at an adult's thicknesses in centimetres (the guide's figures draw thinner
    limbs); the far leg and arm behind the body, in shadow."""
    draw = ImageDraw.Draw(image)
    far = 0.75
    _segment(draw, proj, s.hip, s.free_knee, 16, 11, _shade(colours.bottoms, far))
    _segment(draw, proj, s.free_knee, s.free_ankle, 11, 7, _shade(colours.skin, far))
    _segment(draw, proj, s.free_ankle, s.free_toe, 9, 6, _shade(colours.shoes, far))
    _segment(draw, proj, s.shoulder, s.elbow, 10, 8, _shade(colours.top, far))
    _segment(draw, proj, s.elbow, s.hand, 7, 5, _shade(colours.skin, far))
    _segment(draw, proj, s.shoulder, s.head, 11, 11, colours.skin)
    hx, hy = proj.point(s.head)
    r = proj.length(BODY.head_radius)
    draw.ellipse((hx - r, hy - r * 1.1, hx + r, hy + r * 1.1), fill=colours.skin)
    _segment(draw, proj, s.shoulder, s.waist, 2 * BODY.back_radius, 18, colours.top)
    _segment(draw, proj, s.waist, s.hip, 18, 21, colours.bottoms)
    _segment(draw, proj, s.hip, s.knee, 17, 11, colours.bottoms)
    _segment(draw, proj, s.knee, s.ankle, 11, 7, colours.skin)
    _shoe(draw, proj, s.heel, s.ankle, s.toe, colours.shoes)


def _joints(proj: _Projection, s: Skeleton) -> dict[str, tuple[float, float]]:
    names = ("shoulder", "hip", "knee", "ankle", "free_knee", "free_ankle", "head")
    return {name: proj.point(getattr(s, name)) for name in names}


def render_clip(path: Path, spec: ClipSpec = ClipSpec()) -> RenderedClip:
    """Draw and encode the clip; returns it with its truth."""
    phases, reps, duration = _plan(spec)
    proj = _Projection(spec)
    colours = _colours(spec.seed)
    background = _background(spec, proj, colours)
    frame_count = round(duration * spec.fps)
    width, height = spec.size
    stored = (height, width) if spec.display_rotation else (width, height)
    joints: list[dict[str, tuple[float, float]]] = []
    with av.open(str(path), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=spec.fps)
        video.width, video.height = stored
        video.pix_fmt = "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "20"}
        if spec.display_rotation:
            # Stored turned a quarter counter-clockwise; the matrix turns it back clockwise
            # (PyAV counts counter-clockwise, so a phone held upright says -90).
            video.set_display_rotation(-90)
        for index in range(frame_count):
            time = index / spec.fps
            picture = background.copy()
            skeleton = _pose_at(phases, time)
            if spec.person:
                _draw_person(picture, proj, skeleton, colours)
            joints.append(_joints(proj, skeleton))
            pixels = np.asarray(picture)
            if spec.display_rotation:
                pixels = np.ascontiguousarray(np.rot90(pixels))  # counter-clockwise
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, spec.fps)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
    return RenderedClip(
        path=path,
        spec=spec,
        duration=frame_count / spec.fps,
        frame_count=frame_count,
        working_side=spec.facing,
        reps=tuple(reps),
        joints=tuple(joints),
    )
