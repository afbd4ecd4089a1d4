"""Each role's home page is its work list (issue 13): what is waiting, how many, until when, and the
link to the page where it is done. Exact content on the city of the README's tour (built with the
factories, tests/factories/hcmc.py), and the query count per role."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Membership, Role
from awards.models import CouncilSession, ListState, ProposalList
from campaigns.models import CampaignState, Milestone, MilestoneKind
from common.models import Notification
from registrations.models import Registration, RegistrationState
from tests.factories import (
    CampaignFactory,
    MilestoneFactory,
    RegistrationFactory,
    RoundFactory,
    TargetGroupFactory,
    hcmc_directory,
    hcmc_par_2022,
    tour_accounts,
)


def work_list(html: str) -> list[tuple[str, str, str, str, str]]:
    """(title, link, detail, deadline, count) per line of the work list."""
    section = html.split('id="work"', 1)[1].split("</section>", 1)[0]
    rows = []
    for li in re.findall(r"<li class=\"list-group-item.*?</li>", section, re.S):
        link = re.search(r'<a class="fw-semibold" href="([^"]+)">([^<]+)</a>', li)
        detail = re.search(r'<div class="small text-muted">([^<]*)</div>', li)
        deadline = re.search(r"Hạn: (\d\d/\d\d/\d{4})", li)
        count = re.search(r'rounded-pill fs-6">(\d+)</span>', li)
        assert link is not None and count is not None, li
        rows.append(
            (
                link.group(2),
                link.group(1),
                detail.group(1) if detail else "",
                deadline.group(1) if deadline else "",
                count.group(1),
            )
        )
    return rows


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def add_account(username, agency_code, role):
    user = get_user_model().objects.create_user(username, f"{username}@demo.gov.vn", "demo-2026")
    Membership.objects.create(user=user, agency=Agency.objects.get(code=agency_code), role=role)
    return user


def day(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).strftime("%d/%m/%Y")


PLAN_2027 = "Phong trào thi đua cải cách hành chính năm 2027"
S = RegistrationState


@pytest.fixture
def city(db):
    """The city's directory and the tour's accounts; the current plan ``kh-2027`` open for registration
    14 more days (final reports due in 300) for departments and wards; its registrations: Sở Tài chính
    returned, Sở Tư pháp waiting for its head, phường Tân Tạo waiting for home affairs, phường An Lạc
    accepted, phường Bình Trị Đông a draft, none yet of phường Bình Tân (canbo's ward)."""
    directory = hcmc_directory()
    tour_accounts()
    today = timezone.localdate()
    plan = CampaignFactory(
        code="kh-2027", issuer=directory["hcm"], title=PLAN_2027, state=CampaignState.PUBLISHED,
        issued_on=today, period_start=today, period_end=today + dt.timedelta(days=330),
    )  # fmt: skip
    round_ = RoundFactory(campaign=plan)
    group = TargetGroupFactory(
        campaign=plan, agency_kinds=[AgencyKind.DEPARTMENT.value, AgencyKind.COMMUNE_PC.value]
    )
    MilestoneFactory(
        campaign=plan, round=round_, kind=MilestoneKind.REGISTRATION_DEADLINE, due_on=day_after(14)
    )
    MilestoneFactory(campaign=plan, round=round_, kind=MilestoneKind.REPORT_DEADLINE, due_on=day_after(300))
    for code, state in [
        ("p-anlac", S.ACCEPTED), ("p-tantao", S.CONFIRMED), ("hcm-stp", S.SUBMITTED),
        ("hcm-stc", S.RETURNED), ("p-btd", S.DRAFT),
    ]:  # fmt: skip
        reason = "Chưa nêu cam kết cho nội dung chuyển đổi số." if state == S.RETURNED else ""
        RegistrationFactory(
            round=round_, agency=directory[code], target_group=group, state=state, return_reason=reason
        )
    return plan


def day_after(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


# (username, queries, work list) for the tour's accounts.
DEMO_HOMES = [
    (
        "canbo",
        15,
        [
            (
                "Kế hoạch đang nhận đăng ký thi đua",
                "/registrations/",
                f"{PLAN_2027} – Ủy ban nhân dân phường Bình Tân",
                "D+14",
                "1",
            )
        ],
    ),
    ("thutruong", 8, []),
    (
        "noivu",
        8,
        [
            (
                "Đăng ký chờ Nội vụ kiểm tra, chấp nhận hoặc trả lại",
                "/registrations/campaign/kh-2027/?state=confirmed",
                PLAN_2027,
                "",
                "1",
            )
        ],
    ),
    ("hoidong", 8, []),
    ("lanhdao", 8, []),
]


@pytest.mark.parametrize(("username", "queries", "expected"), DEMO_HOMES, ids=[d[0] for d in DEMO_HOMES])
def test_each_tour_account_home_is_its_work_list(
    client, city, django_assert_num_queries, username, queries, expected
):
    login(client, username)
    with django_assert_num_queries(queries):
        response = client.get("/")
    assert response.status_code == 200
    expected = [tuple(day(14) if v == "D+14" else v for v in row) for row in expected]
    assert work_list(response.content.decode()) == expected
    if not expected:
        assert "Không có việc nào đang chờ anh/chị." in response.content.decode()
        # ... and what will come next for the role
        assert UPCOMING_BY_USER[username] in response.content.decode()


UPCOMING_BY_USER = {
    "thutruong": "Khi cán bộ phụ trách thi đua gửi đăng ký, đăng ký sẽ hiện ở đây để anh/chị xác nhận.",
    "hoidong": "Khi Phòng/Sở Nội vụ phân công anh/chị chấm điểm hoặc mở phiên bình xét, hồ sơ và phiên họp "
    "sẽ hiện ở đây.",
    "lanhdao": "Khi Hội đồng Thi đua - Khen thưởng bình xét xong, danh sách đề nghị khen thưởng sẽ hiện ở "
    "đây để anh/chị phê duyệt.",
}


def test_every_kind_of_agency_work_with_its_deadline(client, city, django_assert_num_queries):
    """The registrations of the current plan: Sở Tài chính returned, Sở Tư pháp waiting for its head,
    phường An Lạc accepted (its final report is due), phường Bình Trị Đông still a draft."""
    add_account("canbo-stc", "hcm-stc", Role.STAFF)
    add_account("thutruong-stp", "hcm-stp", Role.HEAD)
    add_account("canbo-anlac", "p-anlac", Role.STAFF)
    add_account("canbo-btd", "p-btd", Role.STAFF)
    reg = {r.agency.code: r for r in Registration.objects.filter(campaign=city)}

    login(client, "canbo-stc")
    assert work_list(client.get("/").content.decode()) == [
        (
            "Đăng ký bị trả lại, cần bổ sung và gửi lại",
            f"/registrations/{reg['hcm-stc'].pk}/",
            f"{PLAN_2027} – Sở Tài chính",
            day(14),
            "1",
        )
    ]
    login(client, "thutruong-stp")
    assert work_list(client.get("/").content.decode()) == [
        (
            "Đăng ký chờ thủ trưởng xác nhận",
            f"/registrations/{reg['hcm-stp'].pk}/",
            f"{PLAN_2027} – Sở Tư pháp",
            "",
            "1",
        )
    ]
    login(client, "canbo-anlac")
    assert work_list(client.get("/").content.decode()) == [
        (
            "Báo cáo kết quả cuối đợt cần gửi",
            f"/registrations/{reg['p-anlac'].pk}/report/",
            f"{PLAN_2027} – Ủy ban nhân dân phường An Lạc",
            day(300),
            "1",
        )
    ]
    login(client, "canbo-btd")
    assert work_list(client.get("/").content.decode()) == [
        (
            "Đăng ký đang soạn, chưa gửi",
            f"/registrations/{reg['p-btd'].pk}/",
            f"{PLAN_2027} – Ủy ban nhân dân phường Bình Trị Đông",
            day(14),
            "1",
        )
    ]
    # home affairs: one line per plan whatever the number of registrations waiting (same queries)
    login(client, "noivu")
    for code in ["hcm-stp", "hcm-stc", "p-btd"]:
        Registration.objects.filter(pk=reg[code].pk).update(state=RegistrationState.CONFIRMED)
    with django_assert_num_queries(8):
        page = client.get("/").content.decode()
    assert work_list(page) == [
        (
            "Đăng ký chờ Nội vụ kiểm tra, chấp nhận hoặc trả lại",
            "/registrations/campaign/kh-2027/?state=confirmed",
            PLAN_2027,
            "",
            "4",
        )
    ]


def test_an_overdue_item_says_so(client, city):
    add_account("canbo-btd", "p-btd", Role.STAFF)
    Milestone.objects.filter(campaign=city, kind="registration_deadline").update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    login(client, "canbo-btd")
    page = client.get("/").content.decode()
    assert work_list(page)[0][3] == day(-1)
    assert "(đã quá hạn)" in page


def test_council_and_leadership_work_and_notification_links(client, db):
    """hoidong sees the open session to vote in (the proposals not yet voted), lanhdao the list to
    approve; the notification of the session leads to the session page (seed 002, Quận 1 and Quận 3
    tied at the cut-off)."""
    campaign = hcmc_par_2022().campaign
    login(client, "noivu")
    client.post(f"/awards/make/{campaign.code}/", {"award_form": campaign.award_forms.get().pk})
    plist = ProposalList.objects.get(campaign=campaign)
    council = list(get_user_model().objects.filter(username__startswith="hoidong").order_by("username"))
    client.post(
        f"/awards/list/{plist.pk}/session/",
        {"held_on": "20/01/2023", "place": "Phòng họp số 1", "members": [u.pk for u in council]},
    )
    session = CouncilSession.objects.get(proposal_list=plist)
    n = plist.proposals.filter(removed=False).count()

    login(client, "hoidong")
    assert work_list(client.get("/").content.decode()) == [
        (
            "Phiên bình xét chờ anh/chị biểu quyết",
            f"/awards/session/{session.pk}/",
            campaign.title,
            "",
            str(n),
        )
    ]
    notification = Notification.objects.filter(recipient__username="hoidong").latest("pk")
    response = client.post(f"/notifications/{notification.pk}/open/")
    assert (response.status_code, response["Location"]) == (302, f"/awards/session/{session.pk}/")

    proposals = list(plist.proposals.filter(removed=False))
    first = proposals[0]
    client.post(f"/awards/session/{session.pk}/vote/", {f"vote-{first.pk}": "agree"})
    assert work_list(client.get("/").content.decode())[0][4] == str(n - 1)

    for user in council[:4]:
        login(client, user.username)
        client.post(f"/awards/session/{session.pk}/vote/", {f"vote-{p.pk}": "agree" for p in proposals})
    login(client, "hoidong")
    assert work_list(client.get("/").content.decode()) == []
    login(client, "noivu")
    ties = plist.proposals.filter(tie_at_cutoff=True)
    client.post(f"/awards/session/{session.pk}/tie/", {"chosen": [ties.first().pk], "note": "Hội đồng chọn"})
    client.post(f"/awards/session/{session.pk}/close/")
    plist.refresh_from_db()
    assert plist.state == ListState.VOTED

    login(client, "lanhdao")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/").content.decode()
    assert len(ctx.captured_queries) == 8  # as with nothing to approve: one query per provider
    assert work_list(page) == [
        (
            "Danh sách đề nghị khen thưởng chờ phê duyệt",
            f"/awards/list/{plist.pk}/",
            f"{campaign.title} – {plist.award_form.name}",
            "",
            str(plist.proposals.filter(removed=False).count()),
        )
    ]
