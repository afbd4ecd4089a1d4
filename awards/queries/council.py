"""Reading council sessions: who may sit on the council, the sessions of a member, a member's own
votes, the members of a session with whether they have voted."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from agencies.models import Role
from agencies.rules import holders
from campaigns.models import Campaign

from ..models import CouncilMember, CouncilSession, Vote


def council_candidates(campaign: Campaign) -> QuerySet:
    """Users holding the council role for the plan's issuer (thành viên Hội đồng); locked accounts
    are never offered."""
    return holders(campaign.issuer, Role.COUNCIL).order_by("last_name", "first_name", "username")


def sessions_of(user) -> QuerySet[CouncilSession]:
    """The sessions the user sits on as a member, newest first."""
    return (
        CouncilSession.objects.filter(members__user=user)
        .select_related("proposal_list__award_form", "proposal_list__campaign")
        .order_by("-held_on", "-pk")
    )


def my_votes(session: CouncilSession, user) -> dict[int, str]:
    """The user's own votes (a member never sees the others' before closing)."""
    return dict(Vote.objects.filter(session=session, member__user=user).values_list("proposal_id", "choice"))


def members_with_votes(session: CouncilSession) -> QuerySet[CouncilMember]:
    """The members of the session, each with ``n``, how many votes they have cast."""
    return session.members.select_related("user").annotate(n=Count("votes")).order_by("pk")
