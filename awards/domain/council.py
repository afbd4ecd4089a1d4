"""Bình xét of the Hội đồng Thi đua - Khen thưởng: opening a session on a list, the members' votes
and the written opinions of absent members, the council's choice among candidates tied at the
cut-off, closing the vote (``close_session``: quorum, thresholds per award form, minutes), and the
reminder before voting closes.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Role
from agencies.rules import holders
from common.audit import audit_context, record
from common.display import day as display_day
from common.display import user_display_name
from common.notifications import notify
from common.workflow import Transition, Workflow
from registrations.notices import RegistrationNotice
from scoring import outcomes as scoring
from scoring.models import CandidateKind

from ..errors import AwardError
from ..models import (
    CouncilMember,
    CouncilSession,
    ListState,
    Proposal,
    ProposalList,
    SessionState,
    Vote,
    VoteChoice,
)
from ..notices import AwardNotice
from ..queries.proposal_list import awarded, places_used, quota_key
from ..rules import may, require
from . import disclosure
from .checks import check, reason_given
from .proposal_list import LIST_WORKFLOW, list_url

SESSION_WORKFLOW = Workflow(
    model=CouncilSession,
    transitions=[Transition(SessionState.OPEN, SessionState.CLOSED, may("awards.run_session"))],
    labels=lambda state: SessionState(state).label,
    transition_message=gettext_lazy("Không thể chuyển phiên họp từ “%(old)s” sang “%(new)s”."),
    error=AwardError,
)

#: Candidates proposed with their agency's collective (seed 002), not on their own.
FOLLOWERS = (CandidateKind.HEAD, CandidateKind.DEPUTY)


def session_url(session: CouncilSession) -> str:
    return reverse("awards:session", args=[session.pk])


def open_session(
    plist: ProposalList,
    *,
    actor,
    members,
    secretary,
    held_on: dt.date,
    closes_at: dt.datetime | None = None,
    chair=None,
    place: str = "",
) -> CouncilSession:
    """Mở phiên bình xét: members chosen among the issuer's council (locked accounts are not
    council members); the quorum is the plan's."""
    members = list(members)
    issuer = plist.campaign.issuer
    check(bool(members), _("Phải chọn ít nhất một thành viên Hội đồng."), "members")
    council = set(
        holders(issuer, Role.COUNCIL).filter(pk__in=[u.pk for u in members]).values_list("pk", flat=True)
    )
    for user in members:
        check(
            user.pk in council,
            _("%(name)s không phải thành viên Hội đồng Thi đua - Khen thưởng của cơ quan ban hành.")
            % {"name": user_display_name(user)},
            "members",
        )
    check(
        secretary is not None
        and holders(issuer, Role.COUNCIL, Role.HOME_AFFAIRS).filter(pk=secretary.pk).exists(),
        _("Thư ký phải là thành viên Hội đồng hoặc cán bộ Phòng Nội vụ của cơ quan ban hành."),
        "secretary",
    )
    check(
        chair is None or any(chair.pk == m.pk for m in members),
        _("Chủ trì phải là thành viên phiên họp."),
        "chair",
    )
    disclosure.check_may_open(plist, held_on=held_on)  # công khai: not before the window ends
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
                url=session_url(session),
            )  # fmt: skip
            holder["session"] = session

        LIST_WORKFLOW.apply(plist, ListState.VOTING, actor, note=_("Trình Hội đồng bình xét"), within=within)
    return holder["session"]


def _require_open(session: CouncilSession) -> None:
    check(
        session.state == SessionState.OPEN,
        _("Phiên bình xét đã kết thúc: không thể biểu quyết hoặc thay đổi."),
        "closed",
    )


def cast_votes(session: CouncilSession, choices: dict[int, str], *, actor) -> int:
    """A member's votes {proposal id: agree|disagree|abstain}: one vote per member and candidate
    (a second vote replaces the first), refused after closing or for a non-member (a vote is a
    person's: the system casts none)."""
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        _require_open(session)
        member = session.members.filter(user=actor).first() if actor is not None else None
        if member is None:
            raise AwardError(_("Anh/chị không phải thành viên của phiên bình xét này."), code="member")
        return _store_votes(session, member, choices, actor, written=False)


