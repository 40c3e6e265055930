"""After a refused submission the first wrong field has the focus (hipthrust/renderers.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import set_data

pytestmark = pytest.mark.django_db


def _autofocused(html: str) -> list[str]:
    """The names of the fields the page focuses when it opens."""
    tags = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    return [re.search(r'name="([^"]+)"', tag).group(1) for tag in tags if " autofocus" in tag]


def test_a_fresh_set_form_focuses_reps(user_client, session):
    page = user_client.get(session.get_absolute_url()).content.decode()
    assert _autofocused(page) == ["reps"]


def test_after_a_refused_set_the_first_wrong_field_has_the_focus_not_reps(user_client, session):
    response = user_client.post(
        reverse("training:set-create", args=[session.pk]), set_data(tempo="fast", effort="rpe:99")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"tempo", "effort"}
    assert _autofocused(response.content.decode()) == ["tempo"]


def test_an_error_on_reps_keeps_the_focus_on_reps(user_client, session):
    response = user_client.post(
        reverse("training:set-create", args=[session.pk]), set_data(reps="-3", tempo="fast")
    )
    assert _autofocused(response.content.decode()) == ["reps"]


def test_a_sign_up_refused_for_its_password_focuses_the_password(client, db):
    response = client.post(
        reverse("training:signup"),
        {"username": "newcomer", "email": "n@example.com", "password1": "a", "password2": "b"},
    )
    assert response.status_code == 200
    assert _autofocused(response.content.decode()) == ["password1"]
