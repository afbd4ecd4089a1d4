import pytest

from agencies.models import AgencyKind, Role
from tests.factories import (
    AgencyFactory,
    CampaignFactory,
    CriterionFactory,
    MilestoneFactory,
    RoundFactory,
    TargetGroupFactory,
    hcmc_directory,
    user_with_role,
)


@pytest.fixture
def directory(db):
    """The city's directory the seed plans refer to (tests/factories/hcmc.py), by code."""
    return hcmc_directory()


@pytest.fixture
def home_affairs(directory):
    """A home-affairs officer of the city (issuer of most plans)."""
    return user_with_role(Role.HOME_AFFAIRS, directory["hcm"])


@pytest.fixture
def plan(db):
    """A draft plan of a city with one ward, round, target group, criterion and milestone."""
    city = AgencyFactory(code="tp", kind=AgencyKind.PROVINCE_PC)
    campaign = CampaignFactory(code="kh-2027", issuer=city)
    AgencyFactory(code="ph-a", parent=city, kind=AgencyKind.COMMUNE_PC)
    RoundFactory(campaign=campaign)
    group = TargetGroupFactory(campaign=campaign, agency_kinds=["commune_pc"])
    CriterionFactory(target_group=group)
    MilestoneFactory(campaign=campaign)
    return campaign
