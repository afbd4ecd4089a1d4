"""Seed 002 warnings: Khá or lower two years running and fell in rank, or Trung bình in the year."""

from decimal import Decimal

from scoring.warnings import warnings_for
from tests.factories import ParIndexResultFactory


def par(agency, year, score):
    ParIndexResultFactory(agency=agency, year=year, score=Decimal(str(score)))


def test_two_years_fair_and_fell_in_rank(plan):
    a, b, c, d = (plan.agency(code) for code in ("a", "b", "c", "d"))
    par(a, 2026, 84), par(a, 2027, 82)  # Khá twice, rank 2 -> 4: flagged
    par(b, 2026, 83), par(b, 2027, 85)  # Khá twice, rank 3 -> 3: not flagged
    par(c, 2026, 81), par(c, 2027, 95)  # Khá then Tốt: not flagged
    par(d, 2026, 96), par(d, 2027, 97)  # Tốt
    warnings = warnings_for(plan.campaign, 2027)
    assert [w.agency.code for w in warnings] == ["a"]
    assert warnings[0].reason == (
        "Hai năm liên tục xếp loại từ “Khá” trở xuống (2026: “Khá”, 2027: “Khá”) "
        "và tụt hạng trong khối từ 2 xuống 4."
    )


def test_average_in_the_year_is_flagged_alone(plan):
    a, b = plan.agency("a"), plan.agency("b")
    par(a, 2027, 70)  # Trung bình, no previous year
    par(b, 2027, 90)
    warnings = warnings_for(plan.campaign, 2027)
    assert [(w.agency.code, w.rating, w.rank) for w in warnings] == [("a", "Trung bình", 2)]
    assert warnings[0].reason == "Năm 2027 xếp loại “Trung bình” (70,00 điểm)."


def test_same_rank_is_not_a_fall(plan):
    a, b = plan.agency("a"), plan.agency("b")
    par(a, 2026, 90), par(a, 2027, 91)
    par(b, 2026, 85), par(b, 2027, 84)  # Khá twice but still second
    assert warnings_for(plan.campaign, 2027) == []
