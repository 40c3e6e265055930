"""Every signed-in page on a 360 px phone, in real Chromium: nothing wider than the screen
outside a deliberate scroll area, each such area says that it scrolls, charts open on their
newest data, and no menu cuts its choices short."""

from __future__ import annotations

import random

import pytest
from django.contrib.auth.models import Group

from coaches import services
from hipthrust.management.commands.seed_demo import build_history
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from training.models import TrainingSession

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}

# Everything that pokes out of the viewport, or is cut off by a box that does not scroll on
# purpose ([data-scroll-area] is the only deliberate sideways scroll), and every menu whose
# longest choice does not fit it while its form has room to spare (a select's text is clipped
# without any scrollWidth; one already as wide as its form cannot be given more).
OVERFLOWS = """() => {
  const width = document.documentElement.clientWidth;
  const classes = (e) => (typeof e.className === 'string' ? e.className.trim() : '');
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (classes(e) ? '.' + classes(e).split(/\\s+/).join('.') : '');
  const padding = (style) => parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  const canvas = document.createElement('canvas').getContext('2d');
  const found = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('.visually-hidden, .skip-link, [hidden]')) continue;
    const inArea = e.parentElement.closest('[data-scroll-area]');
    const style = getComputedStyle(e);
    const box = e.getBoundingClientRect();
    if (style.display === 'none' || style.visibility === 'hidden' || !box.width) continue;
    if (!inArea && (box.right > width + 0.5 || box.left < -0.5)) {
      found.push(`${name(e)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
    }
    // A text box scrolls its own long value, as every text box does.
    if (!e.matches('[data-scroll-area], input, textarea') && style.overflowX !== 'visible'
        && e.scrollWidth > e.clientWidth + 1) {
      found.push(`${name(e)} cuts off ${e.scrollWidth - e.clientWidth} px`);
    }
    if (e.matches('select')) {
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const longest = Math.max(...[...e.options].map((o) => canvas.measureText(o.text).width));
      const room = e.clientWidth - padding(style) - 20; // 20: the arrow
      const form = e.closest('form, main');
      const spare = form.clientWidth - padding(getComputedStyle(form)) - e.offsetWidth;
      if (longest > room && spare > 2) {
        found.push(`${name(e)} cuts its choices to ${Math.round(room)} px`);
      }
    }
  }
  return found;
}"""

AREAS = """() => [...document.querySelectorAll('[data-scroll-area]')]
  .filter((a) => a.offsetParent).map((a) => {
  const hint = a.nextElementSibling?.matches('.scroll-hint') ? a.nextElementSibling : null;
  const hintBox = hint?.getBoundingClientRect();
  return {
    label: a.getAttribute('aria-label'),
    end: a.dataset.scrollArea === 'end',
    overflows: a.scrollWidth > a.clientWidth + 1,
    atEnd: a.scrollLeft + a.clientWidth >= a.scrollWidth - 1,
    hint: Boolean(hint && !hint.hidden && hintBox.height > 0 && hint.textContent.trim()),
  };
})"""


@pytest.fixture
def phone_world(django_user_model):
    """A trainee with fourteen weeks of history (seed_demo's) and their coach, who has an
    invitation open."""
    trainee = django_user_model.objects.create_user("months", "m@example.com", PASSWORD)
    build_history(trainee, weeks=14, rng=random.Random(7))
    coach = django_user_model.objects.create_user(
        "coachy", "c@example.com", PASSWORD, is_staff=True
    )
    coach.groups.add(Group.objects.get(name="Coach"))
    services.accept_invitation(services.create_invitation(coach), trainee)
    services.create_invitation(coach)
    latest = TrainingSession.objects.filter(user=trainee).order_by("-date").first()
    # A link pasted into a set's note: one long word, which must wrap rather than widen.
    link = "https://www.instagram.com/reel/C9xYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789/?igsh=MWQ1"
    latest.sets.filter(pk=latest.sets.first().pk).update(note=f"see {link}")
    return {"trainee": trainee, "coach": coach, "session": latest}


def _trainee_pages(world) -> list[str]:
    session = world["session"]
    return [
        "/log/",
        f"/log/sessions/{session.pk}/",
        f"/log/sessions/{session.pk}/edit/",
        f"/log/sets/{session.sets.first().pk}/edit/",
        "/log/level/",
        "/log/history/",
        "/log/records/",
        "/log/progress/",
        "/log/import/",
        "/accounts/profile/",
        "/accounts/password_change/",
        "/timer/",
    ]


def _coach_pages(world) -> list[str]:
    athlete, session = world["trainee"].pk, world["session"].pk
    return [
        "/coach/",
        f"/coach/athletes/{athlete}/",
        f"/coach/athletes/{athlete}/sessions/{session}/",
        "/log/",
        "/accounts/profile/",
    ]


