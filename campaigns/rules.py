"""Permissions on plans (django-rules), declared once here, and the access helpers every plan view
starts with.

Only home affairs of the issuing agency (or above) edits; the public sees every plan that is no longer
a draft; drafts are seen only by those who may edit them. "Home affairs of the plan's issuer" is the
predicate ``is_issuer_home_affairs``: scoring and awards ask it too, and ``managed_campaigns`` is the
same rule as a filter.
"""

from __future__ import annotations

from typing import cast

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from agencies.rules import (
    get_for_user_or_404,
    has_perm,
    is_home_affairs,
    is_home_affairs_for,
    is_system_admin,
    reach_q,
)

from .models import Campaign, CampaignState

PUBLIC_STATES = (CampaignState.PUBLISHED, CampaignState.CLOSED, CampaignState.ARCHIVED)


@rules.predicate
def is_public_plan(user, campaign) -> bool:
    return campaign is not None and campaign.state in PUBLIC_STATES


@rules.predicate
def is_issuer_home_affairs(user, campaign) -> bool:
    """Home-affairs officer of the plan's issuer or of a body above it (Phòng/Sở Nội vụ of the issuer)."""
    return campaign is not None and is_home_affairs_for(user, campaign.issuer)


@rules.predicate
def is_draft(user, campaign) -> bool:
    return campaign is not None and campaign.state == CampaignState.DRAFT


@rules.predicate
def is_published(user, campaign) -> bool:
    return campaign is not None and campaign.state == CampaignState.PUBLISHED


can_manage = is_issuer_home_affairs | is_system_admin

VIEW, ADD, CHANGE, PUBLISH, EXPORT, COPY = (
    "campaigns.view_campaign",
    "campaigns.add_campaign",
    "campaigns.change_campaign",
    "campaigns.publish_campaign",
    "campaigns.export_campaign",
    "campaigns.copy_campaign",
)

rules.add_perm(VIEW, is_public_plan | can_manage)
rules.add_perm(ADD, is_home_affairs | is_system_admin)
rules.add_perm(CHANGE, can_manage & (is_draft | is_published))
rules.add_perm(PUBLISH, can_manage)
rules.add_perm(EXPORT, is_public_plan | can_manage)
rules.add_perm(COPY, can_manage)


# --- access helpers --------------------------------------------------------------------------------


def get_campaign_for_user(user, code, *, perm: str = VIEW, queryset: QuerySet | None = None) -> Campaign:
    """The plan ``code`` if ``user`` has ``perm`` on it; 404 when it is missing or forbidden, so that
    one province cannot probe another's plans. Every view about a plan starts here."""
    qs = queryset if queryset is not None else Campaign.objects.select_related("issuer")
    return cast(Campaign, get_for_user_or_404(user, perm, qs, code=code))


def check_may_issue(user) -> None:
    """The pages that start a plan (new, import, the managed list) are home affairs' and the
    administrator's; anyone else is refused (403: there is no object to hide)."""
    if not has_perm(user, ADD):
        raise PermissionDenied


# --- the rules as filters --------------------------------------------------------------------------


def managed_campaigns(user) -> QuerySet[Campaign]:
    """The plans ``user`` manages: ``can_manage`` as a filter (every plan for the administrator)."""
    return Campaign.objects.filter(reach_q(user, prefix="issuer__"))


def visible_campaigns(user) -> QuerySet[Campaign]:
    """Public plans, plus the drafts the user may edit (``view_campaign`` as a filter)."""
    if is_system_admin(user):  # reach_q is then empty, and an empty Q joins an OR as nothing
        return Campaign.objects.all()
    return Campaign.objects.filter(Q(state__in=PUBLIC_STATES) | reach_q(user, prefix="issuer__"))
