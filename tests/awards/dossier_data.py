"""A decided award list with everything the dossier documents show: a collective with its head and
reform deputy (the head's name carries Vietnamese diacritics, her initiative every Vietnamese
letter), a registration with a final report and a self-assessment, a council of five (four present,
one written opinion, one abstention), a tie decided by the council, and an earlier decision of the
same plan for the past awards (section III of the reports)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from agencies.models import Gender, PersonKind
from awards.domain import council as councils
from awards.domain import decision as decisions
from awards.domain import proposal_list as lists
from awards.models import AwardDecision, VoteChoice
from registrations.models import (
    Commitment,
    FinalReport,
    IndividualRegistration,
    Initiative,
    ReportState,
    SelfAssessment,
)
from scoring.results import compute_results
from tests.awards.conftest import Cycle
from tests.factories import (
    ContentFactory,
    CriterionFactory,
    PersonFactory,
    TargetGroupFactory,
    award_form_with_quota,
)

VOWELS = "aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ uùúủũụ ưừứửữự yỳýỷỹỵ đ"
#: every letter of the Vietnamese alphabet with every tone, lower and upper case
ALL_LETTERS = f"{VOWELS} {VOWELS.upper()}"
HEAD_NAME = "Huỳnh Thị Ngọc Ẩn"
COUNCIL_NAMES = [
    ("Nhật", "Hồ Minh"),
    ("Lan", "Phạm Thị"),
    ("Quang", "Võ Minh"),
    ("Tâm", "Đặng Thanh"),
    ("Bình", "Lê Thái"),
]
DEPUTY_NAME = "Đỗ Văn Ước"


class Dossier(Cycle):
    def __init__(self):
        super().__init__(council_size=5)
        self.province.name = "Ủy ban nhân dân tỉnh Hà Nam"
        self.province.save()
        self.campaign.document_number = "1018/KH-UBND"
        self.campaign.title = "Kế hoạch thi đua cải cách hành chính năm 2027"
        self.campaign.save()
        self.round.label = "Năm 2027"
        self.round.save()
        self.a1 = self.agencies["a1"]
        self.a1.name, self.a1.address = "Sở Nội vụ", "1 Lê Lợi, Phủ Lý"
        self.a1.save()
        self.agencies["a2"].name = "Sở Tư pháp"
        self.agencies["a2"].save()
        self.head = PersonFactory(
            agency=self.a1, full_name=HEAD_NAME, is_head=True, position="Giám đốc Sở",
            kind=PersonKind.OFFICIAL,
            gender=Gender.FEMALE, birth_date=dt.date(1975, 2, 3),
        )  # fmt: skip
        self.deputy = PersonFactory(
            agency=self.a1, full_name=DEPUTY_NAME, is_reform_deputy=True, position="Phó Giám đốc Sở",
            gender=Gender.MALE,
        )  # fmt: skip
        for user, (first, last) in zip(self.council, COUNCIL_NAMES, strict=True):
            user.first_name, user.last_name = first, last
            user.save()
        self.officer.first_name, self.officer.last_name = "Phương", "Mai Thị"
        self.officer.save()
        PersonFactory(agency=self.a1, user=self.officer, full_name="Mai Thị Phương", position="Chuyên viên")
        self.form.name = "Giấy khen công tác cải cách hành chính"
        self.form.extends_to_head_and_deputy = True
        self.form.save()
        self.earlier_form = award_form_with_quota(
            self.campaign, code="dot-truoc", name="Giấy khen sơ kết", extends_to_head_and_deputy=True
        )
        # the registration of a1: commitments, final report, self-assessment, an initiative of the head
        group = TargetGroupFactory(campaign=self.campaign, name="Khối sở, ngành")
        self.criterion = CriterionFactory(target_group=group, text="Tỷ lệ hồ sơ giải quyết đúng hạn")
        content = ContentFactory(campaign=self.campaign, title="Cải cách thủ tục hành chính")
        self.registration = self.register(self.a1)
        self.registration.target_group = group
        self.registration.first_submitted_at = timezone.make_aware(dt.datetime(2027, 1, 10, 9, 0))
        self.registration.pledge = "Hoàn thành 100% chỉ tiêu cải cách hành chính."
        self.registration.save()
        Commitment.objects.create(
            registration=self.registration, content=content, text="Không có hồ sơ trễ hạn"
        )
        report = FinalReport.objects.create(
            registration=self.registration, state=ReportState.SUBMITTED, summary="Đạt và vượt các chỉ tiêu.",
            submitted_at=timezone.make_aware(dt.datetime(2027, 11, 10, 9, 0)),
        )  # fmt: skip
        SelfAssessment.objects.create(
            report=report,
            criterion=self.criterion,
            points_claimed=Decimal("8.5"),
            explanation="98,5% đúng hạn",
        )
        initiative = Initiative.objects.create(registration=self.registration, title=ALL_LETTERS)
        initiative.authors.set([self.head])
        IndividualRegistration.objects.create(
            registration=self.registration, person=self.head, aimed_title="Chiến sĩ thi đua cơ sở"
        )
        self.run = compute_results(self.campaign)
        # an earlier decision of the same plan (past awards), then the decision of the dossier
        self.earlier = self.decide(self.earlier_form, "90/QĐ-UBND", dt.date(2027, 12, 20))
        self.decision = self.decide(self.form, "125/QĐ-UBND", self.day)

    def decide(self, form, number: str, day: dt.date) -> AwardDecision:
        plist = lists.make_list(self.campaign, form, actor=self.officer)
        session = councils.open_session(
            plist, actor=self.officer, members=self.council, secretary=self.officer, chair=self.council[0],
            held_on=day - dt.timedelta(days=5), place="Phòng họp số 2",
        )  # fmt: skip
        a2 = plist.proposals.get(agency__code="a2", kind="collective")
        councils.decide_tie(session, [a2.pk], actor=self.officer, note="Sở Tư pháp có nhiều sáng kiến hơn")
        proposals = list(plist.proposals.filter(removed=False))
        votes = {p.pk: VoteChoice.AGREE for p in proposals}
        a1 = plist.proposals.get(agency__code="a1", kind="collective")
        for user in self.council[:3]:
            councils.cast_votes(session, votes, actor=user)
        councils.cast_votes(session, {**votes, a1.pk: VoteChoice.ABSTAIN}, actor=self.council[3])
        councils.record_written_opinion(session, self.council[4], votes, actor=self.officer)
        councils.close_session(session, actor=self.officer)
        plist.refresh_from_db()
        return decisions.approve(
            plist, actor=self.leader, number=number, decided_on=day, signer_capacity="KT.",
            signer_title="Phó Chủ tịch", signer_name="Nguyễn Văn A",
        )  # fmt: skip