def _check(page, url: str) -> list[str]:
    page.goto(url)
    # Folded parts open too: what they hold must fit as well.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    problems = [f"{url}: {problem}" for problem in page.evaluate(OVERFLOWS)]
    for area in page.evaluate(AREAS):
        if area["overflows"] and not area["hint"]:
            problems.append(f"{url}: {area['label']} scrolls without a hint that it does")
        if area["overflows"] and area["end"] and not area["atEnd"]:
            problems.append(f"{url}: {area['label']} does not open on its newest data")
    return problems


@pytest.mark.parametrize("who", ["trainee", "coach"])
def test_no_signed_in_page_is_wider_than_a_phone_outside_its_scroll_areas(
    live_server, open_page, phone_world, who
):
    page, console = open_page(PHONE)
    user = phone_world[who]
    log_in(page, live_server.url, user.get_username(), "/log/" if who == "trainee" else "/coach/")
    pages = _trainee_pages(phone_world) if who == "trainee" else _coach_pages(phone_world)
    problems = []
    for path in pages:
        problems += _check(page, live_server.url + path)
    assert problems == [], "\n".join(problems)
    assert console.errors == []


def test_the_progress_charts_open_on_the_newest_month_and_say_they_scroll(
    live_server, open_page, phone_world
):
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "months")
    page.goto(f"{live_server.url}/log/progress/")
    charts = [area for area in page.evaluate(AREAS) if area["end"]]
    assert len(charts) == 3  # balance, load, work (no holds in this history)
    assert all(chart["overflows"] and chart["atEnd"] and chart["hint"] for chart in charts)
    assert page.locator(".scroll-hint").first.inner_text() == "← More to the left: swipe or scroll"
    # Scrolled back to the start, the hint points the other way.
    page.locator("[data-scroll-area]").first.evaluate("a => { a.scrollLeft = 0; }")
    hint = page.locator(".scroll-hint").first
    page.wait_for_function(
        "h => h.textContent.startsWith('More to the right')", arg=hint.element_handle()
    )
    assert console.errors == []


def test_the_coach_sees_who_needs_attention_without_scrolling_on_a_phone(
    live_server, open_page, phone_world
):
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "coachy", "/coach/")
    page.goto(f"{live_server.url}/coach/")
    queue = page.get_by_role("region", name="Review queue").bounding_box()
    header = page.get_by_role("columnheader", name="Needs attention").bounding_box()
    assert header["x"] + header["width"] <= queue["x"] + queue["width"]
    flag = page.get_by_role("link", name="Pain flagged in the last two weeks").bounding_box()
    assert flag["x"] + flag["width"] <= queue["x"] + queue["width"]
    assert console.errors == []


def _rgb(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text[text.index("(") + 1 : text.index(")")].split(",")[:3])


def _hex(text: str) -> tuple[int, ...]:
    return tuple(int(text[i : i + 2], 16) for i in (1, 3, 5))


def _contrast(one: tuple[int, ...], other: tuple[int, ...]) -> float:
    def luminance(rgb):
        linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(one), luminance(other)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_is_blue_not_the_red_of_errors_and_stands_out(
    live_server, open_page, scheme
):
    page, console = open_page(PHONE, color_scheme=scheme)
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand link
    ring = _rgb(page.evaluate("getComputedStyle(document.activeElement).outlineColor"))
    root = page.evaluate(
        """() => {
            const style = getComputedStyle(document.documentElement);
            return ['--error-text', '--warn'].map((name) => style.getPropertyValue(name).trim());
        }"""
    )
    background = _rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    red, green, blue = ring
    assert blue > red, ring
    assert blue > green, ring
    for colour in root:
        assert _hex(colour) != ring, colour
    assert _contrast(ring, background) >= 3
    assert console.errors == []


HEADER_TARGETS = """() => [...document.querySelectorAll('.site-header a, .site-header button')]
  .map((e) => [e.textContent.trim(), Math.floor(e.getBoundingClientRect().height)])"""


def test_every_link_and_button_in_the_header_is_a_target_a_thumb_can_tap(
    live_server, open_page, user
):
    """WCAG's 24 px at the least: the account's links were the height of their text, 22 px."""
    page, console = open_page(PHONE)
    page.goto(f"{live_server.url}/")
    signed_out = page.evaluate(HEADER_TARGETS)
    log_in(page, live_server.url, user.username)
    signed_in = page.evaluate(HEADER_TARGETS)
    assert {"Log in", "Sign up"} <= {name for name, _ in signed_out}
    assert {user.username, "Log out"} <= {name for name, _ in signed_in}
    assert [(name, h) for name, h in signed_out + signed_in if h < 24] == []
    assert console.errors == []
