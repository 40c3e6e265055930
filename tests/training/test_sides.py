"""The rules about sides, each written once (training/sides.py), and the set numbering on a
side, counted in Python and in SQL by the same rule."""

from __future__ import annotations

import pytest

from coaching import legs
from training import sides
from training.models import Set
from training.progression import side_numbers
from videos.models import SetVideo, VideoComment, VideoStatus


@pytest.mark.parametrize(
    ("one_side_at_a_time", "worked", "recordable"),
    [
        (True, ("left", "right"), {"left", "right", "unknown"}),
        (False, ("both",), {"both"}),
    ],
)
def test_the_sides_of_a_variation(one_side_at_a_time, worked, recordable):
    assert sides.worked(one_side_at_a_time) == worked
    assert sides.recordable(one_side_at_a_time) == recordable


@pytest.mark.parametrize(
    ("side", "other"), [("left", "right"), ("right", "left"), ("both", None), ("unknown", None)]
)
def test_the_mirror_of_a_side(side, other):
    assert sides.mirror(side) == other


@pytest.mark.parametrize(
    ("order", "count", "expected"),
    [
        ("left-right", 3, ["left", "right", "left"]),
        ("right-left", 4, ["right", "left", "right", "left"]),
        ("alternating", 2, ["left", "right"]),
        ("left", 2, ["left", "left"]),
        ("right", 1, ["right"]),
        ("both", 2, ["both", "both"]),
        ("left-right", 0, []),
    ],
)
def test_sets_in_an_order_of_legs(order, count, expected):
    assert sides.in_order(order, count) == expected


@pytest.mark.parametrize(
    ("left", "right", "order", "leg"),
    [
        (1, 0, "right-left", "right"),
        (1, 2, "left-right", "left"),
        (2, 2, None, "left"),
        (2, 2, "right-left", "right"),
        (1, 1, "alternating", "left"),
    ],
)
def test_the_next_leg_is_the_one_behind_else_the_first_of_the_coachs_order(left, right, order, leg):
    assert sides.next_leg(left, right, order) == leg


@pytest.mark.parametrize(
    ("order", "one_side_at_a_time", "fits", "as_done"),
    [
        ("left-right", True, True, "left-right"),
        ("alternating", True, True, "alternating"),
        ("both", True, False, "both"),
        ("left-right", False, False, "both"),
        ("both", False, True, "both"),
    ],
)
def test_an_order_of_legs_on_a_variation(order, one_side_at_a_time, fits, as_done):
    assert legs.order_fits(order, one_side_at_a_time) is fits
    if order != "both":
        assert sides.plan_order(order, one_side_at_a_time) == as_done


@pytest.mark.django_db
def test_a_sets_number_on_its_side_is_the_same_in_python_and_in_sql(session, user):
    order = ["left", "right", "unknown", "left", "unknown", "right", "left"]
    made = Set.objects.bulk_create(
        Set(session=session, position=number, side=side, reps=5)
        for number, side in enumerate(order, start=1)
    )
    expected = side_numbers(order)
    assert expected == [1, 1, 1, 2, 2, 2, 3]
    assert [Set.objects.get(pk=done.pk).side_number for done in made] == expected
    for done in made:
        SetVideo.objects.create(
            owner=user,
            session=session,
            set=done,
            original=f"videos/{done.pk}.mp4",
            original_type="video/mp4",
            status=VideoStatus.READY,
        )
    other = type(user).objects.create_user("coach9", "c9@example.com", "x")
    for clip in SetVideo.objects.all():
        VideoComment.objects.create(video=clip, author=other, at_seconds=0, text="Hips higher.")
    unread = SetVideo.objects.with_unread_comments(user)
    numbers = {clip.set_id: clip.set_side_number for clip in unread}
    assert [numbers[done.pk] for done in made] == expected
