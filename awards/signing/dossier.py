"""The signing step of a dossier job (``awards.dossier.jobs``): each document is rendered and signed as
Nghị định 30/2020/NĐ-CP Phụ lục I places the signatures.

- **Quyết định**: the leadership who approved it signs first, their signature image in the signature
  block (between the title and the name); then the issuing body's seal, its image over the left third of
  the signer's image.
- **Every other document** (the certificates, the tờ trình, biên bản and reports the decision rests on):
  the issuing body's seal without an image, marked at the top right of the first page with the decision's
  number and the signing time (ISO 8601, Vietnam's offset).

A document signed once is never rendered again: a signed job's documents are claimed once, and a new
signing of the same decision is a new job (a new version), the earlier files kept.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import translation

from ..dossier import documents
from ..dossier.documents import DocumentSpec
from ..dossier.pdf import pdf_with_anchors
from ..models import AwardDecision, SigningKey
from . import keys, pades
from .pades import Box

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
RIGHT_MARGIN = 15 * MM  # Nghị định 30/2020: right margin 15-20 mm
SEAL_DIAMETER = 34 * MM  # a body's seal is printed at its real size (35-42 mm): slightly under
SIGNATURE_HEIGHT = 20 * MM
LEADER_FIELD, SEAL_FIELD = "ChuKyNguoiKy", "ChuKyCoQuan"


def required_keys(decision: AwardDecision, kinds) -> list[SigningKey]:
    """The certificates a signed job of ``kinds`` needs, checked now (missing, expired: refused with the
    message that says what to do)."""
    needed = [keys.body_key(decision.issuer)]
    if "quyet_dinh" in kinds:
        needed.insert(0, keys.leader_key(decision))
    return needed


def _image(key: SigningKey) -> bytes | None:
    if not key.image:
        return None
    with key.image.open("rb") as fh:
        return fh.read()


def _space(anchors: dict, name: str) -> Box:
    """The blank space of a signature block (``_signature.html``), between the title and the name."""
    try:
        page, x1, y1, x2, y2 = anchors[name]
    except KeyError as exc:
        raise LookupError(f"signature block {name} not found in the rendered document") from exc
    return Box(page, x1, y1, x2, y2)


def _fit(space: Box, image: bytes | None) -> Box:
    """The signature image's box, centred in the space, at most SIGNATURE_HEIGHT high."""
    width_ratio = 2.5
    if image is not None:
        from PIL import Image

        w, h = Image.open(io.BytesIO(image)).size
        width_ratio = w / h if h else width_ratio
    height = min(SIGNATURE_HEIGHT, space.y2 - space.y1)
    width = min(height * width_ratio, (space.x2 - space.x1) * 0.8)
    height = width / width_ratio
    cx, cy = (space.x1 + space.x2) / 2, (space.y1 + space.y2) / 2
    return Box(space.page, cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def seal_box(signature: Box) -> Box:
    """The seal over the left third of the signature image (Phụ lục I): its right edge a third of the way
    into the image, centred on it vertically."""
    right = signature.x1 + (signature.x2 - signature.x1) / 3
    cy = (signature.y1 + signature.y2) / 2
    r = SEAL_DIAMETER / 2
    return Box(signature.page, right - SEAL_DIAMETER, cy - r, right, cy + r)


def marking_box(landscape: bool) -> Box:
    """The top right of the first page, inside the top margin."""
    width, height = (A4[1], A4[0]) if landscape else A4
    w, h = pades.MARKING_SIZE
    return Box(0, width - RIGHT_MARGIN - w, height - 4 * MM - h, width - RIGHT_MARGIN, height - 4 * MM)


def sign_document(decision: AwardDecision, spec: DocumentSpec, *, now: dt.datetime | None = None) -> bytes:
    """One document of ``decision`` rendered and signed (the PDF bytes)."""
    seal = keys.body_key(decision.issuer, now)
    leader = keys.leader_key(decision, now) if spec.kind == "quyet_dinh" else None
    with translation.override("vi"):
        document = documents.build(decision, spec)
        pdf, anchors = pdf_with_anchors(document)
    place = decision.issuer.name
    if leader is not None:
        image = _image(leader)
        signature = _fit(_space(anchors, "sign-right"), image)
        moment = pades.signing_time(now)
        pdf = pades.sign(
            pdf, leader, field=LEADER_FIELD, box=signature, image=image,
            text=f"{leader.subject_name}\n{pades.iso_time(moment)}",
            reason=f"Ký ban hành Quyết định số {decision.number}", location=place,
        )  # fmt: skip
        seal_image = _image(seal)
        moment = pades.signing_time(now)
        return pades.sign(
            pdf, seal, field=SEAL_FIELD, box=seal_box(signature), image=seal_image,
            text=f"{decision.issuer.name}\n{pades.iso_time(moment)}",
            reason=f"Chữ ký số của {decision.issuer.name}", location=place,
        )  # fmt: skip
    moment = pades.signing_time(now)
    return pades.sign(
        pdf, seal, field=SEAL_FIELD, box=marking_box(document.landscape),
        text=f"{decision.number}\n{pades.iso_time(moment)}",
        reason=f"Văn bản kèm theo Quyết định số {decision.number}", location=place,
    )  # fmt: skip
