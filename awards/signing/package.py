"""The electronic dossier (hồ sơ điện tử), the package a document-management system receives (Nghị định
152/2025/NĐ-CP Điều 33.12: one PDF of the whole dossier, the tờ trình and the list in Word):

```
<root>/ho-so.pdf                 every document in dossier order, one bookmark each (grouped by kind),
                                 signed by the body (marked at the top right of page 1)
<root>/to-trinh.docx             the tờ trình in Word, and to-trinh.docx.p7s: its detached CAdES signature
<root>/danh-sach.docx            the list in Word, and danh-sach.docx.p7s
<root>/manifest.csv              each file with its size and SHA-256, and manifest.csv.p7s
```

``build_package`` knows nothing of decisions: it takes the parts (titles, groups, PDF bytes), the Word
files, a reference (the number the marking shows) and the body's certificate. ``decision_package``
builds a decision's from a signed dossier job; a nomination sent up builds its own from its documents the
same way (docs/documents.md).

In the whole-dossier PDF the documents' own signatures cannot stay valid (a signature covers one file's
bytes): their appearances (the signer's image, the seal) are kept as drawn marks and the fields removed;
the files signed one by one are in the dossier's ZIP, and the package as a whole is signed by the body.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.utils import translation

from common.spreadsheets import csv_bytes

from ..models import SigningKey
from . import pades
from .backends import backend_for


@dataclass(frozen=True)
class Part:
    """One document of the whole-dossier PDF."""

    title: str
    group: str  # the bookmark it sits under ("Báo cáo thành tích"); "" for a top-level bookmark
    pdf: bytes


@dataclass(frozen=True)
class WordFile:
    name: str  # file name in the package, e.g. "to-trinh.docx"
    title: str
    data: bytes


def _flatten_signatures(writer, page) -> None:
    """Draws each signature widget's appearance into the page's content and removes the widget."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    annots = page.get("/Annots")
    if not annots:
        return
    kept, drawn = ArrayObject(), []
    for ref in annots.get_object():
        annot = ref.get_object()
        is_sig = annot.get("/FT") == "/Sig" or (
            "/Parent" in annot and annot["/Parent"].get_object().get("/FT") == "/Sig"
        )
        if not is_sig:
            kept.append(ref)
            continue
        ap = annot.get("/AP")
        normal = ap.get_object().get("/N") if ap else None
        rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
        if normal is None or rect[2] - rect[0] <= 0 or rect[3] - rect[1] <= 0:
            continue
        stream = normal.get_object()
        bbox = [float(v) for v in stream.get("/BBox", [0, 0, rect[2] - rect[0], rect[3] - rect[1]])]
        sx = (rect[2] - rect[0]) / ((bbox[2] - bbox[0]) or 1)
        sy = (rect[3] - rect[1]) / ((bbox[3] - bbox[1]) or 1)
        drawn.append((normal, sx, sy, rect[0] - bbox[0] * sx, rect[1] - bbox[1] * sy))
    if drawn:
        resources = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        xobjects = resources["/XObject"].get_object()
        ops = []
        for i, (normal, sx, sy, tx, ty) in enumerate(drawn):
            name = NameObject(f"/PortalSig{i}")
            xobjects[name] = normal
            ops.append(f"q {sx:.4f} 0 0 {sy:.4f} {tx:.2f} {ty:.2f} cm {name} Do Q")
        # the page's own content is wrapped in q/Q so its graphics state cannot shift the marks
        before, after = DecodedStreamObject(), DecodedStreamObject()
        before.set_data(b"q\n")
        after.set_data(("\nQ\n" + "\n".join(ops) + "\n").encode())
        contents = page.get("/Contents")
        original = contents.get_object() if contents is not None else []
        items = ArrayObject([writer._add_object(before)])
        items.extend(original if isinstance(original, list) else [contents])
        items.append(writer._add_object(after))
        page[NameObject("/Contents")] = items
    page[NameObject("/Annots")] = kept


