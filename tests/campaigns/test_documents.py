import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from campaigns.documents import import_plan, load_yaml, plan_to_dict
from campaigns.models import AwardForm, Campaign, Criterion, Milestone, QuotaKind
from campaigns.validation import PlanInvalid

PLANS = Path(__file__).resolve().parents[2] / "campaigns" / "plans"
SEEDS = ["hcmc-2022", "hanam-duytien-2023", "hcmc-par-2022", "hcmc-binhtan-2019", "angiang-2021"]


def seed(code):
    return load_yaml((PLANS / f"{code}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", SEEDS)
def test_seed_imports_exports_and_reimports_identically(directory, code):
    out = StringIO()
    call_command("import_campaign", str(PLANS / f"{code}.yaml"), stdout=out)
    assert out.getvalue().startswith(f"{code}: ")
    exported = StringIO()
    call_command("export_campaign", code, stdout=exported)
    first = plan_to_dict(Campaign.objects.get(code=code))
    # The exported document rebuilds an equal plan.
    Campaign.objects.get(code=code).delete()
    import_plan(yaml.safe_load(exported.getvalue()))
    assert plan_to_dict(Campaign.objects.get(code=code)) == first
    # And the export equals the source document wherever the source spelled a value out.
    source = seed(code)
    for key in ("code", "issuer", "document_number", "title", "period", "milestones", "par_bands"):
        assert first[key] == source[key], key
    # Bloc members are exported in directory order.
    assert [(b["code"], sorted(b["agencies"])) for b in first["blocs"]] == [
        (b["code"], sorted(b["agencies"])) for b in source["blocs"]
    ]


def test_seed_002_rule_is_data(directory):
    campaign = import_plan(seed("hcmc-par-2022"))
    form = AwardForm.objects.get(campaign=campaign)
    assert (form.quota_kind, form.quota_numerator, form.quota_denominator) == (QuotaKind.FRACTION, 1, 3)
    assert (form.quota_base, form.quota_scope, form.min_par_band.name) == (
        "ranked_in_bloc",
        "per_bloc",
        "Tốt",
    )
    assert form.extends_to_head_and_deputy is True
    assert [b.code for b in campaign.blocs.all()] == ["khoi-so", "khoi-quan-huyen"]
    assert campaign.blocs.get(code="khoi-so").memberships.count() == 12
    assert form.quota_for(12) == 4 and form.quota_for(7) == 2  # rounded down


def test_seed_003_deadline_is_last_valid_day(directory):
    campaign = import_plan(seed("hcmc-binhtan-2019"))
    registration = campaign.milestone("registration_deadline")
    assert registration.due_on == dt.date(2019, 3, 14)
    assert registration.deadline_at.isoformat() == "2019-03-14T23:59:59.999999+07:00"
    assert campaign.indicators.get(code="dvc-muc-3-4").is_met(35) is True
    assert campaign.indicators.get(code="dung-hen").is_met(98) is False
    assert campaign.target_groups.get(code="co-quan-don-vi").initiative_required is True


def test_seed_001_has_yearly_rounds_and_a_final_summary(directory):
    campaign = import_plan(seed("hanam-duytien-2023"))
    assert [(r.year, r.is_final) for r in campaign.rounds.all()] == [
        (2023, False),
        (2024, False),
        (2025, False),
        (2025, True),
    ]
    giay_khen = campaign.award_forms.get(code="giay-khen-thi-xa")
    assert (giay_khen.quota_numerator, giay_khen.quota_denominator, giay_khen.quota_base) == (
        50,
        100,
        "with_achievements",
    )
    assert giay_khen.quota_for(9) == 4


def test_seed_000_initiative_group_has_six_gate_criteria(directory):
    campaign = import_plan(seed("hcmc-2022"))
    group = campaign.target_groups.get(code="nhan-rong")
    assert group.kind == "initiative"
    assert list(group.criteria.values_list("is_gate", flat=True)) == [True] * 6


def errors_of(doc):
    with pytest.raises(PlanInvalid) as info:
        import_plan(doc)
    return [(e.path, e.message) for e in info.value.errors]


def test_unknown_key_is_an_error_with_its_path(directory):
    doc = seed("hcmc-par-2022")
    doc["award_forms"][0]["quota"]["percent"] = 10
    doc["colour"] = "red"
    assert errors_of(doc) == [
        ("colour", "Khóa không được hỗ trợ: “colour”."),
        ("award_forms[0].quota.percent", "Khóa không được hỗ trợ: “percent”."),
    ]
    assert Campaign.objects.count() == 0


def test_quota_above_one_is_refused_naming_the_field(directory):
    doc = seed("hanam-duytien-2023")
    doc["award_forms"][2]["quota"]["fraction"] = 1.5
    assert errors_of(doc) == [("award_forms[2].quota.fraction", "Tỷ lệ 1.5 phải lớn hơn 0 và không quá 1.")]


def test_bad_values_are_reported_with_paths(directory):
    doc = seed("hcmc-binhtan-2019")
    doc["milestones"][0]["due_on"] = "2019-02-30"
    doc["target_groups"][0]["agency_kinds"].append("spaceship")
    doc["blocs"] = [{"code": "k", "name": "K", "agencies": ["no-such-agency"]}]
    assert errors_of(doc) == [
        (
            "target_groups[0].agency_kinds[3]",
            "Giá trị “spaceship” không hợp lệ; chọn một trong: province_pc, department, district_pc, "
            "district_office, commune_pc, public_unit, state_company, press, mass_org, business.",
        ),
        ("milestones[0].due_on", "Ngày “2019-02-30” không hợp lệ (định dạng YYYY-MM-DD)."),
        ("blocs[0].agencies[0]", "Không có cơ quan mã “no-such-agency” trong danh bạ."),
    ]


def test_incoherent_plan_is_not_half_imported(directory):
    doc = seed("hcmc-binhtan-2019")
    # Registration after the mid-term review: found only once the rows exist, then rolled back.
    doc["milestones"][0]["due_on"] = dt.date(2019, 6, 1)
    errors = errors_of(doc)
    assert errors == [
        (
            "milestones[1].due_on",
            "Mốc “Sơ kết, khen thưởng nhân dịp Kỷ niệm 50 năm thực hiện Di chúc Chủ tịch Hồ Chí Minh” "
            "(19/05/2019) không đúng thứ tự: phải sau mốc “Đăng ký thi đua gửi Ủy ban nhân dân quận "
            "(qua Phòng Nội vụ quận)” (01/06/2019).",
        )
    ]
    assert Campaign.objects.count() == 0
    assert Criterion.objects.count() == 0
    assert Milestone.objects.count() == 0


def test_import_command_reports_errors(directory, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("code: x\nissuer: nowhere\ntitle: T\nperiod: {start: 2027-01-01, end: 2026-01-01}\n")
    with pytest.raises(CommandError) as info:
        call_command("import_campaign", str(path))
    assert str(info.value) == (
        "issuer: Không có cơ quan mã “nowhere” trong danh bạ.\n"
        "period.end: Ngày kết thúc phải sau ngày bắt đầu của kế hoạch."
    )


def test_existing_code_needs_replace_and_only_drafts_are_replaced(directory):
    import_plan(seed("hcmc-par-2022"))
    assert errors_of(seed("hcmc-par-2022")) == [("code", "Đã có kế hoạch mã “hcmc-par-2022”.")]
    doc = seed("hcmc-par-2022")
    doc["title"] = "Tên mới"
    assert import_plan(doc, replace=True).title == "Tên mới"
    Campaign.objects.filter(code="hcmc-par-2022").update(state="published")
    with pytest.raises(PlanInvalid) as info:
        import_plan(doc, replace=True)
    assert [e.path for e in info.value.errors] == ["code"]


def test_yaml_download_writes_the_prize_multiples(db):
    """The plan's YAML download wrote Decimal prize multiples raw, which the YAML dumper refuses (500)."""
    from decimal import Decimal

    from campaigns.documents import dump_yaml
    from tests.factories import AwardFormFactory

    form = AwardFormFactory(prize_individual=Decimal("0.30"), prize_collective=Decimal("0.60"))
    data = yaml.safe_load(dump_yaml(Campaign.objects.get(pk=form.campaign_id)))
    assert [f["prize"] for f in data["award_forms"]] == [{"individual": 0.3, "collective": 0.6}]
