"""A side-view model of a person doing a hip thrust, solved from joint angles and contacts.

Units are centimetres, x grows toward the feet, y grows up from the floor. The chain
is closed: the upper back rests on the bench edge (or the floor, for a bridge) and the
working foot stands flat on its support, so choosing how high the hips are fixes
every joint. The geometry the guide teaches (vertical shin at the top, shoulders,
hips and knee in line, knee over ankle) is solved for, not drawn by hand, and tests
check it as numbers. Plain Python: no Django, no drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

Point = tuple[float, float]
FreeLeg = Literal["bent", "straight", "down"]
Load = Literal["none", "dumbbell", "kettlebell"]


class PoseError(ValueError):
    pass


@dataclass(frozen=True)
class Body:
    """Segment lengths of an adult of about 1.75 m."""

    head_radius: float = 11.0
    neck: float = 9.0
    thorax: float = 30.0  # shoulder to waist
    lumbar: float = 20.0  # waist to hip joint
    scapula_from_shoulder: float = 13.0  # where the lower tips of the shoulder blades are
    back_radius: float = 10.0  # half the trunk's thickness: the spine runs this far off the bench
    thigh: float = 44.0
    shin: float = 44.0
    ankle_height: float = 8.0
    heel_behind_ankle: float = 6.0
    toe_ahead_of_ankle: float = 18.0
    upper_arm: float = 30.0
    forearm: float = 28.0
    arm_radius: float = 3.0  # half the arm's thickness: a relaxed arm lies this far off its surface
    thigh_radius: float = 5.5

    @property
    def torso(self) -> float:
        return self.thorax + self.lumbar


@dataclass(frozen=True)
class Setup:
    """Where the equipment is and where the working foot was placed."""

    bench_height: float = 42.0  # 0 means the upper back is on the floor (glute bridge)
    edge_radius: float = 2.0  # the padded front edge of the bench top is rounded this much
    support_height: float = 0.0  # a plate or step under the working foot
    ankle_x: float | None = None  # None: placed so the shin is vertical at the top


@dataclass(frozen=True)
class Pose:
    """What a coach would vary: how high the hips are and what the rest of the body does."""

    hip_height: float | None = None  # None: full hip extension (the top)
    lumbar_extension: float = 0.0  # degrees the lower back arches beyond the thorax line
    heel_lift: float = 0.0  # degrees the working foot rolls onto its toes
    free_leg: FreeLeg = "bent"
    load: Load = "none"
    band: bool = False  # a loop band around both legs just above the knees
    both_feet_down: bool = False


@dataclass(frozen=True)
class Skeleton:
    """Solved joint positions of one pose, all in centimetres."""

    bench_edge: Point  # the front top corner of the bench
    edge_centre: Point  # the centre of the rounded edge the back rolls over
    scapula_contact: Point  # the spine point over the bench edge
    shoulder: Point
    waist: Point
    hip: Point
    knee: Point
    ankle: Point
    heel: Point
    toe: Point
    free_knee: Point
    free_ankle: Point
    free_toe: Point
    elbow: Point
    hand: Point
    head: Point
    setup: Setup
    pose: Pose
    body: Body = field(repr=False)
    load_centre: Point | None = None
    band: tuple[Point, Point] | None = None  # on the working and the other thigh

    # Measures the guide talks about.

    @property
    def shin_angle_from_vertical(self) -> float:
        return _angle_from_vertical(self.knee, self.ankle)

    @property
    def hip_angle(self) -> float:
        """Angle at the hip between the thorax line and the thigh; 180 is a straight line."""
        return _angle_at(self.hip, self.shoulder, self.knee)

    @property
    def knee_angle(self) -> float:
        return _angle_at(self.knee, self.hip, self.ankle)

    @property
    def line_deviation(self) -> float:
        """How far, in degrees, the hip sits off the straight line from shoulder to knee."""
        return abs(180.0 - _angle_at(self.hip, self.shoulder, self.knee))

    @property
    def hip_above_line(self) -> float:
        """Centimetres the hip sits above (+) or below (-) the shoulder-knee line."""
        (sx, sy), (kx, ky) = self.shoulder, self.knee
        t = (self.hip[0] - sx) / (kx - sx)
        return self.hip[1] - (sy + t * (ky - sy))

    @property
    def knee_over_ankle(self) -> float:
        """Horizontal distance, in centimetres, between knee and ankle."""
        return abs(self.knee[0] - self.ankle[0])

    @property
    def scapula_gap(self) -> float:
        """Distance from the back's surface to the bench edge (0 means touching; the back
        lifts off it only when the hips rise above the shoulders, resting on the bench top)."""
        edge = _distance(self.scapula_contact, self.edge_centre) - self.body.back_radius
        return edge - _edge_radius(self.setup)

    def joints(self) -> dict[str, Point]:
        """Every named point, the equipment carried on the body included, for a figure to draw."""
        names = [
            "shoulder", "waist", "hip", "knee", "ankle", "heel", "toe",
            "free_knee", "free_ankle", "free_toe", "elbow", "hand", "head",
        ]  # fmt: skip
        points = {name: getattr(self, name) for name in names}
        if self.load_centre is not None:
            points["load_centre"] = self.load_centre
        if self.band is not None:
            points["band"], points["free_band"] = self.band
        return points


def solve(pose: Pose, setup: Setup = Setup(), body: Body = Body()) -> Skeleton:
    """Place every joint for this pose.

    The torso turns about the bench edge; for the top, it turns until shoulders, hips
    and knee line up with the knee straight above the ankle, and that also decides
    where the foot stands. For any other hip height the foot stays where the top put
    it and the knee is where thigh and shin meet.
    """
    bench_edge = (0.0, setup.bench_height)
    edge_radius = _edge_radius(setup)
    edge_centre = (-edge_radius, setup.bench_height - edge_radius)
    on_floor = setup.bench_height == 0
    ankle_y = setup.support_height + body.ankle_height

    def place_torso(angle: float, lumbar_extension: float) -> tuple[Point, Point, Point, Point]:
        """Torso points for a thorax pointing from the shoulders toward the hips at `angle`."""
        direction = (math.cos(angle), math.sin(angle))
        if on_floor:
            # A bridge rolls on the shoulders, which stay on the floor.
            contact = shoulder = (0.0, body.back_radius)
        elif direction[1] <= 0:
            # Thorax level or pointing down toward the feet: the back rolls over the
            # rounded edge, the spine a back's thickness off its surface.
            normal = (-direction[1], direction[0])
            contact = _add(edge_centre, _scale(normal, body.back_radius + edge_radius))
            shoulder = _add(contact, _scale(direction, -body.scapula_from_shoulder))
        else:
            # Hips above the shoulders (a raised foot at the top): the shoulders rest on
            # the bench top where the level back had them, and the back lifts off the edge.
            shoulder = (
                edge_centre[0] - body.scapula_from_shoulder,
                setup.bench_height + body.back_radius,
            )
            contact = _add(shoulder, _scale(direction, body.scapula_from_shoulder))
        waist = _add(shoulder, _scale(direction, body.thorax))
        # An arched lower back turns the pelvis up, past the line of the thorax.
        lumbar_angle = angle + math.radians(lumbar_extension)
        hip = _add(waist, _scale((math.cos(lumbar_angle), math.sin(lumbar_angle)), body.lumbar))
        return contact, shoulder, waist, hip

    def top_knee_height_error(angle: float) -> float:
        hip = place_torso(angle, 0.0)[3]
        return _add(hip, _scale((math.cos(angle), math.sin(angle)), body.thigh))[1] - (
            ankle_y + body.shin
        )

    # The top: the knee continues the thorax line and sits a shin's length above the ankle.
    top_angle = _bisect(top_knee_height_error, math.radians(-60), math.radians(60))
    top_hip = place_torso(top_angle, 0.0)[3]
    top_knee = _add(top_hip, _scale((math.cos(top_angle), math.sin(top_angle)), body.thigh))
    ankle_x = setup.ankle_x if setup.ankle_x is not None else top_knee[0]

    if pose.hip_height is None:
        angle = top_angle
    else:
        target = pose.hip_height

        def hip_height_error(angle: float) -> float:
            return place_torso(angle, pose.lumbar_extension)[3][1] - target

        # Hips go down as the thorax tips from level toward pointing at the floor.
        angle = _bisect(hip_height_error, math.radians(-88), math.radians(45))
    contact, shoulder, waist, hip = place_torso(angle, pose.lumbar_extension)

    toe_ball = (ankle_x + body.toe_ahead_of_ankle, setup.support_height)
    if pose.heel_lift:
        # The foot pivots on the ball of the foot: the ankle and heel rise.
        lift = math.radians(pose.heel_lift)
        back = (-math.cos(lift), math.sin(lift))
        ankle_floor = _add(toe_ball, _scale(back, body.toe_ahead_of_ankle))
        up = (math.sin(lift), math.cos(lift))
        ankle = _add(ankle_floor, _scale(up, body.ankle_height))
        heel = _add(ankle_floor, _scale(back, body.heel_behind_ankle))
    else:
        ankle = (ankle_x, ankle_y)
        heel = (ankle_x - body.heel_behind_ankle, setup.support_height)
    toe = toe_ball

    knee = _two_link(hip, ankle, body.thigh, body.shin, bend_up=True)
    if knee is None:
        raise PoseError("the working foot cannot be reached from the hips in this pose")

    free_knee, free_ankle, free_toe = _free_leg(pose, hip, knee, ankle, toe, shoulder, body)
    elbow, hand, load_centre = _arms(pose, setup, shoulder, hip, body)
    head = _head(shoulder, waist, setup, body)
    band = None
    if pose.band:
        band = (_above_knee(hip, knee), _above_knee(hip, free_knee))

    return Skeleton(
        bench_edge=bench_edge,
        edge_centre=edge_centre,
        scapula_contact=contact,
        shoulder=shoulder,
        waist=waist,
        hip=hip,
        knee=knee,
        ankle=ankle,
        heel=heel,
        toe=toe,
        free_knee=free_knee,
        free_ankle=free_ankle,
        free_toe=free_toe,
        elbow=elbow,
        hand=hand,
        head=head,
        setup=setup,
        pose=pose,
        body=body,
        load_centre=load_centre,
        band=band,
    )


def _edge_radius(setup: Setup) -> float:
    return setup.edge_radius if setup.bench_height else 0.0


BAND_ABOVE_KNEE = 7.0  # centimetres up the thigh from the knee joint


def _above_knee(hip: Point, knee: Point) -> Point:
    return _add(knee, _scale(_unit(_sub(hip, knee)), BAND_ABOVE_KNEE))


def _free_leg(
    pose: Pose, hip: Point, knee: Point, ankle: Point, toe: Point, shoulder: Point, body: Body
) -> tuple[Point, Point, Point]:
    if pose.free_leg == "down" or pose.both_feet_down:
        return knee, ankle, toe
    thorax_angle = math.degrees(math.atan2(hip[1] - shoulder[1], hip[0] - shoulder[0]))
    if pose.free_leg == "straight":
        # Held out straight: in line with the body at the top, never lower than level.
        angle = max(thorax_angle, 10.0)
        thigh_dir = _direction(angle)
        free_knee = _add(hip, _scale(thigh_dir, body.thigh))
        free_ankle = _add(free_knee, _scale(thigh_dir, body.shin))
        foot_dir = _direction(angle + 80)
    else:
        # Bent about 90 degrees at the knee, thigh raised well clear of the floor.
        angle = max(thorax_angle + 55.0, 65.0)
        thigh_dir = _direction(angle)
        free_knee = _add(hip, _scale(thigh_dir, body.thigh))
        shin_dir = _direction(angle - 90)
        free_ankle = _add(free_knee, _scale(shin_dir, body.shin))
        foot_dir = _direction(angle - 90 + 70)
    free_toe = _add(free_ankle, _scale(foot_dir, body.toe_ahead_of_ankle * 0.9))
    return free_knee, free_ankle, free_toe


def _direction(degrees: float) -> Point:
    return (math.cos(math.radians(degrees)), math.sin(math.radians(degrees)))


def _arms(
    pose: Pose, setup: Setup, shoulder: Point, hip: Point, body: Body
) -> tuple[Point, Point, Point | None]:
    """Elbow and hand, always an upper arm and a forearm apart, and the load's centre."""
    if pose.load != "none":
        # The hands steady the weight resting across the hip crease.
        thorax_dir = _unit(_sub(hip, shoulder))
        up = (-thorax_dir[1], thorax_dir[0])
        if up[1] < 0:
            up = _scale(up, -1)
        radius = 9.0 if pose.load == "dumbbell" else 11.0
        load_centre = _add(hip, _scale(up, body.back_radius + radius))
        hand = _add(load_centre, _scale(up, radius * 0.4))
        elbow = _two_link(shoulder, hand, body.upper_arm, body.forearm, bend_up=False)
        if elbow is None:
            # Out of reach: the arm points at the weight, straight, rather than stretching.
            reach = _unit(_sub(hand, shoulder))
            elbow = _add(shoulder, _scale(reach, body.upper_arm))
            hand = _add(elbow, _scale(reach, body.forearm))
        return elbow, hand, load_centre
    # Relaxed and flat, an arm's thickness above the surface: on a bench, laid back along
    # its top from the shoulder; on the floor, down beside the body, the hands by the hips
    # (over the head they would leave the floor the shoulders rest on).
    surface = setup.bench_height + body.arm_radius
    drop = min(shoulder[1] - surface, body.upper_arm)
    toward = 1.0 if setup.bench_height == 0 else -1.0
    elbow = (shoulder[0] + toward * math.sqrt(body.upper_arm**2 - drop**2), shoulder[1] - drop)
    hand = (elbow[0] + toward * body.forearm, elbow[1])
    return elbow, hand, None


