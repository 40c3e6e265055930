from __future__ import annotations

import importlib
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.test import override_settings

from coaching.models import Exercise

GUIDE_SLUG = "single-leg-hip-thrust"


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
        migration = importlib.import_module("training.migrations.0003_coach_group")
        migration.assign_coach_permissions(apps, None)


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
