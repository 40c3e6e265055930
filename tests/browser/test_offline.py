"""Offline in real Chromium: the app installs, the public pages and the timer open with
no network after one visit, signed-in pages are never kept, a deploy replaces the worker
and its caches, and a hidden timer keeps its place.

These contexts let the service worker run (the other browser tests block it).
"""

from __future__ import annotations

import datetime
import re
import time
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from coaching.caching import CONTENT
from coaching.models import FormError, Variation
from tests.browser.conftest import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    ConsoleWatch,
    chromium_path,
    log_in,
    take_screenshots,
    wait_for_htmx,
)
from tests.browser.test_timer import PLAN, START, _at, _shown, _start, _url, expected_timeline
from tests.browser.test_training_log import _axe_severe
from tests.conftest import PASSWORD
from training.models import Profile, Set, TrainingSession

pytestmark = pytest.mark.browser

CACHE_PREFIX = "hipthrust-offline-"

CACHED_URLS = """async () => {
    const urls = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
}"""


def _open(open_page, viewport=DESKTOP, **options):
    return open_page(viewport, service_workers="allow", **options)


def _wait_until(page: Page, reading: str, holds, seconds: float = 10.0) -> None:
    """Read `reading` (an async function's source) until `holds(value)`: wait_for_function
    does not wait for a promise, which is always truthy."""
    for _ in range(int(seconds * 10)):
        if holds(page.evaluate(reading)):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still {page.evaluate(reading)!r} after {seconds} s")


def _cache_names(page: Page) -> list[str]:
    return [name for name in page.evaluate("caches.keys()") if name.startswith(CACHE_PREFIX)]


def _installed(page: Page) -> str:
    """Wait until the worker controls the page with its caches filled; its cache name."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    ours = _cache_names(page)
    assert len(ours) == 1, ours
    return ours[0]


def _styled(page: Page) -> bool:
    """site.css is applied: the header is laid out as a flex row, not plain blocks."""
    return page.evaluate(
        """() => [...document.styleSheets].some((sheet) => sheet.href?.includes('/css/site')
                && sheet.cssRules.length > 50)
            && getComputedStyle(document.querySelector('.site-header__inner')).display === 'flex'"""
    )


def _todays_session(user) -> TrainingSession:
    """A session of today's on a loaded rung, with no sets yet."""
    return TrainingSession.objects.create(
        user=user,
        date=datetime.date.today(),
        variation=Variation.objects.get(slug="loaded-single-leg-hip-thrust"),
    )


