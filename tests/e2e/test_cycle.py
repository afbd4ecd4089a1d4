"""One campaign through its whole life, in Chromium, as its users do it (issues 11 and 13).

Each step is one test, run in the order written and reported by its name: it acts through the pages,
then asserts what the server did (the page's message and the state in the database), so removing any
server-side check makes a step fail. The steps share one state (the module's ``cycle``: one database,
one browser per account); after a failed step the later ones are reported as "not run: step X
failed" (the ``incremental`` marker, tests/conftest.py), and the page the failure left is kept in
``e2e-artifacts/test_cycle/FAILED-<step>.png``.

The world is built with the factories (tests/factories/hcmc.py): the city's directory and the
accounts of the README's tour (canbo and thutruong of phường Bình Tân, noivu, hoidong..hoidong5,
lanhdao), plus the staff and the head of phường An Lạc.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import timezone

from agencies.models import Person, Role
from awards.models import AwardDecision, CouncilSession, ListState, ProposalList
from campaigns.models import Campaign, CampaignState
from common.models import EmailStatus, Notification
from registrations.models import FinalReport, Registration, RegistrationState, ReportState
from scoring.models import ParIndexResult
from tests.factories import hcmc_directory, tour_accounts, user_with_role

from .a11y import PageChecks
from .conftest import Portal, artifacts_folder, celery_for, keep_failure
from .plan import CODE, TITLE, plan_yaml

try:
    from playwright.sync_api import expect
except ImportError:  # conftest.py skips the suite (under CI=true: fails it) with the reason
    expect = None  # type: ignore[assignment]

S = RegistrationState
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
PDF += b"trailer<</Root 1 0 R>>\n%%EOF\n"


CHECKS: list[PageChecks] = []  # the running step's accessibility checks


@dataclass(repr=False)
class Cycle:
    """What the steps share; ``campaign``, ``proposal_list`` and ``session`` exist once the step that
    makes them has run."""

    portal: Portal
    files: Path
    media: Path
    today: dt.date = field(default_factory=timezone.localdate)
    registrations: dict[str, Registration] = field(default_factory=dict)
    campaign: Campaign = field(init=False)
    proposal_list: ProposalList = field(init=False)
    session: CouncilSession = field(init=False)

    def page(self, username):
        return self.portal.as_user(username)

    def visit(self, page, path, status=200):
        return self.portal.visit(page, path, status)

    def shot(self, page, name):
        self.portal.shot(page, name)

    def file(self, name: str, content: bytes) -> str:
        path = self.files / name
        path.write_bytes(content)
        return str(path)

    def registration(self, agency: str) -> Registration:
        return Registration.objects.get(campaign__code=CODE, agency__code=agency)


def alert(page, text: str, kind: str = "success") -> None:
    """The page shows the server's message (Django messages framework) in an alert of that kind."""
    expect(page.locator(f".alert-{kind}[role=alert]").filter(has_text=text)).to_have_count(1)
    CHECKS[0].check(page)


