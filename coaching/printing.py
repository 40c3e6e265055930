"""The guide as a printable PDF, laid out by WeasyPrint from an HTML template.

The text stays text (selectable, searchable, read aloud by a screen reader, in DejaVu
Sans, which has every glyph the guide uses) and the figures stay vector: the same inline
SVG the guide page shows. The rendered PDF is tagged, so its reading order is the HTML's.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# Importing WeasyPrint switches Pillow to accepting truncated images for the whole process;
# the photo uploads (coaching/images.py) must go on refusing them. The sheet has no pictures.
ImageFile.LOAD_TRUNCATED_IMAGES = False

TEMPLATE = "coaching/guide_print.html"
STYLESHEET = "css/print-sheet.css"


def guide_pdf(context: dict) -> bytes:
    """The guide sheet for `context` (see coaching.views.guide_sheet) as PDF bytes."""
    # Local files only (the stylesheet and its fonts): nothing in the sheet is fetched
    # from the network, whatever the content says.
    fetcher = URLFetcher(allowed_protocols={"file"})
    fonts = FontConfiguration()
    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=fetcher, font_config=fonts)
    html = HTML(string=render_to_string(TEMPLATE, context), url_fetcher=fetcher)
    return html.write_pdf(stylesheets=[stylesheet], font_config=fonts, pdf_tags=True)
