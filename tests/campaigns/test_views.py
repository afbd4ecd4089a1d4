import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import AgencyKind, Role
from campaigns.models import Campaign, CampaignAmendment, CampaignState, Milestone
from tests.factories import (
    AgencyFactory,
    CampaignFactory,
    MilestoneFactory,
    RoundFactory,
    TargetGroupFactory,
    import_seed_plans,
    published_campaign,
    user_with_role,
)

PLANS = Path(__file__).resolve().parents[2] / "campaigns" / "plans"


@pytest.fixture
def city(db):
    return AgencyFactory(code="tp", kind=AgencyKind.PROVINCE_PC)


@pytest.fixture
def officer(city):
    return user_with_role(Role.HOME_AFFAIRS, city)


def test_public_plan_page_needs_no_login_and_states_the_rules(client, directory):
    import_seed_plans()
    page = client.get(reverse("campaigns:detail", args=["hcmc-par-2022"]))
    assert page.status_code == 200
    assert (
        "Khen thưởng công tác cải cách hành chính: chỉ đề nghị khen thưởng đối với tập thể, "
        "người đứng đầu và cấp phó được phân công phụ trách công tác cải cách hành chính khi "
        "Chỉ số cải cách hành chính năm đánh giá được xếp loại “Tốt” và tỷ lệ khen thưởng không quá 1/3 "
        "số cơ quan có điểm số được xếp hạng từ cao đến thấp của mỗi khối."
    ) in page.content.decode()
    page = client.get(reverse("campaigns:detail", args=["hanam-duytien-2023"]))
    assert (
        "Giấy khen của Chủ tịch Ủy ban nhân dân thị xã: chỉ đề nghị khen thưởng đối với tập thể, cá nhân khi "
        "được đánh giá, xếp loại “hoàn thành tốt nhiệm vụ” trở lên và tỷ lệ khen thưởng không quá 50% số tập "
        "thể, cá nhân có nhiều thành tích trong phong trào thi đua."
    ) in page.content.decode()


def test_public_sees_only_published_plans(client, city):
    published = published_campaign(issuer=city, title="Kế hoạch đã phát động")
    draft = CampaignFactory(issuer=city, title="Kế hoạch dự thảo")
    assert client.get(reverse("campaigns:detail", args=[draft.code])).status_code == 404
    assert client.get(reverse("campaigns:detail", args=[published.code])).status_code == 200
    listing = client.get(reverse("campaigns:list")).content.decode()
    assert "Kế hoạch đã phát động" in listing
    assert "Kế hoạch dự thảo" not in listing
    assert client.get(reverse("campaigns:export", args=[draft.code])).status_code == 404


def test_staff_of_another_agency_cannot_edit(client, city):
    plan = CampaignFactory(issuer=city)
    other_city = AgencyFactory(code="tinh-khac", kind=AgencyKind.PROVINCE_PC)
    for user in (
        user_with_role(Role.HOME_AFFAIRS, other_city),
        user_with_role(Role.STAFF, AgencyFactory(parent=city)),
        user_with_role(Role.HEAD, city),
    ):
        client.force_login(user)
        assert client.get(reverse("campaigns:edit", args=[plan.code, "general"])).status_code == 404
        assert (
            client.post(reverse("campaigns:state", args=[plan.code]), {"state": "published"}).status_code
            == 404
        )
        assert client.get(reverse("campaigns:detail", args=[plan.code])).status_code == 404
    plan.refresh_from_db()
    assert plan.state == CampaignState.DRAFT


def test_home_affairs_creates_a_plan_step_by_step(client, officer, city):
    client.force_login(officer)
    response = client.post(
        reverse("campaigns:create"),
        {
            "c-code": "kh-2027",
            "c-issuer": city.pk,
            "c-title": "Phong trào thi đua năm 2027",
            "c-period_start": "2027-01-01",
            "c-period_end": "2027-12-31",
            "c-score_aggregation": "mean",
            "c-reminder_days": "7, 1",
        },
    )
    assert response.status_code == 302
    plan = Campaign.objects.get(code="kh-2027")
    assert (plan.state, plan.reminder_offsets, plan.rounds.count(), plan.par_bands.count()) == (
        "draft",
        [7, 1],
        1,
        4,
    )
    response = client.post(
        reverse("campaigns:edit", args=[plan.code, "groups"]),
        {
            "groups-TOTAL_FORMS": "1",
            "groups-INITIAL_FORMS": "0",
            "groups-0-order": "1",
            "groups-0-code": "phuong",
            "groups-0-name": "Phường, xã",
            "groups-0-kind": "collective",
            "groups-0-agency_kinds": ["commune_pc"],
        },
    )
    assert response.status_code == 302
    assert list(plan.target_groups.values_list("code", "agency_kinds")) == [("phuong", ["commune_pc"])]


