"""A set deleted in another tab or on another device, then edited from a page drawn before:
its owner is told it was deleted, with the way back to the session, and nothing is saved;
anyone else meets the plain 404, whether or not the set exists."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from tests.conftest import as_the_browser_submits, set_data
from training.models import Set, TrainingSession

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
GONE = "This set was deleted (in another tab or on another device), so it can no longer be changed"
NOT_FOUND = "The address may be mistyped, or the page may have moved."


def _text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def _edit_link(client, session, a_set) -> str:
    """The set's Edit link as the session page draws it (tab A)."""
    page = html.unescape(client.get(session.get_absolute_url()).content.decode())
    [link] = re.findall(rf'href="(/log/sets/{a_set.pk}/edit/[^"]*)"', page)
    return link


def _edit_form(client, link: str) -> dict:
    """The edit form tab A opened, as the browser sends it back, with its hidden fields."""
    opened = client.get(link)
    hidden = dict(
        re.findall(r'type="hidden" name="(had)" value="([^"]*)"', opened.content.decode())
    )
    return {**as_the_browser_submits(opened.context["form"]), **hidden}


def _deleted_in_tab_b(client, a_set) -> None:
    assert client.post(reverse("training:set-delete", args=[a_set.pk])).status_code == 302
    assert not Set.objects.filter(pk=a_set.pk).exists()


def test_editing_a_set_deleted_in_another_tab_says_so_with_the_way_back(
    user_client, session, a_set
):
    link = _edit_link(user_client, session, a_set)
    form = _edit_form(user_client, link)
    _deleted_in_tab_b(user_client, a_set)

    opened = user_client.get(link)
    assert opened.status_code == 404
    assert GONE in _text(opened)
    assert f'<a class="button" href="{session.get_absolute_url()}">Back to the session</a>' in (
        _text(opened)
    )

    sent = user_client.post(
        reverse("training:set-edit", args=[a_set.pk]), {**form, "note": "Hips up"}
    )
    assert sent.status_code == 404
    said = _text(sent)
    assert GONE in said
    assert "Back to the session" in said
    assert ">Hips up</textarea>" in said  # what was written, to copy
    assert list(session.sets.all()) == []


def test_in_the_sessions_list_the_list_comes_back_without_the_set_saying_it_was_deleted(
    user_client, session, a_set
):
    kept = Set.objects.create(session=session, position=2, side="right", reps=9)
    link = _edit_link(user_client, session, a_set)
    form = _edit_form(user_client, link)
    _deleted_in_tab_b(user_client, a_set)

    for answer in (
        user_client.get(link, **HTMX),
        user_client.post(
            reverse("training:set-edit", args=[a_set.pk]), {**form, "note": "Hips up"}, **HTMX
        ),
    ):
        assert answer.status_code == 200
        assert answer["HX-Retarget"] == "#sets-and-entry"
        assert answer["HX-Reswap"] == "outerHTML"
        said = _text(answer)
        assert f'<p class="undo undo--refused" role="alert">{GONE}' in said
        assert f'id="set-{a_set.pk}"' not in said
        assert f'id="set-{kept.pk}"' in said
    assert ">Hips up</textarea>" in said
    assert list(session.sets.all()) == [kept]


def test_a_set_deleted_with_its_session_leads_back_to_the_log(user_client, session, a_set):
    link = _edit_link(user_client, session, a_set)
    user_client.post(reverse("training:session-delete", args=[session.pk]))

    for answer in (user_client.get(link), user_client.get(link, **HTMX)):
        assert answer.status_code == 404
        assert GONE in _text(answer)
        assert f'href="{reverse("training:log")}">Go to your log</a>' in _text(answer)
    assert not TrainingSession.objects.filter(pk=session.pk).exists()


def test_another_users_set_stays_a_plain_404_existing_or_deleted(
    client, user, other_user, session, a_set
):
    client.force_login(user)
    link = _edit_link(client, session, a_set)  # the owner's mark, copied
    form = _edit_form(client, link)
    client.force_login(other_user)

    for answer in (client.get(link), client.post(link, form), client.get(link, **HTMX)):
        assert answer.status_code == 404
        assert GONE not in _text(answer)
    assert NOT_FOUND in _text(client.get(link))

    a_set.delete()
    for answer in (client.get(link), client.post(link, form), client.get(link, **HTMX)):
        assert answer.status_code == 404
        assert GONE not in _text(answer)
    assert NOT_FOUND in _text(client.get(link))


def test_a_deleted_set_without_a_mark_or_with_a_forged_one_is_a_plain_404(
    user_client, session, a_set
):
    link = _edit_link(user_client, session, a_set)
    mark = link.split("had=")[1]
    where, mac = mark.split(".")
    url = reverse("training:set-edit", args=[a_set.pk])
    a_set.delete()
    for sent in ("", f"{where}.{'A' * len(mac)}", f"{int(where) + 1}.{mac}", f"{where}.{mac}x"):
        answer = user_client.get(f"{url}?had={sent}")
        assert answer.status_code == 404
        assert GONE not in _text(answer)
        assert NOT_FOUND in _text(answer)
    # A mark for another set of theirs says nothing of this one either.
    other = Set.objects.create(session=session, position=3, side="left", reps=8)
    other_mark = _edit_link(user_client, session, other).split("had=")[1]
    assert GONE not in _text(user_client.get(f"{url}?had={other_mark}"))


def test_a_set_still_there_edits_as_before_with_its_mark(user_client, session, a_set):
    link = _edit_link(user_client, session, a_set)
    form = _edit_form(user_client, link)
    assert user_client.get(link).status_code == 200
    sent = user_client.post(
        reverse("training:set-edit", args=[a_set.pk]), {**form, **set_data(reps="12")}
    )
    assert sent.status_code == 302
    assert Set.objects.get(pk=a_set.pk).reps == 12
