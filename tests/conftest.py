from __future__ import annotations

import datetime
import importlib
import os
import re
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import hypothesis
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import resolve, reverse
from django.utils import timezone

from coaches import services
from coaches.models import Prescription
from coaching.models import Exercise, Variation
from imports.models import ImportStatus, PendingImport
from tests.videos.clips import make_clip
from training import summaries
from training.models import Set, TrainingSession

GUIDE_SLUG = "single-leg-hip-thrust"

# Randomised tests judge rules, never time: no deadline, which a shared 2-core machine under
# load misses now and then (Hypothesis then calls a test that passed flaky).
hypothesis.settings.register_profile("hipthrust", deadline=None)
hypothesis.settings.load_profile("hipthrust")


@pytest.fixture(autouse=True, scope="session")
def _unhashed_static_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Serve static files by their plain names in tests.

    Production's manifest storage needs `collectstatic` to have run, and the live
    server looks files up by plain name; tests/test_static.py covers the real storage.
    """
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    static_root = tmp_path_factory.mktemp("static")
    # Real hashing costs seconds across the suite and tests nothing of ours.
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Throttle counts in memory, cleared between tests (_fresh_cache) whether or not a test
    # may touch the database; tests/test_throttle.py covers the database cache itself.
    caches = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "throttle-tests",
        },
    }
    with override_settings(
        STORAGES=storages, STATIC_ROOT=static_root, PASSWORD_HASHERS=hashers, CACHES=caches
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def _flush_by_delete_on_postgresql() -> Iterator[None]:
    """Empty the tables after a transactional test with DELETE, not TRUNCATE, on PostgreSQL.

    TRUNCATE makes every one of the ~40 tables anew: about 0.25 s a flush, and the browser,
    concurrency and backup tests flush about 300 times. DELETE of their few rows takes a
    tenth of that and leaves the same empty tables; the foreign keys Django makes are
    deferred, so the order does not matter inside flush's one transaction.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences:  # ids from 1 again: TRUNCATE's RESTART IDENTITY does that
            return truncate(self, style, tables, reset_sequences=True, allow_cascade=allow_cascade)
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """SQLite's test database in a file, as the site runs it, not in memory.

    An in-memory database shared between threads locks whole tables and ignores the
    busy timeout, so concurrency tests (tests/training/test_concurrency.py) would test
    a database nobody runs.
    """
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture
def exercise(db: None) -> Exercise:
    """The guide's exercise, as the content migration loads it."""
    return Exercise.objects.get(slug=GUIDE_SLUG)


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, so leftovers can be counted."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


PASSWORD = "correct-horse-battery-staple-42"


def prescription_form(variation, **changes) -> dict:
    """What a coach types into the prescription form: 3 x 8 at 3-0-1-1, body weight."""
    return {
        "variation": variation.pk,
        "sets": 3,
        "reps_per_side": 8,
        "load": "",
        "tempo": "3-0-1-1",
        "hold_seconds": 0,
        "side_order": "left-right",
        "sessions_per_week": 2,
        **changes,
    }


def todays_plan_card(client, athlete) -> str:
    """The words of the coach's plan card on `athlete`'s Today, spaces made single."""
    client.force_login(athlete)
    html = " ".join(client.get(reverse("training:log")).content.decode().split())
    return html[html.index('id="rx-title"') : html.index('id="level-title"')]


def asked_before_adding_load(client, athlete, rung, load: str, now: str, why: str, reason: str):
    """A coach's plan of `load` kg against advice that adds none (`why`, for `reason`): asked
    about on the load's field with the advice quoted, nothing saved; ticked, saved as typed."""
    url = reverse("coaches:prescribe", args=[athlete.pk])
    plans = Prescription.objects.count()
    response = client.post(url, prescription_form(rung, load=load))
    assert response.status_code == 200
    [message] = response.context["prescription_form"].errors["load"]
    assert message == (
        f"{athlete.get_username()} is told: “{why}” {load} kg is more than the {now} kg of "
        f"their plan and recent sets. Correct it, or tick “Yes, prescribe {load} kg despite "
        f"{reason}”."
    )
    assert f'value="load_kg={load} despite {reason}"' in response.content.decode()
    assert Prescription.objects.count() == plans

    confirmed = prescription_form(rung, load=load, confirm=f"load_kg={load} despite {reason}")
    assert client.post(url, confirmed).status_code == 302
    assert Prescription.objects.latest("pk").load_kg == Decimal(load)


