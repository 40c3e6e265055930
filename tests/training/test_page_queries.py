"""The bench pages run a fixed number of queries: the same for a trainee with a few sets as
for one with thousands, and no more than the bound named here (the session and user of the
request included). Counts, never times: the times are bench/log_pages.py's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_log, set_data
from training import records
from training.models import Profile, Set

pytestmark = pytest.mark.django_db

# The most each page may run.
SESSION_PAGE = 4
# Adding a set is checked against the trainee's recent sets on its side, read with its
# session; counts itself into its session (the statement that locks the session's row); is
# written with its place counted by the INSERT; and keeps the log's summaries
# (training/summaries.py) in one statement more on PostgreSQL: the session's totals, the
# records' group, and its week marked for the progress page (which makes the week's points
# when next read), each a part of one WITH. SQLite, in the process, runs the three one by one.
ADD_A_SET = 9 if connection.vendor == "postgresql" else 11
TODAY = 6
# The progress page reads the trainee's kept progress points and changes of level.
PROGRESS = 5
# The profile page reads a trainee's coaches only when they have some (one query more).
PROFILE = 3


@pytest.fixture
def short_and_long(user, other_user, bodyweight):
    """The newest session of a trainee with 12 sets, and of one with 3,000."""
    Profile.objects.filter(user__in=[user, other_user]).update(level=bodyweight)
    *_, short = make_log(user, bodyweight, sessions=6, sets_per_side=1)
    *_, long = make_log(other_user, bodyweight, sessions=500, sets_per_side=3)
    assert Set.objects.filter(session__user=other_user).count() == 3000
    return short, long


def _counted(client, user, ask) -> int:
    client.force_login(user)
    ask()  # the first request of a login may write the session row: not the page's cost
    with CaptureQueriesContext(connection) as queries:
        response = ask()
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_session_page_runs_the_same_queries_for_a_long_history(
    client, user, other_user, short_and_long
):
    short, long = short_and_long
    few = _counted(client, user, lambda: client.get(short.get_absolute_url()))
    many = _counted(client, other_user, lambda: client.get(long.get_absolute_url()))
    assert few == many
    assert many <= SESSION_PAGE


def test_adding_a_set_runs_the_same_queries_for_a_long_history(
    client, user, other_user, short_and_long
):
    short, long = short_and_long

    def add(session):
        url = reverse("training:set-create", args=[session.pk])
        return lambda: client.post(url, set_data(), headers={"HX-Request": "true"})

    few = _counted(client, user, add(short))
    many = _counted(client, other_user, add(long))
    assert few == many
    assert many <= ADD_A_SET
    assert Set.objects.filter(session=long).count() == 6 + 2


@pytest.mark.parametrize(("name", "most"), [("training:log", TODAY), ("training:profile", PROFILE)])
def test_today_and_the_profile_run_the_same_queries_for_a_long_history(
    client, user, other_user, short_and_long, name, most
):
    few = _counted(client, user, lambda: client.get(reverse(name)))
    many = _counted(client, other_user, lambda: client.get(reverse(name)))
    assert few == many
    assert many <= most


@pytest.mark.parametrize("sessions", [500, 1000])  # thinned to weeks, then to months
def test_the_progress_page_runs_the_same_queries_for_a_long_history(
    client, user, other_user, bodyweight, sessions
):
    make_log(user, bodyweight, sessions=6, sets_per_side=1)
    make_log(other_user, bodyweight, sessions=sessions, sets_per_side=1)
    few = _counted(client, user, lambda: client.get(reverse("training:progress")))
    many = _counted(client, other_user, lambda: client.get(reverse("training:progress")))
    assert few == many
    assert many <= PROGRESS


def test_the_progress_page_reads_a_few_rows_a_month_not_every_session(user, bodyweight):
    made = make_log(user, bodyweight, sessions=1000, sets_per_side=1)
    months = (made[-1].date - made[0].date).days // 28 + 1
    read = records._progress_points(user)
    rows = sum(
        len(side.months) + len(side.weeks_read) + len(side.sessions_read) for side in read.values()
    )
    # Per side (and "any"): a row a month, and the newest sessions' rows for the balance.
    assert rows <= 4 * (months + records.BALANCE_SESSIONS) < 1000
