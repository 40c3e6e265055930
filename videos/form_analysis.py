"""The rules of the camera's analysis: a clip's landmarks in, reps, phases, angles and flags out.

What a side view of a single leg hip thrust shows, read against the guide (the straight line
shoulders-hips-knee at the top, a vertical shin, a lowering of two to three seconds, no
bounce) and the prescribed tempo:

- The rep signal is the hips' height above the shoulders as a share of the torso's length
  (the sine of the torso's slope; the shoulders rest on the bench, so it is the hips that
  move it). It is smoothed over time (a centred median, then a centred mean, both over a
  window in seconds, so uneven sampling is fine) and its speed taken across a window. The
  shoulders and hips are the landmarks the pose model places best from the side; the working
  knee, needed for the hip angle, is drawn toward the free knee as the two come close in the
  lower half of a rep, which bends the hip angle's curve there (a false stop halfway down),
  so the hip angle is read only at the top.
- A rep is one lift of at least MIN_REP_RISE, counted with what follows it in the
  order a rep is done from the floor, as the timer runs it: lifting, top hold, lowering,
  pause at the bottom. A set filmed from the floor is then whole rep by rep; the last rep's
  pause is None (what follows is rest), and so is any phase the clip did not see.
- Each phase begins when the hips start moving and ends when they stop: when their speed
  rises above, or falls below, a share of the phase's top speed (or, when that is tiny, of
  the rep's range per second). A phase is never a fixed fraction of the range.
- Which leg works: the planted foot's, whose ankle stays lowest; the free leg is raised.
  Left and right are the person's own, so the facing direction does not matter, and every
  measure is an angle or a ratio, so neither does the frame's size.

Honesty: a clip whose person is not seen well is declined with the reasons, in plain
sentences, and nothing else is given. Frames where the person was not found leave gaps;
a phase whose start or end fell in one is not measured (None) and no fault is read from
it, and the rep's confidence drops by the share of it not seen. A gap of LONG_GAP_SECONDS or
more may hide whole reps: a rep it cuts ends there, and what is seen after it (a top, a
lowering) is never taken for that rep's.

Every threshold below marked "our choice" is the app's own, not the guide's.
Plain Python: no Django, no model.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from coaching.tempo import GUIDE_LOWERING_SECONDS, Tempo
from videos.clip_sight import (
    CANNOT_JUDGE,
    MIN_SEEN_FRAMES,
    MIN_SEEN_SHARE,
    distance,
    is_seen,
    join_words,
    nearer_side,
    pair,
    reasons_to_decline,
    working_side,
)
from videos.pose_data import ClipLandmarks, Fault, FormAnalysis, Landmark, RepReport

# Reading reps.
SMOOTHING_SECONDS = 0.2  # our choice: the smoothing window, centred
SPEED_SECONDS = 0.3  # our choice: the hips' speed is their slope across this window, centred
# Our choice, a share of the torso's length: the hips rising and falling less than this is no
# rep (a full rep moves them about 0.7 to 0.85 of it, hips stopping 9 cm short of the line
# about 0.35, a 12 cm wobble off the floor about 0.25).
MIN_REP_RISE = 0.3
# Our choice: moving while faster than this share of the phase's top speed. (A move that
# eases in and out is slow for a while at each end: 0.15 cut 0.2 s off the model's drawn
# lowerings, 0.1 about 0.1 s; lower, the landmarks' jitter in a hold reads as moving.)
MOVING_SHARE = 0.1
# Our choice, per second: never slower than this share of the rep's range counts as moving, so
# a slow drift or the landmarks' jitter in a hold is still.
STILL_SPEED_SHARE = 0.04
STILL_SECONDS = 0.15  # our choice: the hips have stopped once under that speed this long
MAX_BLIND_SECONDS = 0.35  # our choice: a longer stretch with no person seen is a gap
LONG_GAP_SECONDS = 1.0  # our choice: a gap this long could hide a whole quick rep
TOP_BAND_SHARE = 0.02  # our choice: the top is read where the hips are this close to their highest

# Faults a side view can see.
# Our choice: a lowering may fall short of the tempo's by a fifth of it, and by at least
# 0.3 s, unflagged. Timed from the hips' first clear movement, a slow lowering reads a few
# tenths short (bench/form_analysis.py: up to 0.57 s on 3 and 4 s lowerings).
FAST_LOWERING_SHARE = 0.2
FAST_LOWERING_MARGIN = 0.3  # seconds
# Tempo notes: a phase off the prescribed tempo's time, which is no form fault (but for a
# lowering quicker than asked: the fast lowering above). Our choice: a phase may be off by a
# quarter of the time asked, and by at least 0.75 s, unremarked. Phases drawn at the asked
# tempo read up to 0.65 s off (bench/form_analysis.py: a 1 s top hold whose lowering was
# read to start late); a lift of 2 s where 1 s is asked, or a 1 s pause where none is, is
# plainly off.
TEMPO_MISS_SHARE = 0.25
TEMPO_MISS_MARGIN = 0.75  # seconds


# Our choice: hips that turn at the bottom from half their lowering's top speed to half
# their lift's in less than this had no still moment there: a bounce. (A controlled turn
# takes 0.33 s or more in our synthetic series and the model's reading of drawn clips, a
# bounce about 0.22 s in the synthetic series; the speed's window blurs both.)
BOUNCE_TURN_SECONDS = 0.27
# Our choice: hips still at half their lowering's top speed this close to the bottom dropped
# into it: a bounce, however slowly the next lift leaves. (Controlled lowerings take 0.11 s
# or more from there in the model's reading of drawn clips, drops 0.06 to 0.1 s.)
BOUNCE_ARRIVAL_SECONDS = 0.1
TURN_SPEED_SHARE = 0.5  # our choice, with BOUNCE_TURN_SECONDS
# Our choice, seconds: sparser frames cannot time the turn (15 frames a second read from a
# 24 fps clip come 1/12 s apart at times).
MAX_BOUNCE_FRAME_INTERVAL = 0.1
# Our choice, seconds: where the prescribed tempo asks for a pause at the bottom, hips that
# rise again within this of stopping did not pause: a bounce, however gently they turned. (A
# controlled rep with no pause, as 2-0-1-0 asks, turns about as quickly as a bounce does.)
NO_PAUSE_SECONDS = 0.3
SHORT_TOP_DEGREES = 10.0  # our choice: a top this far short of the straight line is short
ARCHED_TOP_DEGREES = 10.0  # our choice: a top this far past the straight line is arched


def _leeway(asked: float, share: float, margin: float) -> float:
    """How far from `asked` seconds a phase may fall unremarked: `share` of them, and at
    least `margin` seconds."""
    return max(margin, share * asked)


def _fast_lowering_below(asked: float) -> float:
    """The shortest lowering not flagged fast when `asked` seconds are asked for."""
    return asked - _leeway(asked, FAST_LOWERING_SHARE, FAST_LOWERING_MARGIN)


def asked_seconds(tempo: Tempo) -> dict[str, int]:
    """The tempo's seconds for each phase of a rep, by RepReport's names."""
    return {
        "lifting": tempo.lifting,
        "top_hold": tempo.top_hold,
        "lowering": tempo.lowering,
        "pause": tempo.bottom_pause,
    }


def tempo_miss(phase: str, seconds: float | None, asked: float) -> str | None:
    """How a rep's `phase` ("lowering", "pause", "lifting" or "top_hold") missed the
    prescribed tempo's `asked` seconds: "longer" or "shorter" than the leeway allows
    (TEMPO_MISS_SHARE, TEMPO_MISS_MARGIN), else None; None too for a phase not measured,
    which is never judged. A lowering is "shorter" exactly when it is flagged fast."""
    if seconds is None:
        return None
    if phase == "lowering" and seconds < _fast_lowering_below(asked):
        return "shorter"
    leeway = _leeway(asked, TEMPO_MISS_SHARE, TEMPO_MISS_MARGIN)
    if seconds > asked + leeway:
        return "longer"
    if phase != "lowering" and seconds < asked - leeway:
        return "shorter"
    return None


@dataclass(frozen=True)
class _Sample:
    """What one frame shows of the working side."""

    time: float
    angle: float  # signed shoulder-hip-knee, degrees
    hips: float  # the hips' height above the shoulders, a share of the torso's length
    shin: float  # degrees from vertical
    visibility: float  # mean of the landmarks read


@dataclass(frozen=True)
class _Series:
    """The frames seen, in time order, smoothed, with the hips' speed. `part` numbers the
    stretches between gaps: smoothing and speed never reach across one."""

    samples: tuple[_Sample, ...]
    part: tuple[int, ...]
    smooth: tuple[float, ...]  # the hips' height, smoothed
    speed: tuple[float, ...]  # torso lengths a second, + while the hips rise

    @classmethod
    def of(cls, samples: Sequence[_Sample]) -> _Series:
        parts: list[list[_Sample]] = []
        for sample in samples:
            if not parts or sample.time - parts[-1][-1].time > MAX_BLIND_SECONDS:
                parts.append([])
            parts[-1].append(sample)
        part, smooth, speed = [], [], []
        for number, stretch in enumerate(parts):
            times = [sample.time for sample in stretch]
            values = _smoothed(times, [sample.hips for sample in stretch])
            part += [number] * len(stretch)
            smooth += values
            speed += _rates(times, values)
        return cls(tuple(samples), tuple(part), tuple(smooth), tuple(speed))

    def time(self, index: int) -> float:
        return self.samples[index].time


def analyse(
    clip: ClipLandmarks, *, prescribed_tempo: str | None = None, both_legs: bool = False
) -> FormAnalysis:
    """The clip read rep by rep; `prescribed_tempo` is the notation the set was prescribed;
    `both_legs` for a rung done with both feet down (the floor glute bridge), whose leg
    nearer the camera is read, where a single-leg rung's working leg is the planted one."""
    tempo = Tempo.parse(prescribed_tempo) if prescribed_tempo else None
    common = {
        "cannot_judge": CANNOT_JUDGE,
        "prescribed_tempo": tempo.notation if tempo else None,
        "model": clip.model,
        "model_version": clip.model_version,
    }
    frames = sorted(clip.frames, key=lambda frame: frame.time)
    reasons = reasons_to_decline(clip, frames)
    if reasons:
        side = None
    elif both_legs:
        side = nearer_side(frames)
    else:
        side = working_side(frames, clip)
    if side is None and not reasons and both_legs:
        reasons = ["Neither leg's knee and ankle were seen: film the side of the body."]
    if side is None and not reasons:
        reasons = [
            "Which leg is working could not be told: both feet stayed down or both were "
            "lifted. Film a single-leg set from the side."
        ]
    if reasons:
        return FormAnalysis(side=None, declined=tuple(reasons), **common)

    seen = [
        sample
        for frame in frames
        if frame.landmarks and (sample := _read(frame.time, frame.landmarks, side, clip))
    ]
    with_person = sum(1 for frame in frames if frame.landmarks)
    if len(seen) < max(MIN_SEEN_FRAMES, MIN_SEEN_SHARE * with_person):
        reason = (
            f"The working {side} leg's knee or ankle was hidden or out of the picture in "
            f"{with_person - len(seen)} of the {with_person} frames with the person: film the "
            "side of the body with the whole working leg in view."
        )
        return FormAnalysis(side=None, declined=(reason,), **common)
    series = _Series.of(seen)
    gaps = _gaps(seen, frames[0].time, frames[-1].time)
    notes = [_gap_note(start, end) for start, end in gaps]
    long_gaps = tuple((round(start, 2), round(end, 2)) for start, end in _long(gaps))
    intervals = [b.time - a.time for a, b in itertools.pairwise(seen)]
    if intervals and statistics.median(intervals) > MAX_BOUNCE_FRAME_INTERVAL:
        notes.append("The frames came too far apart to tell a bounce, so none is judged.")
    reps, rep_notes = _reps(series, gaps, tempo)
    notes += rep_notes
    if not reps:
        notes.append(
            f"No rep was found: the hips never rose and fell by {MIN_REP_RISE:.0%} of the "
            "torso's length."
        )
    return FormAnalysis(
        side=side, reps=tuple(reps), notes=tuple(notes), long_gaps=long_gaps, **common
    )


