"""The printable guide: a real PDF document, laid out by WeasyPrint, that reads like the guide.

It is rendered once for the module (a render takes seconds) from the content migration's
guide; every test reads that one response.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from PIL import ImageFile
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from coaching import printing
from coaching.figures import figure
from coaching.models import Cue, Exercise
from coaching.views import GUIDE_FIGURES, SHEET_SECTIONS
from tests.conftest import GUIDE_SLUG

# Every test is a database test, so pytest-django runs them before the transactional tests
# that flush the migrated guide away; the module's one rendering reads that guide.
pytestmark = pytest.mark.django_db

A4_POINTS = (595.28, 841.89)


@pytest.fixture(scope="module")
def sheet(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return Client().get(reverse("coaching:guide-sheet"))


@pytest.fixture(scope="module")
def pdf(sheet) -> PdfReader:
    return PdfReader(io.BytesIO(sheet.content))


@pytest.fixture(scope="module")
def text(pdf) -> str:
    """The sheet's text in extraction order, its white space folded to single spaces."""
    return " ".join(" ".join(page.extract_text() for page in pdf.pages).split())


@pytest.fixture(scope="module")
def guide_in_order(django_db_blocker) -> list[str]:
    """What the sheet must say, in the guide's order, from the database's content."""
    with django_db_blocker.unblock():
        exercise = Exercise.objects.get(slug=GUIDE_SLUG)
        expected = [f"How to do the {exercise.name.lower()}"]
        for heading, key, phases in SHEET_SECTIONS:
            expected.append(heading)
            expected.extend(figure(GUIDE_FIGURES[key]).panels[0].notes)
            for phase in phases:
                cues = exercise.cues.filter(phase=phase).order_by("order")
                expected.extend(f"• {cue.cue}" for cue in cues)
        for error in exercise.form_errors.all():
            expected.extend([error.name, error.fix_cue])
    return expected


def _objects(resources: DictionaryObject) -> Iterator[DictionaryObject]:
    """Every font and XObject a page uses, through the form XObjects its figures are drawn in."""
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        yield xobject
        if "/Resources" in xobject:
            yield from _objects(xobject["/Resources"].get_object())


def _page_objects(pdf: PdfReader) -> list[DictionaryObject]:
    return [found for page in pdf.pages for found in _objects(page["/Resources"].get_object())]


def test_the_sheet_is_a_pdf_of_one_or_two_a4_pages(sheet, pdf):
    assert sheet.status_code == 200
    assert sheet["Content-Type"] == "application/pdf"
    assert sheet["Content-Disposition"] == f'inline; filename="{GUIDE_SLUG}-sheet.pdf"'
    assert sheet.content.startswith(b"%PDF")
    assert 1 <= len(pdf.pages) <= 2
    for page in pdf.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_POINTS, abs=0.5)


def test_the_sheet_ends_with_the_sites_safety_note_and_still_fits_one_page(pdf, text, client):
    note = render_to_string("_safety_note.html")
    assert note.startswith("Stop any set that causes pain")
    assert note in text
    assert len(pdf.pages) == 1
    # The web pages' footer says the same words, from the same one definition.
    assert f"one exercise well. {note}</p>" in client.get(reverse("coaching:guide")).text


def test_each_figure_on_the_sheet_carries_the_numbers_its_legend_lists():
    keys = [GUIDE_FIGURES[key] for _, key, _ in SHEET_SECTIONS]
    sections = [{"heading": key, "figure": key, "notes": [], "cues": []} for key in keys]
    html = render_to_string("coaching/guide_print.html", {"sections": sections})
    drawn = html.split('<section class="phase"')[1:]
    assert len(drawn) == len(keys)
    for key, part in zip(keys, drawn, strict=True):
        numbers = re.findall(r'<g class="fig-callout">.*?>(\d+)</text></g>', part)
        legend = figure(key).panels[0].notes
        assert numbers == [str(n) for n in range(1, len(legend) + 1)], key


def test_the_sheet_is_cached_publicly_for_a_minute_as_the_guide_then_asked_for_by_etag(sheet):
    # An hour kept a coach's edit off a printed sheet for an hour after the guide showed it.
    assert sheet["Cache-Control"] == "public, max-age=60"
    assert sheet["ETag"]


