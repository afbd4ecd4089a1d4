import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from registrations.uploads import evidence_upload_to, sniff, validate_evidence

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def ooxml(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.pdf", PDF_BYTES, "pdf"),
        ("a.PNG", PNG_BYTES, "png"),
        ("a.jpeg", JPG_BYTES, "jpg"),
        ("a.jpg", JPG_BYTES, "jpg"),
        ("a.docx", ooxml("word/"), "docx"),
        ("a.xlsx", ooxml("xl/"), "xlsx"),
    ],
)
def test_accepted_kinds(name, data, kind):
    assert validate_evidence(SimpleUploadedFile(name, data)).key == kind


def test_renamed_exe_refused():
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile("bao-cao.pdf", EXE_BYTES))
    assert exc.value.code == "bad_type"
    assert "không phải PDF, DOCX, XLSX, JPG hoặc PNG" in exc.value.messages[0]


def test_plain_zip_named_docx_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile("a.docx", buffer.getvalue()))
    assert exc.value.code == "bad_type"


def test_xlsx_named_docx_refused():
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile("a.docx", ooxml("xl/")))
    assert exc.value.code == "bad_extension"


def test_pdf_named_exe_refused():
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile("a.exe", PDF_BYTES))
    assert exc.value.code == "bad_extension"


def test_too_large_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile("a.pdf", PDF_BYTES + b"0" * 100))
    assert exc.value.code == "too_large"


def test_default_limit_is_20_mb(settings):
    assert settings.UPLOAD_MAX_BYTES == 20 * 1024 * 1024


def test_25_mb_refused_with_default_limit():
    data = PDF_BYTES + b"0" * (25 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile("big.pdf", data))
    assert exc.value.code == "too_large"


def test_empty_refused():
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile("a.pdf", b""))
    assert exc.value.code == "empty"


def test_sniff_rewinds():
    f = SimpleUploadedFile("a.docx", ooxml("word/"))
    assert sniff(f).key == "docx"
    assert f.tell() == 0


def test_storage_names_are_random_and_keep_extension():
    a = evidence_upload_to(None, "Báo cáo.PDF")
    b = evidence_upload_to(None, "Báo cáo.PDF")
    assert a != b
    assert a.startswith("evidence/") and a.endswith(".pdf")
    assert "Báo" not in a
    assert evidence_upload_to(None, "x.exe").endswith(".exe") is False


def zip_bomb(folder: str, unpacked: int) -> bytes:
    """An OOXML package whose one part is ``unpacked`` bytes of zeros (compresses about 1000 times)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(f"{folder}document.xml", "w", force_zip64=True) as part:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                part.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "folder"), [("bom.docx", "word/"), ("bom.xlsx", "xl/")])
def test_zip_bomb_refused(name, folder):
    """Issue 9, item 11: about 1 MB that unpacks to 1 GiB was stored and served."""
    data = zip_bomb(folder, 1024 * 1024 * 1024)
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile(name, data))
    assert exc.value.code == "unpacked_too_large"
    assert exc.value.messages[0].startswith(f"Tệp “{name}” khi giải nén lớn 1,0\xa0GB (gấp ")
    assert exc.value.messages[0].endswith(
        "lần tệp tải lên), vượt giới hạn an toàn. Hãy mở tệp bằng Word hoặc Excel, lưu lại rồi tải lên lại."
    )


def test_high_ratio_below_the_size_limit_refused_and_ordinary_documents_accepted(settings):
    # 50 MB of zeros: under the 200 MB limit but about 1000 times its packed size.
    with pytest.raises(ValidationError) as exc:
        validate_evidence(SimpleUploadedFile("a.xlsx", zip_bomb("xl/", 50 * 1024 * 1024)))
    assert exc.value.code == "unpacked_too_large"
    # A small document compresses well yet is far from any limit.
    assert validate_evidence(SimpleUploadedFile("a.docx", zip_bomb("word/", 2 * 1024 * 1024))).key == "docx"
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    with pytest.raises(ValidationError):
        validate_evidence(SimpleUploadedFile("a.docx", zip_bomb("word/", 2 * 1024 * 1024)))