def _read(
    time: float, marks: dict[str, Landmark], side: str, clip: ClipLandmarks
) -> _Sample | None:
    """The frame's working knee and ankle, which must be seen under the working side's name;
    but seen from the side, the model gives the working leg either name, frame by frame, so
    of the two seen, the ankle read is the lower one (the free foot is in the air) and the
    knee the one nearer that ankle (the free knee hangs from the hip, a thigh away)."""
    shoulder, hip = pair(marks, "shoulder", clip), pair(marks, "hip", clip)
    if not all(is_seen(marks.get(f"{side}_{joint}"), clip) for joint in ("knee", "ankle")):
        return None
    ankles = [mark for s in ("left", "right") if is_seen(mark := marks.get(f"{s}_ankle"), clip)]
    knees = [mark for s in ("left", "right") if is_seen(mark := marks.get(f"{s}_knee"), clip)]
    if shoulder is None or hip is None:
        return None
    ankle = max(ankles, key=lambda mark: mark.y)
    knee = min(knees, key=lambda mark: distance(mark, ankle))
    return _Sample(
        time=time,
        angle=_signed_hip_angle(shoulder, hip, knee),
        hips=_hip_height(shoulder, hip),
        shin=_from_vertical(knee, ankle),
        visibility=(shoulder.visibility + hip.visibility + knee.visibility + ankle.visibility) / 4,
    )


