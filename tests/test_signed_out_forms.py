"""A form, or an htmx request, sent by someone signed out meanwhile (the password changed on
another device, the cookie cleared): the whole tab goes to the login page, whose `next` is
the page the form was on, and what was written in it is given back there; nothing is saved."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from coaches.models import CoachNote
from tests.conftest import PASSWORD, set_data
from training.models import Set

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _next_of(address: str) -> str:
    parts = urlsplit(address)
    assert parts.path == reverse("login")
    return parse_qs(parts.query).get("next", [""])[0]


def test_a_set_sent_with_htmx_signed_out_sends_the_whole_tab_to_log_in_and_back_to_its_session(
    client, session
):
    page = f"http://testserver{session.get_absolute_url()}"
    url = reverse("training:set-create", args=[session.pk])
    response = client.post(url, set_data(note="left hip cramped"), HTTP_REFERER=page, **HTMX)
    assert response.status_code == 200
    assert response.content == b""  # nothing of the login page dropped into the session's
    assert _next_of(response["HX-Redirect"]) == session.get_absolute_url()
    assert not Set.objects.exists()


def test_a_plain_form_sent_signed_out_logs_in_back_to_the_page_it_was_on_not_its_address(
    client, user, session
):
    page = f"http://testserver{session.get_absolute_url()}"
    url = reverse("training:set-create", args=[session.pk])
    response = client.post(url, set_data(reps="8"), HTTP_REFERER=page)
    assert response.status_code == 302
    assert _next_of(response["Location"]) == session.get_absolute_url()
    login = client.get(response["Location"])
    assert login.status_code == 200
    assert "You were signed out, so what you sent was not saved." in login.content.decode()
    logged_in = client.post(
        reverse("login"),
        {"username": "ada", "password": PASSWORD, "next": session.get_absolute_url()},
    )
    assert logged_in.status_code == 302
    assert logged_in["Location"] == session.get_absolute_url()
    assert client.get(logged_in["Location"]).status_code == 200
    assert not Set.objects.exists()


def test_the_login_page_gives_back_what_was_written_in_the_form_sent_signed_out(client, session):
    page = session.get_absolute_url()
    url = reverse("training:set-create", args=[session.pk])
    sent = client.post(url, set_data(note="Knee <b>sore</b>"), HTTP_REFERER=page, **HTMX)
    html = client.get(sent["HX-Redirect"]).content.decode()
    assert "You were signed out, so what you sent was not saved." in html
    assert ">Knee &lt;b&gt;sore&lt;/b&gt;</textarea>" in html
    # Once logged in, it is not offered again.
    client.post(reverse("login"), {"username": "ada", "password": PASSWORD, "next": page})
    client.logout()
    assert "Knee" not in client.get(f"{reverse('login')}?next={page}").content.decode()


def test_a_referer_of_another_site_is_never_the_next_page(client, session):
    url = reverse("training:set-create", args=[session.pk])
    response = client.post(url, set_data(), HTTP_REFERER="https://evil.example/log/", **HTMX)
    assert response["HX-Redirect"] == reverse("login")


def test_every_form_behind_the_login_sent_signed_out_goes_to_the_login_with_htmx(
    client, linked_coach, user, session
):
    """Not only the set's: a coach's note, a profile, a session's edit."""
    page = f"http://testserver{reverse('coaches:athlete', args=[user.pk])}"
    addresses = [
        reverse("coaches:session", args=[user.pk, session.pk]),
        reverse("training:profile"),
        reverse("training:session-edit", args=[session.pk]),
        reverse("training:set-repeat", args=[session.pk]),
    ]
    for address in addresses:
        response = client.post(address, {"text": "Drive"}, HTTP_REFERER=page, **HTMX)
        assert response.status_code == 200, address
        assert _next_of(response["HX-Redirect"]) == urlsplit(page).path, address
    assert not CoachNote.objects.exists()


def test_a_fragment_asked_for_signed_out_sends_the_tab_to_log_in_back_to_its_page(
    client, a_set, session
):
    page = session.get_absolute_url()
    fragment = reverse("training:set-edit", args=[a_set.pk])
    response = client.get(fragment, HTTP_REFERER=page, **HTMX)
    assert _next_of(response["HX-Redirect"]) == page
    boosted = client.get(page, HTTP_HX_BOOSTED="true", **HTMX)
    assert _next_of(boosted["HX-Redirect"]) == page


def test_a_page_asked_for_signed_out_keeps_djangos_next(client, session):
    response = client.get(session.get_absolute_url())
    assert response.status_code == 302
    assert _next_of(response["Location"]) == session.get_absolute_url()


def test_the_offline_queue_still_reads_a_signed_out_send_as_a_redirect(client):
    response = Client().post(reverse("training:sync"), {"kind": "set"})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("login")
