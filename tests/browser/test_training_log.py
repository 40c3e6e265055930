"""A trainee signs up and logs both sides from the keyboard, in real Chromium."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db.models import F

from coaching.models import Variation
from tests.browser.conftest import DESKTOP, PHONE, log_in, take_screenshots, wait_for_htmx
from tests.conftest import PASSWORD
from training.models import Set, TrainingSession

pytestmark = pytest.mark.browser
SEVERE = {"serious", "critical"}


def _axe_severe(page) -> list:
    results = Axe().run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in SEVERE
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_sign_up_and_log_a_left_and_a_right_set_with_the_keyboard(
    live_server, open_page, screenshot_dir, viewport
):
    page, console = open_page(viewport)
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").focus()
    page.keyboard.type("kim")
    page.keyboard.press("Tab")
    page.keyboard.type("kim@example.com")
    page.get_by_label("Password", exact=True).focus()
    page.keyboard.type("a-long-enough-password-1")
    page.get_by_label("Password confirmation").focus()
    page.keyboard.type("a-long-enough-password-1")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accounts/profile/")

    page.get_by_label("Your level on the ladder").select_option(
        label="4. Dumbbell or kettlebell single leg hip thrust"
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/log/")
    assert _axe_severe(page) == []

    page.get_by_role("button", name="Start logging sets").click()
    page.wait_for_url(re.compile(r".*/log/sessions/\d+/$"))
    assert _axe_severe(page) == []

    # Focus starts in the reps box; type the left set and press Enter.
    assert page.evaluate("document.activeElement.name") == "reps"
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    page.keyboard.type("20")
    page.keyboard.press("Enter")
    page.locator(".set-row--left").wait_for()

    # The form comes back for the other side, focus in reps again: typing replaces the 10.
    assert page.get_by_label("Right").is_checked()
    page.wait_for_function("() => document.activeElement?.name === 'reps'")
    page.keyboard.type("8")
    page.keyboard.press("Enter")
    page.locator(".set-row--right").wait_for()
    # Said for a screen reader, by a status region outside the list the swap replaced.
    announced = page.locator("#set-announcer[role=status]")
    announced.get_by_text("Set added: Right 1, 8 reps · 20 kg").wait_for(state="attached")

    rows = page.locator(".set-row").all_inner_texts()
    assert "10 reps · 20 kg" in rows[0]
    assert "8 reps · 20 kg" in rows[1]
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / f"session-{viewport['width']}.png", full_page=True)

    page.get_by_role("link", name="Today").click()
    page.wait_for_url(f"{live_server.url}/log/")
    assert "Your right side did 20.0% less work than your left" in page.inner_text("main")

    page.get_by_role("link", name="Records").click()
    page.wait_for_url(f"{live_server.url}/log/records/")
    # One column per side, each record with the day it was set.
    records = page.locator("table.records").inner_text()
    today = datetime.date.today().strftime("%-d %b %Y")
    assert re.search(rf"Heaviest load\s+20 kg × 10\s+{today}\s+20 kg × 8\s+{today}", records)
    assert re.search(rf"Most reps in a set\s+10\s+{today}\s+8\s+{today}", records)
    assert _axe_severe(page) == []

    page.get_by_role("link", name="Progress").click()
    page.wait_for_url(f"{live_server.url}/log/progress/")
    assert page.locator("svg[role=img]").count() >= 3
    assert _axe_severe(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert console.errors == []


def _trainee_with_one_set(django_user_model, username: str):
    """A trainee with one session of one left set of 8 reps; returns that set."""

    user = django_user_model.objects.create_user(username, f"{username}@example.com", PASSWORD)
    session = TrainingSession.objects.create(
        user=user,
        date=datetime.date(2026, 11, 20),
        variation=Variation.objects.get(slug="single-leg-hip-thrust"),
    )
    return Set.objects.create(session=session, position=1, side="left", reps=8)


def test_the_set_edit_page_opened_in_its_own_tab_saves_with_javascript_on(
    live_server, open_page, django_user_model
):
    logged = _trainee_with_one_set(django_user_model, "tab")
    session = logged.session
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "tab")

    page.goto(f"{live_server.url}/log/sets/{logged.pk}/edit/")
    page.get_by_label("Reps").fill("11")
    page.get_by_role("button", name="Save set").click()
    page.wait_for_url(f"{live_server.url}/log/sessions/{session.pk}/")
    assert "11 reps" in page.locator(".set-row").first.inner_text()
    logged.refresh_from_db()
    assert (logged.reps, logged.revision) == (11, 2)
    assert console.errors == []


def _only_expected(errors: list[str], status: int) -> list[str]:
    """The console's errors, less the line(s) naming the one status the test expects."""
    return [e for e in errors if str(status) not in e]


