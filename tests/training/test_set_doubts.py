"""A set far outside the recent range on its side is asked about before it is saved, with
JavaScript or without; a confirmed one saves; the CSV import never asks."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from imports.csv_io import HIPTHRUST_COLUMNS
from tests.conftest import import_file, set_data
from training.forms import new_set_lookups
from training.lookups import _SESSIONS
from training.models import Profile, Set, TrainingSession
from training.plausibility import RECENT_SETS

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def earlier(user, bodyweight) -> TrainingSession:
    """A session before `session` with left sets of 10, 9 and 8 reps, 15 to 20 kg."""
    earlier = TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 10, 30), variation=bodyweight
    )
    for position, (reps, kg) in enumerate([(10, 20), (9, 20), (8, 15)], start=1):
        Set.objects.create(
            session=earlier, position=position, side="left", reps=reps, load_kg=Decimal(kg)
        )
    return earlier


def _post(client, session, **fields):
    return client.post(reverse("training:set-create", args=[session.pk]), set_data(**fields))


def test_it_asks_before_saving_98_reps_after_sets_of_8_to_10_without_javascript(
    user_client, session, earlier
):
    # The last set, 8 on the right, is what the entry is prefilled with.
    Set.objects.create(session=session, position=1, side="right", reps=8)
    response = _post(user_client, session, reps="98", load="20")
    assert response.status_code == 200
    assert list(session.sets.values_list("reps", flat=True)) == [8]
    errors = " ".join(response.context["form"].errors["reps"])
    assert "98 reps is far from your recent sets on the left side (8 to 10 reps)" in errors
    assert "Did you mean 9?" in errors
    html = response.content.decode()
    box = r'<input type="checkbox" name="confirm"\s+id="id_confirm" value="reps=98">'
    assert re.search(box, html)
    assert "Yes, save 98 reps" in html


def test_a_ticked_confirmation_saves_the_far_set(user_client, session, earlier):
    response = _post(user_client, session, reps="98", load="20", confirm="reps=98")
    assert response.status_code == 302
    assert list(session.sets.values_list("reps", flat=True)) == [98]


def test_a_confirmation_of_other_numbers_asks_again_and_saves_nothing(
    user_client, session, earlier
):
    response = _post(user_client, session, reps="97", load="20", confirm="reps=98")
    assert response.status_code == 200
    assert "Yes, save 97 reps" in response.content.decode()
    assert not session.sets.exists()


def test_an_htmx_post_gets_the_question_back_in_the_entry(user_client, session, earlier):
    Set.objects.create(session=session, position=1, side="left", reps=8)
    response = user_client.post(
        reverse("training:set-create", args=[session.pk]),
        set_data(reps="98", load="20"),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Did you mean 9?" in html
    assert session.sets.count() == 1


def test_it_asks_about_ten_times_the_usual_load_in_the_trainees_unit(
    user_client, user, session, earlier
):
    Profile.objects.filter(user=user).update(unit="lb")
    response = _post(user_client, session, reps="9", load="441")  # 200 kg after 15-20 kg
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["load"])
    assert "441 lb is far from your recent sets on the left side" in errors
    assert "Yes, save 441 lb" in response.content.decode()
    assert not session.sets.exists()


def test_a_usual_set_and_a_side_without_history_save_at_once(user_client, session, earlier):
    assert _post(user_client, session, reps="11", load="20").status_code == 302
    assert _post(user_client, session, side="right", reps="98").status_code == 302
    assert sorted(session.sets.values_list("reps", flat=True)) == [11, 98]


def test_another_users_sets_are_no_range_for_mine(user_client, session, other_session):
    # other_session: grace's left set of 10 reps, same variation.
    assert _post(user_client, session, reps="98").status_code == 302


def test_an_edit_asks_about_a_new_far_number_but_not_one_already_saved(
    user_client, session, earlier
):
    kept = Set.objects.create(session=session, position=1, side="left", reps=98)
    url = reverse("training:set-edit", args=[kept.pk])
    edit = set_data(reps="98", note="confirmed before", revision=str(kept.revision))
    assert user_client.post(url, edit).status_code == 302
    kept.refresh_from_db()
    assert kept.note == "confirmed before"

    response = user_client.post(url, {**edit, "reps": "99", "revision": str(kept.revision)})
    assert response.status_code == 200
    assert "Yes, save 99 reps" in response.content.decode()
    kept.refresh_from_db()
    assert kept.reps == 98


def test_the_csv_import_brings_in_a_far_set_without_asking(user_client, user, earlier):
    row = "1,2026-11-01,single-leg-hip-thrust,,1,left,98,20,0,,,,,no,\n"
    response = import_file(user_client, (",".join(HIPTHRUST_COLUMNS) + "\n" + row).encode())
    assert response.status_code == 302
    assert Set.objects.filter(session__user=user, reps=98).count() == 1


@pytest.mark.parametrize("side", ["left", "right", "both"])
def test_the_recent_sets_read_with_the_session_are_those_asked_for_on_their_own(
    user, other_user, session, bodyweight, loaded, side
):
    """A new set's session is found with its side's recent sets (not a query of their own):
    the same newest RECENT_SETS of that side and variation, loads to the hundredth."""
    loads = ["0", "12.25", "20", "7.5", "100.75"]
    for day in range(1, 9):
        for variation, owner in ((bodyweight, user), (loaded, user), (bodyweight, other_user)):
            earlier = TrainingSession.objects.create(
                user=owner, date=datetime.date(2026, 10, day), variation=variation
            )
            for position, named in enumerate(["left", "right", "both"], start=1):
                Set.objects.create(
                    session=earlier,
                    position=position,
                    side=named,
                    reps=day + position,
                    load_kg=Decimal(loads[(day + position) % len(loads)]),
                )
    found = TrainingSession.objects.annotate(**new_set_lookups(side)).get(pk=session.pk)
    asked = Set.objects.recent_on_side(user.pk, bodyweight.pk, side, RECENT_SETS)
    kept = sorted((reps, Decimal(load)) for reps, load in getattr(found, f"recent_sets_on_{side}"))
    assert kept == sorted(asked.values_list("reps", "load_kg"))
    assert len(kept) == 8


def test_a_side_without_sets_is_read_as_empty_and_no_other_side_is_read(session):
    found = TrainingSession.objects.annotate(**new_set_lookups("left")).get(pk=session.pk)
    assert found.recent_sets_on_left == []
    assert not hasattr(found, "recent_sets_on_right")
    assert "recent_sets_on_unknown" not in new_set_lookups("unknown")
    assert set(new_set_lookups("<script>")) == {"last_reps"}


def test_adding_sets_compiles_the_sessions_query_once_for_each_side(user_client, session):
    url = reverse("training:set-create", args=[session.pk])
    for side in ("left", "right", "left", "right", "left"):
        user_client.post(url, set_data(side=side), **HTMX)
    compiled = len(_SESSIONS._prepared)
    for side in ("left", "right", "left", "right", "left"):
        user_client.post(url, set_data(side=side), **HTMX)
    assert len(_SESSIONS._prepared) == compiled
    assert session.sets.count() == 10
    assert new_set_lookups("left") is new_set_lookups("left")