def wait_for(predicate, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def button(scope, text: str):
    """The button whose visible text is exactly ``text`` (icons aside)."""
    return scope.locator("button").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def choose(select, *texts: str) -> None:
    """Selects the options whose text contains each of ``texts``."""
    values = [select.locator("option", has_text=t).first.get_attribute("value") for t in texts]
    select.select_option(values if len(values) > 1 else values[0])


def from_home(cycle: Cycle, page, work: str, url: str) -> None:
    """The user starts from the home page: the work list shows the work, its link leads to ``url``."""
    cycle.visit(page, "/")
    page.locator("#work").get_by_role("link", name=work).first.click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    cycle.portal.checks.check(page)


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Moves the focus with the Tab key only until it reaches ``selector``."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


# --- the steps ---------------------------------------------------------------------------------------


def second_ward_accounts() -> None:
    """The staff and the head of phường An Lạc, tied to their people."""
    anlac = Person.objects.get(code="pal-01").agency
    for username, role, person, first, last in [
        ("canboanlac", Role.STAFF, "pal-03", "Khoa", "Đỗ Minh"),
        ("thutruonganlac", Role.HEAD, "pal-01", "Thành", "Bùi Văn"),
    ]:
        user = user_with_role(
            role, anlac, username=username, first_name=first, last_name=last, email=f"{username}@demo.gov.vn"
        )
        Person.objects.filter(code=person).update(user=user)


def import_and_publish_plan(cycle: Cycle) -> None:
    page = cycle.page("noivu")
    cycle.visit(page, "/campaigns/import/")
    # A file that is not a plan is refused with the reason beside the form, nothing imported.
    page.get_by_label("Tệp kế hoạch").set_input_files(cycle.file("sai.yaml", b"code: [khong dong"))
    page.get_by_role("button", name="Nhập").click()
    expect(page.locator(".alert-danger")).to_contain_text("Lỗi trong tệp")
    assert not Campaign.objects.filter(code=CODE).exists()
    cycle.shot(page, "plan import refused")

    path = cycle.file("ke-hoach-45-kh-ubnd.yaml", plan_yaml(cycle.today).encode())
    page.get_by_label("Tệp kế hoạch").set_input_files(path)
    page.get_by_role("button", name="Nhập").click()
    expect(page).to_have_url(re.compile(f"/campaigns/{CODE}/$"))
    campaign = Campaign.objects.get(code=CODE)
    assert (campaign.state, campaign.title, campaign.document_number) == (
        CampaignState.DRAFT,
        TITLE,
        "45/KH-UBND",
    )
    cycle.portal.checks.check(page)
    cycle.shot(page, "plan imported")

    page.get_by_role("button", name="Chuyển sang: Đã phát động").click()
    alert(page, "Kế hoạch đã chuyển sang “Đã phát động”.")
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.PUBLISHED
    cycle.campaign = campaign
    cycle.shot(page, "plan published")
    # Publishing notifies the staff of every targeted agency; the e-mails go through Celery (the real
    # worker on PostgreSQL + Redis): canbo's notification is marked sent by it.
    canbo = Notification.objects.get(recipient__username="canbo", url__contains=CODE)
    wait_for(
        lambda: Notification.objects.get(pk=canbo.pk).email_status == EmailStatus.SENT,
        "the worker to send canbo's e-mail",
    )
    if cycle.portal.worker is not None:  # PostgreSQL + Redis: it was the worker process that sent it
        assert "common.send_notification_emails" in cycle.portal.worker.logs()
        assert any(cycle.portal.worker.mail_dir.iterdir())


def register(cycle: Cycle, staff: str, agency: str, person: str, keyboard: bool = False) -> None:
    """Staff register their agency: commitments, one person, one initiative with a PDF, then send."""
    page = cycle.page(staff)
    cycle.visit(page, "/registrations/")
    opening = page.locator(".list-group-item").filter(has_text=TITLE)
    opening.get_by_role("button", name="Đăng ký").click()
    expect(page).to_have_url(re.compile(r"/registrations/\d+/$"))
    registration = cycle.registration(agency)
    assert registration.state == S.DRAFT
    cycle.portal.checks.check(page)

    texts = {
        "#pledge": f"Phường cam kết hoàn thành 100% chỉ tiêu cải cách hành chính năm 2027 ({staff}).",
    }
    for textarea in page.locator("textarea[name^=commitment-]").all():
        texts["#" + textarea.get_attribute("id")] = "Thực hiện đúng kế hoạch, đúng hạn."
    if keyboard:
        # The registration form completed with the keyboard only: Tab to each field, type, Enter on Save.
        page.locator("h1").click()  # start from the top of the content, like a user landing here
        for selector, text in texts.items():
            tab_to(page, selector)
            page.keyboard.type(text)
        tab_to(page, "#commitments button[type=submit]")
        page.keyboard.press("Enter")
    else:
        for selector, text in texts.items():
            page.locator(selector).fill(text)
        page.locator("#commitments").get_by_role("button", name="Lưu nháp").click()
    alert(page, "Đã lưu lúc")
    registration.refresh_from_db()
    assert registration.pledge == texts["#pledge"]
    assert set(registration.commitments.values_list("text", flat=True)) == {
        "Thực hiện đúng kế hoạch, đúng hạn."
    }

    name = Person.objects.get(code=person).full_name
    people = page.locator("#people")
    choose(people.get_by_label("Cá nhân"), name)
    people.get_by_label("Danh hiệu, hình thức đăng ký").fill("Chiến sĩ thi đua cơ sở")
    button(people, "Thêm").click()
    alert(page, f"Đã thêm {name}.")
    assert list(registration.individuals.values_list("person__code", "aimed_title")) == [
        (person, "Chiến sĩ thi đua cơ sở")
    ]

    page.get_by_role("link", name="Thêm sáng kiến").click()
    cycle.portal.checks.check(page)
    title = f"Tổ công nghệ số cộng đồng tại {registration.agency.name}"
    page.get_by_label("Tên sáng kiến").fill(title)
    page.get_by_label("Vấn đề cần giải quyết").fill("Người dân phải đi lại nhiều lần để hoàn thiện hồ sơ.")
    # A file that is not what it claims to be is refused, the error beside its field, nothing saved.
    page.get_by_label("Tệp đính kèm").set_input_files(cycle.file("gia-mao.pdf", b"MZ\x90\x00 not a pdf"))
    button(page, "Lưu").click()
    field_error(page, "Tệp đính kèm")
    assert registration.initiatives.count() == 0
    cycle.shot(page, f"initiative file refused {agency}")
    page.get_by_label("Tên sáng kiến").fill(title)
    page.get_by_label("Tệp đính kèm").set_input_files(cycle.file("thuyet-minh-sang-kien.pdf", PDF))
    button(page, "Lưu").click()
    alert(page, f"Đã lưu sáng kiến “{title}”.")
    initiative = registration.initiatives.get()
    assert (initiative.title, [f.original_name for f in initiative.attachments.all()]) == (
        title,
        ["thuyet-minh-sang-kien.pdf"],
    )

    page.get_by_role("button", name="Gửi đăng ký").click()
    alert(page, "Đăng ký đã chuyển sang “Đã gửi, chờ thủ trưởng xác nhận”.")
    registration.refresh_from_db()
    assert registration.state == S.SUBMITTED
    cycle.registrations[agency] = registration
    cycle.shot(page, f"registered {agency}")


def field_error(page, label: str) -> None:
    """A field's error is shown beside it: in the field's own group, linked with aria-describedby or
    marked invalid, and the field is the one with that label."""
    control = page.get_by_label(label)
    expect(control).to_have_class(re.compile(r"\bis-invalid\b"))
    feedback = page.evaluate(
        """(el) => {
            const group = el.closest('.mb-3, .form-group, td, .col, [class*=col-]') || el.parentElement;
            const fb = group.querySelector('.invalid-feedback, .text-danger');
            return fb ? fb.innerText.trim() : null;
        }""",
        control.element_handle(),
    )
    assert feedback, f"no error beside the field “{label}”"


def confirm(cycle: Cycle, head: str, agency: str, expected_state=S.CONFIRMED) -> None:
    page = cycle.page(head)
    registration = cycle.registration(agency)
    from_home(cycle, page, "Đăng ký chờ thủ trưởng xác nhận", f"/registrations/{registration.pk}/")
    page.get_by_role("button", name="Thủ trưởng xác nhận").click()
    alert(page, "Đăng ký đã chuyển sang “Thủ trưởng đã xác nhận, chờ Nội vụ duyệt”.")
    registration.refresh_from_db()
    assert registration.state == expected_state
    cycle.shot(page, f"confirmed {agency}")


def other_agency_is_not_found(cycle: Cycle) -> None:
    """Staff of one ward get 404 on the other ward's pages (registration, initiative, report)."""
    page = cycle.page("canbo")
    theirs = cycle.registration("p-anlac")
    for path in [
        f"/registrations/{theirs.pk}/",
        f"/registrations/{theirs.pk}/initiatives/{theirs.initiatives.get().pk}/",
        f"/registrations/{theirs.pk}/report/",
        f"/agencies/{theirs.agency.code}/",
    ]:
        cycle.visit(page, path, status=404)
        expect(page.locator("h1")).to_contain_text("Không tìm thấy")
    cycle.shot(page, "other agency not found")


def return_correct_resubmit(cycle: Cycle) -> None:
    """Home affairs returns An Lạc's registration with a reason; its staff correct and send it again;
    the head confirms again."""
    reason = "Chưa nêu cam kết cụ thể về chuyển đổi số; đề nghị bổ sung số liệu."
    registration = cycle.registration("p-anlac")
    page = cycle.page("noivu")
    cycle.visit(page, f"/registrations/campaign/{CODE}/")
    cycle.shot(page, "review list")
    page.get_by_role("link", name=registration.agency.name).click()
    cycle.portal.checks.check(page)
    page.get_by_label("Lý do trả lại (bắt buộc)").fill(reason)
    page.get_by_role("button", name="Trả lại").click()
    alert(page, "Đăng ký đã chuyển sang “Nội vụ trả lại để bổ sung”.")
    registration.refresh_from_db()
    assert (registration.state, registration.return_reason) == (S.RETURNED, reason)
    cycle.shot(page, "returned")

    page = cycle.page("canboanlac")
    cycle.visit(page, f"/registrations/{registration.pk}/")
    expect(page.locator(".alert-warning")).to_contain_text(reason)
    box = page.locator("textarea[name^=commitment-]").nth(1)
    box.fill("Đạt 80% hồ sơ trực tuyến toàn trình; 100% thanh toán phí trực tuyến.")
    page.locator("#commitments").get_by_role("button", name="Lưu nháp").click()
    alert(page, "Đã lưu lúc")
    page.get_by_role("button", name="Gửi lại").click()
    alert(page, "Đăng ký đã chuyển sang “Đã gửi lại, chờ thủ trưởng xác nhận”.")
    registration.refresh_from_db()
    assert registration.state == S.RESUBMITTED
    assert registration.commitments.filter(text__startswith="Đạt 80%").count() == 1
    cycle.shot(page, "resubmitted")
    confirm(cycle, "thutruonganlac", "p-anlac")


def accept(cycle: Cycle) -> None:
    page = cycle.page("noivu")
    for agency in ["p-binhtan", "p-anlac"]:
        registration = cycle.registration(agency)
        cycle.visit(page, f"/registrations/{registration.pk}/")
        page.get_by_role("button", name="Chấp nhận").click()
        alert(page, "Đăng ký đã chuyển sang “Nội vụ đã chấp nhận”.")
        registration.refresh_from_db()
        assert registration.state == S.ACCEPTED
    cycle.shot(page, "accepted")


def final_report(cycle: Cycle, staff: str, agency: str, submit: bool = True) -> FinalReport:
    """The final report: self-assessed points per criterion, evidence for the one that needs it."""
    registration = cycle.registration(agency)
    page = cycle.page(staff)
    cycle.visit(page, f"/registrations/{registration.pk}/report/")
    page.get_by_label("Tóm tắt kết quả").fill("Hoàn thành các chỉ tiêu cải cách hành chính năm 2027.")
    criteria = list(cycle.campaign.target_groups.get(code="phuong-xa").criteria.order_by("order", "pk"))
    first = page.locator(f"#points-{criteria[0].pk}")
    # A number out of range: the error is written beside the field, nothing else lost.
    first.fill("abc")
    page.get_by_role("button", name="Lưu báo cáo").click()
    expect(first).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator(f"#error-points-{criteria[0].pk}")).to_contain_text("không phải là số")
    cycle.shot(page, f"report error {agency}")
    for criterion in criteria:
        page.locator(f"#points-{criterion.pk}").fill(str(criterion.max_points - 2).replace(".", ","))
        page.locator(f"textarea[name=explanation-{criterion.pk}]").fill("Có văn bản và số liệu kèm theo.")
    page.get_by_role("button", name="Lưu báo cáo").click()
    alert(page, "Đã lưu")
    row = page.locator("tr").filter(has=page.locator(f"#points-{criteria[0].pk}"))
    row.get_by_label("Tệp minh chứng").set_input_files(cycle.file(f"ke-hoach-{agency}.pdf", PDF))
    row.get_by_role("button", name="Tải minh chứng").click()
    alert(page, "Đã tải lên minh chứng.")
    report = FinalReport.objects.get(registration=registration)
    assert report.assessments.get(criterion=criteria[0]).evidence_files.count() == 1
    cycle.shot(page, f"report ready {agency}")
    if submit:
        page.get_by_role("button", name="Gửi báo cáo").click()
        alert(page, "Đã gửi báo cáo kết quả cuối đợt.")
        report.refresh_from_db()
        assert report.state == ReportState.SUBMITTED
    return report


