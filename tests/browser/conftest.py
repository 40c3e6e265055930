"""Real headless Chromium, driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}

# A flow that a page's looks do not change is walked once on a phone in the dark and once
# on a laptop in the light: each width and each scheme is seen (and checked by axe) without
# walking it four times. Pages whose own drawing is the point keep all four.
each_size_and_scheme = pytest.mark.parametrize(
    ("viewport", "scheme"),
    [(PHONE, "dark"), (DESKTOP, "light")],
    ids=["phone-dark", "desktop-light"],
)


def chromium_path() -> str | None:
    """$CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own browser (None)."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        if not Path(configured).exists():
            raise FileNotFoundError(f"CHROMIUM_PATH={configured} does not exist")
        return configured
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(autouse=True)
def _browser_tests_see_the_guide(guide_content: None) -> None:
    """Every browser test runs against the live server with the guide loaded."""


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    # A missing browser fails here, loudly: browser tests are never skipped.
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


PLAYWRIGHT_BLOCKED_WORKER = "Service Worker registration blocked by Playwright"


class ConsoleWatch:
    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        # Name the resource when something fails to load: the console only says "404".
        page.on(
            "response",
            lambda response: (
                self.errors.append(f"http {response.status}: {response.url}")
                if response.status >= 400
                else None
            ),
        )

    def _on_console(self, message: ConsoleMessage) -> None:
        # CSP violations are reported as console errors, so they fail tests too: htmx copying
        # a style attribute onto a redrawn form was seen only with HIPTHRUST_SCREENSHOTS set,
        # as Playwright's screenshot leaves one on each input (so do extensions). The one
        # message left out is Playwright's own, for the worker it blocks (open_page).
        if message.text == PLAYWRIGHT_BLOCKED_WORKER:
            return
        if message.type in {"error", "warning"}:
            self.errors.append(f"{message.type}: {message.text}")


@pytest.fixture
def open_page(browser: Browser) -> Iterator:
    contexts = []

    def _open(viewport: dict[str, int] = DESKTOP, **context_options) -> tuple[Page, ConsoleWatch]:
        # Every page registers the service worker, whose install fetches some thirty
        # pages: only tests of it (test_offline.py) let it run, with service_workers="allow".
        context_options.setdefault("service_workers", "block")
        context = browser.new_context(viewport=viewport, **context_options)
        contexts.append(context)
        page = context.new_page()
        return page, ConsoleWatch(page)

    yield _open
    for context in contexts:
        context.close()


def log_in(page: Page, base: str, username: str, lands_on: str = "/log/") -> None:
    """Sign in through the login form, as a person does; a trainee lands on the log, a
    coach on the review queue (lands_on="/coach/")."""
    from tests.conftest import PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}{lands_on}")


def coach_with_athlete(django_user_model):
    """The coach "coachy" linked to the trainee "athlete", who has today's session."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from coaches import services
    from coaching.models import Variation
    from tests.conftest import PASSWORD
    from training.models import TrainingSession

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
    return coach, athlete, session


HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"


def wait_for_htmx(page) -> None:
    """Until htmx has no request out and has swapped and settled what came back: acting on
    the page before that types into, or clicks, a form about to be replaced (a person is
    never that fast). Playwright's response event comes before htmx's swap."""
    page.wait_for_function(f"() => !document.querySelector({HTMX_BUSY!r})")


def take_screenshots(page, folder: Path | None, name: str) -> None:
    """Full-page shots of the page as it is, light and dark, into `folder` (screenshot_dir)
    when one is set; the page is left light."""
    if folder:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(path=str(folder / f"{name}-{scheme}.png"), full_page=True)
        page.emulate_media(color_scheme="light")


@pytest.fixture
def screenshot_dir() -> Path | None:
    """Set HIPTHRUST_SCREENSHOTS=dir to keep the screenshots the tests take, to look at."""
    target = os.environ.get("HIPTHRUST_SCREENSHOTS")
    if not target:
        return None
    path = Path(target)
    path.mkdir(parents=True, exist_ok=True)
    return path
