"""A coach at work in real Chromium: edits the guide, adds a photo, follows a flag."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from coaches import services
from coaches.models import CoachLink, FlagReview
from tests.browser.conftest import DESKTOP, PHONE, coach_with_athlete, log_in, take_screenshots
from tests.conftest import PASSWORD
from training.models import Set
from videos.models import SetVideo

pytestmark = pytest.mark.browser


@pytest.fixture
def coach_world(django_user_model, media_root):
    coach, athlete, session = coach_with_athlete(django_user_model)
    Set.objects.create(session=session, position=1, side="left", reps=10, rpe=Decimal("7.5"))
    Set.objects.create(
        session=session, position=2, side="right", reps=8, rir=1, pain=True, note="knee"
    )
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
    log_in(page, base, "coachy", lands_on="/coach/")

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
    log_in(page, base, "coachy", lands_on="/coach/")  # the queue, with no `next` to follow
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


# A pill wrapped over two lines draws as two broken half-pills: one box, one line of text.
PILL_ON_ONE_LINE = """pill => {
  const rects = pill.getClientRects();
  const line = parseFloat(getComputedStyle(pill).lineHeight);
  return rects.length === 1 && rects[0].height < 1.5 * line;
}"""
# A long flag in the queue may take two lines at 360 px (so "Needs attention" fits beside the
# name), but as one box with its rounded border round all of it, never as broken halves.
PILL_IN_ONE_PIECE = """pill => pill.getClientRects().length === 1
  && getComputedStyle(pill).display !== 'inline'"""


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_a_coach_reads_the_effort_and_marks_the_pain_flag_reviewed_on_a_phone(
    live_server, open_page, coach_world, screenshot_dir, color_scheme
):
    page, console = open_page(PHONE, color_scheme=color_scheme)
    base = live_server.url
    log_in(page, base, "coachy", lands_on="/coach/")
    # The queue scrolls inside its own box; nothing in it pushes the page sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    pain = page.get_by_role("link", name="Pain flagged in the last two weeks")
    pain.scroll_into_view_if_needed()
    assert pain.evaluate(PILL_IN_ONE_PIECE)
    if screenshot_dir:
        page.screenshot(
            path=screenshot_dir / f"coach-queue-phone-{color_scheme}.png", full_page=True
        )

    pain.click()
    page.wait_for_url(lambda url: url.endswith("?flag=pain"))
    rows = page.locator(".set-row")
    assert "RPE 7.5" in rows.nth(0).inner_text()
    assert "1 in reserve" in rows.nth(1).inner_text()
    assert page.locator(".set-row .flag--pain").evaluate(PILL_ON_ONE_LINE)
    page.get_by_role("button", name="Mark reviewed").click()
    page.get_by_text("Reviewed by coachy").wait_for()
    review = FlagReview.objects.get(athlete=coach_world["athlete"])
    assert (review.kind, review.reviewed_by) == ("pain", coach_world["coach"])
    if screenshot_dir:
        page.screenshot(
            path=screenshot_dir / f"coach-session-phone-{color_scheme}.png", full_page=True
        )

    page.get_by_role("link", name="Your athletes").click()
    reviewed = page.locator(".flags--reviewed")
    assert "Pain flagged in the last two weeks" in reviewed.inner_text()
    assert "by coachy" in reviewed.inner_text()
    assert page.get_by_role("button", name="Mark reviewed: Pain flagged").count() == 0
    assert console.errors == []


def test_the_coach_pages_keep_their_parts_apart_and_their_way_back_on_a_phone(
    live_server, open_page, coach_world, screenshot_dir
):
    athlete, session = coach_world["athlete"], coach_world["session"]
    services.create_invitation(coach_world["coach"], label="Ben")
    # One the page shows without its file (none is stored here): its status says why.
    clip = SetVideo.objects.create(
        owner=athlete,
        session=session,
        side="left",
        original="videos/x/a.mp4",
        status="failed",
        failure="Too short.",
    )
    page, console = open_page(PHONE)
    base = live_server.url
    log_in(page, base, "coachy", lands_on="/coach/")

    button = page.get_by_role("button", name="Create an invitation link").bounding_box()
    heading = page.get_by_role("heading", name="Open invitations").bounding_box()
    assert heading["y"] - (button["y"] + button["height"]) >= 16
    assert page.locator(".invite .link-list").get_by_text("Ben").is_visible()
    assert page.locator(".invite .link-list").get_by_text("expires").evaluate(PILL_ON_ONE_LINE)
    take_screenshots(page, screenshot_dir, "coach-invitations-360")

    page.goto(f"{base}/coach/athletes/{athlete.pk}/sessions/{session.pk}/")
    videos = page.locator(".session-videos").bounding_box()
    notes = page.locator('section[aria-labelledby="notes-title"]').bounding_box()
    assert notes["y"] - (videos["y"] + videos["height"]) >= 8

    page.get_by_role("link", name="Left side").click()
    page.wait_for_url(f"{base}{clip.get_absolute_url()}")
    assert page.locator('.site-nav a[aria-current="page"]').all_inner_texts() == ["Coach"]
    page.locator(".breadcrumbs").get_by_role("link", name="athlete", exact=True).click()
    page.wait_for_url(f"{base}/coach/athletes/{athlete.pk}/")
    assert console.errors == []


def _axe_severe(page) -> list:
    return [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_a_coach_copies_a_new_invitation_link_on_a_phone(
    live_server, open_page, coach_world, screenshot_dir
):
    page, console = open_page(PHONE, permissions=["clipboard-read", "clipboard-write"])
    log_in(page, live_server.url, "coachy", lands_on="/coach/")
    page.get_by_role("button", name="Create an invitation link").click()
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Copied.").wait_for()
    link = CoachLink.objects.open_invitations().get()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/coach/join/{link.code}/"
    take_screenshots(page, screenshot_dir, "coach-invitation-copied-360")
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []
    assert console.errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_an_invited_athlete_without_an_account_signs_up_and_is_asked_to_consent(
    live_server, open_page, coach_world, viewport, screenshot_dir
):
    join = f"/coach/join/{services.create_invitation(coach_world['coach']).code}/"
    page, console = open_page(viewport)
    base = live_server.url
    page.goto(base + join)
    # Who invites them and to what, with an account offered before logging in.
    page.get_by_role("heading", name="coachy would like to coach you").wait_for()
    actions = page.locator(".invitation .actions a")
    assert actions.all_inner_texts() == ["Create an account", "I have an account: log in"]
    assert _axe_severe(page) == []
    take_screenshots(page, screenshot_dir, f"invitation-landing-{viewport['width']}")
    page.get_by_role("link", name="Create an account").click()
    page.wait_for_url(f"{base}/accounts/signup/?next={join}")
    page.get_by_text("coachy invites you").wait_for()
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Email").fill("new@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(base + join)
    assert CoachLink.objects.get(code=join.split("/")[-2]).athlete is None  # consent first
    assert page.get_by_role("button", name="Decline").is_visible()
    assert _axe_severe(page) == []
    take_screenshots(page, screenshot_dir, f"invitation-consent-{viewport['width']}")
    page.get_by_role("button", name="Accept coachy as my coach").click()
    page.wait_for_url(f"{base}/accounts/profile/")
    page.get_by_text("coachy now coaches you.").wait_for()
    assert CoachLink.objects.get(code=join.split("/")[-2]).athlete.username == "newcomer"
    assert console.errors == []


def test_an_invited_athlete_declines_and_nothing_is_shared(live_server, open_page, coach_world):
    join = f"/coach/join/{services.create_invitation(coach_world['coach']).code}/"
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "athlete")
    page.goto(live_server.url + join)
    page.get_by_role("button", name="Decline").click()
    page.wait_for_url(f"{live_server.url}/log/")
    page.get_by_text("You declined coachy's invitation: the link no longer works").wait_for()
    link = CoachLink.objects.get(code=join.split("/")[-2])
    assert (link.athlete, link.declined) == (None, True)
    assert console.errors == []
