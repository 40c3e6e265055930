"""The service worker's address and plan, the web app manifest, /start/ and /offline/.

The worker's behaviour in a browser is tests/browser/test_offline.py; its decisions,
static/js/tests/offline-rules.test.mjs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings
from PIL import Image

from coaching.models import FormError, Variation
from hipthrust import offline
from tests.test_static import PRODUCTION_STORAGES

pytestmark = pytest.mark.django_db


def _plan(client) -> dict:
    body = client.get("/sw.js").content.decode()
    return json.loads(re.search(r"self\.OFFLINE_PLAN = (\{.*?\});\n", body, re.S).group(1))


def test_the_worker_is_javascript_at_the_root_that_browsers_revalidate(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "worker-src 'self'" in response["Content-Security-Policy"]
    again = client.get("/sw.js", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_the_worker_imports_its_code_from_this_origin_only(client):
    body = client.get("/sw.js").content.decode()
    imported = re.search(r"importScripts\((.*)\);", body).group(1)
    assert json.loads(f"[{imported}]") == [
        static("js/offline-rules.js"),
        static("js/offline-worker.js"),
    ]
    assert "http" not in imported


def test_the_worker_keeps_every_public_page_and_no_signed_in_one(client, exercise):
    plan = _plan(client)
    pages = set(plan["pages"])
    variations = list(Variation.objects.values_list("slug", flat=True))
    assert variations
    assert FormError.objects.exists()
    assert {"/", "/guide/", "/ladder/", "/timer/", "/offline/", "/manifest.webmanifest"} <= pages
    assert {f"/ladder/{slug}/" for slug in variations} <= pages
    assert {f"/timer/?variation={slug}" for slug in variations} <= pages
    assert {error.get_absolute_url() for error in FormError.objects.all()} <= pages
    assert plan["personal"] == ["/log/", "/coach/", "/videos/", "/accounts/", "/admin/"]
    assert not [page for page in pages if page.startswith(tuple(plan["personal"]))]
    for page in plan["pages"]:
        assert client.get(page).status_code == 200, page


def test_a_coach_edit_gives_the_worker_a_new_version(
    client, exercise, django_capture_on_commit_callbacks
):
    before = _plan(client)["version"]
    variation = Variation.objects.order_by("level").first()
    variation.summary += " Edited."
    with django_capture_on_commit_callbacks(execute=True):  # the edit commits
        variation.save()
    after = _plan(client)["version"]
    assert after != before
    # The static half stays: only the content moved.
    assert after.split(".")[0] == before.split(".")[0]


def test_a_deploy_version_is_the_hash_of_the_static_manifest(client, tmp_path, exercise):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
        manifest = json.loads((tmp_path / "staticfiles.json").read_text())
        plan = _plan(client)
        assert plan["version"].split(".")[0] == manifest["hash"][:16]
        hashed = {f"/static/{manifest['paths'][name]}" for name in offline.OFFLINE_STATIC}
        assert set(plan["assets"]) == hashed
        for name in offline.WORKER_SCRIPTS:
            assert f"/static/{manifest['paths'][name]}" in client.get("/sw.js").content.decode()


def test_a_changed_static_file_changes_the_version_where_names_are_plain(settings, tmp_path):
    copy = tmp_path / "static"
    (copy / "css").mkdir(parents=True)
    before = offline.static_version()
    for name in (*offline.OFFLINE_STATIC, *offline.WORKER_SCRIPTS):
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(Path(finders.find(name)).read_bytes())
    (copy / "css/site.css").write_text("body { color: red; }\n")
    settings.STATICFILES_DIRS = [copy, *settings.STATICFILES_DIRS]
    assert offline.static_version() != before


STATIC_REFERENCE = re.compile(r'(?:src|href)="(/static/[^"#?]+)')
MODULE_IMPORT = re.compile(r'from "\./([^"]+)"')


def test_every_static_file_a_kept_page_names_is_kept(client, exercise):
    kept = set(_plan(client)["assets"])
    named: set[str] = set()
    for page in _plan(client)["pages"]:
        named |= set(STATIC_REFERENCE.findall(client.get(page).content.decode()))
    for url in sorted(named):
        if url.endswith(".mjs"):
            source = Path(finders.find(url.removeprefix("/static/"))).read_text()
            folder = url.rsplit("/", 1)[0]
            named |= {f"{folder}/{name}" for name in MODULE_IMPORT.findall(source)}
    assert named - kept == set()
    assert "/static/js/timer.mjs" in named
    assert "/static/js/lock-screen.mjs" in named


def test_the_manifest_installs_an_app_that_opens_on_start(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert (
        client.get("/manifest.webmanifest", headers={"If-None-Match": response["ETag"]}).status_code
        == 304
    )
    manifest = response.json()
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/start/",
        "/",
        "standalone",
    )
    assert manifest["short_name"] == "hipthrust"
    html = client.get("/").content.decode()
    light, dark = re.findall(r'<meta name="theme-color" content="(#[0-9a-f]{6})"', html)
    assert (manifest["theme_color"], manifest["background_color"]) == (light, light)
    assert manifest["user_preferences"]["color_scheme"]["dark"] == {
        "theme_color": dark,
        "background_color": dark,
    }
    icons = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, _), src in icons.items():
        with Image.open(finders.find(src.removeprefix("/static/"))) as image:
            assert f"{image.width}x{image.height}" == sizes
            assert image.format == "PNG"
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html


def test_start_sends_a_trainee_to_the_log_and_a_visitor_to_the_guide(client, user):
    response = client.get("/start/")
    assert (response.status_code, response["Location"]) == (302, "/guide/")
    client.force_login(user)
    response = client.get("/start/")
    assert (response.status_code, response["Location"]) == (302, "/log/")
    assert "no-cache" in response["Cache-Control"]


def test_the_offline_page_says_what_works_offline_and_is_not_indexed(client, exercise):
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "What works offline" in html
    assert "What needs a connection" in html
    for link in ('href="/guide/"', 'href="/ladder/"', 'href="/timer/"'):
        assert link in html
    assert '<meta name="robots" content="noindex">' in html
    assert "public" in response["Cache-Control"]


MEDIA_REFERENCE = re.compile(r'(/media/[^"\s,]+)')


def test_every_content_photo_a_kept_page_names_is_kept_and_nothing_else_uploaded(
    client, exercise, media_root
):
    from tests.coaching.test_admin_content import _illustration

    rung = Variation.objects.get(slug="single-leg-hip-thrust")
    error = FormError.objects.order_by("pk").first()
    shown = [
        _illustration(exercise),
        _illustration(exercise, placement="variation", variation=rung.pk),
        _illustration(exercise, placement="form-error", form_error=error.pk),
    ]
    plan = _plan(client)

    named: set[str] = set()
    for page in plan["pages"]:
        named |= set(MEDIA_REFERENCE.findall(client.get(page).content.decode()))
    assert f"/media/{shown[1].renditions[0]['name']}" in named  # the rung page's srcset
    assert sorted(named) == sorted(plan["photos"])
    # Every rendition of each photo (the browser picks one by the screen), nothing more: no
    # original, and nothing of a trainee's.
    assert sorted(plan["photos"]) == sorted(
        f"/media/{rendition['name']}" for photo in shown for rendition in photo.renditions
    )
    assert all(url.startswith("/media/illustrations/") for url in plan["photos"])
    for url in plan["photos"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/")


def test_a_new_photo_gives_the_worker_a_new_version_that_keeps_it(
    client, exercise, media_root, django_capture_on_commit_callbacks
):
    from tests.coaching.test_admin_content import _illustration

    before = _plan(client)
    assert before["photos"] == []
    with django_capture_on_commit_callbacks(execute=True):
        photo = _illustration(exercise)
    after = _plan(client)
    assert after["version"] != before["version"]
    assert len(after["photos"]) == len(photo.renditions) == 6
