"""The cache primitives: versioned entries kept in process, and requests asked by nobody."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from core import caching, versions
from core.caching import SharedRenderError, check_shared, shared_request
from core.versions import SharedVersion, files_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_copies(settings):
    """What a deployment with Redis looks like to the caching code (the flag it reads)."""
    settings.SHARED_CACHE = True
    caching.forget_local_copies()
    yield caching.VersionedCache("test")
    caching.forget_local_copies()


def test_with_a_shared_cache_a_process_keeps_what_it_used_last(local_copies):
    local_copies.set("entry", "kept")
    cache.clear()  # gone from the shared cache, still named by the same versions
    assert local_copies.get("entry") == "kept"
    for number in range(caching.LOCAL_COPIES):
        local_copies.set(f"other-{number}", number)
    assert local_copies.get("entry") is None
    assert len(caching._local) == caching.LOCAL_COPIES


def test_the_shared_request_carries_nothing_of_the_visitor(rf, user, settings):
    request = rf.get(
        "/timer/?variation=single-leg-hip-thrust&sets=4&x=1",
        HTTP_COOKIE="sessionid=abc; messages=xyz; csrftoken=t",
        HTTP_X_CSRFTOKEN="token",
        HTTP_HOST="hipthrust.example",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/log/sessions/9/",
        REMOTE_ADDR="203.0.113.9",
    )
    settings.ALLOWED_HOSTS = ["hipthrust.example"]
    request.user = user
    shared = shared_request(request, ("variation", "sets"))
    assert shared.COOKIES == {}
    assert shared.user.is_anonymous
    assert not hasattr(shared, "session")
    assert dict(shared.GET) == {"sets": ["4"], "variation": ["single-leg-hip-thrust"]}
    assert shared.get_full_path() == "/timer/?sets=4&variation=single-leg-hip-thrust"
    assert set(shared.headers) == {"Host", "Hx-Request"}
    assert "REMOTE_ADDR" not in shared.META
    assert shared.htmx
    assert shared.htmx.current_url is None
    assert shared.get_host() == "hipthrust.example"


def test_a_shared_render_that_asks_for_a_csrf_token_is_refused(rf):
    from django.template import engines

    shared = shared_request(rf.get("/guide/"))
    engines["django"].from_string("<form>{% csrf_token %}</form>").render({}, shared)
    with pytest.raises(SharedRenderError, match="CSRF"):
        check_shared(shared)


def test_only_the_settings_read_redis_url():
    """The rest asks settings.SHARED_CACHE, so the cache's address is read in one place."""
    root = Path(settings.BASE_DIR)
    readers = {
        path.relative_to(root).as_posix()
        for package in ("core", "coaching", "training", "hipthrust")
        for path in (root / package).rglob("*.py")
        if "REDIS_URL" in path.read_text()
    }
    assert readers == {"hipthrust/settings.py"}


def test_an_entry_named_by_a_version_in_process_memory_lives_a_minute(settings):
    named = caching.VersionedCache("test", [SharedVersion("test:version")])
    unnamed = caching.VersionedCache("test")
    settings.SHARED_CACHE = False
    assert (named.ttl, unnamed.ttl) == (caching.UNSHARED_TTL, caching.DAY)
    settings.SHARED_CACHE = True
    assert (named.ttl, unnamed.ttl) == (caching.DAY, caching.DAY)


def test_an_entry_is_named_by_the_current_versions(settings, django_capture_on_commit_callbacks):
    version = SharedVersion("test:version")
    store = caching.VersionedCache("test", [version])
    before = store.key("page")
    assert store.key("page") == before
    with django_capture_on_commit_callbacks(execute=True):  # the bump lands on commit
        version.bump()
    assert store.key("page") != before
    assert store.key("other") != store.key("page")


def test_a_deploy_names_new_entries_even_where_no_version_moved(monkeypatch):
    # With Redis a page outlives a deploy; one the old code rendered would name static files
    # the new deploy no longer has.
    store = caching.VersionedCache("test", [SharedVersion("test:version")])
    before = store.key("page")
    monkeypatch.setattr(caching, "release", lambda: "another-deploy")
    assert store.key("page") != before


def test_the_release_moves_with_any_module_or_template(tmp_path):
    module, template = tmp_path / "views.py", tmp_path / "page.html"
    module.write_text("x = 1\n")
    template.write_text("<p>hi</p>\n")
    before = files_version([module, template])
    assert files_version([template, module]) == before
    template.write_text("<p>hello</p>\n")
    assert files_version([module, template]) != before


def test_the_release_covers_the_apps_modules_and_the_templates(monkeypatch):
    read = []
    monkeypatch.setattr(versions, "files_version", lambda paths: read.extend(paths) or "v")
    versions.release.cache_clear()
    try:
        versions.release()
    finally:
        versions.release.cache_clear()
    names = {path.relative_to(settings.BASE_DIR).as_posix() for path in read}
    assert {
        "coaching/figures.py",
        "training/views.py",
        "core/caching.py",
        "hipthrust/urls.py",
        "templates/base.html",
        "templates/coaching/guide.html",
    } <= names
    assert not any(name.startswith((".venv/", "tests/")) for name in names)


def test_a_version_bumped_in_a_transaction_moves_when_it_commits(
    db, django_capture_on_commit_callbacks
):
    version = SharedVersion("test:version")
    before = version.current()
    with django_capture_on_commit_callbacks(execute=True):
        version.bump()
        assert version.current() == before
    assert version.current() != before


def test_a_role_change_moves_the_roles_version_when_it_commits(
    user, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from training.roles import ROLES_VERSION

    before = ROLES_VERSION.current()
    with django_capture_on_commit_callbacks(execute=True):
        user.groups.add(Group.objects.get(name="Coach"))
        assert ROLES_VERSION.current() == before
    assert ROLES_VERSION.current() != before
