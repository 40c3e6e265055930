"""A session started and left without a set is no training: it never counts for the level,
the coach's queue, balance or charts, stays out of history, and can be cleared away; one
started today is still the session to carry on with."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaches import review_queue
from coaches.models import CoachNote
from tests.conftest import logged_session
from training import records
from training.level import advice_for
from training.models import Profile, TrainingSession
from videos.models import SetVideo

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def _left_behind(session: TrainingSession, days: int = 1) -> TrainingSession:
    """The session as if started `days` days ago."""
    started = timezone.now() - datetime.timedelta(days=days)
    TrainingSession.objects.filter(pk=session.pk).update(created_at=started)
    return session


@pytest.fixture
def trained(user, bodyweight) -> TrainingSession:
    """Three left and three right sets of 12 at the trainee's level, then an empty session."""
    Profile.objects.filter(user=user).update(level=bodyweight)
    done = logged_session(
        user, bodyweight, TODAY - datetime.timedelta(days=2), [("left", 12), ("right", 12)] * 3
    )
    _left_behind(logged_session(user, bodyweight, TODAY - datetime.timedelta(days=1)))
    return done


def test_an_empty_session_never_counts_for_the_level(user, trained):
    advice = advice_for(Profile.objects.select_related("level__tempo").get(user=user))
    reasons = " ".join(advice.suggestion.reasons) + advice.suggestion.why
    assert "0 of" not in reasons
    assert "no sets" not in reasons.lower()


def test_the_log_card_does_not_say_no_sets_were_logged(user_client, trained):
    page = user_client.get(reverse("training:log")).content.decode()
    assert "0 of 3 sets logged" not in page


def test_history_and_recent_sessions_leave_empty_sessions_out(user_client, trained):
    history = user_client.get(reverse("training:history"))
    assert [s.pk for s in history.context["page"].object_list] == [trained.pk]
    assert "1 session logged." in history.content.decode()
    log = user_client.get(reverse("training:log"))
    assert [s.pk for s in log.context["recent"]] == [trained.pk]
    assert "0 sets" not in log.content.decode()


def test_the_charts_leave_empty_sessions_out(user, trained):
    assert records.progress_data(user, "kg")["session_count"] == 1


def test_the_coach_queue_counts_only_sessions_with_sets(user, bodyweight):
    logged_session(user, bodyweight, TODAY - datetime.timedelta(days=40), [("left", 10)])
    logged_session(user, bodyweight, TODAY - datetime.timedelta(days=1))
    type(user).objects.filter(pk=user.pk).update(
        date_joined=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC)
    )
    stats = review_queue.athlete_stats([user], TODAY)[user.pk]
    assert (stats.last_session, stats.sessions_7d, stats.sessions_30d) == (
        TODAY - datetime.timedelta(days=40),
        0,
        0,
    )
    assert "inactive" in [flag.kind for flag in review_queue.review.flags(stats)]


def test_the_last_time_card_skips_an_empty_session(user_client, user, bodyweight):
    done = logged_session(user, bodyweight, TODAY - datetime.timedelta(days=3), [("left", 11)])
    logged_session(user, bodyweight, TODAY - datetime.timedelta(days=2))
    now = logged_session(user, bodyweight, TODAY)
    response = user_client.get(now.get_absolute_url())
    assert response.context["previous"] == done
    assert response.context["form"].initial["reps"] == 11


def test_a_session_started_today_without_sets_is_still_offered(user_client, user, bodyweight):
    # Backdated to yesterday, but started today: still the one being logged.
    started = logged_session(user, bodyweight, timezone.localdate() - datetime.timedelta(days=1))
    response = user_client.get(reverse("training:log"))
    page = response.content.decode()
    assert "Started today" in page
    assert "Today's session" not in page  # it is dated yesterday
    assert f'href="{started.get_absolute_url()}"' in page
    assert response.context["abandoned"] == 0