def test_the_app_has_a_manifest_and_a_worker_and_chromium_finds_it_installable(
    live_server, playwright_instance, tmp_path
):
    # A profile on disk: Chromium never offers to install from an incognito one, which
    # is what every other context here is.
    context = playwright_instance.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        headless=True,
        viewport=DESKTOP,
    )
    try:
        page = context.new_page()
        console = ConsoleWatch(page)
        page.goto(f"{live_server.url}/guide/")
        _installed(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == f"{live_server.url}/manifest.webmanifest"
        assert manifest["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        scope = page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.scope)")
        assert scope == f"{live_server.url}/"
        assert console.errors == []
    finally:
        context.close()


def test_the_guide_a_rung_a_form_error_and_the_timer_open_offline_after_one_visit(
    live_server, open_page
):
    page, console = _open(open_page, PHONE)
    page.goto(f"{live_server.url}/")
    _installed(page)
    rung = Variation.objects.order_by("-level").first()
    error = FormError.objects.order_by("pk").first()
    page.context.set_offline(True)

    page.goto(f"{live_server.url}/guide/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("How to do the")
    assert _styled(page)
    assert page.locator("main figure svg").count() >= 4, "the guide's drawn figures"

    page.goto(f"{live_server.url}{rung.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == rung.name
    assert _styled(page)
    assert page.locator("main figure svg").count() >= 1

    page.goto(f"{live_server.url}{error.get_absolute_url()}")
    assert error.name in page.get_by_role("heading", level=1).inner_text()
    assert _styled(page)

    # A boosted link (htmx) to the ladder works offline too.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Ladder").click()
    page.wait_for_url(f"{live_server.url}/ladder/")
    assert page.locator("main .ladder__rung").count() == Variation.objects.count()

    page.goto(f"{live_server.url}/timer/?variation={rung.slug}")
    page.locator("[data-timer][data-ready]").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Tempo timer"
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('[data-timer]').dataset.kind === 'lead-in'", timeout=5_000
    )
    assert console.errors == []


def test_a_page_that_is_not_kept_shows_the_offline_page(live_server, open_page):
    page, console = _open(open_page)
    page.goto(f"{live_server.url}/guide/")
    _installed(page)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/guide/sheet.pdf?unvisited=1")
    assert page.get_by_role("heading", level=1).inner_text() == "This page needs a connection"
    assert _styled(page)
    page.get_by_role("link", name="Open the timer").click()
    page.wait_for_url(f"{live_server.url}/timer/")
    page.locator("[data-timer][data-ready]").wait_for()
    assert console.errors == []


def test_a_link_followed_offline_keeps_its_address_and_loads_once_back_online(
    live_server, open_page
):
    page, console = _open(open_page)
    page.goto(f"{live_server.url}/timer/")
    _installed(page)
    page.context.set_offline(True)
    page.get_by_role("link", name="Log in").first.click()  # boosted, not a kept page
    page.get_by_role("heading", name="This page needs a connection").wait_for()
    assert page.url == f"{live_server.url}/accounts/login/"
    page.context.set_offline(False)
    page.reload()
    page.get_by_role("button", name="Log in").wait_for()
    assert console.errors == []


def test_signed_in_pages_are_never_kept_and_show_the_offline_page_offline(
    live_server, open_page, user
):
    page, console = _open(open_page)
    log_in(page, live_server.url, user.username)
    cache = _installed(page)
    page.goto(f"{live_server.url}/log/history/")
    page.goto(f"{live_server.url}/guide/")
    assert page.locator(".account__name").inner_text() == user.username, "online: their own page"
    kept = page.evaluate(CACHED_URLS)
    assert "/guide/" in kept
    assert [url for url in kept if url.startswith(("/log/", "/coach/", "/accounts/"))] == []

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/log/")
    assert page.get_by_role("heading", level=1).inner_text() == "This page needs a connection"
    # The kept guide is the one a visitor without an account sees: no one's name in it.
    page.goto(f"{live_server.url}/guide/")
    assert page.locator(".account__name").count() == 0

    page.context.set_offline(False)
    page.goto(f"{live_server.url}/guide/")
    # Were anything personal ever in a cache, logging out would drop it.
    page.evaluate(
        "(name) => caches.open(name).then((c) => c.put('/log/', new Response('someone')))", cache
    )
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    _wait_until(page, CACHED_URLS, lambda urls: "/log/" not in urls)
    assert "/guide/" in page.evaluate(CACHED_URLS)
    assert console.errors == []


def test_the_start_page_opens_the_log_or_the_guide_and_the_guide_offline(
    live_server, open_page, user
):
    page, console = _open(open_page)
    page.goto(f"{live_server.url}/start/")
    page.wait_for_url(f"{live_server.url}/guide/")
    _installed(page)
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/start/")
    page.wait_for_url(f"{live_server.url}/log/")
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/start/")
    page.wait_for_url(f"{live_server.url}/guide/")
    assert _styled(page)
    assert console.errors == []


def test_a_new_version_replaces_the_worker_and_deletes_the_old_caches(live_server, open_page):
    page, console = _open(open_page)
    page.goto(f"{live_server.url}/guide/")
    old = _installed(page)
    old_script = page.evaluate("navigator.serviceWorker.controller.scriptURL")

    # What a coach's edit does (and a deploy does to the static half of the version).
    CONTENT.bump()
    page.reload()
    deadline = time.monotonic() + 30
    while (names := _cache_names(page)) in ([old], []) or len(names) > 1:
        assert time.monotonic() < deadline, f"no new worker took over: {names}"
        page.wait_for_timeout(200)
    page.wait_for_function(
        "() => navigator.serviceWorker.controller?.state === 'activated'", timeout=10_000
    )
    assert len(_cache_names(page)) == 1, "the old version's cache is deleted"
    new = _installed(page)
    assert new.split(".")[0] == old.split(".")[0], "the static files did not change"
    assert new != old
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == old_script
    # The new cache is complete: the guide opens offline from it.
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/ladder/")
    assert _styled(page)
    assert console.errors == []


HIDDEN_PAGE = """
    window.wakeLocks = 0;
    window.pageHidden = false;
    Object.defineProperty(Document.prototype, 'visibilityState', {
        get: () => (window.pageHidden ? 'hidden' : 'visible'),
    });
    Object.defineProperty(Document.prototype, 'hidden', { get: () => window.pageHidden });
    // The browser drops a screen wake lock whenever the page is hidden.
    const sentinels = [];
    Object.defineProperty(navigator, 'wakeLock', { value: { request: async () => {
        window.wakeLocks += 1;
        const sentinel = new EventTarget();
        sentinel.release = async () => sentinel.dispatchEvent(new Event('release'));
        sentinels.push(sentinel);
        return sentinel;
    } } });
    window.setPageHidden = (hidden) => {
        window.pageHidden = hidden;
        if (hidden) sentinels.splice(0).forEach((s) => s.dispatchEvent(new Event('release')));
        document.dispatchEvent(new Event('visibilitychange'));
    };
    window.toneStarts = [];
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function () {
        const node = create.call(this);
        const start = node.start.bind(node);
        node.start = (when) => {
            window.toneStarts.push({ ahead: when - this.currentTime, hidden: window.pageHidden });
            start(when);
        };
        return node;
    };
"""


def test_a_timer_hidden_for_a_minute_shows_the_right_phase_and_rep_on_return(
    live_server, open_page
):
    page, console = _open(open_page, PHONE)
    page.add_init_script(HIDDEN_PAGE)
    page.clock.install(time=START)
    page.goto(_url(live_server, **PLAN))
    page.clock.pause_at(START + datetime.timedelta(seconds=10))
    page.locator("[data-timer][data-ready]").wait_for()
    origin = _start(page)
    _at(page, origin, 3_500)
    assert page.evaluate("window.wakeLocks") == 1
    assert page.evaluate("navigator.mediaSession.metadata.title") == "Lift: left leg"
    assert page.evaluate("navigator.mediaSession.playbackState") == "playing"

    page.evaluate("setPageHidden(true)")
    # While hidden, tones are placed a minute ahead: timers may barely run.
    assert max(s["ahead"] for s in page.evaluate("toneStarts") if s["hidden"]) > 55
    # A minute with the screen locked: timers fire at most once, no frames draw.
    page.clock.fast_forward(60_000)
    page.evaluate("setPageHidden(false)")
    back = page.evaluate("performance.now()") - origin
    assert back >= 63_500
    row = max((row for row in expected_timeline() if row[0] <= back), key=lambda r: r[0])
    shown = _shown(page)
    _, phase, set_number, rep, leg = row
    assert (shown["phase"], shown["set"], shown["rep"], shown["leg"]) == (
        phase,
        f"{set_number} of 2",
        f"{rep} of 2",
        leg,
    )
    assert shown["state"] == "running"
    assert page.evaluate("window.wakeLocks") == 2, "the wake lock is asked for again on return"
    assert page.evaluate("navigator.mediaSession.metadata.title") == f"{phase}: {leg.lower()} leg"
    assert page.evaluate("navigator.mediaSession.metadata.artist") == (
        f"Set {set_number} of 2, rep {rep} of 2"
    )
    assert console.errors == []


# The offline queue (static/js/offline-log.mjs, offline-queue.mjs, training/sync_views.py).

QUEUE_ENTRIES = """async () => {
    const store = await import('/static/js/offline-store.mjs');
    return (await store.exists()) ? store.entries() : [];
}"""
OFFLINE_SETS = [
    # side, reps, load (kg), hold (s)
    ("left", "10", "20", ""),
    ("right", "10", "20", ""),
    ("left", "8", "22.5", ""),
    ("right", "8", "22.5", ""),
    ("left", "6", "20", "5"),
]


def _row_parts(row) -> list[str]:
    return [part.strip() for part in row.locator("> span").all_text_contents()[:3]]


def _add_offline_set(form, side: str, reps: str, load: str, hold: str) -> None:
    form.get_by_label("Left" if side == "left" else "Right", exact=True).check()
    form.get_by_label("Reps").fill(reps)
    form.get_by_label("Load").fill(load)
    form.get_by_label("Hold (s)").fill(hold)
    form.get_by_role("button", name="Add set").click()


def test_a_session_and_five_sets_logged_offline_are_saved_once_when_back_online(
    live_server, open_page, user, screenshot_dir
):
    page, console = _open(open_page, PHONE)
    log_in(page, live_server.url, user.username)
    _installed(page)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/offline/log/")
    page.get_by_label("Variation trained").select_option(
        label="Dumbbell or kettlebell single leg hip thrust"
    )
    page.get_by_role("button", name="Start logging sets").click()
    form = page.locator("form[data-offline-queue='set']")
    rows = page.locator("#offline-sets .set-row")
    for count, values in enumerate(OFFLINE_SETS, start=1):
        _add_offline_set(form, *values)
        rows.nth(count - 1).wait_for()
    assert rows.count() == 5, console.errors
    assert _row_parts(rows.nth(4)) == [
        "Left 3",
        "6 reps · 20 kg · hold 5 s · 3-0-1-1",  # the rung's tempo, as online
        "Waiting to sync",
    ]
    waiting = page.locator("#offline-status").inner_text()
    assert "5 sets and 1 session logged offline, waiting to sync." in waiting
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / "offline-waiting-360.png", full_page=True)
    queued = page.evaluate(QUEUE_ENTRIES)
    assert not TrainingSession.objects.exists()

    page.context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    status = page.locator("#offline-status")
    status.get_by_text("Saved 6 to your log.").wait_for(timeout=15_000)
    session = TrainingSession.objects.get(user=user)
    assert (session.variation.slug, session.date) == (
        "loaded-single-leg-hip-thrust",
        datetime.date.today(),
    )
    saved = list(session.sets.values_list("side", "reps", "load_kg", "hold_seconds"))
    assert saved == [(s, int(r), Decimal(kg), int(h or 0)) for s, r, kg, h in OFFLINE_SETS]
    assert page.evaluate(QUEUE_ENTRIES) == []
    # Where they went, and the session still offered to log into should the signal go again.
    link = status.get_by_role("link", name="Open the session in your log")
    assert link.get_attribute("href") == session.get_absolute_url()
    chooser = page.get_by_label("Log into")
    assert chooser.input_value() == f"pk:{session.pk}"
    today = datetime.date.today()
    shown = f"{today:%a} {today.day} {today:%b}: Dumbbell or kettlebell single leg hip thrust"
    assert shown in chooser.inner_text()  # the day as the log writes it, not 2026-12-07
    assert form.is_visible()
    assert page.locator("[data-no-session]").is_hidden()
    # The page is everyone's, but the header no longer offers to log in to one who is.
    account = page.locator(".account")
    account.get_by_role("link", name="Your training log").wait_for()
    assert account.get_by_role("link", name="Log in").count() == 0
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / "offline-saved-360.png", full_page=True)

    # The answers lost on the way: the device sends the whole queue again.
    page.evaluate(
        """async (entries) => {
            const store = await import('/static/js/offline-store.mjs');
            for (const entry of entries) await store.put(entry);
            await (await import('/static/js/offline-log.mjs')).sync();
        }""",
        queued,
    )
    assert page.evaluate(QUEUE_ENTRIES) == []
    assert TrainingSession.objects.filter(user=user).count() == 1
    assert session.sets.count() == 5
    assert console.errors == []


