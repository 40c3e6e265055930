"""The drawn clips' truth is what the tests and the benchmarks measure against: check it."""

from __future__ import annotations

import av
import pytest

from tests.videos.rendered_clips import ClipSpec, render_clip


def test_the_truth_follows_the_tempo_and_the_faults_asked_for(tmp_path):
    spec = ClipSpec(
        size=(160, 90),
        fps=24,
        tempo="2-1-1-1",
        reps=4,
        lead_in=0.5,
        bounced=frozenset({2}),
        short_tops=frozenset({3}),
        arched_tops=frozenset({4}),
    )
    clip = render_clip(tmp_path / "clip.mp4", spec)

    assert [rep.number for rep in clip.reps] == [1, 2, 3, 4]
    assert [(rep.lowering, rep.pause, rep.lifting, rep.top_hold) for rep in clip.reps] == [
        (2, 1, 1, 1),
        (2, 0, 1, 1),  # bounced: no pause
        (2, 1, 1, 1),
        (2, 1, 1, 1),
    ]
    assert [rep.start for rep in clip.reps] == [0.5, 5.5, 9.5, 14.5]
    assert [rep.end for rep in clip.reps] == [5.5, 9.5, 14.5, 19.5]
    assert clip.duration == 20.0
    assert clip.frame_count == len(clip.joints) == 480
    clean, bounced, short, arched = clip.reps
    assert clean.top_angle == pytest.approx(180, abs=0.1)
    assert clean.shin_from_vertical == pytest.approx(0, abs=0.1)
    assert bounced.top_angle == pytest.approx(180, abs=0.1)
    assert short.top_angle < 170
    assert short.hip_above_line < -3
    assert arched.top_angle < 170
    assert arched.hip_above_line > 3
    assert (bounced.bounced, short.short_top, arched.arched_top) == (True, True, True)
    # The hips are lowest at the bottom of each rep, highest at its top.
    hip_y = [clip.joints_at(t)["hip"][1] for t in (clean.start, clean.start + 2.5, clean.end)]
    assert hip_y[1] > max(hip_y[0], hip_y[2])  # pixels: y grows downward

    with av.open(str(clip.path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (160, 90)
        assert stream.frames == 480


def test_a_portrait_clip_is_stored_turned_with_a_display_matrix(tmp_path):
    spec = ClipSpec(size=(90, 160), fps=10, tempo="1-0-1-0", reps=1, display_rotation=True)
    clip = render_clip(tmp_path / "portrait.mp4", spec)

    with av.open(str(clip.path)) as container:
        first = next(container.decode(video=0))
    assert (first.width, first.height, first.rotation) == (160, 90, -90)
    # The drawn joints are in the upright picture: the figure lies across its 90 pixels.
    xs = [x for x, _ in clip.joints[0].values()]
    assert min(xs) > 0
    assert max(xs) < 90
    assert clip.working_side == "right"