def milestone_post(plan, rows):
    data = {
        "p-period_start": plan.period_start.isoformat(),
        "p-period_end": plan.period_end.isoformat(),
        "rounds-TOTAL_FORMS": "0",
        "rounds-INITIAL_FORMS": "0",
        "milestones-TOTAL_FORMS": str(len(rows)),
        "milestones-INITIAL_FORMS": "0",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
    }
    for i, (kind, due_on) in enumerate(rows):
        data.update(
            {
                f"milestones-{i}-order": str(i + 1),
                f"milestones-{i}-kind": kind,
                f"milestones-{i}-due_on": due_on,
            }
        )
    return data


def test_milestones_out_of_order_are_refused_on_the_form(client, officer, city):
    plan = CampaignFactory(issuer=city)
    client.force_login(officer)
    response = client.post(
        reverse("campaigns:edit", args=[plan.code, "milestones"]),
        milestone_post(plan, [("report_deadline", "2027-02-01"), ("registration_deadline", "2027-03-01")]),
    )
    assert response.status_code == 200
    message = (
        "Mốc “Hạn đăng ký thi đua” (01/03/2027) không đúng thứ tự: phải trước mốc "
        "“Hạn gửi báo cáo tổng kết, hồ sơ đề nghị khen thưởng” (01/02/2027)."
    )
    assert response.context["plan_errors"] == [f"Mốc thời gian, dòng 2, Hạn (ngày cuối cùng): {message}"]
    rows = response.context["parts"][2][1].forms
    assert [form.errors for form in rows] == [{}, {"due_on": [message]}]
    html = response.content.decode()
    assert "milestones[1]" not in html
    assert html.count(message) == 2  # in the alert and under the field
    assert Milestone.objects.count() == 0


def award_post(**values):
    data = {"awards-TOTAL_FORMS": "1", "awards-INITIAL_FORMS": "0"}
    data.update(
        {
            "awards-0-order": "1",
            "awards-0-code": "gk",
            "awards-0-name": "Giấy khen",
            "awards-0-kind": "giay_khen",
            "awards-0-recipient": "collective",
            "awards-0-par_year": "campaign",
            "awards-0-quota_kind": "fraction",
            "awards-0-quota_base": "eligible",
            "awards-0-quota_scope": "campaign",
            "awards-0-ranking_key": "total_score",
            "awards-0-tie_break_key": "none",
            "awards-0-vote_numerator": "1",
            "awards-0-vote_denominator": "2",
        }
    )
    data.update({f"awards-0-{k}": v for k, v in values.items()})
    return data


@pytest.mark.parametrize("typed", ["1.5", "3/2", "0", "abc", "150%", ""])
def test_quota_above_one_is_refused_on_the_form_with_one_message(client, officer, city, typed):
    plan = CampaignFactory(issuer=city)
    client.force_login(officer)
    url = reverse("campaigns:edit", args=[plan.code, "awards"])
    response = client.post(url, award_post(quota_fraction=typed))
    assert response.status_code == 200
    form = response.context["parts"][0][1].forms[0]
    assert form.errors == {"quota_fraction": ["Tỷ lệ khen thưởng phải từ 0 đến 1 (ví dụ 1/3 hoặc 50%)."]}
    assert response.context["plan_errors"] == []
    assert plan.award_forms.count() == 0


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [("1/3", (1, 3), "1/3"), ("50%", (50, 100), "50%"), ("0,5", (1, 2), "1/2"), ("1", (1, 1), "1/1")],
)
def test_quota_fraction_is_typed_in_one_field(client, officer, city, typed, stored, shown):
    plan = CampaignFactory(issuer=city)
    client.force_login(officer)
    url = reverse("campaigns:edit", args=[plan.code, "awards"])
    assert client.post(url, award_post(quota_fraction=typed)).status_code == 302
    award = plan.award_forms.get()
    assert (award.quota_numerator, award.quota_denominator) == stored
    form = client.get(url).context["parts"][0][1].forms[0]
    assert form["quota_fraction"].value() == shown


