"""Demo registrations for ``demo-2027``, so the home-affairs dashboard is not empty.

Nothing is registered for ``p-binhtan``: the demo account ``canbo`` registers it by hand.
Idempotent: an agency that already has a registration for the round is left as it is.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Person
from campaigns.models import Campaign
from common.audit import audit_context
from demo import Output
from registrations.models import (
    Commitment,
    IndividualRegistration,
    Initiative,
    Registration,
    RegistrationState,
)
from registrations.queries.targets import collective_group_for

S = RegistrationState

# agency code, state, return reason, initiative title
DEMO = [
    ("p-anlac", S.ACCEPTED, "", "Tổ công nghệ số cộng đồng hướng dẫn nộp hồ sơ trực tuyến tại khu phố"),
    ("p-tantao", S.CONFIRMED, "", "Trả kết quả hộ tịch tại nhà qua bưu điện cho người cao tuổi"),
    ("hcm-stp", S.SUBMITTED, "", "Số hoá sổ hộ tịch lưu trữ giai đoạn 1990-2015"),
    (
        "hcm-stc",
        S.RETURNED,
        "Chưa nêu cam kết cho nội dung chuyển đổi số; đề nghị bổ sung.",
        "Thanh toán phí trực tuyến",
    ),
    ("p-btd", S.DRAFT, "", ""),
]


@transaction.atomic
def load(stdout: Output | None = None) -> None:
    campaign = Campaign.objects.filter(code="demo-2027").first()
    if campaign is None:
        return
    round_ = campaign.rounds.order_by("starts_on").first()
    if round_ is None:
        return
    actor = get_user_model().objects.filter(username="noivu").first()
    now = timezone.now()
    created = 0
    with audit_context(actor, note="Dữ liệu mẫu"):
        for code, state, reason, title in DEMO:
            agency = Agency.objects.filter(code=code).first()
            if agency is None or Registration.objects.filter(round=round_, agency=agency).exists():
                continue
            registration = Registration.objects.create(
                round=round_,
                campaign=campaign,
                agency=agency,
                target_group=collective_group_for(campaign, agency),
                state=state,
                pledge="Hoàn thành 100% chỉ tiêu cải cách hành chính năm 2027.",
                return_reason=reason,
                submitted_at=None if state == S.DRAFT else now,
                first_submitted_at=None if state == S.DRAFT else now,
                confirmed_at=now if state in (S.CONFIRMED, S.ACCEPTED) else None,
                decided_at=now if state in (S.ACCEPTED, S.RETURNED) else None,
            )
            Commitment.objects.bulk_create(
                [
                    Commitment(
                        registration=registration, content=c, text="Thực hiện đúng kế hoạch, đúng hạn."
                    )
                    for c in campaign.contents.all()
                ]
            )
            people = list(Person.objects.filter(agency=agency).order_by("-is_head", "full_name")[:2])
            for person in people:
                IndividualRegistration.objects.create(
                    registration=registration, round=round_, person=person, aimed_title="Lao động tiên tiến"
                )
            if title:
                initiative = Initiative.objects.create(
                    registration=registration,
                    title=title,
                    problem="Người dân phải đi lại nhiều lần để hoàn thiện hồ sơ.",
                    description="Triển khai thí điểm, đánh giá và nhân rộng.",
                    expected_effect="Giảm thời gian đi lại và tỷ lệ hồ sơ trễ hạn.",
                )
                initiative.authors.set(people[:1])
            created += 1
    if stdout is not None and created:
        stdout.write(f"Đăng ký thi đua mẫu: {created}")
