"""Deleting a session has no undo (its videos' files and its coach's notes could not come
back): its confirm says exactly what goes with it, and the message names its day as every
page does ("8 Dec 2026")."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse

from coaches.models import CoachNote
from training.models import Set, TrainingSession
from videos.models import SetVideo

pytestmark = pytest.mark.django_db


def _edit_page(client, session) -> str:
    page = client.get(reverse("training:session-edit", args=[session.pk])).content.decode()
    return " ".join(html.unescape(page).split())


def _sets(session, *sides: str) -> list[Set]:
    return [
        Set.objects.create(session=session, position=n, side=side, reps=10)
        for n, side in enumerate(sides, start=1)
    ]


def test_the_confirm_counts_the_sets_per_side_the_videos_and_the_coachs_notes(
    user_client, user, session, linked_coach, media_root
):
    sets = _sets(session, "left", "right", "left", "unknown", "right", "left")
    for n in range(2):
        SetVideo.objects.create(
            owner=user, session=session, set=sets[n], original=f"videos/x/{n}.mp4", size=1
        )
    CoachNote.objects.create(coach=linked_coach, athlete=user, session=session, text="Good")

    page = _edit_page(user_client, session)

    takes = "6 sets (3 on the left, 2 on the right, 1 of unknown side), 2 videos and 1 coach's note"
    day = f"{session.date.day} {session.date:%b %Y}"
    confirm = f"Delete the session of {day} with its {takes}? None of it can be undone."
    assert f'hx-confirm="{confirm}"' in page
    assert f"Deleting the session deletes for good its {takes}: unlike a set's deletion" in page


def test_the_confirm_of_a_session_on_one_side_or_empty_says_so(user_client, user, session):
    _sets(session, "left", "left")
    day = f"{session.date.day} {session.date:%b %Y}"
    assert f"Delete the session of {day} with its 2 sets on the left? None" in _edit_page(
        user_client, session
    )
    Set.objects.all().delete()
    page = _edit_page(user_client, session)
    assert (
        f'hx-confirm="Delete the session of {day}? It holds no sets, videos or coach\'s notes."'
        in page
    )


def test_the_deletion_names_the_day_as_every_page_does(user_client, user, bodyweight):
    session = TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 12, 8), variation=bodyweight
    )
    assert (
        "<title>Session of 8 Dec 2026"
        in user_client.get(session.get_absolute_url()).content.decode()
    )

    response = user_client.post(reverse("training:session-delete", args=[session.pk]), follow=True)

    said = [str(message) for message in response.context["messages"]]
    assert said == ["Deleted the session of 8 Dec 2026."]
    assert str(session) == "8 Dec 2026: " + bodyweight.name
