"""Factories of the registrations app."""

import factory

from registrations.models import IndividualRegistration, Initiative, Registration

from .agencies import AgencyFactory, PersonFactory
from .campaigns import RoundFactory

__all__ = ["RegistrationFactory", "IndividualRegistrationFactory", "InitiativeFactory"]


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    round = factory.SubFactory(RoundFactory)
    campaign = factory.LazyAttribute(lambda r: r.round.campaign)
    agency = factory.SubFactory(AgencyFactory)


class IndividualRegistrationFactory(factory.django.DjangoModelFactory[IndividualRegistration]):
    class Meta:
        model = IndividualRegistration

    registration = factory.SubFactory(RegistrationFactory)
    round = factory.LazyAttribute(lambda i: i.registration.round)
    person = factory.SubFactory(PersonFactory, agency=factory.SelfAttribute("..registration.agency"))


class InitiativeFactory(factory.django.DjangoModelFactory[Initiative]):
    class Meta:
        model = Initiative

    registration = factory.SubFactory(RegistrationFactory)
    title = factory.Sequence(lambda n: f"Sáng kiến số {n}")
