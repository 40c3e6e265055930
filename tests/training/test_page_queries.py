"""The bench pages run a fixed number of queries: the same for a trainee with a few sets as
for one with thousands, and no more than the bound named here (the session and user of the
request included). Counts, never times: the times are bench/log_pages.py's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_log, set_data
from training.models import Profile, Set

pytestmark = pytest.mark.django_db

# The most each page may run.
SESSION_PAGE = 5
# Adding a set also keeps the log's summaries (training/summaries.py): four statements.
ADD_A_SET = 16
TODAY = 6
PROFILE = 6


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
