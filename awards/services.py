"""The award cycle (steps 6-8): proposal lists, council sessions and votes, ties at the cut-off,
leadership decisions with prize money. No request, no HTTP.

Every state change goes through the two workflows below (``common.workflow``); every vote and
every change of a list is audited (``common.audit``); notifications go through ``notify()``.
An approved list is locked: every function that writes checks ``_require_editable`` or the state.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, Membership, Role
from agencies.rules import has_role_for
from awards.notices import AwardNotice
from campaigns.models import AwardForm, Campaign, QuotaScope, Round
from common.audit import audit_context, record
from common.display import day as display_day
from common.display import user_display_name
from common.models import NotificationKind
from common.notifications import notify
from common.workflow import Transition, Workflow
from registrations.notices import RegistrationNotice
from scoring import outcomes as scoring
from scoring.models import CandidateKind
from scoring.results import freeze_run, unfreeze_run

from .models import (
    AwardDecision,
    AwardLine,
    BaseSalary,
    CouncilMember,
    CouncilSession,
    ListState,
    Proposal,
    ProposalList,
    SessionState,
    SignerCapacity,
    Vote,
    VoteChoice,
)
from .register import record_decision
from .rules import is_session_secretary, leads_list, manages_list
from .signals import decision_issued

L = ListState


class AwardError(ValidationError):
    """A refused action, with a Vietnamese message for the page; ``code`` says why."""

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        self.code = code


def _runs_session(actor, obj) -> bool:
    """The secretary of the (latest) session, or home affairs of the issuer."""
    session = obj if isinstance(obj, CouncilSession) else obj.sessions.order_by("-pk").first()
    return session is not None and (is_session_secretary(actor, session) or manages_list(actor, session))


LIST_WORKFLOW = Workflow(
    model=ProposalList,
    transitions=[
        Transition(L.DRAFT, L.VOTING, manages_list),
        Transition(L.RETURNED, L.VOTING, manages_list),
        Transition(L.VOTING, L.VOTED, _runs_session),
        Transition(L.VOTED, L.APPROVED, leads_list),
        Transition(L.VOTED, L.RETURNED, leads_list),
        Transition(L.DRAFT, L.WITHDRAWN, manages_list),
        Transition(L.RETURNED, L.WITHDRAWN, manages_list),
        Transition(L.VOTED, L.WITHDRAWN, manages_list),
    ],
    labels=lambda state: ListState(state).label,
    transition_message=gettext_lazy("Không thể chuyển danh sách từ “%(old)s” sang “%(new)s”."),
    error=AwardError,
)

SESSION_WORKFLOW = Workflow(
    model=CouncilSession,
    transitions=[Transition(SessionState.OPEN, SessionState.CLOSED, _runs_session)],
    labels=lambda state: SessionState(state).label,
    transition_message=gettext_lazy("Không thể chuyển phiên họp từ “%(old)s” sang “%(new)s”."),
    error=AwardError,
)

EDITABLE = (L.DRAFT, L.RETURNED)


def _require(condition: bool, message: str, code: str) -> None:
    if not condition:
        raise AwardError(message, code=code)


def _require_manager(actor, plist: ProposalList) -> None:
    _require(manages_list(actor, plist), _("Anh/chị không có quyền thực hiện thao tác này."), "permission")


def _require_editable(plist: ProposalList) -> None:
    if plist.state == L.APPROVED:
        raise AwardError(
            _("Danh sách đã được phê duyệt, không thể thay đổi. Điều chỉnh bằng quyết định sửa đổi."),
            code="locked",
        )
    _require(
        plist.state in EDITABLE,
        _("Danh sách đang ở trạng thái “%(state)s”, không thể thay đổi.")
        % {"state": plist.get_state_display()},
        "state",
    )


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    _require(bool(reason), message, "reason")
    return reason


def _list_url(plist: ProposalList) -> str:
    return reverse("awards:list", args=[plist.pk])


# --- proposal lists --------------------------------------------------------------------------------


def make_list(campaign: Campaign, award_form: AwardForm, actor, round: Round | None = None) -> ProposalList:
    """Lập danh sách đề nghị from the latest results of ``round``: freezes the run and copies its
    proposed candidates and those tied at the cut-off (for the council) in one INSERT ... SELECT."""
    _require(award_form.campaign_id == campaign.pk, _("Hình thức khen thưởng không thuộc kế hoạch."), "form")
    with transaction.atomic():
        run = scoring.latest_run(campaign, round)
        _require(run is not None, _("Chưa có kết quả xét khen thưởng: hãy tính kết quả trước."), "no_run")
        plist = ProposalList(
            campaign=campaign, round=run.round, award_form=award_form, run=run, created_by=actor
        )
        _require_manager(actor, plist)
        live = ProposalList.objects.filter(round=run.round, award_form=award_form).exclude(state=L.WITHDRAWN)
        _require(
            not live.exists(),
            _("Đã có danh sách đề nghị “%(form)s” của đợt này.") % {"form": award_form.name},
            "exists",
        )
        freeze_run(run, actor=actor)
        with audit_context(actor, note=_("Lập danh sách đề nghị khen thưởng")):
            plist.save()
        rows = scoring.candidate_rows(run, award_form).filter(Q(proposed=True) | Q(tie_at_cutoff=True))
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO awards_proposal (proposal_list_id, result_id, kind, agency_id, person_id, "
                "bloc_id, rank_in_bloc, tie_at_cutoff, counts_for_quota, added, add_reason, removed, "
                "remove_reason, tie_note) SELECT %s, q.result_id, q.kind, q.agency_id, q.person_id, "
                "q.bloc_id, q.rank_in_bloc, q.tie_at_cutoff, (q.kind IN ('collective', 'individual')), "
                "%s, '', %s, '', '' "
                f"FROM ({sql}) q",
                [plist.pk, False, False, *params],
            )
    return plist


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


def _quota_key(plist: ProposalList, bloc_id, kind) -> tuple:
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


def _used(plist: ProposalList, key: tuple) -> int:
    bloc_id, kind = key
    qs = plist.proposals.filter(counts_for_quota=True, removed=False, kind=kind).filter(
        Q(tie_at_cutoff=False) | Q(tie_chosen=True)
    )
    if bloc_id is not None:
        qs = qs.filter(bloc_id=bloc_id)
    return qs.count()


def _lock_list(plist: ProposalList) -> ProposalList:
    return (
        ProposalList.objects.select_for_update(of=("self",))
        .select_related("campaign__issuer", "award_form", "run__round")
        .get(pk=plist.pk)
    )


def add_proposal(plist: ProposalList, result_id: int, actor, reason: str) -> Proposal:
    """Bổ sung an eligible candidate of the list's run, with a written reason; an ineligible one is
    refused with the failing gates named; the quota of its bloc is never exceeded."""
    with transaction.atomic():
        plist = _lock_list(plist)
        _require_manager(actor, plist)
        _require_editable(plist)
        reason = _reason(reason, _("Phải ghi lý do bổ sung."))
        found = scoring.candidates(plist.run, plist.award_form, ids=[result_id], explained=False)
        _require(bool(found), _("Không có ứng viên này trong kết quả xét của danh sách."), "unknown")
        c = found[0]
        existing = plist.proposals.filter(result_id=c.result_id).first()
        if existing is not None and not existing.removed:
            raise AwardError(_("%(name)s đã có trong danh sách.") % {"name": c.name}, code="exists")
        if not c.eligible:
            raise AwardError(
                _("Không thể bổ sung %(name)s: không đạt điều kiện %(gates)s.")
                % {"name": c.name, "gates": ", ".join(c.failed_gates) or _("của hình thức khen thưởng")},
                code="ineligible",
            )
        counts = c.kind in ("collective", "individual")
        if counts:
            key = _quota_key(plist, c.bloc_id, c.kind)
            quota = c.quota
            if quota is not None and _used(plist, key) + 1 > quota:
                raise AwardError(
                    _("Không thể bổ sung %(name)s: %(bloc)s đã dùng hết chỉ tiêu %(quota)s.")
                    % {"name": c.name, "bloc": c.bloc_name or _("kế hoạch"), "quota": quota},
                    code="quota",
                )
        with audit_context(actor, note=reason):
            if existing is not None:
                existing.removed, existing.remove_reason = False, ""
                existing.added, existing.add_reason = True, reason
                existing.tie_at_cutoff = False
                existing.save(
                    update_fields=["removed", "remove_reason", "added", "add_reason", "tie_at_cutoff"]
                )
                return existing
            return Proposal.objects.create(
                proposal_list=plist, result_id=c.result_id, kind=c.kind, agency_id=c.agency_id,
                person_id=c.person_id, bloc_id=c.bloc_id, rank_in_bloc=c.rank_in_bloc,
                counts_for_quota=counts,
                added=True, add_reason=reason,
            )  # fmt: skip


def remove_proposal(proposal: Proposal, actor, reason: str) -> Proposal:
    """Đưa ra khỏi danh sách with a written reason (the row stays, shown with the reason)."""
    with transaction.atomic():
        plist = _lock_list(proposal.proposal_list)
        _require_manager(actor, plist)
        _require_editable(plist)
        reason = _reason(reason, _("Phải ghi lý do đưa ra khỏi danh sách."))
        proposal = Proposal.objects.get(pk=proposal.pk, proposal_list=plist)
        _require(not proposal.removed, _("Ứng viên đã được đưa ra khỏi danh sách."), "removed")
        proposal.removed, proposal.remove_reason = True, reason
        with audit_context(actor, note=reason):
            proposal.save(update_fields=["removed", "remove_reason"])
    return proposal


def withdraw_list(plist: ProposalList, actor, reason: str) -> ProposalList:
    """Rút danh sách (home affairs, with a reason): the run is unfrozen and can be recomputed; the
    run and the list stay readable."""
    reason = _reason(reason, _("Phải ghi lý do rút danh sách."))

    def prepare(locked: ProposalList, old: str) -> list[str]:
        locked.withdraw_reason = reason
        return ["withdraw_reason"]

    def within(locked: ProposalList, old: str, new: str) -> None:
        unfreeze_run(locked.run, actor=actor, reason=reason)

    return LIST_WORKFLOW.apply(plist, L.WITHDRAWN, actor, note=reason, prepare=prepare, within=within)


# --- council sessions ------------------------------------------------------------------------------


def council_candidates(campaign: Campaign) -> QuerySet:
    """Users holding the council role for the plan's issuer (thành viên Hội đồng)."""
    issuer = campaign.issuer
    ids = [
        m.user_id
        for m in Membership.objects.filter(role=Role.COUNCIL, user__is_active=True).select_related("agency")
        if issuer.path.startswith(m.agency.path)
    ]
    return get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")


