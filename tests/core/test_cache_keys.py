"""The page cache keeps one entry per page of the site, whatever port a Host header names:
Django's ALLOWED_HOSTS check ignores the port, so a stranger could otherwise add an entry
(and a full render) per port."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

PORTS = range(40000, 40020)


@pytest.fixture(autouse=True)
def _local_hosts(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]


def _entries() -> int:
    return sum(1 for key in cache._cache if ":page:" in key)


def _canonical(response) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)"', response.content.decode())[1]


def test_requests_on_many_ports_share_one_cached_public_page(client, exercise):
    assert client.get("/guide/", HTTP_HOST="127.0.0.1").status_code == 200
    pages = _entries()
    assert pages >= 1
    for port in PORTS:
        response = client.get("/guide/", HTTP_HOST=f"127.0.0.1:{port}")
        assert response.status_code == 200
    assert _entries() == pages


def test_signed_in_visits_on_many_ports_add_no_entry(user_client, exercise):
    for port in PORTS:
        assert user_client.get("/guide/", HTTP_HOST=f"127.0.0.1:{port}").status_code == 200
    assert _entries() == 0


def test_a_strangers_port_never_reaches_the_page_others_are_served(client, exercise):
    client.get("/guide/", HTTP_HOST="127.0.0.1:40001")
    assert _canonical(client.get("/guide/", HTTP_HOST="127.0.0.1")) == "http://127.0.0.1/guide/"


def test_with_a_site_url_every_host_gets_the_sites_own_links_from_one_entry(
    client, exercise, settings
):
    settings.SITE_URL = "https://hipthrust.example"
    first = client.get("/guide/", HTTP_HOST="127.0.0.1:40001")
    pages = _entries()
    second = client.get("/guide/", HTTP_HOST="testserver")
    assert _entries() == pages
    assert _canonical(first) == _canonical(second) == "https://hipthrust.example/guide/"
    robots = client.get("/robots.txt", HTTP_HOST="127.0.0.1:40001").content.decode()
    assert "Sitemap: https://hipthrust.example/sitemap.xml" in robots
