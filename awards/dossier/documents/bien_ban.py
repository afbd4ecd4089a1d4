"""2. Biên bản họp Hội đồng Thi đua - Khen thưởng: the minutes of the closed session, each
candidate's votes counted over all members, the council's choice among tied candidates."""

from __future__ import annotations

from decimal import Decimal

from common.display import number, user_display_name

from ...models import Proposal
from ..facts import BLANK_NUMBER, COUNCIL, DecisionFacts, who
from ..layout import Column, Document, Header, Row, Signature, SignatureRow, Table, labelled, para
from ..wording import body_lines, date_line, day, lower_first

KIND_ORDER = {"collective": 0, "head": 1, "deputy": 2, "individual": 3}


def bien_ban(decision) -> Document:
    ctx = DecisionFacts(decision, with_lines=False)
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
        name, unit = who(p)
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
            f"{lower_first(ctx.round_label)}, gồm {len(proposals)} trường hợp do {ctx.proposer_name} trình; "
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
            name, _unit = who(p)
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
            governing=body_lines(ctx.issuer.name),
            issuing=(COUNCIL.upper(),),
            number=f"Số: {BLANK_NUMBER}/BB-HĐTĐKT",
            place_date=date_line(ctx.place, session.held_on),
        ),  # fmt: skip
        doc_type="BIÊN BẢN",
        subject=(
            f"Họp {COUNCIL} xét đề nghị tặng {ctx.award_kind}",
            f"“{ctx.form.name}”, {lower_first(ctx.round_label)}",
        ),
        blocks=tuple(blocks),
    )
