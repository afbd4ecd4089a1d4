"""The content of one document as plain frozen blocks, laid out by both renderers (``pdf``, ``docx``):
what a document says is decided once, in its module of ``documents``; how a paragraph, a table or a
signature looks is decided by each renderer in the frame of Nghị định 30/2020/NĐ-CP (Phụ lục I)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Para:
    """A paragraph. ``style``: body (justified, first line indented), center, heading (bold, section
    title), basis (căn cứ: italic, justified), note (small italic, centred), right."""

    tag = "para"  # what the templates switch on (not a field)

    runs: tuple[Run, ...]
    style: str = "body"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def para(text: str, style: str = "body", *, bold: bool = False, italic: bool = False) -> Para:
    return Para((Run(text, bold=bold, italic=italic),), style)


def labelled(label: str, text: str, style: str = "body") -> Para:
    """ "Điều 1. Tặng ...": the label bold, the rest regular."""
    return Para((Run(label, bold=True), Run(text)), style)


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the text width, in per cent
    align: str = "left"  # left, center, right


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    kind: str = "data"  # data, group (one cell across the table, bold), total (bold)


@dataclass(frozen=True)
class Table:
    """A table whose header row repeats on every page."""

    tag = "table"  # what the templates switch on (not a field)

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    @property
    def body(self) -> list[tuple[Row, list[tuple[str, str]]]]:
        """Each row with its cells paired with their column's alignment."""
        aligns = [c.align for c in self.columns]
        return [(row, list(zip(row.cells, aligns, strict=False))) for row in self.rows]


@dataclass(frozen=True)
class Signature:
    """Chữ ký: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH" (upper case, bold), the signer's name (bold)."""

    tag = "signature"  # what the templates switch on (not a field)

    title: str
    name: str = ""
    capacity: str = ""
    note: str = ""  # e.g. "(Ký, ghi rõ họ tên)"


@dataclass(frozen=True)
class Recipients:
    """Nơi nhận: "- Như Điều 3;" ... "- Lưu: VT, ..."."""

    tag = "recipients"  # what the templates switch on (not a field)

    lines: tuple[str, ...]


@dataclass(frozen=True)
class SignatureRow:
    """The foot of a document: Nơi nhận (or a second signer) on the left, the signer on the right."""

    tag = "signatures"  # what the templates switch on (not a field)

    left: Signature | Recipients | None
    right: Signature | None


@dataclass(frozen=True)
class PageBreak:
    tag = "pagebreak"  # what the templates switch on (not a field)


Block = Para | Table | SignatureRow | PageBreak


@dataclass(frozen=True)
class Header:
    """The two-column heading (ô số 1-4): governing body (upper case, regular; may be empty), issuing
    body (upper case, bold, a short rule below), the number and symbol, place and date (italic)."""

    governing: tuple[str, ...]
    issuing: tuple[str, ...]
    number: str
    place_date: str


@dataclass(frozen=True)
class Certificate:
    """Giấy khen (A4 landscape): who gives it, to whom, for what, the decision's number and date."""

    authority: tuple[str, ...]  # "CHỦ TỊCH", "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"
    award: str  # "GIẤY KHEN"
    awardee: str
    awardee_detail: str  # position and unit of a person, or ""
    reason: str
    decision: str  # "Quyết định số 125/QĐ-UBND ngày 25/01/2023"
    place_date: str
    signature: Signature
    # awards.verification.CertificateCode: the QR code and the code printed under it (None: not shown)
    verification: Any = None


@dataclass(frozen=True)
class Document:
    kind: str
    title: str  # the document's name in words, used as PDF/DOCX metadata
    header: Header | None = None
    doc_type: str = ""  # "QUYẾT ĐỊNH", "TỜ TRÌNH", ...
    subject: tuple[str, ...] = ()  # trích yếu, under the type
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    landscape: bool = False
    certificate: Certificate | None = None

    def text(self) -> str:
        """Every word of the document, for tests and search."""
        parts: list[str] = []
        if self.header:
            parts += [
                *self.header.governing,
                *self.header.issuing,
                self.header.number,
                self.header.place_date,
            ]
        parts += [self.doc_type, *self.subject]
        for block in self.blocks:
            if isinstance(block, Para):
                parts.append(block.text)
            elif isinstance(block, Table):
                parts += [c.title for c in block.columns]
                for row in block.rows:
                    parts += list(row.cells)
            elif isinstance(block, SignatureRow):
                for side in (block.left, block.right):
                    if isinstance(side, Signature):
                        parts += [side.capacity, side.title, side.name]
                    elif isinstance(side, Recipients):
                        parts += list(side.lines)
        if self.certificate:
            c = self.certificate
            parts += [*c.authority, c.award, c.awardee, c.awardee_detail, c.reason, c.decision, c.place_date]
            parts += [c.signature.capacity, c.signature.title, c.signature.name]
        return "\n".join(p for p in parts if p)