@pytest.mark.parametrize("inline", [False, True], ids=["own-page", "in-the-session"])
def test_a_stale_edit_shows_the_newer_values_with_javascript_on(
    live_server, open_page, django_user_model, inline
):

    logged = _trainee_with_one_set(django_user_model, "tabs")
    session = logged.session
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "tabs")
    if inline:
        page.goto(f"{live_server.url}/log/sessions/{session.pk}/")
        page.get_by_role("link", name="Edit set 1 on the left").click()
    else:
        page.goto(f"{live_server.url}/log/sets/{logged.pk}/edit/")
    form = page.locator(f"#set-{logged.pk} form")
    form.get_by_label("Reps").wait_for()
    # Another tab saves first.
    Set.objects.filter(pk=logged.pk).update(reps=7, revision=F("revision") + 1)
    form.get_by_label("Reps").fill("11")
    form.get_by_role("button", name="Save set").click()
    page.get_by_text("your edit was not saved").wait_for()
    assert page.locator(f"#set-{logged.pk} form").get_by_label("Reps").input_value() == "7"
    assert Set.objects.get(pk=logged.pk).reps == 7
    assert _only_expected(console.errors, 409) == []


def test_a_stale_session_edit_shows_the_newer_values_with_javascript_on(
    live_server, open_page, django_user_model
):
    logged = _trainee_with_one_set(django_user_model, "sessiontabs")
    session = logged.session
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "sessiontabs")
    page.goto(f"{live_server.url}/log/sessions/{session.pk}/edit/")
    notes = page.get_by_label("Notes")
    notes.wait_for()
    # Another tab saves first.
    TrainingSession.objects.filter(pk=session.pk).update(
        notes="TAB2 important note", revision=F("revision") + 1
    )
    notes.fill("old notes")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("your edit was not saved").wait_for()
    assert page.get_by_label("Notes").input_value() == "TAB2 important note"
    assert TrainingSession.objects.get(pk=session.pk).notes == "TAB2 important note"
    assert _only_expected(console.errors, 409) == []


def test_repeating_the_last_set_twice_through_htmx_adds_two_sets(
    live_server, open_page, django_user_model
):
    """Each list the repeat swaps in draws its forms with a new submission id: pressed
    again, it copies again."""
    logged = _trainee_with_one_set(django_user_model, "repeats")
    session = logged.session
    page, console = open_page(DESKTOP)
    log_in(page, live_server.url, "repeats")
    page.goto(f"{live_server.url}/log/sessions/{session.pk}/")
    for count in (2, 3):
        page.get_by_role("button", name="Repeat last set").click()
        page.locator(".set-row").nth(count - 1).wait_for()
    assert session.sets.count() == 3
    assert console.errors == []


def test_a_locked_out_login_shows_the_lockout_page_with_javascript_on(
    live_server, open_page, django_user_model, settings
):
    django_user_model.objects.create_user("locked", "locked@example.com", "right-password-1")
    page, console = open_page(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill("locked")
        page.get_by_label("Password").fill("wrong-password")
        with page.expect_response(lambda response: response.request.method == "POST"):
            page.get_by_role("button", name="Log in").click()
        # The response comes before htmx swaps the page: filling the form then typed into
        # the one about to go, and the next click sent an empty password (a CI timeout).
        wait_for_htmx(page)
    page.get_by_role("heading", name="Too many attempts").wait_for()
    assert _only_expected(console.errors, 429) == []


def test_a_link_to_a_session_deleted_meanwhile_shows_the_not_found_page(
    live_server, open_page, django_user_model
):
    session = _trainee_with_one_set(django_user_model, "gone").session
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "gone")
    page.goto(f"{live_server.url}/log/history/")
    link = page.locator(f'a[href="/log/sessions/{session.pk}/"]').first
    session.delete()  # in another tab
    link.click()
    # Boosted, the 404 page comes in as the browser would show it without htmx.
    page.get_by_role("heading", name="That page isn't here").wait_for()
    assert _only_expected(console.errors, 404) == []