def test_todays_session_is_the_one_dated_today_with_sets(user_client, user, bodyweight):
    today = timezone.localdate()
    done = logged_session(user, bodyweight, today, [("left", 12), ("right", 12)])
    TrainingSession.objects.filter(pk=done.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    backdated = logged_session(user, bodyweight, today - datetime.timedelta(days=3))
    also_today = logged_session(user, bodyweight, today)  # started later, still empty
    response = user_client.get(reverse("training:log"))
    assert response.context["todays_session"] == done
    assert set(response.context["started"]) == {backdated, also_today}
    card = response.content.decode().split('id="started-title"')[1].split("</section>")[0]
    assert "Today's session" in card
    todays_line = card.split("Also started today")[0]
    assert f'href="{done.get_absolute_url()}"' in todays_line
    assert "2 sets logged" in todays_line
    assert f'href="{backdated.get_absolute_url()}"' not in todays_line


def test_an_empty_session_dated_today_is_todays_session_until_one_has_sets(
    user_client, user, bodyweight
):
    today = timezone.localdate()
    first = logged_session(user, bodyweight, today)
    TrainingSession.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=2)
    )
    latest = logged_session(user, bodyweight, today)
    response = user_client.get(reverse("training:log"))
    assert response.context["todays_session"] == latest
    assert list(response.context["started"]) == [first]
    assert "no sets logged yet" in response.content.decode()


def test_empty_sessions_of_earlier_days_are_offered_for_deletion_and_only_they_go(
    user_client, user, other_user, bodyweight
):
    old = [_left_behind(logged_session(user, bodyweight, TODAY), days=d) for d in (1, 5)]
    today = logged_session(user, bodyweight, TODAY)
    done = _left_behind(logged_session(user, bodyweight, TODAY, [("left", 8)]), days=3)
    theirs = _left_behind(logged_session(other_user, bodyweight, TODAY), days=3)
    page = user_client.get(reverse("training:log")).content.decode()
    assert "2 sessions started on an earlier day never got a set." in page
    assert "Delete the empty sessions" in page

    response = user_client.post(reverse("training:empty-sessions-delete"))
    assert response.status_code == 302
    assert set(TrainingSession.objects.values_list("pk", flat=True)) == {
        today.pk,
        done.pk,
        theirs.pk,
    }
    assert not TrainingSession.objects.filter(pk__in=[s.pk for s in old]).exists()
    follow = user_client.get(response["Location"]).content.decode()
    assert "Deleted 2 empty sessions." in follow


def test_an_empty_session_holding_a_video_or_a_coachs_note_is_neither_offered_nor_deleted(
    user_client, user, bodyweight, linked_coach, media_root
):
    filmed = _left_behind(logged_session(user, bodyweight, TODAY))
    SetVideo.objects.create(
        owner=user, session=filmed, side="left", original="videos/x/a.mp4", size=1
    )
    noted = _left_behind(logged_session(user, bodyweight, TODAY))
    CoachNote.objects.create(coach=linked_coach, athlete=user, session=noted, text="Film it")
    empty = _left_behind(logged_session(user, bodyweight, TODAY))

    page = user_client.get(reverse("training:log")).content.decode()
    assert "1 session started on an earlier day never got a set." in page
    user_client.post(reverse("training:empty-sessions-delete"))

    assert set(TrainingSession.objects.all()) == {filmed, noted}
    assert not TrainingSession.objects.filter(pk=empty.pk).exists()
    assert SetVideo.objects.filter(session=filmed).exists()
    assert CoachNote.objects.filter(session=noted).exists()


def test_deleting_empty_sessions_takes_a_post(user_client):
    assert user_client.get(reverse("training:empty-sessions-delete")).status_code == 405


@pytest.mark.parametrize(("count", "text"), [(1, "1 empty session."), (3, "3 empty sessions.")])
def test_the_deletion_message_counts_in_the_right_number(
    user_client, user, bodyweight, count, text
):
    for _ in range(count):
        _left_behind(logged_session(user, bodyweight, TODAY))
    response = user_client.post(reverse("training:empty-sessions-delete"), follow=True)
    assert f"Deleted {text}" in response.content.decode()
    assert TrainingSession.objects.count() == 0


def test_deleting_empty_sessions_asks_an_anonymous_visitor_to_log_in(client, user, bodyweight):
    _left_behind(logged_session(user, bodyweight, TODAY))
    response = client.post(reverse("training:empty-sessions-delete"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert TrainingSession.objects.count() == 1
