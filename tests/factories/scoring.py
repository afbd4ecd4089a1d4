"""Factories of the scoring app."""

from decimal import Decimal

import factory

from campaigns.models import StaffRating
from scoring.models import Complaint, CriterionScore, ParIndexResult, ReviewAssignment, StaffRatingRecord

from .agencies import AgencyFactory, PersonFactory, UserFactory

__all__ = [
    "ParIndexResultFactory",
    "StaffRatingRecordFactory",
    "ComplaintFactory",
    "ReviewAssignmentFactory",
    "CriterionScoreFactory",
]


class ParIndexResultFactory(factory.django.DjangoModelFactory[ParIndexResult]):
    class Meta:
        model = ParIndexResult

    agency = factory.SubFactory(AgencyFactory)
    year = 2026
    score = Decimal("85")
    rating = ""


class StaffRatingRecordFactory(factory.django.DjangoModelFactory[StaffRatingRecord]):
    class Meta:
        model = StaffRatingRecord

    person = factory.SubFactory(PersonFactory)
    year = 2027
    rating = StaffRating.GOOD
    disciplined = False


class ComplaintFactory(factory.django.DjangoModelFactory[Complaint]):
    class Meta:
        model = Complaint

    agency = factory.SubFactory(AgencyFactory)
    year = 2027
    summary = "Công chức có thái độ hách dịch khi tiếp nhận hồ sơ"
    upheld = True


class ReviewAssignmentFactory(factory.django.DjangoModelFactory[ReviewAssignment]):
    """Needs ``registration`` and ``target_group``; ``round`` follows the registration."""

    class Meta:
        model = ReviewAssignment

    round = factory.LazyAttribute(lambda a: a.registration.round)
    reviewer = factory.SubFactory(UserFactory)


class CriterionScoreFactory(factory.django.DjangoModelFactory[CriterionScore]):
    class Meta:
        model = CriterionScore

    points = Decimal("5")
