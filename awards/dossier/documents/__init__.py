"""The documents of a decision's dossier, one module per document (``to_trinh``, ``bien_ban``,
``bao_cao``, ``quyet_dinh``, ``giay_khen``), and the interface the jobs that generate them call
(issue 11).

``plan_documents(decision)`` lists the documents of a decision's dossier, in dossier order, each
with a stable key, a title for the progress page, its ZIP folder and an ASCII file name;
``render_pdf(decision, spec)`` and ``render_docx(decision, spec)`` make one document. They need only
the decision (or its id) and the spec: a Celery task in another process calls them; each re-loads
what it needs with a fixed number of queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils import translation
from django.utils.translation import gettext as _

from ...errors import DossierError
from ...models import AwardDecision
from ..facts import ordered_lines
from ..layout import Document
from ..wording import ascii_slug
from .bao_cao import bao_cao
from .bien_ban import bien_ban
from .giay_khen import giay_khen
from .quyet_dinh import quyet_dinh
from .to_trinh import to_trinh

DOCUMENT_KINDS = ("to_trinh", "bien_ban", "bao_cao", "quyet_dinh", "giay_khen")  # in dossier order

FOLDERS = {
    "to_trinh": "1-to-trinh",
    "bien_ban": "2-bien-ban",
    "bao_cao": "3-bao-cao-thanh-tich",
    "quyet_dinh": "4-quyet-dinh",
    "giay_khen": "5-giay-khen",
}
PER_AWARDEE = {"bao_cao", "giay_khen"}
MAX_STEM = 120


@dataclass(frozen=True)
class DocumentSpec:
    kind: str  # one of DOCUMENT_KINDS
    key: str  # unique within the dossier, stable, ASCII
    title: str  # Vietnamese, shown on the progress page
    folder: str  # ZIP folder, ASCII
    filename: str  # ASCII-safe file stem (no extension): số hiệu, kind, tên đơn vị / person
    proposal_id: int | None  # the awards.Proposal this document is about; None for whole-list documents


def _stem(number: str, *parts: str) -> str:
    stem = "_".join(p for p in [ascii_slug(number.replace("/", "-")).upper(), *parts] if p)
    return stem[:MAX_STEM].rstrip("-_")


def plan_documents(decision: AwardDecision, kinds: Iterable[str] | None = None) -> list[DocumentSpec]:
    """The documents of ``decision``'s dossier (an instance or its id), in dossier order (two
    queries). ``kinds`` keeps only those kinds; an unknown kind is refused."""
    wanted = DOCUMENT_KINDS if kinds is None else tuple(kinds)
    unknown = [k for k in wanted if k not in DOCUMENT_KINDS]
    if unknown:
        raise DossierError(_("Loại văn bản không có trong hồ sơ: %(kinds)s.") % {"kinds": ", ".join(unknown)})
    pk = decision.pk if isinstance(decision, AwardDecision) else int(decision)
    decision = AwardDecision.objects.select_related("proposal_list__award_form").get(pk=pk)
    award = str(decision.proposal_list.award_form.get_kind_display())
    number = decision.number
    lines = []
    if PER_AWARDEE & set(wanted):
        lines = _awardees(decision)
    specs: list[DocumentSpec] = []
    for kind in DOCUMENT_KINDS:
        if kind not in wanted:
            continue
        folder = FOLDERS[kind]
        whole = {
            "to_trinh": ("to-trinh", _("Tờ trình đề nghị khen thưởng"), "to-trinh"),
            "bien_ban": (
                "bien-ban",
                _("Biên bản họp Hội đồng Thi đua - Khen thưởng"),
                "bien-ban-hop-hoi-dong",
            ),
            "quyet_dinh": (
                "quyet-dinh",
                _("Quyết định khen thưởng %(number)s") % {"number": number},
                "quyet-dinh",
            ),
        }
        if kind in whole:
            key, title, part = whole[kind]
            specs.append(DocumentSpec(kind, key, title, folder, _stem(number, part), None))
        else:
            for p in lines:
                name = p.person.full_name if p.person_id else p.agency.name
                who = f"{name} ({p.agency.name})" if p.person_id else name
                slug = ascii_slug(name) + (f"_{ascii_slug(p.agency.name)}" if p.person_id else "")
                if kind == "bao_cao":
                    title = _("Báo cáo thành tích – %(name)s") % {"name": who}
                    specs.append(DocumentSpec(kind, f"bao-cao-{p.pk}", title, folder,
                                              _stem(number, "bao-cao-thanh-tich", slug), p.pk))  # fmt: skip
                else:
                    title = _("%(award)s – %(name)s") % {"award": award, "name": who}
                    specs.append(DocumentSpec(kind, f"giay-khen-{p.pk}", title, folder,
                                              _stem(number, ascii_slug(award), slug), p.pk))  # fmt: skip
    # two awardees of the same name in the same unit (or cut to the same length) keep apart in the ZIP
    seen = Counter((s.folder, s.filename) for s in specs)
    return [
        replace(s, filename=f"{s.filename}_{s.proposal_id}") if seen[(s.folder, s.filename)] > 1 else s
        for s in specs
    ]


def _awardees(decision: AwardDecision) -> list:
    return [line.proposal for line in ordered_lines(decision)]


#: Each kind's builder: the decision (or its id) and the spec in, the ``layout.Document`` out.
BUILDERS = {
    "to_trinh": lambda decision, spec: to_trinh(decision),
    "bien_ban": lambda decision, spec: bien_ban(decision),
    "bao_cao": lambda decision, spec: bao_cao(decision, spec.proposal_id),
    "quyet_dinh": lambda decision, spec: quyet_dinh(decision),
    "giay_khen": lambda decision, spec: giay_khen(decision, spec.proposal_id),
}


def _content(decision: AwardDecision, spec: DocumentSpec) -> Document:
    if spec.kind not in DOCUMENT_KINDS:
        raise DossierError(_("Loại văn bản không có trong hồ sơ: %(kinds)s.") % {"kinds": spec.kind})
    return BUILDERS[spec.kind](decision, spec)


def build(decision: AwardDecision, spec: DocumentSpec) -> Document:
    """The content of one document (``layout.Document``), in Vietnamese whatever the reader's
    language: the documents are official Vietnamese texts (Nghị định 30/2020/NĐ-CP)."""
    with translation.override("vi"):
        return _content(decision, spec)


def render_pdf(decision: AwardDecision, spec: DocumentSpec) -> bytes:
    from ..pdf import pdf_bytes

    with translation.override("vi"):
        return pdf_bytes(_content(decision, spec))


def render_docx(decision: AwardDecision, spec: DocumentSpec) -> bytes:
    from ..docx import docx_bytes

    with translation.override("vi"):
        return docx_bytes(_content(decision, spec))


__all__ = [
    "DOCUMENT_KINDS",
    "DocumentSpec",
    "DossierError",
    "build",
    "plan_documents",
    "render_docx",
    "render_pdf",
]
