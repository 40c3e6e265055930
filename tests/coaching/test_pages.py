"""The public guide pages: what each shows, what it costs, and what it refuses."""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from coaching.models import FormError, Variation

pytestmark = pytest.mark.django_db

PAGES = [
    ("coaching:home", {}),
    ("coaching:guide", {}),
    ("coaching:variation-list", {}),
    ("coaching:variation-detail", {"slug": "single-leg-hip-thrust"}),
    ("coaching:form-error-detail", {"slug": "knee-caving-in"}),
]


class _Page(HTMLParser):
    """Collects what the tests look at: headings, ids, scripts, inline styles, head tags."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_styles: list[str] = []
        self.inline_handlers: list[str] = []
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.landmarks: list[str] = []
        self.json_ld: list[str] = []
        self._heading: int | None = None
        self._text: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if "style" in attributes or tag == "style":
            self.inline_styles.append(tag)
        self.inline_handlers += [name for name in attributes if name.startswith(("on", "hx-on"))]
        if tag == "script":
            self.scripts.append(attributes)
            self._in_json_ld = attributes.get("type") == "application/ld+json"
        if tag == "meta":
            key = attributes.get("name") or attributes.get("property")
            if key:
                self.meta[key] = attributes.get("content", "")
        if tag == "link" and attributes.get("rel"):
            self.links[attributes["rel"]] = attributes.get("href", "")
        if tag in {"header", "nav", "main", "footer"}:
            self.landmarks.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = int(tag[1])
            self._text = []

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._text).split())))
            self._heading = None
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._heading:
            self._text.append(data)
        if self._in_json_ld:
            self.json_ld.append(data)


def _get(client, name, kwargs, **extra):
    response = client.get(reverse(name, kwargs=kwargs), **extra)
    page = _Page()
    page.feed(response.content.decode())
    return response, page


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_each_page_is_a_complete_accessible_document(client, name, kwargs):
    response, page = _get(client, name, kwargs)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert [level for level, _ in page.headings].count(1) == 1
    levels = [level for level, _ in page.headings]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), page.headings
    assert {"header", "nav", "main", "footer"} <= set(page.landmarks)
    assert 'lang="en-GB"' in response.content.decode()


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_each_page_has_its_own_search_and_social_metadata(client, name, kwargs):
    response, page = _get(client, name, kwargs)
    path = reverse(name, kwargs=kwargs)
    html = response.content.decode()

    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title.endswith(" · hipthrust")
    assert len(title) > len(" · hipthrust")
    assert 50 <= len(page.meta["description"]) <= 300
    assert page.links["canonical"] == f"http://testserver{path}"
    assert page.meta["og:url"] == f"http://testserver{path}"
    assert page.meta["og:title"]
    assert page.meta["og:description"] == page.meta["description"]


def test_titles_and_descriptions_differ_between_pages(client):
    seen = [_get(client, name, kwargs)[1].meta["og:title"] for name, kwargs in PAGES]
    assert len(set(seen)) == len(PAGES)


def test_the_canonical_link_uses_the_configured_public_origin(client, settings):
    settings.SITE_URL = "https://hipthrust.example"
    _, page = _get(client, "coaching:guide", {})
    assert page.links["canonical"] == "https://hipthrust.example/guide/"


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_carry_no_inline_script_style_or_handler(client, name, kwargs):
    _, page = _get(client, name, kwargs)
    executable = [script for script in page.scripts if script.get("type") != "application/ld+json"]
    assert all(script.get("src") for script in executable)
    assert page.inline_styles == []
    assert page.inline_handlers == []


def test_the_guide_has_every_section_with_its_anchor(client):
    _, page = _get(client, "coaching:guide", {})
    assert {
        "setup",
        "execution",
        "top-position",
        "descent",
        "troubleshooting",
        "ladder",
    } <= page.ids
    assert [text for level, text in page.headings if level == 2][1:] == [
        "1 Setup",
        "2 Execution",
        "3 Top position",
        "4 Descent and breathing",
        "5 Troubleshooting",
        "6 Scaling ladder",
    ]
    for slug in FormError.objects.values_list("slug", flat=True):
        assert f"error-{slug}" in page.ids


def test_the_guide_shows_every_cue_error_and_rung(client, exercise):
    response, _ = _get(client, "coaching:guide", {})
    html = response.content.decode()
    for cue in exercise.cues.all():
        assert cue.cue in html
    for error in exercise.form_errors.all():
        assert error.get_absolute_url() in html
    for rung in exercise.variations.all():
        assert rung.get_absolute_url() in html


def test_the_guide_publishes_howto_structured_data(client, exercise):
    _, page = _get(client, "coaching:guide", {})
    (payload,) = page.json_ld
    data = json.loads(payload)
    assert data["@type"] == "HowTo"
    assert data["url"] == "http://testserver/guide/"
    section_names = [section["name"] for section in data["step"]]
    assert section_names == [
        "Set up",
        "Drive up",
        "Top position",
        "Lower under control",
        "Breathe with the rep",
    ]
    steps = [step for section in data["step"] for step in section["itemListElement"]]
    assert len(steps) == exercise.cues.count()


def test_structured_data_cannot_be_broken_out_of_by_content(client, exercise):
    exercise.summary = "</script><script>alert(1)</script>"
    exercise.save()
    response, page = _get(client, "coaching:guide", {})
    assert "<script>alert(1)" not in response.content.decode()
    assert json.loads(page.json_ld[0])["description"] == exercise.summary


def test_a_variation_page_links_its_neighbours_on_the_ladder(client):
    response, _page = _get(client, "coaching:variation-detail", {"slug": "single-leg-hip-thrust"})
    html = response.content.decode()
    assert "Level 3 of 7" in html
    assert 'href="/ladder/two-up-one-down-hip-thrust/" rel="prev"' in html
    assert 'href="/ladder/loaded-single-leg-hip-thrust/" rel="next"' in html
    assert "3 × 12 per side" in html
    assert "When to move up" in html


def test_the_ends_of_the_ladder_have_one_neighbour_each(client):
    bottom, _ = _get(client, "coaching:variation-detail", {"slug": "floor-glute-bridge"})
    top, _ = _get(
        client, "coaching:variation-detail", {"slug": "foot-elevated-single-leg-hip-thrust"}
    )
    assert 'rel="prev"' not in bottom.content.decode()
    assert 'rel="next"' in bottom.content.decode()
    assert 'rel="next"' not in top.content.decode()
    assert "This is the top of the ladder" in top.content.decode()


def test_a_coach_edit_to_a_rung_shows_on_its_page(client):
    Variation.objects.filter(slug="banded-single-leg-hip-thrust").update(advance_reps_per_side=15)
    response, _ = _get(
        client, "coaching:variation-detail", {"slug": "banded-single-leg-hip-thrust"}
    )
    assert "3 × 15 per side" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/ladder/no-such-rung/", "/form-errors/no-such-error/", "/guide/extra/", "/nothing-here/"],
)
def test_unknown_addresses_answer_404_with_the_site_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "That page isn" in response.content.decode()
    assert "<title>Page not found · hipthrust</title>" in response.content.decode()


def test_the_guide_answers_404_when_no_exercise_is_loaded(client, exercise):
    exercise.delete()
    assert client.get(reverse("coaching:guide")).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_refuse_writes(client, name, kwargs):
    assert client.post(reverse(name, kwargs=kwargs)).status_code == 405


# Each bound is the page's real count: one query per kind of content (photos included),
# none per row.
QUERY_BOUNDS = {
    "coaching:home": 3,
    "coaching:guide": 6,
    "coaching:variation-list": 2,
    "coaching:variation-detail": 3,
    "coaching:form-error-detail": 3,
}


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_each_page_runs_a_bounded_number_of_queries(
    client, name, kwargs, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERY_BOUNDS[name]):
        response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200


def test_the_query_count_does_not_grow_with_the_ladder(
    client, exercise, django_assert_max_num_queries
):
    tempo = exercise.variations.first().tempo
    for level in range(8, 40):
        Variation.objects.create(
            exercise=exercise,
            level=level,
            kind="progression",
            name=f"Rung {level}",
            slug=f"rung-{level}",
            summary="s",
            how_to="h",
            why="w",
            equipment="e",
            advance_sets=3,
            advance_reps_per_side=10,
            tempo=tempo,
        )
    with django_assert_max_num_queries(QUERY_BOUNDS["coaching:guide"]):
        assert client.get(reverse("coaching:guide")).status_code == 200


def test_a_boosted_htmx_request_gets_the_whole_page(client):
    response = client.get(reverse("coaching:guide"), HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert response.status_code == 200
    assert "<title>" in response.content.decode()


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_the_sitemap_lists_every_public_page(client, exercise):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    for path in ["/", "/guide/", "/ladder/"]:
        assert f"<loc>http://testserver{path}</loc>" in xml
    for rung in exercise.variations.all():
        assert f"<loc>http://testserver{rung.get_absolute_url()}</loc>" in xml
    for error in exercise.form_errors.all():
        assert f"<loc>http://testserver{error.get_absolute_url()}</loc>" in xml


GUIDE_SECTIONS_WITH_FIGURES = {
    "setup": "The starting position",
    "execution": "The drive",
    "top-position": "The top position",
    "descent": "The descent",
}


def _section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_every_guide_section_shows_its_figure(client):
    html = client.get(reverse("coaching:guide")).content.decode()
    for section_id, title in GUIDE_SECTIONS_WITH_FIGURES.items():
        section = _section(html, section_id)
        assert 'role="img"' in section, section_id
        assert f"<figcaption>{title}</figcaption>" in section
    troubleshooting = _section(html, "troubleshooting")
    assert troubleshooting.count('class="fig fig--') == 4
    ladder = _section(html, "ladder")
    assert ladder.count('class="fig-thumb"') == 7
    # A list shows no legend: numbered callouts there would point at nothing said.
    assert "fig-callout" not in ladder


@pytest.mark.parametrize(
    "slug",
    [
        "floor-glute-bridge",
        "two-up-one-down-hip-thrust",
        "single-leg-hip-thrust",
        "loaded-single-leg-hip-thrust",
        "isometric-hold-single-leg-hip-thrust",
        "banded-single-leg-hip-thrust",
        "foot-elevated-single-leg-hip-thrust",
    ],
)
def test_every_variation_page_shows_its_figure(client, slug):
    html = client.get(reverse("coaching:variation-detail", kwargs={"slug": slug})).content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="fig-svg" role="img"') >= 1
    assert (
        f'<meta property="og:image" content="http://testserver/figures/variation-{slug}.png">'
        in html
    )


@pytest.mark.parametrize(
    ("slug", "load", "equipment"),
    [
        (
            "loaded-single-leg-hip-thrust",
            "A dumbbell or kettlebell across the hip crease: the weight you log",
            "A fixed bench and a dumbbell or kettlebell",
        ),
        (
            "isometric-hold-single-leg-hip-thrust",
            "Optional: a dumbbell or kettlebell across the hip crease, the weight you log when you "
            "use one",
            "A fixed bench; a dumbbell or kettlebell is optional",
        ),
        ("banded-single-leg-hip-thrust", "Body weight only", "A fixed bench and a loop"),
    ],
)
def test_a_variation_page_says_what_load_it_takes_as_its_equipment_does(
    client, slug, load, equipment
):
    html = client.get(reverse("coaching:variation-detail", kwargs={"slug": slug})).content.decode()
    facts = " ".join(html.split())
    assert f"<dt>Load</dt><dd>{load}</dd>" in facts
    assert f"<dt>Equipment</dt><dd>{equipment}" in facts


def test_every_form_error_page_shows_the_mistake_and_the_fix(client, exercise):
    for error in exercise.form_errors.all():
        html = client.get(error.get_absolute_url()).content.decode()
        assert "fig__panel--error" in html or "fig__group--error" in html
        assert "fig__panel--fix" in html or "fig__group--fix" in html


def test_a_figure_image_is_served_as_a_cacheable_png(client):
    response = client.get(reverse("coaching:figure-image", kwargs={"key": "guide-top"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"]
    again = client.get(
        reverse("coaching:figure-image", kwargs={"key": "guide-top"}),
        HTTP_IF_NONE_MATCH=response["ETag"],
    )
    assert again.status_code == 304


def test_an_unknown_figure_is_404(client):
    assert client.get("/figures/no-such-figure.png").status_code == 404


def test_variation_keyframes_are_served_as_json_for_the_timer(client):
    response = client.get(
        reverse(
            "coaching:variation-keyframes", kwargs={"slug": "foot-elevated-single-leg-hip-thrust"}
        )
    )
    assert response.status_code == 200
    data = response.json()
    assert data["variation"] == "foot-elevated-single-leg-hip-thrust"
    assert data["support_height"] > 0
    assert data["frames"]["top"]["hip"][1] > data["frames"]["bottom"]["hip"][1]
    assert client.get("/ladder/nope/keyframes.json").status_code == 404