def _head(shoulder: Point, waist: Point, setup: Setup, body: Body) -> Point:
    # The chin stays tucked: the head sits above the shoulders, looking down the body,
    # and never sinks into the bench top or the floor it rests on.
    away = _unit(_sub(shoulder, waist))
    if setup.bench_height == 0:
        # Lying on the floor: the head rests on it, behind the shoulders.
        return (shoulder[0] - body.neck - body.head_radius, body.head_radius)
    tilt = _rotate(away, math.radians(-55 if away[0] < 0 else 55))
    x, y = _add(shoulder, _scale(tilt, body.neck + body.head_radius))
    surface = setup.bench_height if x < 0 else 0.0
    return (x, max(y, surface + body.head_radius))


# Front view, for the knee that caves in.


@dataclass(frozen=True)
class FrontLeg:
    """The body at the top seen from beyond the feet, from a coach's eye height.

    x runs across (the working side negative), y up the picture: a point further from the
    viewer shows higher, so the thigh, running away from the knee to the hip, shows.
    """

    hip: Point
    knee: Point
    ankle: Point
    toe: Point
    other_hip: Point
    other_knee: Point  # the lifted leg's knee, raised toward the ceiling
    other_ankle: Point
    other_toe: Point
    shoulders: float  # how high the picture shows the shoulders, beyond the hips
    head: float
    bench_edge: float  # the front top edge of the bench
    bench_floor: float  # where the bench stands on the floor

    @property
    def knee_offset_from_line(self) -> float:
        """Centimetres the knee sits inside (+) the straight hip-ankle line."""
        t = (self.knee[1] - self.ankle[1]) / (self.hip[1] - self.ankle[1])
        line_x = self.ankle[0] + t * (self.hip[0] - self.ankle[0])
        towards_midline = 1 if self.other_hip[0] > self.hip[0] else -1
        return (self.knee[0] - line_x) * towards_midline


