"""The one cache idea: generations bumped on commit, and whole pages kept for visitors
without a session, into which nothing of the visitor may go."""

from __future__ import annotations

import gzip
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

from core import caching
from core.caching import Generation, cached_page

pytestmark = pytest.mark.django_db


def _entries() -> int:
    return sum(":page:" in key for key in cache._cache)  # LocMemCache's own store


def test_only_the_settings_read_redis_url():
    """The cache's address is read in one place."""
    root = Path(settings.BASE_DIR)
    readers = {
        path.relative_to(root).as_posix()
        for package in ("core", "coaching", "training", "hipthrust")
        for path in (root / package).rglob("*.py")
        if "REDIS_URL" in path.read_text()
    }
    assert readers == {"hipthrust/settings.py"}


def test_a_generation_bumped_in_a_transaction_moves_when_it_commits(
    django_capture_on_commit_callbacks,
):
    generation = Generation("test:generation")
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        generation.bump()
        assert generation.current() == before
    assert generation.current() != before


def test_a_remembered_value_is_made_again_once_its_generation_moves(
    django_capture_on_commit_callbacks,
):
    generation = Generation("test:generation")
    made = []

    def make(name):
        made.append(name)
        return f"{name} {len(made)}"

    assert generation.remember(lambda: make("page"), "test", "page") == "page 1"
    assert generation.remember(lambda: make("page"), "test", "page") == "page 1"
    assert generation.remember(lambda: make("other"), "test", "other") == "other 2"
    with django_capture_on_commit_callbacks(execute=True):
        generation.bump()
        # Not before the commit: a reader of the old rows would keep them as new.
        assert generation.remember(lambda: make("page"), "test", "page") == "page 1"
    assert generation.remember(lambda: make("page"), "test", "page") == "page 3"
    assert made == ["page", "other", "page"]


