"""Login throttling, sign-up throttling, request caps, the health check and safe media."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from coaches import services
from core.middleware import client_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


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


def test_a_user_name_signs_in_in_any_case_as_names_are_one_account_whatever_their_case(
    client, user
):
    response = client.post(reverse("login"), {"username": "ADA", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_passwords_under_each_spelling_of_a_name_count_as_one(client, user):
    spellings = ["ada", "Ada", "ADA", "aDa", "adA"]
    statuses = [
        client.post(reverse("login"), {"username": name, "password": "wrong"}).status_code
        for name in spellings
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert locked.status_code == 429


# A name in another case is the one account (hipthrust.auth): its right password resets
# the count of tries made under any spelling.
@pytest.mark.parametrize("tried_as", ["ada", "Ada"])
def test_a_right_password_resets_the_count(client, user, tried_as):
    for _ in range(4):
        client.post(reverse("login"), {"username": tried_as, "password": "wrong"})
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

    assert not get_user_model().objects.filter(username="u9").exists()


def _sign_up(client, name: str, password: str = PASSWORD, email: str = ""):
    data = {
        "username": name,
        "email": email or f"{name}@example.com",
        "password1": password,
        "password2": password,
    }
    response = client.post(reverse("training:signup"), data)
    client.post(reverse("logout"))
    return response


def test_sign_ups_refused_for_a_mistake_do_not_count_toward_the_limit(client, settings, user):
    settings.SIGNUPS_PER_HOUR = 2
    mistakes = [
        _sign_up(client, "ada"),  # the name is taken
        _sign_up(client, "u1", email="ada@example.com"),  # so is the email
        _sign_up(client, "u1", password="password"),  # too common
        _sign_up(client, "u1", password="x"),  # too short
    ] * 3
    assert [response.status_code for response in mistakes] == [200] * 12
    assert "A user with that username already exists." in mistakes[0].content.decode()
    assert [_sign_up(client, name).status_code for name in ("u1", "u2")] == [302, 302]

    refused = _sign_up(client, "u3")
    assert refused.status_code == 429
    assert "Too many accounts have been made from this address" in refused.content.decode()
    assert not get_user_model().objects.filter(username="u3").exists()


def test_sign_up_posts_past_their_own_higher_cap_are_refused_unchecked(client, settings, user):
    settings.SIGNUPS_PER_HOUR = 10
    settings.SIGNUP_ATTEMPTS_PER_HOUR = 3
    assert [_sign_up(client, "ada").status_code for _ in range(3)] == [200, 200, 200]
    refused = _sign_up(client, "u1")  # a good one, but the address has asked too often
    html = refused.content.decode()
    assert (refused.status_code, refused["Retry-After"]) == (429, "3600")
    assert "Too many sign-up attempts have come from this address" in html
    assert not get_user_model().objects.filter(username="u1").exists()


def test_a_sign_up_that_loses_the_name_to_another_gives_its_slot_back(
    client, settings, monkeypatch
):
    from training.forms import SignupForm

    settings.SIGNUPS_PER_HOUR = 1
    made = SignupForm.create_account

    def taken_meanwhile(form):
        form.add_error("username", "A user with that username already exists.")
        return None

    monkeypatch.setattr(SignupForm, "create_account", taken_meanwhile)
    lost = _sign_up(client, "u1")
    assert lost.status_code == 200
    assert "A user with that username already exists." in lost.content.decode()
    monkeypatch.setattr(SignupForm, "create_account", made)
    assert _sign_up(client, "u2").status_code == 302
    assert get_user_model().objects.filter(username="u2").exists()


def test_a_throttled_sign_up_gives_back_what_was_typed_without_asking_to_correct_it(
    client, settings
):
    settings.SIGNUPS_PER_HOUR = 1
    assert _sign_up(client, "u1").status_code == 302
    refused = client.post(
        reverse("training:signup"),
        {"username": "u9", "email": "u9@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    html = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many accounts have been made from this address" in html
    assert 'value="u9"' in html
    assert 'value="u9@example.com"' in html
    assert "field--invalid" not in html


def test_a_request_over_the_size_cap_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.post(reverse("login"), {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413


def test_the_client_address_trusts_only_the_configured_proxies(rf, settings):
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


def _lock_out(client) -> None:
    for _ in range(5):
        client.post(reverse("login"), {"username": "ada", "password": "wrong"})
    assert (
        client.post(reverse("login"), {"username": "ada", "password": PASSWORD}).status_code == 429
    )


def _reset_password(client, new: str) -> None:
    client.post(reverse("password_reset"), {"email": "ada@example.com"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302


def test_a_completed_password_reset_lifts_the_lockout(client, user):
    _lock_out(client)
    new = "a-brand-new-password-77"
    _reset_password(client, new)
    response = client.post(reverse("login"), {"username": "ada", "password": new})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_password_reset_lifts_the_lockout_from_another_address_too(client, user):
    for _ in range(5):
        client.post(
            reverse("login"), {"username": "ada", "password": "wrong"}, REMOTE_ADDR="198.51.100.7"
        )
    new = "a-brand-new-password-77"
    _reset_password(Client(REMOTE_ADDR="203.0.113.5"), new)
    response = client.post(
        reverse("login"), {"username": "ada", "password": new}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302


def test_a_reset_that_is_only_asked_for_does_not_lift_the_lockout(client, user):
    _lock_out(client)
    client.post(reverse("password_reset"), {"email": "ada@example.com"})
    assert (
        client.post(reverse("login"), {"username": "ada", "password": PASSWORD}).status_code == 429
    )


@pytest.mark.parametrize(
    ("minutes", "words"), [(15, "15 minutes"), (1, "1 minute"), (90, "1 hour 30 minutes")]
)
def test_the_lockout_page_states_the_configured_cool_off(client, user, settings, minutes, words):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=minutes)
    for _ in range(5):
        page = client.post(reverse("login"), {"username": "ada", "password": "wrong"})
    text = " ".join(page.content.decode().split())
    assert page.status_code == 429
    assert f"Wait {words} and try again" in text
    assert "quarter of an hour" not in text


def _ask_reset(client, email: str, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def test_password_reset_mails_to_one_address_stop_at_the_limit(client, user, settings):
    settings.PASSWORD_RESETS_PER_HOUR = 3
    answers = [_ask_reset(client, "ada@example.com") for _ in range(15)]
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert len(mail.outbox) == 3


def test_the_address_limit_holds_whatever_the_spelling_and_the_client(user, settings):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    for n, email in enumerate(["ada@example.com", "ADA@example.com", " Ada@Example.com "]):
        _ask_reset(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), email)
    assert len(mail.outbox) == 2


def test_the_address_limit_counts_every_spelling_the_lookup_folds_together(
    django_user_model, settings
):
    """U+017F (long s) folds to "s": PostgreSQL finds sam@ for its spelling with a long s,
    and so does the limit."""
    django_user_model.objects.create_user("sam", "sam@example.com", PASSWORD)
    settings.PASSWORD_RESETS_PER_HOUR = 2
    for n in range(2):
        _ask_reset(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), "\u017fam@example.com")
    mailed = len(mail.outbox)
    assert mailed == (2 if connection.vendor == "postgresql" else 0)
    for n, email in enumerate(["sam@example.com", "SAM@example.com", "\u017fam@example.com"]):
        _ask_reset(Client(REMOTE_ADDR=f"198.51.100.{n + 10}"), email)
    assert len(mail.outbox) == mailed


def test_the_reset_link_goes_to_the_site_url_whatever_the_host_header_says(client, user, settings):
    settings.SITE_URL = "https://hipthrust.example"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    _ask_reset(client, "ada@example.com", HTTP_HOST="127.0.0.1:4444")
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    assert link.startswith("https://hipthrust.example/accounts/reset/")
    assert "4444" not in message.body
    path = link.removeprefix("https://hipthrust.example")
    assert client.get(path, follow=True).status_code == 200


def test_without_a_site_url_the_reset_link_names_the_request_host(client, user, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    _ask_reset(client, "ada@example.com", HTTP_HOST="127.0.0.1:8000")
    assert "http://127.0.0.1:8000/accounts/reset/" in mail.outbox[0].body


def test_password_reset_requests_from_one_client_stop_at_the_limit(
    client, settings, django_user_model
):

    settings.PASSWORD_RESETS_PER_IP_PER_HOUR = 4
    for n in range(6):
        django_user_model.objects.create_user(f"u{n}", f"u{n}@example.com", PASSWORD)
        assert _ask_reset(client, f"u{n}@example.com").status_code == 302
    assert len(mail.outbox) == 4
    # Another client is not held back by this one.

    _ask_reset(Client(REMOTE_ADDR="203.0.113.9"), "u5@example.com")
    assert len(mail.outbox) == 5


def test_a_throttled_reset_answers_exactly_like_an_unknown_address(client, user, settings):
    settings.PASSWORD_RESETS_PER_HOUR = 1
    _ask_reset(client, "ada@example.com")
    throttled = _ask_reset(client, "ada@example.com")
    unknown = _ask_reset(client, "nobody@example.com")
    assert (throttled.status_code, throttled["Location"]) == (
        unknown.status_code,
        unknown["Location"],
    )
    page = client.get(throttled["Location"]).content.decode()
    assert "If an account uses that address, we have sent it a link" in page


def test_the_invitation_link_a_coach_copies_names_the_site_url(client, coach, settings):
    settings.SITE_URL = "https://hipthrust.example"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    link = services.create_invitation(coach)
    client.force_login(coach)
    page = client.get(reverse("coaches:dashboard"), HTTP_HOST="127.0.0.1:4444")
    join = reverse("coaches:join", args=[link.code])
    assert f"https://hipthrust.example{join}" in page.content.decode()
    assert "4444" not in page.content.decode()


def test_the_sitemap_names_the_site_url_whatever_the_host_header_says(client, exercise, settings):
    settings.SITE_URL = "https://hipthrust.example"
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    sitemap = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1:4444").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations
    assert all(url.startswith("https://hipthrust.example/") for url in locations)


def test_a_reset_link_used_once_says_it_no_longer_works_in_its_heading(client, user):
    new = "a-brand-new-password-78"
    client.post(reverse("password_reset"), {"email": "ada@example.com"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    _reset_password(client, new)

    page = client.get(link, follow=True).content.decode()
    assert "<h1>This reset link no longer works</h1>" in page
    assert "Choose a new password" not in page
    assert "This reset link has been used or has expired." in page
