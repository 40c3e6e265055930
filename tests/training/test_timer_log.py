"""The tempo timer's "log these sets": one action puts the counted sets in the log."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import Variation
from coaching.tempo import Tempo
from tests.conftest import timer_plan
from training.models import Set, TrainingSession

pytestmark = pytest.mark.django_db


def test_the_timer_offers_logging_to_signed_in_people_only(client, user):
    url = reverse("coaching:timer") + "?variation=single-leg-hip-thrust&sets=2&reps=8"
    assert "Log these sets" not in client.get(url).content.decode()
    client.force_login(user)
    html = client.get(url).content.decode()
    assert "Log these sets in your training log" in html
    assert 'name="reps" value="8"' in html
    assert 'name="sets" value="2"' in html


def test_logging_from_the_timer_creates_todays_session_with_every_set(user_client, user):
    response = user_client.post(reverse("training:log-from-timer"), timer_plan())
    session = TrainingSession.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert session.date == timezone.localdate()
    rows = list(session.sets.values_list("position", "side", "reps", "tempo", "hold_seconds"))
    assert rows == [
        (1, "right", 10, "3-0-1-1", 1),
        (2, "left", 10, "3-0-1-1", 1),
        (3, "right", 10, "3-0-1-1", 1),
        (4, "left", 10, "3-0-1-1", 1),
    ]


def test_a_double_submitted_timer_log_is_saved_once(user_client, user):
    data = timer_plan()
    user_client.post(reverse("training:log-from-timer"), data)
    user_client.post(reverse("training:log-from-timer"), data)
    assert TrainingSession.objects.filter(user=user).count() == 1
    assert Set.objects.count() == 4


@pytest.mark.parametrize(
    "overrides",
    [
        {"variation": "no-such-rung"},
        {"tempo": "fast"},
        {"sets": "0"},
        {"reps": "101"},
        {"sides": "both"},  # a one-leg rung
        {"sides": "left-right", "variation": "floor-glute-bridge"},
        {"hold_seconds": "601"},
        {"submission_id": "not-a-uuid"},
    ],
)
def test_a_bad_timer_log_saves_nothing(user_client, overrides):
    response = user_client.post(reverse("training:log-from-timer"), timer_plan(**overrides))
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:timer")
    assert TrainingSession.objects.count() == 0


def test_someone_elses_submission_id_does_not_reveal_their_session(client, user, other_user):
    data = timer_plan()
    client.force_login(other_user)
    client.post(reverse("training:log-from-timer"), data)
    client.force_login(user)
    assert client.post(reverse("training:log-from-timer"), data).status_code == 404
    assert not TrainingSession.objects.filter(user=user).exists()


def test_a_visitor_is_offered_to_sign_up_with_the_plan_kept_for_afterwards(client):
    url = reverse("coaching:timer") + "?variation=single-leg-hip-thrust&sets=2&reps=8"
    html = client.get(url).content.decode()
    keep = reverse("training:log-from-timer")
    assert "Sign up and keep these sets" in html
    assert (
        f'href="{reverse("training:signup")}?next={keep.replace("/", "%2F")}%3Fvariation%3D' in html
    )
    assert "%26reps%3D8%26sides%3Dleft-right%26hold_seconds%3D1" in html  # the plan, inside next


def test_signing_up_goes_on_to_keep_the_sets_and_nowhere_off_the_site(client):
    keep = (
        reverse("training:log-from-timer")
        + "?"
        + "&".join(f"{k}={v}" for k, v in timer_plan().items() if k != "submission_id")
    )
    for target, expected in [(keep, keep), ("https://evil.example/", reverse("training:profile"))]:
        client.logout()
        response = client.post(
            reverse("training:signup"),
            {
                "username": f"new{len(target)}",
                "email": f"new{len(target)}@example.com",
                "password1": "a-long-enough-password-1",
                "password2": "a-long-enough-password-1",
                "next": target,
            },
        )
        assert response.status_code == 302
        assert response["Location"] == expected


def test_the_keep_page_offers_the_plans_sets_and_logs_nothing_by_itself(user_client, user):
    query = {k: v for k, v in timer_plan().items() if k != "submission_id"}
    response = user_client.get(reverse("training:log-from-timer"), query)
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "2 sets of 10 reps per leg of Single leg hip thrust, at" in html
    assert 'name="sides" value="right-left"' in html
    assert TrainingSession.objects.filter(user=user).count() == 0
    bad = user_client.get(reverse("training:log-from-timer"), {**query, "sets": "0"})
    assert (bad.status_code, bad["Location"]) == (302, reverse("coaching:timer"))


def test_the_keep_page_needs_a_signed_in_person(client):
    response = client.get(reverse("training:log-from-timer"), {"variation": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _todays(user, slug: str, sets: int) -> TrainingSession:
    session = TrainingSession.objects.create(
        user=user, date=timezone.localdate(), variation=Variation.objects.get(slug=slug)
    )
    for position in range(1, sets + 1):
        side = "both" if slug == "floor-glute-bridge" else "left"
        Set.objects.create(session=session, position=position, side=side, reps=12)
    return session


def test_timer_sets_go_into_todays_session_of_that_variation_and_say_so(user_client, user):
    today = _todays(user, "single-leg-hip-thrust", sets=2)
    data = timer_plan()
    response = user_client.post(reverse("training:log-from-timer"), data, follow=True)
    assert response.redirect_chain == [(today.get_absolute_url(), 302)]
    assert list(TrainingSession.objects.filter(user=user)) == [today]
    assert list(today.sets.values_list("position", "side", "reps")) == [
        (1, "left", 12),
        (2, "left", 12),
        (3, "right", 10),
        (4, "left", 10),
        (5, "right", 10),
        (6, "left", 10),
    ]
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "Added to today's Single leg hip thrust session. Adjust any set that went differently."
    ]
    # The same post again adds nothing, and still lands on that session.
    again = user_client.post(reverse("training:log-from-timer"), data)
    assert again["Location"] == today.get_absolute_url()
    assert today.sets.count() == 6


def test_timer_sets_of_another_variation_start_their_own_session(user_client, user):
    bridge = _todays(user, "floor-glute-bridge", sets=3)
    user_client.post(reverse("training:log-from-timer"), timer_plan())
    made = TrainingSession.objects.exclude(pk=bridge.pk).get(user=user)
    assert (made.variation.slug, made.date, made.sets.count()) == (
        "single-leg-hip-thrust",
        timezone.localdate(),
        4,
    )
    assert bridge.sets.count() == 3


class _HiddenInputs(HTMLParser):
    """The fields of the timer page's "log these sets" form, as a browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "timer-log-form" in (attrs.get("class") or ""):
            self.inside = True
        elif tag == "input" and self.inside and attrs.get("name") != "csrfmiddlewaretoken":
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


