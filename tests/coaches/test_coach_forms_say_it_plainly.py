"""The coach's forms and pages in their own words: an empty note, a load with a comma, a
note of several lines, the way back from an athlete's video."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from coaches.models import CoachNote, Prescription
from tests.conftest import prescription_form, set_data
from training.models import Set
from videos.models import SetVideo, VideoStatus

pytestmark = pytest.mark.django_db

POINT = "Enter a number, with a point for decimals: 12.5, not 12,5."


def test_a_note_of_only_spaces_is_refused_in_the_forms_own_words(
    client, linked_coach, user, session
):
    client.force_login(linked_coach)
    response = client.post(reverse("coaches:session", args=[user.pk, session.pk]), {"text": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == ["Write the note first."]
    assert not CoachNote.objects.exists()


def test_a_load_written_with_a_comma_is_refused_saying_to_use_a_point(
    client, linked_coach, user, loaded, session
):
    client.force_login(linked_coach)
    response = client.post(
        reverse("coaches:prescribe", args=[user.pk]), prescription_form(loaded, load="12,5")
    )
    assert response.context["prescription_form"].errors["load"] == [POINT]
    assert not Prescription.objects.exists()
    # The one load field: the set form says the same.
    client.force_login(user)
    response = client.post(reverse("training:set-create", args=[session.pk]), set_data(load="12,5"))
    assert response.context["form"].errors["load"] == [POINT]


def test_the_prescriptions_notes_are_a_box_of_several_lines(client, linked_coach, user):
    client.force_login(linked_coach)
    page = client.get(reverse("coaches:athlete", args=[user.pk])).content.decode()
    assert re.search(r'<textarea name="notes"[^>]*maxlength="500"', page)


def test_the_coachs_video_page_is_under_coach_with_the_way_back_to_the_athlete(
    client, linked_coach, user, session
):
    clip = SetVideo.objects.create(
        owner=user,
        session=session,
        set=Set.objects.create(session=session, position=1, side="left", reps=10),
        original="videos/1/original.mp4",
        status=VideoStatus.READY,
        duration_seconds=5,
    )
    client.force_login(linked_coach)
    html = client.get(clip.get_absolute_url()).content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert re.findall(r'aria-current="page">(\w+)</a>', nav) == ["Coach"]
    crumbs = html[html.index('<nav class="breadcrumbs"') :]
    crumbs = " ".join(crumbs[: crumbs.index("</nav>")].split())
    athlete = reverse("coaches:athlete", args=[user.pk])
    assert f'<a href="{reverse("coaches:dashboard")}">Your athletes</a>' in crumbs
    assert f'<a href="{athlete}">ada</a>' in crumbs
    assert f'href="{reverse("coaches:session", args=[user.pk, session.pk])}">2 Nov 2026' in crumbs

    client.force_login(user)
    html = client.get(clip.get_absolute_url()).content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert re.findall(r'aria-current="page">(\w+)</a>', nav) == ["Log"]
    assert "Your athletes" not in html