def late_report_refused(cycle: Cycle) -> None:
    """The report deadline passes (the plan's date moved to yesterday, as the calendar would): An Lạc's
    report is refused by the server; home affairs grants an extension; then it goes through."""
    report = final_report(cycle, "canboanlac", "p-anlac", submit=False)
    milestone = cycle.campaign.milestones.get(kind="report_deadline")
    yesterday = cycle.today - dt.timedelta(days=1)
    milestone.due_on = yesterday
    milestone.save(update_fields=["due_on"])
    page = cycle.page("canboanlac")
    page.reload()
    page.get_by_role("button", name="Gửi báo cáo").click()
    alert(page, f"Đã quá hạn gửi báo cáo (hạn cuối: hết ngày {yesterday:%d/%m/%Y}).", kind="danger")
    report.refresh_from_db()
    assert (report.state, report.submitted_at) == (ReportState.DRAFT, None)
    cycle.shot(page, "late report refused")

    registration = cycle.registration("p-anlac")
    noivu = cycle.page("noivu")
    cycle.visit(noivu, f"/registrations/{registration.pk}/extension/")
    choose(noivu.get_by_label("Mốc thời gian"), "Hạn gửi báo cáo")
    noivu.get_by_label("Gia hạn đến hết ngày").fill((cycle.today + dt.timedelta(days=3)).isoformat())
    noivu.get_by_label("Lý do gia hạn").fill("Phường sáp nhập, đề nghị gia hạn 3 ngày.")
    noivu.get_by_role("button", name="Gia hạn").click()
    alert(noivu, "Đã gia hạn cho")
    page.reload()
    page.get_by_role("button", name="Gửi báo cáo").click()
    alert(page, "Đã gửi báo cáo kết quả cuối đợt.")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    cycle.shot(page, "report sent after extension")


