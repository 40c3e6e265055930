"""The guide as a person sees it: rendered by Chromium, checked by axe-core."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "guide": "/guide/",
    "ladder": "/ladder/",
    "variation": "/ladder/single-leg-hip-thrust/",
    "form-error": "/form-errors/pushing-through-toes/",
}
SEVERE = {"serious", "critical"}


def test_the_guide_renders_its_sections_without_console_errors(live_server, open_page):
    page, console = open_page(DESKTOP)
    response = page.goto(f"{live_server.url}/guide/")

    assert response.status == 200
    assert page.title() == "How to do the single leg hip thrust · hipthrust"
    for heading in ["Setup", "Execution", "Top position", "Troubleshooting", "Scaling ladder"]:
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator(".cue").count() == 16
    assert page.locator(".form-error").count() == 4
    assert page.locator(".ladder__rung").count() == 7
    assert console.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_passes_axe_and_fits_the_screen(
    live_server, open_page, screenshot_dir, viewport, scheme
):
    page, console = open_page(viewport, color_scheme=scheme)
    axe = Axe()
    for name, path in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        results = axe.run(page)
        severe = [
            (violation["id"], [node["target"] for node in violation["nodes"]])
            for violation in results.response["violations"]
            if violation["impact"] in SEVERE
        ]
        assert severe == [], f"{name} at {viewport['width']}px, {scheme}"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {viewport['width']}px"
        if screenshot_dir:
            page.screenshot(
                path=screenshot_dir / f"{name}-{viewport['width']}-{scheme}.png", full_page=True
            )
    assert console.errors == []


def test_dark_mode_follows_the_system_setting(live_server, open_page):
    backgrounds = {}
    for scheme in ("light", "dark"):
        page, _ = open_page(DESKTOP, color_scheme=scheme)
        page.goto(f"{live_server.url}/guide/")
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert backgrounds == {"light": "rgb(247, 245, 240)", "dark": "rgb(20, 24, 28)"}


def test_boosted_navigation_swaps_the_page_keeps_the_back_button_and_focuses_the_content(
    live_server, open_page
):
    page, console = open_page(DESKTOP)
    page.goto(f"{live_server.url}/")
    page.evaluate("window.stillTheSameDocument = true")

    with page.expect_response(lambda response: response.url.endswith("/guide/")) as info:
        page.get_by_role("link", name="Read the guide").click()
    assert info.value.request.headers.get("hx-boosted") == "true"
    page.wait_for_url(f"{live_server.url}/guide/")
    page.get_by_role("heading", level=1, name="How to do the single leg hip thrust").wait_for()
    assert page.evaluate("window.stillTheSameDocument") is True
    assert page.title() == "How to do the single leg hip thrust · hipthrust"
    # head-support merges the new page's head, so the canonical link follows the page.
    assert page.locator("link[rel=canonical]").get_attribute("href").endswith("/guide/")
    # The focus is on the new page's content (not left on <body>), so the next Tab stays in it.
    page.wait_for_function("document.activeElement?.id === 'main'")
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")

    page.go_back()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("heading", level=1, name="Single leg hip thrust").wait_for()
    # The restored page's title comes with its head, after its body: waited for, not raced.
    expect(page).to_have_title(re.compile(r"^Single leg hip thrust"))
    assert console.errors == []


def test_links_work_without_javascript(live_server, open_page):
    page, _ = open_page(DESKTOP, java_script_enabled=False)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Find your level").click()
    page.wait_for_url(f"{live_server.url}/ladder/")
    page.get_by_role("link", name="Banded single leg hip thrust").click()
    page.wait_for_url(f"{live_server.url}/ladder/banded-single-leg-hip-thrust/")
    assert page.get_by_role("heading", level=1).inner_text() == "Banded single leg hip thrust"


def test_the_print_stylesheet_drops_the_site_chrome(live_server, open_page):
    page, _ = open_page(DESKTOP)
    page.goto(f"{live_server.url}/guide/")
    assert page.locator(".site-nav").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".toc").is_visible()
    assert page.get_by_role("heading", name="Troubleshooting").is_visible()


def test_the_figures_are_drawn_and_fit_a_phone_screen(live_server, open_page):
    page, console = open_page(PHONE)
    page.goto(f"{live_server.url}/guide/")
    boxes = page.locator("svg.fig-svg").evaluate_all(
        "svgs => svgs.map(svg => { const r = svg.getBoundingClientRect(); "
        "return [r.width, r.height, r.left, r.right]; })"
    )
    assert len(boxes) >= 8 + 7  # section and troubleshooting figures, ladder thumbnails
    for width, height, left, right in boxes:
        assert width > 80
        assert height > 30
        assert left >= 0
        assert right <= PHONE["width"]
    # Callout numbers on the drawing match a legend a person can read beside it, and the
    # three checks at the top numbered below it, one for one.
    top = page.locator("#top-position .fig")
    assert top.locator(".fig-callout").count() == top.locator(".fig__notes li").count() == 3
    checks = page.locator("#top-position .cue").evaluate_all(
        "cues => cues.map(cue => cue.dataset.number)"
    )
    assert checks == ["1", "2", "3"]
    assert console.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_bouncing_frames_are_readable_on_a_phone_and_a_laptop(
    live_server, open_page, screenshot_dir, viewport, scheme
):
    page, console = open_page(viewport, color_scheme=scheme)
    page.goto(f"{live_server.url}/form-errors/bouncing/")
    strip = page.locator(".fig--strip")
    frames = strip.locator("svg.fig-svg").evaluate_all(
        "svgs => svgs.map(svg => svg.getBoundingClientRect().width)"
    )
    captions = strip.locator(".fig__caption").evaluate_all(
        "ps => ps.map(p => parseFloat(getComputedStyle(p).fontSize))"
    )
    assert len(frames) == len(captions) == 8
    # Each frame wide enough to see the body and the bench (two a row came out ~130 px).
    assert min(frames) >= 240, frames
    assert min(captions) >= 16, captions
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    if screenshot_dir:
        strip.screenshot(path=screenshot_dir / f"bouncing-{viewport['width']}-{scheme}.png")
    assert console.errors == []