def test_acting_on_a_set_or_session_deleted_on_another_device_says_so_beside_it(
    live_server, open_page, django_user_model, screenshot_dir
):
    logged = _trainee_with_one_set(django_user_model, "twodevices")
    page, console = open_page(PHONE)
    log_in(page, live_server.url, "twodevices")
    page.goto(f"{live_server.url}{logged.session.get_absolute_url()}")
    Set.objects.filter(pk=logged.pk).delete()  # on the other device

    page.locator(f"#set-{logged.pk}").get_by_role("button", name="Delete").click()
    said = page.locator(f"#set-{logged.pk} #request-message")
    said.get_by_text("That is no longer here").wait_for()
    assert said.get_by_role("link", name="Reload the page to see it as it is now").is_visible()

    TrainingSession.objects.filter(pk=logged.session_id).delete()
    page.get_by_label("Reps").fill("12")
    page.get_by_role("button", name="Add set").click()
    page.locator(".entry #request-message").get_by_text("Nothing was changed.").wait_for()
    assert page.get_by_label("Reps").input_value() == "12"  # what was typed stays
    take_screenshots(page, screenshot_dir, "deleted-on-another-device-360")
    assert _only_expected(console.errors, 404) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_editing_a_set_deleted_on_another_device_says_so_in_the_list(
    live_server, open_page, django_user_model, screenshot_dir, viewport
):
    logged = _trainee_with_one_set(django_user_model, "editgone")
    Set.objects.create(session=logged.session, position=2, side="right", reps=8)
    page, console = open_page(viewport)
    log_in(page, live_server.url, "editgone")
    page.goto(f"{live_server.url}{logged.session.get_absolute_url()}")
    page.get_by_role("link", name="Edit set 1 on the left").click()
    page.get_by_role("button", name="Save set").wait_for()
    Set.objects.filter(pk=logged.pk).delete()  # on the other device

    page.locator("#id_edit_note").fill("Hips dropped on the last rep")
    page.get_by_role("button", name="Save set").click()
    page.get_by_role("alert").get_by_text(
        "This set was deleted (in another tab or on another"
    ).wait_for()
    assert page.locator(f"#set-{logged.pk}").count() == 0
    assert (
        page.get_by_label("What you wrote, to copy").input_value() == "Hips dropped on the last rep"
    )
    take_screenshots(page, screenshot_dir, f"set-deleted-elsewhere-{viewport['width']}")
    page.goto(f"{live_server.url}/log/sessions/{logged.session_id}/edit/")
    take_screenshots(page, screenshot_dir, f"session-delete-confirm-{viewport['width']}")
    assert console.errors == []


def test_the_session_page_swaps_its_list_in_place_and_loads_whole_pages_from_it(
    live_server, open_page, django_user_model
):
    """The set list's requests share one target and swap; its boosted links and forms
    must still load whole pages, not nest them inside the list."""
    from coaching.models import FormError
    from training.models import Set

    logged = _trainee_with_one_set(django_user_model, "swaps")
    logged.form_errors.add(FormError.objects.get(slug="bouncing"))
    session = logged.session
    Set.objects.create(session=session, position=2, side="unknown", reps=6)
    url = f"{live_server.url}/log/sessions/{session.pk}/"
    page, console = open_page(DESKTOP)
    log_in(page, live_server.url, "swaps")
    page.goto(url)

    page.get_by_role("button", name="Repeat last set").click()
    page.locator(".set-row").nth(2).wait_for()
    page.get_by_role("link", name="Edit set 1 on the left").click()
    page.get_by_role("button", name="Save set").wait_for()
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("button", name="Save set").wait_for(state="detached")
    page.locator(".set-row").nth(2).get_by_role("button", name="Delete").click()
    announced = page.locator("#set-announcer")
    announced.get_by_text(re.compile(r"^Deleted .+\.$")).wait_for(state="attached")
    page.get_by_role("button", name="Undo").click()
    page.locator(".set-row").nth(2).wait_for()
    announced.get_by_text("Set restored.").wait_for(state="attached")
    assert page.url == url
    assert page.locator("#sets-and-entry").count() == 1

    page.get_by_label("All left").check()
    page.get_by_role("button", name="Set sides").click()
    page.get_by_text(re.compile(r"^Sides set for \d+ sets?\.$")).wait_for()
    assert page.locator(".site-header").count() == 1
    assert page.locator("#sets-and-entry").count() == 1

    page.locator(".set-row").first.locator("a.flag--error").click()
    page.wait_for_url(f"{live_server.url}/form-errors/bouncing/")
    assert page.locator(".site-header").count() == 1
    assert page.locator("#sets-and-entry").count() == 0
    # No signed-in page is kept in the tab's storage, where the next person at a shared
    # device would find it with Back after logging out: Back asks the server again.
    assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
    page.go_back()
    page.wait_for_url(url)
    page.locator("#sets-and-entry .set-row").first.wait_for()
    assert page.locator(".site-header").count() == 1, "the whole page, not the list alone"
    assert console.errors == []


