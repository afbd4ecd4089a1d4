"""Each gate of an award form, with the value it saw (exact values)."""

import datetime as dt
from decimal import Decimal

from campaigns.models import Recipient, StaffRating
from common.tabular import Row
from registrations.models import DeadlineExtension
from scoring.explain import explain
from scoring.imports import import_staff_ratings
from scoring.models import CandidateResult, StaffRatingRecord
from scoring.results import compute_results
from tests.factories import ComplaintFactory, PersonFactory, StaffRatingRecordFactory


def results(run, kind="collective"):
    qs = CandidateResult.objects.filter(run=run, kind=kind).select_related("agency", "person", "award_form")
    return {(r.person.code if r.person_id else r.agency.code): r for r in qs}


def test_staff_rating_at_least_good(plan):
    agency = plan.agency("a")
    registration = plan.register(agency)
    for code, rating in (("p1", StaffRating.EXCELLENT), ("p2", StaffRating.GOOD), ("p3", StaffRating.DONE)):
        person = PersonFactory(agency=agency, code=code)
        StaffRatingRecordFactory(person=person, rating=rating)
        plan.individual(registration, person)
    plan.individual(registration, PersonFactory(agency=agency, code="p4"))  # no rating
    form = plan.award_form(recipient=Recipient.INDIVIDUAL, min_staff_rating=StaffRating.GOOD)
    found = results(compute_results(plan.campaign), "individual")
    assert {c: r.gate_staff_rating for c, r in found.items()} == {
        "p1": True,
        "p2": True,
        "p3": False,
        "p4": False,
    }
    assert explain(found["p3"], form, "", 2027)[0] == (
        "Xếp loại cán bộ năm 2027: “Hoàn thành nhiệm vụ”: "
        "không đạt điều kiện “từ Hoàn thành tốt nhiệm vụ trở lên”."
    )
    assert explain(found["p4"], form, "", 2027)[0] == (
        "Xếp loại cán bộ năm 2027: “chưa có xếp loại”: "
        "không đạt điều kiện “từ Hoàn thành tốt nhiệm vụ trở lên”."
    )


def test_head_not_disciplined(plan):
    clean, disciplined = plan.agency("clean"), plan.agency("bad")
    StaffRatingRecordFactory(person=PersonFactory(agency=clean, is_head=True), disciplined=False)
    StaffRatingRecordFactory(person=PersonFactory(agency=disciplined, is_head=True), disciplined=True)
    form = plan.award_form(require_head_not_disciplined=True)
    found = results(compute_results(plan.campaign))
    assert (found["clean"].gate_discipline, found["bad"].gate_discipline) == (True, False)
    assert found["bad"].eligible is False
    assert "Người đứng đầu bị kỷ luật trong năm: không đạt điều kiện “không bị kỷ luật”." in explain(
        found["bad"], form, "", 2027
    )


def test_no_upheld_complaints_in_the_year(plan):
    a, b, c = plan.agency("a"), plan.agency("b"), plan.agency("c")
    ComplaintFactory(agency=a, upheld=True)
    ComplaintFactory(agency=b, upheld=False)
    ComplaintFactory(agency=c, upheld=True, year=2026)
    plan.award_form(require_no_upheld_complaints=True)
    found = results(compute_results(plan.campaign))
    assert {k: (r.upheld_complaints, r.gate_complaints) for k, r in found.items()} == {
        "a": (1, False),
        "b": (0, True),
        "c": (0, True),
    }


def test_registered_on_time_with_extension(plan):
    milestone = plan.campaign.milestones.get()  # due 19/01/2027, end of day in Vietnam
    on_time, late, extended, missing = (plan.agency(c) for c in ("on-time", "late", "extended", "missing"))
    vn = dt.timezone(dt.timedelta(hours=7))
    plan.register(on_time, submitted_at=dt.datetime(2027, 1, 19, 23, 59, tzinfo=vn))
    plan.register(late, submitted_at=dt.datetime(2027, 1, 20, 0, 1, tzinfo=vn))
    plan.register(extended, submitted_at=dt.datetime(2027, 1, 22, 10, 0, tzinfo=vn))
    DeadlineExtension.objects.create(
        agency=extended, milestone=milestone, extended_until=dt.date(2027, 1, 25), reason="Sáp nhập đơn vị"
    )
    plan.award_form(require_on_time_registration=True)
    found = results(compute_results(plan.campaign))
    assert {k: r.gate_on_time for k, r in found.items()} == {
        "on-time": True,
        "late": False,
        "extended": True,
        "missing": False,
    }
    assert milestone.due_on == dt.date(2027, 1, 19)


