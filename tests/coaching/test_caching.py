"""Public guide pages come from the cache, answer conditional GETs, and drop at an edit."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from coaching.models import Cue

pytestmark = pytest.mark.django_db

CACHED = [
    reverse("coaching:home"),
    reverse("coaching:guide"),
    reverse("coaching:variation-list"),
    reverse("coaching:variation-detail", kwargs={"slug": "single-leg-hip-thrust"}),
    reverse("coaching:form-error-detail", kwargs={"slug": "bouncing"}),
    reverse("coaching:timer"),
]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url", CACHED)
def test_a_second_anonymous_visit_runs_no_query(client, url, django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "Cookie" in second["Vary"]


@pytest.mark.parametrize("url", CACHED)
def test_a_matching_etag_gets_304_without_a_body(client, url):
    etag = client.get(url)["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_an_edit_by_a_coach_shows_at_once(client, exercise):
    url = reverse("coaching:guide")
    before = client.get(url)
    cue = Cue.objects.filter(exercise=exercise).first()
    cue.cue = "A brand new cue"
    cue.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "A brand new cue" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_signed_in_pages_are_never_served_from_the_cache(client, user):
    url = reverse("coaching:guide")
    client.get(url)
    client.force_login(user)
    html = client.get(url).content.decode()
    assert "Log out" in html
    assert "ada" in html


def test_htmx_requests_get_their_own_cache_entry(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("coaching:guide")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        boosted = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert boosted.status_code == 200
    assert len(queries) > 0  # not the plain page's entry
