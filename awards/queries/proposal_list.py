"""Reading proposal lists: the lists a user reaches, the use of the quota, who is awarded, the rows
of the list page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from agencies.models import Role
from agencies.rules import agencies_q, is_system_admin
from campaigns.models import QuotaScope
from scoring import outcomes as scoring

from ..models import Proposal, ProposalList, SessionState


def lists_for(user) -> QuerySet[ProposalList]:
    """Lists the user reaches: home affairs or leadership of the issuer, or a seat in a session."""
    qs = ProposalList.objects.select_related("campaign", "award_form", "round")
    if is_system_admin(user):
        return qs
    reach = agencies_q(user, Role.HOME_AFFAIRS, Role.LEADERSHIP, prefix="campaign__issuer__")
    seat = Q(sessions__members__user=user) | Q(sessions__secretary=user)
    return qs.filter(reach | seat).distinct()


@dataclass(frozen=True)
class QuotaUse:
    """Quota use of one bloc (or of the whole plan) for one kind of candidate."""

    bloc_id: int | None
    bloc_name: str
    kind: str
    quota: int | None
    used: int
    ties_pending: int

    @property
    def left(self) -> int | None:
        return None if self.quota is None else self.quota - self.used


def quota_key(plist: ProposalList, bloc_id, kind) -> tuple:
    """The quota a candidate counts against: its bloc's (per-bloc quota) or the plan's, per kind."""
    per_bloc = plist.award_form.quota_scope == QuotaScope.PER_BLOC
    return (bloc_id if per_bloc else None, kind)


def quota_use(plist: ProposalList) -> list[QuotaUse]:
    """Per bloc (and kind): the quota of the results, the places used (proposals kept, ties the
    council chose) and the ties still waiting for the council. Two queries."""
    per_bloc = plist.award_form.quota_scope == QuotaScope.PER_BLOC
    quota_of = scoring.quotas(plist.run, plist.award_form)
    group = ["bloc_id", "bloc__name", "bloc__order"] if per_bloc else []
    rows = (
        plist.proposals.filter(counts_for_quota=True, removed=False)
        .values(*group, "kind")
        .annotate(
            used=Count("pk", filter=Q(tie_at_cutoff=False) | Q(tie_chosen=True)),
            pending=Count("pk", filter=Q(tie_at_cutoff=True, tie_chosen__isnull=True)),
        )
        .order_by(*group[2:], *group[:1], "kind")
    )
    out = []
    for row in rows:
        bloc_id = row.get("bloc_id")
        if per_bloc:
            quota = quota_of.get((bloc_id, row["kind"]))
        else:
            quota = max(
                (q for (_b, k), q in quota_of.items() if k == row["kind"] and q is not None), default=None
            )
        out.append(
            QuotaUse(
                bloc_id=bloc_id,
                bloc_name=row.get("bloc__name") or "",
                kind=row["kind"],
                quota=quota,
                used=row["used"],
                ties_pending=row["pending"],
            )  # fmt: skip
        )
    return out


def places_used(plist: ProposalList, key: tuple, *, with_ties: bool = True) -> int:
    """Places of the quota ``key`` (``quota_key``) taken by the proposals kept; ``with_ties``
    counts the tied candidates the council chose too, else none of the tied ones."""
    bloc_id, kind = key
    qs = plist.proposals.filter(counts_for_quota=True, removed=False, kind=kind)
    qs = (
        qs.filter(Q(tie_at_cutoff=False) | Q(tie_chosen=True))
        if with_ties
        else qs.filter(tie_at_cutoff=False)
    )
    if bloc_id is not None:
        qs = qs.filter(bloc_id=bloc_id)
    return qs.count()


def awarded(plist: ProposalList) -> QuerySet[Proposal]:
    """Who is awarded: kept, passed by the council, and (if tied at the cut-off) chosen by it."""
    return plist.proposals.filter(removed=False, passed=True).filter(
        Q(tie_at_cutoff=False) | Q(tie_chosen=True)
    )


def list_rows(plist: ProposalList) -> tuple[list[Proposal], bool]:
    """The proposals of the list page in the list's order, each with the explanation of its result
    (``explanation``) and whether the council's closing withheld it (``withheld``: a head or deputy
    whose collective was not passed); and whether a session has closed (votes to show)."""
    proposals = list(
        plist.proposals.select_related("agency", "person", "bloc").order_by(
            "bloc__order", "bloc_id", "rank_in_bloc", "pk"
        )
    )
    last_closed = plist.sessions.filter(state=SessionState.CLOSED).order_by("-closed_at", "-pk").first()
    withheld = set((last_closed.minutes or {}).get("withheld", [])) if last_closed is not None else set()
    explained = {
        c.result_id: c.explanation
        for c in scoring.candidates(plist.run, plist.award_form, ids=[p.result_id for p in proposals])
    }
    for p in proposals:
        p.explanation = explained.get(p.result_id, ())
        p.withheld = p.pk in withheld
    return proposals, last_closed is not None


#: At most this many candidates are offered for adding to a list.
ADDABLE_SHOWN = 500


def addable(plist: ProposalList, proposals: list[Proposal]) -> list:
    """Candidates of the list's results not (or no longer) on it, for the "Bổ sung" choice."""
    in_list = {p.result_id for p in proposals if not p.removed}
    candidates = scoring.candidates(plist.run, plist.award_form, explained=False)
    return [c for c in candidates if c.result_id not in in_list][:ADDABLE_SHOWN]
