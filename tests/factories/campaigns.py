"""Factories of the campaigns app."""

import datetime as dt
from decimal import Decimal

import factory

from agencies.models import AgencyKind
from campaigns.models import (
    DEFAULT_PAR_BANDS,
    AwardForm,
    Bloc,
    BlocMembership,
    Campaign,
    CampaignState,
    Content,
    Criterion,
    Milestone,
    MilestoneKind,
    ParBand,
    Round,
    TargetGroup,
    TargetGroupKind,
    WarningRule,
)

from .agencies import AgencyFactory

__all__ = [
    "CampaignFactory",
    "RoundFactory",
    "ContentFactory",
    "TargetGroupFactory",
    "CriterionFactory",
    "MilestoneFactory",
    "BlocFactory",
    "BlocMembershipFactory",
    "ParBandFactory",
    "AwardFormFactory",
    "add_default_par_bands",
    "seed_002_warning_rule",
    "published_campaign",
]


class CampaignFactory(factory.django.DjangoModelFactory[Campaign]):
    class Meta:
        model = Campaign

    code = factory.Sequence(lambda n: f"kh-{n:04d}")
    issuer = factory.SubFactory(AgencyFactory, kind=AgencyKind.PROVINCE_PC)
    document_number = factory.Sequence(lambda n: f"{n}/KH-UBND")
    issued_on = dt.date(2027, 1, 5)
    title = factory.Sequence(lambda n: f"Phong trào thi đua cải cách hành chính số {n}")
    period_start = dt.date(2027, 1, 5)
    period_end = dt.date(2027, 12, 31)
    state = CampaignState.DRAFT


class RoundFactory(factory.django.DjangoModelFactory[Round]):
    class Meta:
        model = Round

    campaign = factory.SubFactory(CampaignFactory)
    year = factory.LazyAttribute(lambda r: r.campaign.period_start.year)
    starts_on = factory.LazyAttribute(lambda r: r.campaign.period_start)
    ends_on = factory.LazyAttribute(lambda r: r.campaign.period_end)


class ContentFactory(factory.django.DjangoModelFactory[Content]):
    class Meta:
        model = Content

    campaign = factory.SubFactory(CampaignFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Nội dung thi đua {n}")


class TargetGroupFactory(factory.django.DjangoModelFactory[TargetGroup]):
    class Meta:
        model = TargetGroup

    campaign = factory.SubFactory(CampaignFactory)
    code = factory.Sequence(lambda n: f"nhom-{n}")
    name = factory.Sequence(lambda n: f"Tập thể {n}")
    kind = TargetGroupKind.COLLECTIVE
    agency_kinds = factory.LazyFunction(lambda: [AgencyKind.COMMUNE_PC.value, AgencyKind.DEPARTMENT.value])


class CriterionFactory(factory.django.DjangoModelFactory[Criterion]):
    class Meta:
        model = Criterion

    target_group = factory.SubFactory(TargetGroupFactory)
    order = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"tc-{n}")
    text = factory.Sequence(lambda n: f"Tiêu chí {n}")
    max_points = Decimal("10")


class MilestoneFactory(factory.django.DjangoModelFactory[Milestone]):
    class Meta:
        model = Milestone

    campaign = factory.SubFactory(CampaignFactory)
    kind = MilestoneKind.REGISTRATION_DEADLINE
    due_on = factory.LazyAttribute(lambda m: m.campaign.period_start + dt.timedelta(days=14))


class BlocFactory(factory.django.DjangoModelFactory[Bloc]):
    class Meta:
        model = Bloc

    campaign = factory.SubFactory(CampaignFactory)
    code = factory.Sequence(lambda n: f"khoi-{n}")
    name = factory.Sequence(lambda n: f"Khối {n}")


class BlocMembershipFactory(factory.django.DjangoModelFactory[BlocMembership]):
    class Meta:
        model = BlocMembership

    bloc = factory.SubFactory(BlocFactory)
    agency = factory.SubFactory(AgencyFactory)
    campaign = factory.LazyAttribute(lambda m: m.bloc.campaign)


class ParBandFactory(factory.django.DjangoModelFactory[ParBand]):
    class Meta:
        model = ParBand

    campaign = factory.SubFactory(CampaignFactory)
    code = factory.Sequence(lambda n: f"band-{n}")
    name = factory.Sequence(lambda n: f"Loại {n}")
    min_score = factory.Sequence(lambda n: Decimal(n))
    order = factory.Sequence(lambda n: n)


class AwardFormFactory(factory.django.DjangoModelFactory[AwardForm]):
    class Meta:
        model = AwardForm

    campaign = factory.SubFactory(CampaignFactory)
    code = factory.Sequence(lambda n: f"kt-{n}")
    name = "Giấy khen của Chủ tịch Ủy ban nhân dân"


def add_default_par_bands(campaign) -> dict[str, ParBand]:
    """Tốt >= 90, Khá >= 80, Trung bình >= 65, Yếu >= 0; returned by code."""
    return {
        code: ParBand.objects.create(
            campaign=campaign, code=code, name=name, min_score=min_score, order=order
        )
        for code, name, min_score, order in DEFAULT_PAR_BANDS
    }


def seed_002_warning_rule(campaign, **kwargs) -> WarningRule:
    """Seed 002: "Khá" or lower two years running and fell in rank, or "Trung bình" or lower in the
    year (the plan's bands by code: kha, trung-binh)."""
    bands = {b.code: b for b in campaign.par_bands.all()}
    kwargs.setdefault("band", bands["kha"])
    kwargs.setdefault("single_year_band", bands["trung-binh"])
    return WarningRule.objects.create(campaign=campaign, **kwargs)


def published_campaign(**kwargs) -> Campaign:
    """A published plan with one round and a registration deadline 14 days after its start."""
    campaign = CampaignFactory.create(state=CampaignState.PUBLISHED, **kwargs)
    RoundFactory(campaign=campaign)
    MilestoneFactory(campaign=campaign)
    return campaign
