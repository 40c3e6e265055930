"""History and progress are rendered once per version of the trainee's log, and every
change to the log (by any path) makes them afresh."""

from __future__ import annotations

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from training import services
from training.csv_io import import_csv, undo_import
from training.models import ImportBatch, LevelChange, LevelSource, Profile, Set, TrainingSession

from .conftest import make_log, set_data

pytestmark = pytest.mark.django_db

HISTORY = reverse("training:history")
PROGRESS = reverse("training:progress")


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def version(user) -> int:
    return Profile.objects.get(user=user).log_version


@pytest.fixture
def logged(user, bodyweight):
    return make_log(user, bodyweight, sessions=3, sets_per_side=1)


def _bumps(user, change) -> bool:
    before = version(user)
    change()
    return version(user) > before


def test_every_kind_of_change_to_the_log_bumps_its_version(user, bodyweight, loaded, logged):
    session = logged[0]
    a_set = session.sets.first()
    changes = {
        "a new session": lambda: TrainingSession.objects.create(
            user=user, date=datetime.date(2025, 1, 1), variation=bodyweight
        ),
        "a new set": lambda: services.add_set(session, {"side": "left", "reps": 5}),
        "an edited set": lambda: services.update_set(a_set, {"reps": 12}, []),
        "a deleted set": lambda: Set.objects.filter(pk=a_set.pk).first().delete(),
        "an edited session": lambda: TrainingSession.objects.get(pk=session.pk).save(),
        "a deleted session": lambda: TrainingSession.objects.get(pk=logged[1].pk).delete(),
        "a level change": lambda: services.change_level(
            user, loaded, reason="test", source=LevelSource.MANUAL, changed_by=user
        ),
        "a CSV import": lambda: import_csv(
            user,
            io.StringIO(
                "session,date,variation,session_notes,position,side,reps,load_kg,hold_seconds,"
                "tempo,rpe,rir,form_errors,pain,note\n"
                "1,2025-02-01,single-leg-hip-thrust,,1,left,8,0,0,,,,,no,\n"
            ),
        ),
        "an undone import": lambda: undo_import(ImportBatch.objects.get(owner=user)),
        "sets from the timer": lambda: services.log_timer_sets(
            user,
            day=datetime.date(2025, 3, 1),
            variation=bodyweight,
            sides=["left", "right"],
            reps=8,
            tempo="3-0-1-1",
            hold_seconds=0,
            submission_id=uuid.uuid4(),
        ),
    }
    unchanged = [name for name, change in changes.items() if not _bumps(user, change)]
    assert unchanged == []
    assert LevelChange.objects.filter(user=user).exists()


def test_a_change_to_one_log_leaves_anothers_version_alone(user, other_user, bodyweight):
    before = version(other_user)
    make_log(user, bodyweight, sessions=1)
    TrainingSession.objects.create(user=user, date=datetime.date(2025, 1, 2), variation=bodyweight)
    assert version(other_user) == before


@pytest.mark.parametrize("url", [HISTORY, PROGRESS])
def test_a_repeat_visit_reads_no_sets(user_client, logged, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = user_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = user_client.get(url)
    assert again.status_code == 200
    assert main(again) == main(first)  # the frame differs: a fresh CSRF token
    assert [q["sql"] for q in queries.captured_queries if "training_set" in q["sql"]] == []
    assert len(queries) <= 6  # session, user, profile, two permission lookups (navigation)


def test_a_set_logged_through_the_page_shows_in_history_at_once(user_client, logged):
    session = logged[-1]
    before = user_client.get(HISTORY).content.decode()
    assert "2 sets" in before
    response = user_client.post(reverse("training:set-create", args=[session.pk]), set_data())
    assert response.status_code in (200, 302)
    assert "3 sets" in user_client.get(HISTORY).content.decode()


def test_progress_follows_a_deleted_session_and_a_change_of_unit(user, user_client, logged):
    first = user_client.get(PROGRESS).content.decode()
    response = user_client.post(reverse("training:session-delete", args=[logged[0].pk]))
    assert response.status_code in (200, 302)
    after = user_client.get(PROGRESS).content.decode()
    assert after != first
    assert reverse("training:session-detail", args=[logged[0].pk]) not in after
    assert reverse("training:session-detail", args=[logged[1].pk]) in after
    Profile.objects.filter(user=user).update(unit="lb")
    assert "Load (lb)" in user_client.get(PROGRESS).content.decode()


def test_two_trainees_never_see_each_others_cached_pages(client, user, other_user, bodyweight):
    make_log(user, bodyweight, sessions=2, load="20")
    client.force_login(user)
    mine = client.get(HISTORY).content.decode()
    assert "2 sessions logged" in mine
    client.force_login(other_user)
    theirs = client.get(HISTORY).content.decode()
    assert "0 sessions logged" in theirs
    assert client.get(PROGRESS).content.decode().count("Charts appear once you log") == 1


def test_each_history_page_is_kept_apart(user_client, user, bodyweight):
    make_log(user, bodyweight, sessions=25, load=str(Decimal("10")))
    first = user_client.get(HISTORY).content.decode()
    second = user_client.get(HISTORY + "?page=2").content.decode()
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
