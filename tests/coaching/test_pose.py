"""The pose model's numbers: what the guide claims must hold in the solved geometry."""

from __future__ import annotations

import math

import pytest

from coaching.figures import BENCH, BRIDGE, ELEVATED, phase_hip_heights
from coaching.pose import Body, Pose, PoseError, Setup, front_leg, solve

TOP = Pose()


@pytest.mark.parametrize("setup", [BENCH, BRIDGE, ELEVATED, Setup(bench_height=38)])
def test_at_the_top_the_shin_is_vertical_and_the_body_is_one_line(setup):
    top = solve(TOP, setup)
    assert top.shin_angle_from_vertical <= 3
    assert top.line_deviation <= 5
    assert top.knee_over_ankle <= 2


def test_at_the_top_the_upper_back_touches_the_bench_edge():
    top = solve(TOP, BENCH)
    assert abs(top.scapula_gap) < 0.01
    assert top.shoulder[0] < top.bench_edge[0] < top.hip[0]


def test_the_knee_is_bent_about_a_right_angle_at_the_top():
    assert 80 <= solve(TOP, BENCH).knee_angle <= 100


@pytest.mark.parametrize("setup", [BENCH, BRIDGE, ELEVATED])
def test_hips_rise_through_the_phases_of_a_rep(setup):
    heights = phase_hip_heights(setup)
    hips = [solve(Pose(hip_height=heights[name]), setup).hip[1] for name in ("bottom", "mid-drive")]
    hips.append(solve(TOP, setup).hip[1])
    assert hips == sorted(hips)
    assert hips[0] < hips[-1] - 10


@pytest.mark.parametrize("load", ["none", "dumbbell"])
@pytest.mark.parametrize("hip_height", [14.0, 20.0, 30.0, 45.0])
def test_every_pose_keeps_the_foot_where_the_top_placed_it_and_the_segments_whole(hip_height, load):
    body = Body()
    top = solve(TOP, BENCH)
    pose = solve(Pose(hip_height=hip_height, load=load), BENCH)
    assert math.dist(pose.shoulder, pose.elbow) == pytest.approx(body.upper_arm)
    assert math.dist(pose.elbow, pose.hand) == pytest.approx(body.forearm)
    assert pose.ankle == top.ankle
    assert math.dist(pose.hip, pose.knee) == pytest.approx(body.thigh)
    assert math.dist(pose.knee, pose.ankle) == pytest.approx(body.shin)
    assert math.dist(pose.shoulder, pose.waist) == pytest.approx(body.thorax)
    assert pose.hip[1] == pytest.approx(hip_height, abs=0.01)
    assert abs(pose.scapula_gap) < 0.01


def test_the_hips_are_lower_at_the_bottom_and_the_hip_is_bent_there():
    bottom = solve(Pose(hip_height=phase_hip_heights(BENCH)["bottom"]), BENCH)
    top = solve(TOP, BENCH)
    assert bottom.hip[1] < top.hip[1]
    assert bottom.hip_angle < 120 < top.hip_angle


def test_a_raised_foot_stands_higher_and_bends_the_hip_further_at_the_bottom():
    raised = solve(Pose(hip_height=20), ELEVATED)
    flat = solve(Pose(hip_height=20), BENCH)
    assert raised.heel[1] == ELEVATED.support_height > 0
    assert raised.ankle[1] > flat.ankle[1]
    assert raised.hip_angle < flat.hip_angle


def test_the_floor_bridge_keeps_the_shoulders_on_the_floor():
    for hip_height in (None, 20.0):
        bridge = solve(Pose(hip_height=hip_height, both_feet_down=True), BRIDGE)
        assert bridge.shoulder[1] == Body().back_radius
        assert bridge.head[1] == Body().head_radius


def test_the_non_working_leg_stays_off_the_floor():
    for hip_height in (None, 20.0, 30.0):
        for free_leg in ("bent", "straight"):
            pose = solve(Pose(hip_height=hip_height, free_leg=free_leg), BENCH)
            lowest = min(pose.free_knee[1], pose.free_ankle[1], pose.free_toe[1])
            assert lowest > 0, (hip_height, free_leg)


def test_the_bent_free_leg_is_bent_about_ninety_degrees():
    pose = solve(TOP, BENCH)
    from coaching.pose import _angle_at

    assert _angle_at(pose.free_knee, pose.hip, pose.free_ankle) == pytest.approx(90, abs=1)


def test_both_feet_down_puts_the_second_leg_on_the_working_one():
    pose = solve(Pose(both_feet_down=True), BENCH)
    assert (pose.free_knee, pose.free_ankle) == (pose.knee, pose.ankle)


def test_an_arched_back_lifts_the_hips_above_the_line():
    arched = solve(Pose(lumbar_extension=18), BENCH)
    assert arched.hip_above_line > 4
    assert arched.line_deviation > 10
    assert solve(TOP, BENCH).hip_above_line == pytest.approx(0, abs=0.1)


def test_pushing_through_the_toes_lifts_the_heel_off_the_floor():
    toes = solve(Pose(heel_lift=22), BENCH)
    assert toes.heel[1] > 4
    assert toes.toe[1] == 0


def test_a_loaded_pose_rests_the_weight_on_the_hips_and_the_hands_on_the_weight():
    loaded = solve(Pose(load="dumbbell"), BENCH)
    assert loaded.load_centre[1] > loaded.hip[1]
    assert math.dist(loaded.load_centre, loaded.hip) < 25
    assert math.dist(loaded.hand, loaded.load_centre) < 10


def test_the_knee_that_caves_in_leaves_the_hip_ankle_line_and_the_fix_is_on_it():
    assert front_leg(valgus=14).knee_offset_from_line > 8
    assert front_leg(valgus=0).knee_offset_from_line == pytest.approx(0, abs=0.01)


def test_an_unreachable_pose_is_refused():
    with pytest.raises(PoseError):
        solve(Pose(hip_height=500), BENCH)


def test_with_the_hips_above_the_shoulders_the_back_rests_on_the_bench_top_not_through_it():
    raised = solve(TOP, ELEVATED)
    assert raised.hip[1] > raised.shoulder[1]
    assert raised.shoulder[1] - Body().back_radius == pytest.approx(ELEVATED.bench_height)
    assert raised.scapula_gap > 0


def test_a_band_sits_on_both_thighs_just_above_the_knees():
    banded = solve(Pose(band=True, free_leg="straight"), BENCH)
    near, far = banded.band
    assert math.dist(near, banded.knee) == pytest.approx(7.0)
    assert math.dist(far, banded.free_knee) == pytest.approx(7.0)
    assert "band" in banded.joints()
    assert "band" not in solve(TOP, BENCH).joints()
