"""Deleting a rung moves the rungs above it down: the ladder's levels run from 1 without a gap."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps as installed_apps
from django.urls import reverse

from coaching.models import Variation
from tests.coaching.test_admin_content import _change_form_data, _row
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client


def _ladder(exercise) -> list[tuple[int, str]]:
    return list(exercise.variations.order_by("level").values_list("level", "slug"))


def test_deleting_a_middle_rung_on_the_exercise_page_moves_the_rungs_above_down(
    coach_client, exercise, user
):
    before = _ladder(exercise)
    fifth = Variation.objects.get(exercise=exercise, level=5)
    seventh = Variation.objects.get(exercise=exercise, level=7)
    session = TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 11, 2), variation=seventh
    )
    url = reverse("admin:coaching_exercise_change", args=[exercise.pk])
    data = _change_form_data(coach_client.get(url))
    data[f"{_row(data, 'variations', fifth.pk)}-DELETE"] = "on"

    assert coach_client.post(url, data).status_code == 302

    assert _ladder(exercise) == [
        (level, slug) for level, (_, slug) in enumerate(before[:4] + before[5:], start=1)
    ]
    session.refresh_from_db()
    assert (session.variation_id, session.variation.level) == (seventh.pk, 6)
    # The page saves again as it stands, no rung refused for a level past the ladder.
    again = coach_client.post(url, _change_form_data(coach_client.get(url)))
    assert again.status_code == 302
    ladder = coach_client.get(reverse("coaching:variation-detail", args=[seventh.slug]))
    assert "Level 6 of 6" in ladder.content.decode()


def test_deleting_a_rung_on_its_own_page_moves_the_rungs_above_down(coach_client, exercise):
    fifth = Variation.objects.get(exercise=exercise, level=5)
    url = reverse("admin:coaching_variation_delete", args=[fifth.pk])

    assert coach_client.post(url, {"post": "yes"}).status_code == 302

    assert [level for level, _ in _ladder(exercise)] == [1, 2, 3, 4, 5, 6]


def test_deleting_several_rungs_at_once_moves_the_rest_down(coach_client, exercise):
    chosen = Variation.objects.filter(exercise=exercise, level__in=[2, 5])
    kept = [slug for level, slug in _ladder(exercise) if level not in (2, 5)]
    response = coach_client.post(
        reverse("admin:coaching_variation_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in chosen], "post": "yes"},
    )

    assert response.status_code == 302
    assert _ladder(exercise) == list(enumerate(kept, start=1))


def test_the_migration_closes_a_gap_an_earlier_deletion_left(exercise):
    Variation.objects.get(exercise=exercise, level=5).delete()
    migration = importlib.import_module("coaching.migrations.0012_close_ladder_gaps")

    migration.close_gaps(installed_apps, None)

    assert [level for level, _ in _ladder(exercise)] == [1, 2, 3, 4, 5, 6]
