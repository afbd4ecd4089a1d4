"""The documents of an award dossier read back from the PDF (pypdf) and the Word copy (python-docx):
the facts each must carry, the ND 30/2020 frame (A4, margins, page numbers), the one embedded font
family, every Vietnamese letter, and a fixed number of queries per document."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from awards.domain import decision as decisions
from awards.dossier import wording
from awards.dossier.documents import (
    DOCUMENT_KINDS,
    DocumentSpec,
    build,
    plan_documents,
    render_docx,
    render_pdf,
)
from awards.dossier.documents.bao_cao import past_awards
from awards.dossier.wording import amount_in_words, ascii_slug, date_line
from awards.errors import DossierError
from awards.models import ListState, ProposalList
from tests.awards.dossier_data import ALL_LETTERS, DEPUTY_NAME, HEAD_NAME, Dossier

MM = 72 / 25.4
A4 = (595.28, 841.89)
TOP, BOTTOM, LEFT, RIGHT = 20 * MM, 20 * MM, 30 * MM, 15 * MM


@pytest.fixture
def dossier(db):
    return Dossier()


def spec_of(dossier, key: str) -> DocumentSpec:
    return next(s for s in plan_documents(dossier.decision) if s.key == key)


def key_of(dossier, kind: str, name: str) -> str:
    """The key of the report or certificate of ``name`` (a person's or a collective's)."""
    line = next(
        line for line in dossier.decision.lines.select_related("proposal__agency", "proposal__person")
        if line.proposal.name == name
    )  # fmt: skip
    return f"{'bao-cao' if kind == 'bao_cao' else 'giay-khen'}-{line.proposal_id}"


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def positions(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of every piece of text drawn on ``page``, in PDF points from the bottom left."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def embedded_fonts(data: bytes) -> set[tuple[str, str]]:
    """(PDF font name without the subset prefix, family in the embedded font program's name table)."""
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            base = str(font["/BaseFont"]).split("+", 1)[-1]
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            program = descendant["/FontDescriptor"]["/FontFile2"].get_data()
            family = TTFont(io.BytesIO(program))["name"].getDebugName(1)
            fonts.add((base, family))
    return fonts


def docx_text(data: bytes) -> str:
    doc = WordDocument(io.BytesIO(data))
    paragraphs = doc.element.body.iter(qn("w:p"))
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs)


# The facts each document must carry (checked in the PDF and in the Word copy).
FACTS = {
    "to-trinh": [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "TỈNH HÀ NAM",
        "SỞ NỘI VỤ",
        "/TTr-SNV",
        "Hà Nam, ngày 10 tháng 01 năm 2028",
        "TỜ TRÌNH",
        "Kính gửi: Ủy ban nhân dân tỉnh Hà Nam.",
        "Căn cứ Kế hoạch số 1018/KH-UBND của Ủy ban nhân dân tỉnh Hà Nam",
        "tại phiên họp ngày 10/01/2028",
        "cho 2 tập thể và 2 cá nhân",
        "mỗi tập thể 0,60 lần mức lương cơ sở, 1.404.000 đồng",
        "mỗi cá nhân 0,30 lần mức lương cơ sở, 702.000 đồng",
        "Tổng số tiền thưởng: 4.212.000 đồng",
        "Nơi nhận:",
        "- Lưu: VT, SNV.",
        "GIÁM ĐỐC SỞ",
        HEAD_NAME,
        "DANH SÁCH ĐỀ NGHỊ TẶNG GIẤY KHEN",
        "Sở Nội vụ",
        "Sở Tư pháp",
        DEPUTY_NAME,
        "Phó Giám đốc Sở Nội vụ",
    ],
    "bien-ban": [
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "/BB-HĐTĐKT",
        "BIÊN BẢN",
        "Hà Nam, ngày 10 tháng 01 năm 2028",
        "Thời gian: ngày 10/01/2028.",
        "Địa điểm: Phòng họp số 2.",
        "Chủ trì: Hồ Minh Nhật.",
        "Thư ký: Mai Thị Phương.",
        "5 thành viên Hội đồng; có mặt 4, vắng mặt có ý kiến bằng văn bản 1, vắng mặt 0.",
        "Thành viên có mặt: Hồ Minh Nhật, Phạm Thị Lan, Võ Minh Quang, Đặng Thanh Tâm.",
        "Thành viên vắng mặt, có ý kiến bằng văn bản: Lê Thái Bình.",
        "đạt từ 4/5 tổng số thành viên",
        "I. KẾT QUẢ BIỂU QUYẾT",
        "- Sở Tư pháp (Khối so-nganh): được Hội đồng chọn.",
        "- Sở a3 (Khối so-nganh): không được Hội đồng chọn.",
        "Căn cứ quyết định của Hội đồng: Sở Tư pháp có nhiều sáng kiến hơn.",
        "tặng Giấy khen cho 2 tập thể và 2 cá nhân",
        "THƯ KÝ",
        "CHỦ TRÌ",
    ],
    "quyet-dinh": [
        "Số: 125/QĐ-UBND",
        "Hà Nam, ngày 15 tháng 01 năm 2028",
        "QUYẾT ĐỊNH",
        "Về việc tặng Giấy khen cho các tập thể, cá nhân",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ NAM",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Nghị định số 152/2025/NĐ-CP",
        "QUYẾT ĐỊNH:",
        "Điều 1.",
        "cho 2 tập thể và 2 cá nhân (có danh sách kèm theo)",
        "Điều 2.",
        "(mức lương cơ sở 2.340.000 đồng/tháng)",
        "Tổng số tiền thưởng: 4.212.000 đồng",
        "bằng chữ: Bốn triệu hai trăm mười hai nghìn đồng",
        "Điều 3.",
        "- Như Điều 3;",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn A",
        "Phụ lục",
        "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN",
        "(Kèm theo Quyết định số 125/QĐ-UBND ngày 15/01/2028 của Ủy ban nhân dân tỉnh Hà Nam)",
        "1.404.000",
        "702.000",
        "Tổng cộng",
        "4.212.000",
        HEAD_NAME,
        DEPUTY_NAME,
        "Sở Tư pháp",
    ],
}