def test_publish_then_amend_with_reason(client, officer, city):
    plan = CampaignFactory(issuer=city)
    AgencyFactory(parent=city, kind=AgencyKind.COMMUNE_PC)
    RoundFactory(campaign=plan)
    TargetGroupFactory(campaign=plan)
    client.force_login(officer)
    client.post(reverse("campaigns:state", args=[plan.code]), {"state": "published"})
    plan.refresh_from_db()
    assert plan.state == "published"
    rows = [("registration_deadline", "2027-02-01")]
    url = reverse("campaigns:edit", args=[plan.code, "milestones"])
    response = client.post(url, milestone_post(plan, rows))
    assert response.status_code == 200
    assert response.context["reason_form"].errors == {"reason": ["Trường này là bắt buộc."]}
    assert Milestone.objects.count() == 0
    response = client.post(url, {**milestone_post(plan, rows), "r-reason": "Bổ sung hạn đăng ký"})
    assert response.status_code == 302
    assert plan.milestones.get().due_on == dt.date(2027, 2, 1)
    amendment = CampaignAmendment.objects.get()
    assert (amendment.reason, list(amendment.changes)) == ("Bổ sung hạn đăng ký", ["milestones"])


def test_browser_import_shows_paths_of_errors(client, directory, home_affairs):
    client.force_login(home_affairs)
    text = (
        (PLANS / "hcmc-par-2022.yaml").read_text(encoding="utf-8").replace("fraction: 1/3", "fraction: 1.5")
    )
    response = client.post(
        reverse("campaigns:import"), {"file": SimpleUploadedFile("plan.yaml", text.encode("utf-8"))}
    )
    assert response.status_code == 200
    assert [(e.path, e.message) for e in response.context["errors"]] == [
        ("award_forms[0].quota.fraction", "Tỷ lệ 1.5 phải lớn hơn 0 và không quá 1.")
    ]
    assert Campaign.objects.count() == 0
    text = text.replace("fraction: 1.5", "fraction: 1/3")
    response = client.post(
        reverse("campaigns:import"), {"file": SimpleUploadedFile("plan.yaml", text.encode("utf-8"))}
    )
    assert response.status_code == 302
    exported = client.get(reverse("campaigns:export", args=["hcmc-par-2022"]))
    assert exported["Content-Disposition"] == 'attachment; filename="hcmc-par-2022.yaml"'
    assert "fraction: 1/3" in exported.content.decode()


def test_import_for_another_issuer_is_refused(client, directory):
    ward_officer = user_with_role(Role.HOME_AFFAIRS, directory["hcm-binhtan"])
    client.force_login(ward_officer)
    text = (PLANS / "hcmc-par-2022.yaml").read_bytes()
    response = client.post(reverse("campaigns:import"), {"file": SimpleUploadedFile("plan.yaml", text)})
    assert [(e.path, e.message) for e in response.context["errors"]] == [
        ("issuer", "Bạn không phải cán bộ Nội vụ của cơ quan “hcm”.")
    ]


def test_copy_last_years_plan_in_the_browser(client, officer, city):
    plan = published_campaign(issuer=city, code="kh-2027")
    client.force_login(officer)
    response = client.post(
        reverse("campaigns:copy", args=[plan.code]),
        {"code": "kh-2028", "title": "Kế hoạch 2028", "years": "1"},
    )
    assert response.status_code == 302
    new = Campaign.objects.get(code="kh-2028")
    assert (new.state, new.period_start) == ("draft", dt.date(2028, 1, 5))


