"""The facts and the words of each document of an award dossier (hồ sơ khen thưởng), built once
and laid out by both renderers (``pdf`` and ``docx``), so the PDF and the Word copy say the same.

Every builder re-loads what it needs from the decision's id with a fixed number of queries (a Celery
task in another process calls it with the decision and a ``DocumentSpec`` only). Amounts, vote counts
and the prize multiples are the ones the award services stored (``AwardLine.amount``,
``AwardDecision.total``, ``Proposal.votes_*``), never recomputed here.

The documents are official Vietnamese texts (Nghị định 30/2020/NĐ-CP, the forms of Nghị định
98/2023/NĐ-CP): they are written in Vietnamese whatever the reader's language, and numbers are
formatted the Vietnamese way (``render`` activates ``vi``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from django.db.models import Avg, Count
from django.utils import formats
from django.utils.translation import gettext as _

from agencies.models import Agency, AgencyKind, Person
from common.display import number, user_display_name
from registrations.models import (
    Commitment,
    IndicatorValue,
    IndividualRegistration,
    Initiative,
    Registration,
    SelfAssessment,
)
from scoring import outcomes as scoring
from scoring.explain import quota_rule
from scoring.models import CriterionScore

from ..models import AwardDecision, AwardLine, CouncilSession, ListState, Proposal, SessionState
from .layout import (
    Certificate,
    Column,
    Document,
    Header,
    PageBreak,
    Para,
    Recipients,
    Row,
    Signature,
    SignatureRow,
    Table,
    labelled,
    para,
)

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
COUNCIL = "Hội đồng Thi đua - Khen thưởng"
PEOPLES_COMMITTEE = "Ủy ban nhân dân"
PC_KINDS = {AgencyKind.PROVINCE_PC, AgencyKind.DISTRICT_PC, AgencyKind.COMMUNE_PC}
PERSON_KINDS = ("individual", "head", "deputy")
BLANK_NUMBER = "\u00a0" * 8  # the number is given when the document is signed

# The law on emulation and rewards in force on the decision date (Căn cứ of the Quyết định).
# Change here when a new law or decree comes into force; an old decision keeps its own basis.
LEGAL_BASES = [
    (
        dt.date(2024, 1, 1),
        [
            "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều "
            "của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013;",
            "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi "
            "hành một số điều của Luật Thi đua, khen thưởng;",
        ],
    ),
    (
        dt.date(2025, 7, 1),
        [
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi "
            "hành một số điều của Luật Thi đua, khen thưởng;",
        ],
    ),
    (
        dt.date(9999, 12, 31),
        [
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của "
            "Luật Thi đua, khen thưởng;",
        ],
    ),
]


# --- formats ---------------------------------------------------------------------------------------


def money(value) -> str:
    """894000 -> "894.000" (đồng, thousands grouped as on every page of the portal)."""
    if value is None:
        return ""
    return formats.number_format(Decimal(value).quantize(Decimal(1)), decimal_pos=0, force_grouping=True)


def day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone() if value.tzinfo else value
    return value.strftime("%d/%m/%Y")


def date_line(place: str, value: dt.date | None, year: int | None = None) -> str:
    """ "Thành phố Hồ Chí Minh, ngày 05 tháng 01 năm 2023" (ND 30/2020: a day below 10 and the months
    1 and 2 take a leading zero). Without a date, the day and month are left to fill in."""
    if value is None:
        gap = "\u00a0" * 6
        return f"{place}, ngày{gap}tháng{gap}năm {year or ''}".rstrip()
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _three(n: int, full: bool) -> str:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(_DIGITS[units])
    return " ".join(words)


def amount_in_words(value) -> str:
    """9387000 -> "Chín triệu ba trăm tám mươi bảy nghìn đồng" (bằng chữ, for the decision)."""
    n = int(Decimal(value or 0))
    if n == 0:
        return "Không đồng"
    scales = ["", " nghìn", " triệu", " tỷ", " nghìn tỷ", " triệu tỷ"]
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        if groups[i]:
            words.append(_three(groups[i], full=i < len(groups) - 1) + scales[i])
    text = " ".join(words)
    return text[:1].upper() + text[1:] + " đồng"


def ascii_slug(text: str) -> str:
    """ "Ủy ban nhân dân Quận 1" -> "ubnd-quan-1": ASCII, for ZIP entries and file names."""
    text = re.sub(r"^(Ủy|Uỷ) ban nhân dân\b", "UBND", text.strip(), flags=re.IGNORECASE)
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def abbreviation(name: str) -> str:
    """Initials for a symbol: "Sở Nội vụ" -> "SNV", "Hội đồng Thi đua - Khen thưởng" -> "HĐTĐKT"."""
    if name.lower().startswith(PEOPLES_COMMITTEE.lower()):
        return "UBND"
    letters = []
    for word in re.findall(r"\w+", name):
        first = word[0].upper()
        letters.append(first if first == "Đ" else unicodedata.normalize("NFKD", first)[0])
    return "".join(letters)


def _body_lines(name: str) -> tuple[str, ...]:
    """An issuing body in upper case, "ỦY BAN NHÂN DÂN" on its own line as on the paper."""
    upper = name.upper()
    head = PEOPLES_COMMITTEE.upper()
    if upper.startswith(head + " ") and len(upper) > len(head) + 1:
        return (head, upper[len(head) + 1 :])
    return (upper,)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


# --- the decision and its surroundings ------------------------------------------------------------


class DossierError(ValueError):
    """The decision cannot give this document (not approved, no closed session, unknown proposal)."""


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


class _Decision:
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
        return _body_lines(parent.name) if parent else ()

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
        governing = self.governing(body) if issuing is None else _body_lines(body.name)
        return Header(
            governing=governing,
            issuing=issuing or _body_lines(body.name),
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
        title = _lower_first(self.campaign.title)
        if str(self.round.year) in title:
            return f"đã có thành tích xuất sắc trong thực hiện {title}"
        return f"đã có thành tích xuất sắc trong thực hiện {title}, {_lower_first(self.round_label)}"

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


def _plan_basis(ctx: _Decision) -> str:
    """ "Căn cứ Quyết định số 4000/QĐ-UBND của ... về ...;" (the type read from the symbol)."""
    ref = ctx.campaign.document_number
    symbol = ref.split("/", 1)[1].split("-", 1)[0] if "/" in ref else ""
    kind = DOCUMENT_TYPES.get(symbol.upper())
    ref = f"{kind} số {ref}" if kind else ref
    return f"Căn cứ {ref} của {ctx.campaign.issuer.name} về {_lower_first(ctx.campaign.title)};"


KIND_ORDER = {"collective": 0, "head": 1, "deputy": 2, "individual": 3}


def _who(proposal: Proposal) -> tuple[str, str]:
    """(name, position and unit) of an awardee, as the annex lists them."""
    if proposal.person_id:
        position = proposal.person.position
        unit = proposal.agency.name
        return proposal.person.full_name, position_in_unit(position, unit)
    return proposal.agency.name, ""


def position_in_unit(position: str, unit: str) -> str:
    """"Giám đốc Sở" of "Sở Nội vụ" reads "Giám đốc Sở Nội vụ"; "Chuyên viên" of it "Chuyên viên, Sở
    Nội vụ" (the position's last word opening the unit's name is said once)."""
    words, head = (position or "").split(), unit.split()[:1]
    if not words:
        return unit
    if head and words[-1].casefold() == head[0].casefold():
        return " ".join([*words[:-1], unit])
    return f"{position}, {unit}"


