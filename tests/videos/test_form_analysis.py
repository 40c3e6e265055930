"""The camera's rules on landmark series made from the guide's pose model, at known tempos.

tests/videos/synthetic.py animates coaching/pose.py through reps and knows when every phase
began and ended; these tests hold the rules to that truth.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coaching.pose import Pose, solve
from tests.videos.synthetic import (
    RepPlan,
    RepTruth,
    front_view_clip,
    make_clip,
    plan,
)
from videos.clip_sight import CANNOT_JUDGE, MIN_SEEN_FRAMES
from videos.form_analysis import MIN_REP_RISE, analyse, tempo_miss, unseen_note
from videos.pose_data import ClipLandmarks, FormAnalysis, Landmark, PoseFrame

PHASE_TOLERANCE = 0.25  # seconds: the target for phase times
ANGLE_TOLERANCE = 2.0  # degrees, on noise-free series
PHASES = ("lifting", "top_hold", "lowering", "pause")


def assert_matches_truth(analysis: FormAnalysis, truths: list[RepTruth]) -> None:
    assert not analysis.declined
    assert len(analysis.reps) == len(truths)
    for rep, truth in zip(analysis.reps, truths, strict=True):
        for phase in PHASES:
            expected, measured = getattr(truth, phase), getattr(rep, phase)
            if expected is None:  # the last rep's pause is the rest that ends the set
                assert measured is None, (rep.number, phase)
            else:
                assert measured == pytest.approx(expected, abs=PHASE_TOLERANCE), (
                    rep.number,
                    phase,
                )
        assert rep.start == pytest.approx(truth.lift_start, abs=PHASE_TOLERANCE)
        assert rep.top_angle == pytest.approx(truth.top_angle, abs=ANGLE_TOLERANCE)
        assert rep.shin_from_vertical == pytest.approx(0, abs=ANGLE_TOLERANCE)


def fault_codes(analysis: FormAnalysis) -> list[set[str]]:
    return [{fault.code for fault in rep.faults} for rep in analysis.reps]


@pytest.mark.parametrize(
    ("tempo", "reps", "fps", "mirrored"),
    [
        ("1-0-1-0", 3, 30, False),
        ("1-0-1-0", 12, 60, True),
        ("2-0-1-1", 5, 24, False),
        ("2-0-1-1", 8, 30, True),
        ("3-0-1-1", 6, 60, False),
        ("3-0-1-2", 4, 24, True),
        ("3-1-1-2", 8, 30, False),
        ("3-1-1-2", 3, 60, True),
        ("4-1-2-3", 10, 24, False),
        ("4-1-2-3", 12, 30, True),
        ("2-2-2-0", 7, 30, False),
        ("3-0-1-5", 3, 60, False),
    ],
)
def test_clean_reps_are_counted_and_timed_with_no_flags(tempo, reps, fps, mirrored):
    clip, truths = make_clip(plan(tempo, reps), fps=fps, mirrored=mirrored)
    analysis = analyse(clip, prescribed_tempo=tempo)
    assert_matches_truth(analysis, truths)
    assert fault_codes(analysis) == [set()] * reps
    assert analysis.side == "right"
    assert analysis.prescribed_tempo == tempo
    assert analysis.notes == ()
    assert all(rep.confidence == pytest.approx(0.95) for rep in analysis.reps)


@pytest.mark.parametrize("tempo", ["1-0-1-0", "2-0-1-1", "3-1-1-2", "4-1-2-3"])
def test_sparse_and_uneven_sampling_still_times_the_phases(tempo):
    sparse, truths = make_clip(plan(tempo, 4), fps=8)
    assert_matches_truth(analyse(sparse, prescribed_tempo=tempo), truths)
    uneven, truths = make_clip(plan(tempo, 4), fps=30, jitter=0.4, seed=7)
    assert_matches_truth(analyse(uneven, prescribed_tempo=tempo), truths)


def test_mirrored_left_leg_portrait_reads_the_same_as_right_leg_landscape():
    reps = [*plan("3-1-1-2", 4), RepPlan(1, 1, 3, 1, top_height=46)]
    right, _ = make_clip(reps, fps=30)
    left, _ = make_clip(reps, fps=30, mirrored=True, working="left", size=(720, 1280))
    right_analysis, left_analysis = analyse(right), analyse(left)
    assert (right_analysis.side, left_analysis.side) == ("right", "left")
    assert left_analysis.reps == right_analysis.reps


def test_the_working_leg_is_the_planted_one_either_way_the_person_faces():
    for working in ("left", "right"):
        for mirrored in (False, True):
            clip, _ = make_clip(plan("2-0-1-1", 3), working=working, mirrored=mirrored)
            assert analyse(clip).side == working


@pytest.mark.parametrize(("tempo", "fps"), [("1-0-1-0", 30), ("2-0-1-1", 24), ("3-0-1-1", 60)])
def test_a_bounce_at_the_bottom_is_flagged_on_every_rep_that_bounced(tempo, fps):
    clip, truths = make_clip(plan(tempo, 5, bounce=True), fps=fps)
    analysis = analyse(clip, prescribed_tempo=tempo)
    assert len(analysis.reps) == 5
    # The last rep's lowering ends the set: nothing rebounds from it.
    assert fault_codes(analysis) == [{"bounce"}] * 4 + [set()]
    bounce = analysis.reps[0].faults[0]
    assert bounce.time == pytest.approx(truths[0].lower_end, abs=PHASE_TOLERANCE)
    assert "bounced" in bounce.text


def test_one_bounced_rep_among_clean_ones_is_the_only_flag():
    reps = plan("2-0-1-1", 6)
    reps[2] = dataclasses.replace(reps[2], bounce=True)
    clip, _ = make_clip(reps, fps=30)
    assert fault_codes(analyse(clip, prescribed_tempo="2-0-1-1")) == [
        set(),
        set(),
        {"bounce"},
        set(),
        set(),
        set(),
    ]


def test_frames_too_sparse_to_time_the_turn_judge_no_bounce_and_say_so():
    clip, _ = make_clip(plan("2-0-1-1", 4, bounce=True), fps=8)
    analysis = analyse(clip, prescribed_tempo="2-0-1-1")
    assert fault_codes(analysis) == [set()] * 4
    assert any("bounce" in note for note in analysis.notes)


@pytest.mark.parametrize("fps", [24, 30, 60])
def test_hips_stopping_short_of_the_line_are_flagged(fps):
    clip, truths = make_clip(plan("3-0-1-1", 4, top_height=46), fps=fps)
    analysis = analyse(clip, prescribed_tempo="3-0-1-1")
    assert_matches_truth(analysis, truths)
    assert fault_codes(analysis) == [{"short-top"}] * 4
    assert analysis.reps[0].top_angle == pytest.approx(163, abs=1.5)
    assert "° short of the straight line from shoulders to knee" in analysis.reps[0].faults[0].text


@pytest.mark.parametrize("fps", [24, 30, 60])
def test_hips_rising_past_the_line_with_an_arched_back_are_flagged(fps):
    clip, truths = make_clip(plan("3-0-1-1", 4, top_height=58, lumbar_extension=20), fps=fps)
    analysis = analyse(clip, prescribed_tempo="3-0-1-1")
    assert_matches_truth(analysis, truths)
    assert fault_codes(analysis) == [{"arched-top"}] * 4
    assert analysis.reps[0].top_angle > 190


def test_a_top_near_the_line_is_within_the_tolerance_either_side():
    for height in (50.0, 54.0):  # 174 and 185 degrees
        clip, _ = make_clip(plan("2-0-1-1", 3, top_height=height))
        assert fault_codes(analyse(clip)) == [set()] * 3


def test_a_lowering_quicker_than_prescribed_is_flagged():
    clip, truths = make_clip(plan("1-0-1-1", 4), fps=30)
    analysis = analyse(clip, prescribed_tempo="3-0-1-1")
    assert fault_codes(analysis) == [{"fast-lowering"}] * 4
    rep = analysis.reps[0]
    assert rep.lowering == pytest.approx(truths[0].lowering, abs=PHASE_TOLERANCE)
    fault = rep.faults[0]
    assert fault.text.startswith(f"The hips came down in {rep.lowering:.1f} s; the tempo 3-0-1-1")
    assert truths[0].lower_start < fault.time < truths[0].lower_end


def test_a_long_lowering_may_fall_short_by_a_fifth_before_it_is_flagged():
    # Measured from the hips' first clear movement, a slow lowering reads a few tenths
    # short (the drawn clips: 0.2 to 0.57 s on 3 and 4 s lowerings): a fixed 0.3 s margin
    # told trainees who lowered on time that they came down fast.
    def lowering_of(seconds: float) -> list[RepPlan]:
        return [RepPlan(1.0, 1.0, seconds, 1.0)] * 3

    within, _ = make_clip(lowering_of(3.4), fps=30)
    assert fault_codes(analyse(within, prescribed_tempo="4-0-1-1")) == [set()] * 3
    short, _ = make_clip(lowering_of(3.0), fps=30)
    assert fault_codes(analyse(short, prescribed_tempo="4-0-1-1")) == [{"fast-lowering"}] * 3
    quick, _ = make_clip(lowering_of(0.4), fps=30)  # a short tempo keeps the 0.3 s floor
    assert fault_codes(analyse(quick, prescribed_tempo="1-0-1-1")) == [{"fast-lowering"}] * 3


@pytest.mark.parametrize(
    ("phase", "seconds", "asked", "missed"),
    [
        # Off by more than TEMPO_MISS_MARGIN (0.75 s) or a quarter of the asked time.
        ("lifting", 2.6, 1, "longer"),  # 3-1-3-1 done where 3-0-1-1 is asked
        ("pause", 1.3, 0, "longer"),
        ("lifting", 1.7, 1, None),
        ("lifting", 1.8, 1, "longer"),
        ("lifting", 0.5, 2, "shorter"),
        ("lifting", 1.3, 2, None),
        ("top_hold", 1.65, 1, None),  # the drawn clips' worst reading of a 1 s hold
        ("top_hold", 0.2, 1, "shorter"),
        ("top_hold", 4.9, 4, None),  # a quarter of 4 s is the leeway: 1 s
        ("top_hold", 5.1, 4, "longer"),
        ("top_hold", 3.1, 4, None),
        ("top_hold", 2.9, 4, "shorter"),
        ("pause", 0.3, 0, None),
        ("lowering", 3.7, 3, None),
        ("lowering", 3.8, 3, "longer"),
        # Quicker: exactly when the lowering is flagged fast (the form fault's own rule).
        ("lowering", 2.43, 3, None),
        ("lowering", 2.37, 3, "shorter"),
        ("lowering", 0.75, 1, None),
        ("lowering", 0.65, 1, "shorter"),
        # Not seen: never judged.
        ("lifting", None, 1, None),
        ("pause", None, 0, None),
        ("lowering", None, 3, None),
    ],
)
def test_a_phase_misses_the_tempo_when_it_is_off_by_more_than_the_leeway(
    phase, seconds, asked, missed
):
    assert tempo_miss(phase, seconds, asked) == missed


@pytest.mark.parametrize("asked", [1, 3, 4])
def test_a_lowering_is_quicker_than_the_tempo_exactly_when_it_is_flagged_fast(asked):
    for share in (0.5, 0.7, 0.78, 0.85, 1.0):
        seconds = share * asked
        clip, _ = make_clip([RepPlan(1.0, 1.0, seconds, 1.0)] * 2, fps=30)
        rep = analyse(clip, prescribed_tempo=f"{asked}-1-1-1").reps[0]
        flagged = any(fault.code == "fast-lowering" for fault in rep.faults)
        assert (tempo_miss("lowering", rep.lowering, asked) == "shorter") == flagged, seconds


def test_with_no_tempo_prescribed_the_guides_two_seconds_is_the_floor():
    quick, _ = make_clip(plan("1-0-1-1", 3))
    steady, _ = make_clip(plan("2-0-1-1", 3))
    quick_analysis = analyse(quick)
    assert fault_codes(quick_analysis) == [{"fast-lowering"}] * 3
    assert "the guide asks for at least 2 s" in quick_analysis.reps[0].faults[0].text
    assert fault_codes(analyse(steady)) == [set()] * 3


def test_a_gap_in_a_hold_invents_no_rep_and_lowers_that_reps_confidence():
    clip, truths = make_clip(plan("2-0-1-3", 4), fps=30)
    start = truths[1].lift_end + 1.0
    clip, truths = make_clip(plan("2-0-1-3", 4), fps=30, missing=[(start, start + 0.5)])
    analysis = analyse(clip, prescribed_tempo="2-0-1-3")
    assert_matches_truth(analysis, truths)
    assert fault_codes(analysis) == [set()] * 4
    assert analysis.reps[1].confidence < analysis.reps[0].confidence == 0.95
    assert analysis.notes == (
        f"The person was not seen from {start:.1f} s to {start + 0.5:.1f} s.",
    )


def test_a_gap_over_a_bottom_judges_no_bounce_there_and_times_nothing_it_hid():
    _, truths = make_clip(plan("2-0-1-1", 5, bounce=True))
    bottom = truths[1].lower_end
    clip, _ = make_clip(plan("2-0-1-1", 5, bounce=True), missing=[(bottom - 0.3, bottom + 0.3)])
    analysis = analyse(clip, prescribed_tempo="2-0-1-1")
    assert len(analysis.reps) == 5
    assert fault_codes(analysis) == [{"bounce"}, set(), {"bounce"}, {"bounce"}, set()]
    hidden, after = analysis.reps[1], analysis.reps[2]
    assert (hidden.lowering, hidden.pause, after.lifting) == (None, None, None)
    assert hidden.lifting is not None
    assert hidden.top_hold is not None
    assert hidden.confidence < 0.95
    assert any(
        note.startswith("Rep 2 was not seen in full: its lowering and pause")
        for note in analysis.notes
    )


GAPPED_TEMPOS = ("2-1-2-1", "3-0-1-1", "2-0-1-3")


@settings(max_examples=30)
@given(
    tempo=st.sampled_from(GAPPED_TEMPOS),
    start=st.floats(min_value=0.5, max_value=16.0),
    length=st.sampled_from([0.8, 1.5, 2.5, 3.3]),
)
# Found by exploring (a covered camera, someone walking past) and by a sweep of gaps: each
# timed a phase the gap hid (a 0.1 s lowering, a 4 s top hold, a lift of 6 s) or read a
# fast lowering or a bounce from it.
@example(tempo="2-1-2-1", start=6.2, length=3.3)
@example(tempo="2-1-2-1", start=9.0, length=3.5)
@example(tempo="2-1-2-1", start=3.5, length=3.3)
@example(tempo="2-1-2-1", start=2.5, length=3.3)
@example(tempo="3-0-1-1", start=1.5, length=3.3)
@example(tempo="3-0-1-1", start=6.5, length=3.3)
@example(tempo="2-0-1-3", start=5.0, length=1.5)
@example(tempo="2-0-1-3", start=5.5, length=2.5)
@example(tempo="3-0-1-1", start=13.21875, length=2.5)
def test_a_gap_anywhere_hides_what_it_hides_and_times_or_faults_nothing_it_hid(
    tempo, start, length
):
    """What the camera did not see is said, never guessed: every phase it times is the
    truth's (within the phase tolerance), and a clean set gets no timing fault."""
    clip, truths = make_clip(plan(tempo, 4), missing=[(start, start + length)])
    analysis = analyse(clip, prescribed_tempo=tempo)
    for rep in analysis.reps:
        truth = min(truths, key=lambda candidate: abs(candidate.lift_start - rep.start))
        for phase in PHASES:
            measured, expected = getattr(rep, phase), getattr(truth, phase)
            if measured is not None and expected is not None:
                assert measured == pytest.approx(expected, abs=PHASE_TOLERANCE), (rep, phase)
        assert not {"fast-lowering", "bounce"} & {fault.code for fault in rep.faults}, rep
    for rep, after in itertools.pairwise(analysis.reps):
        assert rep.end <= after.start, (rep, after)  # reps never overlap


