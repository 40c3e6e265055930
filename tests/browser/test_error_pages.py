"""The pages for what went wrong, as a person meets them in Chromium: readable, in the site's
look at a phone's width, and clean under axe."""

from __future__ import annotations

import pytest

from tests.browser.conftest import each_size_and_scheme, log_in, take_screenshots
from tests.browser.test_training_log import _axe_severe, _only_expected, _trainee_with_one_set
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@each_size_and_scheme
def test_a_forms_address_visited_and_a_form_sent_after_the_cookies_went_say_what_happened(
    live_server, open_page, django_user_model, screenshot_dir, viewport, scheme
):
    logged = _trainee_with_one_set(django_user_model, "expired")
    page, console = open_page(viewport, color_scheme=scheme)
    log_in(page, live_server.url, "expired")
    page.goto(f"{live_server.url}/log/level/accept/")
    page.get_by_role("heading", name="That address takes a form").wait_for()
    assert _axe_severe(page) == []
    take_screenshots(page, screenshot_dir, f"form-address-{viewport['width']}")

    page.goto(f"{live_server.url}/log/sessions/{logged.session_id}/edit/")
    page.get_by_label("Notes").fill("Knee felt fine")
    page.context.clear_cookies()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="That form had expired").wait_for()
    assert page.get_by_label("What you wrote, to copy").input_value() == "Knee felt fine"
    assert _axe_severe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    take_screenshots(page, screenshot_dir, f"expired-form-{viewport['width']}")

    assert _only_expected(_only_expected(console.errors, 403), 405) == []


@each_size_and_scheme
def test_a_set_added_after_being_signed_out_elsewhere_leads_to_log_in_and_back_with_the_note(
    live_server, open_page, django_user_model, screenshot_dir, viewport, scheme
):
    logged = _trainee_with_one_set(django_user_model, "elsewhere")
    session_page = f"{live_server.url}/log/sessions/{logged.session_id}/"
    page, console = open_page(viewport, color_scheme=scheme)
    log_in(page, live_server.url, "elsewhere")
    page.goto(session_page)
    page.get_by_label("Reps").fill("9")
    page.locator(".set-form__more summary").click()
    page.get_by_label("Note").fill("Left hip cramped")
    # The password changed on another device: this browser's sign-in has ended.
    user = django_user_model.objects.get(username="elsewhere")
    user.set_password(PASSWORD)
    user.save()
    page.get_by_role("button", name="Add set").click()

    page.wait_for_url(f"{live_server.url}/accounts/login/?next=*")
    assert page.get_by_role("heading", name="Log in").count() == 1  # the whole page, once
    assert page.locator("header.site-header").count() == 1
    page.get_by_text("You were signed out, so what you sent was not saved.").wait_for()
    assert page.get_by_label("What you wrote, to copy").input_value() == "Left hip cramped"
    assert _axe_severe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    take_screenshots(page, screenshot_dir, f"signed-out-form-{viewport['width']}")

    page.get_by_label("Username").fill("elsewhere")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(session_page)
    page.get_by_role("button", name="Add set").wait_for()
    assert logged.session.sets.count() == 1  # the one before; nothing half-sent was saved
    assert console.errors == []