def _annex_title(lines: list[str]) -> tuple[Para, ...]:
    return (para("Phụ lục", "center", bold=True), *(para(t, "center", bold=True) for t in lines))


def _awardee_rows(ctx: _Decision, amounts: bool) -> list[Row]:
    collectives, people = ctx.split()
    rows: list[Row] = []
    n = 0
    for label, group in (("I. TẬP THỂ", collectives), ("II. CÁ NHÂN", people)):
        if not group:
            continue
        rows.append(Row((f"{label} ({len(group)})",), "group"))
        for line in group:
            n += 1
            name, unit = _who(line.proposal)
            cells = [str(n), name, unit, ctx.award_kind]
            if amounts:
                cells.append(money(line.amount))
            else:
                p = line.proposal
                cells.append(p.bloc.name if p.bloc_id else "")
                cells.append(str(p.votes_agree if p.votes_agree is not None else ""))
            rows.append(Row(tuple(cells)))
    return rows


# --- 1. Tờ trình -----------------------------------------------------------------------------------


def to_trinh(decision) -> Document:
    ctx = _Decision(decision)
    session = ctx.session()
    proposer = ctx.proposer
    head = (
        Person.objects.filter(agency=proposer, is_head=True).first() if proposer.pk != ctx.issuer.pk else None
    )
    symbol = abbreviation(ctx.proposer_name)
    number_text = f"Số: {BLANK_NUMBER}/TTr-{symbol}"
    if proposer.pk != ctx.issuer.pk:
        header = Header(
            governing=_body_lines(ctx.issuer.name), issuing=_body_lines(proposer.name), number=number_text,
            place_date=date_line(ctx.place, session.held_on),
        )  # fmt: skip
    else:
        header = Header(
            governing=_body_lines(ctx.issuer.name), issuing=(COUNCIL.upper(),), number=number_text,
            place_date=date_line(ctx.place, session.held_on),
        )  # fmt: skip
    kind = ctx.award_kind
    blocks: list = [para(f"Kính gửi: {ctx.issuer.name}.", "center")]
    for line in [x.strip() for x in ctx.campaign.legal_basis.splitlines() if x.strip()]:
        blocks.append(para(line.rstrip(";,. ") + ";", "basis"))
    if ctx.campaign.document_number:
        blocks.append(para(_plan_basis(ctx), "basis"))
    blocks.append(
        para(f"Căn cứ kết quả bình xét của {COUNCIL} tại phiên họp ngày {day(session.held_on)},", "basis")
    )
    blocks += [
        para(
            f"{ctx.proposer_name} kính trình {ctx.issuer.name} xem xét, tặng {kind} “{ctx.form.name}” cho "
            f"{ctx.counts_text()} {ctx.achievement} (danh sách kèm theo)."
        ),
        para(
            f"Các tập thể, cá nhân được đề nghị đạt các điều kiện của hình thức khen thưởng theo kế hoạch, "
            f"trong chỉ tiêu {quota_rule(ctx.form)}, và được {COUNCIL} tán thành với tỷ lệ phiếu tối thiểu "
            f"{ctx.form.vote_numerator}/{ctx.form.vote_denominator} tổng số thành viên."
        ),
        para(ctx.prize_sentence()),
        para(f"{ctx.proposer_name} kính trình {ctx.issuer.name} xem xét, quyết định./."),
        SignatureRow(
            Recipients(("- Như trên;", f"- {COUNCIL};", f"- Lưu: VT, {symbol}.")),
            _proposer_signature(ctx, head, session),
        ),
        PageBreak(),
        *_annex_title([f"DANH SÁCH ĐỀ NGHỊ TẶNG {kind.upper()}"]),
        para(
            f"(Kèm theo Tờ trình số {BLANK_NUMBER}/TTr-{symbol} ngày {day(session.held_on)} "
            f"của {ctx.proposer_name})",
            "note",
        ),
        Table(
            (
                Column("STT", 7, "center"),
                Column("Tên tập thể, cá nhân", 27),
                Column("Chức vụ, đơn vị", 26),
                Column("Hình thức khen thưởng", 13),
                Column("Khối thi đua", 17),
                Column("Phiếu tán thành", 10, "center"),
            ),  # fmt: skip
            tuple(_awardee_rows(ctx, amounts=False)),
        ),
    ]
    return Document(
        kind="to_trinh",
        title="Tờ trình đề nghị khen thưởng",
        header=header,
        doc_type="TỜ TRÌNH",
        subject=(
            f"Về việc đề nghị tặng {kind} cho các tập thể, cá nhân",
            f"có thành tích {_lower_first(ctx.round_label)}",
        ),
        blocks=tuple(blocks),
    )