def test_agency_sees_published_plans_targeting_it(client, city):
    ward = AgencyFactory(code="ph", parent=city, kind=AgencyKind.COMMUNE_PC)
    plan = published_campaign(issuer=city, title="Kế hoạch cho phường")
    TargetGroupFactory(campaign=plan, agency_kinds=["commune_pc"])
    other = published_campaign(title="Kế hoạch cho sở")
    TargetGroupFactory(campaign=other, agency_kinds=["department"])
    client.force_login(user_with_role(Role.STAFF, ward))
    response = client.get(reverse("campaigns:list"))
    assert [(p.title, [a.code for a in agencies]) for p, agencies in response.context["mine"]] == [
        ("Kế hoạch cho phường", ["ph"])
    ]


@pytest.mark.parametrize("rows", [1, 6])
def test_list_pages_query_count(client, officer, city, django_assert_max_num_queries, rows):
    ward = AgencyFactory(parent=city, kind=AgencyKind.COMMUNE_PC)
    for _i in range(rows):
        plan = published_campaign(issuer=city)
        TargetGroupFactory(campaign=plan, agency_kinds=["commune_pc"])
        MilestoneFactory(campaign=plan)
        CampaignFactory(issuer=city)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("campaigns:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("campaigns:manage")).status_code == 200
    client.force_login(user_with_role(Role.STAFF, ward))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("campaigns:list"))
    assert len(response.context["mine"]) == rows


def test_blocs_and_criteria_steps_save(client, officer, city):
    plan = CampaignFactory(issuer=city)
    group = TargetGroupFactory(campaign=plan)
    first, second = AgencyFactory(code="ph-1", parent=city), AgencyFactory(code="ph-2", parent=city)
    client.force_login(officer)
    response = client.post(
        reverse("campaigns:edit", args=[plan.code, "blocs"]),
        {
            "blocs-TOTAL_FORMS": "1",
            "blocs-INITIAL_FORMS": "0",
            "blocs-0-order": "1",
            "blocs-0-code": "khoi-phuong",
            "blocs-0-name": "Khối phường",
            "blocs-0-agency_codes": "ph-1, ph-2",
        },
    )
    assert response.status_code == 302
    bloc = plan.blocs.get()
    assert sorted(bloc.memberships.values_list("agency__code", flat=True)) == ["ph-1", "ph-2"]
    assert set(bloc.memberships.values_list("campaign", flat=True)) == {plan.pk}
    response = client.post(
        reverse("campaigns:edit", args=[plan.code, "blocs"]),
        {
            "blocs-TOTAL_FORMS": "1",
            "blocs-INITIAL_FORMS": "1",
            "blocs-0-id": str(bloc.pk),
            "blocs-0-order": "1",
            "blocs-0-code": "khoi-phuong",
            "blocs-0-name": "Khối phường",
            "blocs-0-agency_codes": "ph-2\nkhong-co",
        },
    )
    assert response.status_code == 200
    assert response.context["parts"][0][1].forms[0].errors == {
        "agency_codes": ["Không có cơ quan mã: khong-co."]
    }
    assert sorted(bloc.memberships.values_list("agency__code", flat=True)) == ["ph-1", "ph-2"]
    del first, second
    prefix = f"crit-{group.pk}"
    response = client.post(
        reverse("campaigns:edit", args=[plan.code, "criteria"]),
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-order": "1",
            f"{prefix}-0-code": "tthc",
            f"{prefix}-0-text": "Giải quyết hồ sơ đúng hạn",
            f"{prefix}-0-max_points": "30",
            f"{prefix}-0-weight": "1",
            f"{prefix}-0-evidence_required": "on",
        },
    )
    assert response.status_code == 302
    assert list(group.criteria.values_list("code", "max_points", "evidence_required")) == [
        ("tthc", Decimal("30.00"), True)
    ]


def test_closed_plan_is_not_editable(client, officer, city):
    plan = published_campaign(issuer=city)
    Campaign.objects.filter(pk=plan.pk).update(state=CampaignState.CLOSED)
    client.force_login(officer)
    assert client.get(reverse("campaigns:edit", args=[plan.code, "general"])).status_code == 404
    assert client.get(reverse("campaigns:detail", args=[plan.code])).status_code == 200


