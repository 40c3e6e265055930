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


def test_declining_ends_the_invitation_and_the_coach_sees_it_declined(
    client, user, other_user, coach, join
):
    client.force_login(user)
    consent = " ".join(client.get(join).content.decode().split())
    decline = join + "decline/"
    assert f'action="{decline}"' in consent
    assert "Declining ends this invitation: coach sees that it was declined" in consent
    response = client.post(decline, follow=True)
    assert response.redirect_chain == [(reverse("training:log"), 302)]
    assert (
        "You declined coach&#x27;s invitation: the link no longer works, and coach sees that it "
        "was declined and nothing of your log."
    ) in response.content.decode()
    link = CoachLink.objects.get()
    assert (link.athlete, link.accepted_at, link.declined) == (None, None, True)
    assert link.ended_at is not None
    assert link.ended_by is None  # who declined is not kept
    assert not AuditEntry.objects.exists()

    # Nobody accepts it any more; the page says why.
    client.force_login(other_user)
    page = client.get(join).content.decode()
    assert "This invitation was declined. Ask your coach for a new link." in page
    assert "Accept coach as my coach" not in page
    client.post(join)
    link.refresh_from_db()
    assert link.athlete is None
    # Declining it again changes nothing.
    again = client.post(decline, follow=True).content.decode()
    assert "This invitation is no longer open; nothing changed." in again

    client.force_login(coach)
    dashboard = " ".join(client.get(reverse("coaches:dashboard")).content.decode().split())
    assert link.code not in dashboard
    assert "Declined invitations" in dashboard
    assert f"An invitation made {link.created_at:%-d %b %Y}, declined" in dashboard


def test_a_coach_labels_an_invitation_and_sees_the_label_under_open_invitations(client, coach):
    client.force_login(coach)
    response = client.post(reverse("coaches:invite"), {"label": "  Ben  "})
    assert response.status_code == 302
    link = CoachLink.objects.get()
    assert link.label == "Ben"
    page = " ".join(client.get(reverse("coaches:dashboard")).content.decode().split())
    assert "<strong>Ben</strong>" in page
    refused = client.post(reverse("coaches:invite"), {"label": "x" * 61})
    assert refused.status_code == 200
    assert refused.context["invite_form"].errors["label"] == [
        "Ensure this value has at most 60 characters (it has 61)."
    ]
    assert CoachLink.objects.count() == 1
    assert client.post(reverse("coaches:invite")).status_code == 302  # no label: fine
    assert CoachLink.objects.count() == 2


def test_a_coach_opening_their_own_link_is_told_there_with_nothing_to_accept(client, coach, join):
    client.force_login(coach)
    page = " ".join(client.get(join).content.decode().split())
    assert "would like to coach you" not in page
    assert "This is your own invitation: you cannot coach yourself." in page
    assert "Accept coach as my coach" not in page
    assert 'action="' + join + 'decline/"' not in page


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
    # The ended one is no coach of theirs: only in the list of coaching that ended.
    current, ended = page.split('id="coaching-ended-title"')
    assert "former" not in current
    assert "You ended former's coaching on" in " ".join(ended.split())
    assert "No coach yet" not in page


def test_the_profile_says_when_no_coach_sees_the_log(user_client):
    page = user_client.get(reverse("training:profile")).content.decode()
    assert "No coach yet" in page


def test_accepting_again_or_after_declining_says_which(client, coach, user, other_user):
    link = services.create_invitation(coach)
    client.force_login(user)
    join = reverse("coaches:join", args=[link.code])
    client.post(join)
    again = client.post(join, follow=True).content.decode()
    assert "You accepted this invitation already: coach coaches you." in again
    page = " ".join(client.get(join).content.decode().split())
    assert "You accepted this invitation on " in page
    assert ": coach coaches you. You can end the link from" in page

    declined = services.create_invitation(coach)
    services.decline_invitation(declined)
    client.force_login(other_user)
    said = client.post(reverse("coaches:join", args=[declined.code]), follow=True)
    assert "This invitation was declined. Ask your coach for a new link." in said.content.decode()

    client.force_login(other_user)
    taken = client.post(join, follow=True).content.decode()
    assert "This invitation has already been used or withdrawn." in taken
