"""Landmark series with a known truth, made from the guide's pose model (coaching/pose.py).

The hip height is animated through reps at a known tempo, each move eased in and out (the
speed ramps up and down over EASE_SECONDS, as a controlled move does), holds and pauses as
still frames; every frame's skeleton is solved, mapped from centimetres (x toward the feet,
y up) to pixels (y down), optionally mirrored, and named as BlazePose names its landmarks.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from coaching.pose import Pose, front_leg, solve
from coaching.tempo import Tempo
from videos.pose_data import ClipLandmarks, Landmark, PoseFrame

BOTTOM_HIP_HEIGHT = 15.0  # centimetres: the hips low, clear of the floor
TOP_HIP_HEIGHT = 52.0  # the straight line shoulders-hips-knee of the default setup
EASE_SECONDS = 0.25  # how long a move takes to reach its speed, and to lose it
FAR_SIDE_OFFSET = (1.5, 1.0)  # cm: the far shoulder and hip, a little off the near ones


@dataclass(frozen=True)
class RepPlan:
    """One rep as done from the floor: lift, hold, lower, pause (the last rep's pause is the
    rest that ends the clip)."""

    lifting: float
    top_hold: float
    lowering: float
    pause: float
    top_height: float = TOP_HIP_HEIGHT
    lumbar_extension: float = 0.0  # degrees of arch at the top
    bounce: bool = False  # the lowering ends at full speed and the next lift leaves at once


@dataclass(frozen=True)
class RepTruth:
    lift_start: float
    lift_end: float
    lower_start: float
    lower_end: float
    next_lift: float | None  # when the next lift starts (None for the last rep)
    top_angle: float  # signed shoulder-hip-knee at the top
    plan: RepPlan

    @property
    def lifting(self) -> float:
        return self.lift_end - self.lift_start

    @property
    def top_hold(self) -> float:
        return self.lower_start - self.lift_end

    @property
    def lowering(self) -> float:
        return self.lower_end - self.lower_start

    @property
    def pause(self) -> float | None:
        return None if self.next_lift is None else self.next_lift - self.lower_end


def plan(tempo: str, reps: int, **options) -> list[RepPlan]:
    t = Tempo.parse(tempo)
    return [RepPlan(t.lifting, t.top_hold, t.lowering, t.bottom_pause, **options)] * reps


def _ease(u: float, duration: float, start: bool = True, end: bool = True) -> float:
    """Share of a move done at `u` (0 to 1) of it: the speed ramps linearly over EASE_SECONDS
    (at most a third of the move) at each eased end and is steady between."""
    ramp = min(EASE_SECONDS, duration / 3) / duration
    a = ramp if start else 0.0
    b = ramp if end else 0.0
    top_speed = 1 / (1 - a / 2 - b / 2)  # the area under the speed is the whole move
    if u < a:
        return top_speed * u * u / (2 * a)
    if u > 1 - b:
        rest = 1 - u
        return 1 - top_speed * rest * rest / (2 * b)
    return top_speed * (u - a / 2)


@dataclass(frozen=True)
class _Key:
    """The hip height and the arch at a moment."""

    height: float
    lumbar: float


def _timeline(reps: Sequence[RepPlan], lead_in: float):
    """(start, end, from, to, ease_start, ease_end) pieces and the truth per rep."""
    pieces = []
    truths = []
    time = lead_in
    bottom = _Key(BOTTOM_HIP_HEIGHT, 0.0)
    for number, rep in enumerate(reps):
        top = _Key(rep.top_height, rep.lumbar_extension)
        previous_bounce = number > 0 and reps[number - 1].bounce
        last = number == len(reps) - 1
        lift_start = time
        pieces.append((time, time + rep.lifting, bottom, top, not previous_bounce, True))
        time += rep.lifting
        lift_end = time
        time += rep.top_hold
        lower_start = time
        bounce = rep.bounce and not last
        pieces.append((time, time + rep.lowering, top, bottom, True, not bounce))
        time += rep.lowering
        lower_end = time
        time += 0.0 if bounce else rep.pause
        truths.append(
            RepTruth(
                lift_start,
                lift_end,
                lower_start,
                lower_end,
                None if last else time,
                _signed_top_angle(rep),
                rep,
            )
        )
    return pieces, truths, time


def _key_at(pieces, time: float) -> _Key:
    key = _Key(BOTTOM_HIP_HEIGHT, 0.0)
    for start, end, begin, finish, ease_start, ease_end in pieces:
        if time < start:
            return key
        if time <= end:
            share = _ease((time - start) / (end - start), end - start, ease_start, ease_end)
            return _Key(
                begin.height + share * (finish.height - begin.height),
                begin.lumbar + share * (finish.lumbar - begin.lumbar),
            )
        key = finish
    return key


@functools.lru_cache(maxsize=200_000)
def _joints(height: float, lumbar: float) -> dict[str, tuple[float, float]]:
    skeleton = solve(Pose(hip_height=height, lumbar_extension=lumbar))
    return skeleton.joints()


def _signed_top_angle(rep: RepPlan) -> float:
    skeleton = solve(Pose(hip_height=rep.top_height, lumbar_extension=rep.lumbar_extension))
    return 360 - skeleton.hip_angle if skeleton.hip_above_line > 0 else skeleton.hip_angle


def _landmarks(
    joints: dict[str, tuple[float, float]], working: str
) -> dict[str, tuple[float, float]]:
    """BlazePose's names for the solved joints; the far shoulder and hip a little off."""
    free = "left" if working == "right" else "right"
    dx, dy = FAR_SIDE_OFFSET
    shoulder, hip = joints["shoulder"], joints["hip"]
    head = joints["head"]
    free_ankle, free_toe = joints["free_ankle"], joints["free_toe"]
    return {
        f"{working}_shoulder": shoulder,
        f"{free}_shoulder": (shoulder[0] + dx, shoulder[1] + dy),
        f"{working}_hip": hip,
        f"{free}_hip": (hip[0] + dx, hip[1] + dy),
        f"{working}_knee": joints["knee"],
        f"{working}_ankle": joints["ankle"],
        f"{working}_heel": joints["heel"],
        f"{working}_foot_index": joints["toe"],
        f"{free}_knee": joints["free_knee"],
        f"{free}_ankle": free_ankle,
        f"{free}_heel": (2 * free_ankle[0] - free_toe[0] * 0.3, free_ankle[1]),
        f"{free}_foot_index": free_toe,
        f"{working}_ear": head,
        f"{free}_ear": (head[0] + dx, head[1] + dy),
        "nose": (head[0] + 8.0, head[1] + 4.0),
    }


