"""A session's edit from a form opened before another save (two tabs) is refused, as a set's
edit is: the form comes back with what is saved now, and nothing is overwritten."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import as_the_browser_submits
from training.models import TrainingSession

pytestmark = pytest.mark.django_db

STALE = "This session was changed somewhere else (another tab) after you opened it"


def _opened(client, session) -> dict:
    url = reverse("training:session-edit", args=[session.pk])
    return as_the_browser_submits(client.get(url).context["form"])


def test_it_refuses_an_edit_from_a_form_opened_before_another_save(user_client, session):
    url = reverse("training:session-edit", args=[session.pk])
    tab1, tab2 = _opened(user_client, session), _opened(user_client, session)
    assert user_client.post(url, {**tab2, "notes": "TAB2 important note"}).status_code == 302

    refused = user_client.post(url, {**tab1, "notes": "old notes"})
    assert refused.status_code == 409
    assert STALE in " ".join(refused.content.decode().split())
    # The form is drawn again with what is saved now, at its new revision.
    form = refused.context["form"]
    assert form["notes"].value() == "TAB2 important note"
    assert form["revision"].value() == TrainingSession.objects.get(pk=session.pk).revision
    assert TrainingSession.objects.get(pk=session.pk).notes == "TAB2 important note"

    # Sent again from the form it was given back, the edit saves over the newer values.
    again = as_the_browser_submits(form)
    assert user_client.post(url, {**again, "notes": "old notes"}).status_code == 302
    assert TrainingSession.objects.get(pk=session.pk).notes == "old notes"


def test_every_save_moves_the_sessions_revision(user_client, session):
    url = reverse("training:session-edit", args=[session.pk])
    before = TrainingSession.objects.get(pk=session.pk).revision
    assert user_client.post(url, {**_opened(user_client, session), "notes": "a"}).status_code == 302
    assert user_client.post(url, {**_opened(user_client, session), "notes": "b"}).status_code == 302
    saved = TrainingSession.objects.get(pk=session.pk)
    assert (saved.notes, saved.revision) == ("b", before + 2)


def test_a_form_opened_before_revisions_existed_saves_as_before(user_client, session):
    url = reverse("training:session-edit", args=[session.pk])
    shown = {k: v for k, v in _opened(user_client, session).items() if k != "revision"}
    assert user_client.post(url, {**shown, "notes": "no revision"}).status_code == 302
    assert TrainingSession.objects.get(pk=session.pk).notes == "no revision"
