"""Production's static pipeline: hashed, compressed files that every page can name."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
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
