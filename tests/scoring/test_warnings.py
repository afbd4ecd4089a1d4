"""Kiến nghị xử lý: the plan's rule (seed 002 by default: Khá or lower two years running and fell in
rank, or Trung bình or lower in the year), applied in the database; its export and command."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from agencies.models import Role
from scoring.warnings import warnings_for
from tests.factories import ParIndexResultFactory, seed_002_warning_rule, user_with_role


def par(agency, year, score):
    ParIndexResultFactory(agency=agency, year=year, score=Decimal(str(score)))


@pytest.fixture
def rule(plan):
    return seed_002_warning_rule(plan.campaign)


def test_two_years_fair_and_fell_in_rank(plan, rule):
    a, b, c, d = (plan.agency(code) for code in ("a", "b", "c", "d"))
    par(a, 2026, 84), par(a, 2027, 82)  # Khá twice, rank 2 -> 4: flagged
    par(b, 2026, 83), par(b, 2027, 85)  # Khá twice, rank 3 -> 3: not flagged
    par(c, 2026, 81), par(c, 2027, 95)  # Khá then Tốt: not flagged
    par(d, 2026, 96), par(d, 2027, 97)  # Tốt
    warnings = warnings_for(plan.campaign, 2027)
    assert [w.agency.code for w in warnings] == ["a"]
    assert (warnings[0].consecutive, warnings[0].single_year) == (True, False)
    assert warnings[0].reason == (
        "02 năm liên tục xếp loại từ “Khá” trở xuống (2026: “Khá”, 2027: “Khá”) "
        "và tụt hạng trong khối từ 2 xuống 4."
    )


def test_average_in_the_year_is_flagged_alone(plan, rule):
    a, b = plan.agency("a"), plan.agency("b")
    par(a, 2027, 70)  # Trung bình, no previous year
    par(b, 2027, 90)
    warnings = warnings_for(plan.campaign, 2027)
    assert [(w.agency.code, w.rating, w.rank, w.single_year) for w in warnings] == [
        ("a", "Trung bình", 2, True)
    ]
    assert warnings[0].reason == "Năm 2027 xếp loại “Trung bình” (70,00 điểm)."


def test_same_rank_is_not_a_fall(plan, rule):
    a, b = plan.agency("a"), plan.agency("b")
    par(a, 2026, 90), par(a, 2027, 91)
    par(b, 2026, 85), par(b, 2027, 84)  # Khá twice but still second
    assert warnings_for(plan.campaign, 2027) == []


def test_a_plan_without_the_rule_flags_nobody(plan):
    """The rule is the plan's data: band names alone (the old hard-coded "Khá") flag nobody."""
    a, b = plan.agency("a"), plan.agency("b")
    par(a, 2026, 84), par(a, 2027, 70)
    par(b, 2026, 90), par(b, 2027, 95)
    assert warnings_for(plan.campaign, 2027) == []


def test_the_plan_sets_bands_years_and_the_fall_in_rank(plan):
    """Three years of "Trung bình" or lower, with or without a fall; no single-year band."""
    rule = seed_002_warning_rule(
        plan.campaign, band=plan.bands["trung-binh"], years=3, rank_fall=False, single_year_band=None
    )
    a, b, c = plan.agency("a"), plan.agency("b"), plan.agency("c")
    for year, scores in ((2025, (70, 60, 90)), (2026, (66, 50, 91)), (2027, (65, 81, 92))):
        par(a, year, scores[0]), par(b, year, scores[1]), par(c, year, scores[2])
    # a: three years at Trung bình or lower: flagged (no fall needed); b: Khá in 2027: not flagged.
    warnings = warnings_for(plan.campaign, 2027)
    assert [(w.agency.code, w.consecutive, w.single_year) for w in warnings] == [("a", True, False)]
    assert warnings[0].reason == (
        "03 năm liên tục xếp loại từ “Trung bình” trở xuống "
        "(2025: “Trung bình”, 2026: “Trung bình”, 2027: “Trung bình”)."
    )
    assert [h.year for h in warnings[0].history] == [2025, 2026, 2027]
    # A missing year breaks the run.
    rule.years = 4
    rule.save()
    assert warnings_for(plan.campaign, 2027) == []


