"""Quyết định khen thưởng: the leadership's approval of a voted list (the decision with its annex
of awardees and prize amounts, written to the awards register), the amending decision that
corrects it (never an edit), and the prize amounts: a multiple of the base salary in force on the
decision's date (a dated table: an old decision keeps its amount).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import Agency
from campaigns.models import Campaign
from common.audit import audit_context, record
from common.display import day as display_day
from common.notifications import notify

from ..errors import AwardError
from ..models import AwardDecision, AwardLine, BaseSalary, ListState, Proposal, ProposalList, SignerCapacity
from ..notices import AwardNotice
from ..queries.decision import current_decision
from ..queries.proposal_list import awarded
from ..register import record_decision
from ..rules import require
from ..signals import decision_issued
from .checks import check, reason_given
from .proposal_list import LIST_WORKFLOW

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
    """Mức lương cơ sở in force on ``day`` (the dated table ``BaseSalary``)."""
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


def _check_signer(capacity: str, title: str, name: str) -> None:
    check(capacity in SignerCapacity.values, _("Chọn thẩm quyền ký: TM. hoặc KT."), "signer")
    check(bool((title or "").strip()), _("Phải ghi chức vụ người ký."), "signer")
    check(bool((name or "").strip()), _("Phải ghi họ tên người ký."), "signer")


def _require_free_number(issuer, number: str, day: dt.date) -> None:
    """A decision number is used once per issuer and year (Nghị định 30/2020)."""
    if AwardDecision.objects.filter(issuer=issuer, year=day.year, number=number).exists():
        raise AwardError(
            _("Số quyết định %(n)s đã được dùng trong năm %(y)s.") % {"n": number, "y": day.year},
            code="number",
        )


def approve(
    plist: ProposalList,
    *,
    actor,
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

    LIST_WORKFLOW.apply(
        plist, ListState.APPROVED, actor, note=_("Phê duyệt: %(n)s") % {"n": number}, within=within
    )
    decision = holder["decision"]
    transaction.on_commit(lambda: decision_issued.send(AwardDecision, decision=decision))
    return decision


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


def amend_decision(
    decision: AwardDecision,
    *,
    actor,
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
    reason = reason_given(reason, _("Phải ghi lý do sửa đổi quyết định."))
    plist = decision.proposal_list
    require(actor, "awards.approve_list", plist)
    check(plist.state == ListState.APPROVED, _("Chỉ sửa đổi quyết định của danh sách đã phê duyệt."), "state")
    _check_signer(signer_capacity, signer_title, signer_name)
    withdrawn = set(withdrawn)
    with transaction.atomic():
        ProposalList.objects.select_for_update().get(pk=plist.pk)  # one amendment at a time per list
        latest = current_decision(plist)
        check(
            latest is not None and latest.pk == decision.pk,
            _("Quyết định %(n)s đã được sửa đổi bởi quyết định %(m)s: hãy sửa đổi quyết định mới nhất.")
            % {"n": decision.number, "m": latest.number if latest else ""},
            "superseded",
        )
        annex = set(decision.lines.values_list("proposal_id", flat=True))
        check(
            withdrawn <= annex,
            _("Chỉ thu hồi được khen thưởng của người, tập thể có trong quyết định đang sửa đổi."),
            "withdrawn",
        )
        check(
            bool(annex - withdrawn),
            _("Không thể thu hồi tất cả: hãy ban hành quyết định hủy bỏ theo thủ tục riêng."),
            "withdrawn",
        )
        campaign = Campaign.objects.select_related("issuer").get(pk=plist.campaign_id)
        _require_free_number(campaign.issuer, number, decided_on)
        check(
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