def test_plan_lists_every_document_in_dossier_order_with_ascii_names(dossier):
    specs = plan_documents(dossier.decision)
    head, deputy = (key_of(dossier, "bao_cao", n).split("-")[-1] for n in (HEAD_NAME, DEPUTY_NAME))
    a1, a2 = (key_of(dossier, "bao_cao", n).split("-")[-1] for n in ("Sở Nội vụ", "Sở Tư pháp"))
    assert [(s.kind, s.key, s.folder, s.filename, s.proposal_id) for s in specs] == [
        ("to_trinh", "to-trinh", "1-to-trinh", "125-QD-UBND_to-trinh", None),
        ("bien_ban", "bien-ban", "2-bien-ban", "125-QD-UBND_bien-ban-hop-hoi-dong", None),
        ("bao_cao", f"bao-cao-{a1}", "3-bao-cao-thanh-tich", "125-QD-UBND_bao-cao-thanh-tich_so-noi-vu",
         int(a1)),
        ("bao_cao", f"bao-cao-{a2}", "3-bao-cao-thanh-tich", "125-QD-UBND_bao-cao-thanh-tich_so-tu-phap",
         int(a2)),
        ("bao_cao", f"bao-cao-{head}", "3-bao-cao-thanh-tich",
         "125-QD-UBND_bao-cao-thanh-tich_huynh-thi-ngoc-an_so-noi-vu", int(head)),
        ("bao_cao", f"bao-cao-{deputy}", "3-bao-cao-thanh-tich",
         "125-QD-UBND_bao-cao-thanh-tich_do-van-uoc_so-noi-vu", int(deputy)),
        ("quyet_dinh", "quyet-dinh", "4-quyet-dinh", "125-QD-UBND_quyet-dinh", None),
        ("giay_khen", f"giay-khen-{a1}", "5-giay-khen", "125-QD-UBND_giay-khen_so-noi-vu", int(a1)),
        ("giay_khen", f"giay-khen-{a2}", "5-giay-khen", "125-QD-UBND_giay-khen_so-tu-phap", int(a2)),
        ("giay_khen", f"giay-khen-{head}", "5-giay-khen", "125-QD-UBND_giay-khen_huynh-thi-ngoc-an_so-noi-vu",
         int(head)),
        ("giay_khen", f"giay-khen-{deputy}", "5-giay-khen", "125-QD-UBND_giay-khen_do-van-uoc_so-noi-vu",
         int(deputy)),
    ]  # fmt: skip
    assert [s.title for s in specs if s.kind in ("bao_cao", "giay_khen")] == [
        "Báo cáo thành tích – Sở Nội vụ", "Báo cáo thành tích – Sở Tư pháp",
        f"Báo cáo thành tích – {HEAD_NAME} (Sở Nội vụ)", f"Báo cáo thành tích – {DEPUTY_NAME} (Sở Nội vụ)",
        "Giấy khen – Sở Nội vụ", "Giấy khen – Sở Tư pháp", f"Giấy khen – {HEAD_NAME} (Sở Nội vụ)",
        f"Giấy khen – {DEPUTY_NAME} (Sở Nội vụ)",
    ]  # fmt: skip
    assert [s.title for s in specs[:2]] == [
        "Tờ trình đề nghị khen thưởng",
        "Biên bản họp Hội đồng Thi đua - Khen thưởng",
    ]
    assert all(s.filename.isascii() and s.folder.isascii() and s.key.isascii() for s in specs)
    assert [s.kind for s in plan_documents(dossier.decision, kinds=["giay_khen", "to_trinh"])] == [
        "to_trinh", "giay_khen", "giay_khen", "giay_khen", "giay_khen",
    ]  # fmt: skip
    with pytest.raises(DossierError):
        plan_documents(dossier.decision, kinds=["bang_khen"])


