"""The main navigation shows the Coach link to exactly those who may open the panel."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

COACH_LINK = f'href="{reverse("training:coach-dashboard")}"'


def _make(django_user_model, name: str, how: str):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw-123456789")
    if how == "group":
        user.groups.add(Group.objects.get(name="Coach"))
    elif how == "direct":
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="training", codename="add_prescription")
        )
    elif how == "superuser":
        user.is_superuser = True
        user.save()
    return user


@pytest.mark.parametrize(
    ("how", "sees_link"),
    [("group", True), ("direct", True), ("superuser", True), ("trainee", False)],
)
def test_the_coach_link_follows_the_permission(client, django_user_model, how, sees_link):
    user = _make(django_user_model, f"u-{how}", how)
    client.force_login(user)
    html = client.get(reverse("training:log")).content.decode()
    assert (COACH_LINK in html) is sees_link
    assert user.has_perm("training.add_prescription") is sees_link


def test_the_answer_is_remembered_and_visitors_cost_nothing(client, django_user_model):
    with CaptureQueriesContext(connection) as queries:
        assert COACH_LINK not in client.get(reverse("coaching:guide")).content.decode()
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
    client.force_login(_make(django_user_model, "coach-q", "group"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("coaching:guide"))
        client.get(reverse("coaching:guide"))
    assert sum("auth_permission" in q["sql"] for q in queries.captured_queries) == 1


def _sees_link(client) -> bool:
    return COACH_LINK in client.get(reverse("training:log")).content.decode()


def test_the_link_follows_each_change_of_roles_at_once(client, django_user_model):
    user = _make(django_user_model, "changing", "group")
    client.force_login(user)
    assert _sees_link(client)
    coach_group = Group.objects.get(name="Coach")
    user.groups.remove(coach_group)
    assert not _sees_link(client)
    user.groups.add(coach_group)
    assert _sees_link(client)
    permission = Permission.objects.get(
        content_type__app_label="training", codename="add_prescription"
    )
    coach_group.permissions.remove(permission)
    assert not _sees_link(client)
    user.user_permissions.add(permission)
    assert _sees_link(client)
    user.is_active = False
    user.save()
    assert not user.has_perm("training.add_prescription")
