"""A content change page saved after the same content was edited elsewhere is refused whole,
instead of putting the old values back; one drawn after the edit, or over unrelated edits,
saves."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coaching.models import Cue, Exercise, TempoPreset, Variation
from tests.coaching.test_admin_content import _change_form_data, _exercise_change, _row

pytestmark = pytest.mark.django_db

STALE_PAGE = (
    "This content was changed elsewhere since you opened this page: nothing was saved; "
    "reload to see the changes and make yours again."
)


def _page(admin_client, model: str, pk: int) -> tuple[str, dict]:
    url = reverse(f"admin:coaching_{model}_change", args=[pk])
    return url, _change_form_data(admin_client.get(url))


def _refused(response) -> None:
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="errornote"' in page
    assert STALE_PAGE in page
    assert response.context["adminform"].form.non_field_errors() == [STALE_PAGE]


def test_it_refuses_an_exercise_page_drawn_before_a_cue_was_edited_on_its_own_page(
    admin_client, exercise
):
    url, tab_a = _exercise_change(admin_client, exercise)
    tab_a = _change_form_data(tab_a)
    cue = Cue.objects.get(exercise=exercise, phase="top", order=2)
    cue_url, tab_b = _page(admin_client, "cue", cue.pk)
    tab_b["cue"] = "Knee stacked over the ankle"
    assert admin_client.post(cue_url, tab_b).status_code == 302

    tab_a["tagline"] = "A new tagline"
    response = admin_client.post(url, tab_a)

    _refused(response)
    cue.refresh_from_db()
    exercise.refresh_from_db()
    assert cue.cue == "Knee stacked over the ankle"
    assert exercise.tagline != "A new tagline"


def test_it_refuses_an_exercise_page_drawn_before_a_rungs_reps_were_edited(admin_client, exercise):
    url, tab_a = _exercise_change(admin_client, exercise)
    tab_a = _change_form_data(tab_a)
    rung = exercise.variations.get(level=2)
    rung_url, tab_b = _page(admin_client, "variation", rung.pk)
    tab_b["advance_reps_per_side"] = rung.advance_reps_per_side - 2
    assert admin_client.post(rung_url, tab_b).status_code == 302

    tab_a["tagline"] = "A new tagline"
    tab_a[f"{_row(tab_a, 'cues', exercise.cues.first().pk)}-cue"] = "Half of a save"
    response = admin_client.post(url, tab_a)

    _refused(response)
    assert Variation.objects.get(pk=rung.pk).advance_reps_per_side == tab_b["advance_reps_per_side"]
    assert not Cue.objects.filter(cue="Half of a save").exists()
    assert Exercise.objects.get(pk=exercise.pk).tagline != "A new tagline"


def test_it_refuses_a_rungs_own_page_drawn_before_the_exercise_page_changed_it(
    admin_client, exercise
):
    rung = exercise.variations.get(level=2)
    rung_url, tab_a = _page(admin_client, "variation", rung.pk)
    url, tab_b = _exercise_change(admin_client, exercise)
    tab_b = _change_form_data(tab_b)
    tab_b[f"{_row(tab_b, 'variations', rung.pk)}-advance_reps_per_side"] = 7
    assert admin_client.post(url, tab_b).status_code == 302

    tab_a["summary"] = "A new summary"
    _refused(admin_client.post(rung_url, tab_a))
    rung.refresh_from_db()
    assert (rung.advance_reps_per_side, rung.summary != "A new summary") == (7, True)


def test_a_page_drawn_after_the_edit_saves(admin_client, exercise):
    cue = Cue.objects.get(exercise=exercise, phase="top", order=2)
    cue_url, tab_b = _page(admin_client, "cue", cue.pk)
    tab_b["cue"] = "Knee stacked over the ankle"
    assert admin_client.post(cue_url, tab_b).status_code == 302

    url, tab_a = _exercise_change(admin_client, exercise)
    tab_a = _change_form_data(tab_a)
    tab_a["tagline"] = "A new tagline"

    assert admin_client.post(url, tab_a).status_code == 302
    cue.refresh_from_db()
    assert cue.cue == "Knee stacked over the ankle"
    assert Exercise.objects.get(pk=exercise.pk).tagline == "A new tagline"


def test_an_edit_of_content_the_page_does_not_show_is_no_reason_to_refuse(admin_client, exercise):
    url, tab_a = _exercise_change(admin_client, exercise)
    tab_a = _change_form_data(tab_a)
    # A tempo preset, and a rung's steps (its own page only): neither is on the exercise page.
    preset = TempoPreset.objects.first()
    preset_url, tab_b = _page(admin_client, "tempopreset", preset.pk)
    tab_b["description"] = "Another description"
    assert admin_client.post(preset_url, tab_b).status_code == 302
    rung = exercise.variations.get(level=2)
    rung_url, tab_c = _page(admin_client, "variation", rung.pk)
    tab_c["summary"] = "Another summary"
    assert admin_client.post(rung_url, tab_c).status_code == 302

    tab_a["tagline"] = "A new tagline"

    assert admin_client.post(url, tab_a).status_code == 302
    assert Exercise.objects.get(pk=exercise.pk).tagline == "A new tagline"
    assert Variation.objects.get(pk=rung.pk).summary == "Another summary"


def test_a_post_without_the_pages_fingerprint_is_refused(admin_client, exercise):
    url, tab_a = _exercise_change(admin_client, exercise)
    tab_a = _change_form_data(tab_a)
    del tab_a["page_fingerprint"]
    tab_a["tagline"] = "A new tagline"

    _refused(admin_client.post(url, tab_a))
    assert Exercise.objects.get(pk=exercise.pk).tagline != "A new tagline"
