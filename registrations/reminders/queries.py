"""What a reminder run reads: the milestones that may be due, who has not yet done what they ask,
and where each agency acts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse

from campaigns.models import VN_TZ, CampaignState, Milestone, MilestoneKind
from registrations.models import DeadlineExtension, Registration
from registrations.queries.progress import (
    agencies_not_confirmed,
    agencies_without_final_report,
    agencies_without_registration,
)

from .schedule import REMINDED_KINDS


def candidate_milestones(now: dt.datetime) -> QuerySet[Milestone]:
    """Milestones of published campaigns that may have a reminder window open now (a generous
    date range; extensions can push an agency's day later, so those milestones are included)."""
    today = now.astimezone(VN_TZ).date()
    longest = 400  # days; offsets beyond this are not meaningful
    extended = DeadlineExtension.objects.filter(extended_until__gte=today - dt.timedelta(days=2)).values(
        "milestone_id"
    )
    return (
        Milestone.objects.filter(
            campaign__state=CampaignState.PUBLISHED,
            kind__in=REMINDED_KINDS,
        )
        .filter(
            Q(due_on__gte=today - dt.timedelta(days=2), due_on__lte=today + dt.timedelta(days=longest))
            | Q(pk__in=extended)
        )
        .select_related("campaign", "round")
        .order_by("due_on", "pk")
    )


def pending_reasons(milestone: Milestone, agency_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Targeted agencies (all, or only ``agency_ids``) that have not yet done what the milestone asks,
    with the reason: "unregistered", "unconfirmed" (registration deadline) or "no_report"."""

    def ids(agencies) -> list[int]:
        if agency_ids is not None:
            agencies = agencies.filter(pk__in=list(agency_ids))
        return list(agencies.values_list("pk", flat=True))

    reasons: dict[int, str] = {}
    if milestone.kind == MilestoneKind.REGISTRATION_DEADLINE:
        for agency_id in ids(agencies_not_confirmed(milestone)):
            reasons[agency_id] = "unconfirmed"
        for agency_id in ids(agencies_without_registration(milestone)):
            reasons[agency_id] = "unregistered"
    elif milestone.kind == MilestoneKind.REPORT_DEADLINE:
        for agency_id in ids(agencies_without_final_report(milestone)):
            reasons[agency_id] = "no_report"
    return reasons


def reminder_url(milestone: Milestone) -> str:
    """Where the agency acts: its registrations page (registration and final report)."""
    for name, args in (("registrations:index", []), ("campaigns:detail", [milestone.campaign.code])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def agency_reminder_urls(milestone: Milestone, agency_ids) -> dict[int, str]:
    """The record each agency acts on: its registration (registration deadline) or its final report
    (report deadline) in the milestone's round; agencies without a registration get none (the
    registrations page, where they start one, is the fallback)."""
    registrations_qs = Registration.objects.filter(
        campaign_id=milestone.campaign_id, agency_id__in=agency_ids
    )
    if milestone.round_id:
        registrations_qs = registrations_qs.filter(round_id=milestone.round_id)
    name = (
        "registrations:report" if milestone.kind == MilestoneKind.REPORT_DEADLINE else "registrations:detail"
    )
    urls: dict[int, str] = {}
    for agency_id, pk in registrations_qs.order_by("agency_id", "-round__starts_on", "-pk").values_list(
        "agency_id", "pk"
    ):
        urls.setdefault(agency_id, reverse(name, args=[pk]))
    return urls