def _proposer_signature(ctx: _Decision, head: Person | None, session: CouncilSession) -> Signature:
    """The head of the proposing office signs; without an office, the council's chair on its behalf."""
    if ctx.proposer.pk == ctx.issuer.pk:
        return Signature(capacity="TM. HỘI ĐỒNG", title="CHỦ TRÌ", name=user_display_name(session.chair))
    if head is None:
        return Signature(title="THỦ TRƯỞNG CƠ QUAN", note="(Ký, ghi rõ họ tên)")
    return Signature(title=(head.position or "Thủ trưởng cơ quan").upper(), name=head.full_name)


# --- 2. Biên bản -----------------------------------------------------------------------------------


def bien_ban(decision) -> Document:
    ctx = _Decision(decision, with_lines=False)
    session = ctx.session()
    minutes = session.minutes or {}
    proposals = list(
        ctx.plist.proposals.filter(removed=False)
        .select_related("agency", "person", "bloc")
        .order_by("bloc__order", "bloc_id", "rank_in_bloc", "agency__path", "pk")
    )
    # each agency's people right after it, in the rank of its collective
    rank = {p.agency_id: p.rank_in_bloc or 0 for p in proposals if p.kind == "collective"}
    proposals.sort(
        key=lambda p: (
            p.bloc.order if p.bloc_id else 0,
            p.bloc_id or 0,
            rank.get(p.agency_id, p.rank_in_bloc or 0),
            p.agency.path,
            KIND_ORDER.get(p.kind, 9),
        )  # fmt: skip
    )
    members = minutes.get("members", 0)
    present, written, absent = (list(minutes.get(k, [])) for k in ("present", "written", "absent"))
    threshold = minutes.get("threshold", f"{ctx.form.vote_numerator}/{ctx.form.vote_denominator}")
    quorum = minutes.get("quorum", f"{session.quorum_numerator}/{session.quorum_denominator}")

    def names(items):
        return ", ".join(items) + "." if items else "không có."

    def outcome(p: Proposal) -> str:
        if not p.passed:
            return "Không thông qua"
        if p.tie_at_cutoff and not p.tie_chosen:
            return "Thông qua, không được chọn (bằng điểm)"
        return "Thông qua"

    rows = []
    for i, p in enumerate(proposals, 1):
        name, unit = _who(p)
        share = number(Decimal(p.votes_agree or 0) * 100 / members) if members else ""
        rows.append(
            Row(
                (
                    str(i),
                    name,
                    unit or (p.bloc.name if p.bloc_id else ""),
                    str(p.votes_agree or 0),
                    str(p.votes_disagree or 0),
                    str(p.votes_abstain or 0),
                    share,
                    outcome(p),
                )
            )  # fmt: skip
        )
    ties = [p for p in proposals if p.tie_at_cutoff]
    chosen = [p for p in proposals if p.passed and (not p.tie_at_cutoff or p.tie_chosen)]
    n_collective = sum(1 for p in chosen if p.kind == "collective")
    n_people = len(chosen) - n_collective
    blocks: list = [
        labelled("Thời gian: ", f"ngày {day(session.held_on)}."),
        labelled("Địa điểm: ", f"{session.place or ctx.issuer.name}."),
        labelled("Chủ trì: ", f"{user_display_name(session.chair) or 'không ghi'}."),
        labelled("Thư ký: ", f"{user_display_name(session.secretary)}."),
        labelled(
            "Thành phần: ",
            f"{members} thành viên Hội đồng; có mặt {len(present)}, vắng mặt có ý kiến bằng văn bản "
            f"{len(written)}, vắng mặt {len(absent)}.",
        ),
        labelled("Thành viên có mặt: ", names(present)),
        labelled("Thành viên vắng mặt, có ý kiến bằng văn bản: ", names(written)),
        labelled("Thành viên vắng mặt: ", names(absent)),
        para(
            f"Số thành viên có mặt và có ý kiến bằng văn bản: {len(present) + len(written)}/{members}, "
            f"đạt tỷ lệ "
            f"tối thiểu {quorum} tổng số thành viên theo kế hoạch; phiên họp hợp lệ."
        ),
        para(
            f"Nội dung: Hội đồng xem xét danh sách đề nghị tặng {ctx.award_kind} “{ctx.form.name}”, "
            f"{_lower_first(ctx.round_label)}, gồm {len(proposals)} trường hợp do {ctx.proposer_name} trình; "
            f"biểu quyết từng trường hợp. Trường hợp được thông qua khi số phiếu tán thành đạt từ "
            f"{threshold} "
            f"tổng số thành viên Hội đồng trở lên.",
        ),
        para("I. KẾT QUẢ BIỂU QUYẾT", "heading"),
        Table(
            (
                Column("STT", 6, "center"),
                Column("Tập thể, cá nhân", 22),
                Column("Chức vụ, đơn vị", 22),
                Column("Tán thành", 9, "center"),
                Column("Không tán thành", 9, "center"),
                Column("Không biểu quyết", 9, "center"),
                Column("Tỷ lệ tán thành (%)", 9, "center"),
                Column("Kết quả", 14),
            ),  # fmt: skip
            tuple(rows),
        ),
        para("II. QUYẾT ĐỊNH CỦA HỘI ĐỒNG ĐỐI VỚI CÁC TRƯỜNG HỢP BẰNG ĐIỂM TẠI NGƯỠNG CHỈ TIÊU", "heading"),
    ]
    if ties:
        for p in ties:
            name, _unit = _who(p)
            verdict = "được Hội đồng chọn" if p.tie_chosen else "không được Hội đồng chọn"
            bloc = f" ({p.bloc.name})" if p.bloc_id else ""
            blocks.append(para(f"- {name}{bloc}: {verdict}."))
        notes = list(dict.fromkeys(p.tie_note for p in ties if p.tie_note))
        for note in notes:
            blocks.append(
                labelled("Căn cứ quyết định của Hội đồng: ", note if note.endswith(".") else note + ".")
            )
    else:
        blocks.append(para("Không có trường hợp bằng điểm tại ngưỡng chỉ tiêu."))
    parts = [f"{n_collective} tập thể"] if n_collective else []
    if n_people:
        parts.append(f"{n_people} cá nhân")
    blocks += [
        para("III. KẾT LUẬN", "heading"),
        para(
            f"Hội đồng thống nhất đề nghị {ctx.issuer.name} tặng {ctx.award_kind} cho "
            f"{' và '.join(parts) or 'không'}"
            f" trường hợp được thông qua nêu tại mục I và II."
        ),
        para("Biên bản được lập xong trong phiên họp, các thành viên có mặt thống nhất nội dung./."),
        SignatureRow(
            Signature(title="THƯ KÝ", name=user_display_name(session.secretary)),
            Signature(title="CHỦ TRÌ", name=user_display_name(session.chair)),
        ),
    ]
    return Document(
        kind="bien_ban",
        title="Biên bản họp Hội đồng Thi đua - Khen thưởng",
        header=Header(
            governing=_body_lines(ctx.issuer.name),
            issuing=(COUNCIL.upper(),),
            number=f"Số: {BLANK_NUMBER}/BB-HĐTĐKT",
            place_date=date_line(ctx.place, session.held_on),
        ),  # fmt: skip
        doc_type="BIÊN BẢN",
        subject=(
            f"Họp {COUNCIL} xét đề nghị tặng {ctx.award_kind}",
            f"“{ctx.form.name}”, {_lower_first(ctx.round_label)}",
        ),
        blocks=tuple(blocks),
    )