def test_a_lift_cut_by_a_long_gap_borrows_no_later_reps_top_or_lowering():
    # Six reps lifted at 1, 6, 11, ... s; the person lost half a second into rep 2's lift and
    # seen again in rep 4's top hold: what follows is rep 4's, not rep 2's.
    clip, truths = make_clip(plan("3-0-1-1", 6), missing=[(6.5, 17.5)])
    analysis = analyse(clip, prescribed_tempo="3-0-1-1")
    starts = [rep.start for rep in analysis.reps]
    expected = [truths[number].lift_start for number in (0, 1, 4, 5)]
    assert starts == pytest.approx(expected, abs=PHASE_TOLERANCE)
    cut = analysis.reps[1]
    assert [getattr(cut, phase) for phase in PHASES] == [None] * 4
    assert (cut.top_angle, cut.faults, cut.clip_ends_at_top) == (None, (), False)
    assert cut.end == pytest.approx(17.5, abs=0.05)  # to where the person was seen again
    for rep, after in itertools.pairwise(analysis.reps):
        assert rep.end <= after.start
    assert unseen_note(2, ["lifting", "top hold", "lowering", "pause"]) in analysis.notes
    assert (
        "The hips came down after the person was seen again at 17.5 s: that lowering is not "
        "timed or judged, since a whole rep may have been done unseen before it."
    ) in analysis.notes


