"""A coach's form (a prescription, a note) posted twice at the same moment (a double click,
two tabs) saves once: the same submission id gives back what the first post made."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.urls import reverse

from coaches import services
from coaches.models import AuditEntry, CoachNote, Prescription
from tests.conftest import PASSWORD, prescription, prescription_form
from tests.training.test_concurrency import PARALLEL, in_parallel, signed_in
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(coach, user):
    services.accept_invitation(services.create_invitation(coach), user)


def _shown_submission_id(html: str) -> str:
    return re.search(r'<input type="hidden" name="submission_id" value="([^"]+)"', html)[1]


def test_the_same_prescription_posted_twice_saves_one_with_one_audit_entry(
    client, coach, user, linked, bodyweight
):
    client.force_login(coach)
    url = reverse("coaches:prescribe", args=[user.pk])
    page = client.get(reverse("coaches:athlete", args=[user.pk])).content.decode()
    form = prescription_form(bodyweight, submission_id=_shown_submission_id(page))
    first, second = client.post(url, form), client.post(url, form, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain == [(reverse("coaches:athlete", args=[user.pk]), 302)]
    assert "Prescription saved" in second.content.decode()
    assert Prescription.objects.filter(athlete=user).count() == 1
    assert AuditEntry.objects.filter(athlete=user, action="prescription").count() == 1
    # A new form draws a new id, which saves again.
    again = _shown_submission_id(second.content.decode())
    assert again != form["submission_id"]
    assert client.post(url, {**form, "submission_id": again}).status_code == 302
    assert Prescription.objects.filter(athlete=user).count() == 2


def test_it_refuses_a_prescriptions_submission_id_used_for_another_athlete(
    client, coach, user, other_user, linked, bodyweight
):
    services.accept_invitation(services.create_invitation(coach), other_user)
    used = uuid.uuid4()
    services.prescribe(coach, other_user, prescription(bodyweight), submission_id=used)
    client.force_login(coach)
    url = reverse("coaches:prescribe", args=[user.pk])
    response = client.post(url, prescription_form(bodyweight, submission_id=str(used)))
    assert response.status_code == 409
    assert response.context["prescription_form"].non_field_errors() == [
        "This form was already used; reload the page and try again."
    ]
    assert not Prescription.objects.filter(athlete=user).exists()


def test_a_prescription_made_without_a_submission_id_stays_valid(coach, user, linked, bodyweight):
    services.prescribe(coach, user, prescription(bodyweight))
    services.prescribe(coach, user, prescription(bodyweight))
    assert list(Prescription.objects.values_list("submission_id", flat=True)) == [None, None]


@pytest.mark.django_db(transaction=True)
def test_identical_prescriptions_posted_at_once_save_one_and_no_500(
    guide_content, django_user_model
):
    from django.contrib.auth.models import Group

    from coaching.models import Variation

    athlete = django_user_model.objects.create_user("ada", "ada@example.com", PASSWORD)
    coach = django_user_model.objects.create_user("coach", "c@example.com", PASSWORD)
    coach.groups.add(Group.objects.get(name="Coach"))
    services.accept_invitation(services.create_invitation(coach), athlete)
    variation = Variation.objects.get(slug="single-leg-hip-thrust")
    form = prescription_form(variation, submission_id=str(uuid.uuid4()))
    url = reverse("coaches:prescribe", args=[athlete.pk])
    clients = [signed_in(coach) for _ in range(PARALLEL)]
    statuses = in_parallel([lambda c=c: c.post(url, form).status_code for c in clients])
    assert statuses == [302] * PARALLEL
    assert Prescription.objects.filter(athlete=athlete).count() == 1
    assert AuditEntry.objects.filter(athlete=athlete, action="prescription").count() == 1


def test_the_same_note_posted_twice_saves_one_with_one_audit_entry(
    client, coach, user, linked, session
):
    client.force_login(coach)
    url = reverse("coaches:session", args=[user.pk, session.pk])
    page = client.get(url).content.decode()
    form = {"text": "Slow the lowering", "submission_id": _shown_submission_id(page)}
    first, second = client.post(url, form), client.post(url, form, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain == [(url, 302)]
    assert "Note added" in second.content.decode()
    assert list(CoachNote.objects.values_list("text", flat=True)) == ["Slow the lowering"]
    assert AuditEntry.objects.filter(athlete=user, action="note").count() == 1
    # The page drawn again has a new form, which saves again.
    again = _shown_submission_id(second.content.decode())
    assert again != form["submission_id"]
    assert client.post(url, {**form, "submission_id": again}).status_code == 302
    assert CoachNote.objects.count() == 2


def test_it_refuses_a_notes_submission_id_used_on_another_session(
    client, coach, user, linked, session, bodyweight
):
    used = uuid.uuid4()
    elsewhere = TrainingSession.objects.create(
        user=user, date=session.date - datetime.timedelta(days=1), variation=bodyweight
    )
    services.add_coach_note(coach, user, elsewhere, "Earlier", submission_id=used)
    client.force_login(coach)
    url = reverse("coaches:session", args=[user.pk, session.pk])
    response = client.post(url, {"text": "Slow the lowering", "submission_id": str(used)})
    assert response.status_code == 409
    assert response.context["form"].non_field_errors() == [
        "This form was already used; reload the page and try again."
    ]
    assert list(CoachNote.objects.values_list("text", flat=True)) == ["Earlier"]


def test_the_note_form_draws_its_submission_id_hidden_without_a_label(
    client, coach, user, linked, session
):
    client.force_login(coach)
    page = client.get(reverse("coaches:session", args=[user.pk, session.pk])).content.decode()
    assert _shown_submission_id(page)
    assert 'for="id_submission_id"' not in page


@pytest.mark.django_db(transaction=True)
def test_identical_notes_posted_at_once_save_one_and_no_500(guide_content, django_user_model):
    from django.contrib.auth.models import Group

    from coaching.models import Variation

    athlete = django_user_model.objects.create_user("ada", "ada@example.com", PASSWORD)
    coach = django_user_model.objects.create_user("coach", "c@example.com", PASSWORD)
    coach.groups.add(Group.objects.get(name="Coach"))
    services.accept_invitation(services.create_invitation(coach), athlete)
    variation = Variation.objects.get(slug="single-leg-hip-thrust")
    session = TrainingSession.objects.create(
        user=athlete, date=datetime.date(2026, 11, 2), variation=variation
    )
    form = {"text": "Good session", "submission_id": str(uuid.uuid4())}
    url = reverse("coaches:session", args=[athlete.pk, session.pk])
    clients = [signed_in(coach) for _ in range(PARALLEL)]
    statuses = in_parallel([lambda c=c: c.post(url, form).status_code for c in clients])
    assert statuses == [302] * PARALLEL
    assert CoachNote.objects.filter(session=session).count() == 1
    assert AuditEntry.objects.filter(athlete=athlete, action="note").count() == 1
