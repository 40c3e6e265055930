"""The pages for what went wrong: an address that matches nothing, a form sent about something
deleted meanwhile or no longer the sender's, or with an expired token (nothing saved, what
was written given back), a form too large to read, a form's address visited, a page the
account may not open."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from coaches.models import CoachLink, CoachNote
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


def test_an_unknown_address_says_it_may_be_mistyped(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "The address may be mistyped" in response.content.decode()


def test_a_coachs_note_sent_after_the_athlete_ended_coaching_says_so_and_gives_the_text_back(
    client, linked_coach, user, session
):
    client.force_login(linked_coach)
    CoachLink.objects.filter(coach=linked_coach).update(ended_at=session.created_at)
    url = reverse("coaches:session", args=[user.pk, session.pk])
    response = client.post(url, {"text": "Drive through the heel <b>now</b>"})
    html = response.content.decode()
    assert response.status_code == 404
    assert "Nothing you sent was saved" in html
    assert "mistyped" not in html
    assert ">Drive through the heel &lt;b&gt;now&lt;/b&gt;</textarea>" in html
    assert not CoachNote.objects.exists()


def test_a_set_sent_to_a_session_deleted_meanwhile_is_not_saved_and_says_so(user_client, session):
    url = reverse("training:set-create", args=[session.pk])
    TrainingSession.objects.filter(pk=session.pk).delete()
    response = user_client.post(url, {"side": "left", "reps": "8", "note": "felt strong"})
    assert response.status_code == 404
    assert ">felt strong</textarea>" in response.content.decode()


def test_a_body_no_form_sends_still_gives_the_not_found_page(user_client):
    url = reverse("training:set-create", args=[2**31])
    broken = b"--x\r\nbroken"
    response = user_client.post(url, broken, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 404
    assert "Nothing you sent was saved" in response.content.decode()


def test_a_form_sent_with_an_expired_token_says_so_in_the_sites_words_with_the_text_back(
    user, session
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    url = reverse("training:session-edit", args=[session.pk])
    response = browser.post(url, {"date": "2026-11-20", "notes": "Knee felt fine"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "That form had expired" in html
    assert ">Knee felt fine</textarea>" in html
    assert "CSRF verification failed" not in html


def _signed_in_with_token(user, url: str) -> tuple[Client, str]:
    # The CSRF check is what reads a form's body first, so it is on, as in production.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    browser.get(url)
    return browser, browser.cookies["csrftoken"].value


def test_a_form_too_large_to_read_gets_the_sites_page_and_nothing_is_saved(user, session, settings):
    url = reverse("training:session-edit", args=[session.pk])
    browser, token = _signed_in_with_token(user, url)
    notes = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = browser.post(url, {"csrfmiddlewaretoken": token, "notes": notes})
    html = response.content.decode()
    assert response.status_code == 413
    assert "That form was too large to read" in html
    assert "Nothing was saved" in html
    assert f'data-user="{user.pk}"' in html  # base.html's frame, signed in
    assert "Bad Request" not in html
    session.refresh_from_db()
    assert session.notes == ""


def test_a_form_with_more_fields_than_any_of_ours_gets_the_sites_page(user, session, settings):
    url = reverse("training:session-edit", args=[session.pk])
    browser, token = _signed_in_with_token(user, url)
    fields = {f"field{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = browser.post(url, {"csrfmiddlewaretoken": token, **fields})
    assert response.status_code == 400
    assert "That form was too large to read" in response.content.decode()


def test_a_body_over_the_sites_own_cap_gets_the_same_page_with_every_pages_headers(
    user, session, settings
):
    url = reverse("training:session-edit", args=[session.pk])
    browser, token = _signed_in_with_token(user, url)
    settings.MAX_REQUEST_BYTES = 1024
    response = browser.post(url, {"csrfmiddlewaretoken": token, "notes": "x" * 2000})
    assert response.status_code == 413
    assert "That form was too large to read" in response.content.decode()
    assert "Content-Security-Policy" in response
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_host_not_ours_is_refused_in_a_line_not_a_server_error(client):
    response = client.get("/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400


def test_a_visit_to_an_address_that_only_takes_a_form_is_a_page_that_says_so(user_client):
    response = user_client.get(reverse("training:level-accept"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "That address takes a form" in response.content.decode()


def test_a_page_the_account_may_not_open_says_so_in_the_sites_words(client, coach):
    client.force_login(coach)
    response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    assert "That isn't open to you" in response.content.decode()


def test_the_server_error_page_stands_alone_and_follows_a_dark_device(rf):
    # Drawn without the site's stylesheet (whatever failed may be what serves it), it let
    # a dark device show a white page.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b'<meta name="color-scheme" content="light dark">' in response.content


BOOSTED = {"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true"}


def test_a_boosted_form_answered_in_place_leaves_the_address_where_the_form_was(user_client):
    refused = user_client.post(reverse("training:profile"), {"unit": "stone"}, **BOOSTED)
    assert refused.status_code == 200
    assert refused["HX-Push-Url"] == "false"


def test_a_boosted_form_that_redirects_or_a_link_leaves_the_address_to_htmx(
    user_client, bodyweight
):
    saved = user_client.post(
        reverse("training:profile"), {"unit": "kg", "level": bodyweight.pk}, **BOOSTED
    )
    assert saved.status_code == 302
    assert "HX-Push-Url" not in saved
    assert "HX-Push-Url" not in user_client.get(reverse("training:profile"), **BOOSTED)
    plain = user_client.post(reverse("training:profile"), {"unit": "stone"})
    assert "HX-Push-Url" not in plain


def test_a_refused_sign_in_marks_both_fields_wrong_and_described_by_the_reason(client, user):
    # "Enter a correct username and password" belongs to neither field alone.
    response = client.post(reverse("login"), {"username": "ada", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<div class="form-errors" id="login-errors"\s+role="alert">', html)
    for name in ("username", "password"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag, name
        assert 'aria-describedby="login-errors"' in tag, name
    # Only the password's case matters: a user name is found in any case.
    assert "The password is case-sensitive; the user name is not." in html
    assert "both fields may be case-sensitive" not in html
    fresh = client.get(reverse("login")).content.decode()
    assert "aria-invalid" not in fresh
