"""Permissions on plans: only home affairs of the issuing agency (or above) edits; the public
sees every plan that is no longer a draft; drafts are seen only by those who may edit them."""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from agencies.models import Role
from agencies.rules import agencies_q, is_home_affairs, is_home_affairs_for, is_system_admin

from .models import Campaign, CampaignState

PUBLIC_STATES = (CampaignState.PUBLISHED, CampaignState.CLOSED, CampaignState.ARCHIVED)


@rules.predicate
def is_public_plan(user, campaign) -> bool:
    return campaign is not None and campaign.state in PUBLIC_STATES


@rules.predicate
def is_issuer_home_affairs(user, campaign) -> bool:
    return campaign is not None and is_home_affairs_for(user, campaign.issuer)


@rules.predicate
def is_draft(user, campaign) -> bool:
    return campaign is not None and campaign.state == CampaignState.DRAFT


@rules.predicate
def is_published(user, campaign) -> bool:
    return campaign is not None and campaign.state == CampaignState.PUBLISHED


can_manage = is_issuer_home_affairs | is_system_admin

rules.add_perm("campaigns.view_campaign", is_public_plan | can_manage)
rules.add_perm("campaigns.add_campaign", is_home_affairs | is_system_admin)
rules.add_perm("campaigns.change_campaign", can_manage & (is_draft | is_published))
rules.add_perm("campaigns.publish_campaign", can_manage)
rules.add_perm("campaigns.export_campaign", is_public_plan | can_manage)
rules.add_perm("campaigns.copy_campaign", can_manage)


def visible_campaigns(user) -> QuerySet[Campaign]:
    """Public plans, plus the drafts the user may edit."""
    q = Q(state__in=PUBLIC_STATES)
    if is_system_admin(user):
        return Campaign.objects.all()
    if is_home_affairs(user):
        q |= agencies_q(user, Role.HOME_AFFAIRS, prefix="issuer__")
    return Campaign.objects.filter(q)


def managed_campaigns(user) -> QuerySet[Campaign]:
    if is_system_admin(user):
        return Campaign.objects.all()
    return Campaign.objects.filter(agencies_q(user, Role.HOME_AFFAIRS, prefix="issuer__"))