def open_session(
    plist: ProposalList,
    actor,
    *,
    members,
    secretary,
    held_on: dt.date,
    closes_at: dt.datetime | None = None,
    chair=None,
    place: str = "",
) -> CouncilSession:
    """Mở phiên bình xét: members chosen among the issuer's council; the quorum is the plan's."""
    members = list(members)
    issuer = plist.campaign.issuer
    _require(bool(members), _("Phải chọn ít nhất một thành viên Hội đồng."), "members")
    for user in members:
        _require(
            has_role_for(user, issuer, Role.COUNCIL),
            _("%(name)s không phải thành viên Hội đồng Thi đua - Khen thưởng của cơ quan ban hành.")
            % {"name": user_display_name(user)},
            "members",
        )
    _require(
        has_role_for(secretary, issuer, Role.COUNCIL, Role.HOME_AFFAIRS),
        _("Thư ký phải là thành viên Hội đồng hoặc cán bộ Phòng Nội vụ của cơ quan ban hành."),
        "secretary",
    )
    _require(
        chair is None or any(chair.pk == m.pk for m in members),
        _("Chủ trì phải là thành viên phiên họp."),
        "chair",
    )
    with transaction.atomic():
        campaign = plist.campaign
        holder: dict = {}

        def within(locked: ProposalList, old: str, new: str) -> None:
            session = CouncilSession.objects.create(
                proposal_list=locked, held_on=held_on, closes_at=closes_at, chair=chair, place=place,
                secretary=secretary, quorum_numerator=campaign.quorum_numerator,
                quorum_denominator=campaign.quorum_denominator, created_by=actor,
            )  # fmt: skip
            CouncilMember.objects.bulk_create([CouncilMember(session=session, user=u) for u in members])
            record(
                session, actor=actor, changes={"members": (None, len(members))}, note=_("Mở phiên bình xét")
            )
            notify(
                members, AwardNotice.COUNCIL_VOTE, session,
                title=_("Hội đồng bình xét: %(list)s") % {"list": locked},
                body=_("Phiên họp ngày %(day)s. Anh/chị biểu quyết từng ứng viên trên cổng.")
                % {"day": display_day(held_on)},
                url=reverse("awards:session", args=[session.pk]),
            )  # fmt: skip
            holder["session"] = session

        plist = LIST_WORKFLOW.apply(plist, L.VOTING, actor, note=_("Trình Hội đồng bình xét"), within=within)
    return holder["session"]