def prescription(variation, **changes) -> dict:
    """What a coach's prescription form gives `services.prescribe`: 3 x 12 at 3-0-1-1."""
    return {
        "variation": variation,
        "sets": 3,
        "reps_per_side": 12,
        "load_kg": Decimal(0),
        "tempo": "3-0-1-1",
        "hold_seconds": 0,
        "sessions_per_week": 3,
        "notes": "",
        **changes,
    }


@pytest.fixture
def user(db, django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.com", PASSWORD)


@pytest.fixture
def other_user(db, django_user_model):
    return django_user_model.objects.create_user("grace", "grace@example.com", PASSWORD)


@pytest.fixture
def coach(db, django_user_model):
    """A member of the Coach group with no athletes: content editing is all it gives."""
    user = django_user_model.objects.create_user("coach", "c@example.com", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Coach"))
    return user


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def make_coach_group() -> Group:
    """The Coach group as its migration (training 0003) makes it, each permission found by
    its model's name: some of those models have since moved to other apps."""
    migration = importlib.import_module("training.migrations.0003_coach_group")
    group = Group.objects.create(name=migration.COACH_GROUP)
    group.permissions.set(
        Permission.objects.get(codename=codename, content_type__model=codename.split("_", 1)[1])
        for _, codename in migration.wanted()
    )
    return group


@pytest.fixture
def guide_content(transactional_db: None) -> None:
    """The migrated guide and the Coach group, for transactional tests (they flush the
    database after each).

    serialized_rollback cannot restore it once Playwright's event loop runs in this
    thread: Django then hands out a fresh connection without the serialized copy. The
    loaders are the data migrations' own, so the content is exactly what `migrate` makes.
    """
    if not Exercise.objects.exists():
        importlib.import_module("coaching.migrations.0002_guide_content").load_guide(apps, None)
        importlib.import_module("coaching.migrations.0003_figures").assign_figures(apps, None)
        loads = importlib.import_module("coaching.migrations.0006_band_and_step_take_no_load")
        loads.take_no_load(apps, None)
        honest = importlib.import_module("coaching.migrations.0007_honest_content")
        honest.tell_only_the_source(apps, None)
        hands = importlib.import_module("coaching.migrations.0008_why_the_hands_steady_the_weight")
        hands.say_why_the_hands_steady_it(apps, None)
    if not Group.objects.filter(name="Coach").exists():
        # A flush after a serialized-rollback test skips post_migrate, so the permissions
        # may be gone too; recreating them is idempotent.
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        make_coach_group()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages and throttling counts from one test must not leak into the next."""
    from django.core.cache import cache, caches

    from core.throttle import THROTTLE_CACHE

    cache.clear()
    caches[THROTTLE_CACHE].clear()
    yield
    cache.clear()
    caches[THROTTLE_CACHE].clear()


@pytest.fixture
def bodyweight(db) -> Variation:
    return Variation.objects.get(slug="single-leg-hip-thrust")


@pytest.fixture
def loaded(db) -> Variation:
    return Variation.objects.get(slug="loaded-single-leg-hip-thrust")


@pytest.fixture
def bridge(db) -> Variation:
    return Variation.objects.get(slug="floor-glute-bridge")


@pytest.fixture
def session(user, bodyweight) -> TrainingSession:
    return TrainingSession.objects.create(
        user=user, date=datetime.date(2026, 11, 2), variation=bodyweight
    )


@pytest.fixture
def other_session(other_user, bodyweight) -> TrainingSession:
    session = TrainingSession.objects.create(
        user=other_user, date=datetime.date(2026, 11, 2), variation=bodyweight
    )
    Set.objects.create(session=session, position=1, side="left", reps=10)
    return session


@pytest.fixture
def a_set(session) -> Set:
    return Set.objects.create(session=session, position=1, side="left", reps=10)


@pytest.fixture
def h264(tmp_path) -> Path:
    """Two seconds of a phone's H.264 clip (a rep's worth), location tag included."""
    return make_clip(tmp_path / "phone.mp4", seconds=2)


@pytest.fixture
def athlete_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def linked(coach, user):
    """The coaching link of `coach` with `user`, accepted."""
    link = services.create_invitation(coach)
    services.accept_invitation(link, user)
    return link


@pytest.fixture
def linked_coach(linked):
    return linked.coach


def set_data(**overrides) -> dict:
    data = {
        "side": "left",
        "reps": "10",
        "load": "",
        "hold_seconds": "",
        "tempo": "3-0-1-1",
        "effort": "rpe:8",
        "note": "",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def as_the_browser_submits(form) -> dict:
    """A form's fields as its page shows them, as a browser posts them back untouched."""
    return {
        name: value
        for name, value in ((field.name, field.value()) for field in form)
        if value is not None
    }


def days_ago(days: int) -> datetime.date:
    """The day `days` before today (the site's zone): a session of it is recent whenever the
    suite runs, as the level advice reads sessions more than four weeks old as a break."""
    return timezone.localdate() - datetime.timedelta(days=days)


# What a set tuple of logged_session names, in order; a tuple may stop early.
SET_TUPLE = ("side", "reps", "load_kg", "hold_seconds", "tempo")


def logged_session(user, variation, day, sets=()) -> TrainingSession:
    """A session of `day` with a set for each tuple (side, reps[, load, hold[, tempo]])."""
    session = TrainingSession.objects.create(user=user, date=day, variation=variation)
    for position, values in enumerate(sets, start=1):
        fields = dict(zip(SET_TUPLE, values, strict=False))
        if "load_kg" in fields:
            fields["load_kg"] = Decimal(fields["load_kg"])
        Set.objects.create(session=session, position=position, **fields)
    return session


def make_log(user, variation, *, sessions: int, sets_per_side: int = 3, start=None, load="0"):
    """A log built in bulk: `sessions` sessions, alternating left/right sets, each session
    started at noon of its own day (as a trainee logs it), not all of them now."""
    start = start or datetime.date(2024, 1, 1)
    made = TrainingSession.objects.bulk_create(
        TrainingSession(user=user, date=start + datetime.timedelta(days=i), variation=variation)
        for i in range(sessions)
    )
    # bulk_create stamps auto_now_add fields with now, whatever they were given.
    for s in made:
        s.created_at = timezone.make_aware(datetime.datetime.combine(s.date, datetime.time(12)))
    TrainingSession.objects.bulk_update(made, ["created_at"], batch_size=1000)
    sets = Set.objects.bulk_create(
        Set(
            session=s,
            position=position,
            side="left" if position % 2 else "right",
            reps=8 + position % 3,
            load_kg=Decimal(load),
            hold_seconds=position % 4,
            tempo="3-0-1-1",
        )
        for s in made
        for position in range(1, 2 * sets_per_side + 1)
    )
    # Bulk writes pass the receivers by: their summaries are made as a service makes them.
    summaries.sets_changed([s.pk for s in made], added=summaries.marks_of_new(sets))
    return made


def timer_plan(**overrides) -> dict:
    """What the timer's "log these sets" form posts, with a fresh submission id."""
    data = {
        "variation": "single-leg-hip-thrust",
        "tempo": "3-0-1-1",
        "sets": "2",
        "reps": "10",
        "sides": "right-left",
        "hold_seconds": "1",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def import_file(client, content: bytes, name: str = "log.csv"):
    """Upload a CSV, open its preview and save it, as a trainee does; the save's response.
    A file large enough for the background jobs has them run here, as the worker would."""
    from imports import tasks

    file = SimpleUploadedFile(name, content, content_type="text/csv")
    uploaded = client.post(reverse("imports:import"), {"file": file})
    assert uploaded.status_code == 302, uploaded.status_code
    pk = resolve(uploaded["Location"]).kwargs["pk"]
    if PendingImport.objects.filter(pk=pk, status=ImportStatus.CHECKING).exists():
        assert tasks.check_import.call(pk) == "checked"
    # From the page, as a browser sends it (a test client's context is not thread safe).
    page = client.get(uploaded["Location"]).content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page).group(1)
    saved = client.post(reverse("imports:save", args=[pk]), {"digest": digest})
    if PendingImport.objects.filter(pk=pk, status=ImportStatus.SAVING).exists():
        assert tasks.save_import.call(pk, digest) == "saved"
    return saved


PINNED = Path(__file__).parent / "training" / "pinned"


def assert_pinned(name: str, text: str) -> None:
    """`text` is exactly the pinned file `name`; PIN_UPDATE=1 rewrites the file instead."""
    path = PINNED / name
    if os.environ.get("PIN_UPDATE") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
