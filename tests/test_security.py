"""Login throttling, sign-up throttling, request caps, the health check and safe media."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_repeated_wrong_passwords_lock_the_login_out(client, user):
    statuses = [
        client.post(reverse("login"), {"username": "ada", "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_right_password_resets_the_count(client, user):
    for _ in range(4):
        client.post(reverse("login"), {"username": "ada", "password": "wrong"})
    assert (
        client.post(reverse("login"), {"username": "ada", "password": PASSWORD}).status_code == 302
    )
    client.post(reverse("logout"))
    for _ in range(4):
        assert (
            client.post(reverse("login"), {"username": "ada", "password": "wrong"}).status_code
            == 200
        )


def test_sign_ups_are_throttled_per_address(client, settings):
    settings.SIGNUPS_PER_HOUR = 2
    for n in range(2):
        data = {
            "username": f"u{n}",
            "email": f"u{n}@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        }
        assert client.post(reverse("training:signup"), data).status_code == 302
        client.post(reverse("logout"))
    refused = client.post(
        reverse("training:signup"),
        {"username": "u9", "email": "u9@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="u9").exists()


def test_a_request_over_the_size_cap_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.post(reverse("login"), {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413


def test_the_client_address_trusts_only_the_configured_proxies(rf, settings):
    from hipthrust.middleware import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"


def test_the_health_check_reports_database_and_cache(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_fails_when_the_database_does(client, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "error: RuntimeError"


def test_media_is_served_as_images_only(client, media_root):
    (media_root / "illustrations").mkdir()
    (media_root / "illustrations" / "a.webp").write_bytes(b"RIFF0000WEBP")
    (media_root / "illustrations" / "evil.html").write_text("<script>alert(1)</script>")
    (media_root / "illustrations" / "b.svg").write_text("<svg/>")
    ok = client.get("/media/illustrations/a.webp")
    assert ok.status_code == 200
    assert ok["Content-Type"] == "image/webp"
    assert ok["X-Content-Type-Options"] == "nosniff"
    assert ok["Content-Security-Policy"] == "default-src 'none'; sandbox"
    for path in ["illustrations/evil.html", "illustrations/b.svg", "../settings.py", "nothing.png"]:
        assert client.get(f"/media/{path}").status_code == 404
