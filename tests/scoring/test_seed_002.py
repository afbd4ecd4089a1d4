"""Acceptance on seed 002 (hcmc-par-2022) with the city's PAR Index 2021-2022 (tests/factories/hcmc.py):
the departments' bloc capped at a third, every exclusion explained, and the warnings of the plan."""

import io

from auditlog.models import LogEntry
from django.core.management import call_command

from common.tabular import Row
from scoring.explain import exclusion, explain
from scoring.imports import import_par_index
from scoring.models import CandidateResult, ParIndexResult
from scoring.results import compute_results
from tests.factories import hcmc_par_2022


def departments(run):
    return list(
        CandidateResult.objects.filter(run=run, bloc__code="khoi-so", kind="collective")
        .select_related("agency", "award_form__min_par_band", "bloc")
        .order_by("rank_in_bloc")
    )


def test_departments_bloc_is_capped_at_a_third_and_every_exclusion_is_explained(db):
    seed = hcmc_par_2022()
    campaign = seed.campaign
    rows = departments(seed.run)
    assert len(rows) == 12
    assert [r.agency.code for r in rows if r.proposed] == ["hcm-snv", "hcm-stp", "hcm-stc", "hcm-sxd"]
    assert {r.quota for r in rows} == {4}
    assert {r.agency.code: exclusion(r) for r in rows if not r.proposed} == {
        "hcm-syt": "ngoài chỉ tiêu",
        "hcm-sgddt": "ngoài chỉ tiêu",
        "hcm-skhcn": "điều kiện không đạt: chỉ số CCHC",
        "hcm-snnmt": "điều kiện không đạt: chỉ số CCHC",
        "hcm-sct": "điều kiện không đạt: chỉ số CCHC",
        "hcm-svhtt": "điều kiện không đạt: chỉ số CCHC",
        "hcm-btqlkcn": "điều kiện không đạt: chỉ số CCHC",
        "hcm-sdl": "điều kiện không đạt: chỉ số CCHC",
    }
    syt = rows[4]
    assert explain(syt, syt.award_form, syt.bloc.name, 2022)[-2:] == [
        "Chỉ tiêu (tối đa 1/3 số cơ quan được xếp hạng mỗi khối, làm tròn xuống): 12 × tỷ lệ = 4.",
        "Không được đề nghị: thứ 5 trong số đủ điều kiện, ngoài chỉ tiêu 4.",
    ]

    # Changing a PAR score and recomputing changes the result and leaves an audit entry.
    rows_in = [Row(2, {"agency_code": "hcm-syt", "year": "2022", "score": "96.00", "rating": ""})]
    import_par_index(rows_in, campaign=campaign)
    par = ParIndexResult.objects.get(agency__code="hcm-syt", year=2022)
    entry = LogEntry.objects.get_for_object(par).order_by("-pk").first()
    assert entry.changes_dict["score"] == ["90.90", "96.00"]
    assert entry.additional_data == {"note": "Nhập kết quả chỉ số CCHC từ tệp"}
    rows = departments(compute_results(campaign))
    assert [r.agency.code for r in rows if r.proposed] == ["hcm-syt", "hcm-snv", "hcm-stp", "hcm-stc"]
    assert next(r for r in rows if r.agency.code == "hcm-sxd").proposed is False


def test_warnings_follow_the_seed_002_rule_of_the_plan(db, tmp_path):
    """Kiến nghị xử lý 2022: Khá or lower 2021-2022 and fell in rank (Sở KH&CN 6 -> 7, Sở VH&TT 7 -> 10),
    or Trung bình or lower in 2022 (Sở Du lịch, Nhà Bè)."""
    from scoring.warnings import warnings_for

    campaign = hcmc_par_2022().campaign
    found = warnings_for(campaign, 2022)
    assert [(w.agency.code, w.rank, w.previous_rank, w.single_year, w.consecutive) for w in found] == [
        ("hcm-skhcn", 7, 6, False, True),
        ("hcm-svhtt", 10, 7, False, True),
        ("hcm-sdl", 12, 12, True, False),
        ("hcm-nhabe", 7, 7, True, False),
    ]
    out = tmp_path / "kien-nghi.csv"
    call_command("export_warnings", "hcmc-par-2022", "--output", str(out), stdout=io.StringIO())
    assert len(out.read_bytes().decode("utf-8-sig").splitlines()) == 5
