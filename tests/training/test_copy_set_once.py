""" "Repeat last set" and "Same for the other side" pressed twice at once (a double click, two
tabs): the same submission id copies the set once."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from tests.training.test_concurrency import PARALLEL, _session, in_parallel, signed_in
from training import services
from training.models import Set

pytestmark = pytest.mark.django_db


def _form_id(html: str, url: str) -> str:
    """The submission id of the form that posts to `url`."""
    form = re.search(rf'<form method="post" action="{re.escape(url)}".*?</form>', html, re.S)[0]
    return re.search(r'<input type="hidden" name="submission_id" value="([^"]+)"', form)[1]


def _sides(session) -> list[str]:
    return list(session.sets.order_by("position").values_list("side", flat=True))


@pytest.mark.parametrize(
    ("name", "sides"), [("set-repeat", ["left", "left"]), ("set-mirror", ["left", "right"])]
)
def test_the_same_copy_posted_twice_adds_one_set(user_client, session, name, sides):
    services.add_set(session, {"side": "left", "reps": 10})
    url = reverse(f"training:{name}", args=[session.pk])
    page = user_client.get(session.get_absolute_url()).content.decode()
    data = {"submission_id": _form_id(page, url)}
    first, second = user_client.post(url, data), user_client.post(url, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"] == session.get_absolute_url()
    assert _sides(session) == sides
    # The page drawn again has new forms, which copy again.
    again = _form_id(user_client.get(session.get_absolute_url()).content.decode(), url)
    assert again != data["submission_id"]
    assert user_client.post(url, {"submission_id": again}).status_code == 302
    assert len(_sides(session)) == 3


def test_the_htmx_fragment_draws_the_copy_forms_with_new_ids(user_client, session):
    services.add_set(session, {"side": "left", "reps": 10})
    url = reverse("training:set-repeat", args=[session.pk])
    page = user_client.get(session.get_absolute_url()).content.decode()
    posted = _form_id(page, url)
    fragment = user_client.post(url, {"submission_id": posted}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html
    repeat_id = _form_id(html, url)
    mirror_id = _form_id(html, reverse("training:set-mirror", args=[session.pk]))
    assert len({posted, repeat_id, mirror_id}) == 3
    # The same post again through htmx answers with the list as it is: one copy.
    again = user_client.post(url, {"submission_id": posted}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    assert _sides(session) == ["left", "left"]


def test_a_copy_without_a_submission_id_copies_as_before(user_client, session):
    services.add_set(session, {"side": "left", "reps": 10})
    url = reverse("training:set-repeat", args=[session.pk])
    assert [user_client.post(url).status_code for _ in range(2)] == [302, 302]
    assert _sides(session) == ["left"] * 3


def test_it_refuses_a_copys_submission_id_used_in_another_session(
    user_client, session, user, bodyweight
):
    used = uuid.uuid4()
    other = _session(user)
    services.add_set(other, {"side": "right", "reps": 8}, submission_id=used)
    services.add_set(session, {"side": "left", "reps": 10})
    url = reverse("training:set-repeat", args=[session.pk])
    response = user_client.post(url, {"submission_id": str(used)}, follow=True)
    assert "This form was already used for another session; reload the page." in (
        response.content.decode()
    )
    assert _sides(session) == ["left"]
    assert Set.objects.filter(session=other).count() == 1


@pytest.mark.django_db(transaction=True)
def test_identical_repeats_posted_at_once_add_one_set_and_no_500(guide_content, user):
    session = _session(user)
    services.add_set(session, {"side": "left", "reps": 10})
    url = reverse("training:set-repeat", args=[session.pk])
    data = {"submission_id": str(uuid.uuid4())}
    clients = [signed_in(user) for _ in range(PARALLEL)]
    statuses = in_parallel([lambda c=c: c.post(url, data).status_code for c in clients])
    assert statuses == [302] * PARALLEL
    assert _sides(session) == ["left", "left"]