def _require_open(session: CouncilSession) -> None:
    _require(
        session.state == SessionState.OPEN,
        _("Phiên bình xét đã kết thúc: không thể biểu quyết hoặc thay đổi."),
        "closed",
    )


def cast_votes(session: CouncilSession, actor, choices: dict[int, str]) -> int:
    """A member's votes {proposal id: agree|disagree|abstain}: one vote per member and candidate
    (a second vote replaces the first), refused after closing or for a non-member."""
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        _require_open(session)
        member = session.members.filter(user=actor).first()
        _require(member is not None, _("Anh/chị không phải thành viên của phiên bình xét này."), "member")
        return _store_votes(session, member, choices, actor, written=False)


def record_written_opinion(session: CouncilSession, actor, member_user, choices: dict[int, str]) -> int:
    """The secretary records the written opinion (phiếu bằng văn bản) of an absent member."""
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        _require_open(session)
        _require(
            is_session_secretary(actor, session),
            _("Chỉ thư ký phiên họp ghi ý kiến bằng văn bản."),
            "permission",
        )
        member = session.members.filter(user=member_user).first()
        _require(member is not None, _("Người này không phải thành viên của phiên bình xét."), "member")
        member.written_opinion = True
        member.save(update_fields=["written_opinion"])
        return _store_votes(session, member, choices, actor, written=True)