def import_par_index(cycle: Cycle) -> None:
    """PAR Index 2027 of both wards from a CSV file: both 92,50 (rated Tốt by the plan's bands)."""
    page = cycle.page("noivu")
    cycle.visit(page, "/scoring/import/par/")
    csv = 'Mã cơ quan,Năm,Điểm chỉ số CCHC,Xếp loại\np-binhtan,2027,"92,50",\np-anlac,2027,"92,50",\n'
    page.get_by_label("Xếp loại theo kế hoạch").select_option(CODE)
    page.get_by_label("Tệp").set_input_files(cycle.file("chi-so-cchc-2027.csv", csv.encode()))
    page.get_by_role("button", name="Xem trước").click()
    page.get_by_text("Sẽ thêm 2, cập nhật 0, giữ nguyên 0 dòng.").wait_for()
    page.get_by_role("button", name="Xác nhận nhập").click()
    alert(page, "Đã thêm 2, cập nhật 0, giữ nguyên 0 dòng.")
    rows = ParIndexResult.objects.filter(year=2027, agency__code__in=["p-binhtan", "p-anlac"])
    assert sorted((r.agency.code, str(r.score), r.rating) for r in rows) == [
        ("p-anlac", "92.50", "Tốt"),
        ("p-binhtan", "92.50", "Tốt"),
    ]
    cycle.shot(page, "par imported")


