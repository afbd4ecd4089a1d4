import pytest
from auditlog.models import LogEntry

from agencies.models import AgencyKind, Role
from campaigns.models import Campaign, CampaignAmendment, CampaignState
from campaigns.services import TransitionError, amendment, copy_campaign, set_campaign_state
from campaigns.signals import campaign_published
from common.models import Notification
from tests.factories import (
    AgencyFactory,
    ContentFactory,
    MilestoneFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def test_publish_is_audited_and_notifies_targeted_agencies(plan, django_capture_on_commit_callbacks):
    ward = AgencyFactory(code="ph", parent=plan.issuer, kind=AgencyKind.COMMUNE_PC)
    AgencyFactory(code="other", kind=AgencyKind.COMMUNE_PC)  # outside the issuer's tree
    staff = user_with_role(Role.STAFF, ward)
    officer = user_with_role(Role.HOME_AFFAIRS, plan.issuer)
    received = []

    def receiver(sender, campaign, actor, **kwargs):
        received.append((campaign.code, actor))

    campaign_published.connect(receiver, weak=False, dispatch_uid="test-published")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            set_campaign_state(plan, CampaignState.PUBLISHED, actor=officer, note="Phát động")
    finally:
        campaign_published.disconnect(dispatch_uid="test-published")
    plan.refresh_from_db()
    assert (plan.state, plan.published_by) == ("published", officer)
    entry = LogEntry.objects.get_for_object(plan).order_by("-pk").first()
    assert entry.actor == officer
    assert entry.changes_dict["state"] == ["draft", "published"]
    assert entry.additional_data == {"note": "Phát động"}
    assert received == [("kh-2027", officer)]
    assert list(Notification.objects.values_list("recipient", "kind")) == [(staff.pk, "campaign_published")]


@pytest.mark.parametrize(
    "start,target",
    [
        ("draft", "closed"),
        ("draft", "archived"),
        ("published", "draft"),
        ("closed", "published"),
        ("archived", "draft"),
    ],
)
def test_forbidden_transitions(plan, start, target):
    Campaign.objects.filter(pk=plan.pk).update(state=start)
    with pytest.raises(TransitionError) as info:
        set_campaign_state(plan, target, actor=None)
    assert info.value.messages == [
        f"Không thể chuyển kế hoạch từ “{CampaignState(start).label}” sang “{CampaignState(target).label}”."
    ]
    plan.refresh_from_db()
    assert plan.state == start


def test_full_lifecycle(plan):
    for state in ("published", "closed", "archived"):
        set_campaign_state(plan, state, actor=None)
    plan.refresh_from_db()
    assert plan.state == "archived"
    assert LogEntry.objects.get_for_object(plan).filter(action=LogEntry.Action.UPDATE).count() == 3


def test_incoherent_plan_cannot_be_published(plan):
    MilestoneFactory(campaign=plan, kind="custom", name="Ngoài kỳ", due_on="2030-01-01")
    with pytest.raises(TransitionError) as info:
        set_campaign_state(plan, "published", actor=None)
    assert info.value.messages == [
        "milestones[1].due_on: Mốc “Ngoài kỳ” (01/01/2030) phải nằm trong thời gian của kế hoạch "
        "(05/01/2027 - 31/12/2027)."
    ]


def test_published_plan_changes_only_through_amendment_with_reason(plan):
    set_campaign_state(plan, "published", actor=None)
    officer = user_with_role(Role.HOME_AFFAIRS, plan.issuer)
    with pytest.raises(TransitionError), amendment(plan, actor=officer, reason=""):
        pass
    with amendment(plan, actor=officer, reason="Bổ sung nội dung"):
        ContentFactory(campaign=plan, title="Nội dung mới")
    record = CampaignAmendment.objects.get(campaign=plan)
    assert (record.made_by, record.reason, list(record.changes)) == (
        officer,
        "Bổ sung nội dung",
        ["contents"],
    )
    assert record.changes["contents"]["after"] == [{"title": "Nội dung mới", "description": ""}]


def test_copy_last_years_plan(plan):
    officer = user_with_role(Role.HOME_AFFAIRS, plan.issuer)
    new = copy_campaign(plan, code="kh-2028", actor=officer, title="Kế hoạch 2028")
    assert (new.state, new.title, str(new.period_start), str(new.period_end)) == (
        "draft",
        "Kế hoạch 2028",
        "2028-01-05",
        "2028-12-31",
    )
    assert list(new.rounds.values_list("year", flat=True)) == [2028]
    assert str(new.milestones.get().due_on) == "2028-01-19"
    assert new.target_groups.get().criteria.count() == 1


@pytest.mark.parametrize(
    ("kinds", "dissolved"), [(["press"], None), (["commune_pc"], "2026-12-31"), ([], None)]
)
def test_plan_reaching_no_agency_cannot_be_published(plan, kinds, dissolved):
    plan.target_groups.update(agency_kinds=kinds)
    if dissolved:
        plan.issuer.children.update(dissolved_on=dissolved)  # dissolved before the plan starts
    officer = user_with_role(Role.HOME_AFFAIRS, plan.issuer)
    with pytest.raises(TransitionError) as exc:
        set_campaign_state(plan, CampaignState.PUBLISHED, actor=officer)
    assert exc.value.messages == [
        "Kế hoạch chưa có cơ quan nào thuộc đối tượng thi đua: chọn loại cơ quan của đối tượng tập thể có "
        "trong phạm vi của cơ quan ban hành (hoặc thêm cơ quan vào khối)."
    ]
    plan.refresh_from_db()
    assert plan.state == CampaignState.DRAFT


def test_plan_reaching_an_agency_through_a_bloc_can_be_published(plan):
    from campaigns.models import Bloc, BlocMembership

    plan.target_groups.update(agency_kinds=["press"])
    newspaper = AgencyFactory(code="bao", kind=AgencyKind.PRESS)  # outside the issuer's tree
    bloc = Bloc.objects.create(campaign=plan, code="khoi-bao", name="Khối báo chí")
    BlocMembership.objects.create(bloc=bloc, agency=newspaper)
    set_campaign_state(plan, CampaignState.PUBLISHED, actor=user_with_role(Role.HOME_AFFAIRS, plan.issuer))
    plan.refresh_from_db()
    assert plan.state == CampaignState.PUBLISHED
