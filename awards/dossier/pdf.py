"""PDF of a dossier document: the HTML templates (awards/templates/awards/dossier/) and the print
CSS (static/css/documents.css) rendered by WeasyPrint, with Liberation Serif 2 embedded from the
project's own files (static/fonts/liberation-serif/) so no glyph falls back to another font."""

from __future__ import annotations

import atexit
import threading
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from .facts import MOTTO, NATIONAL_TITLE
from .layout import Document

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "documents.css"
_local = threading.local()
_configs: list = []


@atexit.register
def _forget() -> None:
    # Drop the cached font configurations before the interpreter tears WeasyPrint's modules down
    # (their finaliser would otherwise fail noisily at exit).
    _configs.clear()
    _local.__dict__.clear()


def _stylesheet():
    """The stylesheet and its font configuration, parsed once per process and thread (the fonts
    are loaded once, not for every certificate of a batch)."""
    cached = getattr(_local, "stylesheet", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        css = CSS(filename=str(STYLESHEET), font_config=font_config)
        cached = _local.stylesheet = (css, font_config)
        _configs.append(cached)
    return cached


def render_html(document: Document) -> str:
    template = "awards/dossier/certificate.html" if document.certificate else "awards/dossier/document.html"
    return render_to_string(template, {"doc": document, "national_title": NATIONAL_TITLE, "motto": MOTTO})


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint alone, on finished HTML (also what ``make bench`` compares against)."""
    from weasyprint import HTML

    css, font_config = _stylesheet()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[css], font_config=font_config
    )


def pdf_bytes(document: Document) -> bytes:
    return html_to_pdf(render_html(document))


#: CSS pixels (WeasyPrint's unit) to PDF points
PX = 0.75


def pdf_with_anchors(
    document: Document,
) -> tuple[bytes, dict[str, tuple[int, float, float, float, float]]]:
    """The PDF and where its anchors (elements with an ``id``) are: {id: (page, x1, y1, x2, y2)}, the
    element's box in PDF points from the bottom left, the last occurrence of each id. Signing places the
    signature images in the signature block's blank space (``_signature.html``)."""
    from weasyprint import HTML

    css, font_config = _stylesheet()
    rendered = HTML(string=render_html(document), base_url=str(settings.BASE_DIR)).render(
        stylesheets=[css], font_config=font_config
    )
    anchors: dict[str, tuple[int, float, float, float, float]] = {}
    for index, page in enumerate(rendered.pages):
        height = page.height * PX
        for name, (x1, y1, x2, y2) in page.anchors.items():
            anchors[name] = (index, x1 * PX, height - y2 * PX, x2 * PX, height - y1 * PX)
    return rendered.write_pdf(), anchors
