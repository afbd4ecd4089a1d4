import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from campaigns.models import MilestoneKind, Round
from campaigns.validation import validate_plan
from tests.factories import (
    AwardFormFactory,
    CampaignFactory,
    MilestoneFactory,
    ParBandFactory,
    add_default_par_bands,
)

pytestmark = pytest.mark.django_db


def messages(campaign):
    return [(e.path, e.message) for e in validate_plan(campaign)]


def test_coherent_plan_has_no_errors():
    campaign = CampaignFactory()
    add_default_par_bands(campaign)
    MilestoneFactory(campaign=campaign, kind=MilestoneKind.REGISTRATION_DEADLINE, due_on=dt.date(2027, 2, 1))
    MilestoneFactory(campaign=campaign, kind=MilestoneKind.REPORT_DEADLINE, due_on=dt.date(2027, 11, 1))
    assert messages(campaign) == []


def test_milestones_out_of_order():
    campaign = CampaignFactory()
    MilestoneFactory(
        campaign=campaign,
        kind=MilestoneKind.REPORT_DEADLINE,
        name="Báo cáo",
        due_on=dt.date(2027, 2, 1),
        order=1,
    )
    MilestoneFactory(
        campaign=campaign,
        kind=MilestoneKind.REGISTRATION_DEADLINE,
        name="Đăng ký",
        due_on=dt.date(2027, 3, 1),
        order=2,
    )
    assert messages(campaign) == [
        (
            "milestones[1].due_on",
            "Mốc “Đăng ký” (01/03/2027) không đúng thứ tự: phải trước mốc “Báo cáo” (01/02/2027).",
        )
    ]


def test_milestone_outside_the_period():
    campaign = CampaignFactory()
    MilestoneFactory(
        campaign=campaign, kind=MilestoneKind.CUSTOM, name="Hội nghị", due_on=dt.date(2028, 1, 10)
    )
    assert messages(campaign) == [
        (
            "milestones[0].due_on",
            "Mốc “Hội nghị” (10/01/2028) phải nằm trong thời gian của kế hoạch (05/01/2027 - 31/12/2027).",
        )
    ]


def test_round_outside_the_period():
    campaign = CampaignFactory()
    Round.objects.create(
        campaign=campaign, year=2028, starts_on=dt.date(2028, 1, 1), ends_on=dt.date(2028, 12, 31)
    )
    assert messages(campaign) == [
        (
            "rounds[0].starts_on",
            "Đợt 2028 (01/01/2028 - 31/12/2028) phải nằm trong thời gian của kế hoạch "
            "(05/01/2027 - 31/12/2027).",
        )
    ]


def test_quota_above_one_is_refused_by_the_database():
    campaign = CampaignFactory()
    with pytest.raises(IntegrityError):
        AwardFormFactory(campaign=campaign, quota_kind="fraction", quota_numerator=3, quota_denominator=2)


def test_fixed_quota_needs_a_positive_number():
    campaign = CampaignFactory()
    AwardFormFactory(campaign=campaign, quota_kind="fixed", quota_fixed=0)
    assert messages(campaign) == [
        ("award_forms[0].quota.fixed", "Số lượng khen thưởng tối đa phải lớn hơn 0.")
    ]


def test_per_bloc_quota_needs_blocs():
    campaign = CampaignFactory()
    AwardFormFactory(
        campaign=campaign,
        quota_kind="fraction",
        quota_numerator=1,
        quota_denominator=3,
        quota_scope="per_bloc",
    )
    assert messages(campaign) == [
        ("award_forms[0].quota.scope", "Hạn mức tính theo khối nhưng kế hoạch chưa có khối thi đua nào.")
    ]


def test_overlapping_bands():
    campaign = CampaignFactory()
    ParBandFactory(campaign=campaign, code="tot", name="Tốt", min_score=Decimal("80"), order=2)
    ParBandFactory(campaign=campaign, code="kha", name="Khá", min_score=Decimal("85"), order=1)
    assert messages(campaign) == [
        (
            "par_bands[1].min_score",
            "Các xếp loại chồng lấn: “Khá” (từ 85,00 điểm) phải thấp hơn “Tốt” (từ 80,00 điểm).",
        )
    ]


def test_gate_rating_must_exist():
    campaign = CampaignFactory()
    other = CampaignFactory()
    band = ParBandFactory(campaign=other, name="Tốt", min_score=90, order=1)
    AwardFormFactory(campaign=campaign, min_par_band=band, min_staff_rating="perfect")
    assert messages(campaign) == [
        ("award_forms[0].gates.min_par_band", "Xếp loại chỉ số CCHC “Tốt” không có trong kế hoạch này."),
        ("award_forms[0].gates.min_staff_rating", "Xếp loại cán bộ “perfect” không tồn tại."),
    ]


def test_band_for_and_quota_rounding():
    campaign = CampaignFactory()
    bands = add_default_par_bands(campaign)
    from campaigns.models import band_for

    all_bands = list(bands.values())
    assert band_for(all_bands, Decimal("90")) == bands["tot"]
    assert band_for(all_bands, Decimal("89.99")) == bands["kha"]
    assert band_for(all_bands, 64) == bands["yeu"]
    assert band_for(all_bands, None) is None
    form = AwardFormFactory(campaign=campaign, quota_kind="fraction", quota_numerator=1, quota_denominator=3)
    assert [form.quota_for(n) for n in (0, 2, 3, 5, 6)] == [0, 0, 1, 1, 2]
    form.vote_numerator, form.vote_denominator = 2, 3
    assert (form.vote_passes(6, 9), form.vote_passes(5, 9)) == (True, False)