IMPORT_FILE = (
    "session,date,variation,session_notes,position,side,reps,load_kg,hold_seconds,tempo,rpe,rir,"
    "form_errors,pain,note\n"
    "1,2026-11-18,single-leg-hip-thrust,,1,left,10,0,0,3-0-1-1,8,,,no,\n"
    "1,2026-11-18,single-leg-hip-thrust,,2,right,9,0,0,3-0-1-1,,,,no,\n"
    "2,2026-11-19,floor-glute-bridge,,1,both,15,0,5,,,,,no,\n"
)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_import_is_previewed_saved_and_undone(
    live_server, open_page, django_user_model, screenshot_dir, viewport
):
    from training.models import ImportBatch

    logged = _trainee_with_one_set(django_user_model, "importer")
    page, console = open_page(viewport)
    log_in(page, live_server.url, "importer")
    page.goto(f"{live_server.url}/log/import/")
    page.get_by_label("File").set_input_files(
        {"name": "log.csv", "mimeType": "text/csv", "buffer": IMPORT_FILE.encode()}
    )
    page.get_by_role("button", name="Preview the import").click()

    page.get_by_role("heading", name="2 sessions and 3 sets to add").wait_for()
    assert re.search(r"/log/import/pending/\d+/$", page.url)
    assert Set.objects.count() == 1  # nothing saved yet
    assert _axe_severe(page) == []
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / f"preview-{viewport['width']}.png", full_page=True)

    page.get_by_role("button", name="Save this import").click()
    page.get_by_text("Imported 2 sessions and 3 sets.").wait_for()
    assert page.url == f"{live_server.url}/log/import/"
    assert Set.objects.filter(import_batch__isnull=False).count() == 3
    assert _axe_severe(page) == []
    if screenshot_dir:
        page.screenshot(path=screenshot_dir / f"imports-{viewport['width']}.png", full_page=True)

    # Asked first; a dismissed question leaves the import as it was.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Undo this import").click()
    assert [message.startswith("Undo the import of ") for message in asked] == [True]
    assert Set.objects.filter(import_batch__isnull=False).count() == 3
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Undo this import").click()
    page.get_by_text("Import undone: removed 3 sets and 2 sessions.").wait_for()
    assert list(Set.objects.all()) == [logged]
    assert not ImportBatch.objects.exists()
    assert console.errors == []


def test_today_dates_a_new_session_by_the_devices_clock(live_server, open_page, django_user_model):
    _trainee_with_one_set(django_user_model, "faraway")
    # A zone whose day is not the server's (UTC) at this hour: UTC+14 is a day ahead from
    # 10:00 UTC, UTC-12 a day behind until 12:00 UTC.
    utc = datetime.datetime.now(datetime.UTC)
    name = "Pacific/Kiritimati" if utc.hour >= 10 else "Etc/GMT+12"
    there = datetime.datetime.now(zoneinfo.ZoneInfo(name)).date()
    assert there != utc.date()
    page, console = open_page(DESKTOP, timezone_id=name)
    log_in(page, live_server.url, "faraway")
    page.reload()  # the first page set the zone's cookie; this one is drawn with it
    assert page.locator("input[type=date][name=date]").input_value() == there.isoformat()
    assert console.errors == []