LONG_LAST_HOLD = (
    "?variation=two-up-one-down-hip-thrust&sets=1&reps=2&lead_in=0&sides=alternating&last_hold=4"
)


def _timer_log_fields(client) -> dict[str, str]:
    page = client.get(reverse("coaching:timer") + LONG_LAST_HOLD).content.decode()
    parser = _HiddenInputs()
    parser.feed(page)
    return parser.fields


def test_a_long_hold_on_the_last_rep_is_logged_as_done_not_as_every_reps_hold(user_client, user):
    fields = _timer_log_fields(user_client)
    tempo = Tempo.parse(fields["tempo"])
    assert tempo.top_hold < 4  # the long hold is longer than the tempo's
    response = user_client.post(reverse("training:log-from-timer"), fields)
    session = TrainingSession.objects.get(user=user)
    assert response["Location"] == session.get_absolute_url()
    # Each rep was held the tempo's hold; the last rep's 4 s is said on the set, not
    # multiplied over every rep.
    assert list(session.sets.values_list("side", "reps", "hold_seconds", "note")) == [
        ("left", 2, tempo.top_hold, "Last rep held 4 s at the top."),
        ("right", 2, tempo.top_hold, "Last rep held 4 s at the top."),
    ]
    totals = TrainingSession.objects.filter(pk=session.pk).with_totals().get()
    counted = tempo.top_hold + 4  # what the timer counted on each leg: 1 s, then 4 s
    assert totals.left_hold == totals.right_hold == 2 * tempo.top_hold
    assert totals.left_hold <= counted  # never more time under load than was done
    log = " ".join(user_client.get(reverse("training:history")).content.decode().split())
    assert f"held L {2 * tempo.top_hold} s / R {2 * tempo.top_hold} s" in log


def test_the_visitors_sign_up_link_carries_the_hold_of_every_rep_and_the_long_one(client):
    page = client.get(reverse("coaching:timer") + LONG_LAST_HOLD).content.decode()
    next_query = unquote(re.search(r"/accounts/signup/\?next=([^\"]+)\"", page).group(1))
    plan = parse_qs(next_query.split("?", 1)[1])
    tempo = Tempo.parse(plan["tempo"][0])
    assert (plan["hold_seconds"], plan["last_hold"]) == ([str(tempo.top_hold)], ["4"])


def test_a_queued_timer_log_from_an_older_page_is_not_given_the_long_hold_on_every_rep(
    user_client, user
):
    # A page drawn before the long hold went apart posted it as the hold of every rep.
    sent = timer_plan(tempo="3-0-1-1", reps="12", hold_seconds="20")
    response = user_client.post(reverse("training:sync"), {"kind": "timer", **sent})
    assert response.status_code == 200
    rows = set(Set.objects.values_list("reps", "hold_seconds", "note"))
    assert rows == {(12, 1, "Last rep held 20 s at the top.")}


def test_the_offline_queue_logs_the_timers_long_hold_as_the_page_does(user_client, user):
    fields = _timer_log_fields(user_client)
    response = user_client.post(reverse("training:sync"), {"kind": "timer", **fields})
    assert response.status_code == 200
    notes = set(Set.objects.values_list("hold_seconds", "note"))
    assert notes == {(Tempo.parse(fields["tempo"]).top_hold, "Last rep held 4 s at the top.")}


def test_a_long_hold_no_longer_than_every_reps_hold_saves_nothing(user_client):
    sent = timer_plan(tempo="3-0-1-2", hold_seconds="2", last_hold="2")
    response = user_client.post(reverse("training:log-from-timer"), sent)
    assert (response.status_code, response["Location"]) == (302, reverse("coaching:timer"))
    assert not TrainingSession.objects.exists()


def test_the_keep_page_says_the_sets_are_to_be_logged_not_that_they_were(user_client, user):
    query = {**timer_plan(sets="1", reps="1"), "variation": "banded-single-leg-hip-thrust"}
    del query["submission_id"]
    html = " ".join(
        user_client.get(reverse("training:log-from-timer"), query).content.decode().split()
    )
    assert "1 set of 1 rep per leg of Banded single leg hip thrust, at" in html
    assert "to be logged for today. Nothing is saved until you press the button below." in html
    assert ", logged for today" not in html
    assert not TrainingSession.objects.filter(user=user).exists()
