"""Reads about plans for the pages: which plans target an agency, where a plan may go next, its history."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q

from agencies.models import Agency

from .models import Campaign, CampaignState, TargetGroup, TargetGroupKind
from .workflow import WORKFLOW


def targeting_plans(agencies) -> list[tuple[Campaign, list[Agency]]]:
    """Published plans targeting any of ``agencies`` (a few queries, whatever the number of plans)."""
    agencies = list(agencies)
    plans = list(
        Campaign.objects.filter(state=CampaignState.PUBLISHED)
        .select_related("issuer")
        .prefetch_related(
            Prefetch("target_groups", queryset=TargetGroup.objects.filter(kind=TargetGroupKind.COLLECTIVE)),
            "bloc_memberships",
        )
        .order_by("-period_start")
    )
    result = []
    for plan in plans:
        kinds = plan.collective_agency_kinds()
        members = {m.agency_id for m in plan.bloc_memberships.all()}
        hits = [
            a
            for a in agencies
            if a.kind in kinds
            and not (a.dissolved_on and a.dissolved_on <= plan.period_start)
            and (a.path.startswith(plan.issuer.path) or a.pk in members)
        ]
        if hits:
            result.append((plan, hits))
    return result


def next_states(campaign: Campaign, actor) -> list[tuple[str, str]]:
    """(state, label) of the states ``actor`` may move the plan to now: the page's buttons."""
    return [(state, str(CampaignState(state).label)) for state in WORKFLOW.targets(campaign, actor)]


def plan_history(campaign: Campaign):
    """Audit entries of the plan and of its parts (rounds, milestones, criteria... carry the plan in
    ``additional_data["campaign"]``, also once deleted), newest first."""
    return (
        LogEntry.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Campaign), object_id=campaign.pk)
            | Q(additional_data__campaign=campaign.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
