"""Whether the camera saw the person well enough to read a clip, and which leg works.

A clip is declined, with the reasons in plain sentences, when the person was not found in
enough frames, the frames came too far apart, the pose model was unsure of the landmarks, a
body part was out of the picture, or the camera did not look at the side of the body; and
what a side view can never see is said with every analysis rather than guessed. The rules
that read reps from the frames kept are in videos/form_analysis.py.

Every threshold below marked "our choice" is the app's own, not the guide's.
Plain Python: no Django, no model.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence

from videos.pose_data import ClipLandmarks, Landmark

# What a side view cannot see, said with every analysis rather than guessed.
CANNOT_JUDGE = (
    "Whether the working knee caves in (moves in toward the middle of the body): a side view "
    "cannot see it; film from beyond the feet to check it.",
    "Whether the hips tilt or drop to one side: a side view cannot see it.",
)

# Seeing the person.
MIN_VISIBILITY = 0.5  # our choice: a landmark counts as seen at or above this visibility
MIN_MEAN_VISIBILITY = 0.65  # our choice: below this mean, the landmarks are too unsure to read
MIN_SEEN_SHARE = 0.5  # our choice: the person must be found in at least half of the frames
MIN_SEEN_FRAMES = 10  # our choice: fewer frames with the person found cannot show a rep
MAX_FRAME_INTERVAL = 0.2  # our choice, seconds: sparser than 5 frames a second cannot time a lift
CUT_OFF_SHARE = 0.5  # our choice: a body part out of the picture in more frames than this
# Our choice: in a side view the two shoulders (and the two hips) nearly overlap; more than
# this share of the torso's length apart means the camera faces the front or the back.
MAX_SIDE_VIEW_SPREAD = 0.5
# Our choice: in a side view the torso and the thigh both show at full length, so neither is
# less than this share of the other; less means the camera looks along the body.
MIN_SEGMENT_RATIO = 0.5
# Our choice: the planted ankle sits at least this share of the torso's length below the
# free one, else the working leg cannot be told.
MIN_ANKLE_DROP = 0.15

PARTS = ("shoulder", "hip", "knee", "ankle")
PART_NAMES = {"shoulder": "shoulders", "hip": "hips", "knee": "knees", "ankle": "feet"}


def is_seen(landmark: Landmark | None, clip: ClipLandmarks) -> bool:
    return (
        landmark is not None
        and landmark.visibility >= MIN_VISIBILITY
        and 0 <= landmark.x <= clip.width
        and 0 <= landmark.y <= clip.height
    )


def pair(landmarks: dict[str, Landmark], joint: str, clip: ClipLandmarks) -> Landmark | None:
    """The left and right `joint` as one point, each weighted by how visible it is: in a side
    view they nearly overlap, and the far one is often hidden."""
    both = [
        mark
        for side in ("left", "right")
        if is_seen(mark := landmarks.get(f"{side}_{joint}"), clip)
    ]
    if not both:
        return None
    weight = sum(mark.visibility for mark in both)
    return Landmark(
        sum(mark.x * mark.visibility for mark in both) / weight,
        sum(mark.y * mark.visibility for mark in both) / weight,
        max(mark.visibility for mark in both),
    )


def reasons_to_decline(clip: ClipLandmarks, frames: Sequence) -> list[str]:
    reasons = []
    if clip.people_seen > 1:
        reasons.append(
            "More than one person was in view, so whose reps these are cannot be told. Film "
            "with only the athlete in the picture."
        )
    if len(frames) < MIN_SEEN_FRAMES:
        reasons.append(
            f"Only {len(frames)} frame{'' if len(frames) == 1 else 's'} were read: too few to "
            f"find reps in (at least {MIN_SEEN_FRAMES}). Film the whole set."
        )
        return reasons
    with_person = [frame for frame in frames if frame.landmarks]
    if len(with_person) < max(MIN_SEEN_FRAMES, MIN_SEEN_SHARE * len(frames)):
        found = (
            f"was not found in any of the {len(frames)} frames read"
            if not with_person
            else f"was found in only {len(with_person)} of the {len(frames)} frames read"
        )
        reasons.append(f"The person {found} (too dark, too far, or out of the picture?).")
        return reasons
    intervals = [b.time - a.time for a, b in itertools.pairwise(frames)]
    if statistics.median(intervals) > MAX_FRAME_INTERVAL:
        reasons.append("Too few frames a second were read to time the reps.")

    # The better seen of each pair of landmarks, wherever the model put it.
    visibility = statistics.fmean(
        max(mark.visibility for mark in marks)
        for frame in with_person
        for part in PARTS
        if (
            marks := [
                mark
                for side in ("left", "right")
                if (mark := frame.landmarks.get(f"{side}_{part}")) is not None
            ]
        )
    )
    if visibility < MIN_MEAN_VISIBILITY:
        reasons.append(
            f"The pose model was unsure of the body's landmarks (mean confidence "
            f"{visibility:.0%}): film in better light, with the body clear of the bench and "
            "of clothes that hide the joints."
        )
        return reasons

    seen = [{part: pair(frame.landmarks, part, clip) for part in PARTS} for frame in with_person]
    cut = [
        PART_NAMES[part]
        for part in PARTS
        if sum(parts[part] is None for parts in seen) > CUT_OFF_SHARE * len(seen)
    ]
    if cut:
        reasons.append(
            f"The {join_words(cut)} were out of the picture or hidden in most frames: keep the "
            "whole body, shoulders to feet, in view."
        )
        return reasons

    spread, along = [], []
    for frame, parts in zip(with_person, seen, strict=True):
        marks = frame.landmarks
        shoulder, hip, knee = parts["shoulder"], parts["hip"], parts["knee"]
        if shoulder is None or hip is None or knee is None:
            continue
        torso = distance(shoulder, hip)
        if torso == 0:
            continue
        widths = [
            distance(marks[f"left_{joint}"], marks[f"right_{joint}"])
            for joint in ("shoulder", "hip")
            if f"left_{joint}" in marks and f"right_{joint}" in marks
        ]
        if widths:
            spread.append(max(widths) / torso)
        thigh = distance(hip, knee)
        along.append(min(torso, thigh) / max(torso, thigh))
    if spread and statistics.median(spread) > MAX_SIDE_VIEW_SPREAD:
        reasons.append(
            "The clip seems filmed from the front or from behind: the shoulders or the hips "
            "show side by side. Film from the side, level with the hips."
        )
    elif along and statistics.median(along) < MIN_SEGMENT_RATIO:
        reasons.append(
            "The camera seems to look along the body, not at its side: the torso or the thigh "
            "shows foreshortened. Film from the side, level with the hips."
        )
    return reasons


def working_side(frames: Sequence, clip: ClipLandmarks) -> str | None:
    """The planted foot's side: its ankle sits lowest in the picture (y grows down), by at
    least MIN_ANKLE_DROP of the torso's length."""
    drops = []
    for frame in frames:
        marks = frame.landmarks
        shoulder, hip = pair(marks, "shoulder", clip), pair(marks, "hip", clip)
        left, right = marks.get("left_ankle"), marks.get("right_ankle")
        if shoulder is None or hip is None or left is None or right is None:
            continue
        torso = distance(shoulder, hip)
        if torso:
            drops.append((left.y - right.y) / torso)
    if not drops:
        return None
    drop = statistics.median(drops)
    if abs(drop) < MIN_ANKLE_DROP:
        return None
    return "left" if drop > 0 else "right"


def nearer_side(frames: Sequence) -> str | None:
    """Of a rung done on both legs: the leg whose knee and ankle the model saw best, the one
    nearer the camera."""
    seen: dict[str, list[float]] = {"left": [], "right": []}
    for frame in frames:
        for side, visibilities in seen.items():
            knee, ankle = frame.landmarks.get(f"{side}_knee"), frame.landmarks.get(f"{side}_ankle")
            if knee is not None and ankle is not None:
                visibilities.append(knee.visibility + ankle.visibility)
    scores = {side: statistics.fmean(values) for side, values in seen.items() if values}
    return max(scores, key=scores.__getitem__) if scores else None


def distance(a: Landmark, b: Landmark) -> float:
    return math.hypot(a.x - b.x, a.y - b.y)


def join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