def record_written_opinion(session: CouncilSession, member_user, choices: dict[int, str], *, actor) -> int:
    """The secretary records the written opinion (phiếu bằng văn bản) of an absent member."""
    with transaction.atomic():
        session = CouncilSession.objects.select_for_update().get(pk=session.pk)
        _require_open(session)
        require(actor, "awards.record_opinion", session, _("Chỉ thư ký phiên họp ghi ý kiến bằng văn bản."))
        member = session.members.filter(user=member_user).first()
        if member is None:
            raise AwardError(_("Người này không phải thành viên của phiên bình xét."), code="member")
        member.written_opinion = True
        member.save(update_fields=["written_opinion"])
        return _store_votes(session, member, choices, actor, written=True)


def _store_votes(
    session: CouncilSession, member: CouncilMember, choices: dict, actor, *, written: bool
) -> int:
    valid = set(VoteChoice.values)
    for choice in choices.values():
        check(choice in valid, _("Biểu quyết không hợp lệ."), "choice")
    ids = {int(k) for k in choices}
    proposals = set(
        session.proposal_list.proposals.filter(pk__in=ids, removed=False).values_list("pk", flat=True)
    )
    check(proposals == ids, _("Có ứng viên không thuộc danh sách đang bình xét."), "proposal")
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


def decide_tie(session: CouncilSession, chosen_ids, *, actor, note: str) -> None:
    """The council's decision on candidates tied at the cut-off: which take the remaining places of
    their bloc, never more than the quota; stored with the council's reasoning."""
    note = reason_given(note, _("Phải ghi căn cứ quyết định của Hội đồng đối với các trường hợp bằng điểm."))
    chosen_ids = {int(i) for i in chosen_ids}
    with transaction.atomic():
        session = (
            CouncilSession.objects.select_for_update()
            .select_related("proposal_list__award_form")
            .get(pk=session.pk)
        )
        _require_open(session)
        require(actor, "awards.run_session", session)
        plist = session.proposal_list
        ties = list(plist.proposals.filter(tie_at_cutoff=True, removed=False))
        check(bool(ties), _("Danh sách không có trường hợp bằng điểm tại ngưỡng chỉ tiêu."), "no_tie")
        check(
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
                groups.setdefault(quota_key(plist, p.bloc_id, p.kind), []).append(p)
        for key, group in groups.items():
            quota = quota_of.get(group[0].result_id)
            others = places_used(plist, key, with_ties=False)
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


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def quorum_met(session: CouncilSession, attending: int, members: int) -> bool:
    """Present or sending a written opinion: at least numerator/denominator of all members."""
    return members > 0 and attending * session.quorum_denominator >= session.quorum_numerator * members


def _count_votes(session: CouncilSession, choice: str):
    """Per proposal (``OuterRef``), the votes of ``session`` with ``choice``."""
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


def close_session(session: CouncilSession, *, actor) -> CouncilSession:
    """Kết thúc bình xét: per candidate the votes counted against ALL members and the award form's
    threshold (``AwardForm.vote_passes``), the quorum checked, the minutes kept. A fixed number of
    queries, whatever the number of candidates and members."""
    with transaction.atomic():
        session = CouncilSession.objects.select_related(
            "proposal_list__award_form", "proposal_list__campaign__issuer"
        ).get(pk=session.pk)
        require(actor, "awards.run_session", session)
        plist = session.proposal_list
        form = plist.award_form
        pending = plist.proposals.filter(tie_at_cutoff=True, removed=False, tie_chosen__isnull=True).count()
        check(
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
        proposals = plist.proposals.all()
        proposals.update(
            votes_agree=_count_votes(session, VoteChoice.AGREE),
            votes_disagree=_count_votes(session, VoteChoice.DISAGREE),
            votes_abstain=_count_votes(session, VoteChoice.ABSTAIN),
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
            issuer = locked.campaign.issuer
            notify(
                holders(issuer, Role.HOME_AFFAIRS), AwardNotice.COUNCIL_VOTE, locked,
                title=_("Hội đồng đã bình xét xong: %(list)s") % {"list": locked},
                url=list_url(locked),
            )  # fmt: skip
            notify(
                holders(issuer, Role.LEADERSHIP), AwardNotice.COUNCIL_VOTE, locked,
                title=_("Danh sách đề nghị khen thưởng chờ phê duyệt: %(list)s") % {"list": locked},
                url=list_url(locked),
            )  # fmt: skip

        LIST_WORKFLOW.apply(plist, ListState.VOTED, actor, note=_("Hội đồng đã bình xét"), within=within)
    return session


def remind_sessions_closing(now: dt.datetime | None = None) -> int:
    """One day before a session's voting deadline, remind its members (the system's act: claimed
    once per session by a conditional UPDATE, so a retried task never sends twice)."""
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
                url=session_url(session),
            )  # fmt: skip
            sent += 1
    return sent