# Geometry, in pixels with y growing down.


def _signed_hip_angle(shoulder: Landmark, hip: Landmark, knee: Landmark) -> float:
    """Shoulder-hip-knee in degrees: 180 in a straight line, above 180 with the hips past it
    toward the ceiling, whichever way the person faces."""
    ax, ay = shoulder.x - hip.x, shoulder.y - hip.y
    bx, by = knee.x - hip.x, knee.y - hip.y
    cosine = (ax * bx + ay * by) / (math.hypot(ax, ay) * math.hypot(bx, by) or 1.0)
    angle = math.degrees(math.acos(max(-1.0, min(1.0, cosine))))
    # The line's normal pointing up the picture (toward smaller y): the hip above the line
    # lies on that side of it.
    dx, dy = knee.x - shoulder.x, knee.y - shoulder.y
    normal = (dy, -dx) if dx > 0 else (-dy, dx)
    above = (hip.x - shoulder.x) * normal[0] + (hip.y - shoulder.y) * normal[1] > 0
    return 360.0 - angle if above else angle


def _hip_height(shoulder: Landmark, hip: Landmark) -> float:
    """How far the hips are above the shoulders, as a share of the torso's length (the sine
    of its slope): negative below, whichever way the person faces, and as far off the camera
    as they are."""
    return (shoulder.y - hip.y) / (distance(shoulder, hip) or 1.0)


