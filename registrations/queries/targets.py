"""What a plan asks of whom: its target groups (đối tượng thi đua) read for a registration.

Read by the services (who may be registered), the forms (whom to offer) and scoring (the individual
group of a person).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from agencies.models import Agency, Person
from campaigns.models import Campaign, CampaignState, Round, TargetGroup, TargetGroupKind


def collective_group_for(campaign: Campaign, agency: Agency) -> TargetGroup | None:
    for group in campaign.target_groups.all():
        if group.kind == TargetGroupKind.COLLECTIVE and agency.kind in (group.agency_kinds or []):
            return group
    return None


def open_rounds_for(agency: Agency) -> QuerySet[Round]:
    """Rounds of published plans that target this agency (the plan decides, see targets_agency)."""
    rounds = (
        Round.objects.filter(campaign__state=CampaignState.PUBLISHED)
        .select_related("campaign__issuer")
        .prefetch_related("campaign__target_groups")
    )
    return rounds.filter(pk__in=[r.pk for r in rounds if r.campaign.targets_agency(agency)])


def allowed_person_kinds(campaign: Campaign) -> set[str]:
    """Person kinds the plan's individual target groups admit (empty = the plan sets no limit)."""
    kinds: set[str] = set()
    for group in campaign.target_groups.all():
        if group.kind == TargetGroupKind.INDIVIDUAL:
            kinds.update(group.person_kinds or [])
    return kinds


def person_kind_error(person: Person, allowed: set[str]) -> str | None:
    """Why ``person`` may not be registered under the plan's individual groups (None: they may)."""
    if allowed and person.kind not in allowed:
        return _("%(name)s (%(kind)s) không thuộc đối tượng thi đua cá nhân của kế hoạch.") % {
            "name": person.full_name,
            "kind": person.get_kind_display(),
        }
    return None


def individual_groups(campaign: Campaign) -> list[TargetGroup]:
    """The plan's individual target groups, in the plan's order (one query)."""
    return list(campaign.target_groups.filter(kind=TargetGroupKind.INDIVIDUAL).order_by("order", "pk"))


def individual_group_for(
    campaign: Campaign, person: Person, groups: list[TargetGroup] | None = None
) -> TargetGroup | None:
    """The plan's individual target group of a person: the one whose person kinds list theirs, else
    the first individual group (None when the plan has none). ``groups``: ``individual_groups``
    already read, for many people."""
    groups = individual_groups(campaign) if groups is None else groups
    return next((g for g in groups if person.kind in (g.person_kinds or [])), None) or next(
        iter(groups), None
    )


def initiative_per_person(campaign: Campaign) -> bool:
    """Whether the plan asks every registered person for an initiative (seed 003)."""
    return campaign.target_groups.filter(kind=TargetGroupKind.INDIVIDUAL, initiative_per_person=True).exists()
