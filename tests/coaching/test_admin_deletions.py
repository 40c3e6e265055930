"""Deleting guide content that trainees' logs point at: refused, and every deletion audited."""

from __future__ import annotations

import datetime
import html

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.urls import reverse

from coaching.models import FormError, Variation
from training.models import Set, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client


@pytest.fixture
def flagged(exercise, user) -> FormError:
    """A form error a trainee flagged on one of their logged sets."""
    error = exercise.form_errors.order_by("order").first()
    session = TrainingSession.objects.create(
        user=user,
        date=datetime.date(2026, 11, 2),
        variation=Variation.objects.get(slug="single-leg-hip-thrust"),
    )
    logged = Set.objects.create(session=session, position=1, side="left", reps=10)
    logged.form_errors.add(error)
    return error


@pytest.fixture
def unflagged(exercise) -> FormError:
    return exercise.form_errors.order_by("-order").first()


def _delete_url(error: FormError) -> str:
    return reverse("admin:coaching_formerror_delete", args=[error.pk])


def _still_flagged(error: FormError) -> bool:
    return Set.objects.filter(form_errors=error).exists()


def test_a_coach_cannot_delete_a_form_error_trainees_flagged(coach_client, flagged):
    response = coach_client.post(_delete_url(flagged), {"post": "yes"})
    assert response.status_code == 403
    assert FormError.objects.filter(pk=flagged.pk).exists()
    assert _still_flagged(flagged)


def test_a_coach_cannot_delete_an_unflagged_form_error_either(coach_client, unflagged):
    assert coach_client.post(_delete_url(unflagged), {"post": "yes"}).status_code == 403
    assert FormError.objects.filter(pk=unflagged.pk).exists()


def test_a_coach_still_edits_form_errors(coach_client, flagged):
    change = coach_client.get(reverse("admin:coaching_formerror_change", args=[flagged.pk]))
    assert change.status_code == 200
    assert "Delete" not in change.content.decode().split('class="submit-row"')[1][:600]


def test_a_coach_cannot_delete_the_exercise(coach_client, exercise):
    url = reverse("admin:coaching_exercise_delete", args=[exercise.pk])
    assert coach_client.post(url, {"post": "yes"}).status_code == 403
    assert FormError.objects.filter(exercise=exercise).exists()


def test_a_coach_cannot_delete_a_form_error_from_the_exercise_page(coach_client, flagged):
    from tests.coaching.test_admin_content import _change_form_data, _row

    url = reverse("admin:coaching_exercise_change", args=[flagged.exercise_id])
    page = coach_client.get(url)
    data = _change_form_data(page)
    data[f"{_row(data, 'form_errors', flagged.pk)}-DELETE"] = "on"
    coach_client.post(url, data)
    assert FormError.objects.filter(pk=flagged.pk).exists()
    assert _still_flagged(flagged)


