"""Public guide pages come from the cache, answer conditional GETs, and drop at an edit."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from coaching.caching import content_version
from coaching.models import Cue
from core import versions

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


def test_an_edit_by_a_coach_shows_at_once(client, exercise, django_capture_on_commit_callbacks):
    url = reverse("coaching:guide")
    before = client.get(url)
    cue = Cue.objects.filter(exercise=exercise).first()
    cue.cue = "A brand new cue"
    with django_capture_on_commit_callbacks(execute=True):  # the edit commits
        cue.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "A brand new cue" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_the_content_version_moves_when_a_coachs_edit_commits_not_before(
    exercise, django_capture_on_commit_callbacks
):
    """A visitor reading the guide during the admin's transaction sees the old rows: were the
    version bumped then, the old page would be cached under the new version (a day with Redis)."""
    before = content_version()
    cue = Cue.objects.filter(exercise=exercise).first()
    with django_capture_on_commit_callbacks(execute=True):
        cue.cue = "Edited in the admin's transaction"
        cue.save()
        Cue.objects.filter(pk=cue.pk).delete()
        assert content_version() == before
    assert content_version() != before


def test_signed_in_pages_are_never_served_from_the_cache(client, user):
    url = reverse("coaching:guide")
    client.get(url)
    client.force_login(user)
    html = client.get(url).content.decode()
    assert "Log out" in html
    assert "ada" in html


def _page_entries() -> int:
    return sum(":coaching:page:" in key for key in cache._cache)  # LocMemCache's own store


def test_htmx_requests_get_their_own_cache_entry(client):
    url = reverse("coaching:guide")
    plain = client.get(url)
    boosted = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert boosted.status_code == 200
    assert _page_entries() == 2
    assert plain.status_code == 200


def _content_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "coaching_" in q["sql"]]


@pytest.mark.parametrize("url", CACHED)
def test_a_signed_in_visit_reuses_the_shared_body_without_content_queries(client, user, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # an anonymous visitor renders and caches the body
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    assert _content_queries(queries) == []
    html = page.content.decode()
    assert "Log out" in html
    assert user.username in html


@pytest.mark.parametrize("url", CACHED)
def test_the_shared_body_never_carries_the_first_visitors_name(client, user, url):
    client.force_login(user)
    client.get(url)  # the signed-in visitor renders the body first
    client.logout()
    client.cookies.clear()
    html = client.get(url).content.decode()
    assert user.username not in html
    assert "Log out" not in html
    assert "csrfmiddlewaretoken" not in html


def test_a_signed_in_visitor_sees_a_coachs_edit_at_once(
    client, user, exercise, django_capture_on_commit_callbacks
):
    url = reverse("coaching:guide")
    client.force_login(user)
    client.get(url)
    cue = Cue.objects.filter(exercise=exercise).first()
    cue.cue = "Another brand new cue"
    with django_capture_on_commit_callbacks(execute=True):  # the edit commits
        cue.save()
    assert "Another brand new cue" in client.get(url).content.decode()


def test_an_unknown_slug_is_a_404_every_time_and_nothing_is_cached(client):
    url = reverse("coaching:variation-detail", kwargs={"slug": "no-such-rung"})
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404
    assert not any(":coaching:content:" in key for key in cache._cache)


def test_the_timer_shares_its_plan_but_gives_each_page_its_own_log_form(client, user):
    url = reverse("coaching:timer") + "?variation=single-leg-hip-thrust&sets=2"
    anonymous = client.get(url).content.decode()
    assert "timer-log-form" not in anonymous
    client.force_login(user)
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert "timer-log-form" in first
    assert "csrfmiddlewaretoken" in first
    ids = [html.split('name="submission_id" value="')[1].split('"')[0] for html in (first, second)]
    assert ids[0] != ids[1]
    assert 'name="sets" value="2"' in first
    # The plan the form logs is the plan shown: same query, same shared body.
    assert (
        first.split('<div id="timer-log">')[0].split("<main")[1]
        == anonymous.split('<div id="timer-log">')[0].split("<main")[1]
    )


def test_the_timer_shows_each_plan_apart(client):
    base = reverse("coaching:timer") + "?variation=single-leg-hip-thrust"
    two = client.get(base + "&sets=2").content.decode()
    three = client.get(base + "&sets=3").content.decode()
    assert "2 sets of" in two
    assert "3 sets of" in three
    # The same plan with its parameters in another order is the same entry.
    again = client.get(reverse("coaching:timer") + "?sets=2&variation=single-leg-hip-thrust")
    assert "2 sets of" in again.content.decode()


def test_a_browser_that_takes_gzip_gets_the_stored_compressed_copy(
    client, django_assert_num_queries
):
    import gzip

    url = reverse("coaching:guide")
    plain = client.get(url)
    with django_assert_num_queries(0):
        packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) * 4 < len(plain.content)
    assert "Accept-Encoding" in packed["Vary"]
    assert packed["ETag"] != plain["ETag"]
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304


def test_signed_in_pages_are_compressed_too(client, user):
    import gzip

    client.force_login(user)
    page = client.get(reverse("coaching:guide"), HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    assert "Log out" in gzip.decompress(page.content).decode()


@pytest.fixture
def shared_cache(settings):
    """What a deployment with Redis looks like to the caching code (the flag it reads)."""
    from coaching import caching
    from core.caching import forget_local_copies

    settings.SHARED_CACHE = True
    forget_local_copies()
    caching.CONTENT_VERSION.forget()
    yield caching
    forget_local_copies()
    caching.CONTENT_VERSION.forget()


def test_an_emptied_shared_cache_never_brings_back_an_old_page(
    client, shared_cache, exercise, monkeypatch
):
    import time

    url = reverse("coaching:guide")
    client.get(url)
    # An edit that sent no signal (a restore, a raw SQL fix) and a flushed Redis; once
    # this process reads the version again (at most a second later):
    Cue.objects.filter(exercise=exercise, order=1).update(cue="Changed while the cache was down")
    cache.clear()
    later = time.monotonic() + versions.MEMO_SECONDS + 0.01
    monkeypatch.setattr(versions.time, "monotonic", lambda: later)
    assert "Changed while the cache was down" in client.get(url).content.decode()


def test_another_processs_edit_reaches_this_one_within_a_second(shared_cache, monkeypatch):
    import time

    seen = shared_cache.content_version()
    cache.set(shared_cache.VERSION_KEY, "bumped-elsewhere", timeout=None)
    assert shared_cache.content_version() == seen  # read at most once a second
    later = time.monotonic() + versions.MEMO_SECONDS + 0.01
    monkeypatch.setattr(versions.time, "monotonic", lambda: later)
    assert shared_cache.content_version() == "bumped-elsewhere"


def test_an_edit_shows_at_once_in_the_process_that_made_it(
    client, shared_cache, exercise, django_capture_on_commit_callbacks
):
    url = reverse("coaching:guide")
    client.get(url)
    cue = Cue.objects.filter(exercise=exercise).first()
    cue.cue = "Seen at once here"
    with django_capture_on_commit_callbacks(execute=True):  # the edit commits
        cue.save()
    assert "Seen at once here" in client.get(url).content.decode()


# Nothing of the visitor who asks may enter a shared entry (issue: private flash
# messages served to strangers from the page cache).


def _flash(client, text: str) -> None:
    """Leave a message for this browser as any view does before a redirect: in the
    cookie storage, which outlives the session (a logout keeps it)."""
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    client.cookies[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value


def _stored_bytes() -> bytes:
    return b"".join(value for value in cache._cache.values() if isinstance(value, bytes))


@pytest.mark.parametrize("url", CACHED)
def test_a_message_waiting_for_one_browser_is_shown_to_it_alone(client, url):
    from django.test import Client

    _flash(client, "Only for this browser: secret-7f3a")
    own = client.get(url)
    assert own.status_code == 200
    assert "secret-7f3a" in own.content.decode()
    stranger = Client().get(url)
    assert stranger.status_code == 200
    assert "secret-7f3a" not in stranger.content.decode()
    assert b"secret-7f3a" not in _stored_bytes()
    # Shown once: the next page for the same browser comes from the shared copy.
    assert "secret-7f3a" not in client.get(url).content.decode()


@pytest.mark.parametrize("url", CACHED)
def test_a_message_left_before_a_signed_in_visit_never_enters_the_shared_body(client, user, url):
    from django.test import Client

    client.force_login(user)
    _flash(client, "Yours alone: secret-91c2")
    assert "secret-91c2" in client.get(url).content.decode()
    assert b"secret-91c2" not in _stored_bytes()
    assert "secret-91c2" not in Client().get(url).content.decode()


def _content_entries() -> int:
    return sum(":coaching:content:" in key for key in cache._cache)


def test_query_strings_a_page_does_not_read_add_no_cache_entry(client):
    url = reverse("coaching:guide")
    plain = client.get(url)
    for number in range(30):
        again = client.get(url, {"x": number, "utm_source": "feed"})
        assert again.status_code == 200
        assert again.content == plain.content
    assert (_page_entries(), _content_entries()) == (1, 1)


def test_the_timer_keeps_only_the_plans_the_site_links_to(client, user):
    url = reverse("coaching:timer")
    for number in range(1, 11):
        assert client.get(url, {"sets": number}).status_code == 200
        assert client.get(url, {"variation": f"no-such-rung-{number}"}).status_code == 404
    client.force_login(user)
    for number in range(1, 11):
        assert client.get(url, {"reps": number}).status_code == 200
        assert client.get(url, {"variation": f"no-such-rung-{number}"}).status_code == 404
    assert (_page_entries(), _content_entries()) == (0, 0)
    client.logout()
    client.get(url, {"variation": "single-leg-hip-thrust"})
    assert (_page_entries(), _content_entries()) == (1, 1)
