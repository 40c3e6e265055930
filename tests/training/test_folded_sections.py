"""The log's folded sections (<details>) say in their summary what is inside."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import make_log, set_data
from training.models import Set

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _summary(html: str, starts: str) -> str:
    found = re.search(rf"<summary>({re.escape(starts)}[^<]*)</summary>", html)
    assert found, f"no summary starting {starts!r}"
    return " ".join(found.group(1).split())


def test_the_set_forms_extras_say_how_many_are_flagged_and_stay_open(user_client, session):
    response = user_client.post(
        reverse("training:set-create", args=[session.pk]),
        set_data(reps="", pain="on", note="Left knee"),
        **HTMX,
    )
    html = response.content.decode()
    assert _summary(html, "Form errors") == "Form errors, pain, note (2 flagged)"
    assert '<details class="set-form__more" open>' in html


def test_a_fresh_set_form_names_its_extras_without_a_count(user_client, session):
    html = user_client.get(session.get_absolute_url()).content.decode()
    assert _summary(html, "Form errors") == "Form errors, pain, note"


def test_the_balance_table_says_how_many_sessions_it_holds(user_client, user, bodyweight):
    make_log(user, bodyweight, sessions=3, sets_per_side=1)
    html = user_client.get(reverse("training:progress")).content.decode()
    assert _summary(html, "Balance per session") == "Balance per session, as a table (3 sessions)"


def test_the_rep_maxes_say_how_many_rep_counts_they_hold(user_client, session):
    for position, reps in enumerate([8, 10, 10], start=1):
        Set.objects.create(
            session=session, position=position, side="left", reps=reps, load_kg=Decimal(20)
        )
    html = user_client.get(reverse("training:records")).content.decode()
    assert _summary(html, "Left:") == "Left: heaviest load for each number of reps (2 rep counts)"
