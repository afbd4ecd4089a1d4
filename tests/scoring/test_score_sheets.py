"""Score sheets (phiếu chấm điểm XLSX): download, fill offline, upload, preview, confirm."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind, Role
from scoring.models import CriterionScore, ReviewAssignment
from scoring.reviews import assign_reviewer, save_score
from scoring.sheet_upload import apply_score_sheet, read_score_sheet
from scoring.sheets import ScoreSheetError, build_score_sheet
from tests.factories import AgencyFactory, CriterionFactory, TargetGroupFactory, user_with_role

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Sheet:
    """A plan with 5 criteria (maxima 10, 10, 20, 5, 15), candidates assigned to one reviewer."""

    def __init__(self, plan, candidates=3):
        self.plan = plan
        self.campaign = plan.campaign
        self.group = TargetGroupFactory(campaign=self.campaign, code="tap-the", name="Sở, ban, ngành")
        self.criteria = [
            CriterionFactory(
                target_group=self.group, code=f"c{i}", text=f"Tiêu chí số {i}", max_points=Decimal(m)
            )
            for i, m in enumerate(["10", "10", "20", "5", "15"], 1)
        ]
        self.manager = user_with_role(Role.HOME_AFFAIRS, self.campaign.issuer, username="noivu-sheet")
        self.reviewer = user_with_role(Role.COUNCIL, self.campaign.issuer, username="hoidong-sheet")
        self.registrations = []
        self.assignments = []
        for n in range(candidates):
            self.add_candidate(n)

    def add_candidate(self, n):
        registration = self.plan.register(self.plan.agency(f"so-{n:03d}"))
        registration.target_group = self.group
        registration.save()
        self.registrations.append(registration)
        assignment = assign_reviewer(registration, self.reviewer, actor=self.manager)
        self.assignments.append(assignment)
        return assignment


@pytest.fixture
def sheet(plan):
    return Sheet(plan)


def download(sheet, reviewer=None):
    return openpyxl.load_workbook(io.BytesIO(build_score_sheet(sheet.campaign, reviewer or sheet.reviewer)))


def upload(workbook, name="phieu.xlsx"):
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


def fill(ws, values):
    """values: {row: [points per criterion]}; rows start at 3; a collective's criteria at column C
    (STT, hồ sơ: the agency is the candidate), a person's or an initiative's at D (then cơ quan)."""
    start = 4 if ws["C1"].value == "Cơ quan" else 3
    for row, points in values.items():
        for col, value in enumerate(points, start=start):
            ws.cell(row=row, column=col, value=value)


def test_sheet_layout(sheet):
    save_score(sheet.assignments[0], sheet.criteria[0], "7,5", "", None, actor=sheet.reviewer)
    wb = download(sheet)
    assert wb.sheetnames == ["Sở, ban, ngành", "Hướng dẫn"]
    ws = wb["Sở, ban, ngành"]
    header = [c.value for c in ws[1]]
    # A collective's candidate is its agency: no second "Cơ quan" column.
    assert header[:3] == ["STT", "Hồ sơ", "1. Tiêu chí số 1 (tối đa 10,00)"]
    assert header[6] == "5. Tiêu chí số 5 (tối đa 15,00)"
    assert header[7:] == ["Mã phân công (không sửa)", "Mã kiểm tra (không sửa)"]
    assert [c.value for c in ws[2]][1:7] == ["Điểm tối đa", 10, 10, 20, 5, 15]
    assert [ws.cell(row=r, column=2).value for r in (3, 4, 5)] == ["Sở so-000", "Sở so-001", "Sở so-002"]
    assert ws["C3"].value == 7.5 and ws["D3"].value is None
    assert ws["H3"].value == sheet.assignments[0].pk
    # Protected: names and maxima locked, score cells open, hidden id columns, 0..max validation.
    assert ws.protection.sheet is True
    assert ws["B3"].protection.locked is True and ws["C2"].protection.locked is True
    assert ws["C3"].protection.locked is False and ws["G5"].protection.locked is False
    assert ws.column_dimensions["H"].hidden and ws.column_dimensions["I"].hidden
    rules = {str(v.sqref): (v.type, v.formula1, v.formula2) for v in ws.data_validations.dataValidation}
    assert rules == {
        "C3:C5": ("decimal", "0", "10.00"),
        "D3:D5": ("decimal", "0", "10.00"),
        "E3:E5": ("decimal", "0", "20.00"),
        "F3:F5": ("decimal", "0", "5.00"),
        "G3:G5": ("decimal", "0", "15.00"),
    }
    # What people read uses the decimal comma, like the headers.
    messages = {str(v.sqref): v.error for v in ws.data_validations.dataValidation}
    assert messages["E3:E5"] == "Nhập một số từ 0 đến 20,00 (có thể có phần thập phân)."
    assert ws.freeze_panes == "C3"


def test_round_trip_saves_through_the_service_and_audits(sheet, client):
    wb = download(sheet)
    fill(wb.active, {3: [8, "9,5", 18, 4, 12], 4: [7, 6, 15.25, 5, 10], 5: [10, 10, 20, 5, "14.5"]})
    client.force_login(sheet.reviewer)
    url = reverse("scoring:score_sheet", args=[sheet.campaign.code])
    response = client.post(url, {"file": upload(wb)})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.change_count == 15 and preview.unchanged_rows == 0
    assert [(r.row, r.subject) for r in preview.rows] == [
        (3, "Sở so-000"),
        (4, "Sở so-001"),
        (5, "Sở so-002"),
    ]
    assert preview.rows[0].changes[1] == ("Tiêu chí số 2", "", "9,50")
    assert CriterionScore.objects.count() == 0  # nothing saved before confirming
    response = client.post(
        reverse("scoring:score_sheet_confirm", args=[sheet.campaign.code]),
        {"token": preview.token, "complete": "1"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Đã lưu 15 điểm của 3 hồ sơ từ phiếu chấm. 3 hồ sơ được đánh dấu đã chấm xong."
    ]
    saved = {
        (s.assignment.registration.agency.code, s.criterion.code): (s.points, s.version, s.updated_by)
        for s in CriterionScore.objects.select_related("assignment__registration__agency", "criterion")
    }
    assert saved[("so-000", "c2")] == (Decimal("9.50"), 1, sheet.reviewer)
    assert saved[("so-001", "c3")] == (Decimal("15.25"), 1, sheet.reviewer)
    assert saved[("so-002", "c5")] == (Decimal("14.50"), 1, sheet.reviewer)
    assert len(saved) == 15
    assert ReviewAssignment.objects.filter(completed_at__isnull=False).count() == 3
    entries = LogEntry.objects.filter(content_type__model="criterionscore")
    assert entries.count() == 15
    entry = entries.get(
        object_id=CriterionScore.objects.get(assignment=sheet.assignments[0], criterion=sheet.criteria[1]).pk
    )
    assert entry.actor == sheet.reviewer
    assert entry.changes_dict == {"points": [None, "9.50"]}
    assert entry.action == LogEntry.Action.CREATE
    assert entry.additional_data == {"note": "Chấm điểm theo phiếu chấm (tệp Excel)"}
    # The review page shows the scores.
    page = client.get(reverse("scoring:review", args=[sheet.assignments[1].pk]))
    assert 'value="15,25"' in page.content.decode()


def test_second_upload_of_the_same_sheet_changes_nothing(sheet):
    wb = download(sheet)
    fill(wb.active, {3: [8, 9, 18, 4, 12]})
    apply_score_sheet(
        read_score_sheet(upload(wb), sheet.campaign, sheet.reviewer, actor=sheet.reviewer).token,
        sheet.campaign,
        sheet.reviewer,
        actor=sheet.reviewer,
    )
    again = read_score_sheet(upload(wb), sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    assert (again.rows, again.unchanged_rows) == ([], 1)


def test_over_max_is_refused_with_its_cell_and_nothing_is_saved(sheet, client):
    wb = download(sheet)
    fill(wb.active, {3: [8, 9, 18, 4, 12], 4: [7, "12,5", 15, 5, 10], 5: [10, -1, 20, "abc", 1.234]})
    client.force_login(sheet.reviewer)
    response = client.post(reverse("scoring:score_sheet", args=[sheet.campaign.code]), {"file": upload(wb)})
    assert response.status_code == 200
    assert response.context["errors"] == [
        "Ô D4 (Sở so-001): điểm 12,5 vượt điểm tối đa 10,00.",
        "Ô D5 (Sở so-002): điểm -1 không được âm.",
        "Ô F5 (Sở so-002): “abc” không phải là số (ví dụ 8,5).",
        "Ô G5 (Sở so-002): điểm 1,234 có quá 2 chữ số thập phân.",
    ]
    assert "preview" not in response.context
    assert CriterionScore.objects.count() == 0


def test_foreign_row_and_changed_id_are_refused(plan):
    sheet = Sheet(plan, candidates=2)
    other_reviewer = user_with_role(Role.COUNCIL, sheet.campaign.issuer, username="hoidong-khac")
    theirs = assign_reviewer(sheet.registrations[0], other_reviewer, actor=sheet.manager)
    foreign = download(sheet, other_reviewer).active
    wb = download(sheet)
    ws = wb.active
    # A row copied from another reviewer's sheet, a row typed in by hand, a changed hidden id.
    for col in range(1, 10):
        ws.cell(row=5, column=col, value=foreign.cell(row=3, column=col).value)
    fill(ws, {5: [1, 1, 1, 1, 1]})
    ws.cell(row=6, column=2, value="Sở tự thêm")
    fill(ws, {6: [2, 2, 2, 2, 2]})
    ws["H4"] = sheet.assignments[0].pk
    fill(ws, {4: [3, 3, 3, 3, 3]})
    with pytest.raises(ScoreSheetError) as exc:
        read_score_sheet(upload(wb), sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    reviewer_name = sheet.reviewer.get_username()
    assert exc.value.errors == [
        "Ô H4 (Sở so-001): mã phân công đã bị sửa; hãy dùng phiếu tải từ cổng.",
        f"Dòng 5 (Sở so-000): hồ sơ này không được phân công cho {reviewer_name} (hoặc "
        f"người chấm đã khai xung "
        "đột lợi ích).",
        "Dòng 6 (Sở tự thêm): dòng không có trong phiếu tải từ cổng (không có mã kiểm "
        "tra); chỉ chấm các hồ sơ "
        "có sẵn trong phiếu.",
    ]
    ws["I3"] = ws["I3"].value[:-2] + "xx"
    with pytest.raises(ScoreSheetError) as exc:
        read_score_sheet(upload(wb), sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    assert exc.value.errors[0] == "Ô I3 (Sở so-000): mã kiểm tra đã bị sửa; hãy dùng phiếu tải từ cổng."
    assert CriterionScore.objects.count() == 0
    assert theirs.scores.count() == 0


def test_sheet_older_than_a_web_save_is_refused_for_that_row(sheet):
    wb = download(sheet)
    # After the download the reviewer corrects a score on the review page.
    save_score(sheet.assignments[1], sheet.criteria[2], "11", "", None, actor=sheet.reviewer)
    fill(wb.active, {3: [8, 9, 18, 4, 12], 4: [7, 6, 15, 5, 10]})
    with pytest.raises(ScoreSheetError) as exc:
        read_score_sheet(upload(wb), sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    [error] = exc.value.errors
    saved = CriterionScore.objects.get()
    at = timezone.localtime(saved.updated_at).strftime("%d/%m/%Y %H:%M")
    assert error == (
        "Dòng 4 (Sở so-001), ô E4: điểm tiêu chí “Tiêu chí số 3” đã được sửa trên cổng sau khi tải "
        f"phiếu này (lưu lúc {at}); dòng này bị từ chối để không ghi đè. Hãy tải phiếu mới rồi nhập lại."
    )
    assert CriterionScore.objects.count() == 1
    # The same value as saved is no conflict.
    fill(wb.active, {4: [7, 6, 11, 5, 10]})
    preview = read_score_sheet(upload(wb), sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    assert [r.row for r in preview.rows] == [3, 4]


def test_save_between_preview_and_confirm_is_refused(sheet):
    wb = download(sheet)
    fill(wb.active, {3: [8, 9, 18, 4, 12]})
    preview = read_score_sheet(upload(wb), sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    save_score(sheet.assignments[0], sheet.criteria[0], "1", "", None, actor=sheet.reviewer)
    with pytest.raises(ScoreSheetError) as exc:
        apply_score_sheet(preview.token, sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    assert exc.value.errors[0] == (
        "Dòng 3 (Sở so-000): điểm vừa được lưu trên cổng sau khi tải phiếu; dòng bị từ "
        "chối, chưa có điểm nào "
        "được lưu."
    )
    assert CriterionScore.objects.count() == 1


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"\0" * (210 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "phieu.csv",
            "STT,Hồ sơ\n1,Sở A\n".encode(),
            "Tệp “phieu.csv” không phải tệp Excel (.xlsx). Hãy tải phiếu chấm điểm từ cổng, "
            "điền điểm rồi tải lên "
            "đúng tệp đó (không lưu sang CSV hay định dạng khác).",
        ),
        (
            "phieu.xlsx",
            b"%PDF-1.4 not a workbook",
            "Tệp “phieu.xlsx” không phải tệp Excel (.xlsx). Hãy tải phiếu chấm điểm từ "
            "cổng, điền điểm rồi tải lên "
            "đúng tệp đó (không lưu sang CSV hay định dạng khác).",
        ),
        ("rong.xlsx", b"", "Tệp “rong.xlsx” trống."),
    ],
)
def test_wrong_files_get_a_message_not_an_error_page(sheet, client, name, content, message):
    client.force_login(sheet.reviewer)
    response = client.post(
        reverse("scoring:score_sheet", args=[sheet.campaign.code]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    if content:
        assert response.context["errors"] == [message]
    else:
        assert response.context["form"].errors["file"] == ["Tập tin được gửi là rỗng."]


def test_other_workbook_and_zip_bomb_are_refused(sheet):
    wb = openpyxl.Workbook()
    wb.active.append(["Mã cơ quan", "Năm", "Điểm"])
    with pytest.raises(ScoreSheetError) as exc:
        read_score_sheet(upload(wb), sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    assert exc.value.errors == [
        "Tệp không phải phiếu chấm điểm của cổng (không thấy cột mã kiểm tra). Hãy tải "
        "phiếu chấm điểm từ cổng, "
        "điền điểm rồi tải lên."
    ]
    bomb = SimpleUploadedFile("bom.xlsx", _zip_bomb())
    with pytest.raises(ScoreSheetError) as exc:
        read_score_sheet(bomb, sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    assert "vượt giới hạn an toàn" in exc.value.errors[0]


def test_home_affairs_enters_a_paper_sheet_on_behalf_of_a_reviewer(sheet, client):
    client.force_login(sheet.manager)
    base = reverse("scoring:score_sheet", args=[sheet.campaign.code])
    page = client.get(base)
    assert [u.username for u in page.context["choices"]] == ["hoidong-sheet"]
    assert page.context["reviewer"] is None
    response = client.get(
        reverse("scoring:score_sheet_download", args=[sheet.campaign.code]), {"reviewer": sheet.reviewer.pk}
    )
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    fill(wb.active, {3: [8, 9, 18, 4, 12]})
    response = client.post(base, {"file": upload(wb), "reviewer": sheet.reviewer.pk})
    token = response.context["preview"].token
    client.post(
        reverse("scoring:score_sheet_confirm", args=[sheet.campaign.code]),
        {"token": token, "reviewer": sheet.reviewer.pk},
    )
    score = CriterionScore.objects.get(assignment=sheet.assignments[0], criterion=sheet.criteria[0])
    assert (score.points, score.updated_by) == (Decimal("8.00"), sheet.manager)
    entry = LogEntry.objects.get(content_type__model="criterionscore", object_id=score.pk)
    assert entry.actor == sheet.manager
    assert entry.additional_data["note"] == (
        "Chấm điểm theo phiếu chấm (tệp Excel) (Nội vụ nhập thay hoidong-sheet theo phiếu chấm giấy)"
    )


def test_permissions(sheet, client):
    code = sheet.campaign.code
    page, download_url = (
        reverse("scoring:score_sheet", args=[code]),
        reverse("scoring:score_sheet_download", args=[code]),
    )
    # Another province's home affairs and council, a staff member, a reviewer without assignments: 404.
    other = AgencyFactory(code="tinh-khac", kind=AgencyKind.PROVINCE_PC)
    outsiders = [
        user_with_role(Role.HOME_AFFAIRS, other),
        user_with_role(Role.COUNCIL, other),
        user_with_role(Role.STAFF, sheet.registrations[0].agency),
        user_with_role(Role.COUNCIL, sheet.campaign.issuer),
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(page).status_code == 404
        assert client.get(download_url).status_code == 404
        assert client.get(download_url, {"reviewer": sheet.reviewer.pk}).status_code == 404
    # A reviewer cannot open another reviewer's sheet; a preview token of another user is refused.
    client.force_login(sheet.reviewer)
    assert client.get(download_url, {"reviewer": sheet.manager.pk}).status_code == 404
    assert client.get(download_url).status_code == 200
    wb = download(sheet)
    fill(wb.active, {3: [1, 1, 1, 1, 1]})
    token = read_score_sheet(upload(wb), sheet.campaign, sheet.reviewer, actor=sheet.reviewer).token
    with pytest.raises(ScoreSheetError):
        apply_score_sheet(token, sheet.campaign, sheet.reviewer, actor=sheet.manager)
    assert CriterionScore.objects.count() == 0


def _queries(callable_, *args, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        result = callable_(*args, **kwargs)
    return len(ctx), result


def test_query_counts_do_not_grow_with_rows(plan):
    sheet = Sheet(plan, candidates=2)
    ContentType.objects.get_for_models(CriterionScore, ReviewAssignment)  # cached, as in a running server
    counts = {"download": [], "upload": [], "confirm": []}
    for n in (2, 12):
        while len(sheet.assignments) < n:
            sheet.add_candidate(len(sheet.assignments))
        CriterionScore.objects.all().delete()
        ReviewAssignment.objects.update(completed_at=None)
        wb = download(sheet)
        fill(wb.active, {row: [5, 5, 5, 5, 5] for row in range(3, 3 + n)})
        args = (sheet.campaign, sheet.reviewer)
        queries, _data = _queries(build_score_sheet, *args)
        counts["download"].append(queries)
        queries, preview = _queries(read_score_sheet, upload(wb), *args, actor=sheet.reviewer)
        counts["upload"].append(queries)
        queries, result = _queries(
            apply_score_sheet, preview.token, *args, actor=sheet.reviewer, complete=True
        )
        counts["confirm"].append(queries)
        assert (result.saved, result.rows, result.completed) == (5 * n, n, n)
    assert counts["download"][0] == counts["download"][1]
    assert counts["upload"][0] == counts["upload"][1]
    assert counts["confirm"][0] == counts["confirm"][1]


def test_one_sheet_per_set_of_criteria_and_errors_name_the_sheet(sheet):
    from campaigns.models import TargetGroupKind
    from tests.factories import PersonFactory

    people = TargetGroupFactory(
        campaign=sheet.campaign, code="ca-nhan", name="Cá nhân", kind=TargetGroupKind.INDIVIDUAL
    )
    CriterionFactory(target_group=people, code="k1", text="Hoàn thành nhiệm vụ", max_points=Decimal("5"))
    registration = sheet.registrations[0]
    individual = sheet.plan.individual(
        registration, PersonFactory(agency=registration.agency, full_name="Lê Văn Tâm")
    )
    assignment = assign_reviewer(registration, sheet.reviewer, actor=sheet.manager, individual=individual)
    wb = download(sheet)
    assert wb.sheetnames == ["Sở, ban, ngành", "Cá nhân", "Hướng dẫn"]
    ws = wb["Cá nhân"]
    assert [c.value for c in ws[1]][:4] == ["STT", "Hồ sơ", "Cơ quan", "1. Hoàn thành nhiệm vụ (tối đa 5,00)"]
    assert [ws["B3"].value, ws["C3"].value, ws["E3"].value] == ["Lê Văn Tâm", "Sở so-000", assignment.pk]
    ws["D3"] = 6
    fill(wb["Sở, ban, ngành"], {3: [1, 2, 3, 4, 5]})
    with pytest.raises(ScoreSheetError) as exc:
        read_score_sheet(upload(wb), sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    assert exc.value.errors == ["Trang “Cá nhân”, ô D3 (Lê Văn Tâm): điểm 6 vượt điểm tối đa 5,00."]
    ws["D3"] = "4,5"
    preview = read_score_sheet(upload(wb), sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    apply_score_sheet(preview.token, sheet.campaign, sheet.reviewer, actor=sheet.reviewer)
    assert assignment.scores.get().points == Decimal("4.50")
    assert CriterionScore.objects.count() == 6


def test_pages_query_counts_do_not_grow_with_rows(plan, client):
    sheet = Sheet(plan, candidates=2)
    ContentType.objects.get_for_models(CriterionScore, ReviewAssignment)
    client.force_login(sheet.reviewer)
    code = sheet.campaign.code
    counts = {"download": [], "upload": []}
    for n in (2, 10):
        while len(sheet.assignments) < n:
            sheet.add_candidate(len(sheet.assignments))
        wb = download(sheet)
        fill(wb.active, {row: [5, 5, 5, 5, 5] for row in range(3, 3 + n)})
        with CaptureQueriesContext(connection) as q:
            assert client.get(reverse("scoring:score_sheet_download", args=[code])).status_code == 200
        counts["download"].append(len(q))
        with CaptureQueriesContext(connection) as q:
            response = client.post(reverse("scoring:score_sheet", args=[code]), {"file": upload(wb)})
        assert len(response.context["preview"].rows) == n
        counts["upload"].append(len(q))
    assert counts["download"][0] == counts["download"][1]
    assert counts["upload"][0] == counts["upload"][1]


def test_long_names_are_cut_at_a_word_and_kept_whole_in_a_comment(plan):
    from campaigns.models import TargetGroupKind
    from scoring.sheets import sheet_title

    sheet = Sheet(plan, candidates=1)
    long_text = (
        "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng thời hạn và trước hạn trên tổng số hồ sơ "
        "tiếp nhận trong năm"
    )
    sheet.criteria[0].text = long_text
    sheet.criteria[0].save()
    sheet.group.name = "Cán bộ, công chức, viên chức, người lao động"
    sheet.group.save()
    twin = TargetGroupFactory(
        campaign=sheet.campaign,
        code="ca-nhan",
        name="Cán bộ, công chức, viên chức, người hợp đồng",
        kind=TargetGroupKind.INDIVIDUAL,
    )
    CriterionFactory(target_group=twin, code="k1", text="Hoàn thành nhiệm vụ", max_points=Decimal("5"))
    from tests.factories import PersonFactory

    registration = sheet.registrations[0]
    individual = sheet.plan.individual(registration, PersonFactory(agency=registration.agency))
    assign_reviewer(registration, sheet.reviewer, actor=sheet.manager, individual=individual)
    wb = download(sheet)
    assert wb.sheetnames == ["Cán bộ, công chức, viên chức…", "Cán bộ, công chức, viên… (2)", "Hướng dẫn"]
    ws = wb.worksheets[0]
    assert ws["C1"].value == (
        "1. Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng thời hạn và trước hạn trên… (tối đa 10,00)"
    )
    assert ws["C1"].comment.text == long_text and ws["D1"].comment is None
    assert ws["C1"].alignment.wrap_text
    assert sheet_title("Hướng dẫn", {"hướng dẫn"}) == "Hướng dẫn (2)"
    assert sheet_title("Khối [A]: 1/2", set()) == "Khối -A-- 1-2"