def _offline_on_todays_session(open_page, base: str, user, *, logged: bool, viewport=DESKTOP):
    """The trainee signed in, the worker installed, on today's session of the dumbbell rung
    (with a left set of 10 x 20 kg if `logged`), then the connection gone."""
    session = _todays_session(user)
    if logged:
        Set.objects.create(session=session, position=1, side="left", reps=10, load_kg=20)
    page, console = _open(open_page, viewport)
    log_in(page, base, user.username)
    _installed(page)
    page.goto(f"{base}{session.get_absolute_url()}")
    page.context.set_offline(True)
    return page, console, session


def test_a_refused_set_stays_with_its_data_and_logging_out_warns_then_leaves_nothing(
    live_server, open_page, user, screenshot_dir
):
    page, console, session = _offline_on_todays_session(
        open_page, live_server.url, user, logged=True
    )
    _add_offline_set(page.locator("form[data-offline-queue='set']"), "right", "9", "21", "")
    rows = page.locator("#sets-and-entry .set-list > li")
    rows.nth(1).wait_for()
    assert rows.count() == 2, "the waiting set in the same list as the saved one"
    # The saved set has no tempo, so the form offered the rung's, which the set keeps.
    assert _row_parts(rows.nth(1)) == [
        "Right 1",
        "9 reps · 21 kg · 3-0-1-1",
        "Waiting to sync",
    ]
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / "session-waiting-1280.png", full_page=True)

    # Deleted from another device in the meantime: the server refuses the set.
    session.delete()
    page.context.set_offline(False)
    page.evaluate("async () => (await import('/static/js/offline-log.mjs')).sync()")
    refused = page.locator(".set-row--refused")
    refused.wait_for()
    assert "9 reps · 21 kg" in refused.inner_text()
    assert "Its session is no longer in your log" in refused.inner_text()
    assert refused.get_by_role("button", name="Discard").is_visible()
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / "session-refused-1280.png", full_page=True)
    [entry] = page.evaluate(QUEUE_ENTRIES)
    assert entry["state"] == "refused"

    warnings = []
    page.once("dialog", lambda dialog: (warnings.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Log out").click()
    page.wait_for_timeout(300)
    assert "1 entry logged offline is not saved" in warnings[0]
    assert page.locator(".account__name").count() == 1, "dismissed: still logged in"
    assert len(page.evaluate(QUEUE_ENTRIES)) == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    databases = page.evaluate("async () => (await indexedDB.databases()).map((db) => db.name)")
    assert databases == []
    kept = page.evaluate(CACHED_URLS)
    assert "/offline/log/" in kept
    assert [url for url in kept if url.startswith(("/log/", "/coach/", "/accounts/"))] == []
    # The refusal's answer (404 for the deleted session) is the one failed response.
    assert console.errors == [
        f"http 404: {live_server.url}/log/sync/",
        "error: Failed to load resource: the server responded with a status of 404 (Not Found)",
    ]


def test_closing_the_account_warns_of_unsent_sets_and_deletes_them_only_once_closed(
    live_server, open_page, user, screenshot_dir
):
    page, console, session = _offline_on_todays_session(
        open_page, live_server.url, user, logged=True, viewport=PHONE
    )
    _add_offline_set(page.locator("form[data-offline-queue='set']"), "right", "9", "21", "")
    page.locator("#sets-and-entry .set-list > li").nth(1).wait_for()
    session.delete()  # refused when sent: it stays on the device, not in the log
    page.context.set_offline(False)
    page.evaluate("async () => (await import('/static/js/offline-log.mjs')).sync()")
    page.locator(".set-row--refused").wait_for()

    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_role("link", name="Close your account").click()
    page.wait_for_url(f"{live_server.url}/accounts/close/")
    assert _axe_severe(page) == []
    take_screenshots(page, screenshot_dir, "close-account-360")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Close my account and delete everything").click()
    page.get_by_text("That is not your password. Nothing was closed or deleted.").wait_for()
    assert "1 entry logged offline is not saved" in asked[0]
    assert "Closing your account deletes it from this device too" in asked[0]
    assert len(page.evaluate(QUEUE_ENTRIES)) == 1, "a mistyped password deletes nothing"

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Close my account and delete everything").click()
    page.wait_for_url(f"{live_server.url}/accounts/closed/")
    page.get_by_role("heading", name="Account closed").wait_for()
    _wait_until(page, QUEUE_ENTRIES, lambda entries: not entries)
    assert page.locator(".account__name").count() == 0, "signed out"
    assert _axe_severe(page) == []
    take_screenshots(page, screenshot_dir, "account-closed-360")
    user.refresh_from_db()
    assert not user.is_active
    assert [
        error for error in console.errors if "/log/sync/" not in error and "404" not in error
    ] == []


def test_an_edit_opened_offline_says_it_needs_the_network_and_puts_no_page_in_the_list(
    live_server, open_page, user
):
    page, console, session = _offline_on_todays_session(
        open_page, live_server.url, user, logged=True, viewport=PHONE
    )
    page.locator("#sets-and-entry").get_by_role("link", name="Edit").first.click()
    message = page.locator("#request-message")
    message.get_by_text("No connection: that needs the network.").wait_for()
    # Beside the set whose Edit was clicked, in view, not at the top of the page.
    assert page.locator("#sets-and-entry .set-list > li > #request-message").count() == 1
    assert message.is_visible()
    box = message.bounding_box()
    assert 0 <= box["y"] < PHONE["height"]
    assert page.locator(".site-header").count() == 1, "no offline page inside the list"
    assert page.locator("#sets-and-entry .set-list > li").count() == 1
    assert page.url == f"{live_server.url}{session.get_absolute_url()}"
    # htmx reports the failed request, and Chromium the missing connection: nothing else.
    assert [error for error in console.errors if "INTERNET_DISCONNECTED" not in error] == [
        "error: htmx:afterRequest, [object HTMLLIElement]",
        "error: htmx:sendError, [object HTMLLIElement]",
    ]


def test_logging_out_on_a_shared_device_leaves_another_accounts_waiting_sets(
    live_server, open_page, user, other_user
):
    page, console, session = _offline_on_todays_session(
        open_page, live_server.url, user, logged=False
    )
    _add_offline_set(page.locator("form[data-offline-queue='set']"), "left", "9", "", "")
    page.locator("#sets-and-entry .set-list > li").first.wait_for()
    # Their session ends on this device before the set is sent; another person logs in.
    page.context.clear_cookies()
    page.context.set_offline(False)
    log_in(page, live_server.url, other_user.username)

    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    assert asked == [], "none of the waiting entries is theirs"
    [entry] = page.evaluate(QUEUE_ENTRIES)
    assert str(entry["user"]) == str(user.pk)

    log_in(page, live_server.url, user.username)
    # The log page sends the queue by itself once it sees its owner: wait until it has.
    _wait_until(page, QUEUE_ENTRIES, lambda entries: not entries)
    assert list(session.sets.values_list("side", "reps")) == [("left", 9)]
    assert not Set.objects.filter(session__user=other_user).exists()
    assert page.evaluate(QUEUE_ENTRIES) == []
    assert console.errors == []


def test_the_log_page_shows_the_sets_sent_from_the_queue_without_a_reload(
    live_server, open_page, user, screenshot_dir
):
    session = _todays_session(user)
    page, console = _open(open_page, PHONE)
    log_in(page, live_server.url, user.username)
    _installed(page)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")

    page.context.set_offline(True)
    form = page.locator("form[data-offline-queue='set']")
    form.get_by_label("Left", exact=True).check()
    form.get_by_label("Reps").fill("9")
    form.get_by_label("Load (kg)").fill("21")
    form.get_by_role("button", name="Add set").click()
    rows = page.locator("#sets-and-entry .set-list > li")
    rows.first.wait_for()
    # Kept on the device, the form is ready for the other side, as after a saved set.
    assert form.get_by_label("Right", exact=True).is_checked()
    assert form.get_by_label("Reps").input_value() == "9"
    form.get_by_role("button", name="Add set").click()
    rows.nth(1).wait_for()

    # Back on a weak signal: the log page loads, the queue does not go through yet.
    page.context.route("**/log/sync/", lambda route: route.abort())
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/log/")
    started = page.get_by_role("region", name="Today's session")
    assert "no sets logged yet" in started.inner_text()
    assert "2 sets logged offline, waiting to sync." in page.locator("#offline-status").inner_text()

    page.context.unroute("**/log/sync/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => !document.getElementById('offline-status')", timeout=15_000)
    assert session.sets.count() == 2
    recent = page.get_by_role("region", name="Recent sessions")
    recent.get_by_role("link", name=re.compile(session.variation.name)).wait_for(timeout=10_000)
    assert page.get_by_text("no sets logged yet").count() == 0
    assert "No sessions with sets yet" not in recent.inner_text()
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / "log-after-sync-360.png", full_page=True)
    assert [e for e in console.errors if "/log/sync/" not in e and "ERR_FAILED" not in e] == []


def test_the_offline_set_form_is_the_online_one_and_its_tempo_effort_and_errors_are_saved(
    live_server, open_page, user, screenshot_dir
):
    variation = Variation.objects.get(slug="loaded-single-leg-hip-thrust")
    error = FormError.objects.order_by("pk").first()
    page, console = _open(open_page, PHONE)
    log_in(page, live_server.url, user.username)
    _installed(page)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/offline/log/")
    page.get_by_label("Variation trained").select_option(label=variation.name)
    page.get_by_role("button", name="Start logging sets").click()
    form = page.locator("form[data-offline-queue='set']")
    form.wait_for()
    # Where moving up counts sets: the rung's own tempo, as on the session page.
    assert form.get_by_label("Tempo").input_value() == variation.tempo.tempo.notation
    assert form.get_by_label("Left", exact=True).is_checked()
    assert not form.get_by_label("Both legs").is_visible(), "one leg at a time"
    form.get_by_label("Reps").fill("10")
    form.get_by_label("Load (kg)").fill("20")
    form.get_by_label("Effort").select_option(label="RPE 8")
    form.get_by_text("Form errors, pain, note").click()
    form.get_by_label(error.name).check()
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / "offline-set-form-360.png", full_page=True)
        page.emulate_media(color_scheme="dark")
        page.screenshot(path=screenshot_dir / "offline-set-form-360-dark.png", full_page=True)
        page.emulate_media(color_scheme="light")
    form.get_by_role("button", name="Add set").click()
    rows = page.locator("#offline-sets .set-row")
    rows.first.wait_for()
    assert _row_parts(rows.first) == [
        "Left 1",
        "10 reps · 20 kg · 3-0-1-1 · RPE 8",
        "Waiting to sync",
    ]

    # Ready for the other side with the same numbers, as the session page comes back; the
    # effort, like the errors, is each set's own. (The form is set again after the row is
    # drawn: waited for, not read at once.)
    expect(form.get_by_label("Right", exact=True)).to_be_checked()
    assert form.get_by_label("Reps").input_value() == "10"
    assert form.get_by_label("Effort").input_value() == ""
    assert not form.get_by_label(error.name).is_checked()
    form.get_by_label("Tempo").fill("4-0-1-1")
    form.get_by_label("Effort").select_option("rpe:8.5")
    form.get_by_role("button", name="Add set").click()
    rows.nth(1).wait_for()
    expect(form.get_by_label("Left", exact=True)).to_be_checked()

    page.context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    page.locator("#offline-status").get_by_text("Saved 3 to your log.").wait_for(timeout=15_000)
    session = TrainingSession.objects.get(user=user)
    sets = list(session.sets.order_by("position"))
    assert [(s.side, s.reps, s.load_kg, s.tempo, s.rpe) for s in sets] == [
        ("left", 10, Decimal(20), "3-0-1-1", Decimal(8)),
        ("right", 10, Decimal(20), "4-0-1-1", Decimal("8.5")),
    ]
    assert [list(s.form_errors.all()) for s in sets] == [[error], []]
    assert console.errors == []