def test_a_lowering_after_a_long_gap_is_not_the_rep_before_its():
    # Lost as rep 2 starts down, seen again in rep 4's top hold: rep 2's lift and top were
    # seen, its lowering not; the lowering seen next is rep 4's.
    clip, truths = make_clip(plan("3-0-1-1", 6), missing=[(8.5, 17.5)])
    analysis = analyse(clip, prescribed_tempo="3-0-1-1")
    assert len(analysis.reps) == 4
    cut = analysis.reps[1]
    assert cut.lifting == pytest.approx(truths[1].lifting, abs=PHASE_TOLERANCE)
    assert cut.top_angle == pytest.approx(truths[1].top_angle, abs=ANGLE_TOLERANCE)
    assert (cut.top_hold, cut.lowering, cut.pause) == (None, None, None)
    assert analysis.reps[2].start == pytest.approx(truths[4].lift_start, abs=PHASE_TOLERANCE)
    for rep, after in itertools.pairwise(analysis.reps):
        assert rep.end <= after.start


def test_a_bridge_on_both_legs_is_read_from_the_leg_nearer_the_camera():
    """The floor glute bridge is done with both feet down: no foot is lifted to say which
    leg works, and none need be; a single-leg rung filmed so is still declined."""
    clip, truths = make_clip(plan("2-0-1-1", 3), both_feet_down=True)
    analysis = analyse(clip, prescribed_tempo="2-0-1-1", both_legs=True)
    assert_matches_truth(analysis, truths)
    assert fault_codes(analysis) == [set()] * 3
    single = analyse(clip, prescribed_tempo="2-0-1-1")
    assert single.declined == (
        "Which leg is working could not be told: both feet stayed down or both were lifted. "
        "Film a single-leg set from the side.",
    )