def _store_votes(
    session: CouncilSession, member: CouncilMember, choices: dict, actor, *, written: bool
) -> int:
    valid = set(VoteChoice.values)
    for choice in choices.values():
        _require(choice in valid, _("Biểu quyết không hợp lệ."), "choice")
    ids = {int(k) for k in choices}
    proposals = set(
        session.proposal_list.proposals.filter(pk__in=ids, removed=False).values_list("pk", flat=True)
    )
    _require(proposals == ids, _("Có ứng viên không thuộc danh sách đang bình xét."), "proposal")
    existing = {v.proposal_id: v for v in Vote.objects.filter(member=member, proposal_id__in=ids)}
    changed_new, changed_old = [], []
    for pid, choice in choices.items():
        pid = int(pid)
        vote = existing.get(pid)
        if vote is None:
            changed_new.append(
                Vote(
                    session=session,
                    member=member,
                    proposal_id=pid,
                    choice=choice,
                    written=written,
                    recorded_by=actor,
                )
            )
        elif vote.choice != choice:
            vote.choice, vote.written, vote.recorded_by = choice, written, actor
            changed_old.append(vote)
    Vote.objects.bulk_create(changed_new)
    if changed_old:
        Vote.objects.bulk_update(changed_old, ["choice", "written", "recorded_by", "updated_at"])
    if changed_new or changed_old:
        # One audit entry per ballot (the choices themselves stay secret until closing).
        record(
            member,
            actor=actor,
            changes={"votes": (None, len(changed_new) + len(changed_old))},
            note=_("Ghi ý kiến bằng văn bản") if written else _("Biểu quyết"),
        )
    return len(changed_new) + len(changed_old)


def my_votes(session: CouncilSession, user) -> dict[int, str]:
    """The user's own votes (a member never sees the others' before closing)."""
    return dict(Vote.objects.filter(session=session, member__user=user).values_list("proposal_id", "choice"))


def decide_tie(session: CouncilSession, actor, chosen_ids, note: str) -> None:
    """The council's decision on candidates tied at the cut-off: which take the remaining places of
    their bloc, never more than the quota; stored with the council's reasoning."""
    note = _reason(note, _("Phải ghi căn cứ quyết định của Hội đồng đối với các trường hợp bằng điểm."))
    chosen_ids = {int(i) for i in chosen_ids}
    with transaction.atomic():
        session = (
            CouncilSession.objects.select_for_update()
            .select_related("proposal_list__award_form")
            .get(pk=session.pk)
        )
        _require_open(session)
        _require(
            _runs_session(actor, session), _("Anh/chị không có quyền thực hiện thao tác này."), "permission"
        )
        plist = session.proposal_list
        ties = list(plist.proposals.filter(tie_at_cutoff=True, removed=False))
        _require(bool(ties), _("Danh sách không có trường hợp bằng điểm tại ngưỡng chỉ tiêu."), "no_tie")
        _require(
            chosen_ids <= {p.pk for p in ties},
            _("Chỉ chọn trong các trường hợp bằng điểm tại ngưỡng."),
            "tie",
        )
        quota_of = {
            c.result_id: c.quota
            for c in scoring.candidates(
                plist.run, plist.award_form, ids=[p.result_id for p in ties], explained=False
            )
        }
        # The head and reform deputy (seed 002) follow their agency's collective: they are not chosen
        # on their own and take no place of the quota.
        chosen_agencies = {p.agency_id for p in ties if p.pk in chosen_ids and p.kind == "collective"}
        chosen_ids = {p.pk for p in ties if p.pk in chosen_ids and p.counts_for_quota} | {
            p.pk for p in ties if not p.counts_for_quota and p.agency_id in chosen_agencies
        }
        groups: dict[tuple, list[Proposal]] = {}
        for p in ties:
            if p.counts_for_quota:
                groups.setdefault(_quota_key(plist, p.bloc_id, p.kind), []).append(p)
        for key, group in groups.items():
            quota = quota_of.get(group[0].result_id)
            others = _used_without_ties(plist, key)
            chosen = [p for p in group if p.pk in chosen_ids]
            if quota is not None and others + len(chosen) > quota:
                raise AwardError(
                    _("Chỉ còn %(left)s chỉ tiêu cho các trường hợp bằng điểm (%(bloc)s); đã chọn %(n)s.")
                    % {
                        "left": max(quota - others, 0),
                        "bloc": group[0].bloc or _("kế hoạch"),
                        "n": len(chosen),
                    },
                    code="quota",
                )
        with audit_context(actor, note=note):
            for p in ties:
                p.tie_chosen, p.tie_note = p.pk in chosen_ids, note
                p.save(update_fields=["tie_chosen", "tie_note"])


