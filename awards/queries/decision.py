"""Reading award decisions: the decision in force of a list, its annex, the public results."""

from __future__ import annotations

from campaigns.models import Campaign

from ..models import AwardDecision, AwardLine, ListState, ProposalList


def current_decision(plist: ProposalList) -> AwardDecision | None:
    """The latest decision of the list (an amending one replaces the one it corrects)."""
    return plist.decisions.order_by("-created_at", "-pk").first()


ANNEX_ORDER = ("proposal__bloc__order", "proposal__bloc_id", "proposal__rank_in_bloc", "pk")


def annex(decision: AwardDecision) -> list[AwardLine]:
    """The awardees of a decision with their prize amounts, in the list's order (bloc, rank)."""
    return list(
        decision.lines.select_related("proposal__agency", "proposal__person", "proposal__bloc").order_by(
            *ANNEX_ORDER
        )
    )


def published_results(campaign: Campaign) -> list[tuple[AwardDecision, list[AwardLine]]]:
    """Công khai kết quả: the decision in force of each approved list of the plan with its annex,
    in the order of the award forms. Two queries."""
    decisions = list(
        AwardDecision.objects.filter(
            proposal_list__campaign=campaign, proposal_list__state=ListState.APPROVED
        )
        .select_related("proposal_list__award_form", "proposal_list__round")
        .order_by("proposal_list__award_form__order", "-created_at", "-pk")
    )
    current: dict[int, AwardDecision] = {}
    for d in decisions:  # the latest decision of each list (an amending one replaces the one it corrects)
        current.setdefault(d.proposal_list_id, d)
    if not current:
        return []
    lines = (
        AwardLine.objects.filter(decision__in=list(current.values()))
        .select_related("proposal__agency", "proposal__person", "proposal__bloc", "decision")
        .order_by("decision_id", *ANNEX_ORDER)
    )
    by_decision: dict[int, list[AwardLine]] = {}
    for line in lines:
        by_decision.setdefault(line.decision_id, []).append(line)
    return [(d, by_decision.get(d.pk, [])) for d in current.values()]