def _from_vertical(knee: Landmark, ankle: Landmark) -> float:
    return abs(math.degrees(math.atan2(knee.x - ankle.x, ankle.y - knee.y)))


# Smoothing and speed, over windows in seconds so uneven sampling is read right.


def _window(
    times: Sequence[float], index: int, *, neighbours: bool, seconds: float | None = None
) -> range:
    """The samples within half the window of `seconds` (the smoothing window unless said) of
    `index`, with its neighbours if asked."""
    time = times[index]
    half = (SMOOTHING_SECONDS if seconds is None else seconds) / 2
    if neighbours:
        before = time - times[index - 1] if index > 0 else 0.0
        after = times[index + 1] - time if index + 1 < len(times) else 0.0
        half = max(half, before, after)
    low = high = index
    while low > 0 and time - times[low - 1] <= half + 1e-9:
        low -= 1
    while high + 1 < len(times) and times[high + 1] - time <= half + 1e-9:
        high += 1
    return range(low, high + 1)


def _smoothed(times: Sequence[float], values: Sequence[float]) -> list[float]:
    """A centred median, always over three samples at least (a stray landmark does not move
    it), then a centred mean within the window (in sparse frames, none: it would blur the
    turns at the top and the bottom into the phases)."""
    medians = [
        statistics.median(values[i] for i in _window(times, index, neighbours=True))
        for index in range(len(times))
    ]
    return [
        statistics.fmean(medians[i] for i in _window(times, index, neighbours=False))
        for index in range(len(times))
    ]


def _rates(times: Sequence[float], values: Sequence[float]) -> list[float]:
    """How fast each value changes: the slope across the window of SPEED_SECONDS centred on
    it, its neighbours at least (one-sided at the ends). Across two neighbours only, the
    landmarks' jitter left by the smoothing makes a still hold look as if it moved."""
    if len(values) < 2:
        return [0.0] * len(values)
    rates = []
    for index in range(len(values)):
        span = _window(times, index, neighbours=True, seconds=SPEED_SECONDS)
        low, high = span[0], span[-1]
        if low == high:
            low, high = max(index - 1, 0), min(index + 1, len(values) - 1)
        rates.append((values[high] - values[low]) / (times[high] - times[low]))
    return rates


def _gaps(samples: Sequence[_Sample], first: float, last: float) -> list[tuple[float, float]]:
    """Stretches longer than MAX_BLIND_SECONDS with no frame seen, the clip's ends included."""
    times = [first, *(sample.time for sample in samples), last]
    return [
        (start, end) for start, end in itertools.pairwise(times) if end - start > MAX_BLIND_SECONDS
    ]


