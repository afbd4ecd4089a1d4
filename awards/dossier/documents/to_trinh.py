"""1. Tờ trình đề nghị khen thưởng: the proposing office (or the council) asks the issuer to award
the candidates the council passed, with the annex of them and their votes."""

from __future__ import annotations

from agencies.models import Person
from common.display import user_display_name
from scoring.explain import quota_rule

from ...models import CouncilSession
from ..facts import BLANK_NUMBER, COUNCIL, DecisionFacts, annex_title, awardee_rows, plan_basis
from ..layout import Column, Document, Header, PageBreak, Recipients, Signature, SignatureRow, Table, para
from ..wording import abbreviation, body_lines, date_line, day, lower_first


def to_trinh(decision) -> Document:
    ctx = DecisionFacts(decision)
    session = ctx.session()
    proposer = ctx.proposer
    head = (
        Person.objects.filter(agency=proposer, is_head=True).first() if proposer.pk != ctx.issuer.pk else None
    )
    symbol = abbreviation(ctx.proposer_name)
    number_text = f"Số: {BLANK_NUMBER}/TTr-{symbol}"
    if proposer.pk != ctx.issuer.pk:
        header = Header(
            governing=body_lines(ctx.issuer.name), issuing=body_lines(proposer.name), number=number_text,
            place_date=date_line(ctx.place, session.held_on),
        )  # fmt: skip
    else:
        header = Header(
            governing=body_lines(ctx.issuer.name), issuing=(COUNCIL.upper(),), number=number_text,
            place_date=date_line(ctx.place, session.held_on),
        )  # fmt: skip
    kind = ctx.award_kind
    blocks: list = [para(f"Kính gửi: {ctx.issuer.name}.", "center")]
    for line in [x.strip() for x in ctx.campaign.legal_basis.splitlines() if x.strip()]:
        blocks.append(para(line.rstrip(";,. ") + ";", "basis"))
    if ctx.campaign.document_number:
        blocks.append(para(plan_basis(ctx), "basis"))
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
        *annex_title([f"DANH SÁCH ĐỀ NGHỊ TẶNG {kind.upper()}"]),
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
            tuple(awardee_rows(ctx, amounts=False)),
        ),
    ]
    return Document(
        kind="to_trinh",
        title="Tờ trình đề nghị khen thưởng",
        header=header,
        doc_type="TỜ TRÌNH",
        subject=(
            f"Về việc đề nghị tặng {kind} cho các tập thể, cá nhân",
            f"có thành tích {lower_first(ctx.round_label)}",
        ),
        blocks=tuple(blocks),
    )


def _proposer_signature(ctx: DecisionFacts, head: Person | None, session: CouncilSession) -> Signature:
    """The head of the proposing office signs; without an office, the council's chair on its behalf."""
    if ctx.proposer.pk == ctx.issuer.pk:
        return Signature(capacity="TM. HỘI ĐỒNG", title="CHỦ TRÌ", name=user_display_name(session.chair))
    if head is None:
        return Signature(title="THỦ TRƯỞNG CƠ QUAN", note="(Ký, ghi rõ họ tên)")
    return Signature(title=(head.position or "Thủ trưởng cơ quan").upper(), name=head.full_name)