def test_whole_list_documents_carry_their_facts_in_pdf_and_word(dossier):
    for key in ["to-trinh", "bien-ban", "quyet-dinh"]:
        spec = spec_of(dossier, key)
        pdf = flat(pdf_text(render_pdf(dossier.decision, spec)))
        word = flat(docx_text(render_docx(dossier.decision, spec)))
        for fact in FACTS[key]:
            assert fact in pdf, (key, fact)
            assert fact in word, (key, fact)


def test_pdf_and_word_say_the_same(dossier):
    """Every line of each document's content is in both copies."""
    for spec in plan_documents(dossier.decision):
        pdf = flat(pdf_text(render_pdf(dossier.decision, spec)))
        word = flat(docx_text(render_docx(dossier.decision, spec)))
        for line in build(dossier.decision, spec).text().splitlines():
            assert flat(line) in pdf, (spec.key, line)
            assert flat(line) in word, (spec.key, line)


def test_minutes_give_each_candidates_votes(dossier):
    text = flat(pdf_text(render_pdf(dossier.decision, spec_of(dossier, "bien-ban"))))
    # STT, name, unit, agree, disagree, abstain, share of all members, result
    assert "1 Sở Nội vụ Khối so-nganh 4 0 1 80,00 Thông qua" in text
    assert f"2 {HEAD_NAME} Giám đốc Sở Nội vụ 5 0 0 100,00 Thông qua" in text
    assert "Thông qua, không được chọn (bằng điểm)" in text


def test_individual_report_has_the_three_sections_from_the_directory_registration_and_past_awards(dossier):
    spec = spec_of(dossier, key_of(dossier, "bao_cao", HEAD_NAME))
    pdf_bytes = render_pdf(dossier.decision, spec)
    for text in (flat(pdf_text(pdf_bytes)), flat(docx_text(render_docx(dossier.decision, spec)))):
        for fact in [
            "BÁO CÁO THÀNH TÍCH", "ĐỀ NGHỊ TẶNG GIẤY KHEN", "I. SƠ LƯỢC LÝ LỊCH", f"- Họ và tên: {HEAD_NAME}",
            "- Giới tính: Nữ", "- Sinh ngày, tháng, năm: 03/02/1975", "- Chức vụ: Giám đốc Sở",
            "- Đơn vị công tác: Sở Nội vụ, Ủy ban nhân dân tỉnh Hà Nam", "II. THÀNH TÍCH ĐẠT ĐƯỢC",
            "Chỉ số CCHC năm 2027: 95,00 điểm", "- Đăng ký thi đua: gửi ngày 10/01/2027.",
            "- Danh hiệu, hình thức đăng ký: Chiến sĩ thi đua cơ sở",
            "5 phiếu tán thành, 0 không tán thành, 0 không biểu quyết",
            "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG",
            "Giấy khen sơ kết 90/QĐ-UBND ngày 20/12/2027",
            "NGƯỜI BÁO CÁO THÀNH TÍCH", "Hà Nam, ngày 10 tháng 11 năm 2027",
        ]:  # fmt: skip
            assert fact in text, fact
        # the initiative she wrote: every Vietnamese letter and tone round-trips
        assert flat(ALL_LETTERS) in text
        assert {c for c in ALL_LETTERS if not c.isspace()} <= set(text)


