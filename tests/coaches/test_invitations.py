"""A coach's invitation link opened by someone signed out says who invites them and to what,
and offers an account first; signed in, they accept or decline."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from coaches import services
from coaches.models import AuditEntry, CoachLink
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def join(coach) -> str:
    return reverse("coaches:join", args=[services.create_invitation(coach).code])


def test_a_stranger_opening_the_link_is_told_who_invites_them_and_offered_sign_up_first(
    client, join
):
    response = client.get(join)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>coach would like to coach you</h1>" in page
    assert "coach invites you to log your single leg hip thrust sessions" in page
    main = page[page.index("<main") :]
    sign_up = main.index(f'href="{reverse("training:signup")}?next={quote(join)}"')
    log_in = main.index(f'href="{reverse("login")}?next={quote(join)}"')
    assert sign_up < log_in
    # The header's links bring them back to the invitation too.
    assert page.count(f'href="{reverse("training:signup")}?next={quote(join)}"') == 2
    assert "Accept coach as my coach" not in page
    assert not CoachLink.objects.active().exists()


def test_signing_up_from_the_landing_comes_back_to_the_consent(client, join):
    signup_url = f"{reverse('training:signup')}?next={quote(join, safe='')}"
    page = client.get(signup_url).content.decode()
    assert "coach invites you</strong>" in page
    data = {"username": "lin", "email": "lin@example.com", "password1": PASSWORD}
    response = client.post(signup_url, {**data, "password2": PASSWORD, "next": join})
    assert (response.status_code, response["Location"]) == (302, join)
    assert "Accept coach as my coach" in client.get(join).content.decode()
    assert not CoachLink.objects.active().exists()


def test_the_consent_names_everything_the_coach_will_see_and_do(client, join, user):
    client.force_login(user)
    consent = " ".join(client.get(join).content.decode().split())
    assert (
        "If you accept, coach can see your sessions, sets, level and notes, watch the videos "
        "you film and comment on them, write you prescriptions and notes, and change your level"
    ) in consent


def test_the_login_page_names_the_inviter_only_for_an_invitation(client, join):
    invited = client.get(f"{reverse('login')}?next={quote(join)}").content.decode()
    assert "coach invites you</strong>" in invited
    assert "New here? Create an account" in invited
    plain = client.get(f"{reverse('login')}?next=/log/history/").content.decode()
    assert "invites you" not in plain
    assert "New here?" not in plain


def test_a_post_from_someone_signed_out_accepts_nothing(client, join):
    response = client.post(join)
    assert response["Location"] == f"{reverse('login')}?next={quote(join)}"
    assert not CoachLink.objects.active().exists()


def test_declining_records_nothing_and_says_so(client, user, join):
    client.force_login(user)
    consent = client.get(join).content.decode()
    decline = join + "decline/"
    assert f'action="{decline}"' in consent
    response = client.post(decline, follow=True)
    assert response.redirect_chain == [(reverse("training:log"), 302)]
    assert "You declined coach&#x27;s invitation. Nothing was recorded" in response.content.decode()
    link = CoachLink.objects.get()
    assert (link.athlete, link.accepted_at, link.ended_at) == (None, None, None)
    assert not AuditEntry.objects.exists()


def test_declining_is_for_someone_signed_in_and_by_post_only(client, user, join):
    decline = join + "decline/"
    assert client.post(decline).status_code == 302  # to the login page
    client.force_login(user)
    assert client.get(decline).status_code == 405
    assert client.post(reverse("coaches:join-decline", args=["nope"])).status_code == 404


def test_the_profile_names_the_coaches_who_see_the_log_and_no_ended_one(
    user_client, user, linked_coach, django_user_model
):
    former = django_user_model.objects.create_user("former", "f@example.com", PASSWORD)
    link = services.create_invitation(former)
    services.accept_invitation(link, user)
    link.refresh_from_db()
    services.end_link(link, by=user)
    page = user_client.get(reverse("training:profile")).content.decode()
    assert "coach, since" in page
    assert "Stop coach from seeing your log?" in page
    assert "former" not in page
    assert "No coach yet" not in page


def test_the_profile_says_when_no_coach_sees_the_log(user_client):
    page = user_client.get(reverse("training:profile")).content.decode()
    assert "No coach yet" in page
