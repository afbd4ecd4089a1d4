"""Builders for scoring tests: a published plan with blocs, bands, registrations and scores."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from agencies.models import AgencyKind
from campaigns.models import Recipient
from registrations.models import IndividualRegistration, Registration, RegistrationState
from tests.factories import (
    AgencyFactory,
    AwardFormFactory,
    BlocFactory,
    BlocMembershipFactory,
    ParIndexResultFactory,
    add_default_par_bands,
    published_campaign,
)


class Plan:
    """A plan with one round (2027), default PAR bands and helpers to add agencies to blocs."""

    def __init__(self):
        self.campaign = published_campaign()
        self.round = self.campaign.rounds.get()
        self.bands = add_default_par_bands(self.campaign)
        self.province = self.campaign.issuer
        self.blocs = {}

    def bloc(self, code="so-nganh"):
        if code not in self.blocs:
            self.blocs[code] = BlocFactory(campaign=self.campaign, code=code, name=f"Khối {code}")
        return self.blocs[code]

    def agency(self, code, bloc="so-nganh", par=None, par_year=2027, kind=AgencyKind.DEPARTMENT):
        agency = AgencyFactory(code=code, name=f"Sở {code}", kind=kind, parent=self.province)
        if bloc:
            BlocMembershipFactory(bloc=self.bloc(bloc), agency=agency)
        if par is not None:
            ParIndexResultFactory(agency=agency, year=par_year, score=Decimal(str(par)))
        return agency

    def register(self, agency, submitted_at=None, state=RegistrationState.ACCEPTED):
        submitted_at = submitted_at or timezone.make_aware(dt.datetime(2027, 1, 10, 9, 0))
        return Registration.objects.create(
            round=self.round, agency=agency, state=state, submitted_at=submitted_at
        )

    def individual(self, registration, person):
        return IndividualRegistration.objects.create(registration=registration, person=person)

    def award_form(self, **kwargs):
        kwargs.setdefault("recipient", Recipient.COLLECTIVE)
        return AwardFormFactory(campaign=self.campaign, **kwargs)


@pytest.fixture
def plan(db):
    return Plan()
