"""Issue 9, item 26: a notification about a record leads to that record, even when its sender names
no address; home affairs is found over the agency's whole branch."""

import pytest
from django.urls import reverse

from agencies.models import AgencyKind, Role
from agencies.rules import holders
from campaigns.notices import CampaignNotice
from common.models import NotificationKind
from common.notifications import notify
from registrations.models import FinalReport
from registrations.notices import RegistrationNotice
from scoring.models import ReviewAssignment
from scoring.notices import ScoringNotice
from tests.factories import (
    AgencyFactory,
    RegistrationFactory,
    TargetGroupFactory,
    UserFactory,
    published_campaign,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def test_without_an_address_a_notification_leads_to_its_record():
    user = UserFactory()
    campaign = published_campaign()
    registration = RegistrationFactory(round=campaign.rounds.get())
    report = FinalReport.objects.create(registration=registration)
    assignment = ReviewAssignment.objects.create(
        round=registration.round,
        registration=registration,
        reviewer=user,
        target_group=TargetGroupFactory(campaign=campaign),
    )
    expected = {
        CampaignNotice.CAMPAIGN_AMENDED: (campaign, reverse("campaigns:detail", args=[campaign.code])),
        RegistrationNotice.REGISTRATION_ACCEPTED: (
            registration,
            reverse("registrations:detail", args=[registration.pk]),
        ),
        RegistrationNotice.REPORT_ACCEPTED: (report, reverse("registrations:report", args=[registration.pk])),
        ScoringNotice.REVIEWER_ASSIGNED: (assignment, reverse("scoring:review", args=[assignment.pk])),
    }
    for kind, (obj, url) in expected.items():
        [row] = notify(user, kind, obj, title="Có việc", email=False)
        assert row.url == url, kind


def test_an_explicit_address_wins():
    user = UserFactory()
    campaign = published_campaign()
    [row] = notify(user, NotificationKind.OTHER, campaign, title="Có việc", url="/scoring/", email=False)
    assert row.url == "/scoring/"


def test_home_affairs_recipients_are_those_above_the_agency():
    province = AgencyFactory(code="tinh", kind=AgencyKind.PROVINCE_PC)
    ward = AgencyFactory(code="phuong", parent=province, kind=AgencyKind.COMMUNE_PC)
    sibling = AgencyFactory(code="phuong-khac", parent=province, kind=AgencyKind.COMMUNE_PC)
    above = user_with_role(Role.HOME_AFFAIRS, province, username="noivu-tinh")
    own = user_with_role(Role.HOME_AFFAIRS, ward, username="noivu-phuong")
    user_with_role(Role.HOME_AFFAIRS, sibling, username="noivu-ben-canh")
    user_with_role(Role.STAFF, ward, username="canbo")
    gone = user_with_role(Role.HOME_AFFAIRS, province, username="da-nghi")
    gone.is_active = False
    gone.save()
    other = AgencyFactory(code="tinh-khac", kind=AgencyKind.PROVINCE_PC)
    user_with_role(Role.HOME_AFFAIRS, other, username="noivu-tinh-khac")
    assert sorted(u.username for u in holders(ward, Role.HOME_AFFAIRS)) == sorted(
        [above.username, own.username]
    )
