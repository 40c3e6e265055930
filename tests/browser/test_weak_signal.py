"""A gym's weak signal, in real Chromium: a request that gets no answer. A set is kept on the
device as with no network at all, and saved once however its first post ended; any other
action says that nothing came back."""

from __future__ import annotations

import datetime

import pytest

from coaching.models import Variation
from tests.browser.conftest import PHONE, log_in, wait_for_htmx
from training.models import Set, TrainingSession

pytestmark = pytest.mark.browser

QUEUE_ENTRIES = """async () => {
    const store = await import('/static/js/offline-store.mjs');
    return (await store.exists()) ? store.entries() : [];
}"""
# htmx reports a request that failed as console errors, and Chromium a request the test
# aborts (the sync, held off): those, and nothing else.
FAILURES = (
    "error: htmx:afterRequest",
    "error: htmx:timeout",
    "error: Failed to load resource: net::ERR_FAILED",
)


def _on_todays_session(live_server, open_page, user, *, sets: int = 0):
    """A session of today's with `sets` left sets of 10 reps, open on a phone:
    (session, page, console)."""
    session = TrainingSession.objects.create(
        user=user,
        date=datetime.date.today(),
        variation=Variation.objects.get(slug="loaded-single-leg-hip-thrust"),
    )
    for position in range(1, sets + 1):
        Set.objects.create(session=session, position=position, side="left", reps=10)
    page, console = open_page(PHONE)
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    wait_for_htmx(page)
    return session, page, console


def _unexpected(errors: list[str]) -> list[str]:
    return [error for error in errors if not error.startswith(FAILURES)]


def test_a_set_whose_answer_is_lost_is_kept_shown_waiting_and_saved_once(
    live_server, open_page, user
):
    session, page, console = _on_todays_session(live_server, open_page, user)

    # The post reaches the server, which saves the set; its answer never comes back. The
    # sync is held off until the set is seen kept.
    held = []

    def answer_lost(route):
        route.fetch()
        held.append(route)

    page.route("**/log/sessions/*/sets/", answer_lost)
    page.route("**/log/sync/", lambda route: route.abort())
    form = page.locator("form[data-offline-queue='set']")
    form.get_by_label("Left", exact=True).check()
    form.get_by_label("Reps").fill("9")
    form.get_by_label("Load (kg)").fill("21")
    form.get_by_role("button", name="Add set").click()

    # While it waits the button says so, and a second tap cannot send it again.
    sending = form.get_by_role("button", name="Sending…")
    sending.wait_for()
    assert sending.is_disabled()

    # No answer within the budget: kept on the device as with no network, shown waiting.
    queued = page.locator("#sets-and-entry .set-row--queued")
    queued.wait_for(timeout=15_000)
    assert "Waiting to sync" in queued.inner_text()
    saved = Set.objects.get(session=session)  # by the post whose answer was lost
    [entry] = page.evaluate(QUEUE_ENTRIES)
    assert entry["id"] == str(saved.submission_id), "kept under the id it was posted with"

    # The sync sends it under that id: the set the first post saved, not another.
    page.unroute("**/log/sync/")
    page.evaluate("async () => (await import('/static/js/offline-log.mjs')).sync()")
    page.wait_for_function(
        "() => !document.querySelector('#sets-and-entry .set-row--queued')", timeout=15_000
    )
    rows = page.locator("#sets-and-entry .set-list > li")
    rows.first.wait_for()
    assert rows.count() == 1
    assert "9 reps · 21 kg" in rows.first.inner_text()
    assert list(session.sets.values_list("pk", "side", "reps")) == [(saved.pk, "left", 9)]
    assert page.evaluate(QUEUE_ENTRIES) == []
    assert form.get_by_role("button", name="Add set").is_enabled()
    assert _unexpected(console.errors) == []


def test_a_set_sent_into_silence_is_kept_and_sent_once_the_line_answers(
    live_server, open_page, user
):
    session, page, console = _on_todays_session(live_server, open_page, user)
    held = []
    page.route("**/log/sessions/*/sets/", lambda route: held.append(route))  # no answer, no save
    page.route("**/log/sync/", lambda route: route.abort())
    form = page.locator("form[data-offline-queue='set']")
    form.get_by_label("Reps").fill("7")
    form.get_by_role("button", name="Add set").click()

    queued = page.locator("#sets-and-entry .set-row--queued")
    queued.wait_for(timeout=15_000)
    assert "Waiting to sync" in queued.inner_text()
    assert "1 set logged offline, waiting to sync." in page.locator("#offline-status").inner_text()
    assert not session.sets.exists()
    [entry] = page.evaluate(QUEUE_ENTRIES)
    # The form is ready for the next set, under a new id.
    assert form.locator("[name=submission_id]").input_value() != entry["id"]

    page.unroute("**/log/sync/")
    page.evaluate("async () => (await import('/static/js/offline-log.mjs')).sync()")
    page.wait_for_function(
        "() => !document.querySelector('#sets-and-entry .set-row--queued')", timeout=15_000
    )
    assert [(s.reps, str(s.submission_id)) for s in session.sets.all()] == [(7, entry["id"])]
    assert _unexpected(console.errors) == []


def test_a_delete_that_gets_no_answer_says_so_beside_the_set(live_server, open_page, user):
    _, page, console = _on_todays_session(live_server, open_page, user, sets=1)
    # The budget's length is not what is tested here: a short one keeps the test short.
    page.evaluate("htmx.config.timeout = 500")
    held = []
    page.route("**/log/sets/*/delete/", lambda route: held.append(route))
    page.locator("#sets-and-entry").get_by_role("button", name="Delete").click()
    message = page.locator("#sets-and-entry .set-list > li #request-message")
    message.get_by_text("No answer from the server").wait_for()
    assert "Reload the page to check" in message.inner_text()
    assert message.is_visible()
    assert page.locator("#sets-and-entry .set-list > li").count() == 1
    assert _unexpected(console.errors) == []


def test_an_upload_takes_as_long_as_it_needs(live_server, open_page, user):
    """A file's upload on a slow line may take longer than the answer budget of a click."""
    page, console = open_page(PHONE)
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/log/import/")
    page.evaluate("htmx.config.timeout = 300")
    held = []
    page.route(
        "**/log/import/",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_label("File").set_input_files(
        files=[{"name": "log.csv", "mimeType": "text/csv", "buffer": b"date,side,reps\n"}]
    )
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_function("() => document.querySelector('form.htmx-request')")
    page.wait_for_timeout(1000)  # past the budget, still sending
    assert page.locator("#request-message").count() == 0
    assert page.locator("form.htmx-request").count() == 1
    held[0].continue_()
    wait_for_htmx(page)
    assert page.locator("form.htmx-request").count() == 0
    assert _unexpected(console.errors) == []