# --- 3. Báo cáo thành tích ------------------------------------------------------------------------


def past_awards(agency: Agency | None = None, person: Person | None = None, before: dt.date | None = None):
    """Các hình thức đã được khen thưởng: the awards register (decisions of the portal, an award
    withdrawn by an amending decision left out, and earlier years' awards imported) of the collective
    ``agency`` or of ``person``, newest first. One query."""
    from campaigns.models import AwardKind

    from ..register import past_awards as register_awards

    labels = dict(AwardKind.choices)
    rows = []
    for award in reversed(register_awards(agency=agency, person=person, before=before)):
        label = labels.get(award.form_kind, "")
        name = award.form
        if label and not name.casefold().startswith(str(label).casefold()):
            name = f"{label} “{name}”"
        rows.append(
            {
                "year": award.decision_date.year,
                "award": name,
                "decision": f"{award.decision_number} ngày {day(award.decision_date)}",
                "issuer": award.level,
            }
        )
    return rows


def _assessment_table(
    registration: Registration, individual: IndividualRegistration | None, for_person: bool
) -> Table | None:
    """The collective's self-assessment beside the reviewers' average per criterion; for a person,
    the reviewers' scores of the person's own registration (none without one)."""
    if for_person and individual is None:
        return None
    report = getattr(registration, "final_report", None)
    reviewed = CriterionScore.objects.filter(assignment__registration=registration)
    if individual is not None:
        reviewed = reviewed.filter(assignment__individual=individual)
    else:
        reviewed = reviewed.filter(assignment__individual__isnull=True, assignment__initiative__isnull=True)
    averages = dict(
        reviewed.values("criterion_id").annotate(a=Avg("points")).values_list("criterion_id", "a")
    )
    assessments = (
        list(SelfAssessment.objects.filter(report=report).select_related("criterion"))
        if report and individual is None
        else []
    )
    if not assessments and not averages:
        return None
    rows = []
    if assessments:
        for i, a in enumerate(assessments, 1):
            rows.append(
                Row(
                    (
                        str(i),
                        a.criterion.text,
                        number(a.criterion.max_points),
                        number(a.points_claimed),
                        number(averages.get(a.criterion_id)),
                        a.explanation,
                    )
                )  # fmt: skip
            )
    else:
        from campaigns.models import Criterion

        for i, c in enumerate(Criterion.objects.filter(pk__in=averages).order_by("order", "pk"), 1):
            rows.append(Row((str(i), c.text, number(c.max_points), "", number(averages[c.pk]), "")))
    return Table(
        (
            Column("STT", 6, "center"),
            Column("Tiêu chí", 34),
            Column("Điểm tối đa", 10, "right"),
            Column("Tự chấm", 10, "right"),
            Column("Điểm thẩm định", 11, "right"),
            Column("Giải trình, minh chứng", 29),
        ),  # fmt: skip
        tuple(rows),
    )


