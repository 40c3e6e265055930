"""Counts on the log pages read in the right number: "1 session", never "1 sessions"."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaches import services
from coaches.models import Prescription
from imports.csv_io import HIPTHRUST_COLUMNS
from tests.conftest import import_file
from training.models import Set

pytestmark = pytest.mark.django_db


def test_a_one_rep_set_reads_1_rep(user_client, session):
    Set.objects.create(session=session, position=1, side="left", reps=1)
    page = user_client.get(session.get_absolute_url()).content.decode()
    assert "<strong>1 rep</strong>" in page
    assert "1 reps" not in page


def test_an_import_of_one_session_and_one_set_says_so(user_client):
    header = ",".join(HIPTHRUST_COLUMNS) + "\n"
    row = "1,2026-11-01,single-leg-hip-thrust,,1,left,8,0,0,,,,,no,\n"
    upload = SimpleUploadedFile("log.csv", (header + row).encode(), content_type="text/csv")
    preview = user_client.post(reverse("imports:import"), {"file": upload}, follow=True)
    assert "1 session and 1 set to add" in " ".join(preview.content.decode().split())
    saved = user_client.get(
        import_file(user_client, (header + row).encode(), name="log.csv")["Location"]
    )
    assert "Imported 1 session and 1 set." in saved.content.decode()

    again = SimpleUploadedFile("log.csv", (header + row).encode(), content_type="text/csv")
    response = user_client.post(reverse("imports:import"), {"file": again}, follow=True)
    assert "1 set (1 session) already in your log" in " ".join(response.content.decode().split())


def test_a_prescription_of_one_session_a_week_says_so(user_client, user, coach, bodyweight):
    services.accept_invitation(services.create_invitation(coach), user)
    Prescription.objects.create(
        athlete=user,
        coach=coach,
        variation=bodyweight,
        sets=3,
        reps_per_side=10,
        tempo="3-0-1-1",
        sessions_per_week=1,
    )
    page = user_client.get(reverse("training:log")).content.decode()
    assert "1 session a week" in " ".join(page.split())


def test_the_coachs_pages_count_one_set_one_rep_and_one_session_a_week(
    client, coach, user, session
):
    services.accept_invitation(services.create_invitation(coach), user)
    Set.objects.create(session=session, position=1, side="left", reps=1)
    fields = {"sets": 3, "reps_per_side": 10, "tempo": "3-0-1-1", "sessions_per_week": 1}
    services.prescribe(coach, user, {"variation": session.variation, **fields})
    client.force_login(coach)
    athlete = " ".join(
        client.get(reverse("coaches:athlete", args=[user.pk])).content.decode().split()
    )
    assert "1 session a week." in athlete
    assert "1 set · L" in athlete
    assert "1 sessions" not in athlete
    assert "1 sets" not in athlete
    page = client.get(reverse("coaches:session", args=[user.pk, session.pk]))
    assert "<strong>1 rep</strong>" in " ".join(page.content.decode().split())