def _long(gaps: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The gaps of LONG_GAP_SECONDS or more: a whole quick rep may hide in each."""
    return [(start, end) for start, end in gaps if end - start >= LONG_GAP_SECONDS]


def _gap_note(start: float, end: float) -> str:
    note = f"The person was not seen from {start:.1f} s to {end:.1f} s"
    if _long([(start, end)]):
        return note + "; a rep done entirely then is not counted."
    return note + "."


# Reps and their phases.


def _turning_points(values: Sequence[float], swing: float) -> list[tuple[int, str]]:
    """The alternating lowest ("bottom") and highest ("top") points between which the values
    move by at least `swing`; smaller wobbles are no turn."""
    points: list[tuple[int, str]] = []
    low = high = 0
    heading = ""  # "up" after a bottom, "down" after a top
    for index, value in enumerate(values):
        if not heading:
            low = index if value < values[low] else low
            high = index if value > values[high] else high
            if values[high] - values[low] >= swing:
                if low < high:
                    points.append((low, "bottom"))
                    heading, candidate = "up", high
                else:
                    points.append((high, "top"))
                    heading, candidate = "down", low
        elif heading == "up":
            if value > values[candidate]:
                candidate = index
            elif values[candidate] - value >= swing:
                points.append((candidate, "top"))
                heading, candidate = "down", index
        else:
            if value < values[candidate]:
                candidate = index
            elif value - values[candidate] >= swing:
                points.append((candidate, "bottom"))
                heading, candidate = "up", index
    if heading:
        points.append((candidate, "top" if heading == "up" else "bottom"))
    return points


@dataclass(frozen=True)
class _Move:
    """The hips going from one turning point to the next: up (a lift) or down (a lowering).
    `start` and `end` are when they start and stop moving; None when that was not seen."""

    direction: int  # +1 up, -1 down
    peak: int  # the index of the top speed
    range: float  # torso lengths
    start: float | None
    end: float | None


def _moves(series: _Series, points: list[tuple[int, str]]) -> list[_Move]:
    peaks = []
    for (first, kind), (last, _) in itertools.pairwise(points):
        direction = 1 if kind == "bottom" else -1
        indices = range(first, last + 1)
        peaks.append((direction, max(indices, key=lambda i: direction * series.speed[i])))
    moves = []
    count = len(series.samples)
    for number, (direction, peak) in enumerate(peaks):
        first, last = points[number][0], points[number + 1][0]
        span = abs(series.smooth[last] - series.smooth[first])
        threshold = max(MOVING_SHARE * direction * series.speed[peak], STILL_SPEED_SHARE * span)
        before = peaks[number - 1][1] if number else 0
        after = peaks[number + 1][1] if number + 1 < len(peaks) else count - 1
        if series.part[first] == series.part[last]:
            start = _still_at(series, peak, -1, before, direction, threshold)
            end = _still_at(series, peak, 1, after, direction, threshold)
        else:
            start, end = _over_a_gap(series, first, last, before, after, direction, threshold)
        moves.append(_Move(direction, peak, span, start, end))
    return moves


def _over_a_gap(
    series: _Series,
    first: int,
    last: int,
    before: int,
    after: int,
    direction: int,
    threshold: float,
) -> tuple[float | None, float | None]:
    """When a move between turning points on either side of a gap started and stopped, as
    far as it was seen. Seen moving into the gap and out of it: it started before the gap
    and stopped after it. Else it was made on one side, where most of its range must be
    seen (both its start and its stop, each with its still moment, are read there), or in
    the gap: then neither is known. A stop read at a gap's edge would be the edge, not the
    hips' (a 0.1 s lowering, a 4 s top hold, made up)."""
    sides = [
        [index for index in range(first, last + 1) if series.part[index] == series.part[turn]]
        for turn in (first, last)
    ]
    earlier, later = sides

    def moving(index: int) -> bool:
        return direction * series.speed[index] >= threshold

    def fastest(indices: list[int]) -> int:
        return max(indices, key=lambda index: direction * series.speed[index])

    if moving(earlier[-1]) and moving(later[0]):
        return (
            _still_at(series, fastest(earlier), -1, before, direction, threshold),
            _still_at(series, fastest(later), 1, after, direction, threshold),
        )
    span = abs(series.smooth[last] - series.smooth[first])
    for side in sorted(sides, key=lambda indices: -direction * series.speed[fastest(indices)]):
        heights = [series.smooth[index] for index in side]
        if moving(fastest(side)) and max(heights) - min(heights) >= span / 2:
            peak = fastest(side)
            return (
                _still_at(series, peak, -1, before, direction, threshold),
                _still_at(series, peak, 1, after, direction, threshold),
            )
    return None, None


def _still_at(
    series: _Series, peak: int, step: int, limit: int, direction: int, threshold: float
) -> float | None:
    """When, walking from `peak` by `step`, the hips' speed in `direction` falls under
    `threshold` (between two samples, in proportion) and stays under it for STILL_SECONDS
    (a dip of the landmarks' jitter in the middle of a slow move is no stop); None when a gap
    or the clip's end (or `limit`) comes first: the moment was not seen."""
    index = peak
    while True:
        following = index + step
        if not 0 <= following < len(series.samples) or (following - limit) * step > 0:
            return None
        if series.part[following] != series.part[index]:
            return None
        above, below = direction * series.speed[index], direction * series.speed[following]
        if below < threshold:
            moving_again = _moving_within(series, following, step, direction, threshold)
            if moving_again is None and not _seen_for(series, following, step):
                return None  # a gap within STILL_SECONDS: a stop there was not seen
            if moving_again is None:
                share = (above - threshold) / (above - below) if above != below else 0.0
                share = min(max(share, 0.0), 1.0)  # the stop lies between the two samples
                return series.time(index) + share * (series.time(following) - series.time(index))
            following = moving_again
        index = following


def _seen_for(series: _Series, index: int, step: int) -> bool:
    """Whether the frames from `index` by `step` run on for STILL_SECONDS in its stretch, or
    to the clip's end; False when a gap cuts them short."""
    start, following = series.time(index), index + step
    while 0 <= following < len(series.samples):
        if series.part[following] != series.part[index]:
            return False
        if abs(series.time(following) - start) > STILL_SECONDS:
            return True
        following += step
    return True


def _moving_within(
    series: _Series, index: int, step: int, direction: int, threshold: float
) -> int | None:
    """The first sample within STILL_SECONDS of `index` (walking by `step`, in one stretch)
    where the speed in `direction` is back at `threshold` or above; None if there is none."""
    start = series.time(index)
    following = index + step
    while 0 <= following < len(series.samples) and series.part[following] == series.part[index]:
        if abs(series.time(following) - start) > STILL_SECONDS:
            return None
        if direction * series.speed[following] >= threshold:
            return following
        following += step
    return None


def _reps(
    series: _Series, gaps: list[tuple[float, float]], tempo: Tempo | None
) -> tuple[list[RepReport], list[str]]:
    if len(series.samples) < 2:
        return [], []
    points = _turning_points(series.smooth, MIN_REP_RISE)
    whole = _moves(series, points)
    cuts = [
        _cut(series, gaps, move, points[number][0], points[number + 1][0])
        for number, move in enumerate(whole)
    ]
    moves = [move for move, _ in cuts]
    notes = []
    if moves and moves[0].direction < 0:
        notes.append(
            "The clip starts with the hips already up: the lowering that follows is not "
            "counted, timed or judged, since the lift before it was not filmed."
        )
    reps = []
    for number, lift in enumerate(moves):
        if lift.direction < 0:
            continue
        # A lift cut by a long gap makes a rep of what was seen of it: what follows the gap
        # may be another rep's top and lowering.
        lost = cuts[number][1]
        lowering = moves[number + 1] if number + 1 < len(moves) and not lost else None
        following = moves[number + 2] if number + 2 < len(moves) and not lost else None
        top_index = points[number + 1][0]
        if lost:
            top_index = max(
                (i for i in range(points[number][0], top_index) if series.time(i) <= lost[0]),
                key=lambda index: series.smooth[index],
            )
        start = lift.start
        if number:
            start = _boundary(series, gaps, moves[number - 1], lift, points[number][0])
        elif start is None:
            start = series.samples[0].time
        if lost:
            end = lost[1]  # the rep's rest is in the gap, with what else was done there
        elif following is not None:
            end = _boundary(series, gaps, lowering, following, points[number + 2][0])
        elif lowering is not None and lowering.end is not None:
            end = lowering.end
        else:
            end = series.samples[-1].time
        span = (start, end)
        rep = _rep(series, gaps, tempo, len(reps) + 1, span, lift, lowering, following, top_index)
        bottom_index = points[number + 2][0] if lowering else None
        rep = _with_bounce(series, gaps, rep, lowering, following, bottom_index, tempo)
        if lowering is None and not lost:
            rep = replace(
                rep, clip_ends_at_top=True, top_hold_at_least=_held_to_end(series, gaps, lift)
            )
        reps.append(rep)
        # Its phases the clip could have seen: not those after the clip's end.
        phases = ["lifting"]
        if lowering is not None or lost:
            phases += ["top hold", "lowering"]
        if number + 2 < len(moves):
            phases.append("pause")
        unseen = _unseen(rep, phases)
        # Cut off while the hips came down: the clip's end, not the camera, hid the rest.
        cut_off = (
            lowering is not None
            and lowering.end is None
            and following is None
            and not cuts[number + 1][1]
        )
        if rep.confidence < 1 and unseen and not cut_off:
            notes.append(unseen_note(rep.number, unseen))
        # A lowering seen after a long gap, and so not taken for this rep's, is said.
        gap = lost or (cuts[number + 1][1] if lowering is not None else None)
        began = whole[number + 1].start if number + 1 < len(whole) else None
        if gap and began is not None and began >= gap[1]:
            notes.append(
                f"The hips came down after the person was seen again at {gap[1]:.1f} s: "
                "that lowering is not timed or judged, since a whole rep may have been done "
                "unseen before it."
            )
        if lowering is None and not lost and rep.top_hold_at_least is not None:
            notes.append(
                f"The clip ends before rep {rep.number} is lowered: its top hold lasted at "
                f"least {rep.top_hold_at_least:.1f} s, to the clip's end, and its lowering is "
                "not timed."
            )
        elif lowering is None and not lost:
            notes.append(
                f"The clip ends before rep {rep.number} is lowered: its top hold and lowering "
                "are not timed."
            )
        elif cut_off:
            notes.append(
                f"The clip ends while rep {rep.number} is being lowered: its lowering is not "
                "timed and no fault is read from it."
            )
    return reps, notes


def _held_to_end(series: _Series, gaps: list[tuple[float, float]], lift: _Move) -> float | None:
    """How long the top after the clip's last lift was seen held, to the clip's end; None
    when the lift was not seen to stop or the person was lost before the end."""
    last = series.samples[-1].time
    if lift.end is None or any(start >= last for start, _ in gaps):
        return None
    return round(max(last - lift.end, 0.0), 2)


def _cut(
    series: _Series, gaps: list[tuple[float, float]], move: _Move, first: int, last: int
) -> tuple[_Move, tuple[float, float] | None]:
    """`move` as far as it is one rep's, and the long gap that cut it (None when none did).
    Between turning points on either side of a gap of LONG_GAP_SECONDS or more, whole reps
    may have been done unseen: a lowering there is the rep's only up to the gap, and so is a
    lift, unless it started after the gap (then the gap is in the pause before it)."""
    for lost, found in _long(gaps):
        if not series.time(first) <= lost < found <= series.time(last):
            continue
        if move.direction > 0 and move.start is not None and move.start >= found:
            continue
        start = move.start if move.start is not None and move.start <= lost else None
        end = move.end if move.direction > 0 and move.end is not None and move.end <= lost else None
        return replace(move, start=start, end=end), (lost, found)
    return move, None


def _boundary(
    series: _Series,
    gaps: list[tuple[float, float]],
    lowering: _Move,
    lift: _Move,
    bottom_index: int,
) -> float:
    """Where one rep ends and the next begins: the lift's start, else (not seen) the
    lowering's end, else the middle of the longest gap between their fastest moments (each
    rep spans half of what it hid), else the bottom."""
    if lift.start is not None:
        return lift.start
    if lowering.end is not None:
        return lowering.end
    after, before = series.time(lowering.peak), series.time(lift.peak)
    hid = [(start, end) for start, end in gaps if start < before and end > after]
    if hid:
        start, end = max(hid, key=lambda gap: gap[1] - gap[0])
        return (start + end) / 2
    return series.time(bottom_index)


def unseen_note(number: int, phases: list[str]) -> str:
    """What is said of a rep some of whose phases the camera did not see."""
    one = len(phases) == 1
    return (
        f"Rep {number} was not seen in full: its {join_words(phases)} {'is' if one else 'are'} not "
        f"timed and no fault is read from {'it' if one else 'them'}."
    )


def _unseen(rep: RepReport, phases: list[str]) -> list[str]:
    """Those of the rep's `phases` ("lifting", "top hold", ...) the camera missed."""
    seconds = {
        "lifting": rep.lifting,
        "top hold": rep.top_hold,
        "lowering": rep.lowering,
        "pause": rep.pause,
    }
    return [name for name in phases if seconds[name] is None]


def _between(
    start: float | None, end: float | None, gaps: Sequence[tuple[float, float]] = ()
) -> float | None:
    """A phase's seconds; None when either end was not seen, or when a gap of
    LONG_GAP_SECONDS or more lies within it (a whole quick rep may hide there)."""
    if start is None or end is None:
        return None
    if any(a < end and b > start for a, b in _long(gaps)):
        return None
    return round(max(end - start, 0.0), 2)


def _rep(
    series: _Series,
    gaps: list[tuple[float, float]],
    tempo: Tempo | None,
    number: int,
    span: tuple[float, float],
    lift: _Move,
    lowering: _Move | None,
    following: _Move | None,
    top_index: int,
) -> RepReport:
    """The rep from `span` (start, end: where a boundary was not seen, the rep spans what
    the gap hid), its phases timed from its moves."""
    start, end = span
    top = _top(series, lift, lowering, top_index)
    faults = []
    lowering_seconds = _between(lowering and lowering.start, lowering and lowering.end, gaps)
    if lowering_seconds is not None:
        asked = tempo.lowering if tempo else GUIDE_LOWERING_SECONDS[0]
        if lowering_seconds < _fast_lowering_below(asked):
            # "The tempo": a coach's prescription, or the tempo the set was logged with.
            by = f"the tempo {tempo.notation} asks" if tempo else "the guide asks"
            faults.append(
                Fault(
                    "fast-lowering",
                    round(lowering.start + lowering_seconds / 2, 2),
                    f"The hips came down in {lowering_seconds:.1f} s; {by} for at least "
                    f"{asked} s. Slow the lowering down.",
                )
            )
    top_angle, shin = top if top else (None, None)
    if top_angle is not None:
        time = round(series.time(top_index), 2)
        if top_angle < 180 - SHORT_TOP_DEGREES:
            faults.append(
                Fault(
                    "short-top",
                    time,
                    f"The hips stopped {180 - top_angle:.0f}° short of the straight line from "
                    "shoulders to knee. Drive them up until the body is one flat line.",
                )
            )
        elif top_angle > 180 + ARCHED_TOP_DEGREES:
            faults.append(
                Fault(
                    "arched-top",
                    time,
                    f"The hips rose {top_angle - 180:.0f}° past the straight line from shoulders "
                    "to knee, so the lower back arched. Ribs down, tuck, stop at the line.",
                )
            )
    seen = [sample for sample in series.samples if start <= sample.time <= end]
    blind = sum(max(0.0, min(end, b) - max(start, a)) for a, b in gaps)
    confidence = statistics.fmean(sample.visibility for sample in seen) if seen else 0.0
    if end > start:
        confidence *= 1 - blind / (end - start)
    return RepReport(
        number=number,
        start=round(start, 2),
        end=round(end, 2),
        lowering=lowering_seconds,
        pause=_between(lowering and lowering.end, following and following.start, gaps),
        lifting=_between(lift.start, lift.end, gaps),
        top_hold=_between(lift.end, lowering and lowering.start, gaps),
        top_angle=top_angle,
        shin_from_vertical=shin,
        confidence=round(confidence, 2),
        faults=tuple(faults),
    )


def _top(
    series: _Series, lift: _Move, lowering: _Move | None, top_index: int
) -> tuple[float, float] | None:
    """The hip angle and the shin at the top, read in the frames where the hips are within
    TOP_BAND_SHARE of the rep's range of their highest: their medians over a hold, and at a
    turn with no hold (which smoothing flattens) the frame with the hips highest. Only a top
    seen in full counts: the lift must be seen to stop."""
    if lift.end is None:
        return None
    last = lowering.peak if lowering else len(series.samples) - 1
    part = series.part[top_index]
    near = [
        series.samples[index]
        for index in range(lift.peak, last + 1)
        if series.part[index] == part
        and series.smooth[index] >= series.smooth[top_index] - TOP_BAND_SHARE * lift.range
    ]
    # With no lowering after it, the clip ends with the hips up: a hold, however long.
    held_until = series.samples[last].time if lowering is None else lowering.start
    if held_until is None or held_until - lift.end < SMOOTHING_SECONDS:
        return _turn_top(series, top_index), round(statistics.median(s.shin for s in near), 1)
    return (
        round(statistics.median(sample.angle for sample in near), 1),
        round(statistics.median(sample.shin for sample in near), 1),
    )


def _turn_top(series: _Series, top_index: int) -> float:
    """The highest hip angle of a turn at the top: the peak of a parabola fitted (least
    squares) to the frames within half the smoothing window of it, its neighbours always
    included. Smoothing would flatten the peak, and the single highest frame is jitter's."""
    times = [sample.time for sample in series.samples]
    window = [
        index
        for index in _window(times, top_index, neighbours=True)
        if series.part[index] == series.part[top_index]
    ]
    centre = times[top_index]
    points = [(times[i] - centre, series.samples[i].angle) for i in window]
    highest = max(angle for _, angle in points)
    if len(points) < 3:
        return round(highest, 1)
    sums = [sum(u**power for u, _ in points) for power in range(5)]
    rhs = [sum(angle * u**power for u, angle in points) for power in range(3)]
    matrix = [[sums[row + column] for column in range(3)] for row in range(3)]
    c, b, a = _solve3(matrix, rhs)
    if a >= 0:  # no peak in the frames: keep the highest one
        return round(highest, 1)
    first, last = points[0][0], points[-1][0]
    vertex = min(max(-b / (2 * a), first), last)
    return round(a * vertex**2 + b * vertex + c, 1)


def _solve3(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """The solution of three linear equations (Cramer's rule)."""

    def det(m: list[list[float]]) -> float:
        return (
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        )

    whole = det(matrix)
    return [
        det(
            [
                [rhs[row] if column == k else matrix[row][column] for column in range(3)]
                for row in range(3)
            ]
        )
        / whole
        for k in range(3)
    ]


def _with_bounce(
    series: _Series,
    gaps: list[tuple[float, float]],
    rep: RepReport,
    lowering: _Move | None,
    following: _Move | None,
    bottom_index: int | None,
    tempo: Tempo | None,
) -> RepReport:
    """A bounce: the hips reverse at the bottom with no still moment, turning from half
    their lowering's top speed to half their next lift's in under BOUNCE_TURN_SECONDS, or
    arriving at it from half that speed in under BOUNCE_ARRIVAL_SECONDS, or, where the
    prescribed tempo asks for a pause there, rising again within NO_PAUSE_SECONDS.
    Judged only when the whole bottom was seen, in frames close enough to time the turn."""
    if lowering is None or following is None or bottom_index is None:
        return rep
    if lowering.start is None or lowering.end is None or following.start is None:
        return rep
    # Seen whole, from the lowering's start to the next lift's fastest moment: the turn is
    # measured against the moves' top speeds, which a gap would hide.
    lift_at = series.time(following.peak)
    if any(start < lift_at and end > lowering.start for start, end in gaps):
        return rep
    down = _moving_at(series, bottom_index, -1, lowering)
    up = _moving_at(series, bottom_index, 1, following)
    if down is None or up is None:
        return rep
    skipped = (
        tempo is not None
        and tempo.bottom_pause > 0
        and rep.pause is not None
        and rep.pause < NO_PAUSE_SECONDS
    )
    dropped = series.time(bottom_index) - down < BOUNCE_ARRIVAL_SECONDS
    if up - down >= BOUNCE_TURN_SECONDS and not dropped and not skipped:
        return rep
    asked = f" as the tempo {tempo.notation} asks" if skipped else ""
    fault = Fault(
        "bounce",
        round(series.time(bottom_index), 2),
        "The hips bounced off the bottom: they rose again with no still moment. Slow the "
        f"lowering and stop for a moment at the bottom{asked}.",
    )
    return RepReport(**{**rep.__dict__, "faults": (*rep.faults, fault)})


def _moving_at(series: _Series, index: int, step: int, move: _Move) -> float | None:
    """When, walking from the bottom at `index` by `step`, the hips reach TURN_SPEED_SHARE of
    `move`'s top speed; None when the frames there are too sparse to tell."""
    threshold = TURN_SPEED_SHARE * move.direction * series.speed[move.peak]
    while True:
        following = index + step
        if (following - move.peak) * step > 0 or series.part[following] != series.part[index]:
            return None
        if abs(series.time(following) - series.time(index)) > MAX_BOUNCE_FRAME_INTERVAL:
            return None
        now, then = (move.direction * series.speed[i] for i in (index, following))
        if then >= threshold:
            share = (threshold - now) / (then - now)
            return series.time(index) + share * (series.time(following) - series.time(index))
        index = following
