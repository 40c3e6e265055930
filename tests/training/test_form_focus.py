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


def test_it_gives_the_focus_back_to_the_rows_edit_when_an_inline_edit_is_cancelled(
    user_client, session, a_set
):
    edit_url = reverse("training:set-edit", args=[a_set.pk])
    inline = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": f"set-{a_set.pk}"}
    form = user_client.get(edit_url, **inline).content.decode()
    cancel = re.search(r'hx-get="([^"]+)"[^>]*>Cancel</a>', form).group(1)
    assert cancel == f"{session.get_absolute_url()}?cancelled={a_set.pk}"

    back = user_client.get(cancel, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="sets-and-entry")
    html = back.content.decode()
    assert _autofocused(html) == []
    focused = [
        " ".join(tag.split()) for tag in re.findall(r"<[a-z]+\b[^>]*\sautofocus\b[^>]*>", html)
    ]
    assert len(focused) == 1
    assert focused[0].startswith(f'<a href="{edit_url}?had=')
    assert focused[0].endswith(f'hx-target="#set-{a_set.pk}" autofocus>')
    # Another session's set, or none, names no row: the entry's reps box has the focus.
    for odd in ("999999", "x"):
        other = user_client.get(
            f"{session.get_absolute_url()}?cancelled={odd}",
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="sets-and-entry",
        ).content.decode()
        assert _autofocused(other) == ["reps"]
