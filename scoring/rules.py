"""Permissions of the scoring app (django-rules)."""

from __future__ import annotations

import rules

from agencies.rules import is_council_member, is_home_affairs, is_system_admin


@rules.predicate
def is_assigned_reviewer(user, assignment) -> bool:
    return assignment is not None and assignment.reviewer_id == user.pk


rules.add_perm("scoring.import_results", is_home_affairs | is_system_admin)
rules.add_perm("scoring.manage_reviews", is_home_affairs | is_system_admin)
rules.add_perm("scoring.compute_results", is_home_affairs | is_system_admin)
rules.add_perm("scoring.view_results", is_home_affairs | is_council_member | is_system_admin)
rules.add_perm("scoring.score_assignment", is_assigned_reviewer)