def test_a_clip_cut_off_during_a_lowering_says_so_and_times_nothing_of_it():
    clip, truths = make_clip(plan("2-0-1-1", 3))
    cut = truths[-1].lower_start + 1.0  # halfway down the last lowering
    shorter = dataclasses.replace(
        clip, frames=tuple(f for f in clip.frames if f.time <= cut), duration=cut
    )
    analysis = analyse(shorter, prescribed_tempo="2-0-1-1")
    last = analysis.reps[-1]
    assert (last.number, last.lowering, last.pause) == (3, None, None)
    assert last.top_hold == pytest.approx(truths[-1].top_hold, abs=PHASE_TOLERANCE)
    assert not last.faults
    assert analysis.notes == (
        "The clip ends while rep 3 is being lowered: its lowering is not timed and no fault "
        "is read from it.",
    )


def test_a_long_gap_is_said_to_possibly_hide_a_rep():
    clip, _ = make_clip(plan("2-0-1-1", 5), missing=[(6.5, 8.0)])
    analysis = analyse(clip)
    assert analysis.notes[0] == (
        "The person was not seen from 6.5 s to 8.0 s; a rep done entirely then is not counted."
    )
    # Said as data too, for the set logged from the video: its count is a lower bound.
    assert analysis.long_gaps == ((6.47, 8.03),)


