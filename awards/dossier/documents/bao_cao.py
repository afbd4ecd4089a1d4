"""3. Báo cáo thành tích: one per awardee, a collective's or a person's (the forms of Nghị định
98/2023/NĐ-CP): who they are, the results of the scoring, the registration and the final report,
initiatives, and the awards already received (the awards register)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from agencies.models import Agency, Person
from common.display import number
from registrations.models import (
    Commitment,
    IndicatorValue,
    IndividualRegistration,
    Initiative,
    Registration,
    SelfAssessment,
)
from scoring import outcomes as scoring
from scoring.models import CriterionScore

from ...errors import DossierError
from ..facts import COUNCIL, PC_KINDS, DecisionFacts
from ..layout import Column, Document, Header, Row, Signature, SignatureRow, Table, labelled, para
from ..wording import body_lines, date_line, day


def past_awards(agency: Agency | None = None, person: Person | None = None, before: dt.date | None = None):
    """Các hình thức đã được khen thưởng: the awards register (decisions of the portal, an award
    withdrawn by an amending decision left out, and earlier years' awards imported) of the collective
    ``agency`` or of ``person``, newest first. One query."""
    from campaigns.models import AwardKind

    from ...register import past_awards as register_awards

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
    ctx = DecisionFacts(decision, with_lines=False)
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
            governing=body_lines(agency.parent.name)
            if agency.parent_id and agency.kind not in PC_KINDS
            else (),
            issuing=body_lines(agency.name),
            number="",
            place_date=date_line(ctx.place, when, ctx.round.year),
        ),  # fmt: skip
        doc_type="BÁO CÁO THÀNH TÍCH",
        subject=(f"ĐỀ NGHỊ TẶNG {kind.upper()}", subject_who),
        blocks=tuple(blocks),
    )
