"""The warning rule (kiến nghị xử lý, seed 002) is plan data: YAML, validation, editor, public page,
amendments; and the migration that kept existing plans' behaviour."""

from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from agencies.models import AgencyKind, Role
from campaigns.changes import describe_changes, reference_names
from campaigns.documents import import_plan, load_yaml, plan_to_dict
from campaigns.models import WarningRule
from campaigns.sentences import warning_sentence
from campaigns.validation import PlanInvalid, validate_plan
from tests.factories import (
    AgencyFactory,
    BlocFactory,
    BlocMembershipFactory,
    CampaignFactory,
    add_default_par_bands,
    published_campaign,
    seed_002_warning_rule,
    user_with_role,
)

PLANS = Path(__file__).resolve().parents[2] / "campaigns" / "plans"


def seed(code):
    return load_yaml((PLANS / f"{code}.yaml").read_text(encoding="utf-8"))


def test_seed_002_carries_the_rule_and_the_others_do_not(directory):
    campaign = import_plan(seed("hcmc-par-2022"))
    rule = campaign.warning_rule
    assert (rule.band.name, rule.years, rule.rank_fall, rule.single_year_band.name) == (
        "Khá",
        2,
        True,
        "Trung bình",
    )
    assert plan_to_dict(campaign)["warning"] == {
        "band": "kha",
        "years": 2,
        "rank_fall": True,
        "single_year_band": "trung-binh",
    }
    other = import_plan(seed("hcmc-2022"))
    assert other.warning is None and plan_to_dict(other)["warning"] is None


@pytest.mark.parametrize(
    ("warning", "errors"),
    [
        ({"band": "kem"}, [("warning.band", "Không có xếp loại mã “kem” trong par_bands.")]),
        ({"band": "kha", "years": 0}, [("warning.years", "Phải lớn hơn hoặc bằng 1.")]),
        ({"band": "kha", "years": 11}, [("warning.years", "Số năm liên tục không quá 10.")]),
        ({"band": "kha", "years": "hai"}, [("warning.years", "Phải là số nguyên.")]),
        ({"band": "kha", "fall": True}, [("warning.fall", "Khóa không được hỗ trợ: “fall”.")]),
        (
            {"years": 2},
            [("warning", "Kiến nghị xử lý cần ít nhất một mức xếp loại: band hoặc single_year_band.")],
        ),
    ],
)
def test_bad_rules_are_refused_naming_the_field(directory, warning, errors):
    data = seed("hcmc-par-2022")
    data["warning"] = warning
    with pytest.raises(PlanInvalid) as exc:
        import_plan(data)
    assert [(e.path, e.message) for e in exc.value.errors] == errors


def test_single_year_band_must_be_below_the_band_and_the_plan_needs_blocs(directory):
    data = seed("hcmc-par-2022")
    data["warning"] = {"band": "trung-binh", "single_year_band": "kha"}
    data["blocs"] = []
    data["award_forms"][0]["quota"]["scope"] = "campaign"
    with pytest.raises(PlanInvalid) as exc:
        import_plan(data)
    assert [(e.path, e.message) for e in exc.value.errors] == [
        (
            "warning.single_year_band",
            "Kiến nghị xử lý: mức xếp loại trong một năm (“Khá”) phải thấp hơn mức xếp loại "
            "nhiều năm liên tục (“Trung bình”).",
        ),
        ("warning", "Kiến nghị xử lý xét các cơ quan trong khối thi đua nhưng kế hoạch chưa có khối nào."),
    ]


def test_public_page_states_the_rule_as_a_sentence(client, directory):
    campaign = import_plan(seed("hcmc-par-2022"), state="published")
    text = (
        "Xem xét xử lý hoặc kiến nghị xử lý đối với người đứng đầu cơ quan, đơn vị nếu Chỉ số cải cách hành "
        "chính của cơ quan, đơn vị có 02 năm liên tục xếp loại “Khá” trở xuống và bị tụt hạng trong khối so "
        "với năm trước, hoặc trong năm đánh giá bị xếp loại “Trung bình” trở xuống."
    )
    assert warning_sentence(campaign) == text
    assert text in client.get(reverse("campaigns:detail", args=[campaign.code])).content.decode()
    rule = campaign.warning_rule
    rule.single_year_band, rule.years, rule.rank_fall = None, 3, False
    rule.band = campaign.par_bands.get(code="yeu")
    rule.save()
    campaign.refresh_from_db()
    assert warning_sentence(campaign) == (
        "Xem xét xử lý hoặc kiến nghị xử lý đối với người đứng đầu cơ quan, đơn vị nếu Chỉ số cải cách hành "
        "chính của cơ quan, đơn vị có 03 năm liên tục xếp loại “Yếu”."
    )


