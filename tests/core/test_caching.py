"""The cache primitives: versioned entries kept in process, and requests asked by nobody."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from core import caching
from core.caching import SharedRenderError, check_shared, shared_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_copies(settings):
    """What a deployment with Redis looks like to the caching code (the flag it reads)."""
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    caching._local.clear()
    yield caching
    caching._local.clear()


def test_with_a_shared_cache_a_process_keeps_what_it_used_last(local_copies):
    local_copies.set_versioned("entry", "kept", 60)
    cache.clear()  # gone from the shared cache, still named by the same versions
    assert local_copies.get_versioned("entry") == "kept"
    for number in range(local_copies.LOCAL_COPIES):
        local_copies.set_versioned(f"other-{number}", number, 60)
    assert local_copies.get_versioned("entry") is None
    assert len(local_copies._local) == local_copies.LOCAL_COPIES


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
