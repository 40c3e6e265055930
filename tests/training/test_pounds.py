"""A trainee (or coach) who weighs in pounds reads every load and total in pounds."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from coaches import services
from training.models import Profile, Set, TrainingSession
from training.units import to_kg

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_25_lb(user, loaded) -> TrainingSession:
    """Three sets of 10 at 25 lb on each side."""
    session = TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 11, 3), variation=loaded
    )
    for position in range(1, 7):
        Set.objects.create(
            session=session,
            position=position,
            side="left" if position % 2 else "right",
            reps=10,
            load_kg=to_kg(Decimal(25), "lb"),
            tempo="3-0-1-1",
        )
    return session


def _in(unit: str, *people) -> None:
    Profile.objects.filter(user__in=people).update(unit=unit)


@pytest.mark.parametrize(
    ("unit", "totals"), [("lb", "L 750 / R 750"), ("kg", "L 340.19 / R 340.19")]
)
def test_work_totals_are_in_the_trainees_unit_on_the_log_and_history(
    user_client, user, at_25_lb, unit, totals
):
    _in(unit, user)
    for page in ("training:log", "training:history"):
        html = user_client.get(reverse(page)).content.decode()
        assert totals in html, page
        assert f"reps × {unit}, or reps alone" in html, page
        other = "kg" if unit == "lb" else "lb"
        assert f"reps × {other}" not in html, page


def test_the_work_chart_of_a_pounds_trainee_is_in_pounds(user_client, user, at_25_lb):
    _in("lb", user)
    html = user_client.get(reverse("training:progress")).content.decode()
    assert "Work per session: reps × lb" in html
    assert "Work is reps × lb for loaded sets" in html
    assert "× kg" not in html


def test_a_pounds_coach_reads_the_athletes_work_in_pounds(client, coach, user, at_25_lb):
    services.accept_invitation(services.create_invitation(coach), user)
    _in("lb", coach)
    client.force_login(coach)
    html = client.get(reverse("coaches:athlete", args=[user.pk])).content.decode()
    assert "L 750 / R 750" in html
    assert "reps × lb" in html


def test_an_owned_weight_over_the_limit_is_refused_in_pounds(user_client, user, bodyweight):
    _in("lb", user)
    response = user_client.post(
        reverse("training:profile"),
        {"unit": "lb", "level": bodyweight.pk, "dumbbells": "1200", "kettlebells": ""},
    )
    assert response.context["form"].errors["dumbbells"] == [
        "1200 lb is heavier than the 1,102.31 lb limit."
    ]
