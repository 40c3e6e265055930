"""The athlete sees which sets were filmed and the coach's comments they have not opened,
on the session page and on Today, in a number of queries that does not grow with them."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from training.models import Set
from videos.models import SetVideo, VideoAnalysis, VideoComment

pytestmark = pytest.mark.django_db


def _video(a_set: Set, **fields) -> SetVideo:
    return SetVideo.objects.create(
        owner=a_set.session.user,
        session=a_set.session,
        set=a_set,
        original=f"videos/{a_set.pk}.mp4",
        **{"status": "ready", **fields},
    )


def _comment(clip: SetVideo, author, text: str = "Knees out.") -> VideoComment:
    return VideoComment.objects.create(video=clip, author=author, at_seconds=Decimal(1), text=text)


def _sets(session, count: int) -> list[Set]:
    return [
        Set.objects.create(session=session, position=p, side="left" if p % 2 else "right", reps=8)
        for p in range(1, count + 1)
    ]


def test_a_filmed_set_is_marked_with_a_link_to_its_video_and_others_are_not(
    athlete_client, session
):
    filmed, _unfilmed = _sets(session, 2)
    clip = _video(filmed)
    page = athlete_client.get(session.get_absolute_url()).content.decode()
    rows = page.split('class="set-row ')[1:]
    assert 'class="mark mark--video"' in rows[0]
    assert f'href="{clip.get_absolute_url()}"' in rows[0]
    assert 'Video<span class="visually-hidden"> of set 1 on the left: watch it</span>' in rows[0]
    assert "mark--video" not in rows[1]
    assert "new comment" not in page


def _analysed(clip: SetVideo, status: str, **result) -> SetVideo:
    VideoAnalysis.objects.create(video=clip, status=status, result=result, failure="It broke.")
    return clip


def test_each_filmed_set_says_how_the_camera_read_its_newest_video(
    athlete_client, session, django_assert_max_num_queries
):
    sets = _sets(session, 7)
    rep = {"number": 1, "lowering": 2.0}
    declined = "The person was not found in any of the 45 frames read (too dark, too far?)."
    _analysed(_video(sets[0], duration_seconds=20), "done", reps=[rep] * 5)
    _analysed(_video(sets[1], duration_seconds=20), "declined", declined=[declined, "More."])
    _analysed(_video(sets[2], duration_seconds=0.5), "declined", declined=["Only 7 frames."])
    _analysed(_video(sets[3], duration_seconds=20), "waiting")
    _analysed(_video(sets[4], duration_seconds=20), "failed")
    _video(sets[5], status="processing")
    _analysed(_video(sets[6], duration_seconds=20), "done", reps=[])
    with django_assert_max_num_queries(20):
        page = athlete_client.get(session.get_absolute_url()).content.decode()
    rows = page.split('class="set-row ')[1:]
    said = [re.search(r'<span class="set-row__said">([^<]*)</span>', row) for row in rows]
    assert [html.unescape(found.group(1)) for found in said] == [
        "5 reps read",
        "could not judge: the person was not found in any of the 45 frames read",
        "could not judge: too short (0.5 s)",
        "being read",
        "the camera could not read it",
        "processing",
        "no rep found",
    ]


def test_unread_coach_comments_show_on_the_set_until_the_athlete_opens_the_video(
    athlete_client, session, linked_coach
):
    (filmed,) = _sets(session, 1)
    clip = _video(filmed)
    _comment(clip, linked_coach)
    _comment(clip, linked_coach, "Slower on the way down.")
    page = athlete_client.get(session.get_absolute_url()).content.decode()
    assert f'href="{clip.get_absolute_url()}#comments"' in page
    assert "2 new comments" in page

    assert athlete_client.get(clip.get_absolute_url()).status_code == 200  # read them
    page = athlete_client.get(session.get_absolute_url()).content.decode()
    assert "new comment" not in page
    assert "mark--video" in page  # still filmed


def test_today_lists_the_videos_with_unread_comments_and_leads_to_them(
    athlete_client, session, linked_coach
):
    first, second = _sets(session, 2)
    read, unread = _video(first), _video(second)
    _comment(read, linked_coach)
    athlete_client.get(read.get_absolute_url())
    _comment(unread, linked_coach)
    page = athlete_client.get(reverse("training:log")).content.decode()
    assert "New comments from your coach" in page
    assert f'href="{unread.get_absolute_url()}#comments"' in page
    assert f'href="{read.get_absolute_url()}#comments"' not in page
    assert "1 new comment</a>" in page
    assert "on the video of set 1 on the right (8 reps)" in page


def test_today_says_nothing_about_comments_when_all_are_read(athlete_client, session):
    _video(_sets(session, 1)[0])
    page = athlete_client.get(reverse("training:log")).content.decode()
    assert "New comments from your coach" not in page


def test_the_marks_cost_no_query_per_set(
    athlete_client, session, linked_coach, django_assert_max_num_queries
):
    (one,) = _sets(session, 1)
    _comment(_video(one), linked_coach)
    with CaptureQueriesContext(connection) as few:
        athlete_client.get(session.get_absolute_url())
    for position in range(2, 14):
        a_set = Set.objects.create(session=session, position=position, side="left", reps=8)
        for _ in range(2):
            _comment(_video(a_set), linked_coach)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = athlete_client.get(session.get_absolute_url()).content.decode()
    assert page.count('class="mark mark--video"') == 13
    # Counted over all of a set's videos: two clips with one comment each.
    assert page.count("2 new comments<") == 12


def test_today_costs_one_query_for_any_number_of_commented_videos(
    athlete_client, session, linked_coach, django_assert_max_num_queries
):
    (one,) = _sets(session, 1)
    _comment(_video(one), linked_coach)
    with CaptureQueriesContext(connection) as few:
        athlete_client.get(reverse("training:log"))
    for _ in range(8):
        _comment(_video(one), linked_coach)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = athlete_client.get(reverse("training:log")).content.decode()
    assert page.count("new comment") == 5  # the newest five