def test_a_set_refused_for_a_unit_changed_since_is_fixed_converted_and_saved_in_one_go(
    live_server, open_page, user, screenshot_dir
):
    session = _todays_session(user)
    page, console = _open(open_page, PHONE)
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    wait_for_htmx(page)
    page.context.set_offline(True)
    form = page.locator("form[data-offline-queue='set']")
    _add_offline_set(form, "left", "10", "30", "")
    page.locator("#sets-and-entry .set-row--queued").wait_for()

    # Switched to pounds on another device; back online, the set is refused for it.
    Profile.objects.update_or_create(user=user, defaults={"unit": "lb"})
    page.context.set_offline(False)
    page.evaluate("async () => (await import('/static/js/offline-log.mjs')).sync()")
    refused = page.locator(".set-row--refused")
    refused.wait_for()
    assert "in lb now" in refused.inner_text()

    # Fix fills the form in pounds, converted, and says so.
    refused.get_by_role("button", name="Fix").click()
    expect(form.get_by_label("Load (lb)")).to_have_value("66.14")
    expect(form.locator("[name=unit]")).to_have_value("lb")
    expect(form).to_contain_text("Logged as 30 kg, which is 66.14 lb")
    take_screenshots(page, screenshot_dir, "session-fix-converted-360")

    # One tap saves it, as 30 kg exactly, and the kept entry leaves.
    form.get_by_role("button", name="Add set").click()
    rows = page.locator("#sets-and-entry .set-list > li")
    page.wait_for_function("() => !document.querySelector('.set-row--refused')", timeout=10_000)
    wait_for_htmx(page)
    [row] = [" ".join(row.inner_text().split()) for row in rows.all()]
    assert row.startswith("LEFT 1 10 reps · 66.14 lb")
    assert list(session.sets.values_list("load_kg", flat=True)) == [Decimal(30)]
    assert page.evaluate(QUEUE_ENTRIES) == []
    page.reload()
    expect(page.locator(".set-row--refused, .set-row--queued")).to_have_count(0)
    assert [e for e in console.errors if "/log/sync/" not in e and "409" not in e] == []