def make_clip(
    reps: Sequence[RepPlan],
    *,
    fps: float = 30.0,
    size: tuple[int, int] = (1280, 720),
    mirrored: bool = False,
    working: str = "right",
    visibility: float = 0.95,
    lead_in: float = 1.0,
    rest: float = 1.5,
    missing: Sequence[tuple[float, float]] = (),
    noise: float = 0.0,
    jitter: float = 0.0,
    people: int = 1,
    seed: int = 0,
    both_feet_down: bool = False,
) -> tuple[ClipLandmarks, list[RepTruth]]:
    """A side-view clip of `reps` and its truth. `missing` spans have no person found;
    `noise` is the landmarks' jitter in centimetres (standard deviation); `jitter` moves each
    frame's time by up to that share of the frame interval (uneven sampling);
    `both_feet_down` plants the free leg beside the working one (a bridge on both legs)."""
    randomness = random.Random(seed)
    pieces, truths, end = _timeline(reps, lead_in)
    duration = end + rest
    width, height = size
    # The figure spans about 150 cm by 95 cm; fit it into the frame with a margin.
    scale = min(0.8 * width / 150, 0.8 * height / 95)
    origin_x = width / 2 + (-scale * 35 if not mirrored else scale * 35)
    origin_y = height / 2 + scale * 45

    def pixel(point: tuple[float, float]) -> tuple[float, float]:
        x, y = point
        if noise:
            x += randomness.gauss(0, noise)
            y += randomness.gauss(0, noise)
        return (origin_x + (-scale * x if mirrored else scale * x), origin_y - scale * y)

    frames = []
    count = int(duration * fps) + 1
    for number in range(count):
        time = number / fps
        if jitter and 0 < number < count - 1:
            time += randomness.uniform(-jitter, jitter) / fps
        if any(start <= time <= stop for start, stop in missing):
            frames.append(PoseFrame(time))
            continue
        key = _key_at(pieces, time)
        joints = _joints(round(key.height, 2), round(key.lumbar, 2))
        if both_feet_down:
            joints = {
                **joints,
                **{f"free_{name}": joints[name] for name in ("knee", "ankle", "toe")},
            }
        marks = {
            name: Landmark(*pixel(point), visibility)
            for name, point in _landmarks(joints, working).items()
        }
        frames.append(PoseFrame(time, marks))
    clip = ClipLandmarks(
        width=width,
        height=height,
        duration=duration,
        frames=tuple(frames),
        model="synthetic",
        model_version="coaching.pose",
        people_seen=people,
    )
    return clip, truths


def front_view_clip(seconds: float = 10.0, fps: float = 30.0) -> ClipLandmarks:
    """The top position seen from beyond the feet (coaching.pose.front_leg), bobbing up and
    down as the reps go: what a clip filmed from the front gives."""
    leg = front_leg()
    scale, width, height = 4.0, 720, 1280
    frames = []
    for number in range(int(seconds * fps)):
        time = number / fps
        bob = 10 * (1 - math.cos(2 * math.pi * time / 4)) / 2
        points = {
            "right_shoulder": (-18.0, leg.shoulders - bob),
            "left_shoulder": (18.0, leg.shoulders - bob),
            "right_hip": (leg.hip[0], leg.hip[1] - bob),
            "left_hip": (leg.other_hip[0], leg.other_hip[1] - bob),
            "right_knee": leg.knee,
            "left_knee": leg.other_knee,
            "right_ankle": leg.ankle,
            "left_ankle": leg.other_ankle,
            "right_heel": leg.ankle,
            "left_heel": leg.other_ankle,
            "right_foot_index": leg.toe,
            "left_foot_index": leg.other_toe,
            "right_ear": (-8.0, leg.head),
            "left_ear": (8.0, leg.head),
            "nose": (0.0, leg.head),
        }
        marks = {
            name: Landmark(width / 2 + scale * x, height * 0.8 - scale * y, 0.95)
            for name, (x, y) in points.items()
        }
        frames.append(PoseFrame(time, marks))
    return ClipLandmarks(width, height, seconds, tuple(frames), "synthetic", "coaching.pose")
