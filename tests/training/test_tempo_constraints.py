"""The database holds Tempo's rule for stored tempos, as the forms do (issue 23: the old
pattern took any two digits, so 0-0-0-0 reached the database)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from coaches.models import Prescription
from training.models import Set

pytestmark = pytest.mark.django_db

REFUSED = ["0-0-0-0", "3-0-0-1", "31-0-1-0", "99-99-99-99", "03-0-1-1"]


@pytest.mark.parametrize("tempo", REFUSED)
def test_the_database_refuses_a_set_tempo_tempo_refuses(session, tempo):
    with pytest.raises(IntegrityError), transaction.atomic():
        Set.objects.create(session=session, position=1, side="left", reps=8, tempo=tempo)
    Set.objects.create(session=session, position=1, side="left", reps=8, tempo="30-0-1-30")
    Set.objects.create(session=session, position=2, side="left", reps=8, tempo="")


@pytest.mark.parametrize("tempo", REFUSED)
def test_the_database_refuses_a_prescription_tempo_tempo_refuses(coach, user, loaded, tempo):
    fields = {
        "coach": coach,
        "athlete": user,
        "variation": loaded,
        "sets": 3,
        "reps_per_side": 8,
        "hold_seconds": 0,
        "sessions_per_week": 2,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Prescription.objects.create(tempo=tempo, **fields)
    assert Prescription.objects.create(tempo="3-0-1-2", **fields).pk
