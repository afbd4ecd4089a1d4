"""Work-list providers of the awards app (see common/worklist.py): council sessions waiting for the
member's vote, and proposal lists waiting for leadership's approval."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import Role
from agencies.rules import agency_ids_with_role, reach_q
from common.worklist import WorkItem

from .models import CouncilMember, ListState, ProposalList, SessionState


def council_work(user) -> list[WorkItem]:
    """Open sessions where the member has not voted on every proposal still on the list."""
    if not agency_ids_with_role(user, Role.COUNCIL):
        return []
    seats = (
        CouncilMember.objects.filter(user=user, session__state=SessionState.OPEN)
        .select_related("session__proposal_list__campaign")
        .annotate(
            proposals=Count(
                "session__proposal_list__proposals",
                filter=Q(session__proposal_list__proposals__removed=False),
                distinct=True,
            ),
            voted=Count("votes", distinct=True),
        )
        .order_by("session__held_on", "session__pk")
    )
    return [
        WorkItem(
            title=_("Phiên bình xét chờ anh/chị biểu quyết"),
            count=seat.proposals - seat.voted,
            url=reverse("awards:session", args=[seat.session_id]),
            detail=seat.session.proposal_list.campaign.title,
            deadline=seat.session.closes_at,
        )
        for seat in seats
        if seat.proposals > seat.voted
    ]


def leadership_work(user) -> list[WorkItem]:
    if not agency_ids_with_role(user, Role.LEADERSHIP):
        return []
    lists = (
        ProposalList.objects.filter(reach_q(user, Role.LEADERSHIP, prefix="campaign__issuer__"))
        .filter(state=ListState.VOTED)
        .select_related("campaign", "award_form")
        .annotate(n=Count("proposals", filter=Q(proposals__removed=False)))
        .order_by("campaign__code", "pk")
    )
    return [
        WorkItem(
            title=_("Danh sách đề nghị khen thưởng chờ phê duyệt"),
            count=plist.n,
            url=reverse("awards:list", args=[plist.pk]),
            detail=f"{plist.campaign.title} – {plist.award_form.name}",
        )
        for plist in lists
    ]
