"""The main navigation shows the Coach link to exactly those who may open the panel."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from hipthrust.context_processors import NAV_ITEMS

pytestmark = pytest.mark.django_db

COACH_LINK = f'href="{reverse("coaches:dashboard")}"'


def _make(django_user_model, name: str, how: str):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw-123456789")
    if how == "group":
        user.groups.add(Group.objects.get(name="Coach"))
    elif how == "direct":
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="coaches", codename="add_prescription")
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
    assert user.has_perm("coaches.add_prescription") is sees_link


def test_the_answer_comes_in_the_query_that_reads_the_user_and_visitors_cost_nothing(
    client, django_user_model
):
    with CaptureQueriesContext(connection) as queries:
        assert COACH_LINK not in client.get(reverse("coaching:guide")).content.decode()
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
    client.force_login(_make(django_user_model, "coach-q", "group"))
    with CaptureQueriesContext(connection) as queries:
        assert COACH_LINK in client.get(reverse("coaching:guide")).content.decode()
    asked = [q["sql"] for q in queries.captured_queries if "auth_permission" in q["sql"]]
    assert len(asked) == 1
    assert asked[0].startswith('SELECT "auth_user"."id"')


def _sees_link(client) -> bool:
    return COACH_LINK in client.get(reverse("training:log")).content.decode()


def test_the_link_follows_each_change_of_roles_at_once(
    client, django_user_model, django_capture_on_commit_callbacks
):
    user = _make(django_user_model, "changing", "group")
    client.force_login(user)
    assert _sees_link(client)
    coach_group = Group.objects.get(name="Coach")
    permission = Permission.objects.get(
        content_type__app_label="coaches", codename="add_prescription"
    )
    changes = [
        (lambda: user.groups.remove(coach_group), False),
        (lambda: user.groups.add(coach_group), True),
        (lambda: coach_group.permissions.remove(permission), False),
        (lambda: user.user_permissions.add(permission), True),
    ]
    for change, sees in changes:
        with django_capture_on_commit_callbacks(execute=True):  # each change commits
            change()
        assert _sees_link(client) is sees
    user.is_active = False
    user.save()
    assert not user.has_perm("coaches.add_prescription")


# Pages that light no item of the main navigation, each for a reason.
NO_CURRENT_ITEM = {
    "coaching:variation-keyframes": "JSON for the ladder's animation, not a page",
    "coaching:guide-sheet": "a PDF download",
    "coaching:guide-sheet-png": "the old picture address, moved to the PDF",
    "coaching:figure-image": "a PNG",
    "training:signup": "only visitors see it, and they have no Log item to light",
    "training:profile": "the account, reached from the name beside the navigation",
    "coaches:join": "an athlete accepting an invitation, not the coach panel",
    "coaches:join-decline": "an athlete declining an invitation, not the coach panel",
    "videos:detail": "its view lights Coach for the coach and Log for the athlete",
    "videos:comment": "the coach's comment on a video, shown on the video's page",
    "videos:reviewed": "the coach marking a video reviewed, shown on the video's page",
    "videos:file": "the video or its poster, not a page",
    "videos:analysis": "the camera's analysis of a video as JSON, not a page",
    "videos:suggestion": "the coach's answer to a suggestion, shown on the video's page",
    "training:sync": "JSON for the offline queue, not a page",
    "videos:set-upload-start": "opens a chunked upload for the page's script, JSON",
    "videos:side-upload-start": "opens a chunked upload for the page's script, JSON",
    "videos:upload": "a chunked upload's chunks and offset, JSON",
}


def test_every_page_of_the_apps_has_a_navigation_item_or_is_named_without_one():
    names = {
        f"{namespace}:{name}"
        for namespace in ("coaching", "training", "coaches", "videos", "imports")
        for name in get_resolver().namespace_dict[namespace][1].reverse_dict
        if isinstance(name, str)
    }
    assert set(NAV_ITEMS) | set(NO_CURRENT_ITEM) == names
    assert not set(NAV_ITEMS) & set(NO_CURRENT_ITEM)


def _current_items(html: str) -> list[str]:
    main = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    return re.findall(r'<a href="[^"]*"\s+aria-current="page">(\w+)</a>', main)


@pytest.mark.parametrize(
    ("url", "item"),
    [
        (reverse("coaching:home"), ["Home"]),
        (reverse("coaching:guide"), ["Guide"]),
        (reverse("coaching:form-error-detail", kwargs={"slug": "knee-caving-in"}), ["Guide"]),
        (reverse("coaching:variation-list"), ["Ladder"]),
        (reverse("coaching:variation-detail", kwargs={"slug": "floor-glute-bridge"}), ["Ladder"]),
        (reverse("coaching:timer"), ["Timer"]),
        (reverse("training:log"), ["Log"]),
        (reverse("training:history"), ["Log"]),
        (reverse("training:profile"), []),
        (reverse("login"), []),
    ],
)
def test_the_navigation_marks_the_section_of_the_page(user_client, url, item):
    assert _current_items(user_client.get(url).content.decode()) == item


def test_a_cached_public_page_marks_its_item_for_every_visitor(client, user):
    guide = reverse("coaching:guide")
    assert _current_items(client.get(guide).content.decode()) == ["Guide"]
    client.force_login(user)
    assert _current_items(client.get(guide).content.decode()) == ["Guide"]


def test_the_coach_panel_marks_the_coach_item(client, coach):
    client.force_login(coach)
    html = client.get(reverse("coaches:dashboard")).content.decode()
    assert _current_items(html) == ["Coach"]