def bao_cao(decision, proposal_id: int) -> Document:
    ctx = _Decision(decision, with_lines=False)
    line = (
        ctx.d.lines.select_related("proposal__agency__parent", "proposal__person", "proposal__bloc")
        .filter(proposal_id=proposal_id)
        .first()
    )
    if line is None:
        raise DossierError(_("Tập thể, cá nhân này không có trong quyết định khen thưởng."))
    p = line.proposal
    agency = p.agency
    candidate = scoring.candidates(ctx.plist.run, ctx.form, ids=[p.result_id])
    candidate = candidate[0] if candidate else None
    registration = (
        Registration.objects.select_related("final_report", "target_group")
        .filter(round=ctx.round, agency=agency)
        .first()
    )
    individual = None
    if p.person_id and registration is not None:
        individual = IndividualRegistration.objects.filter(
            registration=registration, person_id=p.person_id
        ).first()
    is_person = p.person_id is not None
    kind = ctx.award_kind
    blocks: list = []

    # I. Sơ lược lý lịch / đặc điểm, tình hình
    if is_person:
        person = p.person
        blocks += [
            para("I. SƠ LƯỢC LÝ LỊCH", "heading"),
            labelled("- Họ và tên: ", person.full_name),
            labelled("- Giới tính: ", str(person.get_gender_display()) if person.gender else "không ghi"),
            labelled("- Sinh ngày, tháng, năm: ", day(person.birth_date) or "không ghi"),
            labelled("- Đối tượng: ", str(person.get_kind_display())),
            labelled("- Chức vụ: ", person.position or "không ghi"),
            labelled(
                "- Đơn vị công tác: ", agency.name + (f", {agency.parent.name}" if agency.parent_id else "")
            ),
        ]
        if person.is_head:
            blocks.append(para("- Người đứng đầu cơ quan, đơn vị."))
        elif person.is_reform_deputy:
            blocks.append(para("- Cấp phó phụ trách công tác cải cách hành chính."))
    else:
        head = Person.objects.filter(agency=agency, is_head=True).first()
        staff = Person.objects.filter(agency=agency).aggregate(n=Count("pk"))["n"]
        blocks += [
            para("I. ĐẶC ĐIỂM, TÌNH HÌNH", "heading"),
            para("1. Đặc điểm chính", "heading"),
            labelled("- Tên đơn vị: ", agency.name),
            labelled("- Loại hình: ", str(agency.get_kind_display())),
        ]
        if agency.parent_id:
            blocks.append(labelled("- Cơ quan cấp trên: ", agency.parent.name))
        blocks += [
            labelled("- Địa chỉ trụ sở: ", agency.address or "không ghi"),
            labelled("- Thư điện tử: ", agency.email or "không ghi"),
            labelled(
                "- Người đứng đầu: ",
                f"{head.full_name}{', ' + head.position if head.position else ''}" if head else "không ghi",
            ),
            labelled("- Số cán bộ, công chức, viên chức, người lao động trên cổng: ", str(staff)),
            para("2. Tham gia phong trào thi đua", "heading"),
            labelled("- Phong trào: ", f"{ctx.campaign.title}."),
            labelled("- Đợt: ", f"{ctx.round_label}."),
        ]
        if p.bloc_id:
            blocks.append(labelled("- Khối thi đua: ", p.bloc.name))
        if registration is not None and registration.target_group_id:
            blocks.append(labelled("- Đối tượng thi đua: ", registration.target_group.name))

    # II. Thành tích đạt được
    blocks.append(para("II. THÀNH TÍCH ĐẠT ĐƯỢC", "heading"))
    blocks.append(para("1. Kết quả xét khen thưởng", "heading"))
    if candidate is not None:
        blocks += [para(f"- {text}") for text in candidate.explanation]
        if candidate.total_score is not None:
            blocks.append(labelled("- Tổng điểm thẩm định: ", f"{number(candidate.total_score)} điểm."))
    if is_person and p.result_id:
        rating = p.result.staff_rating
        if rating:
            from campaigns.models import StaffRating

            blocks.append(
                labelled(f"- Xếp loại chất lượng năm {ctx.round.year}: ", f"{StaffRating(rating).label}.")
            )
    if p.votes_agree is not None:
        blocks.append(
            labelled(
                f"- {COUNCIL}: ",
                f"{p.votes_agree} phiếu tán thành, {p.votes_disagree or 0} không tán thành, "
                f"{p.votes_abstain or 0} không biểu quyết.",
            )
        )
    blocks.append(para("2. Đăng ký thi đua và báo cáo kết quả", "heading"))
    if registration is None:
        blocks.append(
            para("Kế hoạch xét theo kết quả trên; đơn vị không có đăng ký thi đua trên cổng cho đợt này.")
        )
    else:
        sent = registration.first_submitted_at or registration.submitted_at
        blocks.append(labelled("- Đăng ký thi đua: ", f"gửi ngày {day(sent)}." if sent else "chưa gửi."))
        if is_person:
            if individual is not None:
                if individual.aimed_title:
                    blocks.append(labelled("- Danh hiệu, hình thức đăng ký: ", individual.aimed_title))
                if individual.commitment:
                    blocks.append(labelled("- Cam kết: ", individual.commitment))
        else:
            if registration.pledge:
                blocks.append(labelled("- Cam kết chung: ", registration.pledge))
            commitments = list(
                Commitment.objects.filter(registration=registration)
                .select_related("content")
                .exclude(text="")
            )
            if commitments:
                blocks.append(
                    Table(
                        (Column("STT", 8, "center"), Column("Nội dung thi đua", 46), Column("Cam kết", 46)),
                        tuple(Row((str(i), c.content.title, c.text)) for i, c in enumerate(commitments, 1)),
                    )
                )
            report = getattr(registration, "final_report", None)
            if report is not None and report.summary:
                blocks.append(labelled("- Tóm tắt kết quả cuối đợt: ", report.summary))
            if report is not None:
                values = list(IndicatorValue.objects.filter(report=report).select_related("indicator"))
                if values:
                    blocks.append(
                        Table(
                            (
                                Column("STT", 8, "center"),
                                Column("Chỉ số", 52),
                                Column("Kết quả", 20, "right"),
                                Column("Ngưỡng", 20, "right"),
                            ),
                            tuple(
                                Row(
                                    (
                                        str(i),
                                        v.indicator.name,
                                        f"{number(v.value)} {v.indicator.unit}".strip(),
                                        f"{number(v.indicator.threshold)} {v.indicator.unit}".strip(),
                                    )
                                )
                                for i, v in enumerate(values, 1)
                            ),
                        )  # fmt: skip
                    )
        table = _assessment_table(registration, individual if is_person else None, is_person)
        if table is not None:
            blocks.append(para("Tự chấm điểm và điểm thẩm định theo tiêu chí:"))
            blocks.append(table)
    blocks.append(para("3. Sáng kiến, giải pháp, mô hình, cách làm hay", "heading"))
    initiatives = Initiative.objects.filter(registration__round=ctx.round)
    initiatives = (
        initiatives.filter(authors=p.person_id)
        if is_person
        else initiatives.filter(registration__agency=agency)
    )
    initiatives = list(initiatives.select_related("reform_area").distinct())
    if initiatives:
        for i in initiatives:
            area = f", lĩnh vực {i.reform_area.name}" if i.reform_area_id else ""
            effect = f" Hiệu quả: {i.expected_effect}" if i.expected_effect else ""
            blocks.append(para(f"- {i.get_kind_display()} “{i.title}”{area}.{effect}"))
    else:
        blocks.append(para("Không có sáng kiến, giải pháp đăng ký trên cổng trong đợt này."))

    # III. Các hình thức đã được khen thưởng
    blocks.append(para("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG", "heading"))
    past = past_awards(
        agency=None if is_person else agency, person=p.person if is_person else None, before=ctx.d.decided_on
    )
    if past:
        blocks.append(
            Table(
                (
                    Column("Năm", 10, "center"),
                    Column("Hình thức khen thưởng", 36),
                    Column("Số, ngày quyết định", 26),
                    Column("Cơ quan ban hành", 28),
                ),
                tuple(Row((str(a["year"]), a["award"], a["decision"], a["issuer"])) for a in past),
            )  # fmt: skip
        )
    else:
        blocks.append(para("Chưa có hình thức khen thưởng nào được ghi nhận trên cổng."))

    if is_person:
        foot = SignatureRow(
            Signature(title="THỦ TRƯỞNG ĐƠN VỊ\nXÁC NHẬN, ĐỀ NGHỊ", note="(Ký, đóng dấu)"),
            Signature(title="NGƯỜI BÁO CÁO THÀNH TÍCH", name=p.person.full_name, note="(Ký, ghi rõ họ tên)"),
        )
    else:
        head = Person.objects.filter(agency=agency, is_head=True).first()
        foot = SignatureRow(
            Signature(title="THỦ TRƯỞNG CƠ QUAN CẤP TRÊN\nTRỰC TIẾP XÁC NHẬN", note="(Ký, đóng dấu)"),
            Signature(title="THỦ TRƯỞNG ĐƠN VỊ", name=head.full_name if head else "", note="(Ký, đóng dấu)"),
        )
    blocks.append(foot)
    name = p.person.full_name if is_person else agency.name
    report = getattr(registration, "final_report", None) if registration is not None else None
    when = report.submitted_at.date() if report is not None and report.submitted_at else None
    subject_who = (
        f"Họ tên, chức vụ, đơn vị: {name}, "
        f"{p.person.position + ', ' if p.person.position else ''}{agency.name}"
        if is_person
        else f"Tên tập thể: {name}"
    )
    return Document(
        kind="bao_cao",
        title=f"Báo cáo thành tích – {name}",
        header=Header(
            governing=_body_lines(agency.parent.name)
            if agency.parent_id and agency.kind not in PC_KINDS
            else (),
            issuing=_body_lines(agency.name),
            number="",
            place_date=date_line(ctx.place, when, ctx.round.year),
        ),  # fmt: skip
        doc_type="BÁO CÁO THÀNH TÍCH",
        subject=(f"ĐỀ NGHỊ TẶNG {kind.upper()}", subject_who),
        blocks=tuple(blocks),
    )


