"""The admin's account forms keep the rule the sign-up keeps (one account per email and per
user name, whatever their case; training migration 0025): a clash is a message on the field,
never the database's refusal as a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _change_form(user, **changes) -> dict:
    return {
        "username": user.username,
        "email": user.email,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        **changes,
    }


@pytest.mark.parametrize(("field", "value"), [("email", "ADA@example.com"), ("username", "Ada")])
def test_it_refuses_another_accounts_email_or_name_in_another_case(
    admin_client, user, other_user, field, value
):
    url = reverse("admin:auth_user_change", args=[other_user.pk])
    response = admin_client.post(url, _change_form(other_user, **{field: value}))
    assert response.status_code == 200
    assert "Another account already uses" in str(response.context["adminform"].form.errors[field])
    other_user.refresh_from_db()
    assert (other_user.username, other_user.email) == ("grace", "grace@example.com")


def test_it_keeps_an_accounts_own_email_and_name_in_a_new_case(admin_client, other_user):
    url = reverse("admin:auth_user_change", args=[other_user.pk])
    form = _change_form(other_user, username="Grace", email="Grace@Example.com")
    response = admin_client.post(url, form)
    assert response.status_code == 302
    other_user.refresh_from_db()
    assert (other_user.username, other_user.email) == ("Grace", "Grace@example.com")


def test_a_new_account_in_the_admin_may_not_take_a_name_in_another_case(admin_client, user):
    form = {"username": "ADA", "password1": "x-long-pass-2026", "password2": "x-long-pass-2026"}
    response = admin_client.post(
        reverse("admin:auth_user_add"), {**form, "usable_password": "true"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["username"]


def test_the_admin_is_named_for_the_site(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "hipthrust admin" in html
    assert "Django administration" not in html