ACCOUNT = """async () => (await import('/static/js/offline-store.mjs')).account()"""


def test_the_offline_log_page_suggests_the_side_after_the_saved_sets_and_the_kept_ones(
    live_server, open_page, user
):
    session = _todays_session(user)
    for position, side in enumerate(("left", "left", "right"), start=1):
        Set.objects.create(session=session, position=position, side=side, reps=10)
    page, console = _open(open_page, PHONE)
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    _wait_until(page, ACCOUNT, lambda account: (account or {}).get("session"))

    page.goto(f"{live_server.url}/offline/log/")
    page.context.set_offline(True)
    form = page.locator("form[data-offline-queue='set']")
    form.wait_for()
    # The side is set again just after a kept set's row is drawn: waited for, not read at once.
    chosen = expect(page.locator("#offline-log [name=side]:checked"))
    # Two left and one right saved: the right is behind.
    chosen.to_have_value("right")
    form.get_by_label("Reps").fill("10")
    form.get_by_role("button", name="Add set").click()
    page.locator("#offline-sets .set-row").first.wait_for()
    chosen.to_have_value("left")
    form.get_by_role("button", name="Add set").click()
    page.locator("#offline-sets .set-row").nth(1).wait_for()
    chosen.to_have_value("right")  # three left, two right
    form.get_by_role("button", name="Add set").click()
    page.locator("#offline-sets .set-row").nth(2).wait_for()
    chosen.to_have_value("left")

    # Sent, they count among the saved ones: the page opened again goes on from them.
    page.context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    page.locator("#offline-status").get_by_text("Saved 3 to your log.").wait_for(timeout=15_000)
    sides = ["left", "left", "right", "right", "left", "right"]
    assert list(session.sets.values_list("side", flat=True)) == sides
    page.reload()
    form.wait_for()
    chosen.to_have_value("left")
    assert console.errors == []


