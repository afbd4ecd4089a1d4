"""One PAdES signature on a PDF with pyHanko, in the appearances Nghị định 30/2020/NĐ-CP (Phụ lục I)
gives an electronic document:

- the signer's signature image in the signature block (``image``);
- the issuing body's seal image over the left third of it (``image``, placed by the caller);
- for an attachment (văn bản kèm theo) and a certificate: no image, the body's signature marked at the top
  right of the first page with the document's number and the signing time (``marking``, Times New Roman
  metrics, 10 pt, upright, black).

PAdES level: B-LT (a time-stamp from ``SIGNING_TSA_URL`` and the validation data, certificates and
revocation information, embedded) where a time-stamp authority is configured; B-B otherwise. Each
signature is an incremental update, so an earlier one stays valid and a byte changed afterwards is
detected.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from ..models import SigningKey
from .backends import backend_for

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "liberation-serif" / "LiberationSerif-Regular.ttf"
MARKING_SIZE = (190.0, 30.0)  # points: two lines of 10 pt at the top right


@dataclass(frozen=True)
class Box:
    """A signature's rectangle: the page (0-based) and its corners in PDF points, origin bottom left."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def rect(self) -> tuple[int, int, int, int]:
        return round(self.x1), round(self.y1), round(self.x2), round(self.y2)


def level() -> str:
    """The PAdES level the configuration allows: "B-LT" with a time-stamp authority, else "B-B"."""
    return "B-LT" if getattr(settings, "SIGNING_TSA_URL", "") else "B-B"


def signing_time(now: dt.datetime | None = None) -> dt.datetime:
    return (now or dt.datetime.now(dt.UTC)).astimezone(VN_TZ).replace(microsecond=0)


def iso_time(moment: dt.datetime) -> str:
    """ISO 8601 with Vietnam's offset, as Phụ lục I asks: 2023-01-25T10:15:30+07:00."""
    return moment.astimezone(VN_TZ).replace(microsecond=0).isoformat()


def _validation_context():
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko_certvalidator import ValidationContext

    roots = getattr(settings, "SIGNING_TRUST_ROOTS", "")
    return ValidationContext(
        trust_roots=list(load_certs_from_pemder([roots])) if roots else None, allow_fetching=True
    )


def _text_page(text: str, size: tuple[float, float]) -> bytes:
    """A one-page PDF of ``size`` points holding ``text`` right-aligned in Liberation Serif 10 pt (Times New
    Roman metrics), drawn by WeasyPrint: the marking's words with every Vietnamese letter, as vector text."""
    from django.utils.html import escape
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(
        string=(
            f'@font-face {{ font-family: "Marking Serif"; src: url("{FONT.as_uri()}"); }}'
            f"@page {{ size: {size[0]}pt {size[1]}pt; margin: 0; }}"
            'body { margin: 0; font: 10pt/12pt "Marking Serif"; color: #000; text-align: right; }'
        ),
        font_config=fonts,
    )
    html = "".join(f"<div>{escape(line)}</div>" for line in text.splitlines())
    return HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)


def _style(image: bytes | None, text: str, size: tuple[float, float], scratch: list[str]):
    """The stamp: the image (PNG), or the text as a small vector page (pyHanko imports a PDF page as the
    stamp's background; its own text engine spaces Vietnamese letters badly)."""
    import tempfile

    from pyhanko import stamp

    if image is not None:
        from PIL import Image
        from pyhanko.pdf_utils.images import PdfImage

        return stamp.StaticStampStyle(
            background=PdfImage(Image.open(io.BytesIO(image))), border_width=0, background_opacity=1.0
        )
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as fh:
        fh.write(_text_page(text, size))
    scratch.append(fh.name)
    return stamp.StaticStampStyle.from_pdf_file(fh.name, border_width=0, background_opacity=1.0)


def sign(
    pdf: bytes,
    key: SigningKey,
    *,
    field: str,
    box: Box,
    image: bytes | None = None,
    text: str = "",
    reason: str = "",
    location: str = "",
) -> bytes:
    """``pdf`` with one more signature by ``key`` in a new field ``field`` at ``box``, showing ``image``
    (PNG) or ``text``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    lt = level() == "B-LT"
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        reason=reason or None,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        embed_validation_info=lt,
        validation_context=_validation_context() if lt else None,
        use_pades_lta=False,
    )
    timestamper = timestamps.HTTPTimeStamper(settings.SIGNING_TSA_URL) if lt else None
    scratch: list[str] = []
    try:
        with backend_for(key).signer() as signer:
            pdf_signer = signers.PdfSigner(
                meta,
                signer=signer,
                timestamper=timestamper,
                stamp_style=_style(image, text, (box.x2 - box.x1, box.y2 - box.y1), scratch),
                new_field_spec=fields.SigFieldSpec(field, on_page=box.page, box=box.rect),
            )
            out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False))
    finally:
        for name in scratch:
            Path(name).unlink(missing_ok=True)
    return out.getvalue()
