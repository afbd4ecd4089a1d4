"""The facts every document of a decision's dossier stands on (``DecisionFacts``: the decision,
its list, plan, issuer, proposer, signer and annex, loaded with a fixed number of queries), and the
pieces several documents share: the plan's basis, the awardees' names and the annex table.

Amounts, vote counts and the prize multiples are the ones the award services stored
(``AwardLine.amount``, ``AwardDecision.total``, ``Proposal.votes_*``), never recomputed here.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from agencies.models import Agency, AgencyKind
from common.display import number

from ..errors import DossierError
from ..models import AwardDecision, AwardLine, CouncilSession, ListState, Proposal, SessionState
from .layout import Header, Para, Row, Signature, para
from .wording import (
    PEOPLES_COMMITTEE,
    abbreviation,
    amount_in_words,
    body_lines,
    date_line,
    lower_first,
    money,
    position_in_unit,
)

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
COUNCIL = "Hội đồng Thi đua - Khen thưởng"
PC_KINDS = {AgencyKind.PROVINCE_PC, AgencyKind.DISTRICT_PC, AgencyKind.COMMUNE_PC}
BLANK_NUMBER = "\u00a0" * 8  # the number is given when the document is signed


def ordered_lines(decision: AwardDecision) -> list[AwardLine]:
    """The awardees in the annex's order: collectives, then individuals (heads before deputies),
    each in the list's order (bloc, rank). One query."""
    lines = list(
        decision.lines.select_related("proposal__agency", "proposal__person", "proposal__bloc").order_by(
            "proposal__bloc__order",
            "proposal__bloc_id",
            "proposal__rank_in_bloc",
            "proposal__agency__path",
            "-proposal__person__is_head",
            "-proposal__person__is_reform_deputy",
            "pk",
        )  # fmt: skip
    )
    lines.sort(key=lambda line: line.proposal.kind != "collective")
    return lines


class DecisionFacts:
    """The decision with what every document of it needs: 3 queries (decision, ancestors, lines)."""

    def __init__(self, decision: AwardDecision | int, *, with_lines: bool = True):
        pk = decision.pk if isinstance(decision, AwardDecision) else decision
        self.d = AwardDecision.objects.select_related(
            "issuer__parent",
            "amends",
            "proposal_list__campaign__issuer",
            "proposal_list__award_form",
            "proposal_list__round",
            "proposal_list__created_by__person__agency__parent",
        ).get(pk=pk)  # fmt: skip
        self.plist = self.d.proposal_list
        if self.plist.state != ListState.APPROVED:
            raise DossierError(_("Danh sách chưa được phê duyệt: chưa có hồ sơ khen thưởng."))
        self.campaign = self.plist.campaign
        self.form = self.plist.award_form
        self.round = self.plist.round
        self.issuer = self.d.issuer
        codes = self.issuer.ancestor_codes()
        self.ancestors = {a.code: a for a in Agency.objects.filter(code__in=codes)} if codes else {}
        self.lines: list[AwardLine] = []
        if with_lines:
            self.lines = ordered_lines(self.d)

    # who and where

    @property
    def place(self) -> str:
        """Địa danh: the administrative unit the issuer sits in ("Thành phố Hồ Chí Minh")."""
        chain = [self.ancestors[c] for c in self.issuer.ancestor_codes() if c in self.ancestors] + [
            self.issuer
        ]
        for agency in reversed(chain):
            if agency.kind in PC_KINDS:
                name = agency.name
                if name.lower().startswith(PEOPLES_COMMITTEE.lower() + " "):
                    name = name[len(PEOPLES_COMMITTEE) + 1 :]
                # "tỉnh Hà Nam" -> "Hà Nam" (ND 30/2020: the province's name); cities keep "Thành phố"
                name = re.sub(r"^tỉnh\s+", "", name)
                return name[:1].upper() + name[1:]
        return self.issuer.name

    def governing(self, agency: Agency) -> tuple[str, ...]:
        """Tên cơ quan chủ quản: none above a People's Committee; the parent for others."""
        if agency.kind in PC_KINDS or agency.parent_id is None:
            return ()
        parent = agency.parent if agency.parent_id else None
        return body_lines(parent.name) if parent else ()

    @property
    def issuer_symbol(self) -> str:
        return self.d.number.split("QĐ-", 1)[-1] if "QĐ-" in self.d.number else abbreviation(self.issuer.name)

    @property
    def issuer_is_pc(self) -> bool:
        return self.issuer.kind in PC_KINDS

    @property
    def proposer(self) -> Agency:
        """The office that proposes (Sở/Phòng Nội vụ): the list maker's agency under the issuer."""
        user = self.plist.created_by
        person = getattr(user, "person", None) if user is not None else None
        if person is not None and person.agency.path.startswith(self.issuer.path):
            return person.agency
        return self.issuer

    @property
    def proposer_name(self) -> str:
        return self.proposer.name if self.proposer.pk != self.issuer.pk else COUNCIL

    def header(self, number: str, when: dt.date | None, *, body: Agency | None = None, issuing=None):
        body = body or self.issuer
        governing = self.governing(body) if issuing is None else body_lines(body.name)
        return Header(
            governing=governing,
            issuing=issuing or body_lines(body.name),
            number=number,
            place_date=date_line(self.place, when, self.d.year),
        )

    @property
    def authority(self) -> str:
        """Who decides: the People's Committee when signed TM. (on its behalf), its chairman when a
        deputy signs KT. (for the chairman)."""
        if self.issuer_is_pc and self.d.signer_capacity == "KT.":
            return f"CHỦ TỊCH {self.issuer.name.upper()}"
        return self.issuer.name.upper()

    def signature(self) -> Signature:
        """TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH, or KT. CHỦ TỊCH / PHÓ CHỦ TỊCH."""
        body = PEOPLES_COMMITTEE.upper() if self.issuer_is_pc else self.issuer.name.upper()
        title = self.d.signer_title.strip()
        if self.d.signer_capacity == "KT.":
            # ký thay the head (the decision is the chairman's: see ``authority``)
            head = re.sub(r"^(Phó|phó)\s+", "", title)
            capacity = f"KT. {head.upper()}"
        else:
            capacity = f"TM. {body}"
        return Signature(capacity=capacity, title=title.upper(), name=self.d.signer_name)

    # counts and amounts (as stored by the award services)

    def split(self) -> tuple[list[AwardLine], list[AwardLine]]:
        collectives = [line for line in self.lines if line.proposal.kind == "collective"]
        return collectives, [line for line in self.lines if line.proposal.kind != "collective"]

    def counts_text(self) -> str:
        collectives, people = self.split()
        parts = []
        if collectives:
            parts.append(f"{len(collectives)} tập thể")
        if people:
            parts.append(f"{len(people)} cá nhân")
        return " và ".join(parts) or "0 tập thể, cá nhân"

    @property
    def award_kind(self) -> str:
        return str(self.form.get_kind_display())

    @property
    def round_label(self) -> str:
        return self.round.label or f"năm {self.round.year}"

    @property
    def achievement(self) -> str:
        """ "đã có thành tích xuất sắc trong ..., năm 2022"."""
        title = lower_first(self.campaign.title)
        if str(self.round.year) in title:
            return f"đã có thành tích xuất sắc trong thực hiện {title}"
        return f"đã có thành tích xuất sắc trong thực hiện {title}, {lower_first(self.round_label)}"

    def prize_sentence(self) -> str:
        collectives, people = self.split()
        parts = []
        for lines, who in ((collectives, "tập thể"), (people, "cá nhân")):
            if lines and lines[0].multiple is not None:
                parts.append(
                    f"mỗi {who} {number(lines[0].multiple)} lần mức lương cơ sở, "
                    f"{money(lines[0].amount)} đồng"
                )
        if not parts:
            return "Hình thức khen thưởng này không kèm theo tiền thưởng."
        return (
            f"Tiền thưởng kèm theo: {'; '.join(parts)} "
            f"(mức lương cơ sở {money(self.d.base_salary)} đồng/tháng). "
            f"Tổng số tiền thưởng: {money(self.d.total)} đồng (bằng chữ: {amount_in_words(self.d.total)})."
        )

    def session(self) -> CouncilSession:
        session = (
            self.plist.sessions.filter(state=SessionState.CLOSED)
            .select_related("chair", "secretary")
            .order_by("-closed_at", "-pk")
            .first()
        )
        if session is None:
            raise DossierError(_("Danh sách chưa có phiên họp Hội đồng đã kết thúc."))
        return session