def test_a_set_kept_on_the_device_is_said_to_a_screen_reader(live_server, open_page, user):
    session = _todays_session(user)
    page, console = _open(open_page, PHONE)
    log_in(page, live_server.url, user.username)
    _installed(page)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    wait_for_htmx(page)
    announcer = page.locator("#set-announcer")
    assert announcer.get_attribute("role") == "status"
    page.context.set_offline(True)
    _add_offline_set(page.locator("form[data-offline-queue='set']"), "left", "12", "20", "")
    page.locator("#sets-and-entry .set-row--queued").wait_for()
    assert announcer.inner_text() == (
        "Kept on this device: Left, 12 reps · 20 kg · 3-0-1-1. It will be sent when you are online."
    )

    # The offline page has the region too, there before anything is said in it.
    page.goto(f"{live_server.url}/offline/log/")  # kept by the worker
    assert page.locator("#set-announcer").get_attribute("role") == "status"
    form = page.locator("form[data-offline-queue='set']")
    _add_offline_set(form, "right", "11", "20", "")
    page.locator("#offline-sets .set-row").nth(1).wait_for()
    assert page.locator("#set-announcer").inner_text().startswith("Kept on this device: Right, 11")
    assert console.errors == []


def test_waiting_sets_are_numbered_and_a_session_started_offline_names_its_rung(
    live_server, open_page, user, screenshot_dir
):
    session = _todays_session(user)
    Set.objects.create(session=session, position=1, side="left", reps=10, load_kg=20)
    page, console = _open(open_page, PHONE)
    log_in(page, live_server.url, user.username)
    _installed(page)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    wait_for_htmx(page)
    page.context.set_offline(True)
    form = page.locator("form[data-offline-queue='set']")
    _add_offline_set(form, "right", "10", "20", "")
    _add_offline_set(form, "left", "9", "20", "")
    rows = page.locator("#sets-and-entry .set-list > li")
    rows.nth(2).wait_for()
    # As the list numbers a saved set ("Left 1"): after the saved ones on their side.
    assert [_row_parts(row)[0] for row in rows.all()] == ["Left 1", "Right 1", "Left 2"]
    take_screenshots(page, screenshot_dir, "session-waiting-numbered-360")

    page.goto(f"{live_server.url}/offline/log/")  # kept by the worker
    waiting = page.locator("#offline-sets .set-row")
    waiting.nth(1).wait_for()  # the page's script draws them from the device's queue
    assert [_row_parts(row)[0] for row in waiting.all()] == ["Right 1", "Left 2"]
    page.get_by_label("Variation trained").select_option(label="Banded single leg hip thrust")
    page.get_by_role("button", name="Start logging sets").click()
    started = page.locator("#offline-others .set-row", has_text="Session")
    started.wait_for()
    today = datetime.date.today()
    assert _row_parts(started)[1] == (
        f"Banded single leg hip thrust, {today:%a} {today.day} {today:%b}"
    )
    # The day first: a long rung's name is what a phone's narrow menu cuts, not the day.
    day = f"{today:%a} {today.day} {today:%b}"
    assert page.locator("#offline-session option").all_inner_texts() == [
        f"{day}: {session.variation.name}",
        f"{day}, started offline: Banded single leg hip thrust",
    ]
    take_screenshots(page, screenshot_dir, "offline-log-started-360")
    assert console.errors == []


