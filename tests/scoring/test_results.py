"""compute_results: gates, ranking within the bloc, quota rounding and ties (exact values)."""

from decimal import Decimal

from campaigns.models import QuotaBase, QuotaKind, QuotaScope, RankingKey, TieBreakKey
from scoring.explain import exclusion, explain
from scoring.models import CandidateResult
from scoring.results import compute_results


def seed_002_form(plan, **kwargs):
    """Seed 002: only "Tốt", at most 1/3 of the bloc's ranked agencies, by PAR score."""
    defaults = {
        "min_par_band": plan.bands["tot"],
        "quota_kind": QuotaKind.FRACTION,
        "quota_numerator": 1,
        "quota_denominator": 3,
        "quota_base": QuotaBase.RANKED_IN_BLOC,
        "quota_scope": QuotaScope.PER_BLOC,
        "ranking_key": RankingKey.PAR_SCORE,
    }
    defaults.update(kwargs)
    return plan.award_form(**defaults)


def by_code(run, form=None):
    qs = CandidateResult.objects.filter(run=run, kind="collective")
    if form is not None:
        qs = qs.filter(award_form=form)
    return {r.agency.code: r for r in qs.select_related("agency")}


def test_one_third_of_ten_is_three_ranked_by_par_score(plan):
    scores = [99, 98, 97, 96, 95, 94, 93, 92, 91, 85]
    for i, score in enumerate(scores):
        plan.agency(f"s{i}", par=score)
    form = seed_002_form(plan)
    run = compute_results(plan.campaign)
    results = by_code(run)
    assert [c for c, r in sorted(results.items()) if r.proposed] == ["s0", "s1", "s2"]
    assert results["s0"].rank_in_bloc == 1
    assert results["s9"].rank_in_bloc == 10
    assert results["s3"].quota == 3
    assert results["s3"].quota_base == 10
    assert results["s3"].eligible is True
    assert results["s3"].proposed is False
    assert exclusion(results["s3"]) == "ngoài chỉ tiêu"
    assert results["s9"].gate_par is False
    assert results["s9"].par_rating == "Khá"
    assert exclusion(results["s9"]) == "điều kiện không đạt: chỉ số CCHC"
    lines = explain(results["s9"], form, "Khối so-nganh", 2027)
    assert lines[0] == (
        "Chỉ số CCHC năm 2027: 85,00 điểm, xếp loại “Khá”: không đạt điều kiện "
        "“xếp loại chỉ số CCHC năm 2027 từ “Tốt” trở lên”."
    )
    assert lines[1] == "Xếp hạng 10/10 trong Khối so-nganh theo điểm chỉ số CCHC (85,00)."
    assert lines[-1] == "Không được đề nghị: không đạt điều kiện nêu trên."
    assert explain(results["s3"], form, "Khối so-nganh", 2027)[-1] == (
        "Không được đề nghị: thứ 4 trong số đủ điều kiện, ngoài chỉ tiêu 3."
    )


def test_one_third_of_two_is_zero(plan):
    plan.agency("a", par=99)
    plan.agency("b", par=95)
    seed_002_form(plan)
    results = by_code(compute_results(plan.campaign))
    assert results["a"].quota == 0
    assert results["a"].proposed is False
    assert results["b"].proposed is False


def test_half_of_seven_is_three_of_the_eligible(plan):
    for i, score in enumerate([90, 89, 88, 87, 86, 85, 84]):
        plan.agency(f"e{i}", par=score)
    plan.agency("low", par=50)  # not eligible (Yếu): not in the base
    plan.award_form(
        min_par_band=plan.bands["trung-binh"],
        quota_kind=QuotaKind.FRACTION,
        quota_numerator=1,
        quota_denominator=2,
        quota_base=QuotaBase.ELIGIBLE,
        quota_scope=QuotaScope.CAMPAIGN,
        ranking_key=RankingKey.PAR_SCORE,
    )
    results = by_code(compute_results(plan.campaign))
    assert results["e0"].quota == 3
    assert sorted(c for c, r in results.items() if r.proposed) == ["e0", "e1", "e2"]
    assert results["low"].eligible is False