HIP_HALF_WIDTH = 10.0  # from the middle of the pelvis to each hip joint
VIEW_ELEVATION = 35.0  # degrees the viewer looks down along the body from beyond the feet
LIFTED_KNEE_OUT = 14.0  # how far out from its hip joint the lifted knee shows, across
FOOT_HANG = 9.0  # how far below its ankle the lifted foot's toes show


def front_leg(valgus: float = 0.0, body: Body = Body(), setup: Setup = Setup()) -> FrontLeg:
    """The working leg seen from beyond the feet at the top: `valgus` degrees of knee cave.

    The side view's pose, projected: across, each leg hangs under its hip joint (the knee
    moved in by the cave; the lifted leg, relaxed, falls a little open at the hip and its
    foot hangs from the ankle); up the picture, height and distance from the viewer both count.
    """
    top = solve(Pose(), setup, body)
    elevation = math.radians(VIEW_ELEVATION)

    def seen(point: Point, across: float) -> Point:
        x, y = point
        return (across, y * math.cos(elevation) + (top.ankle[0] - x) * math.sin(elevation))

    side, other = -HIP_HALF_WIDTH, HIP_HALF_WIDTH
    cave = math.sin(math.radians(valgus)) * body.thigh
    return FrontLeg(
        hip=seen(top.hip, side),
        knee=seen(top.knee, side + cave),
        ankle=seen(top.ankle, side),
        toe=seen(top.toe, side),
        other_hip=seen(top.hip, other),
        # The lifted thigh falls a little open, so its knee shows beside the trunk, not on it.
        other_knee=seen(top.free_knee, other + LIFTED_KNEE_OUT),
        other_ankle=seen(top.free_ankle, other + LIFTED_KNEE_OUT + 6.0),
        # Relaxed, the lifted foot hangs from the ankle, toes down.
        other_toe=_add(seen(top.free_ankle, other + LIFTED_KNEE_OUT + 7.0), (0.0, -FOOT_HANG)),
        shoulders=seen(top.shoulder, 0.0)[1],
        head=seen(top.head, 0.0)[1],
        bench_edge=seen(top.bench_edge, 0.0)[1],
        bench_floor=seen((top.bench_edge[0], 0.0), 0.0)[1],
    )