def assign_and_score(cycle: Cycle) -> None:
    page = cycle.page("noivu")
    cycle.visit(page, f"/scoring/{CODE}/assign/")
    reviewers = page.get_by_label("Người chấm").first
    choose(reviewers, "Hồ Minh Nhật", "Phạm Thị Lan")
    page.get_by_label("Số người chấm mỗi hồ sơ").fill("1")
    page.get_by_role("button", name="Phân công", exact=True).click()
    alert(page, "Đã tạo 2 phân công.")
    from scoring.models import ReviewAssignment

    assignments = list(ReviewAssignment.objects.filter(registration__campaign__code=CODE))
    assert len(assignments) == 2
    cycle.shot(page, "reviewers assigned")

    for assignment in assignments:
        reviewer = assignment.reviewer.username
        page = cycle.page(reviewer)
        cycle.visit(page, "/scoring/reviews/")
        cycle.visit(page, f"/scoring/reviews/{assignment.pk}/")
        for criterion in cycle.campaign.target_groups.get(code="phuong-xa").criteria.all():
            page.locator(f"#points-{criterion.pk}").fill(str(criterion.max_points - 5))
        page.get_by_role("button", name="Lưu và hoàn thành").click()
        alert(page, "Đã hoàn thành chấm điểm.")
        assignment.refresh_from_db()
        assert assignment.completed_at is not None
        cycle.shot(page, f"scored by {reviewer}")