@pytest.fixture
def city(db):
    return AgencyFactory(code="tp", kind=AgencyKind.PROVINCE_PC)


def rule_post(bands, **rule) -> dict:
    data = {"bands-TOTAL_FORMS": str(len(bands)), "bands-INITIAL_FORMS": str(len(bands))}
    for i, band in enumerate(bands):
        data.update(
            {
                f"bands-{i}-id": str(band.pk),
                f"bands-{i}-order": str(band.order),
                f"bands-{i}-code": band.code,
                f"bands-{i}-name": band.name,
                f"bands-{i}-min_score": str(band.min_score),
            }
        )
    data.update({f"w-{k}": v for k, v in rule.items()})
    return data


def test_the_editor_sets_checks_and_removes_the_rule(client, city):
    plan = CampaignFactory(issuer=city)
    bands = add_default_par_bands(plan)
    BlocMembershipFactory(bloc=BlocFactory(campaign=plan))
    client.force_login(user_with_role(Role.HOME_AFFAIRS, city))
    url = reverse("campaigns:edit", args=[plan.code, "bands"])
    page = client.get(url)
    assert [str(t) for t, _p in page.context["parts"]] == [
        "Xếp loại chỉ số CCHC",
        "Kiến nghị xử lý người đứng đầu",
    ]
    ordered = sorted(bands.values(), key=lambda b: -b.order)
    response = client.post(
        url,
        rule_post(
            ordered, band=bands["kha"].pk, years="2", rank_fall="on", single_year_band=bands["trung-binh"].pk
        ),
    )
    assert response.status_code == 302
    rule = WarningRule.objects.get(campaign=plan)
    assert (rule.band, rule.years, rule.rank_fall, rule.single_year_band) == (
        bands["kha"], 2, True, bands["trung-binh"],
    )  # fmt: skip
    # The single-year band above the band: the error is on its field, nothing is saved.
    response = client.post(
        url, rule_post(ordered, band=bands["trung-binh"].pk, years="5", single_year_band=bands["kha"].pk)
    )
    message = (
        "Kiến nghị xử lý: mức xếp loại trong một năm (“Khá”) phải thấp hơn mức xếp loại nhiều năm liên tục "
        "(“Trung bình”)."
    )
    assert response.context["plan_errors"] == [
        f"Kiến nghị xử lý người đứng đầu, Hoặc trong năm đánh giá xếp loại từ mức này trở xuống: {message}"
    ]
    assert response.context["parts"][1][1].errors == {"single_year_band": [message]}
    rule.refresh_from_db()
    assert (rule.band, rule.years) == (bands["kha"], 2)
    response = client.post(url, rule_post(ordered, band=bands["kha"].pk, years="0"))
    assert response.context["parts"][1][1].errors == {"years": ["Số năm liên tục phải từ 1 đến 10."]}
    # A band the rule names cannot be deleted under it: a message, not an error page.
    data = rule_post(ordered, band=bands["kha"].pk, years="2", single_year_band=bands["trung-binh"].pk)
    data["bands-1-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["plan_errors"][0].startswith("Không xoá được: mục này đang được dùng")
    # Both bands empty: the plan has no rule any more.
    assert client.post(url, rule_post(ordered, years="2")).status_code == 302
    assert WarningRule.objects.filter(campaign=plan).exists() is False


def test_an_amendment_of_the_rule_reads_in_words(db, city):
    from campaigns.services import amendment

    plan = published_campaign(issuer=city)
    bands = add_default_par_bands(plan)
    BlocMembershipFactory(bloc=BlocFactory(campaign=plan))
    rule = seed_002_warning_rule(plan)
    with amendment(plan, actor=None, reason="Áp dụng 3 năm"):
        rule.years = 3
        rule.single_year_band = bands["yeu"]
        rule.save()
    change = plan.amendments.get()
    assert describe_changes(change.changes, reference_names(plan, [change.changes])) == [
        (
            "Kiến nghị xử lý người đứng đầu",
            ["Số năm liên tục: 2 → 3", "Xếp loại trong năm, từ mức này trở xuống: Trung bình → Yếu"],
        )
    ]
    assert validate_plan(plan) == []


@pytest.mark.django_db(transaction=True)
def test_migration_gives_the_rule_only_where_the_old_code_applied_it():
    """Before: every plan with blocs was checked with its bands named "Khá" / "Trung bình" (or the
    default bands when it had none). After: the same plans carry the same rule; the others none."""
    executor = MigrationExecutor(connection)
    old = [("campaigns", "0004_award_form_registration_gate_and_individual_ranking")]
    new = [("campaigns", "0005_warning_rule_and_bloc_members_quota")]
    executor.migrate(old)
    apps = executor.loader.project_state(old).apps
    Agency = apps.get_model("agencies", "Agency")
    Campaign = apps.get_model("campaigns", "Campaign")
    ParBand = apps.get_model("campaigns", "ParBand")
    Bloc = apps.get_model("campaigns", "Bloc")
    BlocMembership = apps.get_model("campaigns", "BlocMembership")
    issuer = Agency.objects.create(code="tp-m", name="UBND TP", kind=AgencyKind.PROVINCE_PC, path="tp-m/")
    member = Agency.objects.create(code="so-m", name="Sở", kind=AgencyKind.DEPARTMENT, path="tp-m/so-m/")

    def plan(code, bands, blocs=True):
        campaign = Campaign.objects.create(
            code=code, issuer=issuer, title=code, period_start="2022-01-01", period_end="2022-12-31"
        )
        for order, (name, score) in enumerate(reversed(bands), 1):
            ParBand.objects.create(
                campaign=campaign, code=f"b{order}", name=name, min_score=score, order=order
            )
        if blocs:
            bloc = Bloc.objects.create(campaign=campaign, code="khoi", name="Khối")
            BlocMembership.objects.create(bloc=bloc, agency=member, campaign=campaign)
        return campaign.pk

    standard = [("Tốt", 90), ("Khá", 80), ("Trung bình", 65), ("Yếu", 0)]
    plans = {
        "standard": plan("standard", standard),
        "no-blocs": plan("no-blocs", standard, blocs=False),
        "no-bands": plan("no-bands", []),
        "fair-only": plan("fair-only", [("Xuất sắc", 90), ("KHÁ", 70), ("Đạt", 0)]),
        "percent": plan("percent", [("Từ 90%", 90), ("Từ 80% đến dưới 90%", 80), ("Dưới 80%", 0)]),
    }
    executor = MigrationExecutor(connection)
    executor.migrate(new)
    apps = executor.loader.project_state(new).apps
    WarningRule = apps.get_model("campaigns", "WarningRule")
    rules = {
        r.campaign.code: (r.band.name if r.band else None, r.years, r.rank_fall,
                          r.single_year_band.name if r.single_year_band else None)
        for r in WarningRule.objects.select_related("campaign", "band", "single_year_band")
    }  # fmt: skip
    assert rules == {
        "standard": ("Khá", 2, True, "Trung bình"),
        "no-bands": ("Khá", 2, True, "Trung bình"),
        "fair-only": ("KHÁ", 2, True, None),
    }
    bands = apps.get_model("campaigns", "ParBand").objects.filter(campaign_id=plans["no-bands"])
    assert sorted(bands.values_list("code", "order")) == [
        ("kha", 3),
        ("tot", 4),
        ("trung-binh", 2),
        ("yeu", 1),
    ]
    # Leave every app at its latest migration (going back may have unapplied migrations of other apps).
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_plan_import_page_cites_no_file_path(client, city):
    client.force_login(user_with_role(Role.HOME_AFFAIRS, city))
    html = client.get(reverse("campaigns:import")).content.decode()
    assert "docs/" not in html and ".md" not in html
    assert "“Tải kế hoạch (YAML)”" in html
