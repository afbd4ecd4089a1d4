"""A published campaign with a registration and a report deadline, four targeted wards."""

import datetime as dt
from dataclasses import dataclass

import pytest

from agencies.models import AgencyKind, Role
from campaigns.models import CampaignState, MilestoneKind, TargetGroupKind
from tests.factories import (
    AgencyFactory,
    CampaignFactory,
    MilestoneFactory,
    RoundFactory,
    TargetGroupFactory,
    user_with_role,
)


@dataclass
class World:
    campaign: object
    round: object
    registration: object  # milestone: registration deadline, last day 14/03/2027
    report: object  # milestone: report deadline, last day 30/11/2027
    wards: list
    staff: dict  # agency pk -> staff user
    head: dict  # agency pk -> head user

    def recipients(self, n_agencies: int) -> int:
        return 2 * n_agencies


def make_world(n_wards: int = 4, **campaign_fields) -> World:
    province = AgencyFactory(kind=AgencyKind.PROVINCE_PC, code="tinh")
    campaign = CampaignFactory(issuer=province, state=CampaignState.PUBLISHED, **campaign_fields)
    TargetGroupFactory(
        campaign=campaign, kind=TargetGroupKind.COLLECTIVE, agency_kinds=[AgencyKind.COMMUNE_PC.value]
    )
    round_ = RoundFactory(campaign=campaign)
    registration = MilestoneFactory(
        campaign=campaign, kind=MilestoneKind.REGISTRATION_DEADLINE, due_on=dt.date(2027, 3, 14)
    )
    report = MilestoneFactory(
        campaign=campaign, kind=MilestoneKind.REPORT_DEADLINE, due_on=dt.date(2027, 11, 30)
    )
    MilestoneFactory(campaign=campaign, kind=MilestoneKind.FINAL_REVIEW, due_on=dt.date(2027, 3, 14))
    wards = [
        AgencyFactory(kind=AgencyKind.COMMUNE_PC, parent=province, code=f"phuong{i}", name=f"Phường {i}")
        for i in range(1, n_wards + 1)
    ]
    AgencyFactory(kind=AgencyKind.DEPARTMENT, parent=province, code="so-x")  # not targeted
    staff = {w.pk: user_with_role(Role.STAFF, w, username=f"canbo{i}") for i, w in enumerate(wards, 1)}
    head = {w.pk: user_with_role(Role.HEAD, w, username=f"thutruong{i}") for i, w in enumerate(wards, 1)}
    user_with_role(Role.HOME_AFFAIRS, province, username="noivu")
    return World(campaign, round_, registration, report, wards, staff, head)


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def at():
    from registrations.reminders.schedule import parse_now

    return parse_now


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
