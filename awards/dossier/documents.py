"""The documents of an award dossier: which ones a decision has and how each is rendered.

This is the interface the generation jobs (``awards.dossier.jobs``) rely on:

- ``DOCUMENT_KINDS``: the kinds in dossier order;
- ``plan_documents(decision, kinds)``: the documents of a decision, as ``DocumentSpec``;
- ``render_pdf(decision, spec)`` / ``render_docx(decision, spec)``: the bytes of one document.

The rendering here is deliberately plain (one WeasyPrint page, one python-docx paragraph list with
the title, the decision number and the awardees); the full ND 30/2020 templates replace it.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape

from awards.models import AwardDecision, AwardLine

DOCUMENT_KINDS = ("to_trinh", "bien_ban", "bao_cao", "quyet_dinh", "giay_khen")  # in dossier order

_TITLES = {
    "to_trinh": "Tờ trình đề nghị khen thưởng",
    "bien_ban": "Biên bản họp Hội đồng Thi đua - Khen thưởng",
    "bao_cao": "Báo cáo thành tích",
    "quyet_dinh": "Quyết định khen thưởng",
    "giay_khen": "Giấy khen",
}
_PER_AWARDEE = {"bao_cao", "giay_khen"}


@dataclass(frozen=True)
class DocumentSpec:
    kind: str
    key: str  # unique within the dossier, ASCII
    title: str  # Vietnamese
    folder: str  # folder in the ZIP, ASCII
    filename: str  # ASCII-safe stem, no extension
    proposal_id: int | None


def ascii_slug(text: str) -> str:
    """``Phường Bến Nghé`` -> ``phuong-ben-nghe`` (đ becomes d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _lines(decision: AwardDecision):
    return (
        AwardLine.objects.filter(decision=decision)
        .select_related("proposal__agency", "proposal__person")
        .order_by("proposal__bloc__order", "proposal__bloc_id", "proposal__rank_in_bloc", "pk")
    )


def plan_documents(decision: AwardDecision, kinds: Iterable[str] | None = None) -> list[DocumentSpec]:
    wanted = set(DOCUMENT_KINDS if kinds is None else kinds)
    unknown = wanted - set(DOCUMENT_KINDS)
    if unknown:
        raise ValueError(f"unknown document kinds: {sorted(unknown)}")
    number = ascii_slug(decision.number)
    lines = list(_lines(decision)) if wanted & _PER_AWARDEE else []
    specs = []
    for order, kind in enumerate(DOCUMENT_KINDS, 1):
        if kind not in wanted:
            continue
        folder = f"{order}-{kind.replace('_', '-')}"
        if kind in _PER_AWARDEE:
            for line in lines:
                p = line.proposal
                specs.append(
                    DocumentSpec(
                        kind=kind,
                        key=f"{kind.replace('_', '-')}-{p.pk}",
                        title=f"{_TITLES[kind]}: {p.name}",
                        folder=folder,
                        filename=f"{number}-{ascii_slug(p.name)[:60]}-{p.pk}",
                        proposal_id=p.pk,
                    )
                )
        else:
            specs.append(
                DocumentSpec(
                    kind=kind,
                    key=kind.replace("_", "-"),
                    title=_TITLES[kind],
                    folder=folder,
                    filename=f"{number}-{kind.replace('_', '-')}",
                    proposal_id=None,
                )
            )
    return specs


def _content(decision: AwardDecision, spec: DocumentSpec) -> tuple[str, list[str]]:
    head = f"{_TITLES[spec.kind]} – Số {decision.number} ngày {decision.decided_on:%d/%m/%Y}"
    lines = _lines(decision)
    if spec.proposal_id is not None:
        lines = lines.filter(proposal_id=spec.proposal_id)
    return head, [line.proposal.name for line in lines]


def render_pdf(decision: AwardDecision, spec: DocumentSpec) -> bytes:
    from weasyprint import HTML

    head, names = _content(decision, spec)
    items = "".join(f"<li>{escape(n)}</li>" for n in names)
    html = (
        '<html lang="vi"><head><meta charset="utf-8"><style>@page{size:A4;margin:20mm 15mm 20mm 30mm}'
        "body{font-family:'Liberation Serif','Tinos',serif;font-size:13pt}</style></head>"
        f"<body><h1>{escape(head)}</h1><ul>{items}</ul></body></html>"
    )
    return HTML(string=html).write_pdf()


def render_docx(decision: AwardDecision, spec: DocumentSpec) -> bytes:
    import docx

    head, names = _content(decision, spec)
    document = docx.Document()
    document.add_heading(head, level=1)
    for name in names:
        document.add_paragraph(name)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
