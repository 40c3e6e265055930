"""A large import in a real browser: its progress page follows the jobs by itself."""

from __future__ import annotations

import re

import pytest

from imports import budget, tasks
from imports.models import PendingImport
from tests.browser.conftest import each_size_and_scheme, log_in
from tests.browser.test_training_log import IMPORT_FILE, _axe_severe, _trainee_with_one_set
from training.models import Set

pytestmark = pytest.mark.browser


@each_size_and_scheme
def test_a_large_import_shows_its_progress_then_its_preview_then_what_it_saved(
    live_server, open_page, django_user_model, screenshot_dir, viewport, scheme, monkeypatch
):
    monkeypatch.setattr(budget, "SYNC_LINES", 2)  # the four-line file goes to the jobs
    _trainee_with_one_set(django_user_model, "bigimporter")
    page, console = open_page(viewport, color_scheme=scheme)
    log_in(page, live_server.url, "bigimporter")
    page.goto(f"{live_server.url}/log/import/")
    page.get_by_label("File").set_input_files(
        {"name": "log.csv", "mimeType": "text/csv", "buffer": IMPORT_FILE.encode()}
    )
    page.get_by_role("button", name="Preview the import").click()

    page.get_by_role("heading", name="Checking every row").wait_for()
    assert re.search(r"/log/import/pending/\d+/$", page.url)
    assert page.get_by_role("status").inner_text() == "Waiting for its turn."
    assert _axe_severe(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    if screenshot_dir:
        name = f"import-checking-{viewport['width']}-{scheme}.png"
        page.screenshot(path=screenshot_dir / name, full_page=True)

    pending = PendingImport.objects.get()
    assert tasks.check_import.call(pending.pk) == "checked"
    # No reload: the page asks again by itself and becomes the preview.
    page.get_by_role("heading", name="2 sessions and 3 sets to add").wait_for(timeout=10_000)
    assert _axe_severe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    if screenshot_dir:
        name = f"import-preview-{viewport['width']}-{scheme}.png"
        page.screenshot(path=screenshot_dir / name, full_page=True)
    page.get_by_role("button", name="Save this import").click()
    page.get_by_role("heading", name="Saving", exact=True).wait_for()
    if screenshot_dir:
        name = f"import-saving-{viewport['width']}-{scheme}.png"
        page.screenshot(path=screenshot_dir / name, full_page=True)
    assert Set.objects.count() == 1

    digest = PendingImport.objects.get().digest
    assert tasks.save_import.call(pending.pk, digest) == "saved"
    page.get_by_text("Imported 2 sessions and 3 sets.").wait_for(timeout=10_000)
    assert page.url == f"{live_server.url}/log/import/"
    assert Set.objects.filter(import_batch__isnull=False).count() == 3
    assert console.errors == []
