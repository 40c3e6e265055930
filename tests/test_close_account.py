"""Closing an account: the password asked again, signed out everywhere at once, and a job
that deletes everything of that account, in batches within its budget, and nothing else."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coaches import services as coaching
from coaches.models import AuditEntry, CoachLink, CoachNote, Prescription
from hipthrust import accounts
from tests.conftest import PASSWORD, make_log, prescription
from training.models import Profile, Set, TrainingSession
from videos.models import SetVideo

pytestmark = pytest.mark.django_db

JOB = "hipthrust.accounts.delete_closed_account"
CLOSE = reverse("close-account")


def _close(client, password=PASSWORD):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(CLOSE, {"password": password})


def _exists(user) -> bool:
    return get_user_model().objects.filter(pk=user.pk).exists()


@pytest.fixture
def a_video(user, a_set, media_root) -> SetVideo:
    clip = SetVideo(owner=user, session=a_set.session, set=a_set)
    clip.original.save("set.mp4", ContentFile(b"not really a video"), save=False)
    clip.poster.save("set.jpg", ContentFile(b"not really a poster"), save=False)
    clip.save()
    return clip


def test_it_asks_for_the_password_and_says_what_goes(user_client):
    response = user_client.get(CLOSE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="password"' in page
    assert "every session and set of both sides" in page
    assert reverse("imports:export") in page
    assert b"Close your account" in user_client.get(reverse("training:profile")).content


def test_it_sends_a_visitor_to_log_in_first(client):
    response = client.get(CLOSE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_wrong_password_closes_nothing_and_says_so_on_the_field(user_client, user, session):
    response = _close(user_client, password="not my password")
    assert response.status_code == 200
    assert "That is not your password" in str(response.context["form"].errors["password"])
    user.refresh_from_db()
    assert user.is_active
    assert Profile.objects.get(user=user).closed_at is None
    assert not DBTaskResult.objects.filter(task_path=JOB).exists()
    assert user_client.get(reverse("training:log")).status_code == 200


def test_closing_signs_out_on_every_device_and_queues_the_deletion(client, user, session):
    other_device = Client()
    other_device.force_login(user)
    client.force_login(user)
    response = _close(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account-closed")
    user.refresh_from_db()
    assert not user.is_active
    assert Profile.objects.get(user=user).closed_at is not None
    assert DBTaskResult.objects.get(task_path=JOB).args_kwargs["args"] == [user.pk]
    # The page after it names the account, once, for its script to forget what it logged
    # offline on this device; the account's data is still there until the job runs.
    closed = client.get(reverse("account-closed"))
    assert closed.status_code == 200
    assert f'data-closed-account="{user.pk}"' in closed.content.decode()
    assert client.get(reverse("account-closed"))["Location"] == reverse("coaching:home")
    for device in (client, other_device):
        assert device.get(reverse("training:log"))["Location"].startswith(reverse("login"))
    login = Client().post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert login.status_code == 200
    assert not login.context["form"].is_valid()


def test_the_job_deletes_everything_of_the_account_and_nothing_of_anyone_elses(
    client, user, other_user, coach, linked, session, a_set, a_video, other_session, media_root
):
    others_sets = Set.objects.create(session=other_session, position=9, side="left", reps=8)
    coaching.prescribe(coach, user, prescription(session.variation))
    coaching.add_coach_note(coach, user, session, "Hips higher at the top.")
    stored = [media_root / name for name in a_video.stored_names()]
    assert all(path.exists() for path in stored)
    client.force_login(user)
    _close(client)

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert accounts.delete_closed_account.call(user.pk) == "deleted"

    assert not _exists(user)
    assert not any(path.exists() for path in stored)
    assert not TrainingSession.objects.filter(user_id=user.pk).exists()
    assert not SetVideo.objects.filter(owner_id=user.pk).exists()
    for model in (CoachLink, CoachNote, Prescription, AuditEntry):
        assert not model.objects.filter(athlete_id=user.pk).exists(), model
    assert _exists(other_user)
    assert _exists(coach)
    assert Set.objects.filter(pk=others_sets.pk).exists()
    # Run again (a duplicate from requeue_videos): nothing left to do.
    assert accounts.delete_closed_account.call(user.pk) == "deleted"


def test_a_job_past_its_budget_queues_the_rest_and_each_batch_is_whole(
    client, user, bodyweight, monkeypatch
):
    make_log(user, bodyweight, sessions=5, sets_per_side=2)  # 20 sets
    monkeypatch.setattr(accounts, "BATCH", 6)
    monkeypatch.setattr(accounts, "JOB_SECONDS", 0)
    client.force_login(user)
    _close(client)
    DBTaskResult.objects.all().delete()

    assert accounts.delete_closed_account.call(user.pk) == "continues"
    # One batch, whole: six sets gone, none half-deleted, and the rest queued.
    assert Set.objects.filter(session__user=user).count() == 14
    assert DBTaskResult.objects.get(task_path=JOB).args_kwargs["args"] == [user.pk]
    runs = 1
    while accounts.delete_closed_account.call(user.pk) == "continues":
        runs += 1
    assert runs == 5  # 20 sets in 4 batches, then the sessions
    assert not _exists(user)


def test_the_job_deletes_nothing_of_an_account_that_was_not_closed(user, session, a_set):
    assert accounts.delete_closed_account.call(user.pk) == "deleted"
    assert _exists(user)
    assert Set.objects.filter(pk=a_set.pk).exists()


def test_a_coach_closing_leaves_their_athletes_logs_whole(client, coach, user, linked, a_set):
    client.force_login(coach)
    assert "As a coach" in client.get(CLOSE).content.decode()
    _close(client)
    accounts.delete_closed_account.call(coach.pk)
    assert not _exists(coach)
    # Kept without the coach, ended, so the athlete is told.
    kept = CoachLink.objects.get(athlete=user)
    assert (kept.coach_id, kept.closed_account, kept.ended_at is not None) == (None, True, True)
    assert not CoachLink.objects.current().exists()
    assert Set.objects.get(pk=a_set.pk).reps == a_set.reps


def test_a_superuser_is_refused_and_told_why(admin_client, admin_user):
    assert "superuser" in admin_client.get(CLOSE).content.decode()
    response = _close(admin_client, password="password")
    assert response.status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert not DBTaskResult.objects.filter(task_path=JOB).exists()


def test_requeueing_finds_closed_accounts_a_lost_job_left(user, other_user):
    long_ago = timezone.now() - accounts.STALE_AFTER - datetime.timedelta(minutes=1)
    Profile.objects.filter(user=user).update(closed_at=long_ago)
    Profile.objects.filter(user=other_user).update(closed_at=timezone.now())
    call_command("requeue_videos", stdout=open("/dev/null", "w"))  # noqa: SIM115
    jobs = DBTaskResult.objects.filter(task_path=JOB)
    assert [job.args_kwargs["args"] for job in jobs] == [[user.pk]]


def test_a_log_larger_than_a_batch_goes_in_one_job(client, user, bodyweight):
    make_log(user, bodyweight, sessions=20, sets_per_side=60, load=Decimal("10"))  # 2,400
    client.force_login(user)
    _close(client)
    assert accounts.delete_closed_account.call(user.pk) == "deleted"
    assert not Set.objects.exists()


def test_it_says_what_the_copy_it_offers_leaves_out(user_client):
    page = " ".join(user_client.get(CLOSE).content.decode().split())
    assert "It does not hold your videos, your level's history or what your coaches wrote" in page


def test_it_says_what_a_coach_is_told_which_is_what_the_coach_then_sees(client, linked_coach, user):
    CoachLink.objects.filter(coach=linked_coach, athlete=user).update(label="Ada")
    client.force_login(user)
    page = " ".join(client.get(CLOSE).content.decode().split())
    assert (
        "Each sees that an athlete they coached closed their account, and on which day, under "
        "the label they gave the invitation you accepted, which is often your name; nothing "
        "else of yours."
    ) in page
    assert "not who" not in page

    _close(client)
    client.force_login(linked_coach)
    coach_page = " ".join(client.get(reverse("coaches:dashboard")).content.decode().split())
    assert "An athlete you coached (your invitation: Ada) closed their account on" in coach_page