def merge(parts: Iterable[Part]) -> bytes:
    """One PDF of ``parts`` in order, a bookmark for each (under its group's bookmark)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter()
    groups: dict[str, Any] = {}
    for part in parts:
        start = len(writer.pages)
        reader = PdfReader(io.BytesIO(part.pdf))
        for page in reader.pages:
            added = writer.add_page(page)
            _flatten_signatures(writer, added)
        parent = None
        if part.group:
            parent = groups.get(part.group)
            if parent is None:
                parent = groups[part.group] = writer.add_outline_item(title=part.group, page_number=start)
        writer.add_outline_item(title=part.title, page_number=start, parent=parent)
    if "/AcroForm" in writer._root_object:
        del writer._root_object[NameObject("/AcroForm")]
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def detached_signature(data: bytes, key: SigningKey) -> bytes:
    """A detached CMS (CAdES) signature of ``data`` by ``key``: the ``.p7s`` beside a Word file."""
    with backend_for(key).signer() as signer:
        info = asyncio.run(signer.async_sign_general_data(data, "sha256", detached=True, use_cades=True))
    return info.dump()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_package(
    *, root: str, reference: str, parts: Sequence[Part], word: Sequence[WordFile], seal: SigningKey
) -> bytes:
    """The package as a ZIP (layout in the module's docstring)."""
    from .dossier import marking_box

    merged = merge(parts)
    moment = pades.signing_time()
    signed = pades.sign(
        merged, seal, field="ChuKyCoQuan", box=marking_box(False),
        text=f"{reference}\n{pades.iso_time(moment)}", reason=f"Hồ sơ điện tử {reference}",
        location=seal.agency.name if seal.agency is not None else "",
    )  # fmt: skip
    files: list[tuple[str, str, bytes]] = [("ho-so.pdf", "Toàn bộ hồ sơ (PDF)", signed)]
    for item in word:
        files.append((item.name, item.title, item.data))
        files.append((f"{item.name}.p7s", f"Chữ ký số: {item.title}", detached_signature(item.data, seal)))
    with translation.override("vi"):
        header = ["Tệp", "Văn bản", "Dung lượng (byte)", "SHA-256"]
    manifest = csv_bytes(header, [[name, title, len(data), sha256(data)] for name, title, data in files])
    files += [
        ("manifest.csv", "", manifest),
        ("manifest.csv.p7s", "", detached_signature(manifest, seal)),
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, _title, data in files:
            zf.writestr(f"{root}/{name}", data)
    return out.getvalue()


# --- a decision's package, from a signed dossier job ---------------------------------------------------


def list_document(decision):
    """The list (danh sách đề nghị) alone, as the tờ trình's annex lays it out."""
    from ..dossier import documents
    from ..dossier.layout import PageBreak

    spec = next(s for s in documents.plan_documents(decision, ["to_trinh"]))
    whole = documents.build(decision, spec)
    blocks = whole.blocks
    cut = next((i for i, b in enumerate(blocks) if isinstance(b, PageBreak)), -1)
    return spec, replace(
        whole,
        title="Danh sách đề nghị khen thưởng",
        header=None,
        doc_type="",
        subject=(),
        blocks=blocks[cut + 1 :],
    )


def decision_package(job) -> tuple[str, bytes]:
    """The electronic dossier of a signed job's decision: (file name, ZIP bytes)."""
    from ..dossier import documents
    from ..dossier.docx import docx_bytes
    from ..dossier.jobs import archive_name, kind_label
    from .keys import body_key

    decision = job.decision
    seal = body_key(decision.issuer)
    parts = []
    for doc in job.documents.filter(state="done").exclude(pdf="").order_by("position"):
        with doc.pdf.open("rb") as fh:
            data = fh.read()
        group = kind_label(doc.kind) if doc.kind in documents.PER_AWARDEE else ""
        parts.append(Part(doc.title, group, data))
    with translation.override("vi"):
        to_trinh_spec, listing = list_document(decision)
        word = [
            WordFile(
                "to-trinh.docx",
                "Tờ trình đề nghị khen thưởng",
                documents.render_docx(decision, to_trinh_spec),
            ),
            WordFile("danh-sach.docx", "Danh sách đề nghị khen thưởng", docx_bytes(listing)),
        ]
    root = f"{archive_name(job)}-dien-tu"
    return f"{root}.zip", build_package(
        root=root, reference=decision.number, parts=parts, word=word, seal=seal
    )