def compute_results(cycle: Cycle) -> None:
    page = cycle.page("noivu")
    cycle.visit(page, f"/scoring/{CODE}/")
    page.get_by_role("button", name="Tính lại kết quả").click()
    alert(page, "Đã tính kết quả: 2 ứng viên.")
    from scoring.models import ResultRun

    run = ResultRun.objects.filter(campaign__code=CODE).latest("pk")
    assert run.candidate_count == 2
    cycle.shot(page, "results computed")


def make_proposal_list(cycle: Cycle) -> None:
    page = cycle.page("noivu")
    cycle.visit(page, "/awards/")
    card = page.locator("form", has=page.locator("button:has-text('Lập danh sách')")).filter(
        has=page.locator("option", has_text="Bằng khen")
    )
    card.get_by_role("button", name="Lập danh sách").click()
    alert(page, "Đã lập danh sách đề nghị từ kết quả xét; kết quả được khóa.")
    plist = ProposalList.objects.get(campaign__code=CODE)
    ties = list(plist.proposals.filter(tie_at_cutoff=True).values_list("agency__code", flat=True))
    assert sorted(ties) == ["p-anlac", "p-binhtan"]
    expect(page.locator("body")).to_contain_text("Bằng điểm tại ngưỡng")
    cycle.proposal_list = plist
    cycle.shot(page, "proposal list")


def council(cycle: Cycle) -> None:
    plist = cycle.proposal_list
    page = cycle.page("noivu")
    cycle.visit(page, f"/awards/list/{plist.pk}/")
    page.get_by_label("Ngày họp (dd/mm/yyyy)").fill(cycle.today.strftime("%d/%m/%Y"))
    page.get_by_label("Địa điểm").fill("Phòng họp số 1, Sở Nội vụ")
    page.get_by_role("button", name="Mở phiên bình xét").click()
    alert(page, "Đã mở phiên bình xét và thông báo cho các thành viên.")
    session = CouncilSession.objects.get(proposal_list=plist)
    cycle.session = session
    cycle.shot(page, "session opened")

    # The tie at the cut-off: one place for two wards; the council chooses Bình Tân.
    binhtan = plist.proposals.get(agency__code="p-binhtan")
    page.locator(f"input[name=chosen][value='{binhtan.pk}']").check()
    page.get_by_label("Căn cứ quyết định của Hội đồng").fill(
        "Phường Bình Tân có tỷ lệ hồ sơ trực tuyến cao hơn"
    )
    page.get_by_role("button", name=re.compile("Ghi quyết định")).click()
    alert(page, "Đã ghi quyết định của Hội đồng về các trường hợp bằng điểm.")
    binhtan.refresh_from_db()
    assert binhtan.tie_chosen is True
    cycle.shot(page, "tie decided")

    for member in ["hoidong", "hoidong2", "hoidong3", "hoidong4"]:
        page = cycle.page(member)
        from_home(cycle, page, "Phiên bình xét chờ anh/chị biểu quyết", f"/awards/session/{session.pk}/")
        for radio in page.locator("input[type=radio][value=agree]").all():
            radio.check()
        page.get_by_role("button", name="Ghi biểu quyết").click()
        alert(page, "phiếu biểu quyết")
    cycle.shot(page, "votes")

    page = cycle.page("noivu")
    cycle.visit(page, f"/awards/session/{session.pk}/")
    page.get_by_role("button", name="Kết thúc bình xét").click()
    alert(page, "Đã kết thúc bình xét; danh sách chờ lãnh đạo phê duyệt.")
    plist.refresh_from_db()
    assert plist.state == ListState.VOTED
    cycle.shot(page, "session closed")


