"""4. Quyết định khen thưởng: the decision (its legal bases, the articles, the signature) and its
annex of awardees with the prize amounts and the total."""

from __future__ import annotations

import datetime as dt

from ..facts import COUNCIL, DecisionFacts, annex_title, awardee_rows, plan_basis
from ..layout import Column, Document, PageBreak, Recipients, Row, SignatureRow, Table, labelled, para
from ..wording import abbreviation, day, lower_first, money

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


def quyet_dinh(decision) -> Document:
    ctx = DecisionFacts(decision)
    session = ctx.session()
    kind = ctx.award_kind
    d = ctx.d
    authority = ctx.authority
    basis = []
    if ctx.issuer_is_pc:
        basis.append("Căn cứ Luật Tổ chức chính quyền địa phương;")
    basis += next(texts for until, texts in LEGAL_BASES if d.decided_on < until)
    if ctx.campaign.document_number:
        basis.append(plan_basis(ctx))
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
        *annex_title([f"DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG {kind.upper()}"]),
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
                *awardee_rows(ctx, amounts=True),
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
            f"có thành tích {lower_first(ctx.round_label)}",
        ),
        blocks=tuple(blocks),
    )