def test_a_signed_in_trainee_keeps_the_timers_sets_offline_with_nothing_waiting_to_sync(
    live_server, open_page, user, screenshot_dir
):
    page, console = _open(open_page, PHONE)
    log_in(page, live_server.url, user.username)  # lands on the log: the device knows them
    _installed(page)
    page.context.set_offline(True)
    assert page.evaluate(QUEUE_ENTRIES) == [], "nothing waiting to sync"
    page.clock.install(time=START)
    page.goto(f"{live_server.url}/timer/?variation=single-leg-hip-thrust")  # kept by the worker
    page.clock.pause_at(START + datetime.timedelta(seconds=10))
    page.locator("[data-timer][data-ready]").wait_for()
    total = page.evaluate(
        "JSON.parse(document.getElementById('timer-plan').textContent).totalSeconds"
    )
    _at(page, _start(page), total * 1000 + 1000)
    keep = page.locator(".timer-keep")
    button = keep.get_by_role("button", name="Log these sets when back online")
    button.wait_for()
    # The account is known: no offer to sign up or log in beside the button.
    assert keep.get_by_role("link", name="Sign up and keep these sets").is_hidden()
    assert keep.get_by_role("link", name="Log in").is_hidden()
    assert keep.get_by_text("Sign up to keep these sets").is_hidden()
    take_screenshots(page, screenshot_dir, "timer-offline-keep-360")
    if screenshot_dir:
        page.set_viewport_size(DESKTOP)
        take_screenshots(page, screenshot_dir, "timer-offline-keep-1280")
        page.set_viewport_size(PHONE)
    button.click()
    page.get_by_text("Kept on this device: waiting to sync to your log.").wait_for()
    assert [entry["kind"] for entry in page.evaluate(QUEUE_ENTRIES)] == ["timer"]
    assert keep.get_by_role("button").count() == 0, "kept once, not offered again"

    page.context.set_offline(False)
    page.evaluate("async () => (await import('/static/js/offline-log.mjs')).sync()")
    assert page.evaluate(QUEUE_ENTRIES) == []
    session = TrainingSession.objects.get(user=user)
    assert session.variation.slug == "single-leg-hip-thrust"
    assert session.sets.count() > 0
    assert console.errors == []