def test_head_tied_to_collective(plan):
    """Seed 001: a head's individual award only when the agency's collective award is proposed."""
    good, poor = plan.agency("good", par=95), plan.agency("poor", par=70)
    plan.award_form(code="tap-the", min_par_band=plan.bands["tot"])
    for agency in (good, poor):
        registration = plan.register(agency)
        plan.individual(registration, PersonFactory(agency=agency, code=f"head-{agency.code}", is_head=True))
        plan.individual(registration, PersonFactory(agency=agency, code=f"staff-{agency.code}"))
    plan.award_form(code="ca-nhan", recipient=Recipient.INDIVIDUAL, head_tied_to_collective=True, order=1)
    found = results(compute_results(plan.campaign), "individual")
    assert {k: (r.gate_head_tied, r.eligible) for k, r in found.items()} == {
        "head-good": (True, True),
        "head-poor": (False, False),
        "staff-good": (None, True),
        "staff-poor": (None, True),
    }


def test_extends_to_head_and_deputy(plan):
    """Seed 002: the collective, its head and the reform deputy."""
    top, second = plan.agency("top", par=98), plan.agency("second", par=94)
    for agency in (top, second):
        PersonFactory(agency=agency, code=f"h-{agency.code}", is_head=True)
        PersonFactory(agency=agency, code=f"d-{agency.code}", is_reform_deputy=True)
        PersonFactory(agency=agency, code=f"s-{agency.code}")
    plan.award_form(
        min_par_band=plan.bands["tot"],
        extends_to_head_and_deputy=True,
        quota_kind="fixed",
        quota_fixed=1,
        ranking_key="par_score",
    )
    run = compute_results(plan.campaign)
    people = {
        r.person.code: (r.kind, r.proposed, r.gate_collective, r.rank_in_bloc)
        for r in CandidateResult.objects.filter(run=run, kind__in=["head", "deputy"]).select_related("person")
    }
    assert people == {
        "h-top": ("head", True, True, 1),
        "d-top": ("deputy", True, True, 1),
        "h-second": ("head", False, False, 2),
        "d-second": ("deputy", False, False, 2),
    }


def test_staff_ratings_import_all_or_nothing_then_update(plan):
    agency = plan.agency("a")
    PersonFactory(agency=agency, code="p1")
    bad = [
        Row(
            2, {"agency_code": "a", "person_code": "p1", "year": "2027", "rating": "good", "disciplined": "0"}
        ),
        Row(
            3, {"agency_code": "a", "person_code": "zz", "year": "2027", "rating": "tốt", "disciplined": "?"}
        ),
    ]
    try:
        import_staff_ratings(bad)
    except Exception as exc:  # ImportErrors
        assert [str(e) for e in exc.errors] == [
            "Dòng 3: không tìm thấy cá nhân mã “zz” thuộc cơ quan “a”.",
            "Dòng 3: xếp loại “tốt” không hợp lệ; dùng một trong: Hoàn thành xuất sắc nhiệm vụ, "
            "Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ, Không hoàn thành nhiệm vụ.",
            "Dòng 3: cột disciplined “?” phải là 1/0 hoặc có/không.",
        ]
    assert StaffRatingRecord.objects.count() == 0
    row = {"agency_code": "a", "person_code": "p1", "year": "2027", "disciplined": "có"}
    summary = import_staff_ratings([Row(2, {**row, "rating": "Hoàn thành tốt nhiệm vụ"})])
    assert (summary.created, summary.updated) == (1, 0)
    summary = import_staff_ratings([Row(2, {**row, "rating": "excellent"})])
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)
    record = StaffRatingRecord.objects.get()
    assert (record.rating, record.disciplined) == (StaffRating.EXCELLENT, True)


def test_par_reimport_updates_and_keeps_one_row(plan):
    from scoring.imports import import_par_index
    from scoring.models import ParIndexResult

    plan.agency("a")
    import_par_index([Row(2, {"agency_code": "a", "year": "2027", "score": "88", "rating": ""})])
    summary = import_par_index([Row(2, {"agency_code": "a", "year": "2027", "score": "91", "rating": "khá"})])
    assert (summary.created, summary.updated) == (0, 1)
    result = ParIndexResult.objects.get()
    assert (result.score, result.rating, result.rating_given) == (Decimal("91.00"), "Khá", True)


def test_published_rating_wins_over_the_score(plan):
    """A rating given in the file (as published) is used for the gate even if the score says otherwise."""
    from scoring.models import ParIndexResult

    agency = plan.agency("a")
    ParIndexResult.objects.create(
        agency=agency, year=2027, score=Decimal("92"), rating="Khá", rating_given=True
    )
    plan.award_form(min_par_band=plan.bands["tot"])
    found = results(compute_results(plan.campaign))
    assert (found["a"].par_rating, found["a"].gate_par) == ("Khá", False)
