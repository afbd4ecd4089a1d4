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