def test_tie_at_cut_off_goes_to_the_council(plan):
    for i, score in enumerate([99, 97, 97, 92, 91, 91]):
        plan.agency(f"t{i}", par=score)
    seed_002_form(plan)  # quota 2: t0 in, t1 and t2 tie for the second place
    results = by_code(compute_results(plan.campaign))
    assert results["t0"].proposed is True
    assert (results["t1"].rank_in_bloc, results["t2"].rank_in_bloc) == (2, 2)
    assert results["t1"].tie_at_cutoff is True and results["t1"].proposed is False
    assert results["t2"].tie_at_cutoff is True and results["t2"].proposed is False
    assert results["t3"].tie_at_cutoff is False
    assert exclusion(results["t1"]) == "bằng điểm tại ngưỡng"


def test_tie_broken_by_the_second_key(plan):
    agencies = [plan.agency(f"k{i}", par=score) for i, score in enumerate([99, 97, 97, 92, 91, 91])]
    form = seed_002_form(plan, tie_break_key=TieBreakKey.REGISTERED_AT)
    import datetime as dt

    from django.utils import timezone

    plan.register(agencies[1], submitted_at=timezone.make_aware(dt.datetime(2027, 1, 12, 8, 0)))
    plan.register(agencies[2], submitted_at=timezone.make_aware(dt.datetime(2027, 1, 11, 8, 0)))
    results = by_code(compute_results(plan.campaign), form)
    assert results["k2"].rank_in_bloc == 2
    assert results["k1"].rank_in_bloc == 3
    assert results["k2"].proposed is True
    assert results["k1"].proposed is False
    assert results["k1"].tie_at_cutoff is False


def test_quota_per_bloc(plan):
    for i in range(6):
        plan.agency(f"x{i}", bloc="a", par=99 - i)
    for i in range(3):
        plan.agency(f"y{i}", bloc="b", par=95 - i)
    seed_002_form(plan)
    results = by_code(compute_results(plan.campaign))
    assert sorted(c for c, r in results.items() if r.proposed) == ["x0", "x1", "y0"]
    assert results["y2"].rank_in_bloc == 3


def test_par_exempt_without_index_previous_year(plan):
    """Seed 000: previous year's PAR rated at least Khá; agencies without an index are exempt."""
    plan.agency("has", par=82, par_year=2026)
    plan.agency("low", par=70, par_year=2026)
    plan.agency("none")
    form = plan.award_form(min_par_band=plan.bands["kha"], par_year="previous", par_exempt_without_index=True)
    results = by_code(compute_results(plan.campaign))
    assert results["has"].gate_par is True
    assert results["has"].par_year == 2026
    assert results["low"].gate_par is False
    assert results["none"].gate_par is None
    assert results["none"].par_exempt is True
    assert results["none"].eligible is True
    assert explain(results["none"], form, "", 2027)[0] == (
        "Không có kết quả chỉ số CCHC năm 2026: được miễn điều kiện xếp loại chỉ số CCHC theo kế hoạch."
    )


def test_missing_index_fails_without_exemption(plan):
    plan.agency("none")
    plan.award_form(min_par_band=plan.bands["kha"])
    results = by_code(compute_results(plan.campaign))
    assert results["none"].gate_par is False
    assert results["none"].eligible is False


def test_recompute_replaces_the_results(plan):
    agency = plan.agency("a", par=95)
    for i in range(2):
        plan.agency(f"b{i}", par=96 + i)
    seed_002_form(plan)
    first = compute_results(plan.campaign)
    assert by_code(first)["a"].proposed is False
    result = agency.par_results.get()
    result.score = Decimal("99.50")
    result.save()
    second = compute_results(plan.campaign)
    assert CandidateResult.objects.count() == 3
    assert by_code(second)["a"].proposed is True
    assert by_code(second)["a"].rank_in_bloc == 1


def test_quota_on_all_members_of_the_bloc(plan):
    """Quota base "all members of the bloc": 1/3 of the 9 agencies listed in the bloc is 3, though only
    6 have a PAR score to rank by (the ranked base would give 2); the other bloc has 2 members: 0."""
    for i, score in enumerate([99, 98, 97, 96, 95, 94]):
        plan.agency(f"m{i}", par=score)
    for i in range(3):
        plan.agency(f"n{i}")  # members without an index
    plan.agency("x0", bloc="khac", par=99)
    plan.agency("x1", bloc="khac", par=98)
    seed_002_form(plan, quota_base=QuotaBase.BLOC_MEMBERS)
    results = by_code(compute_results(plan.campaign))
    assert (results["m0"].quota_base, results["m0"].quota, results["x0"].quota) == (9, 3, 0)
    assert sorted(c for c, r in results.items() if r.proposed) == ["m0", "m1", "m2"]