def test_a_plan_changed_offline_says_it_needs_the_network_and_keeps_what_was_typed(
    live_server, open_page, screenshot_dir
):
    timer = f"{live_server.url}/timer/?variation=single-leg-hip-thrust"
    page, console = _open(open_page, PHONE)
    page.goto(timer)
    _installed(page)
    page.context.set_offline(True)
    page.goto(timer)  # kept by the worker
    page.locator("[data-timer][data-ready]").wait_for()
    form = page.locator(".plan-form")
    form.get_by_label("Reps per side").fill("6")
    form.get_by_role("button", name="Update the timer").click()
    message = page.locator("#request-message")
    message.get_by_text("No connection: changing the plan needs the network.").wait_for()
    assert message.is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Tempo timer", "no offline page"
    assert page.url == timer
    assert form.get_by_label("Reps per side").input_value() == "6"
    take_screenshots(page, screenshot_dir, "timer-plan-offline-360")
    if screenshot_dir:
        page.set_viewport_size(DESKTOP)
        take_screenshots(page, screenshot_dir, "timer-plan-offline-1280")

    # Once online, the same press draws the plan typed.
    page.context.set_offline(False)
    form.get_by_role("button", name="Update the timer").click()
    page.wait_for_url(re.compile(r"reps=6"))
    page.locator("[data-timer][data-ready]").wait_for()
    assert "of 6 reps" in page.locator(".timer-page__header .lead").inner_text()
    assert page.locator("#request-message").count() == 0
    assert console.errors == []


def test_a_rungs_photo_opens_offline_after_one_visit_to_another_page(
    live_server, open_page, media_root
):
    from tests.coaching.test_admin_content import _illustration

    rung = Variation.objects.get(slug="single-leg-hip-thrust")
    _illustration(
        rung.exercise,
        placement="variation",
        variation=rung.pk,
        alt_text="The hips level at the top, the knee over the ankle",
    )
    for viewport in (PHONE, DESKTOP):
        page, console = _open(open_page, viewport)
        # The home page shows no photo: the rung's can only come from the worker's cache.
        page.goto(f"{live_server.url}/")
        _installed(page)
        page.context.set_offline(True)

        page.goto(f"{live_server.url}{rung.get_absolute_url()}")
        assert page.get_by_role("heading", level=1).inner_text() == rung.name
        photo = page.get_by_alt_text("The hips level at the top, the knee over the ankle")
        photo.scroll_into_view_if_needed()
        photo.evaluate("img => img.decode()")
        assert photo.evaluate("img => img.complete && img.naturalWidth") > 0
        assert console.errors == []
