"""The visitor's time zone: their "today", read from the cookie their browser keeps."""

from __future__ import annotations

import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from core.middleware import zone_named


@pytest.mark.parametrize(
    ("name", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Etc/GMT+12", "Etc/GMT+12"),
        ("UTC", "UTC"),
        ("", None),
        ("Nowhere/Atlantis", None),
        ("../../etc/passwd", None),
        ("/usr/share/zoneinfo/UTC", None),
        ("Europe/" + "x" * 80, None),
    ],
)
def test_a_zone_is_taken_only_by_its_iana_name(name, zone):
    found = zone_named(name)
    assert (None if found is None else found.key) == zone


def _new_session_day(client) -> str:
    page = client.get(reverse("training:log")).content.decode()
    field = re.search(r'<input type="date" name="date"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


def test_today_offers_the_day_of_the_visitors_own_zone(user_client, settings):
    settings.TIME_ZONE = "UTC"
    days = {}
    # Twenty-six hours apart: whatever the hour, never the same day.
    for name in ("Pacific/Kiritimati", "Etc/GMT+12"):
        user_client.cookies["tz"] = name
        days[name] = _new_session_day(user_client)
        expected = timezone.localdate(timezone=zoneinfo.ZoneInfo(name)).isoformat()
        assert days[name] == expected
    assert days["Pacific/Kiritimati"] != days["Etc/GMT+12"]


def test_a_cookie_that_names_no_zone_leaves_the_sites(user_client, settings):
    settings.TIME_ZONE = "UTC"
    user_client.cookies["tz"] = "Nowhere/Atlantis"
    assert _new_session_day(user_client) == timezone.localdate().isoformat()