def test_a_flagged_form_error_is_refused_even_to_a_superuser(admin_client, flagged):
    response = admin_client.post(_delete_url(flagged), {"post": "yes"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"“{flagged}” cannot be deleted while 1 logged set uses it; edit it instead." in page
    assert FormError.objects.filter(pk=flagged.pk).exists()
    assert _still_flagged(flagged)


def test_the_bulk_delete_action_refuses_a_flagged_form_error(admin_client, flagged, unflagged):
    response = admin_client.post(
        reverse("admin:coaching_formerror_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [flagged.pk, unflagged.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 200
    assert "cannot be deleted while 1 logged set uses it" in response.content.decode()
    assert FormError.objects.filter(pk__in=[flagged.pk, unflagged.pk]).count() == 2


def test_the_exercise_page_refuses_deleting_a_flagged_form_error(admin_client, flagged):
    from tests.coaching.test_admin_content import _change_form_data, _row

    url = reverse("admin:coaching_exercise_change", args=[flagged.exercise_id])
    data = _change_form_data(admin_client.get(url))
    data[f"{_row(data, 'form_errors', flagged.pk)}-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "cannot be deleted while 1 logged set uses it" in response.content.decode()
    assert _still_flagged(flagged)


def test_deleting_the_exercise_is_refused_while_its_form_errors_are_flagged(admin_client, flagged):
    url = reverse("admin:coaching_exercise_delete", args=[flagged.exercise_id])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert FormError.objects.filter(pk=flagged.pk).exists()


def test_a_superuser_deletes_an_unflagged_form_error_and_it_is_audited(
    admin_client, admin_user, unflagged
):
    response = admin_client.post(_delete_url(unflagged), {"post": "yes"})
    assert response.status_code == 302
    assert not FormError.objects.filter(pk=unflagged.pk).exists()
    entry = LogEntry.objects.get(action_flag=DELETION)
    assert (entry.user, entry.object_id, entry.object_repr) == (
        admin_user,
        str(unflagged.pk),
        unflagged.name,
    )


def test_a_form_error_deleted_on_the_exercise_page_is_audited_as_a_deletion(
    admin_client, admin_user, unflagged
):
    from tests.coaching.test_admin_content import _change_form_data, _row

    url = reverse("admin:coaching_exercise_change", args=[unflagged.exercise_id])
    data = _change_form_data(admin_client.get(url))
    data[f"{_row(data, 'form_errors', unflagged.pk)}-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert not FormError.objects.filter(pk=unflagged.pk).exists()
    entry = LogEntry.objects.get(action_flag=DELETION)
    assert (entry.user, entry.object_id, entry.content_type.model) == (
        admin_user,
        str(unflagged.pk),
        "formerror",
    )


@pytest.mark.parametrize("selected", ["abc", "1e3", str(2**70)])
def test_an_action_on_ids_that_are_no_rows_changes_nothing_and_says_so(
    admin_client, unflagged, selected
):
    # A hand-edited or stale form: the changelist answers as for no selection, not a 500.
    response = admin_client.post(
        reverse("admin:coaching_formerror_changelist"),
        {"action": "delete_selected", "_selected_action": [selected], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Items must be selected in order to perform actions" in response.content.decode()
    assert FormError.objects.filter(pk=unflagged.pk).exists()


# A rung other people's logs use: counted, never named.


@pytest.fixture
def private_rung(django_user_model) -> Variation:
    """Rung 4, used by a trainee of another coach in every way a log and a plan use one."""
    from coaches.models import Prescription
    from training.models import LevelChange, Profile

    rung = Variation.objects.get(level=4)
    other_coach = django_user_model.objects.create_user("coach2", "c2@example.com", "pw-x-12345")
    trainee = django_user_model.objects.create_user("zed_private", "z@example.com", "pw-x-12345")
    Profile.objects.update_or_create(user=trainee, defaults={"level": rung})
    LevelChange.objects.create(user=trainee, to_variation=rung, reason="x", source="manual")
    LevelChange.objects.create(
        user=trainee, from_variation=rung, to_variation=rung, reason="x", source="manual"
    )
    for day in (2, 3):
        session = TrainingSession.objects.create(
            user=trainee, date=datetime.date(2026, 11, day), variation=rung
        )
        Set.objects.create(session=session, position=1, side="right", reps=12)
    Prescription.objects.create(
        athlete=trainee, coach=other_coach, variation=rung, sets=3, reps_per_side=8, tempo="3-1-1-0"
    )
    return rung


PRIVATE_WORDS = ["zed_private", "coach2", "2026-11-0", "Nov. 2", "right 12", "Profile of"]


def _says_nothing_of_anyone(page: str) -> None:
    for word in PRIVATE_WORDS:
        assert word not in page
    assert "protected related objects" not in page
    assert "permission to delete" not in page


def test_deleting_a_used_rung_on_the_exercise_page_counts_its_uses_and_names_no_one(
    coach_client, private_rung
):
    from tests.coaching.test_admin_content import _change_form_data, _row

    url = reverse("admin:coaching_exercise_change", args=[private_rung.exercise_id])
    data = _change_form_data(coach_client.get(url))
    data[f"{_row(data, 'variations', private_rung.pk)}-DELETE"] = "on"

    response = coach_client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f"“{private_rung}” cannot be deleted while 1 trainee’s current level, 2 level changes, "
        "2 sessions, 1 record of alike sets and 1 plan use it; edit it instead."
    ) in html.unescape(page)
    _says_nothing_of_anyone(page)
    assert Variation.objects.filter(pk=private_rung.pk).exists()


def test_the_rungs_delete_page_counts_its_uses_and_names_no_one(coach_client, private_rung):
    url = reverse("admin:coaching_variation_delete", args=[private_rung.pk])
    page = coach_client.get(url).content.decode()

    assert "2 level changes, 2 sessions, 1 record of alike sets and 1 plan use it" in html.unescape(
        page
    )
    _says_nothing_of_anyone(page)
    refused = coach_client.post(url, {"post": "yes"})
    assert refused.status_code == 200
    _says_nothing_of_anyone(refused.content.decode())
    bulk = coach_client.post(
        reverse("admin:coaching_variation_changelist"),
        {"action": "delete_selected", "_selected_action": [private_rung.pk], "post": "yes"},
    )
    assert bulk.status_code == 200
    bulk_page = bulk.content.decode()
    assert "2 sessions, 1 record of alike sets and 1 plan use it" in bulk_page
    for word in PRIVATE_WORDS:
        assert word not in bulk_page
    assert "permission to delete" not in bulk_page
    assert Variation.objects.filter(pk=private_rung.pk).exists()


def test_a_form_error_a_coach_tagged_on_a_video_is_counted_not_quoted(
    admin_client, exercise, django_user_model
):
    from videos.models import SetVideo, VideoComment

    error = exercise.form_errors.order_by("-order").first()
    trainee = django_user_model.objects.create_user("zed_private", "z@example.com", "pw-x-12345")
    session = TrainingSession.objects.create(
        user=trainee, date=datetime.date(2026, 11, 2), variation=Variation.objects.get(level=4)
    )
    video = SetVideo.objects.create(
        owner=trainee, session=session, side="right", original="v/a.mp4", size=1
    )
    VideoComment.objects.create(
        video=video,
        author=admin_client_user(django_user_model),
        at_seconds=1,
        text="zed’s hips",
        form_error=error,
    )

    page = admin_client.get(reverse("admin:coaching_formerror_delete", args=[error.pk]))

    text = html.unescape(page.content.decode())
    assert f"“{error}” cannot be deleted while 1 video comment uses it; edit it instead." in text
    assert "zed’s hips" not in text
    assert "zed_private" not in text
    assert FormError.objects.filter(pk=error.pk).exists()


def admin_client_user(django_user_model):
    return django_user_model.objects.get(is_superuser=True)
