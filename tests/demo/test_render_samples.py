"""`python manage.py render_samples DIR` on a fresh demo database: it runs the demo award cycle
(125/QĐ-UBND) through the services, then writes one PDF and one Word copy of each document."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document as WordDocument
from pypdf import PdfReader

from awards.models import AwardDecision

EXPECTED = [
    "1-to-trinh/125-QD-UBND_to-trinh",
    "2-bien-ban/125-QD-UBND_bien-ban-hop-hoi-dong",
    "3-bao-cao-thanh-tich/125-QD-UBND_bao-cao-thanh-tich_so-noi-vu",
    "3-bao-cao-thanh-tich/125-QD-UBND_bao-cao-thanh-tich_phan-van-long_so-noi-vu",
    "4-quyet-dinh/125-QD-UBND_quyet-dinh",
    "5-giay-khen/125-QD-UBND_giay-khen_so-noi-vu",
]


@pytest.mark.django_db
def test_render_samples_on_a_fresh_demo_database(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    assert not AwardDecision.objects.exists()
    out = io.StringIO()
    call_command("render_samples", str(tmp_path), stdout=out)
    decision = AwardDecision.objects.get()
    assert (decision.number, decision.total) == ("125/QĐ-UBND", 9387000)
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == sorted(f"{stem}{suffix}" for stem in EXPECTED for suffix in (".pdf", ".docx"))
    assert "12 tệp của quyết định 125/QĐ-UBND" in out.getvalue()
    for stem in EXPECTED:
        reader = PdfReader(tmp_path / f"{stem}.pdf")
        box = reader.pages[0].mediabox
        landscape = stem.startswith("5-")
        assert (float(box.width) > float(box.height)) is landscape
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in " ".join(
            text.split()
        )
        word = WordDocument(tmp_path / f"{stem}.docx")
        assert round(word.sections[0].page_width.mm) == (297 if landscape else 210)
    quyet_dinh = " ".join(
        " ".join(p.extract_text() for p in PdfReader(tmp_path / f"{EXPECTED[4]}.pdf").pages).split()
    )
    assert "Số: 125/QĐ-UBND" in quyet_dinh and "9.387.000" in quyet_dinh and "Phan Văn Mãi" in quyet_dinh

    # again: the existing decision is used, no second cycle
    call_command("render_samples", str(tmp_path / "again"), stdout=io.StringIO())
    assert AwardDecision.objects.count() == 1


@pytest.mark.django_db
def test_render_samples_without_demo_data_says_what_to_do(tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("render_samples", str(tmp_path), stdout=io.StringIO())
    assert "chạy `python manage.py load_demo` trước" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("render_samples", str(tmp_path), "--decision", "9/QĐ-UBND", stdout=io.StringIO())
    assert str(exc.value) == "Không có quyết định khen thưởng số 9/QĐ-UBND."
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_render_samples_signed_with_the_demo_certificate(tmp_path, settings, client):
    """Acceptance (issue 22): the signed samples pass pdfsig, the Giấy khen's QR code decodes (zbar) to the
    verification URL, which answers 200 with the awardee's name."""
    import subprocess
    from urllib.parse import urlsplit

    from tests.awards.signing_setup import need, pdfsig

    need("pdftoppm")
    need("zbarimg")
    settings.SIGNING_ALLOW_DEMO = True
    settings.PORTAL_BASE_URL = "https://thidua.example.gov.vn"
    loaded = io.StringIO()
    call_command("load_demo", stdout=loaded)
    assert "Chứng thư số thử nghiệm: Trần Thị Hồng – THỬ NGHIỆM, Ủy ban nhân dân Thành phố Hồ Chí Minh" in (
        loaded.getvalue()
    )
    call_command("render_samples", str(tmp_path / "ky-so"), "--signed", stdout=io.StringIO())
    for stem in EXPECTED:
        report = pdfsig((tmp_path / "ky-so" / f"{stem}.pdf").read_bytes(), tmp_path)
        signatures = 2 if stem.startswith("4-") else 1
        assert report.count("Signature Validation: Signature is Valid.") == signatures, stem
        assert "Signer Certificate Common Name: Ủy ban nhân dân Thành phố Hồ Chí Minh" in report
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "ky-so" / f"{EXPECTED[5]}.pdf"),
         str(tmp_path / "giay-khen")],
        check=True,
    )  # fmt: skip
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "giay-khen.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded.startswith("https://thidua.example.gov.vn/awards/verify/")
    from django.core.cache import cache

    cache.clear()  # the verification page's rate limit counts in the shared cache
    page = client.get(urlsplit(decoded).path)
    assert page.status_code == 200
    assert "Sở Nội vụ" in page.content.decode() and "Khen thưởng có hiệu lực" in page.content.decode()