def test_collective_report_opens_with_the_units_features_and_gives_the_self_assessment(dossier):
    spec = spec_of(dossier, key_of(dossier, "bao_cao", "Sở Nội vụ"))
    for text in (
        flat(pdf_text(render_pdf(dossier.decision, spec))),
        flat(docx_text(render_docx(dossier.decision, spec))),
    ):
        for fact in [
            "I. ĐẶC ĐIỂM, TÌNH HÌNH", "- Tên đơn vị: Sở Nội vụ", "- Địa chỉ trụ sở: 1 Lê Lợi, Phủ Lý",
            f"- Người đứng đầu: {HEAD_NAME}, Giám đốc Sở", "- Khối thi đua: Khối so-nganh",
            "- Cam kết chung: Hoàn thành 100% chỉ tiêu cải cách hành chính.",
            "Cải cách thủ tục hành chính Không có hồ sơ trễ hạn",
            "1 Tỷ lệ hồ sơ giải quyết đúng hạn 10,00 8,50 98,5% đúng hạn",
            "4 phiếu tán thành, 0 không tán thành, 1 không biểu quyết",
            "90/QĐ-UBND ngày 20/12/2027", "THỦ TRƯỞNG ĐƠN VỊ",
        ]:  # fmt: skip
            assert fact in text, fact
        assert "I. SƠ LƯỢC LÝ LỊCH" not in text


def test_deputy_without_own_registration_shows_no_collective_assessment(dossier):
    spec = spec_of(dossier, key_of(dossier, "bao_cao", DEPUTY_NAME))
    text = flat(pdf_text(render_pdf(dossier.decision, spec)))
    assert "- Cấp phó phụ trách công tác cải cách hành chính." in text
    assert "Tự chấm" not in text and "8,50" not in text


def test_certificate_is_a4_landscape_with_the_decision_number_and_date(dossier):
    spec = spec_of(dossier, key_of(dossier, "giay_khen", HEAD_NAME))
    data = render_pdf(dossier.decision, spec)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == (A4[1], A4[0])
    assert min(x for x, _y, _t in positions(reader.pages[0])) > LEFT
    for text in (flat(pdf_text(data)), flat(docx_text(render_docx(dossier.decision, spec)))):
        for fact in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CHỦ TỊCH", "ỦY BAN NHÂN DÂN TỈNH HÀ NAM", "TẶNG",
            "GIẤY KHEN",
            HEAD_NAME, "Giám đốc Sở Nội vụ", "Quyết định số 125/QĐ-UBND ngày 15/01/2028",
            "Hà Nam, ngày 15 tháng 01 năm 2028", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A",
            "Đã có thành tích xuất sắc trong thực hiện kế hoạch thi đua cải cách hành chính năm 2027.",
        ]:  # fmt: skip
            assert fact in text, fact
    word = WordDocument(io.BytesIO(render_docx(dossier.decision, spec))).sections[0]
    assert (round(word.page_width.mm), round(word.page_height.mm)) == (297, 210)


def test_pdf_frame_is_a4_with_the_nd30_margins_and_page_numbers_from_page_two(dossier):
    data = render_pdf(dossier.decision, spec_of(dossier, "quyet-dinh"))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4
    first = positions(reader.pages[0])
    # the left margin: justified lines start exactly 30 mm from the edge, nothing further left
    assert round(min(x for x, _y, _t in first), 1) == round(LEFT, 1)
    # the top margin: the heading's first line sits just under 20 mm from the top; no page number on page 1
    top = max(y for _x, y, _t in first)
    assert A4[1] - TOP - 14 < top < A4[1] - TOP
    # nothing in the bottom margin
    assert all(y >= BOTTOM for page in reader.pages for _x, y, _t in positions(page))
    # page 2: its number centred in the top margin between the left and right margins
    [(x, y, text)] = [p for p in positions(reader.pages[1]) if p[1] > A4[1] - TOP]
    assert text == "2"
    digit_width = 0.5 * 13  # "2" of Liberation Serif at 13 pt
    assert abs(x + digit_width / 2 - (LEFT + (A4[0] - RIGHT)) / 2) < 0.5