def _used_without_ties(plist: ProposalList, key: tuple) -> int:
    bloc_id, kind = key
    qs = plist.proposals.filter(counts_for_quota=True, removed=False, kind=kind, tie_at_cutoff=False)
    if bloc_id is not None:
        qs = qs.filter(bloc_id=bloc_id)
    return qs.count()


def quorum_met(session: CouncilSession, attending: int, members: int) -> bool:
    """Present or sending a written opinion: at least numerator/denominator of all members."""
    return members > 0 and attending * session.quorum_denominator >= session.quorum_numerator * members


def close_session(session: CouncilSession, actor) -> CouncilSession:
    """Kết thúc bình xét: per candidate the votes counted against ALL members and the award form's
    threshold (``AwardForm.vote_passes``), the quorum checked, the minutes kept. A fixed number of
    queries, whatever the number of candidates and members."""
    with transaction.atomic():
        session = CouncilSession.objects.select_related(
            "proposal_list__award_form", "proposal_list__campaign"
        ).get(pk=session.pk)
        plist = session.proposal_list
        form = plist.award_form
        pending = plist.proposals.filter(tie_at_cutoff=True, removed=False, tie_chosen__isnull=True).count()
        _require(
            pending == 0,
            _("Hội đồng chưa quyết định %(n)s trường hợp bằng điểm tại ngưỡng chỉ tiêu.") % {"n": pending},
            "tie_pending",
        )
        members = list(
            session.members.select_related("user").annotate(
                voted=Count("votes", filter=Q(votes__written=False)),
                written_votes=Count("votes", filter=Q(votes__written=True)),
            )
        )
        total = len(members)
        present = [m for m in members if m.voted]
        written = [m for m in members if not m.voted and (m.written_opinion or m.written_votes)]
        absent = [m for m in members if not m.voted and not (m.written_opinion or m.written_votes)]
        attending = len(present) + len(written)
        if not quorum_met(session, attending, total):
            raise AwardError(
                _(
                    "Chưa đủ số thành viên: %(n)s/%(total)s thành viên dự họp hoặc gửi ý kiến bằng văn bản, "
                    "cần ít nhất %(num)s/%(den)s."
                )
                % {
                    "n": attending,
                    "total": total,
                    "num": session.quorum_numerator,
                    "den": session.quorum_denominator,
                },
                code="quorum",
            )

        def count(choice):
            return Coalesce(
                Subquery(
                    Vote.objects.filter(session=session, proposal=OuterRef("pk"), choice=choice)
                    .values("proposal")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            )

        proposals = plist.proposals.all()
        proposals.update(
            votes_agree=count(VoteChoice.AGREE),
            votes_disagree=count(VoteChoice.DISAGREE),
            votes_abstain=count(VoteChoice.ABSTAIN),
        )
        # vote_passes(yes, members): yes * denominator >= numerator * members, in SQL for every row.
        threshold = form.vote_numerator * total
        proposals.update(passed=False)
        proposals.filter(removed=False, votes_agree__gte=_ceil_div(threshold, form.vote_denominator)).update(
            passed=True
        )
        # The head and reform deputy (seed 002) are proposed because their agency is: when the
        # collective is not passed (or not chosen in a tie), their own votes cannot award them.
        followers = proposals.filter(kind__in=FOLLOWERS, passed=True).exclude(
            agency_id__in=awarded(plist).filter(kind=CandidateKind.COLLECTIVE).values("agency_id")
        )
        withheld = list(followers.values_list("pk", flat=True))
        proposals.filter(pk__in=withheld).update(passed=False)
        rows = list(
            proposals.order_by("bloc__order", "bloc_id", "rank_in_bloc", "pk").values_list(
                "pk", "votes_agree", "votes_disagree", "votes_abstain", "passed", "removed", "tie_at_cutoff",
                "tie_chosen", "tie_note",
            )
        )  # fmt: skip

        def name(m):
            return user_display_name(m.user)

        minutes = {
            "members": total,
            "present": [name(m) for m in present],
            "written": [name(m) for m in written],
            "absent": [name(m) for m in absent],
            "quorum": f"{session.quorum_numerator}/{session.quorum_denominator}",
            "threshold": f"{form.vote_numerator}/{form.vote_denominator}",
            "candidates": [
                {"id": r[0], "agree": r[1], "disagree": r[2], "abstain": r[3], "passed": r[4]}
                for r in rows
                if not r[5]
            ],
            "ties": [{"id": r[0], "chosen": r[7], "note": r[8]} for r in rows if r[6] and not r[5]],
            "withheld": withheld,
        }

        def prepare(locked: CouncilSession, old: str) -> list[str]:
            locked.closed_at, locked.quorum_met, locked.minutes = timezone.now(), True, minutes
            return ["closed_at", "quorum_met", "minutes"]

        session = SESSION_WORKFLOW.apply(
            session, SessionState.CLOSED, actor, note=_("Kết thúc bình xét"), prepare=prepare
        )

        def within(locked: ProposalList, old: str, new: str) -> None:
            managers = _role_users(locked, Role.HOME_AFFAIRS)
            notify(
                managers, AwardNotice.COUNCIL_VOTE, locked,
                title=_("Hội đồng đã bình xét xong: %(list)s") % {"list": locked},
                url=_list_url(locked),
            )  # fmt: skip
            notify(
                _role_users(locked, Role.LEADERSHIP), AwardNotice.COUNCIL_VOTE, locked,
                title=_("Danh sách đề nghị khen thưởng chờ phê duyệt: %(list)s") % {"list": locked},
                url=_list_url(locked),
            )  # fmt: skip

        LIST_WORKFLOW.apply(plist, L.VOTED, actor, note=_("Hội đồng đã bình xét"), within=within)
    return session


#: Candidates proposed with their agency's collective (seed 002), not on their own.
FOLLOWERS = (CandidateKind.HEAD, CandidateKind.DEPUTY)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _role_users(plist: ProposalList, role: str) -> QuerySet:
    issuer = plist.campaign.issuer
    ids = [
        m.user_id
        for m in Membership.objects.filter(role=role, user__is_active=True).select_related("agency")
        if issuer.path.startswith(m.agency.path)
    ]
    return get_user_model().objects.filter(pk__in=ids)


def remind_sessions_closing(now: dt.datetime | None = None) -> int:
    """One day before a session's voting deadline, remind its members (claimed once per session by a
    conditional UPDATE, so a retried task never sends twice)."""
    now = now or timezone.now()
    sent = 0
    due = CouncilSession.objects.filter(
        state=SessionState.OPEN,
        reminded_at__isnull=True,
        closes_at__lte=now + dt.timedelta(days=1),
        closes_at__gt=now,
    )
    for session in due.select_related("proposal_list"):
        with transaction.atomic():
            if not CouncilSession.objects.filter(pk=session.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            users = get_user_model().objects.filter(pk__in=session.members.values("user"))
            notify(
                users, RegistrationNotice.DEADLINE_REMINDER, session,
                title=_("Còn một ngày để biểu quyết: %(list)s") % {"list": session.proposal_list},
                url=reverse("awards:session", args=[session.pk]),
            )  # fmt: skip
            sent += 1
    return sent


# --- decision --------------------------------------------------------------------------------------

NUMBER_RE = re.compile(r"^([1-9][0-9]{0,5})/QĐ-[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*$")


def parse_decision_number(number: str) -> str:
    """``125/QĐ-UBND``: a number, "/QĐ-" and the issuer's abbreviation (Nghị định 30/2020)."""
    number = (number or "").strip().replace("QD-", "QĐ-")
    if not NUMBER_RE.match(number):
        raise AwardError(
            _("Số quyết định “%(n)s” không đúng dạng, ví dụ: 125/QĐ-UBND.") % {"n": number}, code="number"
        )
    return number


def base_salary_on(day: dt.date) -> Decimal:
    row = BaseSalary.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    if row is None:
        raise AwardError(
            _("Chưa có mức lương cơ sở áp dụng cho ngày %(d)s.") % {"d": display_day(day)},
            code="salary",
        )
    return row.amount


def prize_amount(multiple: Decimal | None, base: Decimal, rounding: int) -> Decimal:
    """multiple x base salary, rounded half up to a multiple of ``rounding`` đồng."""
    if multiple is None:
        return Decimal(0)
    unit = Decimal(rounding or 1)
    return ((Decimal(multiple) * base) / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


def awarded(plist: ProposalList) -> QuerySet[Proposal]:
    """Who is awarded: kept, passed by the council, and (if tied at the cut-off) chosen by it."""
    return plist.proposals.filter(removed=False, passed=True).filter(
        Q(tie_at_cutoff=False) | Q(tie_chosen=True)
    )


def approve(
    plist: ProposalList,
    actor,
    *,
    number: str,
    decided_on: dt.date,
    signer_capacity: str,
    signer_title: str,
    signer_name: str,
) -> AwardDecision:
    """Phê duyệt: records the decision (number unique per issuer and year, date, signer) with the
    annex of awardees and prize amounts, and locks the list, its votes and its run."""
    number = parse_decision_number(number)
    _check_signer(signer_capacity, signer_title, signer_name)
    holder: dict = {}

    def within(locked: ProposalList, old: str, new: str) -> None:
        decision = _issue(locked, actor, number, decided_on, signer_capacity, signer_title, signer_name)
        holder["decision"] = decision
        notify(
            Agency.objects.filter(pk__in=awarded(locked).values("agency_id")),
            AwardNotice.RESULTS,
            decision,
            title=_("Quyết định khen thưởng %(n)s: %(form)s") % {"n": number, "form": locked.award_form.name},
            url=reverse("awards:public", args=[locked.campaign.code]),
        )  # fmt: skip

    plist = LIST_WORKFLOW.apply(
        plist, L.APPROVED, actor, note=_("Phê duyệt: %(n)s") % {"n": number}, within=within
    )
    decision = holder["decision"]
    transaction.on_commit(lambda: decision_issued.send(AwardDecision, decision=decision))
    return decision


def _check_signer(capacity: str, title: str, name: str) -> None:
    _require(capacity in SignerCapacity.values, _("Chọn thẩm quyền ký: TM. hoặc KT."), "signer")
    _require(bool((title or "").strip()), _("Phải ghi chức vụ người ký."), "signer")
    _require(bool((name or "").strip()), _("Phải ghi họ tên người ký."), "signer")


def _require_free_number(issuer, number: str, day: dt.date) -> None:
    """A decision number is used once per issuer and year (Nghị định 30/2020)."""
    if AwardDecision.objects.filter(issuer=issuer, year=day.year, number=number).exists():
        raise AwardError(
            _("Số quyết định %(n)s đã được dùng trong năm %(y)s.") % {"n": number, "y": day.year},
            code="number",
        )


def _issue(plist, actor, number, decided_on, capacity, title, name) -> AwardDecision:
    """The approving decision and its annex (amending decisions copy the annex they correct:
    ``amend_decision``)."""
    campaign = Campaign.objects.select_related("issuer").get(pk=plist.campaign_id)
    issuer = campaign.issuer
    _require_free_number(issuer, number, decided_on)
    form = plist.award_form
    base = base_salary_on(decided_on)
    individual = prize_amount(form.prize_individual, base, campaign.prize_rounding)
    collective = prize_amount(form.prize_collective, base, campaign.prize_rounding)
    with audit_context(actor, note=_("Ban hành quyết định khen thưởng")):
        decision = AwardDecision.objects.create(
            proposal_list=plist, issuer=issuer, number=number, year=decided_on.year, decided_on=decided_on,
            signer_capacity=capacity, signer_title=title.strip(), signer_name=name.strip(), base_salary=base,
            total=0, created_by=actor,
        )  # fmt: skip
    # The annex in one INSERT ... SELECT: two amounts per award form (individual, collective). The
    # casts keep the type when both multiples are empty (PostgreSQL types a CASE of two NULLs as text).
    select = (
        awarded(plist)
        .annotate(line_proposal=F("pk"), line_kind=F("kind"))
        .values("line_proposal", "line_kind")
    )
    sql, params = select.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO awards_awardline (decision_id, proposal_id, multiple, amount) "
            "SELECT %s, q.line_proposal, "
            "CASE WHEN q.line_kind = 'collective' THEN CAST(%s AS NUMERIC) ELSE CAST(%s AS NUMERIC) END, "
            "CASE WHEN q.line_kind = 'collective' THEN CAST(%s AS NUMERIC) ELSE CAST(%s AS NUMERIC) END "
            f"FROM ({sql}) q",
            [decision.pk, form.prize_collective, form.prize_individual, collective, individual, *params],
        )
    decision.total = decision.lines.aggregate(t=Coalesce(Sum("amount"), Decimal(0)))["t"]
    decision.save(update_fields=["total"])
    record(decision, actor=actor, changes={"total": (None, decision.total)}, note=number)
    # The awards register (sổ theo dõi khen thưởng), in the same transaction: a decision that fails
    # leaves no row.
    record_decision(decision, actor)
    return decision


def return_list(plist: ProposalList, actor, reason: str) -> ProposalList:
    """Trả lại Phòng Nội vụ with a reason; home affairs edits and submits it to a new session."""
    reason = _reason(reason, _("Phải ghi lý do trả lại."))

    def prepare(locked: ProposalList, old: str) -> list[str]:
        locked.return_reason = reason
        return ["return_reason"]

    def within(locked: ProposalList, old: str, new: str) -> None:
        notify(
            _role_users(locked, Role.HOME_AFFAIRS), NotificationKind.OTHER, locked,
            title=_("Lãnh đạo trả lại danh sách đề nghị: %(list)s") % {"list": locked}, body=reason,
            url=_list_url(locked),
        )  # fmt: skip

    return LIST_WORKFLOW.apply(plist, L.RETURNED, actor, note=reason, prepare=prepare, within=within)


def amend_decision(
    decision: AwardDecision,
    actor,
    *,
    number: str,
    decided_on: dt.date,
    signer_capacity: str,
    signer_title: str,
    signer_name: str,
    reason: str,
    withdrawn: Iterable[int] = (),
) -> AwardDecision:
    """Quyết định sửa đổi, bổ sung: a new decision referring to the one it corrects (never an edit).

    It corrects the latest decision of the list only. Its annex is the corrected decision's annex
    with the same amounts (the award was given under that decision and its base salary), less the
    awardees whose award it withdraws (``withdrawn``: proposal ids of that annex); a correction that
    withdraws nobody re-issues the annex under the new number, date or signer."""
    number = parse_decision_number(number)
    reason = _reason(reason, _("Phải ghi lý do sửa đổi quyết định."))
    plist = decision.proposal_list
    _require(leads_list(actor, plist), _("Anh/chị không có quyền thực hiện thao tác này."), "permission")
    _require(plist.state == L.APPROVED, _("Chỉ sửa đổi quyết định của danh sách đã phê duyệt."), "state")
    _check_signer(signer_capacity, signer_title, signer_name)
    withdrawn = set(withdrawn)
    with transaction.atomic():
        ProposalList.objects.select_for_update().get(pk=plist.pk)  # one amendment at a time per list
        latest = current_decision(plist)
        _require(
            latest is not None and latest.pk == decision.pk,
            _("Quyết định %(n)s đã được sửa đổi bởi quyết định %(m)s: hãy sửa đổi quyết định mới nhất.")
            % {"n": decision.number, "m": latest.number if latest else ""},
            "superseded",
        )
        annex = set(decision.lines.values_list("proposal_id", flat=True))
        _require(
            withdrawn <= annex,
            _("Chỉ thu hồi được khen thưởng của người, tập thể có trong quyết định đang sửa đổi."),
            "withdrawn",
        )
        _require(
            bool(annex - withdrawn),
            _("Không thể thu hồi tất cả: hãy ban hành quyết định hủy bỏ theo thủ tục riêng."),
            "withdrawn",
        )
        campaign = Campaign.objects.select_related("issuer").get(pk=plist.campaign_id)
        _require_free_number(campaign.issuer, number, decided_on)
        _require(
            decided_on >= decision.decided_on,
            _("Ngày ký quyết định sửa đổi không được trước ngày của quyết định được sửa đổi (%(d)s).")
            % {"d": display_day(decision.decided_on)},
            "date",
        )
        with audit_context(actor, note=reason):
            amended = AwardDecision.objects.create(
                proposal_list=plist, issuer=campaign.issuer, number=number, year=decided_on.year,
                decided_on=decided_on, signer_capacity=signer_capacity, signer_title=signer_title.strip(),
                signer_name=signer_name.strip(), base_salary=decision.base_salary, total=0, amends=decision,
                reason=reason, created_by=actor,
            )  # fmt: skip
        AwardLine.objects.bulk_create(
            [
                AwardLine(
                    decision=amended, proposal_id=line.proposal_id, multiple=line.multiple, amount=line.amount
                )
                for line in decision.lines.exclude(proposal_id__in=withdrawn).order_by("pk")
            ]
        )
        amended.total = amended.lines.aggregate(t=Coalesce(Sum("amount"), Decimal(0)))["t"]
        amended.save(update_fields=["total"])
        names = [p.name for p in Proposal.objects.filter(pk__in=withdrawn).select_related("agency", "person")]
        note = reason
        if names:
            note = _("%(reason)s. Thu hồi khen thưởng: %(names)s") % {
                "reason": reason.rstrip("."),
                "names": ", ".join(sorted(names)),
            }
        record(amended, actor=actor, changes={"total": (str(decision.total), str(amended.total))}, note=note)
        record_decision(amended, actor)
        notify(
            Agency.objects.filter(
                Q(pk__in=amended.lines.values("proposal__agency_id"))
                | Q(pk__in=Proposal.objects.filter(pk__in=withdrawn).values("agency_id"))
            ),
            AwardNotice.RESULTS,
            amended,
            title=_("Quyết định %(n)s sửa đổi quyết định khen thưởng %(m)s")
            % {"n": number, "m": decision.number},
            body=reason,
            url=reverse("awards:public", args=[campaign.code]),
        )
    transaction.on_commit(lambda: decision_issued.send(AwardDecision, decision=amended))
    return amended


def current_decision(plist: ProposalList) -> AwardDecision | None:
    """The latest decision of the list (an amending one replaces the one it corrects)."""
    return plist.decisions.order_by("-created_at", "-pk").first()


__all__ = [
    "AwardError",
    "add_proposal",
    "amend_decision",
    "approve",
    "awarded",
    "cast_votes",
    "close_session",
    "decide_tie",
    "make_list",
    "open_session",
    "prize_amount",
    "quota_use",
    "record_written_opinion",
    "remove_proposal",
    "return_list",
    "withdraw_list",
]