def test_overlapping_bands_are_shown_on_their_rows(client, officer, city):
    plan = CampaignFactory(issuer=city)
    client.force_login(officer)
    data = {"bands-TOTAL_FORMS": "2", "bands-INITIAL_FORMS": "0"}
    for i, (order, code, name, score) in enumerate([(2, "tot", "Tốt", "80"), (1, "kha", "Khá", "85")]):
        data.update(
            {
                f"bands-{i}-order": str(order),
                f"bands-{i}-code": code,
                f"bands-{i}-name": name,
                f"bands-{i}-min_score": score,
            }
        )
    response = client.post(reverse("campaigns:edit", args=[plan.code, "bands"]), data)
    assert response.status_code == 200
    message = "Các xếp loại chồng lấn: “Khá” (từ 85,00 điểm) phải thấp hơn “Tốt” (từ 80,00 điểm)."
    assert response.context["plan_errors"] == [f"Xếp loại chỉ số CCHC, dòng 2, Điểm từ: {message}"]
    assert [form.errors for form in response.context["parts"][0][1].forms] == [{}, {"min_score": [message]}]
    assert plan.par_bands.count() == 0


def test_a_published_plan_moves_its_period_rounds_and_milestones_in_one_amendment(client, officer, city):
    plan = published_campaign(issuer=city)
    round_ = plan.rounds.get()
    milestone = plan.milestones.get()
    client.force_login(officer)
    url = reverse("campaigns:edit", args=[plan.code, "milestones"])
    page = client.get(url)
    assert [str(title) for title, _part in page.context["parts"]] == [
        "Thời gian của kế hoạch",
        "Các đợt (năm) thi đua",
        "Mốc thời gian",
        "Chỉ số định lượng",
    ]
    general = client.get(reverse("campaigns:edit", args=[plan.code, "general"])).context["parts"]
    assert [str(t) for t, _p in general] == ["Thông tin chung"]
    assert "period_start" not in general[0][1].fields
    data = {
        "p-period_start": "2028-02-01",
        "p-period_end": "2028-12-31",
        "rounds-TOTAL_FORMS": "1",
        "rounds-INITIAL_FORMS": "1",
        "rounds-0-id": str(round_.pk),
        "rounds-0-year": "2028",
        "rounds-0-label": "Năm 2028",
        "rounds-0-starts_on": "2028-02-01",
        "rounds-0-ends_on": "2028-12-31",
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "1",
        "milestones-0-id": str(milestone.pk),
        "milestones-0-order": "1",
        "milestones-0-kind": "registration_deadline",
        "milestones-0-due_on": "2028-02-15",
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
        "r-reason": "Lùi thời gian thực hiện sang năm 2028",
    }
    # Moving only the period (milestone and round left in 2027) is refused, on the rows concerned.
    response = client.post(
        url, {**data, "rounds-0-starts_on": "2027-01-05", "milestones-0-due_on": "2027-01-19"}
    )
    assert response.status_code == 200
    assert response.context["plan_errors"] == [
        "Các đợt (năm) thi đua, dòng 1, Bắt đầu: Đợt Năm 2028 (05/01/2027 - 31/12/2028) phải nằm trong thời "
        "gian của kế hoạch (01/02/2028 - 31/12/2028).",
        "Mốc thời gian, dòng 1, Hạn (ngày cuối cùng): Mốc “Hạn đăng ký thi đua” (19/01/2027) phải nằm "
        "trong thời gian của kế hoạch (01/02/2028 - 31/12/2028).",
    ]
    plan.refresh_from_db()
    assert (plan.period_start, plan.period_end) == (dt.date(2027, 1, 5), dt.date(2027, 12, 31))
    # All together: one amendment.
    response = client.post(url, data)
    assert response.status_code == 302
    plan.refresh_from_db()
    round_.refresh_from_db()
    milestone.refresh_from_db()
    assert (plan.period_start, plan.period_end, round_.starts_on, milestone.due_on) == (
        dt.date(2028, 2, 1),
        dt.date(2028, 12, 31),
        dt.date(2028, 2, 1),
        dt.date(2028, 2, 15),
    )
    amendment = CampaignAmendment.objects.get()
    assert (amendment.reason, sorted(amendment.changes)) == (
        "Lùi thời gian thực hiện sang năm 2028",
        ["milestones", "period", "rounds"],
    )
    assert amendment.changes["period"] == {
        "before": {"start": "2027-01-05", "end": "2027-12-31"},
        "after": {"start": "2028-02-01", "end": "2028-12-31"},
    }
