"""Issue 17 in campaigns: one access helper for a plan (404 when missing or forbidden), the rule
"home affairs of the plan's issuer" defined once, services that take the actor keyword-only and ask
it, one error base, state badges from the one table."""

import datetime as dt
import inspect

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from agencies.models import AgencyKind, Role
from agencies.rules import has_perm
from campaigns import services
from campaigns.models import Campaign, CampaignState
from campaigns.rules import (
    check_may_issue,
    get_campaign_for_user,
    is_issuer_home_affairs,
    managed_campaigns,
    visible_campaigns,
)
from campaigns.services import TransitionError, amendment, create_draft
from campaigns.validation import PlanError, PlanInvalid
from common.errors import PortalError
from tests.factories import AgencyFactory, CampaignFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(plan):
    """The plan ``kh-2027`` (a draft of the city ``tp``), a department under the city, another province."""
    department = AgencyFactory(code="so-nv", parent=plan.issuer, kind=AgencyKind.DEPARTMENT)
    other = AgencyFactory(code="tinh-b", kind=AgencyKind.PROVINCE_PC)
    return {
        "plan": plan,
        "officer": user_with_role(Role.HOME_AFFAIRS, plan.issuer),
        "council": user_with_role(Role.COUNCIL, plan.issuer),
        "department_officer": user_with_role(Role.HOME_AFFAIRS, department),
        "other_officer": user_with_role(Role.HOME_AFFAIRS, other),
        "other": other,
    }


def _outcome(call):
    try:
        return call()
    except Http404:
        return 404


def test_the_issuers_home_affairs_is_one_rule_every_app_asks(world):
    plan = world["plan"]
    asked = {
        name: (
            bool(is_issuer_home_affairs(world[name], plan)),
            has_perm(world[name], "campaigns.publish_campaign", plan),
            has_perm(world[name], "scoring.manage_results", plan),
        )
        for name in ("officer", "council", "department_officer", "other_officer")
    }
    assert asked == {
        "officer": (True, True, True),
        "council": (False, False, False),
        "department_officer": (False, False, False),  # below the issuer, not above it
        "other_officer": (False, False, False),
    }


def test_get_campaign_for_user_is_404_when_missing_or_forbidden(world):
    plan, officer, other = world["plan"], world["officer"], world["other_officer"]
    assert get_campaign_for_user(officer, plan.code) == plan
    assert get_campaign_for_user(officer, plan.code, perm="campaigns.change_campaign") == plan
    Campaign.objects.filter(pk=plan.pk).update(state=CampaignState.CLOSED)
    assert [
        _outcome(lambda: get_campaign_for_user(officer, "khong-co")),
        _outcome(lambda: get_campaign_for_user(other, plan.code, perm="campaigns.copy_campaign")),
        _outcome(lambda: get_campaign_for_user(officer, plan.code, perm="campaigns.change_campaign")),
        _outcome(lambda: get_campaign_for_user(other, plan.code)).code,  # closed plans are public
    ] == [404, 404, 404, plan.code]


def test_only_home_affairs_and_the_administrator_may_start_a_plan(world):
    check_may_issue(world["officer"])
    check_may_issue(UserFactory(is_superuser=True))
    with pytest.raises(PermissionDenied):
        check_may_issue(world["council"])


def test_the_administrator_sees_and_manages_every_plan_drafts_included(world):
    admin = UserFactory(is_superuser=True)
    draft = world["plan"]
    published = CampaignFactory(code="kh-b", issuer=world["other"], state=CampaignState.PUBLISHED)
    assert set(visible_campaigns(admin)) == {draft, published}
    assert set(managed_campaigns(admin)) == {draft, published}
    assert set(visible_campaigns(world["officer"])) == {draft, published}
    assert set(managed_campaigns(world["officer"])) == {draft}
    assert set(visible_campaigns(world["council"])) == {published}


def test_plan_services_take_the_actor_keyword_only():
    functions = [
        services.set_campaign_state,
        services.amendment,
        services.create_draft,
        services.copy_campaign,
    ]
    kinds = {f.__name__: inspect.signature(f).parameters["actor"].kind for f in functions}
    assert kinds == {f.__name__: inspect.Parameter.KEYWORD_ONLY for f in functions}


def test_amendments_and_new_drafts_ask_the_same_rule(world):
    plan, other = world["plan"], world["other_officer"]
    with pytest.raises(TransitionError) as exc, amendment(plan, actor=other, reason="Sửa"):
        pass
    assert exc.value.messages == ["Chỉ cán bộ Nội vụ của cơ quan ban hành được sửa kế hoạch."]
    draft = Campaign(
        code="kh-moi",
        issuer=plan.issuer,
        title="Kế hoạch mới",
        period_start=dt.date(2028, 1, 1),
        period_end=dt.date(2028, 12, 31),
    )
    with pytest.raises(TransitionError) as exc:
        create_draft(draft, actor=other)
    assert exc.value.messages == ["Chỉ cán bộ Nội vụ của cơ quan ban hành được lập kế hoạch cho cơ quan này."]
    assert not Campaign.objects.filter(code="kh-moi").exists()
    create_draft(draft, actor=world["officer"])
    assert (draft.state, [(r.year, r.starts_on, r.ends_on) for r in draft.rounds.all()]) == (
        CampaignState.DRAFT,
        [(2028, dt.date(2028, 1, 1), dt.date(2028, 12, 31))],
    )
    assert list(draft.par_bands.order_by("-order").values_list("name", flat=True)) == [
        "Tốt",
        "Khá",
        "Trung bình",
        "Yếu",
    ]


def test_plan_errors_are_portal_errors():
    error = PlanInvalid([PlanError("issuer", "Không có cơ quan."), PlanError("", "Thiếu đợt.")])
    assert (issubclass(TransitionError, PortalError), isinstance(error, PortalError)) == (True, True)
    assert error.messages == ["issuer: Không có cơ quan.", "Thiếu đợt."]


def test_a_refused_state_change_says_why_and_goes_back(client, world):
    plan = world["plan"]
    client.force_login(world["officer"])
    response = client.post(reverse("campaigns:state", args=[plan.code]), {"state": "archived"}, follow=True)
    assert response.redirect_chain == [(reverse("campaigns:detail", args=[plan.code]), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Không thể chuyển kế hoạch từ “Dự thảo” sang “Lưu trữ”."
    ]
    assert Campaign.objects.get(pk=plan.pk).state == CampaignState.DRAFT


def test_state_badges_take_their_colour_from_the_one_table(client, world):
    plan = world["plan"]
    CampaignFactory(code="kh-cong-khai", issuer=plan.issuer, state=CampaignState.PUBLISHED)
    client.force_login(world["officer"])
    listed = client.get(reverse("campaigns:list")).content.decode()
    assert '<span class="badge text-bg-secondary">Dự thảo</span>' in listed
    assert '<span class="badge text-bg-success">Đã phát động</span>' in listed
    managed = client.get(reverse("campaigns:manage")).content.decode()
    assert '<span class="badge text-bg-secondary">Dự thảo</span>' in managed
    detail = client.get(reverse("campaigns:detail", args=[plan.code])).content.decode()
    assert '<span class="badge text-bg-secondary">Dự thảo</span>' in detail


def test_the_editor_knows_its_steps_only(client, world):
    plan = world["plan"]
    client.force_login(world["officer"])
    url = reverse("campaigns:edit", args=[plan.code, "awards"])
    assert client.get(url).status_code == 200
    assert client.get(url.replace("/awards/", "/khong-co/")).status_code == 404