def test_a_clip_starting_with_the_hips_up_counts_and_judges_nothing_of_that_lowering():
    clip, truths = make_clip(plan("3-1-1-2", 5))
    start = truths[0].lift_end + 0.5
    later = dataclasses.replace(clip, frames=tuple(f for f in clip.frames if f.time >= start))
    analysis = analyse(later, prescribed_tempo="3-1-1-2")
    assert len(analysis.reps) == 4
    assert analysis.reps[0].start == pytest.approx(truths[1].lift_start, abs=PHASE_TOLERANCE)
    assert (
        "The clip starts with the hips already up: the lowering that follows is not counted, "
        "timed or judged, since the lift before it was not filmed." in analysis.notes
    )


def test_a_clip_ending_at_the_top_says_so_and_times_that_hold_only_as_at_least_so_long():
    clip, truths = make_clip(plan("2-0-1-1", 4))
    end = truths[-1].lift_end + 0.3
    cut = dataclasses.replace(clip, frames=tuple(f for f in clip.frames if f.time <= end))
    analysis = analyse(cut, prescribed_tempo="2-0-1-1")
    last = analysis.reps[-1]
    # The hold's lower bound is no measured hold: top_hold, which the tempo is read from,
    # stays None.
    assert (len(analysis.reps), last.lowering, last.top_hold) == (4, None, None)
    assert last.top_hold_at_least == pytest.approx(0.3, abs=PHASE_TOLERANCE)
    assert last.lifting is not None
    assert (
        "The clip ends before rep 4 is lowered: its top hold lasted at least "
        f"{last.top_hold_at_least:.1f} s, to the clip's end, and its lowering is not timed."
    ) in analysis.notes
    assert not [note for note in analysis.notes if "not seen in full" in note]
    assert all(rep.top_hold_at_least is None for rep in analysis.reps[:-1])


def test_a_top_held_into_a_gap_at_the_clips_end_is_not_said_to_last_to_the_clips_end():
    clip, truths = make_clip(plan("2-0-1-1", 3))
    end = truths[-1].lower_start - 0.2
    gone = dataclasses.replace(
        clip,
        frames=tuple(f if f.time <= end - 1.0 else dataclasses.replace(f, landmarks={})
                     for f in clip.frames if f.time <= end),
    )  # fmt: skip
    last = analyse(gone, prescribed_tempo="2-0-1-1").reps[-1]
    assert (last.top_hold, last.top_hold_at_least) == (None, None)


@pytest.mark.parametrize(
    ("phases", "said"),
    [
        (["lifting"], "its lifting is not timed and no fault is read from it"),
        (
            ["lowering", "pause"],
            "its lowering and pause are not timed and no fault is read from them",
        ),
    ],
)
def test_the_note_on_a_rep_not_seen_in_full_agrees_with_its_phases(phases, said):
    assert unseen_note(2, phases) == f"Rep 2 was not seen in full: {said}."


