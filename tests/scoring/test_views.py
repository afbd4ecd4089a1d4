"""Pages: permissions (404 for others), imports in the browser, results per bloc, exports, query counts."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Role
from campaigns.models import QuotaBase, QuotaKind, QuotaScope, RankingKey
from scoring.models import ParIndexResult
from scoring.results import compute_results
from tests.factories import UserFactory, user_with_role
from tests.imports import confirm, preview


@pytest.fixture
def officer(plan):
    return user_with_role(Role.HOME_AFFAIRS, plan.province)


def seed_002(plan, n):
    for i in range(n):
        plan.agency(f"s{i:03d}", par=99 - i * 1.5)
    plan.award_form(
        code="cchc",
        min_par_band=plan.bands["tot"],
        quota_kind=QuotaKind.FRACTION,
        quota_numerator=1,
        quota_denominator=3,
        quota_base=QuotaBase.RANKED_IN_BLOC,
        quota_scope=QuotaScope.PER_BLOC,
        ranking_key=RankingKey.PAR_SCORE,
    )
    return compute_results(plan.campaign)


def test_results_are_hidden_from_other_agencies(client, plan):
    seed_002(plan, 3)
    outsider = user_with_role(Role.STAFF, plan.agency("other", bloc=None))
    client.force_login(outsider)
    assert client.get(reverse("scoring:results", args=[plan.campaign.code])).status_code == 404
    assert client.get(reverse("scoring:export", args=[plan.campaign.code, "csv"])).status_code == 404


def test_import_par_in_the_browser_all_or_nothing(client, plan, officer):
    plan.agency("a")
    client.force_login(officer)
    bad = SimpleUploadedFile("par.csv", b"agency_code,year,score\na,2027,91\nzz,2027,80\na,20x7,5\n")
    response = client.post(reverse("scoring:import_par"), {"file": bad})
    assert response.status_code == 200
    assert [str(e) for e in response.context["errors"]] == [
        "Dòng 3: không tìm thấy cơ quan có mã “zz”.",
        "Dòng 4: năm “20x7” không hợp lệ.",
    ]
    assert ParIndexResult.objects.count() == 0
    good = SimpleUploadedFile("par.csv", b'agency_code,year,score,rating\na,2027,"91,5",\n')
    response = preview(client, reverse("scoring:import_par"), good, campaign=plan.campaign.code)
    assert ParIndexResult.objects.count() == 0  # nothing before the confirmation
    response = confirm(client, response)
    assert response.status_code == 302
    result = ParIndexResult.objects.get()
    assert (result.score, result.rating, result.rating_given, result.imported_by) == (
        Decimal("91.50"),
        "Tốt",
        False,
        officer,
    )


def test_bloc_page_shows_chart_quota_and_reasons(client, plan, officer):
    run = seed_002(plan, 10)
    client.force_login(officer)
    url = reverse("scoring:bloc", args=[plan.campaign.code, "so-nganh"])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="rank-bar proposed"') == 3
    assert html.count('class="rank-bar cut"') == 4  # ranks 4..7 are Tốt (>= 90) but outside the quota
    assert html.count('class="rank-bar ineligible"') == 3
    assert "Chỉ tiêu: 3" in html
    badge = '<span class="badge text-bg-secondary">Không đề nghị</span> <span class="small">'
    assert f"{badge}điều kiện không đạt: chỉ số CCHC</span>" in html
    assert f"{badge}ngoài chỉ tiêu</span>" in html
    assert '>Không</span> <span class="small">không' not in html  # never "Không không đạt"
    assert '<td class="text-end">97,50</td>' in html and '<td class="text-end">97,5</td>' not in html
    assert run.results.filter(proposed=True).count() == 3


def test_candidate_page_explains(client, plan, officer):
    seed_002(plan, 10)
    client.force_login(officer)
    url = reverse("scoring:candidate", args=[plan.campaign.code, "cchc", "collective", "s003"])
    html = client.get(url).content.decode()
    assert "Không được đề nghị: thứ 4 trong số đủ điều kiện, ngoài chỉ tiêu 3." in html


@pytest.mark.parametrize("n", [1, 30])
def test_bloc_page_query_count(client, plan, officer, django_assert_max_num_queries, n):
    seed_002(plan, n)
    client.force_login(officer)
    url = reverse("scoring:bloc", args=[plan.campaign.code, "so-nganh"])
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_par_list_query_count(client, plan, officer, django_assert_max_num_queries, n):
    for i in range(n):
        plan.agency(f"p{i}", par=80)
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("scoring:par_list")).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_compute_query_count_does_not_grow(plan, django_assert_max_num_queries, n):
    for i in range(n):
        plan.agency(f"q{i}", par=95 - i * 0.1)
    plan.award_form(min_par_band=plan.bands["tot"], quota_kind=QuotaKind.FIXED, quota_fixed=2)
    with django_assert_max_num_queries(30):
        compute_results(plan.campaign)


def test_export_is_byte_identical(client, plan, officer, tmp_path):
    from django.core.management import call_command

    seed_002(plan, 7)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    call_command("export_results", plan.campaign.code, "--format", "csv", "--output", str(first))
    call_command("compute_results", plan.campaign.code, stdout=io.StringIO())
    call_command("export_results", plan.campaign.code, "--format", "csv", "--output", str(second))
    assert first.read_bytes() == second.read_bytes()
    lines = first.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "bloc,rank_in_bloc,candidate_kind,agency_code,person_name,par_year,par_score,par_rating,"
        "total_score,eligible,proposed,award_form,reasons,council_decides"
    )
    assert [line.rsplit(",", 1)[1] for line in lines[1:]] == ["0"] * 7
    assert lines[1].startswith("so-nganh,1,collective,s000,,2027,99.00,Tốt,,1,1,cchc,")
    assert len(lines) == 8
    client.force_login(officer)
    response = client.get(reverse("scoring:export", args=[plan.campaign.code, "csv"]))
    assert response.content == first.read_bytes()
    xlsx = client.get(reverse("scoring:export", args=[plan.campaign.code, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_reviewer_scores_and_is_refused_on_stale_version(client, plan):
    from scoring.reviews import assign_reviewer
    from tests.factories import CriterionFactory, TargetGroupFactory

    group = TargetGroupFactory(campaign=plan.campaign)
    criterion = CriterionFactory(target_group=group, code="c1", max_points=Decimal("10"))
    registration = plan.register(plan.agency("r"))
    registration.target_group = group
    registration.save()
    reviewer = user_with_role(Role.COUNCIL, plan.province)
    assignment = assign_reviewer(
        registration, reviewer, actor=user_with_role(Role.HOME_AFFAIRS, plan.province)
    )
    client.force_login(reviewer)
    url = reverse("scoring:review", args=[assignment.pk])
    assert client.post(url, {f"points-{criterion.pk}": "8", "action": "save"}).status_code == 302
    response = client.post(url, {f"points-{criterion.pk}": "9", "action": "save"})  # no version: stale
    assert response.status_code == 200
    assert "vừa được người khác lưu trước bạn" in response.content.decode()
    assert assignment.scores.get().points == Decimal("8.00")
    other = UserFactory()
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_home_and_index_pages_for_the_demo_accounts(client, plan, officer):
    seed_002(plan, 3)
    client.force_login(officer)
    home = client.get(reverse("home")).content.decode()
    assert reverse("scoring:index") in home
    index = client.get(reverse("scoring:index"))
    assert index.status_code == 200
    assert [p.code for p in index.context["plans"]] == [plan.campaign.code]
    page = client.get(reverse("scoring:results", args=[plan.campaign.code]))
    assert [(s["bloc__code"], s["total"], s["proposed"]) for s in page.context["summary"]] == [
        ("so-nganh", 3, 1)
    ]
    assert client.get(reverse("scoring:warnings", args=[plan.campaign.code])).status_code == 200
    assert client.get(reverse("scoring:assign", args=[plan.campaign.code])).status_code == 200
    assert client.get(reverse("scoring:initiatives", args=[plan.campaign.code])).status_code == 200
    assert client.get(reverse("scoring:import_staff")).status_code == 200
    assert client.get(reverse("scoring:staff_list")).status_code == 200
    assert client.get(reverse("scoring:my_reviews")).status_code == 200


def test_compute_in_the_browser_needs_home_affairs_of_the_issuer(client, plan, officer):
    seed_002(plan, 3)
    council = user_with_role(Role.COUNCIL, plan.province)
    client.force_login(council)
    url = reverse("scoring:compute", args=[plan.campaign.code])
    assert client.post(url).status_code == 404
    assert client.get(reverse("scoring:results", args=[plan.campaign.code])).status_code == 200
    client.force_login(officer)
    assert client.post(url).status_code == 302


def test_ties_at_the_cut_off_are_marked_for_the_council_in_the_last_csv_column(plan, tmp_path):
    from django.core.management import call_command

    for code, score in (("t1", 99), ("t2", 95), ("t3", 95), ("t4", 90)):
        plan.agency(code, par=score)
    plan.award_form(code="cchc", quota_kind=QuotaKind.FIXED, quota_fixed=2, ranking_key=RankingKey.PAR_SCORE)
    compute_results(plan.campaign)
    out = tmp_path / "r.csv"
    call_command("export_results", plan.campaign.code, "--output", str(out), stdout=io.StringIO())
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].endswith(",reasons,council_decides")
    assert [(line.split(",")[3], line.split(",")[10], line.rsplit(",", 1)[1]) for line in lines[1:]] == [
        ("t1", "1", "0"),
        ("t2", "0", "1"),
        ("t3", "0", "1"),
        ("t4", "0", "0"),
    ]
