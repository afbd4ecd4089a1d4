"""Word copy (.docx, python-docx) of a dossier document: the same ``layout.Document`` as the PDF, in
the same frame (A4, margins 20/20/30/15 mm, Times New Roman 14 pt, the two-column heading, page
numbers centred at the top from page 2, table header rows repeated), for offices that edit before
signing and for the national e-dossier system, which takes Word and PDF."""

from __future__ import annotations

import io
import re

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from .facts import MOTTO, NATIONAL_TITLE
from .layout import Document, Para, Recipients, Signature, SignatureRow, Table

FONT = "Times New Roman"  # ND 30/2020; the PDF embeds Liberation Serif 2, its metric twin
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


# WordprocessingML wants the children of pPr, tblPr and sectPr in schema order (Word reports
# "unreadable content" otherwise): each new element goes before the first of those that follow it.
PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
TBLPR_AFTER_LAYOUT = (
    "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)  # fmt: skip
SECTPR_AFTER_BORDERS = (
    "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
    "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip


def _set_font(style_or_run, size: float | None = None) -> None:
    font = style_or_run.font
    font.name = FONT
    if size:
        font.size = Pt(size)
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML: dropped from typed-in text


def _run(paragraph, text: str, *, bold=False, italic=False, size=None, underline=False, color=None):
    run = paragraph.add_run(CONTROL.sub("", text))
    run.bold, run.italic = bold or None, italic or None
    if underline:
        run.underline = True
    if size:
        run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def _paragraph(container, align="center", *, before=0, after=0, indent=None):
    p = container.add_paragraph()
    p.alignment = ALIGN[align]
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent is not None:
        fmt.first_line_indent = indent
    return p


def _rule(container, width_mm: float, cell_mm: float, after: float = 0) -> None:
    """A short centred rule: a paragraph's bottom border narrowed by equal indents."""
    p = _paragraph(container, "center", after=after)
    side = max((cell_mm - width_mm) / 2, 0)
    p.paragraph_format.left_indent = Mm(side)
    p.paragraph_format.right_indent = Mm(side)
    p.paragraph_format.line_spacing = Pt(2)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, *PPR_AFTER_BORDER)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(borders, "w:shd", *TBLPR_AFTER_LAYOUT)


def _widths(table, widths_mm: list[float]) -> None:
    """Fixed column widths (autofit off writes tblLayout "fixed": Word keeps the widths)."""
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _page_number(section) -> None:
    """Page numbers centred at the top, not on the first page (ND 30/2020)."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _set_font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif text:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = "2"
            run._r.append(t)


def _setup(doc, landscape: bool) -> float:
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    _set_font(normal, 14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    if not landscape:
        _page_number(section)
    return (297 if landscape else 210) - MARGINS_MM["left"] - MARGINS_MM["right"]


def _header(doc, header, text_mm: float) -> None:
    left_mm, right_mm = text_mm * 0.36, text_mm * 0.64
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    first = True
    for line in header.governing:
        p = left.paragraphs[0] if first else _paragraph(left)
        first = False
        _run(p, line, size=13)
    for line in header.issuing:
        p = left.paragraphs[0] if first else _paragraph(left)
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, line, bold=True, size=13)
    _rule(left, left_mm * 0.35, left_mm)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, NATIONAL_TITLE, bold=True, size=12)
    _run(_paragraph(right), MOTTO, bold=True, size=13, underline=True)
    number = table.cell(1, 0).paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_before = Pt(6)
    _run(number, header.number, size=13)
    place = table.cell(1, 1).paragraphs[0]
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER
    place.paragraph_format.space_before = Pt(6)
    _run(place, header.place_date, italic=True, size=13)
    _widths(table, [left_mm, right_mm])


STYLES = {
    # style: (alignment, first-line indent, space before, bold, italic, size)
    "body": ("justify", Cm(1), 6, False, False, 14),
    "basis": ("justify", Cm(1), 3, False, True, 14),
    "center": ("center", None, 6, False, False, 14),
    "heading": ("justify", Cm(1), 8, True, False, 14),
    "note": ("center", None, 0, False, True, 14),
    "right": ("right", None, 6, False, False, 14),
}


def _para(doc, block: Para) -> None:
    align, indent, before, bold, italic, size = STYLES.get(block.style, STYLES["body"])
    p = _paragraph(doc, align, before=before, indent=indent, after=6 if block.style == "note" else 0)
    for run in block.runs:
        _run(p, run.text, bold=run.bold or bold, italic=run.italic or italic, size=size)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _table(doc, block: Table, text_mm: float) -> None:
    columns = block.columns
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, column in zip(table.rows[0].cells, columns, strict=False):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, column.title, bold=True, size=12)
    _repeat_header(table.rows[0])
    for row in block.rows:
        cells = table.add_row().cells
        if row.kind == "group":
            merged = cells[0].merge(cells[-1])
            _run(merged.paragraphs[0], row.cells[0], bold=True, size=12)
            continue
        for cell, text, column in zip(cells, row.cells, columns, strict=False):
            p = cell.paragraphs[0]
            p.alignment = ALIGN[column.align]
            _run(p, text, bold=row.kind == "total", size=12)
    _widths(table, [text_mm * c.width / 100 for c in columns])
    _paragraph(doc, after=0)


def _signature(cell, sig: Signature) -> None:
    first = True
    for line in [*(sig.capacity.split("\n") if sig.capacity else []), *sig.title.split("\n")]:
        p = cell.paragraphs[0] if first else _paragraph(cell)
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, line, bold=True, size=14)
    if sig.note:
        _run(_paragraph(cell), sig.note, italic=True, size=13)
    for _ in range(4):
        _paragraph(cell)
    _run(_paragraph(cell), sig.name, bold=True, size=14)


def _recipients(cell, recipients: Recipients) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.space_before = Pt(6)
    _run(p, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in recipients.lines:
        _run(_paragraph(cell, "left"), line, size=11)


def _signatures(doc, block: SignatureRow, text_mm: float) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    if isinstance(block.left, Recipients):
        _recipients(left, block.left)
    elif isinstance(block.left, Signature):
        _signature(left, block.left)
    if block.right is not None:
        _signature(right, block.right)
    _widths(table, [text_mm / 2, text_mm / 2])


def _page_border(section) -> None:
    """The certificate's double border, in the certificate red."""
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "text")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "double"), ("w:sz", "12"), ("w:space", "12"), ("w:color", "8A1C1C")):
            element.set(qn(key), value)
        borders.append(element)
    section._sectPr.insert_element_before(borders, *SECTPR_AFTER_BORDERS)


