"""A coach is told who is no longer coached, rather than seeing the athlete just vanish."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coaches import services
from coaches.models import LEFT_RECENTLY_DAYS, CoachLink
from hipthrust import accounts
from tests.conftest import PASSWORD


def _said_under(client: Client, url: str, title_id: str) -> str:
    """The page's words from the heading `title_id` to its section's end; none without it."""
    page = client.get(url)
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    start = text.find(f'id="{title_id}"')
    return text[start : text.find("</section>", start)] if start >= 0 else ""


def _left_section(client: Client) -> str:
    return _said_under(client, reverse("coaches:dashboard"), "left-title")


def test_it_tells_the_coach_an_athlete_ended_the_coaching(client, linked_coach, user):
    client.force_login(user)
    link = CoachLink.objects.active().get(coach=linked_coach, athlete=user)
    assert client.post(reverse("coaches:end", args=[link.pk])).status_code == 302

    client.force_login(linked_coach)
    said = _left_section(client)
    assert "ada ended your coaching on" in said
    assert "No athletes yet" in client.get(reverse("coaches:dashboard")).content.decode()


def test_it_says_the_coach_ended_it_themself(client, linked_coach, user):
    client.force_login(linked_coach)
    link = CoachLink.objects.active().get(coach=linked_coach, athlete=user)
    client.post(reverse("coaches:end", args=[link.pk]))

    assert "You ended coaching ada on" in _left_section(client)


def test_it_forgets_an_ending_older_than_its_window_and_one_coached_again(
    client, linked_coach, user
):
    link = CoachLink.objects.active().get(coach=linked_coach, athlete=user)
    services.end_link(link, user)
    CoachLink.objects.filter(pk=link.pk).update(
        ended_at=timezone.now() - timedelta(days=LEFT_RECENTLY_DAYS, minutes=1)
    )
    client.force_login(linked_coach)
    assert _left_section(client) == ""

    # Ended again within the window, then coached again: said no more, and said once.
    services.accept_invitation(services.create_invitation(linked_coach), user)
    services.end_link(CoachLink.objects.active().get(coach=linked_coach, athlete=user), user)
    services.accept_invitation(services.create_invitation(linked_coach), user)
    assert _left_section(client) == ""
    services.end_link(CoachLink.objects.active().get(coach=linked_coach, athlete=user), user)
    assert _left_section(client).count("ada ended your coaching") == 1


def test_it_never_tells_another_coach(client, linked_coach, user, django_user_model):
    services.end_link(CoachLink.objects.active().get(coach=linked_coach, athlete=user), user)
    other = django_user_model.objects.create_user("dora", "d@example.com", PASSWORD)
    other.groups.add(linked_coach.groups.get())
    client.force_login(other)

    assert _left_section(client) == ""


def test_it_tells_the_coach_an_athlete_closed_their_account_without_keeping_who(
    client, linked_coach, user
):
    link = CoachLink.objects.active().get(coach=linked_coach, athlete=user)
    CoachLink.objects.filter(pk=link.pk).update(label="Ada from the Tuesday group")
    client.force_login(linked_coach)
    accounts.close(user)
    said_at_once = _left_section(client)
    accounts.delete_closed_account.call(user.pk)

    said = _left_section(client)
    assert said == said_at_once
    assert "An athlete you coached (your invitation: Ada from the Tuesday group) closed" in said
    assert "closed their account on" in said
    assert "their log, and your plans and notes for them, went with it." in said
    assert "ada" not in said
    kept = CoachLink.objects.get(pk=link.pk)
    assert (kept.athlete_id, kept.ended_by_id, kept.closed_account) == (None, None, True)
    assert "No athletes yet" in client.get(reverse("coaches:dashboard")).content.decode()


def test_a_closed_accounts_links_outside_the_window_go_with_it(linked_coach, user):
    old = CoachLink.objects.active().get(coach=linked_coach, athlete=user)
    services.end_link(old, user)
    services.accept_invitation(services.create_invitation(linked_coach), user)

    accounts.close(user)
    accounts.delete_closed_account.call(user.pk)

    assert list(CoachLink.objects.values_list("closed_account", flat=True)) == [True]


def test_the_queue_shows_whom_an_accepted_invitation_was_meant_for(client, coach, other_user):
    services.accept_invitation(services.create_invitation(coach, label="for newbie"), other_user)
    client.force_login(coach)

    page = " ".join(client.get(reverse("coaches:dashboard")).content.decode().split())
    row = page[page.index(f'<tr id="athlete-{other_user.pk}">') :]
    name = row.index(f">{other_user.get_username()}</a>")
    assert 0 < name < row.index("Your invitation: for newbie</span>") < row.index("</th>")


def _ended_on_profile(client: Client) -> str:
    return _said_under(client, reverse("training:profile"), "coaching-ended-title")


def test_the_athlete_is_told_their_coach_closed_their_account(client, linked_coach, user):
    client.force_login(user)
    accounts.close(linked_coach)
    accounts.delete_closed_account.call(linked_coach.pk)

    said = _ended_on_profile(client)
    assert "A coach of yours closed their account on" in said
    assert "their plans and notes for you went with it" in said
    assert "No coach yet" in client.get(reverse("training:profile")).content.decode()
    kept = CoachLink.objects.get(athlete=user)
    assert (kept.coach_id, kept.ended_by_id, kept.closed_account) == (None, None, True)


def test_the_athlete_is_told_who_ended_the_coaching(client, linked_coach, user):
    link = CoachLink.objects.active().get(coach=linked_coach, athlete=user)
    services.end_link(link, linked_coach)
    client.force_login(user)

    assert f"{linked_coach.get_username()} ended coaching you on" in _ended_on_profile(client)
    services.accept_invitation(services.create_invitation(linked_coach), user)
    assert _ended_on_profile(client) == ""


def test_the_invitation_of_a_coach_who_closed_their_account_is_no_longer_found(
    client, linked_coach, user
):
    link = CoachLink.objects.active().get(coach=linked_coach, athlete=user)
    accounts.close(linked_coach)
    accounts.delete_closed_account.call(linked_coach.pk)
    join = reverse("coaches:join", args=[link.code])

    assert client.get(join).status_code == 404
    login = client.get(reverse("login"), {"next": join})
    assert login.status_code == 200
    assert login.context["invitation"] is None
    client.force_login(user)
    assert client.get(join).status_code == 404
    assert client.post(join).status_code == 404
    assert client.post(reverse("coaches:join-decline", args=[link.code])).status_code == 404
