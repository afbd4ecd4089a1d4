"""Evidence files (tệp minh chứng): what may be uploaded and where it is kept.

Only PDF, DOCX, XLSX, JPG and PNG are accepted, recognised by their content (magic bytes; for
DOCX and XLSX the zip structure with ``[Content_Types].xml`` and ``word/`` or ``xl/``), not by the
name the user gave the file: an executable renamed to ``.pdf`` is refused. The size limit is
``settings.UPLOAD_MAX_BYTES`` (20 MB by default); a DOCX or XLSX (a zip) is also refused when its
parts would unpack to more than ``settings.UPLOAD_MAX_UNPACKED_BYTES`` (200 MB) or expand too many
times over (a zip bomb: 1 MB that unpacks to 1 GiB), judged from the zip's directory without
unpacking anything. Files are stored under MEDIA_ROOT with random,
non-guessable names and are served only through a permission-checked view (``MEDIA_URL`` is None).
"""

from __future__ import annotations

import secrets
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.errors import PortalError


@dataclass(frozen=True)
class FileKind:
    key: str
    extensions: tuple[str, ...]
    content_type: str


PDF = FileKind("pdf", (".pdf",), "application/pdf")
DOCX = FileKind("docx", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("xlsx", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
JPEG = FileKind("jpg", (".jpg", ".jpeg"), "image/jpeg")
PNG = FileKind("png", (".png",), "image/png")
KINDS = {k.key: k for k in (PDF, DOCX, XLSX, JPEG, PNG)}
ACCEPT_ATTR = ",".join(ext for k in KINDS.values() for ext in k.extensions)


def _is_zip_office(upload: IO[bytes], folder: str) -> bool:
    """An OOXML package: a zip with [Content_Types].xml and the part folder (word/ or xl/)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def sniff(upload: IO[bytes]) -> FileKind | None:
    """The kind of file by its content, or None when it is none of the accepted kinds."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        if _is_zip_office(upload, "word/"):
            return DOCX
        if _is_zip_office(upload, "xl/"):
            return XLSX
    return None


# A real Office document compresses its XML perhaps 10 to 50 times; above this ratio (once the
# parts pass MIN_RATIO_CHECK_BYTES) the file is built to expand, not to be read.
MAX_COMPRESSION_RATIO = 100
MIN_RATIO_CHECK_BYTES = 10 * 1024 * 1024
MAX_PARTS = 10_000


def check_unpacked_size(upload) -> None:
    """Refuse an OOXML package whose parts unpack too large or expand too many times over."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        parts = None
    finally:
        upload.seek(0)
    if parts is None:
        return
    unpacked = sum(p.file_size for p in parts)
    ratio = unpacked / max(upload.size or 1, 1)
    if (
        len(parts) > MAX_PARTS
        or unpacked > settings.UPLOAD_MAX_UNPACKED_BYTES
        or (unpacked > MIN_RATIO_CHECK_BYTES and ratio > MAX_COMPRESSION_RATIO)
    ):
        raise PortalError(
            _(
                "Tệp “%(name)s” khi giải nén lớn %(size)s (gấp %(ratio)s lần tệp tải lên), vượt giới hạn an "
                "toàn. Hãy mở tệp bằng Word hoặc Excel, lưu lại rồi tải lên lại."
            )
            % {
                "name": upload.name,
                "size": filesizeformat(unpacked),
                "ratio": number_format(int(ratio), force_grouping=True),
            },
            code="unpacked_too_large",
        )


def max_megabytes() -> str:
    """``settings.UPLOAD_MAX_BYTES`` in MB (1 MB = 1024 × 1024 bytes), decimal comma: "20", "2,5"."""
    megabytes = Decimal(settings.UPLOAD_MAX_BYTES) / (1024 * 1024)
    return number_format(megabytes.quantize(Decimal("0.1")).normalize())


def upload_help_text() -> str:
    """What may be uploaded, for the help text under every evidence file input."""
    return _("PDF, DOCX, XLSX, JPG, PNG; tối đa %(size)s MB") % {"size": max_megabytes()}


def validate_evidence(upload) -> FileKind:
    """Check an uploaded file; raise ``PortalError`` with a Vietnamese message when refused."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise PortalError(
            _("Tệp “%(name)s” lớn %(size)s, vượt quá giới hạn %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if not upload.size:
        raise PortalError(_("Tệp “%(name)s” trống.") % {"name": upload.name}, code="empty")
    kind = sniff(upload)
    if kind is None:
        raise PortalError(
            _("Tệp “%(name)s” không phải PDF, DOCX, XLSX, JPG hoặc PNG (kiểm tra theo nội dung tệp).")
            % {"name": upload.name},
            code="bad_type",
        )
    if kind in (DOCX, XLSX):
        check_unpacked_size(upload)
    name = (upload.name or "").lower()
    if not name.endswith(kind.extensions):
        raise PortalError(
            _("Tệp “%(name)s” có nội dung %(kind)s nhưng phần mở rộng không khớp; hãy đặt đúng phần mở rộng.")
            % {"name": upload.name, "kind": kind.key.upper()},
            code="bad_extension",
        )
    return kind


def evidence_upload_to(instance, filename: str) -> str:
    """A random, non-guessable storage name; the original name is kept in the database only."""
    ext = ""
    lowered = filename.lower()
    for kind in KINDS.values():
        for candidate in kind.extensions:
            if lowered.endswith(candidate):
                ext = candidate
    return f"evidence/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}{ext}"