def approve(cycle: Cycle) -> None:
    plist = cycle.proposal_list
    page = cycle.page("lanhdao")
    from_home(cycle, page, "Danh sách đề nghị khen thưởng chờ phê duyệt", f"/awards/list/{plist.pk}/")
    page.get_by_label("Số quyết định").fill("150/QĐ-UBND")
    page.get_by_label("Ngày ký (dd/mm/yyyy)").fill(cycle.today.strftime("%d/%m/%Y"))
    page.get_by_label("Chức vụ").fill("Phó Chủ tịch")
    page.get_by_label("Người ký").fill("Trần Thị Hồng")
    page.get_by_role("button", name="Phê duyệt").click()
    alert(page, "Đã phê duyệt danh sách và ban hành quyết định khen thưởng.")
    plist.refresh_from_db()
    assert plist.state == ListState.APPROVED
    decision = AwardDecision.objects.get(proposal_list=plist)
    assert decision.number == "150/QĐ-UBND"
    awarded = set(decision.lines.values_list("proposal__agency__code", flat=True))
    assert awarded == {"p-binhtan"}
    cycle.shot(page, "approved")


def dossier(cycle: Cycle) -> None:
    """noivu generates the decision's dossier, watches the bar reach 100 %, downloads the ZIP and reads
    the PDFs in it: the awardee's name and the decision number are in them (issue 11)."""
    import io
    import zipfile

    from pypdf import PdfReader

    plist = cycle.proposal_list
    decision = AwardDecision.objects.get(proposal_list=plist)
    page = cycle.page("noivu")
    cycle.visit(page, f"/awards/list/{plist.pk}/")
    page.get_by_role("link", name="Hồ sơ khen thưởng").first.click()
    page.wait_for_url(f"**/awards/decision/{decision.pk}/dossier/")
    cycle.portal.checks.check(page)
    page.get_by_label("Chỉ PDF").check()
    page.get_by_role("button", name="Tạo hồ sơ").click()
    page.wait_for_url(re.compile(r".*/awards/dossier/\d+/$"))
    expect(page.locator('[data-field="bar"]')).to_have_text("100%", timeout=120_000)
    download_link = page.get_by_role("link", name="Tải hồ sơ (ZIP)")
    expect(download_link).to_be_visible(timeout=30_000)
    cycle.portal.checks.check(page)
    cycle.shot(page, "dossier generated")
    with page.expect_download() as info:
        download_link.click()
    archive = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    names = archive.namelist()
    pdfs = [n for n in names if n.endswith(".pdf")]
    # tờ trình, biên bản, one báo cáo thành tích, quyết định and one giấy khen, plus the manifest
    root = f"ho-so-150-qd-ubnd-{decision.decided_on.year}-lan-1/"
    assert len(pdfs) == 5 and f"{root}manifest.csv" in names and all(n.startswith(root) for n in names), names
    pdfs = [n.removeprefix(root) for n in pdfs]
    assert {n.split("/")[0] for n in pdfs} == {
        "1-to-trinh", "2-bien-ban", "3-bao-cao-thanh-tich", "4-quyet-dinh", "5-giay-khen"
    }  # fmt: skip
    for name in pdfs:
        reader = PdfReader(io.BytesIO(archive.read(root + name)))
        text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text, name
        if name.startswith(("4-", "5-")):  # the decision and the certificate carry its number
            assert "150/QĐ-UBND" in text, name
        if name.startswith(("3-", "4-", "5-")):
            assert "Bình Tân" in text, name


