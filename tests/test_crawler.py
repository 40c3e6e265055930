"""Follow every link the site renders, as each kind of visitor, and find none broken.

For each role (anonymous, an athlete with a log, the coach linked to that athlete, a
superuser) the crawl starts at the home page and the dashboards and follows every
same-origin `<a href>` (and the sitemap's `<loc>`), breadth first, up to a cap. It fails
on any 5xx, on a 4xx from a link the site itself rendered (a broken link), and on an HTML
page without a non-empty `<title>`. Stylesheets, scripts, images, media, CSV and PDF
links are fetched once and only need a non-error status.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from coaches import services
from coaching.forms import IllustrationForm
from tests.conftest import PASSWORD, prescription
from training.models import Profile, Set, TrainingSession

pytestmark = pytest.mark.django_db

PAGE_CAP = 300  # pages per role
QUERIES_PER_PATH = 3  # distinct query strings followed per path (sorting, filters, pages)
PER_PATTERN = 3  # pages per URL shape (/log/sets/<n>/edit/, /admin/coaching/cue/<n>/change/)
ORIGIN = "http://testserver"
NEVER_FOLLOW = {"/accounts/logout/", "/admin/logout/"}
# Known broken links (none now); anything else fails the crawl.
KNOWN_BROKEN: set[tuple[str, str, int]] = set()
ASSET_SUFFIXES = (".css", ".js", ".mjs", ".png", ".jpg", ".jpeg", ".webp", ".svg", ".ico")
ASSET_SUFFIXES += (".csv", ".pdf", ".json", ".txt", ".xml", ".woff2")


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.assets: list[str] = []
        self.titles: list[str] = []
        self._in_title = False
        self._svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "svg":
            self._svg_depth += 1
        elif tag == "title" and not self._svg_depth:
            self._in_title = True
            self.titles.append("")
        elif tag == "a" and "href" in values:
            self.links.append(values["href"])
        elif tag in {"img", "script", "source", "audio", "video"}:
            if values.get("src"):
                self.assets.append(values["src"])
            for candidate in values.get("srcset", "").split(","):
                if candidate.strip():
                    self.assets.append(candidate.split()[0])
        elif tag == "link" and values.get("href"):
            rel = set(values.get("rel", "").split())
            if rel & {"stylesheet", "icon", "preload", "modulepreload", "manifest"}:
                self.assets.append(values["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth = max(0, self._svg_depth - 1)
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.titles[-1] += data


def _locs(xml: str) -> list[str]:
    parts = xml.split("<loc>")[1:]
    return [part.split("</loc>", 1)[0].strip() for part in parts]


def shape(path: str) -> str:
    """The URL pattern a path belongs to: numeric segments replaced by <n>."""
    return "/".join("<n>" if part.isdigit() else part for part in path.split("/"))


def same_origin(url: str) -> str | None:
    """The path and query of a link to this site, or None for anything to skip."""
    url = urldefrag(url)[0].strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return None  # mailto:, tel:, javascript:, data:
    if parts.netloc and parts.netloc != "testserver":
        return None
    path = parts.path or "/"
    if path in NEVER_FOLLOW:
        return None
    # The admin's "back to the filtered list" memory is the same page again.
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not pair.startswith("_changelist_")
    )
    return f"{path}?{query}" if query else path


@dataclass
class Crawl:
    client: Client
    role: str
    checked_assets: dict[str, int]
    pages: int = 0
    problems: list[str] = field(default_factory=list)
    queue: deque = field(default_factory=deque)
    referrer: dict[str, str] = field(default_factory=dict)
    queries: Counter = field(default_factory=Counter)
    shapes: Counter = field(default_factory=Counter)

    def add(self, href: str, base: str) -> None:
        target = same_origin(urljoin(f"{ORIGIN}{base}", href))
        if target is None or target in self.referrer:
            return
        path = urlsplit(target).path
        if "?" in target:
            if self.queries[path] >= QUERIES_PER_PATH:
                return
            self.queries[path] += 1
        elif path != shape(path):
            if self.shapes[shape(path)] >= PER_PATTERN:
                return
            self.shapes[shape(path)] += 1
        self.referrer[target] = base
        self.queue.append(target)

    def asset(self, href: str, base: str) -> None:
        target = same_origin(urljoin(f"{ORIGIN}{base}", href))
        if target is None or target in self.checked_assets:
            return
        response = self.client.get(target)
        self.checked_assets[target] = response.status_code
        if response.status_code >= 400:
            self.problems.append(f"{self.role}: asset {target} ({response.status_code}) on {base}")

    def run(self, starts: list[str]) -> None:
        for start in starts:
            self.add(start, "/")
        while self.queue and self.pages < PAGE_CAP:
            url = self.queue.popleft()
            self.visit(url)

    def visit(self, url: str) -> None:
        response = self.client.get(url)
        self.pages += 1
        status, source = response.status_code, self.referrer[url]
        if status >= 500:
            self.problems.append(f"{self.role}: {url} answered {status} (linked from {source})")
            return
        if status >= 400:
            if (self.role, shape(urlsplit(url).path), status) not in KNOWN_BROKEN:
                self.problems.append(f"{self.role}: broken link {url} ({status}) on {source}")
            return
        if status in {301, 302, 303, 307, 308}:
            self.add(response["Location"], url)
            return
        content_type = response.get("Content-Type", "")
        if "xml" in content_type:
            for loc in _locs(response.content.decode()):
                self.add(loc, url)
        if "text/html" not in content_type:
            return
        parser = PageParser()
        parser.feed(response.content.decode())
        if not parser.titles or not parser.titles[0].strip():
            self.problems.append(f"{self.role}: {url} has no <title> text")
        for href in parser.links:
            path = urlsplit(urljoin(f"{ORIGIN}{url}", href)).path
            if path.endswith(ASSET_SUFFIXES) or path.startswith(("/static/", "/media/")):
                self.asset(href, url)
            else:
                self.add(href, url)
        for href in parser.assets:
            self.asset(href, url)


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (170, 110, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile("top.jpg", buffer.getvalue(), "image/jpeg")


@pytest.fixture
def people(django_user_model, exercise, media_root):
    make = django_user_model.objects.create_user
    athlete = make("athlete", "a@example.com", PASSWORD)
    coach = make("coachy", "c@example.com", PASSWORD, is_staff=True)
    coach.groups.add(Group.objects.get(name="Coach"))
    root = django_user_model.objects.create_superuser("root", "r@example.com", PASSWORD)
    services.accept_invitation(services.create_invitation(coach), athlete)
    services.create_invitation(coach)  # an open invitation on the dashboard

    variations = list(exercise.variations.ladder())
    bodyweight = next(v for v in variations if v.slug == "single-leg-hip-thrust")
    Profile.objects.filter(user=athlete).update(level=bodyweight)
    errors = list(exercise.form_errors.all())
    start = datetime.date(2026, 1, 5)
    for day in range(24):  # more than one page of history
        session = TrainingSession.objects.create(
            user=athlete, date=start + datetime.timedelta(days=2 * day), variation=bodyweight
        )
        for position, side in enumerate(["left", "right", "left", "right"], start=1):
            made = Set.objects.create(
                session=session,
                position=position,
                side=side,
                reps=10 + day % 3,
                tempo="3-0-1-1",
                pain=day == 20 and side == "left",
            )
            if day % 5 == 0:
                made.form_errors.add(errors[day % len(errors)])
    services.prescribe(coach, athlete, prescription(bodyweight, notes="Slow on the way down."))
    services.coach_change_level(coach, athlete, variations[2], reason="Ready for more.")
    services.add_coach_note(coach, athlete, session, "Hips level, good.", session.sets.first())

    for placement, extra in [
        ("guide-top", {}),
        ("variation", {"variation": bodyweight.pk}),
        ("form-error", {"form_error": errors[0].pk}),
    ]:
        form = IllustrationForm(
            data={
                "exercise": exercise.pk,
                "placement": placement,
                "order": 0,
                "alt_text": "A person at the top of the thrust",
                "caption": "",
                **extra,
            },
            files={"photo": _photo()},
        )
        assert form.is_valid(), form.errors
        form.save()
    return {"anonymous": None, "athlete": athlete, "coach": coach, "superuser": root}


STARTS = {
    "anonymous": ["/", "/log/", "/coach/", "/sitemap.xml"],
    "athlete": ["/", "/log/"],
    "coach": ["/", "/log/", "/coach/", "/admin/"],
    "superuser": ["/", "/log/", "/coach/", "/admin/"],
}


def test_every_link_works_for_every_role(people):
    checked_assets: dict[str, int] = {}
    problems: list[str] = []
    report = {}
    # Static files come from the finders here (no collectstatic in tests): a missing
    # file still answers 404.
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        for role, user in people.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            crawl = Crawl(client, role, checked_assets)
            starts = STARTS[role]
            if role == "coach":
                starts = [*starts, f"/coach/athletes/{people['athlete'].pk}/"]
            crawl.run(starts)
            problems += crawl.problems
            report[role] = crawl.pages
    assert problems == [], "\n".join(problems)
    # The crawl really went places: the pages each role can reach, and the files.
    assert report["anonymous"] >= 15, report
    assert report["athlete"] >= 30, report
    assert report["coach"] >= 60, report
    assert report["superuser"] >= 100, report
    assert any(url.startswith("/static/") for url in checked_assets)
    assert any(url.startswith("/media/") for url in checked_assets)


def test_the_coachs_admin_pages_link_only_to_pages_the_coach_may_open(client, people):
    client.force_login(people["coach"])
    for url in ["/admin/coaches/auditentry/", "/admin/training/trainingsession/"]:
        listing = PageParser()
        listing.feed(client.get(url).content.decode())
        change = next(href for href in listing.links if href.endswith("/change/"))
        page = PageParser()
        page.feed(client.get(change).content.decode())
        for href in page.links:
            if href.startswith("/admin/"):
                assert client.get(href).status_code < 400, (change, href)