def hip_heights(clip: ClipLandmarks) -> list[float]:
    """The hips' height above the shoulders in each frame, a share of the torso's length."""
    return [
        (shoulder.y - hip.y) / math.dist((shoulder.x, shoulder.y), (hip.x, hip.y))
        for frame in clip.frames
        if frame.landmarks
        for shoulder, hip in [(frame.landmarks["right_shoulder"], frame.landmarks["right_hip"])]
    ]


def test_small_wobbles_are_no_reps():
    # Hips rising from 15 to about 27 cm: less than a rep's rise, though more than half of it.
    clip, _ = make_clip(plan("2-0-1-1", 4, top_height=27.0))
    heights = hip_heights(clip)
    assert 0.5 * MIN_REP_RISE < max(heights) - min(heights) < MIN_REP_RISE
    analysis = analyse(clip)
    assert analysis.reps == ()
    assert analysis.notes[-1].startswith("No rep was found")


def test_jittery_landmarks_still_give_the_count_and_the_phases():
    for seed in range(3):
        clip, truths = make_clip(plan("3-1-1-2", 6), fps=30, noise=0.5, seed=seed)
        analysis = analyse(clip, prescribed_tempo="3-1-1-2")
        assert len(analysis.reps) == 6
        for rep, truth in zip(analysis.reps, truths, strict=True):
            assert rep.lowering == pytest.approx(truth.lowering, abs=PHASE_TOLERANCE)
            assert rep.top_hold == pytest.approx(truth.top_hold, abs=PHASE_TOLERANCE)
            assert rep.top_angle == pytest.approx(180, abs=3)
        assert fault_codes(analysis) == [set()] * 6


# Declining.


def declined(analysis: FormAnalysis) -> str:
    assert analysis.side is None
    assert analysis.reps == ()
    assert analysis.cannot_judge == CANNOT_JUDGE
    return " ".join(analysis.declined)


def test_a_clip_filmed_from_the_front_is_declined_with_the_reason():
    reasons = declined(analyse(front_view_clip()))
    assert "filmed from the front or from behind" in reasons


def test_two_people_in_view_are_declined():
    clip, _ = make_clip(plan("2-0-1-1", 3), people=2)
    assert "More than one person was in view" in declined(analyse(clip))


def test_low_landmark_confidence_is_declined():
    clip, _ = make_clip(plan("2-0-1-1", 3), visibility=0.55)
    assert "mean confidence 55%" in declined(analyse(clip))


def test_landmarks_too_unsure_to_count_as_seen_are_declined_as_unsure_not_as_cut_off():
    clip, _ = make_clip(plan("2-0-1-1", 3), visibility=0.3)
    reasons = declined(analyse(clip))
    assert "mean confidence 30%" in reasons
    assert "out of the picture" not in reasons


def test_a_person_found_in_too_few_frames_is_declined():
    clip, _ = make_clip(plan("2-0-1-1", 3), missing=[(0.0, 10.0)])
    assert "The person was found in only" in declined(analyse(clip))