# --- 4. Quyết định ---------------------------------------------------------------------------------


def quyet_dinh(decision) -> Document:
    ctx = _Decision(decision)
    session = ctx.session()
    kind = ctx.award_kind
    d = ctx.d
    authority = ctx.authority
    basis = []
    if ctx.issuer_is_pc:
        basis.append("Căn cứ Luật Tổ chức chính quyền địa phương;")
    basis += next(texts for until, texts in LEGAL_BASES if d.decided_on < until)
    if ctx.campaign.document_number:
        basis.append(_plan_basis(ctx))
    basis.append(
        f"Xét đề nghị của {ctx.proposer_name} và kết quả bình xét của {COUNCIL} tại phiên họp ngày "
        f"{day(session.held_on)}."
    )
    effect = "Quyết định này có hiệu lực kể từ ngày ký"
    if d.amends_id:
        effect += (
            f" và thay thế Quyết định số {d.amends.number} ngày {day(d.amends.decided_on)} "
            f"(lý do: {d.reason.rstrip('.')})"
        )
    executors = f"Chánh Văn phòng {ctx.issuer.name}"
    if ctx.proposer.pk != ctx.issuer.pk:
        executors += f", Thủ trưởng {ctx.proposer.name}"
    blocks: list = [
        para(authority, "center", bold=True),
        *(para(b, "basis") for b in basis),
        para("QUYẾT ĐỊNH:", "center", bold=True),
        labelled(
            "Điều 1. ",
            f"Tặng {kind} “{ctx.form.name}” của {ctx.issuer.name} cho {ctx.counts_text()} "
            f"(có danh sách kèm theo) "
            f"{ctx.achievement}.",
        ),
        labelled("Điều 2. ", ctx.prize_sentence()),
        labelled(
            "Điều 3. ",
            f"{effect}. {executors}, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, "
            f"cá nhân có tên "
            f"tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
        ),
        SignatureRow(
            Recipients(("- Như Điều 3;", f"- {COUNCIL};", f"- Lưu: VT, {abbreviation(ctx.proposer_name)}.")),
            ctx.signature(),
        ),
        PageBreak(),
        *_annex_title([f"DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG {kind.upper()}"]),
        para(f"(Kèm theo Quyết định số {d.number} ngày {day(d.decided_on)} của {ctx.issuer.name})", "note"),
        Table(
            (
                Column("STT", 7, "center"),
                Column("Tên tập thể, cá nhân", 28),
                Column("Chức vụ, đơn vị", 28),
                Column("Hình thức khen thưởng", 18),
                Column("Tiền thưởng (đồng)", 19, "right"),
            ),  # fmt: skip
            (
                *_awardee_rows(ctx, amounts=True),
                Row(("", "Tổng cộng", ctx.counts_text(), "", money(d.total)), "total"),
            ),
        ),
    ]
    return Document(
        kind="quyet_dinh",
        title=f"Quyết định khen thưởng {d.number}",
        header=ctx.header(f"Số: {d.number}", d.decided_on),
        doc_type="QUYẾT ĐỊNH",
        subject=(
            f"Về việc tặng {kind} cho các tập thể, cá nhân",
            f"có thành tích {_lower_first(ctx.round_label)}",
        ),
        blocks=tuple(blocks),
    )


