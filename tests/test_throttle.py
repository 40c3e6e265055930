"""The throttle helper: a limit per window, counted atomically, in a cache of its own."""

from __future__ import annotations

import importlib
import sqlite3
import threading
import time
import types

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections

from core.throttle import _slots, allow, free_in
from tests.test_settings import _run

DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "hipthrust_throttle",
}


@pytest.fixture
def database_cache(settings, django_db_blocker):
    """The production default without Redis (tests count in memory, see tests/conftest.py)."""
    settings.CACHES = {**settings.CACHES, "db-throttle": DATABASE_CACHE}
    with django_db_blocker.unblock():
        call_command("createcachetable", "hipthrust_throttle", verbosity=0)
    yield "db-throttle"
    caches["db-throttle"].clear()  # a flushed test database keeps the cache table's rows


@pytest.mark.django_db
def test_it_allows_up_to_the_limit_then_refuses(database_cache):
    answers = [
        allow("x", "1.2.3.4", limit=3, window=60, cache_alias=database_cache) for _ in range(5)
    ]
    assert answers == [True, True, True, False, False]
    assert allow("x", "5.6.7.8", limit=3, window=60, cache_alias=database_cache)
    assert allow("y", "1.2.3.4", limit=3, window=60, cache_alias=database_cache)


@pytest.mark.django_db
def test_a_refusal_can_say_when_the_soonest_slot_frees(database_cache):
    assert free_in("x", "a", limit=2, cache_alias=database_cache) == 0
    allow("x", "a", limit=2, window=600, cache_alias=database_cache)
    assert free_in("x", "a", limit=2, cache_alias=database_cache) == 0  # one slot left
    allow("x", "a", limit=2, window=3600, cache_alias=database_cache)
    assert free_in("x", "a", limit=2, cache_alias=database_cache) == 10
    # A slot claimed before slots held when they free says nothing of it.
    caches[database_cache].set_many(dict.fromkeys(_slots("y", "a", 1), 1), timeout=60)
    assert free_in("y", "a", limit=1, cache_alias=database_cache) is None


@pytest.mark.django_db
def test_an_attempt_counts_only_for_its_window(database_cache):
    assert allow("x", "a", limit=1, window=1, cache_alias=database_cache)
    assert not allow("x", "a", limit=1, window=1, cache_alias=database_cache)
    time.sleep(2.1)  # the database cache keeps expiry times to the second
    assert allow("x", "a", limit=1, window=1, cache_alias=database_cache)


@pytest.mark.django_db
def test_page_traffic_in_the_default_cache_cannot_evict_the_counts(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tiny-pages",
            "OPTIONS": {"MAX_ENTRIES": 10},
        },
    }
    assert allow("signup", "1.2.3.4", limit=1, window=60)
    for n in range(400):
        caches["default"].set(f"page:{n}", "x" * 100)
    assert not allow("signup", "1.2.3.4", limit=1, window=60)


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_never_pass_the_limit(database_cache):
    barrier = threading.Barrier(10)
    answers: list[bool] = []

    def attempt() -> None:
        try:
            barrier.wait()
            answers.append(
                allow("reset", "ada@example.com", limit=3, window=60, cache_alias=database_cache)
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [False] * 7 + [True] * 3


def test_migrate_makes_the_throttle_table_without_redis(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    result = _run(["migrate", "--noinput"], DATABASE_URL=f"sqlite:///{database}", REDIS_URL="")
    assert result.returncode == 0, result.stderr

    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "hipthrust_throttle" in tables


@pytest.mark.django_db
def test_core_migration_makes_the_table_and_passes_where_it_is_already(settings):
    """Made by core's own migration now; a database where training's 0007 made the table
    already must migrate cleanly too."""
    settings.CACHES = {**settings.CACHES, "throttle": DATABASE_CACHE}
    migration = importlib.import_module("core.migrations.0001_throttle_cache_table")
    editor = types.SimpleNamespace(connection=connection)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS hipthrust_throttle")
    assert "hipthrust_throttle" not in connection.introspection.table_names()
    migration.create_cache_tables(None, editor)
    assert "hipthrust_throttle" in connection.introspection.table_names()
    migration.create_cache_tables(None, editor)  # an existing database: nothing to do
    assert "hipthrust_throttle" in connection.introspection.table_names()
