import datetime as dt

from auditlog.models import LogEntry
from django.urls import reverse

from agencies.models import AgencyKind, Role
from campaigns.changes import describe_changes
from campaigns.models import Campaign, Milestone, Round
from campaigns.queries import plan_history
from campaigns.services import amendment
from tests.factories import (
    AgencyFactory,
    CampaignFactory,
    TargetGroupFactory,
    published_campaign,
    user_with_role,
)


def _officer(plan):
    return user_with_role(Role.HOME_AFFAIRS, plan.issuer, first_name="Lan", last_name="Nguyễn")


def test_amendment_records_before_and_after_and_the_page_shows_them_in_words(client, db):
    plan = published_campaign(issuer=AgencyFactory(kind=AgencyKind.PROVINCE_PC))
    officer = _officer(plan)
    with amendment(plan, actor=officer, reason="Lùi thời gian sang năm 2028"):
        Campaign.objects.filter(pk=plan.pk).update(
            period_start=dt.date(2028, 2, 1), period_end=dt.date(2028, 12, 31)
        )
        round_ = plan.rounds.get()
        round_.year, round_.label = 2028, "Năm 2028"
        round_.starts_on, round_.ends_on = dt.date(2028, 2, 1), dt.date(2028, 12, 31)
        round_.save()
        milestone = plan.milestones.get()
        milestone.due_on = dt.date(2028, 2, 15)
        milestone.save()
        Milestone.objects.create(
            campaign=plan, kind="campaign_end", name="Kết thúc", due_on=dt.date(2028, 12, 31)
        )
    change = plan.amendments.get()
    assert describe_changes(change.changes) == [
        ("Thời gian của kế hoạch", ["Bắt đầu: 05/01/2027 → 01/02/2028", "Kết thúc: 31/12/2027 → 31/12/2028"]),
        (
            "Các đợt (năm) thi đua",
            [
                "Năm 2028: Tên đợt: – → Năm 2028",
                "Năm 2028: Năm: 2027 → 2028",
                "Năm 2028: Bắt đầu: 05/01/2027 → 01/02/2028",
                "Năm 2028: Kết thúc: 31/12/2027 → 31/12/2028",
            ],
        ),
        (
            "Mốc thời gian",
            ["Hạn đăng ký thi đua: Hạn: 19/01/2027 → 15/02/2028", "Thêm: Kết thúc (31/12/2028)"],
        ),
    ]
    client.force_login(officer)
    html = client.get(reverse("campaigns:detail", args=[plan.code])).content.decode()
    assert (
        "Nguyễn Lan: Lùi thời gian sang năm 2028" in html or "Lan Nguyễn: Lùi thời gian sang năm 2028" in html
    )
    assert (
        "<li><strong>Mốc thời gian:</strong><ul><li>Hạn đăng ký thi đua: Hạn: 19/01/2027 → 15/02/2028</li>"
        "<li>Thêm: Kết thúc (31/12/2028)</li></ul></li>"
    ) in html
    assert "(milestones" not in html


def test_step_edits_of_a_draft_plan_appear_in_its_history(client, db):
    plan = CampaignFactory(issuer=AgencyFactory(kind=AgencyKind.PROVINCE_PC))
    TargetGroupFactory(campaign=plan, code="phuong", name="Phường, xã")
    officer = _officer(plan)
    client.force_login(officer)
    url = reverse("campaigns:edit", args=[plan.code, "milestones"])
    data = {
        "p-period_start": "2027-01-05",
        "p-period_end": "2027-12-31",
        "rounds-TOTAL_FORMS": "0",
        "rounds-INITIAL_FORMS": "0",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-order": "1",
        "milestones-0-kind": "registration_deadline",
        "milestones-0-due_on": "2027-02-01",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    milestone = plan.milestones.get()
    plan.target_groups.get().delete()
    other = CampaignFactory(issuer=plan.issuer)
    Round.objects.create(campaign=other, year=2027, starts_on=other.period_start, ends_on=other.period_end)
    entries = [(e.content_type.model, e.object_repr, e.action) for e in plan_history(plan)]
    assert entries[:2] == [
        ("targetgroup", "Phường, xã", LogEntry.Action.DELETE),
        ("milestone", "Hạn đăng ký thi đua", LogEntry.Action.CREATE),
    ]
    assert ("round", "2027", LogEntry.Action.CREATE) not in entries  # another plan's round
    page = client.get(reverse("campaigns:detail", args=[plan.code]))
    history = list(page.context["history"])
    created = next(e for e in history if e.content_type.model == "milestone")
    assert (created.actor, created.object_id, created.additional_data) == (
        officer,
        milestone.pk,
        {"campaign": plan.pk},
    )


def test_history_and_amendments_show_labels_and_names_not_codes(client, db):
    """Issue 9: the plan history showed ``["official", "civil_servant"]`` and amendments raw codes."""
    from campaigns.changes import reference_names
    from campaigns.models import AwardForm, TargetGroup

    city = AgencyFactory(kind=AgencyKind.PROVINCE_PC, code="tp-x", name="UBND Thành phố X")
    plan = published_campaign(issuer=city)
    officer = _officer(plan)
    group = TargetGroupFactory(campaign=plan, code="ca-nhan", name="Cá nhân các sở", kind="individual")
    with amendment(plan, actor=officer, reason="Mở rộng đối tượng"):
        group.person_kinds = ["official", "civil_servant"]
        group.save()
        AwardForm.objects.create(
            campaign=plan, code="gk", name="Giấy khen", recipient="individual", min_staff_rating="good"
        ).target_groups.set([group])
    change = plan.amendments.get()
    described = dict(describe_changes(change.changes, reference_names(plan, [change.changes])))
    assert described["Đối tượng và tiêu chí thi đua"] == [
        "Cá nhân các sở: Loại cá nhân: – → Cán bộ, Công chức"
    ]
    assert described["Hình thức khen thưởng"] == ["Thêm: Giấy khen"]
    client.force_login(officer)
    html = client.get(reverse("campaigns:detail", args=[plan.code])).content.decode()
    assert "Cán bộ, Công chức" in html
    for raw in ("official", "civil_servant", "[&quot;", "min_staff_rating", "good"):
        assert raw not in html, raw
    assert TargetGroup.objects.get(pk=group.pk).person_kinds == ["official", "civil_servant"]