# Small vector helpers.


def _add(a: Point, b: Point) -> Point:
    return (a[0] + b[0], a[1] + b[1])


def _sub(a: Point, b: Point) -> Point:
    return (a[0] - b[0], a[1] - b[1])


def _scale(a: Point, k: float) -> Point:
    return (a[0] * k, a[1] * k)


def _distance(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def _unit(a: Point) -> Point:
    length = math.hypot(*a)
    return (a[0] / length, a[1] / length)


def _rotate(a: Point, radians: float) -> Point:
    c, s = math.cos(radians), math.sin(radians)
    return (a[0] * c - a[1] * s, a[0] * s + a[1] * c)


def _angle_at(vertex: Point, a: Point, b: Point) -> float:
    va, vb = _sub(a, vertex), _sub(b, vertex)
    cosine = (va[0] * vb[0] + va[1] * vb[1]) / (math.hypot(*va) * math.hypot(*vb))
    return math.degrees(math.acos(max(-1.0, min(1.0, cosine))))


def _angle_from_vertical(top: Point, bottom: Point) -> float:
    dx, dy = top[0] - bottom[0], top[1] - bottom[1]
    return abs(math.degrees(math.atan2(dx, dy)))


def _two_link(
    start: Point, end: Point, first: float, second: float, *, bend_up: bool
) -> Point | None:
    """Where two segments of the given lengths meet between `start` and `end`."""
    d = _distance(start, end)
    if d > first + second or d < abs(first - second) or d == 0:
        return None
    along = (first**2 - second**2 + d**2) / (2 * d)
    height = math.sqrt(max(first**2 - along**2, 0.0))
    direction = _unit(_sub(end, start))
    base = _add(start, _scale(direction, along))
    normal = (-direction[1], direction[0])
    candidates = [_add(base, _scale(normal, height)), _add(base, _scale(normal, -height))]
    return max(candidates, key=lambda p: p[1]) if bend_up else min(candidates, key=lambda p: p[1])


def _bisect(function, low: float, high: float, iterations: int = 80) -> float:
    f_low, f_high = function(low), function(high)
    if f_low == 0:
        return low
    if f_high == 0:
        return high
    if (f_low > 0) == (f_high > 0):
        raise PoseError("no pose satisfies the contacts for that hip height")
    for _ in range(iterations):
        middle = (low + high) / 2
        f_middle = function(middle)
        if (f_middle > 0) == (f_low > 0):
            low, f_low = middle, f_middle
        else:
            high = middle
    return (low + high) / 2
