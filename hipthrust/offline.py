"""What the service worker keeps for offline use, and the version that names it.

The worker (/sw.js, `worker_script`) is a few lines written here: the plan below as
JSON, then `importScripts` of the two files that act on it (static/js/offline-rules.js,
static/js/offline-worker.js, hashed like every static file). Its body names the version,
so the browser sees a new worker whenever the version moves:

* the static files' version: the hash of the manifest of hashed names (every deploy that
  changes a file changes it), or of the files' own bytes where names are plain (DEBUG,
  the tests);
* the content generation (coaching/caching.py), which every coach's edit bumps.

Each version's pages and files are fetched together into one cache named by it, so a
page and the styles and scripts it names always come from the same deploy; the worker
that activates deletes the caches of every other version.

Signed-in pages (the log, the coach panel, videos, the account pages) are never kept:
see settings.PERSONAL_PATH_PREFIXES. Of the uploads, only the coaches' content photos
are kept (every rendition a kept page names); nothing a trainee uploaded ever is. The
public pages are fetched by the worker without cookies, as a visitor without an account
sees them, so no cache entry carries a person's name or token.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse

from coaching.caching import CONTENT
from coaching.models import FormError, Illustration, Variation
from core.icons import ICONS

# Every static file the offline pages name (tests/test_offline.py reads the pages and
# their modules' imports to check this list; the worker checks it again on install).
OFFLINE_STATIC = (
    "css/site.css",
    "css/print.css",
    "css/timer.css",
    "js/offline.mjs",
    "js/offline-log.mjs",
    "js/announce.mjs",
    "js/offline-queue.mjs",
    "js/offline-store.mjs",
    "js/page-errors.mjs",
    "js/page-arrival.mjs",
    "js/time-zone.mjs",
    "js/scroll-areas.mjs",
    "js/timer.mjs",
    "js/tempo-plan.mjs",
    "js/lock-screen.mjs",
    "js/figure-pose.mjs",
    "js/plan-form.mjs",
    "django_htmx/htmx-2.min.js",
    "django_htmx/ext/hx-head-2.min.js",
    "favicon.svg",
    *(f"icons/{name}" for name, _, _ in ICONS),
)
WORKER_SCRIPTS = ("js/offline-rules.js", "js/offline-worker.js")

# How long a page waits for the network before the kept copy is shown (a gym's weak
# signal often answers nothing rather than an error).
NETWORK_TIMEOUT_MS = 4000


def offline_pages() -> list[str]:
    """The public pages kept: home, guide, ladder, every rung, every form error, the
    timer with its default plan and each rung's, the offline page, the offline log page
    (the same for everyone: the queue it shows is on the device) and the manifest."""
    return CONTENT.remember(_offline_pages, "coaching:offline-pages")


def _offline_pages() -> list[str]:
    slugs = list(Variation.objects.order_by("exercise_id", "level").values_list("slug", flat=True))
    timer = reverse("coaching:timer")
    return [
        reverse("coaching:home"),
        reverse("coaching:guide"),
        reverse("coaching:variation-list"),
        *(reverse("coaching:variation-detail", kwargs={"slug": slug}) for slug in slugs),
        *(error.get_absolute_url() for error in FormError.objects.order_by("pk").only("slug")),
        timer,
        *(f"{timer}?{urlencode({'variation': slug})}" for slug in slugs),
        reverse("offline"),
        reverse("training:offline-log"),
        reverse("web-manifest"),
    ]


def offline_photos() -> list[str]:
    """Every rendition of the content photos the kept pages show (the guide's, each rung's,
    each form error's: each page's srcset names them all, and the browser picks one by the
    screen), so they open offline with their photos. Only those this origin serves: a
    storage on another origin (a CDN) is left to the browser."""
    return CONTENT.remember(_offline_photos, "coaching:offline-photos")


def _offline_photos() -> list[str]:
    urls = (
        default_storage.url(rendition["name"])
        for renditions in Illustration.objects.order_by("pk").values_list("renditions", flat=True)
        for rendition in renditions
    )
    return [url for url in urls if url.startswith("/") and not url.startswith("//")]


def static_version() -> str:
    manifest_hash = getattr(staticfiles_storage, "manifest_hash", "")
    if manifest_hash and not settings.DEBUG:
        return manifest_hash
    # Plain names (DEBUG serves them whatever the manifest says) do not change with the
    # files: their bytes name the version instead.
    digest = hashlib.sha256()
    for name in (*OFFLINE_STATIC, *WORKER_SCRIPTS):
        digest.update(name.encode())
        digest.update(Path(finders.find(name)).read_bytes())
    return digest.hexdigest()[:16]


def version() -> str:
    """`<static>.<content>`: a deploy that changes a file or a coach's edit gives the worker
    a new one."""
    return f"{static_version()[:16]}.{CONTENT.current()}"


def plan() -> dict:
    return {
        "version": version(),
        "pages": offline_pages(),
        "assets": [static(name) for name in OFFLINE_STATIC],
        "photos": offline_photos(),
        "staticPrefix": settings.STATIC_URL,
        "offlinePage": reverse("offline"),
        "start": reverse("start"),
        "startOffline": reverse("coaching:guide"),
        # Never kept by the worker, for anyone: network only, and the offline page without a
        # network.
        "personal": list(settings.PERSONAL_PATH_PREFIXES),
        "logout": reverse("logout"),
        "networkTimeoutMs": NETWORK_TIMEOUT_MS,
    }


def worker_script() -> str:
    scripts = ", ".join(json.dumps(static(name)) for name in WORKER_SCRIPTS)
    return (
        "// hipthrust's service worker, written by hipthrust/offline.py: the plan, then the\n"
        "// code that acts on it. A new version here is a new worker.\n"
        f"self.OFFLINE_PLAN = {json.dumps(plan(), indent=1)};\n"
        f"importScripts({scripts});\n"
    )