def public_results(cycle: Cycle) -> None:
    page = cycle.page("canboanlac")
    cycle.visit(page, f"/awards/results/{CODE}/")
    body = page.locator("main")
    expect(body).to_contain_text("150/QĐ-UBND")
    # Bằng khen, collective: 2,0 x the base salary in force (2.340.000 đ from 01/07/2024)
    expect(body.locator("tr").filter(has_text="Ủy ban nhân dân phường Bình Tân")).to_contain_text("4.680.000")
    expect(body).to_contain_text("Ủy ban nhân dân phường Bình Tân")
    expect(body).not_to_contain_text("Ủy ban nhân dân phường An Lạc")
    cycle.shot(page, "public results")


# --- the cycle: one test per step, in this order ------------------------------------------------------

pytestmark = [pytest.mark.celery_worker, pytest.mark.incremental]


@pytest.fixture(scope="module")
def cycle(browser, e2e_server, story_db, celery_worker_process, tmp_path_factory):
    """The state the steps share: the world, one browser context per account, the plan and its records
    as the steps make them; Celery through the real worker on PostgreSQL + Redis, in-process otherwise."""
    hcmc_directory()
    tour_accounts()
    second_ward_accounts()
    portal = Portal(browser, e2e_server.url, artifacts_folder("test_cycle"))
    portal.worker = celery_worker_process
    media = (
        celery_worker_process.folder / "media" if celery_worker_process else tmp_path_factory.mktemp("media")
    )
    with celery_for(celery_worker_process) as mode:
        portal.celery_mode = mode
        yield Cycle(portal=portal, files=tmp_path_factory.mktemp("files"), media=media)
    portal.close()


@pytest.fixture(autouse=True)
def _step(request, cycle, settings):
    """Every step reads and writes the files of the cycle (the worker's, with the worker); a failed step
    leaves its page behind."""
    settings.MEDIA_ROOT = cycle.media
    CHECKS[:] = [cycle.portal.checks]
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        keep_failure(cycle.portal, f"FAILED-{request.node.name}")


def test_import_and_publish_plan(cycle):
    import_and_publish_plan(cycle)


def test_canbo_registers_binh_tan_with_the_keyboard(cycle):
    register(cycle, "canbo", "p-binhtan", "pbt-04", keyboard=True)


def test_canboanlac_registers_an_lac(cycle):
    register(cycle, "canboanlac", "p-anlac", "pal-02")


def test_thutruong_confirms_binh_tan(cycle):
    confirm(cycle, "thutruong", "p-binhtan")


def test_thutruonganlac_confirms_an_lac(cycle):
    confirm(cycle, "thutruonganlac", "p-anlac")


def test_other_agency_is_not_found(cycle):
    other_agency_is_not_found(cycle)


def test_return_correct_resubmit(cycle):
    return_correct_resubmit(cycle)


def test_accept(cycle):
    accept(cycle)


def test_canbo_sends_the_final_report(cycle):
    final_report(cycle, "canbo", "p-binhtan")


def test_late_report_refused(cycle):
    late_report_refused(cycle)


def test_import_par_index(cycle):
    import_par_index(cycle)


def test_assign_and_score(cycle):
    assign_and_score(cycle)


def test_compute_results(cycle):
    compute_results(cycle)


def test_make_proposal_list(cycle):
    make_proposal_list(cycle)


def test_council(cycle):
    council(cycle)


def test_approve(cycle):
    approve(cycle)


def test_dossier(cycle):
    dossier(cycle)


def test_public_results(cycle):
    public_results(cycle)
