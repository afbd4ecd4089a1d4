"""Seed 003 ("mỗi cá nhân ... đăng ký một sáng kiến"): who of a registration still lacks an initiative."""

from __future__ import annotations

from agencies.models import Person

from ..models import Initiative, Registration
from .targets import individual_group_for, individual_groups


def people_without_initiative(registration: Registration) -> list[Person]:
    """The people registered with this registration whose individual group sets
    ``initiative_per_person`` and who author none of its initiatives, in name order. A constant
    number of queries, however many people."""
    campaign = registration.campaign
    groups = individual_groups(campaign)
    if not any(g.initiative_per_person for g in groups):
        return []
    authors = set(
        Initiative.authors.through.objects.filter(initiative__registration=registration).values_list(
            "person_id", flat=True
        )
    )
    missing = []
    for individual in registration.individuals.select_related("person").order_by("person__full_name", "pk"):
        person = individual.person
        group = individual_group_for(campaign, person, groups)
        if group is not None and group.initiative_per_person and person.pk not in authors:
            missing.append(person)
    return missing
