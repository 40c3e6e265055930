"""Production's static pipeline: hashed, compressed files that every page can name."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "hipthrust.storage.StaticFilesStorage"},
}


def test_collectstatic_hashes_and_compresses_and_pages_use_the_hashed_names(client, tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
        manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        css = manifest["css/site.css"]
        assert css != "css/site.css"
        assert (tmp_path / f"{css}.gz").exists()

        for path in ["/", "/guide/", "/ladder/", "/ladder/single-leg-hip-thrust/"]:
            html = client.get(path).content.decode()
            assert f"/static/{css}" in html
            assert f"/static/{manifest['django_htmx/htmx-2.min.js']}" in html


def test_modules_import_each_other_by_their_hashed_names(tmp_path):
    """So every module is immutable and cached for a year, not only the one a page names."""
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
        manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        timer = (tmp_path / manifest["js/timer.mjs"]).read_text()
        hashed = manifest["js/tempo-plan.mjs"].removeprefix("js/")
        assert hashed != "tempo-plan.mjs"
        assert f'from "./{hashed}";' in timer
        assert '"./tempo-plan.mjs"' not in timer


@pytest.mark.parametrize("sheet", sorted((settings.BASE_DIR / "static" / "css").glob("*.css")))
def test_every_stylesheet_closes_each_block_it_opens(sheet):
    # An unclosed rule swallows every rule after it into itself, silently.
    text = re.sub(
        r"/\*.*?\*/", lambda c: "\n" * c.group().count("\n"), sheet.read_text("utf-8"), flags=re.S
    )
    depth = 0
    for line_number, line in enumerate(text.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{sheet.name}:{line_number} closes a block it never opened"
    assert depth == 0, f"{sheet.name} leaves {depth} block(s) open"
