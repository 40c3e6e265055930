"""A tempo lowering faster than the guide asks is accepted, with a warning where it is entered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coaches import services
from coaching.tempo import Tempo
from tests.conftest import prescription, set_data
from training.models import Set

pytestmark = pytest.mark.django_db

FAST = Tempo.parse("1-0-1-0").lowering_warning()


def _text(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


@pytest.mark.parametrize(("tempo", "warned"), [("1-0-1-0", True), ("2-0-1-0", False)])
def test_a_set_with_a_quick_lowering_is_saved_and_warned_about(user_client, session, tempo, warned):
    response = user_client.post(
        reverse("training:set-create", args=[session.pk]), set_data(tempo=tempo), follow=True
    )
    assert response.status_code == 200
    assert Set.objects.get(session=session).tempo == tempo
    assert ("the guide asks for 2 to 3 seconds" in _text(response)) is warned


def test_an_edited_set_shows_the_warning_on_its_row(user_client, session):
    saved = Set.objects.create(session=session, position=1, side="left", reps=10, tempo="3-0-1-1")
    data = set_data(tempo="1-0-1-0", revision=str(saved.revision))
    response = user_client.post(reverse("training:set-edit", args=[saved.pk]), data, follow=True)
    assert response.status_code == 200
    assert FAST in _text(response)


@pytest.mark.parametrize(("tempo", "warned"), [("1-0-1-0", True), ("2-0-1-0", False)])
def test_a_prescription_with_a_quick_lowering_warns_the_athlete_and_the_coach(
    client, coach, user, loaded, tempo, warned
):
    link = services.create_invitation(coach)
    services.accept_invitation(link, user)
    services.prescribe(coach, user, prescription(loaded, tempo=tempo))
    client.force_login(user)
    assert (
        "the guide asks for 2 to 3 seconds" in _text(client.get(reverse("training:log")))
    ) is warned
    client.force_login(coach)
    coach_page = client.get(reverse("coaches:athlete", args=[user.pk]))
    assert ("the guide asks for 2 to 3 seconds" in _text(coach_page)) is warned