def five_keys(dossier) -> list[str]:
    """One document of each kind (the per-awardee ones of the head, whose name has diacritics)."""
    return ["to-trinh", "bien-ban", "quyet-dinh", key_of(dossier, "bao_cao", HEAD_NAME),
            key_of(dossier, "giay_khen", HEAD_NAME)]  # fmt: skip


def test_pdf_embeds_only_liberation_serif(dossier):
    used = set()
    for key in five_keys(dossier):
        fonts = embedded_fonts(render_pdf(dossier.decision, spec_of(dossier, key)))
        assert {family for _name, family in fonts} == {"Liberation Serif"}, key
        used |= {name for name, _family in fonts}
    # regular, bold, italic and bold italic of the vendored files (@font-face "Dossier Serif"), nothing else
    assert used == {
        "Dossier-Serif",
        "Dossier-Serif-Bold",
        "Dossier-Serif-Italic",
        "Dossier-Serif-Bold-Italic",
    }


def test_word_copy_has_the_nd30_page_setup(dossier):
    for key in five_keys(dossier):
        check_word_setup(dossier, key)


def check_word_setup(dossier, key: str) -> None:
    doc = WordDocument(io.BytesIO(render_docx(dossier.decision, spec_of(dossier, key))))
    section = doc.sections[0]
    size = (round(section.page_width.mm), round(section.page_height.mm))
    assert size == ((297, 210) if key.startswith("giay-khen") else (210, 297))
    margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                     section.right_margin)]  # fmt: skip
    assert margins == [20, 20, 30, 15]
    normal = doc.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 14)
    if not key.startswith("giay-khen"):
        # page number (a PAGE field) in the header, not on the first page
        assert section.different_first_page_header_footer is True
        assert "PAGE" in "".join(t.text for t in section.header._element.iter(qn("w:instrText")))
    if key in ("to-trinh", "bien-ban", "quyet-dinh"):
        # the annex / votes table repeats its header row on every page
        assert doc.element.body.findall(f".//{qn('w:tblHeader')}")


def test_query_count_per_document_is_fixed(dossier, django_assert_num_queries):
    expected = {
        "to-trinh": 4, "bien-ban": 3, "quyet-dinh": 3,
        key_of(dossier, "bao_cao", "Sở Nội vụ"): 15, key_of(dossier, "bao_cao", "Sở Tư pháp"): 11,
        key_of(dossier, "bao_cao", HEAD_NAME): 11, key_of(dossier, "bao_cao", DEPUTY_NAME): 10,
        key_of(dossier, "giay_khen", HEAD_NAME): 2,
    }  # fmt: skip
    specs = {s.key: s for s in plan_documents(dossier.decision)}
    for key, count in expected.items():
        with django_assert_num_queries(count):
            render_pdf(dossier.decision, specs[key])
        with django_assert_num_queries(count):
            render_docx(dossier.decision, specs[key])


def test_documents_refuse_an_unknown_awardee_and_an_unapproved_list(dossier):
    spec = DocumentSpec("giay_khen", "giay-khen-0", "Giấy khen", "5-giay-khen", "x", 0)
    with pytest.raises(DossierError):
        render_pdf(dossier.decision, spec)
    # a list that is not approved has no dossier (forced here: an approved list never goes back)
    quyet_dinh = spec_of(dossier, "quyet-dinh")
    ProposalList.objects.filter(pk=dossier.decision.proposal_list_id).update(state=ListState.VOTED)
    with pytest.raises(DossierError):
        render_pdf(dossier.decision, quyet_dinh)


def test_past_awards_come_from_the_register_before_a_date(dossier):
    assert [a["decision"] for a in past_awards(person=dossier.head, before=dt.date(2028, 6, 1))] == [
        "125/QĐ-UBND ngày 15/01/2028", "90/QĐ-UBND ngày 20/12/2027",
    ]  # fmt: skip
    assert [a["decision"] for a in past_awards(agency=dossier.a1, before=dossier.decision.decided_on)] == [
        "90/QĐ-UBND ngày 20/12/2027"
    ]
    decisions.amend_decision(
        dossier.decision, actor=dossier.leader, number="130/QĐ-UBND", decided_on=dt.date(2028, 2, 1),
        signer_capacity="TM.", signer_title="Chủ tịch", signer_name="Nguyễn Văn B", reason="Sửa chức vụ",
    )  # fmt: skip
    # A correction keeps the award as the original decision gave it (the register is history).
    assert [a["decision"] for a in past_awards(person=dossier.head, before=dt.date(2028, 6, 1))] == [
        "125/QĐ-UBND ngày 15/01/2028", "90/QĐ-UBND ngày 20/12/2027",
    ]  # fmt: skip
    assert past_awards() == []


