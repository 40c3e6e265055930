"""History and progress show every change to the trainee's log at once, and only theirs
(they were cached per trainee once; now they are rendered for each request)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import make_log, set_data
from training.models import Profile

pytestmark = pytest.mark.django_db

HISTORY = reverse("training:history")
PROGRESS = reverse("training:progress")


@pytest.fixture
def logged(user, bodyweight):
    return make_log(user, bodyweight, sessions=3, sets_per_side=1)


def test_a_set_logged_through_the_page_shows_in_history_at_once(user_client, logged):
    session = logged[-1]
    before = user_client.get(HISTORY).content.decode()
    assert "2 sets" in before
    response = user_client.post(reverse("training:set-create", args=[session.pk]), set_data())
    assert response.status_code in (200, 302)
    assert "3 sets" in user_client.get(HISTORY).content.decode()


def test_progress_follows_a_deleted_session_and_a_change_of_unit(user, user_client, logged):
    first = user_client.get(PROGRESS).content.decode()
    response = user_client.post(reverse("training:session-delete", args=[logged[0].pk]))
    assert response.status_code in (200, 302)
    after = user_client.get(PROGRESS).content.decode()
    assert after != first
    assert reverse("training:session-detail", args=[logged[0].pk]) not in after
    assert reverse("training:session-detail", args=[logged[1].pk]) in after
    Profile.objects.filter(user=user).update(unit="lb")
    assert "Load (lb)" in user_client.get(PROGRESS).content.decode()


def test_two_trainees_never_see_each_others_pages(client, user, other_user, bodyweight):
    make_log(user, bodyweight, sessions=2, load="20")
    client.force_login(user)
    mine = client.get(HISTORY).content.decode()
    assert "2 sessions logged" in mine
    client.force_login(other_user)
    theirs = client.get(HISTORY).content.decode()
    assert "0 sessions logged" in theirs
    assert client.get(PROGRESS).content.decode().count("Charts appear once you log") == 1


def test_each_history_page_is_kept_apart(user_client, user, bodyweight):
    make_log(user, bodyweight, sessions=25, load=str(Decimal("10")))
    first = user_client.get(HISTORY).content.decode()
    second = user_client.get(HISTORY + "?page=2").content.decode()
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
