"""Permissions of the scoring app (django-rules).

Results of a plan are managed by the home-affairs office of the issuing body (or above) and read
by its council and leadership; a reviewer scores only the assignments given to them.
"""

from __future__ import annotations

import rules

from agencies.models import Role
from agencies.rules import has_role_for, is_home_affairs, is_system_admin


@rules.predicate
def manages_plan(user, campaign) -> bool:
    return campaign is not None and has_role_for(user, campaign.issuer, Role.HOME_AFFAIRS)


@rules.predicate
def oversees_plan(user, campaign) -> bool:
    return campaign is not None and has_role_for(
        user, campaign.issuer, Role.HOME_AFFAIRS, Role.COUNCIL, Role.LEADERSHIP
    )


@rules.predicate
def is_assigned_reviewer(user, assignment) -> bool:
    return assignment is not None and assignment.reviewer_id == user.pk


rules.add_perm("scoring.import_results", is_home_affairs | is_system_admin)
rules.add_perm("scoring.manage_results", manages_plan | is_system_admin)
rules.add_perm("scoring.view_results", oversees_plan | is_system_admin)
rules.add_perm("scoring.score_assignment", is_assigned_reviewer)
