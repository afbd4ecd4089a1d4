"""Who of a plan's targeted agencies has done what: the read API of reminders and the progress page.

- ``agencies_without_registration(milestone)``: targeted agencies that have not submitted a
  registration for the milestone's round (none at all, or still a draft).
- ``agencies_not_confirmed(milestone)``: targeted agencies whose registration the head has not
  confirmed yet (no registration, draft, submitted, resubmitted or returned).
- ``agencies_without_final_report(milestone)``: targeted agencies with no submitted final report.

These take a ``campaigns.Milestone``; when it has no round they look at every round of its
campaign. They return ``Agency`` querysets (one query when evaluated). ``campaign_progress`` and
``agencies_lagging_in`` count and list the same per bloc (khối) for home affairs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from agencies.models import Agency
from campaigns.models import BlocMembership, Campaign, Milestone

from ..models import FinalReport, Registration, RegistrationState, ReportState

S = RegistrationState


def _round_q(milestone: Milestone, prefix: str = "") -> Q:
    if milestone.round_id:
        return Q(**{f"{prefix}round_id": milestone.round_id})
    return Q(**{f"{prefix}campaign_id": milestone.campaign_id})


def targeted(campaign: Campaign) -> QuerySet[Agency]:
    """The plan's targeted agencies that still exist."""
    return Agency.objects.filter(pk__in=campaign.targeted_agencies().values("pk"), dissolved_on__isnull=True)


def agencies_without_registration(milestone: Milestone) -> QuerySet[Agency]:
    """Targeted agencies with no registration beyond a draft in the milestone's round (or campaign)."""
    done = Registration.objects.filter(_round_q(milestone), agency=OuterRef("pk")).exclude(state=S.DRAFT)
    return targeted(milestone.campaign).exclude(Exists(done))


def agencies_not_confirmed(milestone: Milestone) -> QuerySet[Agency]:
    """Targeted agencies whose registration the head has not confirmed (nor home affairs accepted)."""
    done = Registration.objects.filter(
        _round_q(milestone), agency=OuterRef("pk"), state__in=[S.CONFIRMED, S.ACCEPTED]
    )
    return targeted(milestone.campaign).exclude(Exists(done))


def agencies_without_final_report(milestone: Milestone) -> QuerySet[Agency]:
    """Targeted agencies that have not submitted their final report."""
    done = FinalReport.objects.filter(
        _round_q(milestone, "registration__"),
        registration__agency=OuterRef("pk"),
        state=ReportState.SUBMITTED,
    )
    return targeted(milestone.campaign).exclude(Exists(done))


@dataclass
class BlocProgress:
    name: str
    total: int
    registered: int
    confirmed: int
    accepted: int
    reported: int


def _progress_queryset(campaign: Campaign) -> QuerySet[Agency]:
    bloc = BlocMembership.objects.filter(campaign=campaign, agency=OuterRef("pk"))
    registration = Registration.objects.filter(campaign=campaign, agency=OuterRef("pk")).order_by(
        "-round__starts_on"
    )
    report = FinalReport.objects.filter(
        registration__campaign=campaign, registration__agency=OuterRef("pk"), state=ReportState.SUBMITTED
    )
    return targeted(campaign).annotate(
        bloc_name=Subquery(bloc.values("bloc__name")[:1]),
        bloc_order=Subquery(bloc.values("bloc__order")[:1]),
        registration_state=Subquery(registration.values("state")[:1]),
        registration_id=Subquery(registration.values("pk")[:1]),
        reported=Exists(report),
    )


def campaign_progress(campaign: Campaign) -> list[BlocProgress]:
    """Per bloc (khối): targeted agencies, registered (submitted or later), confirmed by the head,
    accepted by home affairs, final report submitted. Counted in the database (one query)."""
    registered = Q(registration_state__in=[S.SUBMITTED, S.CONFIRMED, S.RETURNED, S.RESUBMITTED, S.ACCEPTED])
    rows = (
        _progress_queryset(campaign)
        .order_by()
        .values("bloc_name", "bloc_order")  # type: ignore[misc]  # annotations django-stubs cannot see
        .annotate(
            total=Count("pk"),
            registered=Count("pk", filter=registered),
            confirmed=Count("pk", filter=Q(registration_state__in=[S.CONFIRMED, S.ACCEPTED])),
            accepted=Count("pk", filter=Q(registration_state=S.ACCEPTED)),
            reported=Count("pk", filter=Q(reported=True)),
        )
        .order_by("bloc_order", "bloc_name")
    )
    return [
        BlocProgress(
            name=row["bloc_name"] or _("Chưa xếp khối"),
            total=row["total"],
            registered=row["registered"],
            confirmed=row["confirmed"],
            accepted=row["accepted"],
            reported=row["reported"],
        )
        for row in rows
    ]


#: Dashboard lists: which targeted agencies have not yet reached each stage.
LAGGARD_STAGES = {
    "registered": Q(registration_state__isnull=True) | Q(registration_state=S.DRAFT),
    "confirmed": Q(registration_state__isnull=True) | ~Q(registration_state__in=[S.CONFIRMED, S.ACCEPTED]),
    "reported": Q(reported=False),
}


def agencies_lagging_in(campaign: Campaign, stage: str = "registered") -> QuerySet[Agency]:
    """Targeted agencies that have not reached ``stage`` (registered / confirmed / reported), with
    their bloc name and registration state, for the progress page."""
    return (
        _progress_queryset(campaign).filter(LAGGARD_STAGES[stage]).order_by("bloc_order", "bloc_name", "path")
    )
