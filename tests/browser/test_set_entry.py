"""At the bench: what is typed into the prefilled reps box replaces the number, and a set
far outside the recent range is asked about before it is saved, in real Chromium."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from coaching.models import Variation
from tests.browser.conftest import PHONE, log_in, take_screenshots, wait_for_htmx
from tests.browser.test_training_log import _axe_severe
from tests.conftest import PASSWORD
from training.models import Set, TrainingSession

pytestmark = pytest.mark.browser


def _session_with_left_sets(django_user_model, username: str, reps: list[int]) -> TrainingSession:
    user = django_user_model.objects.create_user(username, f"{username}@example.com", PASSWORD)
    session = TrainingSession.objects.create(
        user=user,
        date=datetime.date(2026, 11, 20),
        variation=Variation.objects.get(slug="single-leg-hip-thrust"),
    )
    for position, count in enumerate(reps, start=1):
        Set.objects.create(
            session=session, position=position, side="left", reps=count, load_kg=Decimal(20)
        )
    return session


def _focused_reps(page) -> str:
    """The reps box's value once htmx has settled the swap that brought it and it has the
    focus (a person types after the page stops moving; the test once typed before)."""
    wait_for_htmx(page)
    page.wait_for_function("() => document.activeElement?.name === 'reps'")
    return page.evaluate("document.activeElement.value")


def test_typing_into_the_prefilled_reps_replaces_the_number(
    live_server, open_page, django_user_model
):
    session = _session_with_left_sets(django_user_model, "bench", [8])
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "bench")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")

    # Focused on reps, prefilled with the last set's 8.
    assert _focused_reps(page) == "8"
    page.keyboard.type("9")
    page.keyboard.press("Enter")
    page.locator(".set-row").nth(1).wait_for()

    # htmx swapped the form in and focused the box again, now holding 9.
    assert _focused_reps(page) == "9"
    page.keyboard.type("10")
    page.keyboard.press("Enter")
    page.locator(".set-row").nth(2).wait_for()

    assert list(session.sets.order_by("position").values_list("reps", flat=True)) == [8, 9, 10]
    assert console.errors == []


def test_a_far_set_is_asked_about_and_saved_once_confirmed(
    live_server, open_page, django_user_model
):
    session = _session_with_left_sets(django_user_model, "slip", [10, 9, 8])
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "slip")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    _focused_reps(page)
    page.get_by_label("Left").check()
    page.get_by_label("Reps").fill("98")
    page.get_by_role("button", name="Add set").click()

    page.get_by_text("Did you mean 9?").wait_for()
    assert session.sets.count() == 3
    page.get_by_label("Yes, save 98 reps").check()
    page.get_by_role("button", name="Add set").click()
    page.locator(".set-row").nth(3).wait_for()
    assert session.sets.order_by("position").last().reps == 98
    assert console.errors == []


def test_a_set_logged_with_pain_brings_the_entry_back_saying_to_stop(
    live_server, open_page, django_user_model, screenshot_dir
):
    session = _session_with_left_sets(django_user_model, "sore", [10])
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "sore")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    _focused_reps(page)
    page.get_by_text("Form errors, pain, note").click()
    page.get_by_label("Pain during this set").check()
    page.get_by_label("Effort").select_option("rpe:10")
    page.get_by_role("button", name="Add set").click()
    stop = page.locator(".pain-stop")
    stop.wait_for()
    said = " ".join(stop.inner_text().split())
    assert "Pain was logged on set 1 on the right in this session. Stop any set that hurts" in said
    assert page.get_by_label("Effort").input_value() == ""
    assert not page.get_by_label("Pain during this set").is_checked()
    assert _axe_severe(page) == []
    take_screenshots(page, screenshot_dir, "session-after-pain-360")
    assert console.errors == []


def test_a_folded_section_shows_a_marker_that_turns_when_it_opens(
    live_server, open_page, django_user_model
):
    session = _session_with_left_sets(django_user_model, "folds", [8])
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "folds")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    summary = page.locator(".set-form__more > summary")
    marker = """s => {
        const style = getComputedStyle(s, '::before');
        return [style.content, style.width, style.transform];
    }"""
    content, width, closed = summary.evaluate(marker)
    assert content != "none"
    assert width != "0px"
    summary.click()
    assert page.locator(".set-form__more").evaluate("d => d.open")
    page.wait_for_timeout(300)  # the turn's transition
    assert summary.evaluate(marker)[2] != closed
    assert console.errors == []


def test_htmx_updates_on_the_session_page_break_no_content_security_policy_rule(
    live_server, open_page, django_user_model
):
    """Counted from the violation events themselves, beside the console the other tests
    watch: htmx must inject no indicator <style> and evaluate nothing."""
    session = _session_with_left_sets(django_user_model, "strict", [8])
    page, console = open_page(PHONE)
    page.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    log_in(page, live_server.url, "strict")
    page.get_by_role("link", name="History").click()  # a boosted page change
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.get_by_role("button", name="Add set").click()  # a swap of the list and entry
    page.locator(".set-row").nth(1).wait_for()
    page.get_by_role("link", name="Edit set 1 on the left").click()  # a swap of one row
    page.get_by_role("button", name="Save set").click()
    page.get_by_role("button", name="Save set").wait_for(state="detached")
    page.locator(".set-row").nth(1).get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Undo").click()
    page.locator(".set-row").nth(1).wait_for()
    assert page.evaluate("window.cspViolations") == []
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert console.errors == []


def test_a_style_left_on_the_form_by_an_extension_breaks_no_csp_rule_when_htmx_swaps_it(
    live_server, open_page, django_user_model
):
    """Extensions (and Playwright's own screenshots) leave an empty style attribute on the
    inputs they touch through the CSSOM. htmx settled the redrawn form by copying the old
    inputs' style onto the new ones, an inline style the CSP refuses: a console error each."""
    session = _session_with_left_sets(django_user_model, "styled", [8])
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "styled")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    _focused_reps(page)
    page.evaluate(
        """() => document.querySelectorAll('form.set-form input').forEach((input) => {
            input.style.setProperty('caret-color', 'transparent');
            input.style.removeProperty('caret-color');
        })"""
    )
    assert page.locator("form.set-form input[style]").count() > 5
    page.get_by_label("Tempo").fill("fast")
    page.get_by_role("button", name="Add set").click()
    page.get_by_text("Please correct the fields marked below.").wait_for()
    wait_for_htmx(page)
    assert session.sets.count() == 1
    assert console.errors == []