@pytest.fixture
def cache_calls(monkeypatch) -> list[str]:
    """The cache's methods as the code under test calls them, not as a backend calls itself."""
    calls, depth = [], []

    def counted(name, method):
        def call(*args, **kwargs):
            if not depth:
                calls.append(name)
            depth.append(name)
            try:
                return method(*args, **kwargs)
            finally:
                depth.pop()

        return call

    for name in ("get", "get_many", "get_or_set", "set"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    return calls


def test_a_remembered_value_is_read_with_its_generation_in_one_round_trip(cache_calls):
    generation = Generation("test:generation")
    generation.remember(lambda: ["rung"], "test", "ladder")
    cache_calls.clear()
    assert generation.remember(lambda: ["other"], "test", "ladder") == ["rung"]
    assert cache_calls == ["get_many"]


def test_an_emptied_cache_never_names_an_old_entry_again():
    generation = Generation("test:generation")
    before = generation.current()
    generation.remember(lambda: "old", "test", "page")
    cache.clear()  # Redis restarted, or a backup restored
    assert generation.current() != before
    assert generation.remember(lambda: "new", "test", "page") == "new"


def test_a_deploy_with_new_static_files_names_new_entries(monkeypatch):
    # With Redis a page outlives a deploy; one the old code rendered would name static files
    # the new deploy no longer has.
    generation = Generation("test:generation")
    monkeypatch.setattr(caching, "staticfiles_storage", SimpleNamespace(manifest_hash="aaaaaaaa"))
    before = generation.key("test", "page")
    monkeypatch.setattr(caching, "staticfiles_storage", SimpleNamespace(manifest_hash="bbbbbbbb"))
    assert generation.key("test", "page") != before


def _page(view, **options):
    return cached_page(Generation("test:generation"), view, **options)


def test_a_page_is_kept_whole_and_answers_a_conditional_get(rf):
    calls = []

    def view(request):
        calls.append(request)
        return HttpResponse("<p>the page</p>")

    page = _page(view)
    first = page(rf.get("/p/"))
    again = page(rf.get("/p/"))
    assert (len(calls), again.content, again["ETag"]) == (1, b"<p>the page</p>", first["ETag"])
    assert "Cookie" in again["Vary"]
    assert page(rf.get("/p/", HTTP_IF_NONE_MATCH=f"W/{first['ETag']}")).status_code == 304
    assert page(rf.get("/p/", HTTP_IF_NONE_MATCH='"stale"')).status_code == 200


def test_a_kept_page_goes_out_compressed_once_to_a_browser_that_takes_gzip(rf, monkeypatch):
    html = "<p>the guide, long enough to be worth compressing</p>" * 40
    page = _page(lambda request: HttpResponse(html))
    compressions = []
    compress = caching.gzip.compress
    monkeypatch.setattr(
        caching.gzip, "compress", lambda data, **kw: compressions.append(1) or compress(data, **kw)
    )
    plain = page(rf.get("/p/"))
    packed = [page(rf.get("/p/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")) for _ in range(3)]
    assert len(compressions) == 1
    assert (plain.content.decode(), plain.get("Content-Encoding")) == (html, None)
    for response in packed:
        assert response["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.content).decode() == html
        assert response["ETag"] == f"W/{plain['ETag']}"
    assert "Accept-Encoding" in plain["Vary"]
    assert "Accept-Encoding" in packed[0]["Vary"]
    again = page(rf.get("/p/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed[0]["ETag"]))
    assert again.status_code == 304


def test_a_kept_page_is_read_with_its_generation_in_one_round_trip(rf, cache_calls):
    page = _page(lambda request: HttpResponse("<p>the page</p>"))
    page(rf.get("/p/"))
    cache_calls.clear()
    assert page(rf.get("/p/")).content == b"<p>the page</p>"
    assert cache_calls == ["get_many"]


def test_a_page_kept_under_an_old_generation_is_made_again(rf, django_capture_on_commit_callbacks):
    calls = []

    def view(request):
        calls.append(request)
        return HttpResponse(f"<p>version {len(calls)}</p>")

    generation = Generation("test:generation")
    page = cached_page(generation, view)
    assert page(rf.get("/p/")).content == b"<p>version 1</p>"
    with django_capture_on_commit_callbacks(execute=True):
        generation.bump()  # an edit commits
    assert page(rf.get("/p/")).content == b"<p>version 2</p>"
    assert page(rf.get("/p/")).content == b"<p>version 2</p>"
    assert len(calls) == 2


def test_the_view_sees_only_the_query_it_reads_and_the_host_without_its_port(rf):
    seen = []

    def view(request):
        seen.append((request.get_full_path(), request.get_host()))
        return HttpResponse("ok")

    page = _page(view, params=("sets",))
    for number in range(5):
        request = rf.get(f"/p/?sets=2&utm={number}", HTTP_HOST=f"testserver:{40000 + number}")
        assert page(request).status_code == 200
    assert seen == [("/p/?sets=2", "testserver")]
    assert _entries() == 1


def test_a_visitor_with_a_session_or_a_waiting_message_is_never_kept_nor_served_a_kept_page(rf):
    page = _page(lambda request: HttpResponse(request.COOKIES.get("who", "nobody")))
    for cookie in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name):
        request = rf.get("/p/", HTTP_COOKIE=f"{cookie}=x; who=ada")
        assert page(request).content == b"ada"
    assert _entries() == 0
    assert page(rf.get("/p/")).content == b"nobody"
    assert _entries() == 1


def _with_messages(request):
    request._messages = CookieStorage(request)
    return request


@pytest.mark.parametrize(
    "personal",
    [
        pytest.param(lambda request: HttpResponse(get_token(request)), id="a CSRF token"),
        pytest.param(
            lambda request: messages.info(request, "secret-5d1e") or HttpResponse("secret-5d1e"),
            id="a message",
        ),
        pytest.param(
            lambda request: (response := HttpResponse("ok")).set_cookie("who", "ada") or response,
            id="a cookie",
        ),
    ],
)
def test_a_page_made_with_something_of_the_visitor_is_served_but_never_kept(rf, personal):
    page = _page(personal)
    assert page(_with_messages(rf.get("/p/"))).status_code == 200
    assert _entries() == 0


def test_a_page_that_is_not_a_200_is_not_kept(rf):
    page = _page(lambda request: HttpResponse("gone", status=404))
    assert page(rf.get("/p/")).status_code == 404
    assert _entries() == 0
