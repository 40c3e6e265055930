"""Settings come from the environment, and a bad value stops the process loudly."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from hipthrust.env import env_bool, env_int, env_list

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        (" on ", True),
        ("0", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(raw, expected):
    assert env_bool("X", not expected, {"X": raw}) is expected


def test_env_bool_uses_the_default_when_unset():
    assert env_bool("X", True, {}) is True


@pytest.mark.parametrize("raw", ["ture", "2", "enabled"])
def test_env_bool_refuses_anything_else(raw):
    with pytest.raises(ImproperlyConfigured, match="X="):
        env_bool("X", False, {"X": raw})


def test_env_int_reads_and_bounds_numbers():
    assert env_int("N", 4, {"N": " 12 "}) == 12
    assert env_int("N", 4, {}) == 4
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("N", 4, {"N": "four"})
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("N", 4, {"N": "-1"}, minimum=0)
    with pytest.raises(ImproperlyConfigured, match="above the maximum"):
        env_int("N", 4, {"N": "99"}, maximum=10)


def test_env_list_splits_on_commas_and_refuses_empty_entries():
    assert env_list("H", ["a"], {"H": "a.example, b.example"}) == ["a.example", "b.example"]
    assert env_list("H", ["a"], {}) == ["a"]
    with pytest.raises(ImproperlyConfigured, match="empty entry"):
        env_list("H", [], {"H": "a.example,,b.example"})


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "hipthrust.example",
    "DJANGO_HTTPS": "1",
    "DJANGO_DEBUG": "0",
}


def test_deploy_check_is_silent_with_production_variables():
    result = _run(["check", "--deploy", "--fail-level", "DEBUG"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_complains_without_https():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"], **{**PRODUCTION, "DJANGO_HTTPS": "0"}
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr


def test_a_public_host_without_a_secret_key_refuses_to_start():
    result = _run(["check"], DJANGO_ALLOWED_HOSTS="hipthrust.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_misspelt_boolean_refuses_to_start():
    result = _run(["check"], DJANGO_DEBUG="ture")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='ture' is not a boolean" in result.stderr


def test_debug_is_off_unless_asked(settings):
    result = _run(["shell", "-c", "from django.conf import settings; print(settings.DEBUG)"])
    assert result.stdout.strip().endswith("False")


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_a_redis_url_gives_a_shared_cache_for_sessions_and_throttling():
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("CI runs Redis on 127.0.0.1:6379, but it does not answer")
        pytest.skip("no Redis on 127.0.0.1:6379")
    script = (
        "from django.conf import settings; from django.core.cache import caches; "
        "cache = caches['default']; cache.set('t', 'shared', 5); "
        "print(type(cache).__name__, cache.get('t'), settings.SESSION_ENGINE, "
        "settings.AXES_HANDLER, type(caches['throttle']).__name__, "
        "cache._cache.get_client() is cache._cache.get_client(write=True))"
    )
    result = _run(["shell", "-c", script], REDIS_URL="redis://127.0.0.1:6379/15")
    assert result.returncode == 0, result.stderr
    # Login counts are database rows (a password reset clears them from every address);
    # the other throttles are a database cache too: Redis evicts under its memory limit.
    # One Redis client serves every call (core/redis_cache.py), not a new one each.
    assert result.stdout.split()[-6:] == [
        "RedisCache",
        "shared",
        "django.contrib.sessions.backends.cached_db",
        "axes.handlers.database.AxesDatabaseHandler",
        "DatabaseCache",
        "True",
    ]


def test_without_redis_throttle_counts_live_in_the_database_not_beside_pages():
    script = (
        "from django.core.cache import caches; "
        "print(type(caches['default']).__name__, type(caches['throttle']).__name__)"
    )
    result = _run(["shell", "-c", script], REDIS_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["LocMemCache", "DatabaseCache"]


def test_the_media_storage_backend_comes_from_the_environment():
    script = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    result = _run(["shell", "-c", script], DJANGO_MEDIA_STORAGE="myproject.storage.Bucket")
    assert result.stdout.strip().endswith("myproject.storage.Bucket")


@pytest.mark.django_db
def test_postgresql_prepares_a_statement_run_again_whoever_it_asks_for(django_user_model):
    """The values are bound apart from the statement, so one statement asked for six users
    is one text, which psycopg prepares on its fifth run: PostgreSQL stops planning it."""
    if connection.vendor != "postgresql":
        assert "server_side_binding" not in connection.settings_dict["OPTIONS"]
        return
    for number in range(6):
        user = django_user_model.objects.create_user(f"prepared{number}")
        assert django_user_model.objects.filter(pk=user.pk, is_active=True).first() == user
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any('FROM "auth_user"' in s and '"is_active"' in s and "$1" in s for s in prepared)
