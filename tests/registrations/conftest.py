import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from agencies.models import AgencyKind, Role
from campaigns.models import (
    Bloc,
    BlocMembership,
    Campaign,
    CampaignState,
    Content,
    Criterion,
    Indicator,
    Milestone,
    MilestoneKind,
    ReformArea,
    Round,
    TargetGroup,
    TargetGroupKind,
)
from tests.factories import AgencyFactory, PersonFactory, user_with_role

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@dataclass
class World:
    city: object
    ward: object
    other_ward: object
    campaign: Campaign
    round: Round
    group: TargetGroup
    criteria: list
    indicator: Indicator
    deadline: Milestone
    report_deadline: Milestone
    bloc: Bloc
    area: ReformArea
    staff: object
    head: object
    home_affairs: object
    other_staff: object
    people: list


@pytest.fixture
def world(db) -> World:
    today = timezone.localdate()
    city = AgencyFactory(code="city", kind=AgencyKind.PROVINCE_PC)
    ward = AgencyFactory(code="ward-a", parent=city, kind=AgencyKind.COMMUNE_PC, name="UBND phường A")
    other = AgencyFactory(code="ward-b", parent=city, kind=AgencyKind.COMMUNE_PC, name="UBND phường B")
    campaign = Campaign.objects.create(
        code="kh-test",
        issuer=city,
        title="Phong trào thi đua CCHC thử",
        period_start=today - dt.timedelta(days=30),
        period_end=today + dt.timedelta(days=300),
        state=CampaignState.PUBLISHED,
    )
    rnd = Round.objects.create(
        campaign=campaign, year=today.year, starts_on=campaign.period_start, ends_on=campaign.period_end
    )
    for i, title in enumerate(["Cải cách thể chế", "Cải cách thủ tục hành chính"]):
        Content.objects.create(campaign=campaign, order=i, title=title)
    area = ReformArea.objects.create(campaign=campaign, code="tthc", name="Thủ tục hành chính")
    group = TargetGroup.objects.create(
        campaign=campaign,
        code="phuong",
        name="UBND phường",
        kind=TargetGroupKind.COLLECTIVE,
        agency_kinds=[AgencyKind.COMMUNE_PC.value],
        initiative_required=True,
    )
    criteria = [
        Criterion.objects.create(
            target_group=group, order=1, code="c1", text="Tiêu chí 1", max_points=Decimal("10")
        ),
        Criterion.objects.create(
            target_group=group,
            order=2,
            code="c2",
            text="Tiêu chí 2",
            max_points=Decimal("20"),
            evidence_required=True,
        ),
    ]
    indicator = Indicator.objects.create(
        campaign=campaign, code="hai-long", name="Mức độ hài lòng", threshold=Decimal("80")
    )
    deadline = Milestone.objects.create(
        campaign=campaign, kind=MilestoneKind.REGISTRATION_DEADLINE, due_on=today + dt.timedelta(days=10)
    )
    report_deadline = Milestone.objects.create(
        campaign=campaign, kind=MilestoneKind.REPORT_DEADLINE, due_on=today + dt.timedelta(days=200)
    )
    bloc = Bloc.objects.create(campaign=campaign, code="khoi-phuong", name="Khối phường")
    BlocMembership.objects.create(bloc=bloc, agency=ward)
    BlocMembership.objects.create(bloc=bloc, agency=other)
    people = [PersonFactory(agency=ward, code=f"pa-{i}", full_name=f"Người {i}") for i in range(1, 4)]
    return World(
        city=city,
        ward=ward,
        other_ward=other,
        campaign=campaign,
        round=rnd,
        group=group,
        criteria=criteria,
        indicator=indicator,
        deadline=deadline,
        report_deadline=report_deadline,
        bloc=bloc,
        area=area,
        staff=user_with_role(Role.STAFF, ward, username="staff-a"),
        head=user_with_role(Role.HEAD, ward, username="head-a"),
        home_affairs=user_with_role(Role.HOME_AFFAIRS, city, username="noivu-city"),
        other_staff=user_with_role(Role.STAFF, other, username="staff-b"),
        people=people,
    )