def test_a_clip_of_a_few_frames_is_declined_as_too_short_not_as_the_person_unseen():
    clip, _ = make_clip(plan("2-0-1-1", 3))
    few = dataclasses.replace(clip, frames=clip.frames[:: len(clip.frames) // 2][:2])
    reasons = declined(analyse(few))
    assert reasons.startswith(
        f"Only 2 frames were read: too few to find reps in (at least {MIN_SEEN_FRAMES})."
    )
    assert "out of the picture" not in reasons


def test_a_person_cut_off_by_the_frame_is_declined():
    clip, _ = make_clip(plan("2-0-1-1", 3), size=(1280, 720))

    def shifted(frame: PoseFrame) -> PoseFrame:
        moved = {
            name: Landmark(mark.x + 500, mark.y, mark.visibility)
            for name, mark in frame.landmarks.items()
        }
        return PoseFrame(frame.time, moved)

    clip = dataclasses.replace(clip, frames=tuple(shifted(f) for f in clip.frames))
    assert "The feet were out of the picture or hidden" in declined(analyse(clip))


def test_a_working_knee_hidden_in_most_frames_is_declined():
    clip, _ = make_clip(plan("2-0-1-1", 3), working="left")
    hidden = tuple(
        PoseFrame(
            frame.time,
            {
                name: Landmark(mark.x, mark.y, 0.2 if name == "left_knee" else mark.visibility)
                for name, mark in frame.landmarks.items()
            },
        )
        for frame in clip.frames
    )
    reasons = declined(analyse(dataclasses.replace(clip, frames=hidden)))
    assert reasons.startswith("The working left leg's knee or ankle was hidden")


def test_both_feet_down_leaves_the_working_leg_unknown_and_is_declined():
    clip, _ = make_clip(plan("2-0-1-1", 3))
    # Lay the free leg's landmarks onto the working one's, as with both feet on the floor.
    both = tuple(
        PoseFrame(
            frame.time,
            {
                **frame.landmarks,
                **{
                    name.replace("right_", "left_"): mark
                    for name, mark in frame.landmarks.items()
                    if name.startswith("right_") and "shoulder" not in name and "hip" not in name
                },
            },
        )
        for frame in clip.frames
    )
    reasons = declined(analyse(dataclasses.replace(clip, frames=both)))
    assert "Which leg is working could not be told" in reasons


def test_what_a_side_view_cannot_see_is_always_said():
    clip, _ = make_clip(plan("2-0-1-1", 3))
    analysis = analyse(clip)
    assert analysis.cannot_judge == CANNOT_JUDGE
    assert any("knee caves in" in text for text in CANNOT_JUDGE)
    assert any("tilt" in text for text in CANNOT_JUDGE)
    stored = analysis.as_json()
    assert stored["reps"][0]["faults"] == ()
    assert stored["model"] == "synthetic"


def test_an_empty_clip_is_declined():
    frames = tuple(PoseFrame(second / 6) for second in range(12))
    clip = ClipLandmarks(1280, 720, 2.0, frames, "m", "1")
    assert "not found in any of the 12 frames" in declined(analyse(clip))


def test_the_synthetic_top_is_the_pose_models_straight_line():
    # The truth the tests hold the rules to: the default top is 180 degrees, shin vertical.
    top = solve(Pose())
    assert top.hip_angle == pytest.approx(180, abs=0.01)
    assert top.shin_angle_from_vertical == pytest.approx(0, abs=0.01)


# Properties over tempos.


@settings(max_examples=25)
@given(
    lowering=st.integers(1, 4),
    pause=st.integers(0, 2),
    lifting=st.integers(1, 3),
    hold=st.integers(0, 3),
    reps=st.integers(3, 12),
    fps=st.sampled_from([24, 30, 60]),
    mirrored=st.booleans(),
)
def test_any_tempo_gives_the_rep_count_and_its_phases(
    lowering, pause, lifting, hold, reps, fps, mirrored
):
    tempo = f"{lowering}-{pause}-{lifting}-{hold}"
    clip, truths = make_clip(plan(tempo, reps), fps=fps, mirrored=mirrored)
    analysis = analyse(clip, prescribed_tempo=tempo)
    assert_matches_truth(analysis, truths)
    assert fault_codes(analysis) == [set()] * reps


@settings(max_examples=20)
@given(
    lowering=st.floats(0.8, 4.0),
    lifting=st.floats(0.6, 2.0),
    hold=st.floats(0.0, 2.0),
    pause=st.floats(0.0, 1.5),
    reps=st.integers(3, 8),
    fps=st.sampled_from([8, 15, 24, 30]),
)
# A quick lift into a slow lowering at 8 fps: smoothing once dragged the lift into the lowering.
@example(lowering=3.0, lifting=0.625, hold=0.0, pause=0.0, reps=3, fps=8)
# A turn at the top with no hold at 8 fps: a median once flattened the top by 4 degrees.
@example(lowering=1.0, lifting=1.0, hold=0.0, pause=0.0, reps=3, fps=8)
def test_any_timing_of_the_phases_is_measured_within_a_quarter_second(
    lowering, lifting, hold, pause, reps, fps
):
    clip, truths = make_clip([RepPlan(lifting, hold, lowering, pause)] * reps, fps=fps)
    assert_matches_truth(analyse(clip), truths)


@settings(max_examples=15)
@given(
    lowering=st.floats(1.0, 4.0),
    lifting=st.floats(0.8, 2.0),
    hold=st.floats(0.0, 2.0),
    reps=st.integers(3, 6),
    fps=st.sampled_from([24, 30, 60]),
    mirrored=st.booleans(),
)
def test_a_bounce_is_told_from_a_controlled_turn_at_any_timing(
    lowering, lifting, hold, reps, fps, mirrored
):
    bounced = [RepPlan(lifting, hold, lowering, 0.0, bounce=True)] * reps
    controlled = [RepPlan(lifting, hold, lowering, 0.0)] * reps
    for rep_plans, expected in ((bounced, {"bounce"}), (controlled, set())):
        clip, _ = make_clip(rep_plans, fps=fps, mirrored=mirrored)
        codes = fault_codes(analyse(clip))
        assert [code - {"fast-lowering"} for code in codes] == [expected] * (reps - 1) + [set()]


# Shapes seen from the real pose model on drawn clips (bench/form_analysis.py).


def with_landmarks(clip: ClipLandmarks, change) -> ClipLandmarks:
    """The clip with each frame's landmarks passed through `change(time, landmarks)`."""
    frames = tuple(
        PoseFrame(frame.time, change(frame.time, dict(frame.landmarks)))
        if frame.landmarks
        else frame
        for frame in clip.frames
    )
    return dataclasses.replace(clip, frames=frames)


def test_the_working_leg_named_either_way_frame_by_frame_reads_the_same():
    # Seen from the side, the model swaps the legs' names from one frame to the next.
    clip, truths = make_clip(plan("2-1-1-1", 4), fps=30)

    def swapped(time: float, marks: dict) -> dict:
        if round(time * 30) % 3:
            return marks
        for joint in ("knee", "ankle", "heel", "foot_index"):
            marks[f"left_{joint}"], marks[f"right_{joint}"] = (
                marks[f"right_{joint}"],
                marks[f"left_{joint}"],
            )
        return marks

    analysis = analyse(with_landmarks(clip, swapped), prescribed_tempo="2-1-1-1")
    assert_matches_truth(analysis, truths)
    assert fault_codes(analysis) == [set()] * 4


def test_a_working_knee_drawn_toward_the_free_knee_low_in_the_rep_times_the_phases():
    # As the knees come close in the lower half of a rep, the model places the working knee
    # between the two: the hip angle then stalls halfway down, the hips' height does not.
    clip, truths = make_clip(plan("3-0-1-1", 4), fps=30)

    def pulled(time: float, marks: dict) -> dict:
        knee, free = marks["right_knee"], marks["left_knee"]
        share = 0.6 if marks["right_hip"].y > marks["right_shoulder"].y + 20 else 0.0
        marks["right_knee"] = Landmark(
            knee.x + share * (free.x - knee.x), knee.y + share * (free.y - knee.y), 0.95
        )
        return marks

    analysis = analyse(with_landmarks(clip, pulled), prescribed_tempo="3-0-1-1")
    assert_matches_truth(analysis, truths)
    assert fault_codes(analysis) == [set()] * 4


def on_the_pipeline_grid(clip: ClipLandmarks, rate: float = 15.0) -> ClipLandmarks:
    """The frames the pose pipeline reads at `rate` a second: the first at or after each
    multiple of 1/rate, so a 24 fps clip's come 1/24 or 1/12 s apart."""
    kept, next_time = [], 0.0
    for frame in clip.frames:
        if frame.time + 1e-6 >= next_time:
            kept.append(frame)
            next_time = (math.floor(frame.time * rate + 1e-6) + 1) / rate
    return dataclasses.replace(clip, frames=tuple(kept))


@pytest.mark.parametrize("fps", [24, 30, 60])
def test_a_bounce_is_judged_on_the_frames_the_pipeline_reads(fps):
    reps = plan("2-0-1-1", 4)
    reps[1] = dataclasses.replace(reps[1], bounce=True)
    clip, _ = make_clip(reps, fps=fps)
    analysis = analyse(on_the_pipeline_grid(clip), prescribed_tempo="2-0-1-1")
    assert fault_codes(analysis) == [set(), {"bounce"}, set(), set()]
    assert not any("too far apart" in note for note in analysis.notes)


def test_skipping_the_prescribed_pause_at_the_bottom_is_a_bounce():
    reps = plan("2-1-1-1", 4)
    reps[2] = dataclasses.replace(reps[2], pause=0.0)
    clip, _ = make_clip(reps, fps=30)
    analysis = analyse(clip, prescribed_tempo="2-1-1-1")
    assert fault_codes(analysis) == [set(), set(), {"bounce"}, set()]
    assert "as the tempo 2-1-1-1 asks" in analysis.reps[2].faults[0].text
    # With no pause prescribed, the same gentle turn is no fault.
    clean, _ = make_clip(plan("2-0-1-1", 4), fps=30)
    assert fault_codes(analyse(clean, prescribed_tempo="2-0-1-1")) == [set()] * 4


def test_a_clip_ending_with_the_hips_held_up_reads_that_top_as_a_hold():
    clip, truths = make_clip(plan("2-1-1-2", 3), fps=30)
    # Cut where the last lowering would begin, with a little of the hold after it.
    end = truths[-1].lower_start - 0.5
    held = dataclasses.replace(clip, frames=tuple(f for f in clip.frames if f.time <= end))
    last = analyse(held, prescribed_tempo="2-1-1-2").reps[-1]
    assert last.lowering is None
    assert last.top_hold_at_least == pytest.approx(1.5, abs=PHASE_TOLERANCE)
    assert last.top_angle == pytest.approx(truths[-1].top_angle, abs=ANGLE_TOLERANCE)
