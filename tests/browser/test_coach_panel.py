"""A coach at work in real Chromium: edits the guide, adds a photo, follows a flag."""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image

from coaching.models import Variation
from tests.browser.conftest import DESKTOP, log_in
from tests.conftest import PASSWORD
from training import services
from training.models import Set, TrainingSession

pytestmark = pytest.mark.browser


@pytest.fixture
def coach_world(django_user_model, media_root):
    coach = django_user_model.objects.create_user(
        "coachy", "c@example.com", PASSWORD, is_staff=True
    )
    coach.groups.add(Group.objects.get(name="Coach"))
    athlete = django_user_model.objects.create_user("athlete", "a@example.com", PASSWORD)
    services.accept_invitation(services.create_invitation(coach), athlete)
    session = TrainingSession.objects.create(
        user=athlete,
        date=timezone.localdate(),
        variation=Variation.objects.get(slug="single-leg-hip-thrust"),
    )
    Set.objects.create(session=session, position=1, side="left", reps=10)
    Set.objects.create(session=session, position=2, side="right", reps=8, pain=True, note="knee")
    return {"coach": coach, "athlete": athlete, "session": session}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (40, 120, 110)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_coach_edits_a_cue_and_adds_a_photo_and_the_guide_shows_both(
    live_server, open_page, coach_world, screenshot_dir
):
    page, console = open_page(DESKTOP)
    base = live_server.url
    log_in(page, base, "coachy")

    page.goto(f"{base}/admin/coaching/exercise/")
    page.get_by_role("link", name="Single leg hip thrust").first.click()
    cue = page.locator('input[value="Lock the bench in place"]')
    cue.fill("Wedge the bench against the wall")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{base}/admin/coaching/exercise/")
    page.goto(f"{base}/guide/")
    assert page.locator("#setup").get_by_text("Wedge the bench against the wall").is_visible()

    page.goto(f"{base}/admin/coaching/illustration/add/")
    page.get_by_label("Exercise").select_option(label="Single leg hip thrust")
    page.get_by_label("Placement").select_option(value="guide-setup")
    page.get_by_label("Alt text").fill("A coach checks the bench against the wall")
    page.locator("#id_photo").set_input_files(
        {"name": "bench.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}
    )
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{base}/admin/coaching/illustration/")
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / "admin-illustrations.png", full_page=True)

    page.goto(f"{base}/guide/")
    photo = page.locator("#setup picture img")
    photo.scroll_into_view_if_needed()
    photo.evaluate("img => img.decode()")
    assert photo.get_attribute("alt") == "A coach checks the bench against the wall"
    assert photo.evaluate("img => img.naturalWidth") > 0
    assert "480w" in page.locator("#setup picture source").get_attribute("srcset")
    assert console.errors == []


def test_a_coach_opens_the_queue_and_follows_the_pain_flag(
    live_server, open_page, coach_world, screenshot_dir
):
    page, console = open_page(DESKTOP)
    base = live_server.url
    log_in(page, base, "coachy")
    page.get_by_role("link", name="Coach", exact=True).click()
    page.wait_for_url(f"{base}/coach/")
    severe = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert severe == []
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / "coach-queue.png", full_page=True)

    page.get_by_role("link", name="Pain flagged in the last two weeks").click()
    page.wait_for_url(f"**/coach/athletes/{coach_world['athlete'].pk}/sessions/**")
    flagged = page.locator(".set-row--flagged")
    assert flagged.count() == 1
    assert "8 reps" in flagged.inner_text()

    page.get_by_role("textbox", name="Note").fill("Stop at the first twinge and tell me")
    page.get_by_role("button", name="Add note").click()
    page.get_by_text("Stop at the first twinge and tell me").wait_for()
    assert console.errors == []