def _certificate(doc, document: Document) -> None:
    _page_border(doc.sections[0])
    c = document.certificate
    first = doc.paragraphs[0] if doc.paragraphs else _paragraph(doc)
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(first, NATIONAL_TITLE, bold=True, size=13)
    _run(_paragraph(doc), MOTTO, bold=True, size=13, underline=True)
    for i, line in enumerate(c.authority):
        _run(_paragraph(doc, before=12 if i == 0 else 0), line, bold=True, size=15)
    _run(_paragraph(doc, before=6), "TẶNG", bold=True, size=14)
    _run(_paragraph(doc, before=4, after=4), c.award, bold=True, size=34, color="B00000")
    _run(_paragraph(doc), c.awardee, bold=True, size=22)
    if c.awardee_detail:
        _run(_paragraph(doc), c.awardee_detail, size=15)
    _run(_paragraph(doc, before=8), c.reason, italic=True, size=15)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.paragraph_format.space_before = Pt(24)
    _run(p, c.decision, size=13)
    if c.verification is not None:  # the QR code and the code typed by hand (awards/verification.py)
        import io

        from docx.shared import Mm

        _paragraph(left, "left").add_run().add_picture(io.BytesIO(c.verification.qr_png()), width=Mm(24))
        _run(_paragraph(left, "left"), f"Mã tra cứu: {c.verification.code}", bold=True, size=10)
        _run(_paragraph(left, "left"), c.verification.lookup_url, size=9)
    place = right.paragraphs[0]
    place.alignment = WD_ALIGN_PARAGRAPH.CENTER
    place.paragraph_format.space_before = Pt(12)
    _run(place, c.place_date, italic=True, size=13)
    _signature_after(right, c.signature)
    _widths(table, [126, 126])


def _signature_after(cell, sig: Signature) -> None:
    for line in [*(sig.capacity.split("\n") if sig.capacity else []), *sig.title.split("\n")]:
        _run(_paragraph(cell), line, bold=True, size=14)
    for _ in range(3):
        _paragraph(cell)
    _run(_paragraph(cell), sig.name, bold=True, size=14)


def docx_bytes(document: Document) -> bytes:
    doc = WordDocument()
    doc.core_properties.title = document.title
    doc.core_properties.language = "vi-VN"
    text_mm = _setup(doc, document.landscape)
    if document.certificate is not None:
        _certificate(doc, document)
    else:
        if document.header is not None:
            _header(doc, document.header, text_mm)
        if document.doc_type:
            _run(_paragraph(doc, before=12), document.doc_type, bold=True, size=14)
        for line in document.subject:
            _run(_paragraph(doc), line, bold=True, size=14)
        if document.subject:
            _rule(doc, text_mm * 0.3, text_mm, after=12)
        for block in document.blocks:
            if isinstance(block, Para):
                _para(doc, block)
            elif isinstance(block, Table):
                _table(doc, block, text_mm)
            elif isinstance(block, SignatureRow):
                _signatures(doc, block, text_mm)
            else:
                doc.add_page_break()
    # python-docx starts with one empty paragraph; drop it when something else came first
    body = doc.element.body
    first = body[0] if len(body) else None
    if (
        first is not None
        and first.tag == qn("w:p")
        and not first.xpath(".//w:t")
        and document.certificate is None
    ):
        body.remove(first)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
