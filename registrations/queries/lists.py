"""The lists of the registrations pages and work list, filtered by what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.db.models import Count, OuterRef, QuerySet, Subquery

from agencies.models import Agency, Role
from agencies.rules import agency_ids_with_role, reach_q
from campaigns.models import BlocMembership, Campaign, CampaignState, MilestoneKind, Round
from campaigns.rules import managed_campaigns

from ..models import Registration
from .deadlines import effective_deadline
from .targets import open_rounds_for


class Opening(TypedDict):
    """A round the agency may register for and has not yet (kế hoạch đang nhận đăng ký)."""

    agency: Agency
    round: Round
    deadline: dt.datetime | None


def openings(user, *, registered: set[tuple[int, int]] | None = None) -> list[Opening]:
    """For each agency where ``user`` is the staff, the rounds of published plans targeting it that
    it has not registered for, with the registration deadline (its extension counted).
    ``registered``: the (round id, agency id) of its registrations, when the caller has read them."""
    staff_ids = agency_ids_with_role(user, Role.STAFF)
    if not staff_ids:
        return []
    if registered is None:
        registered = set(
            Registration.objects.filter(agency_id__in=staff_ids).values_list("round_id", "agency_id")
        )
    found = []
    for agency in Agency.objects.filter(pk__in=staff_ids).order_by("path"):
        for rnd in open_rounds_for(agency):
            if (rnd.pk, agency.pk) in registered:
                continue
            milestone = rnd.campaign.milestone(MilestoneKind.REGISTRATION_DEADLINE, rnd)
            found.append(Opening(agency=agency, round=rnd, deadline=effective_deadline(agency, milestone)))
    return found


def agency_registrations(user, *roles: str) -> QuerySet[Registration]:
    """The registrations of the agencies where ``user`` holds one of ``roles`` (staff and head)."""
    return Registration.objects.filter(
        agency_id__in=agency_ids_with_role(user, *(roles or (Role.STAFF, Role.HEAD)))
    ).select_related("agency", "campaign", "round")


def reviewed_campaigns(user) -> QuerySet[Campaign]:
    """The plans whose registrations ``user`` reviews (home affairs of the issuer), drafts aside."""
    return managed_campaigns(user).exclude(state=CampaignState.DRAFT).select_related("issuer")


def campaign_registrations(campaign: Campaign, *, actor) -> QuerySet[Registration]:
    """The plan's registrations of the agencies in ``actor``'s reach, with the bloc's name and the
    number of people and initiatives (the review list and its exports)."""
    bloc = BlocMembership.objects.filter(campaign=campaign, agency=OuterRef("agency_id"))
    return (
        Registration.objects.filter(reach_q(actor, prefix="agency__"), campaign=campaign)
        .select_related("agency", "round", "target_group")
        .annotate(
            bloc_name=Subquery(bloc.values("bloc__name")[:1]),
            people_count=Count("individuals", distinct=True),
            initiative_count=Count("initiatives", distinct=True),
        )
        .order_by("agency__path")
    )
