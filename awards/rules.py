"""Permissions of the awards app (django-rules).

- A list is managed by the home-affairs office of the plan's issuer (or above), approved by the
  issuer's leadership; council members see it only through the sessions they belong to.
- A session is seen by its members, its secretary and home affairs; only members vote.
- Agency staff see only the public results page (no rule: it is public after the decision).
Other scopes get 404 (``get_for_user_or_404``).
"""

from __future__ import annotations

import rules

from agencies.models import Role
from agencies.rules import has_role_for, is_home_affairs, is_system_admin


def _issuer(obj):
    plist = getattr(obj, "proposal_list", obj)
    return plist.campaign.issuer


@rules.predicate
def manages_list(user, obj) -> bool:
    """Home affairs of the issuing body (for a list or a session)."""
    return obj is not None and has_role_for(user, _issuer(obj), Role.HOME_AFFAIRS)


@rules.predicate
def leads_list(user, obj) -> bool:
    return obj is not None and has_role_for(user, _issuer(obj), Role.LEADERSHIP)


@rules.predicate
def sits_on_list(user, plist) -> bool:
    """Member or secretary of a session of this list."""
    if plist is None or not getattr(user, "is_authenticated", False):
        return False
    from .models import CouncilMember, CouncilSession

    return (
        CouncilMember.objects.filter(session__proposal_list=plist, user=user).exists()
        or CouncilSession.objects.filter(proposal_list=plist, secretary=user).exists()
    )


@rules.predicate
def is_session_member(user, session) -> bool:
    if session is None or not getattr(user, "is_authenticated", False):
        return False
    return session.members.filter(user=user).exists()


@rules.predicate
def is_session_secretary(user, session) -> bool:
    return session is not None and session.secretary_id == user.pk


def _decision(obj):
    """A dossier job's decision, or the decision itself."""
    return getattr(obj, "decision", obj)


@rules.predicate
def manages_dossier(user, obj) -> bool:
    """Home affairs of the decision's issuer: starts and retries the generation of its dossier."""
    return obj is not None and manages_list(user, _decision(obj))


@rules.predicate
def leads_dossier(user, obj) -> bool:
    return obj is not None and leads_list(user, _decision(obj))


rules.add_perm("awards.view_list", manages_list | leads_list | sits_on_list | is_system_admin)
rules.add_perm("awards.manage_list", manages_list)
rules.add_perm("awards.approve_list", leads_list)
rules.add_perm(
    "awards.view_session", is_session_member | is_session_secretary | manages_list | is_system_admin
)
rules.add_perm("awards.vote", is_session_member)
rules.add_perm("awards.run_session", is_session_secretary | manages_list)


@rules.predicate
def has_any_role(user) -> bool:
    """Any role in any agency: the register shows each user the agencies they see."""
    from agencies.rules import grants

    return bool(grants(user))


rules.add_perm("awards.view_register", has_any_role | is_system_admin)
rules.add_perm("awards.import_register", is_home_affairs | is_system_admin)
# Hồ sơ khen thưởng of a decision (or of one of its generation jobs): home affairs of the issuer
# generates it, the leadership reads and downloads it.
rules.add_perm("awards.view_dossier", manages_dossier | leads_dossier | is_system_admin)
rules.add_perm("awards.generate_dossier", manages_dossier)
