"""The pose model on clips drawn in the test (tests/videos/rendered_clips.py): the real
MediaPipe model, loaded from its wheel, against the joints the clip was drawn from."""

from __future__ import annotations

import itertools
import math

import pytest

from tests.videos.rendered_clips import ClipSpec, render_clip
from videos import pose_estimation
from videos.pose_data import LANDMARK_NAMES
from videos.pose_estimation import ANALYSED_RATE, MAX_PIXEL_FRAMES, analysed_rate, landmarks_of_clip

# Ours: how near the drawn joint a landmark must be, as a share of the frame's diagonal, and
# in how many of the frames (BlazePose on a flat drawing misplaces a limb now and then; the
# rules smooth over single frames).
NEAR = 0.04
MOSTLY = 0.9


def _distance(landmark, point) -> float:
    return math.dist((landmark.x, landmark.y), point)


def _check_near_drawn(clip, result) -> None:
    """Every sampled frame has the person with a hip near where it was drawn, and most frames
    a shoulder, a knee and an ankle near theirs. A side view shows the two sides one over the
    other, and the model may call either leg left or right (a clip's rules pick the working
    leg by how it moves, not by its name), so the nearer of the two landmarks is taken."""
    tolerance = NEAR * math.hypot(result.width, result.height)
    assert result.frames
    near = dict.fromkeys(("shoulder", "knee", "ankle"), 0)

    def nearest(points, joint, drawn) -> float:
        return min(_distance(points[f"{side}_{joint}"], drawn[joint]) for side in ("left", "right"))

    for frame in result.frames:
        drawn = clip.joints_at(frame.time)
        assert set(frame.landmarks) == set(LANDMARK_NAMES), frame.time
        assert nearest(frame.landmarks, "hip", drawn) < tolerance, frame.time
        for joint in near:
            near[joint] += nearest(frame.landmarks, joint, drawn) < tolerance
    assert all(count >= MOSTLY * len(result.frames) for count in near.values()), near


def test_a_landscape_clip_gives_the_drawn_joints_in_every_frame(tmp_path):
    spec = ClipSpec(
        size=(640, 360), fps=15, tempo="1-0-1-0", reps=1, lead_in=0.5, facing="left", seed=6
    )
    clip = render_clip(tmp_path / "landscape.mp4", spec)

    result = landmarks_of_clip(clip.path)

    assert (result.width, result.height) == (640, 360)
    assert result.duration == pytest.approx(3.0, abs=0.1)
    assert len(result.frames) == clip.frame_count  # 15 a second: every frame
    assert result.people_seen == 1
    assert result.model.startswith("MediaPipe BlazePose")
    assert result.model_version == "0.10.21"
    _check_near_drawn(clip, result)


def test_a_portrait_clip_is_turned_upright_by_its_display_matrix(tmp_path):
    """Stored as landscape frames with a display matrix, as a phone films upright: the
    landmarks are in the upright picture's pixels, and the small figure is still found."""
    spec = ClipSpec(
        size=(432, 768),
        fps=15,
        tempo="1-0-1-0",
        reps=1,
        lead_in=0.5,
        facing="left",
        display_rotation=True,
        seed=3,
    )
    clip = render_clip(tmp_path / "portrait.mp4", spec)

    result = landmarks_of_clip(clip.path)

    assert (result.width, result.height) == (432, 768)
    assert len(result.frames) == clip.frame_count
    _check_near_drawn(clip, result)


def test_a_clip_with_nobody_in_it_gives_frames_without_landmarks(tmp_path, monkeypatch):
    """And costs the whole frame's look at each frame, the squares' only every
    SEARCH_INTERVAL: an empty clip holds the worker no longer than a filmed set."""
    spec = ClipSpec(size=(480, 270), fps=10, tempo="1-0-1-0", reps=1, lead_in=0.5, person=False)
    clip = render_clip(tmp_path / "empty.mp4", spec)  # 3 s, 30 frames
    looks = []
    real_run = pose_estimation._run
    monkeypatch.setattr(
        pose_estimation, "_run", lambda *args: looks.append(args[2]) or real_run(*args)
    )

    result = landmarks_of_clip(clip.path)

    assert len(result.frames) == 30
    assert all(frame.landmarks == {} for frame in result.frames)
    assert result.people_seen == 0
    whole_frame = (0, -105, 480)  # letterboxed, centred
    assert looks.count(whole_frame) == 30
    squares = len(looks) - 30
    assert squares == 3 * 6  # three squares along the frame, twice a second


def test_a_clip_over_the_budget_is_sampled_more_sparsely_over_its_whole_length(tmp_path):
    spec = ClipSpec(size=(320, 180), fps=10, tempo="2-0-2-0", reps=2, lead_in=1, seed=1)
    clip = render_clip(tmp_path / "long.mp4", spec)  # 10 s, 100 frames
    budget = 320 * 180 * 20  # twenty of its frames

    result = landmarks_of_clip(clip.path, max_pixel_frames=budget)

    assert len(result.frames) == 20
    times = [frame.time for frame in result.frames]
    assert times[0] == 0
    assert times[-1] == pytest.approx(9.5, abs=0.1)  # every half second, to the end
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) == pytest.approx(0.5, abs=0.04)
    assert max(gaps) == pytest.approx(0.5, abs=0.04)


@pytest.mark.parametrize(
    ("width", "height", "seconds", "fps", "rate"),
    [
        (1920, 1080, 30, 30, ANALYSED_RATE),  # the reference clip: the full rate
        (1080, 1920, 30, 60, ANALYSED_RATE),
        (1280, 720, 20, 10, 10),  # never more often than the clip has frames
        (1920, 1080, 60, 30, ANALYSED_RATE / 2),
        (3840, 2160, 30, 30, ANALYSED_RATE / 4),
        (3840, 2160, 60, 60, ANALYSED_RATE / 8),
    ],
)
def test_the_rate_keeps_every_clip_within_the_budget(width, height, seconds, fps, rate):
    assert analysed_rate(width, height, seconds, fps) == pytest.approx(rate)
    assert width * height * seconds * analysed_rate(width, height, seconds, fps) <= (
        MAX_PIXEL_FRAMES * 1.0001
    )