DOCUMENT_TYPES = {"QĐ": "Quyết định", "KH": "Kế hoạch", "CT": "Chỉ thị", "HD": "Hướng dẫn", "TB": "Thông báo"}


def plan_basis(ctx: DecisionFacts) -> str:
    """ "Căn cứ Quyết định số 4000/QĐ-UBND của ... về ...;" (the type read from the symbol)."""
    ref = ctx.campaign.document_number
    symbol = ref.split("/", 1)[1].split("-", 1)[0] if "/" in ref else ""
    kind = DOCUMENT_TYPES.get(symbol.upper())
    ref = f"{kind} số {ref}" if kind else ref
    return f"Căn cứ {ref} của {ctx.campaign.issuer.name} về {lower_first(ctx.campaign.title)};"


def who(proposal: Proposal) -> tuple[str, str]:
    """(name, position and unit) of an awardee, as the annex lists them."""
    if proposal.person_id:
        position = proposal.person.position
        unit = proposal.agency.name
        return proposal.person.full_name, position_in_unit(position, unit)
    return proposal.agency.name, ""


def annex_title(lines: list[str]) -> tuple[Para, ...]:
    return (para("Phụ lục", "center", bold=True), *(para(t, "center", bold=True) for t in lines))


def awardee_rows(ctx: DecisionFacts, amounts: bool) -> list[Row]:
    collectives, people = ctx.split()
    rows: list[Row] = []
    n = 0
    for label, group in (("I. TẬP THỂ", collectives), ("II. CÁ NHÂN", people)):
        if not group:
            continue
        rows.append(Row((f"{label} ({len(group)})",), "group"))
        for line in group:
            n += 1
            name, unit = who(line.proposal)
            cells = [str(n), name, unit, ctx.award_kind]
            if amounts:
                cells.append(money(line.amount))
            else:
                p = line.proposal
                cells.append(p.bloc.name if p.bloc_id else "")
                cells.append(str(p.votes_agree if p.votes_agree is not None else ""))
            rows.append(Row(tuple(cells)))
    return rows