def test_the_sheet_says_every_cue_note_and_fix_in_the_guides_order(text, guide_in_order):
    position = 0
    for expected in guide_in_order:
        found = text.find(expected, position)
        assert found >= 0, f"{expected!r} missing or out of order after {text[:position][-80:]!r}"
        position = found + len(expected)


def test_the_sheet_text_has_no_missing_glyph(text, guide_in_order):
    # A glyph the font lacks comes out as U+FFFD or not at all; the bullets and the middle
    # dot of the title are the characters a Latin-only font lacks.
    assert "\ufffd" not in text
    assert text.count("•") == sum(item.startswith("•") for item in guide_in_order)
    assert "hipthrust · print it" in text


def test_every_font_in_the_sheet_is_embedded(pdf):
    fonts = [found for found in _page_objects(pdf) if found.get("/Type") == "/Font"]
    assert fonts
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        described = descendants[0].get_object() if descendants else font
        descriptor = described["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
        assert "DejaVu" in font["/BaseFont"] or "Sheet-Sans" in font["/BaseFont"]


def test_the_figures_are_drawn_as_vectors_not_pictures(pdf):
    subtypes = {found.get("/Subtype") for found in _page_objects(pdf)}
    assert "/Image" not in subtypes


def test_the_sheet_is_tagged_for_screen_readers(pdf):
    catalog = pdf.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    assert pdf.metadata.title == "How to do the single leg hip thrust"


def test_the_pdf_engine_leaves_pillow_refusing_truncated_uploads():
    # WeasyPrint's import turns this on for the whole process (see coaching/printing.py).
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_old_picture_address_moves_to_the_pdf(client):
    response = client.get("/guide/sheet.png")
    assert response.status_code == 301
    assert response["Location"] == reverse("coaching:guide-sheet")


def test_the_sheet_comes_in_no_other_format(client):
    assert client.get("/guide/sheet.gif").status_code == 404


def test_the_guide_links_the_pdf_sheet(client):
    page = client.get(reverse("coaching:guide")).content.decode()
    assert f'href="{reverse("coaching:guide-sheet")}"' in page
    assert "sheet.png" not in page


@pytest.fixture
def layouts(monkeypatch) -> list[dict]:
    """Each context the sheet is laid out from, as WeasyPrint is asked."""
    made: list[dict] = []
    lay_out = printing.guide_pdf

    def counted(context):
        made.append(context)
        return lay_out(context)

    monkeypatch.setattr(printing, "guide_pdf", counted)
    return made


def test_the_sheet_is_laid_out_once_per_content_version(
    client, layouts, django_capture_on_commit_callbacks
):
    kept = client.get(reverse("coaching:guide-sheet"))
    assert kept["Cache-Control"] == "public, max-age=60"  # then asked again, with the ETag
    again = client.get(reverse("coaching:guide-sheet"), HTTP_IF_NONE_MATCH=kept["ETag"])
    assert (again.status_code, again.content) == (304, b"")
    assert client.get(reverse("coaching:guide-sheet")).content == kept.content
    assert len(layouts) == 1

    cue = Cue.objects.filter(phase="setup").order_by("order").first()
    cue.cue = "Bench pushed hard against the wall"
    with django_capture_on_commit_callbacks(execute=True):
        cue.save()  # an edit bumps the content generation when it commits
    edited = client.get(reverse("coaching:guide-sheet"), HTTP_IF_NONE_MATCH=kept["ETag"])
    assert edited.status_code == 200  # a new sheet, not the browser's copy
    assert edited["ETag"] != kept["ETag"]
    assert len(layouts) == 2
    text = " ".join(PdfReader(io.BytesIO(edited.content)).pages[0].extract_text().split())
    assert "• Bench pushed hard against the wall" in text


def test_the_sheet_is_laid_out_once_whatever_port_the_host_header_names(client, layouts):
    for port in (8000, 8001, 41234):
        response = client.get(reverse("coaching:guide-sheet"), HTTP_HOST=f"127.0.0.1:{port}")
        assert response.status_code == 200
    assert len(layouts) == 1
    assert layouts[0]["guide_url"] == "http://127.0.0.1/guide/"