def test_amending_decision_says_which_decision_it_replaces(dossier):
    amended = decisions.amend_decision(
        dossier.decision, actor=dossier.leader, number="130/QĐ-UBND", decided_on=dt.date(2028, 2, 1),
        signer_capacity="TM.", signer_title="Chủ tịch", signer_name="Nguyễn Văn B", reason="Sửa chức vụ",
    )  # fmt: skip
    [spec] = plan_documents(amended, kinds=["quyet_dinh"])
    assert spec.filename == "130-QD-UBND_quyet-dinh"
    text = flat(pdf_text(render_pdf(amended, spec)))
    assert "thay thế Quyết định số 125/QĐ-UBND ngày 15/01/2028 (lý do: Sửa chức vụ)" in text
    # TM.: the People's Committee decides and its chairman signs on its behalf
    assert "ỦY BAN NHÂN DÂN TỈNH HÀ NAM Căn cứ" in text and "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in text


def test_formats():
    assert amount_in_words(4212000) == "Bốn triệu hai trăm mười hai nghìn đồng"
    assert amount_in_words(1050000) == "Một triệu không trăm năm mươi nghìn đồng"
    assert amount_in_words(21) == "Hai mươi mốt đồng"
    assert amount_in_words(105) == "Một trăm linh năm đồng"
    assert amount_in_words(115000) == "Một trăm mười lăm nghìn đồng"
    assert amount_in_words(0) == "Không đồng"
    assert date_line("Hà Nam", dt.date(2028, 1, 5)) == "Hà Nam, ngày 05 tháng 01 năm 2028"
    assert date_line("Hà Nam", dt.date(2028, 3, 15)) == "Hà Nam, ngày 15 tháng 3 năm 2028"
    assert ascii_slug("Ủy ban nhân dân Quận 1") == "ubnd-quan-1"
    assert ascii_slug("Đặng Thị Ngọc Ẩn") == "dang-thi-ngoc-an"
    assert wording.abbreviation("Hội đồng Thi đua - Khen thưởng") == "HĐTĐKT"
    assert DOCUMENT_KINDS == ("to_trinh", "bien_ban", "bao_cao", "quyet_dinh", "giay_khen")


def test_two_awardees_of_the_same_name_and_unit_get_distinct_files(dossier):
    type(dossier.deputy).objects.filter(pk=dossier.deputy.pk).update(full_name=HEAD_NAME)
    specs = [s for s in plan_documents(dossier.decision) if s.kind == "giay_khen"]
    head, deputy = (int(key_of(dossier, "giay_khen", HEAD_NAME).split("-")[-1]), dossier_deputy_id(dossier))
    assert [s.filename for s in specs if s.proposal_id in (head, deputy)] == [
        f"125-QD-UBND_giay-khen_huynh-thi-ngoc-an_so-noi-vu_{head}",
        f"125-QD-UBND_giay-khen_huynh-thi-ngoc-an_so-noi-vu_{deputy}",
    ]
    assert len({(s.folder, s.filename) for s in plan_documents(dossier.decision)}) == 11


def dossier_deputy_id(dossier) -> int:
    return dossier.decision.lines.get(proposal__person=dossier.deputy).proposal_id


def test_word_copy_drops_characters_xml_cannot_hold():
    from awards.dossier.docx import docx_bytes
    from awards.dossier.layout import Document, para

    data = docx_bytes(Document(kind="bao_cao", title="t", blocks=(para("Sáng\x0bkiến\x01 số 1"),)))
    assert "Sángkiến số 1" in docx_text(data)


def test_position_and_unit_read_as_one_title():
    from awards.dossier.wording import position_in_unit

    assert position_in_unit("Giám đốc Sở", "Sở Nội vụ") == "Giám đốc Sở Nội vụ"
    assert position_in_unit("Chủ tịch UBND", "UBND phường Bình Tân") == "Chủ tịch UBND phường Bình Tân"
    assert position_in_unit("Chuyên viên", "Sở Nội vụ") == "Chuyên viên, Sở Nội vụ"
    assert position_in_unit("", "Sở Nội vụ") == "Sở Nội vụ"
