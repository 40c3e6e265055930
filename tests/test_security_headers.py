import datetime
import json
import re

import pytest

from coaching.models import Variation
from training.models import TrainingSession

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/guide/")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["worker-src"] == "'self'"
    assert policy["manifest-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_pages_send_the_other_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def _htmx_config(html: str) -> dict:
    return json.loads(re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', html).group(1))


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client):
    config = _htmx_config(client.get("/").content.decode())
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False


def test_htmx_swaps_a_stale_edit_and_a_lockout_but_no_other_error(client):
    rules = _htmx_config(client.get("/").content.decode())["responseHandling"]

    def rule_for(status: int) -> dict:
        return next(rule for rule in rules if re.search(rule["code"], str(status)))

    assert [rule_for(status)["swap"] for status in (200, 302, 409, 429)] == [True] * 4
    for status in (204, 400, 403, 404, 413, 500, 503):
        assert rule_for(status)["swap"] is False
    assert rule_for(500)["error"] is True


def test_htmx_sends_the_csrf_token_on_signed_in_pages_only(client, user):
    assert "X-CSRFToken" not in client.get("/guide/").content.decode()
    client.force_login(user)
    assert 'hx-headers=\'{"X-CSRFToken": "' in client.get("/guide/").content.decode()


def test_htmx_is_served_from_this_origin(client):
    html = client.get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
    assert "unpkg" not in html
    assert "cdn" not in html.lower()


def test_with_debug_on_pages_load_no_error_helper_the_csp_would_refuse(client, settings):
    # django-htmx's helper, added by its htmx_script with DEBUG on, took a refused form's
    # 4xx from page-errors.mjs and evaluated scripts: an EvalError under the CSP in `make run`.
    settings.DEBUG = True
    html = client.get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
    assert "django-htmx.js" not in html


SIGNED_IN_PAGES = [
    "/",
    "/guide/",
    "/ladder/",
    "/ladder/single-leg-hip-thrust/",
    "/timer/",
    "/accounts/profile/",
    "/accounts/password_change/",
]
LOG_PAGES = [
    "/log/",
    "/log/history/",
    "/log/records/",
    "/log/progress/",
    "/log/level/",
    "/log/import/",
    "/log/export.csv",
    "/coach/",
]


def _directives(response) -> set[str]:
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}


def test_every_page_for_a_signed_in_user_is_private(client, coach):
    session = TrainingSession.objects.create(
        user=coach,
        date=datetime.date(2026, 11, 2),
        variation=Variation.objects.get(slug="single-leg-hip-thrust"),
    )
    set_ = session.sets.create(position=1, side="left", reps=10)
    client.force_login(coach)
    log_pages = [*LOG_PAGES, session.get_absolute_url(), f"/log/sets/{set_.pk}/edit/"]
    for url in SIGNED_IN_PAGES + log_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = _directives(response)
        assert "private" in directives, (url, response.get("Cache-Control"))
        assert "public" not in directives, url
        if url in log_pages:
            assert "no-store" in directives, url


def test_a_signed_in_post_answer_is_private_and_a_log_one_not_stored(client, user):
    client.force_login(user)
    data = {"date": datetime.date.today().isoformat(), "variation": "999999"}
    response = client.post("/log/sessions/new/", data)
    assert {"private", "no-store"} <= _directives(response)


def test_a_response_that_sets_a_cookie_is_private(client):
    response = client.get("/accounts/login/")
    assert "csrftoken" in response.cookies
    assert "private" in _directives(response)


def test_anonymous_guide_pages_stay_publicly_cacheable(client):
    response = client.get("/guide/")
    assert "public" in _directives(response)
    assert "private" not in _directives(response)