def test_flagged_for_both_reasons(plan, rule):
    a, b = plan.agency("a"), plan.agency("b")
    par(a, 2026, 85), par(a, 2027, 70)  # Khá then Trung bình, 1 -> 2
    par(b, 2026, 80), par(b, 2027, 90)
    [w] = warnings_for(plan.campaign, 2027)
    assert (w.agency.code, w.single_year, w.consecutive, w.previous_rank, w.rank) == ("a", True, True, 1, 2)
    assert w.reason == (
        "Năm 2027 xếp loại “Trung bình” (70,00 điểm). 02 năm liên tục xếp loại từ “Khá” trở xuống "
        "(2026: “Khá”, 2027: “Trung bình”) và tụt hạng trong khối từ 1 xuống 2."
    )


def flagged_plan(plan):
    seed_002_warning_rule(plan.campaign)
    a, b = plan.agency("a"), plan.agency("=cmd")
    a.name = "=HYPERLINK(1)"
    a.save()
    par(a, 2026, 85), par(a, 2027, 70)
    par(b, 2026, 80), par(b, 2027, 90)


def test_export_warnings_command_csv_and_xlsx(plan, tmp_path):
    flagged_plan(plan)
    out = tmp_path / "w.csv"
    call_command(
        "export_warnings", plan.campaign.code, "--format", "csv", "--output", str(out), stdout=io.StringIO()
    )
    lines = out.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[0] == (
        "bloc,agency_code,agency_name,year,par_score,par_rating,rank_in_bloc,previous_par_score,"
        "previous_par_rating,previous_rank_in_bloc,single_year,consecutive,reason"
    )
    assert lines[1].startswith("so-nganh,a,'=HYPERLINK(1),2027,70.00,Trung bình,2,85.00,Khá,1,1,1,")
    assert lines[2:] == [""]
    xlsx = tmp_path / "w.xlsx"
    args = ["--format", "xlsx", "--output", str(xlsx), "--year", "2027"]
    call_command("export_warnings", plan.campaign.code, *args, stdout=io.StringIO())
    sheet = openpyxl.load_workbook(xlsx).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Khối", "Mã cơ quan", "Cơ quan", "Năm")
    assert rows[1][:7] == ("Khối so-nganh", "a", "'=HYPERLINK(1)", 2027, 70, "Trung bình", 2)
    assert rows[1][10:12] == ("Có", "Có")


def test_export_warnings_command_refuses_a_plan_without_the_rule(plan, tmp_path):
    with pytest.raises(CommandError, match="no warning rule"):
        call_command("export_warnings", plan.campaign.code, "--output", str(tmp_path / "x.csv"))


def test_warnings_page_shows_the_plan_rule_and_exports(client, plan):
    flagged_plan(plan)
    officer = user_with_role(Role.HOME_AFFAIRS, plan.province)
    client.force_login(officer)
    html = client.get(
        reverse("scoring:warnings", args=[plan.campaign.code]), {"year": "2027"}
    ).content.decode()
    assert "seed" not in html and plan.campaign.code + "," not in html
    assert (
        "Xem xét xử lý hoặc kiến nghị xử lý đối với người đứng đầu cơ quan, đơn vị nếu Chỉ số cải cách hành "
        "chính của cơ quan, đơn vị có 02 năm liên tục xếp loại “Khá” trở xuống và bị tụt hạng trong khối so "
        "với năm trước, hoặc trong năm đánh giá bị xếp loại “Trung bình” trở xuống."
    ) in html
    assert '<td class="text-end">70,00</td>' in html
    response = client.get(reverse("scoring:warnings_export", args=[plan.campaign.code, "csv"]), {"year": "²"})
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").count("\r\n") == 2  # the latest round, 2027
    outsider = user_with_role(Role.HOME_AFFAIRS, plan.agency("other", bloc=None))
    client.force_login(outsider)
    assert (
        client.get(reverse("scoring:warnings_export", args=[plan.campaign.code, "xlsx"])).status_code == 404
    )
