"""Danh sách đề nghị khen thưởng: its state table, making it from the frozen results, adding and
removing candidates with reasons, withdrawing it (home affairs) and returning it (leadership).

An approved list is locked: every function that writes checks ``require_editable`` or the state.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Role
from agencies.rules import holders
from campaigns.models import AwardForm, Campaign, Round
from common.audit import audit_context
from common.models import NotificationKind
from common.notifications import notify
from common.workflow import Transition, Workflow
from scoring import outcomes as scoring
from scoring.results import freeze_run, unfreeze_run

from ..errors import AwardError
from ..models import ListState, Proposal, ProposalList
from ..queries.proposal_list import places_used, quota_key
from ..rules import may, require
from .checks import check, reason_given

L = ListState

LIST_WORKFLOW = Workflow(
    model=ProposalList,
    transitions=[
        Transition(L.DRAFT, L.VOTING, may("awards.manage_list")),
        Transition(L.RETURNED, L.VOTING, may("awards.manage_list")),
        Transition(L.VOTING, L.VOTED, may("awards.run_session")),
        Transition(L.VOTED, L.APPROVED, may("awards.approve_list")),
        Transition(L.VOTED, L.RETURNED, may("awards.approve_list")),
        Transition(L.DRAFT, L.WITHDRAWN, may("awards.manage_list")),
        Transition(L.RETURNED, L.WITHDRAWN, may("awards.manage_list")),
        Transition(L.VOTED, L.WITHDRAWN, may("awards.manage_list")),
    ],
    labels=lambda state: ListState(state).label,
    transition_message=gettext_lazy("Không thể chuyển danh sách từ “%(old)s” sang “%(new)s”."),
    error=AwardError,
)


def require_editable(plist: ProposalList) -> None:
    if plist.state == L.APPROVED:
        raise AwardError(
            _("Danh sách đã được phê duyệt, không thể thay đổi. Điều chỉnh bằng quyết định sửa đổi."),
            code="locked",
        )
    check(
        plist.is_editable,
        _("Danh sách đang ở trạng thái “%(state)s”, không thể thay đổi.")
        % {"state": plist.get_state_display()},
        "state",
    )


def list_url(plist: ProposalList) -> str:
    return reverse("awards:list", args=[plist.pk])


def lock_list(plist: ProposalList) -> ProposalList:
    return (
        ProposalList.objects.select_for_update(of=("self",))
        .select_related("campaign__issuer", "award_form", "run__round")
        .get(pk=plist.pk)
    )


def make_list(
    campaign: Campaign, award_form: AwardForm, *, actor, round: Round | None = None
) -> ProposalList:
    """Lập danh sách đề nghị from the latest results of ``round``: freezes the run and copies its
    proposed candidates and those tied at the cut-off (for the council) in one INSERT ... SELECT."""
    check(award_form.campaign_id == campaign.pk, _("Hình thức khen thưởng không thuộc kế hoạch."), "form")
    with transaction.atomic():
        run = scoring.latest_run(campaign, round)
        if run is None:
            raise AwardError(_("Chưa có kết quả xét khen thưởng: hãy tính kết quả trước."), code="no_run")
        plist = ProposalList(
            campaign=campaign, round=run.round, award_form=award_form, run=run, created_by=actor
        )
        require(actor, "awards.manage_list", plist)
        live = ProposalList.objects.filter(round=run.round, award_form=award_form).exclude(state=L.WITHDRAWN)
        check(
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


def add_proposal(plist: ProposalList, result_id: int, *, actor, reason: str) -> Proposal:
    """Bổ sung an eligible candidate of the list's run, with a written reason; an ineligible one is
    refused with the failing gates named; the quota of its bloc is never exceeded."""
    with transaction.atomic():
        plist = lock_list(plist)
        require(actor, "awards.manage_list", plist)
        require_editable(plist)
        reason = reason_given(reason, _("Phải ghi lý do bổ sung."))
        found = scoring.candidates(plist.run, plist.award_form, ids=[result_id], explained=False)
        check(bool(found), _("Không có ứng viên này trong kết quả xét của danh sách."), "unknown")
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
            quota = c.quota
            if quota is not None and places_used(plist, quota_key(plist, c.bloc_id, c.kind)) + 1 > quota:
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


def remove_proposal(proposal: Proposal, *, actor, reason: str) -> Proposal:
    """Đưa ra khỏi danh sách with a written reason (the row stays, shown with the reason)."""
    with transaction.atomic():
        plist = lock_list(proposal.proposal_list)
        require(actor, "awards.manage_list", plist)
        require_editable(plist)
        reason = reason_given(reason, _("Phải ghi lý do đưa ra khỏi danh sách."))
        proposal = Proposal.objects.get(pk=proposal.pk, proposal_list=plist)
        check(not proposal.removed, _("Ứng viên đã được đưa ra khỏi danh sách."), "removed")
        proposal.removed, proposal.remove_reason = True, reason
        with audit_context(actor, note=reason):
            proposal.save(update_fields=["removed", "remove_reason"])
    return proposal


def withdraw_list(plist: ProposalList, *, actor, reason: str) -> ProposalList:
    """Rút danh sách (home affairs, with a reason): the run is unfrozen and can be recomputed; the
    run and the list stay readable."""
    reason = reason_given(reason, _("Phải ghi lý do rút danh sách."))

    def prepare(locked: ProposalList, old: str) -> list[str]:
        locked.withdraw_reason = reason
        return ["withdraw_reason"]

    def within(locked: ProposalList, old: str, new: str) -> None:
        unfreeze_run(locked.run, actor=actor, reason=reason)

    return LIST_WORKFLOW.apply(plist, L.WITHDRAWN, actor, note=reason, prepare=prepare, within=within)


def return_list(plist: ProposalList, *, actor, reason: str) -> ProposalList:
    """Trả lại Phòng Nội vụ (leadership, with a reason); home affairs edits the list and submits it
    to a new session."""
    reason = reason_given(reason, _("Phải ghi lý do trả lại."))

    def prepare(locked: ProposalList, old: str) -> list[str]:
        locked.return_reason = reason
        return ["return_reason"]

    def within(locked: ProposalList, old: str, new: str) -> None:
        notify(
            holders(locked.campaign.issuer, Role.HOME_AFFAIRS), NotificationKind.OTHER, locked,
            title=_("Lãnh đạo trả lại danh sách đề nghị: %(list)s") % {"list": locked}, body=reason,
            url=list_url(locked),
        )  # fmt: skip

    return LIST_WORKFLOW.apply(plist, L.RETURNED, actor, note=reason, prepare=prepare, within=within)
