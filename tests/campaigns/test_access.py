"""Issue 9, item 3: plan services check the actor themselves; another scope's plan is not found."""

import pytest
from django.urls import reverse

from agencies.models import AgencyKind, Role
from campaigns.documents import plan_to_dict
from campaigns.models import Campaign, CampaignState
from campaigns.services import TransitionError, copy_campaign, import_plan, set_campaign_state
from campaigns.validation import PlanInvalid
from tests.factories import (
    AgencyFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_officer():
    return user_with_role(Role.HOME_AFFAIRS, AgencyFactory(code="tinh-b", kind=AgencyKind.PROVINCE_PC))


def test_another_province_cannot_change_the_state(plan, other_officer):
    with pytest.raises(TransitionError) as exc:
        set_campaign_state(plan, CampaignState.PUBLISHED, actor=other_officer)
    assert exc.value.messages == ["Chỉ cán bộ Nội vụ của cơ quan ban hành được chuyển trạng thái kế hoạch."]
    plan.refresh_from_db()
    assert plan.state == CampaignState.DRAFT


def test_another_province_cannot_import_or_copy_for_the_issuer(plan, other_officer):
    with pytest.raises(PlanInvalid) as exc:
        copy_campaign(plan, code="kh-2028", actor=other_officer)
    assert [(e.path, e.message) for e in exc.value.errors] == [
        ("issuer", "Bạn không phải cán bộ Nội vụ của cơ quan “tp”.")
    ]
    doc = plan_to_dict(plan)
    doc["issuer"] = "tinh-b"
    with pytest.raises(PlanInvalid) as exc:
        import_plan(doc, replace=True, actor=other_officer)
    assert [(e.path, e.message) for e in exc.value.errors] == [("code", "Mã kế hoạch đã được dùng.")]
    assert Campaign.objects.count() == 1


def test_copying_another_scopes_plan_is_not_found(client, plan, other_officer):
    Campaign.objects.filter(pk=plan.pk).update(state=CampaignState.PUBLISHED)
    client.force_login(other_officer)
    url = reverse("campaigns:copy", args=[plan.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {"code": "kh-2028", "title": "x", "years": 1}).status_code == 404
    client.force_login(user_with_role(Role.HOME_AFFAIRS, plan.issuer))
    assert client.get(url).status_code == 200
