import pytest

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
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_pages_send_the_other_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client):
    html = client.get("/").content.decode()
    assert """content='{"includeIndicatorStyles": false, "allowEval": false}'""" in html


def test_htmx_sends_the_csrf_token_on_signed_in_pages_only(client, user):
    assert "X-CSRFToken" not in client.get("/guide/").content.decode()
    client.force_login(user)
    assert 'hx-headers=\'{"X-CSRFToken": "' in client.get("/guide/").content.decode()


def test_htmx_is_served_from_this_origin(client):
    html = client.get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in html
    assert "unpkg" not in html
    assert "cdn" not in html.lower()