FOCUSED = """() => {
    const focused = document.activeElement;
    return { tag: focused.tagName.toLowerCase(), id: focused.id, class: focused.className };
}"""
# Whole on the screen (to the pixel: a scroll lands on fractions), once the page's smooth
# scroll has brought it there.
IN_VIEW = """() => {
    const box = document.activeElement.getBoundingClientRect();
    return box.top >= -1 && box.bottom <= innerHeight + 1;
}"""


def _focused(page) -> dict:
    wait_for_htmx(page)
    page.wait_for_function(IN_VIEW, timeout=5_000)
    return page.evaluate(FOCUSED)


def test_focus_goes_to_the_undo_after_a_delete_and_to_the_set_after_an_edit_or_undo(
    live_server, open_page, django_user_model, screenshot_dir
):
    """On a phone the entry is a screen below the list: its reps box taking the focus after
    every change scrolled away from what changed and opened the keyboard."""
    session = _session_with_left_sets(django_user_model, "undoing", [10, 9, 8, 7, 6])
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "undoing")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    _focused_reps(page)
    rows = page.locator("#sets-and-entry .set-list > li")

    rows.nth(1).get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Undo").wait_for()
    assert _focused(page) == {"tag": "form", "id": "undo", "class": "undo"}
    take_screenshots(page, screenshot_dir, "session-after-delete-360")

    page.get_by_role("button", name="Undo").click()
    page.get_by_role("button", name="Undo").wait_for(state="detached")
    restored = session.sets.get(reps=9)
    assert _focused(page)["id"] == f"set-{restored.pk}"

    edited = session.sets.get(reps=8)
    page.get_by_role("link", name=f"Edit {edited.name}").click()
    page.locator("#id_edit_reps").fill("12")
    page.get_by_role("button", name="Save set").click()
    page.get_by_role("button", name="Save set").wait_for(state="detached")
    assert _focused(page) == {
        "tag": "li",
        "id": f"set-{edited.pk}",
        "class": "set-row set-row--left",
    }
    assert console.errors == []


def test_it_gives_the_focus_back_to_the_rows_edit_link_when_an_inline_edit_is_cancelled(
    live_server, open_page, django_user_model
):
    """From the keyboard: Edit on a row opens its form in place; Cancel closes it and the
    focus goes back to that Edit, not to the entry form a screen below."""
    session = _session_with_left_sets(django_user_model, "cancelling", [10, 9, 8])
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "cancelling")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    _focused_reps(page)
    edited = session.sets.get(reps=9)
    edit = page.get_by_role("link", name=f"Edit {edited.name}")
    edit.focus()
    page.keyboard.press("Enter")
    cancel = page.locator(f"#set-{edited.pk}").get_by_role("link", name="Cancel")
    cancel.wait_for()
    # htmx gives the opened form's reps box the focus once it settles: Enter there saves.
    wait_for_htmx(page)
    cancel.focus()
    page.keyboard.press("Enter")
    cancel.wait_for(state="detached")
    wait_for_htmx(page)
    assert page.evaluate("document.activeElement.textContent") == f"Edit {edited.name}"
    assert page.evaluate("document.activeElement.closest('li').id") == f"set-{edited.pk}"
    assert console.errors == []


FOCUS_IN_VIEW = """() => { const box = document.activeElement.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= innerHeight; }"""


def test_at_a_large_zoom_the_reps_box_stays_in_view_set_after_set(
    live_server, open_page, django_user_model
):
    session = _session_with_left_sets(django_user_model, "zoomed", [10, 10, 10, 10])
    # A 1280 x 960 screen at 200%: the page is three screens long.
    page, console = open_page({"width": 640, "height": 480}, device_scale_factor=2)
    log_in(page, live_server.url, "zoomed")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    _focused_reps(page)
    for position in (5, 6, 7):
        page.keyboard.press("Control+a")
        page.keyboard.type("9")
        page.keyboard.press("Enter")
        page.locator(".set-row").nth(position - 1).wait_for()
        _focused_reps(page)
        # The box being typed into comes onto the screen (the page scrolls smoothly), and
        # stays there: before, the page jumped to its foot, a screen below it.
        page.wait_for_function(FOCUS_IN_VIEW, timeout=5_000)
        page.wait_for_timeout(300)
        assert page.evaluate(FOCUS_IN_VIEW), position

    assert session.sets.count() == 7
    assert console.errors == []