# --- 5. Giấy khen ----------------------------------------------------------------------------------


def giay_khen(decision, proposal_id: int) -> Document:
    ctx = _Decision(decision, with_lines=False)
    line = (
        ctx.d.lines.select_related("proposal__agency", "proposal__person")
        .filter(proposal_id=proposal_id)
        .first()
    )
    if line is None:
        raise DossierError(_("Tập thể, cá nhân này không có trong quyết định khen thưởng."))
    p = line.proposal
    name, unit = _who(p)
    d = ctx.d
    # who gives it follows the decision: the People's Committee (TM.) or its chairman (KT.)
    if ctx.issuer_is_pc and d.signer_capacity == "KT.":
        authority = ("CHỦ TỊCH", ctx.issuer.name.upper())
    else:
        authority = _body_lines(ctx.issuer.name)
    return Document(
        kind="giay_khen",
        title=f"{ctx.award_kind} – {name}",
        landscape=True,
        certificate=Certificate(
            authority=authority,
            award=ctx.award_kind.upper(),
            awardee=name,
            awardee_detail=unit,
            reason=ctx.achievement[:1].upper() + ctx.achievement[1:] + ".",
            decision=f"Quyết định số {d.number} ngày {day(d.decided_on)}",
            place_date=date_line(ctx.place, d.decided_on),
            signature=ctx.signature(),
        ),
    )


BUILDERS = {
    "to_trinh": lambda decision, spec: to_trinh(decision),
    "bien_ban": lambda decision, spec: bien_ban(decision),
    "bao_cao": lambda decision, spec: bao_cao(decision, spec.proposal_id),
    "quyet_dinh": lambda decision, spec: quyet_dinh(decision),
    "giay_khen": lambda decision, spec: giay_khen(decision, spec.proposal_id),
}


def build(decision, spec) -> Document:
    """The document ``spec`` of ``decision`` (``documents.DocumentSpec``)."""
    return BUILDERS[spec.kind](decision, spec)


__all__ = ["DossierError", "amount_in_words", "ascii_slug", "build", "money", "past_awards"]
