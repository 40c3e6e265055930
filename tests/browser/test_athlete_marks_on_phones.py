"""What the athlete and the coach see at 360 px and 1280 px, light and dark: the marks of a
filmed set and of unread comments, touch targets of at least 44x44 px, the coach's athlete
table as one card per athlete on a phone, and no axe violation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, PHONE, coach_with_athlete, log_in, take_screenshots
from training.models import Set
from videos.models import SetVideo, VideoAnalysis, VideoComment

pytestmark = pytest.mark.browser

SEVERE = {"serious", "critical"}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])


@pytest.fixture
def filmed_world(django_user_model):
    """The athlete's session of today: a filmed left set with two unread comments from the
    coach, a right set with pain and no video."""
    coach, athlete, session = coach_with_athlete(django_user_model)
    filmed = Set.objects.create(session=session, position=1, side="left", reps=10)
    Set.objects.create(session=session, position=2, side="right", reps=8, pain=True, note="knee")
    clip = SetVideo.objects.create(
        owner=athlete, session=session, set=filmed, original="videos/x.mp4", status="ready"
    )
    VideoAnalysis.objects.create(video=clip, status="done", result={"reps": [{"number": 1}] * 10})
    for at, text in ((1, "Knees out."), (2, "Slower on the way down.")):
        VideoComment.objects.create(video=clip, author=coach, at_seconds=Decimal(at), text=text)
    return {"coach": coach, "athlete": athlete, "session": session, "clip": clip}


def _axe_severe(page) -> list:
    return [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in SEVERE
    ]


SMALL_TARGETS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((e) => e.offsetParent)
  .map((e) => { const r = e.getBoundingClientRect();
    const name = e.textContent.trim().replace(/\\s+/g, ' ');
    return [name, Math.round(r.width), Math.round(r.height)]; })
  .filter(([, width, height]) => width < 44 || height < 44)"""


@VIEWPORTS
def test_a_filmed_set_and_its_unread_comments_show_on_the_session_page(
    live_server, open_page, filmed_world, viewport, screenshot_dir
):
    page, console = open_page(viewport)
    log_in(page, live_server.url, "athlete")
    page.goto(f"{live_server.url}{filmed_world['session'].get_absolute_url()}")
    rows = page.locator(".set-row")
    first, second = rows.nth(0), rows.nth(1)
    assert first.get_by_role("link", name="Video of set 1 on the left: watch it").is_visible()
    assert first.get_by_text("10 reps read").is_visible()
    comments = first.get_by_role("link", name="2 new comments from your coach on set 1 on the left")
    assert comments.is_visible()
    assert second.locator(".mark").count() == 0
    # Every control on a set's row is at least 44x44 px, on a phone too.
    assert page.evaluate(SMALL_TARGETS, ".set-row a, .set-row button") == []
    assert _axe_severe(page) == []
    take_screenshots(page, screenshot_dir, f"session-marks-{viewport['width']}")
    assert comments.get_attribute("href") == f"{filmed_world['clip'].get_absolute_url()}#comments"
    assert console.errors == []


@VIEWPORTS
def test_today_lists_the_coachs_unread_comments(
    live_server, open_page, filmed_world, viewport, screenshot_dir
):
    page, console = open_page(viewport)
    log_in(page, live_server.url, "athlete")
    card = page.get_by_role("region", name="New comments from your coach")
    assert card.get_by_role("link", name="2 new comments").is_visible()
    assert "on the video of set 1 on the left (10 reps)" in card.inner_text()
    assert _axe_severe(page) == []
    take_screenshots(page, screenshot_dir, f"today-comments-{viewport['width']}")
    assert console.errors == []


@VIEWPORTS
def test_the_coachs_athlete_table_keeps_flag_text_readable(
    live_server, open_page, filmed_world, viewport, screenshot_dir
):
    page, console = open_page(viewport)
    log_in(page, live_server.url, "coachy", "/coach/")
    flag = page.get_by_role("link", name="Pain flagged in the last two weeks")
    box = flag.bounding_box()
    line = float(flag.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    # Not one word per line: the five words take at most two lines.
    assert box["height"] <= 2 * line + 8, box
    assert box["x"] + box["width"] <= viewport["width"]
    # Nothing wider than the screen, the video waiting for review included.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    if viewport == PHONE:
        assert page.evaluate(SMALL_TARGETS, ".queue a, .queue button") == []
    assert _axe_severe(page) == []
    take_screenshots(page, screenshot_dir, f"coach-athletes-{viewport['width']}")
    assert console.errors == []


def test_every_control_on_a_set_row_is_a_44_px_target_on_a_phone(
    live_server, open_page, filmed_world
):
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "athlete")
    page.goto(f"{live_server.url}{filmed_world['session'].get_absolute_url()}")
    unfilmed = page.locator(".set-row").nth(1)
    for role, name in (
        ("link", "Edit set 1 on the right"),
        ("link", "Add video of set 1 on the right"),
        ("button", "Delete set 1 on the right"),
    ):
        box = unfilmed.get_by_role(role, name=name).bounding_box()
        assert box["width"] >= 44, (name, box)
        assert box["height"] >= 44, (name, box)
    assert console.errors == []


def test_after_a_refused_set_the_focus_is_on_the_first_wrong_field(
    live_server, open_page, filmed_world
):
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "athlete")
    page.goto(f"{live_server.url}{filmed_world['session'].get_absolute_url()}")
    page.evaluate("document.querySelector('form.set-form').noValidate = true")  # the server's
    page.get_by_label("Tempo").fill("fast")
    page.get_by_role("button", name="Add set").click()
    page.locator(".field--invalid").first.wait_for()
    # htmx moves the focus once the swapped form settles, a moment after it shows.
    page.wait_for_function("() => document.activeElement?.name === 'tempo'", timeout=3_000)
    assert console.errors == []
