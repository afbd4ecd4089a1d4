"""Issue 9, results pages and gates: every candidate kind shown, individuals ranked by the plan's key,
unranked rows last, stable candidate addresses, the accepted-registration gate, the first on-time
sending kept after a return, and an agency without a head flagged instead of passed."""

import datetime as dt

import pytest
from django.urls import reverse

from agencies.models import Role
from campaigns.models import QuotaKind, Recipient, StaffRating
from registrations.models import RegistrationState
from scoring.explain import exclusion, explain
from scoring.models import CandidateResult
from scoring.results import compute_results
from tests.factories import PersonFactory, StaffRatingRecordFactory, user_with_role

VN = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def officer(plan):
    return user_with_role(Role.HOME_AFFAIRS, plan.province)


def by_code(run, kind="collective"):
    qs = CandidateResult.objects.filter(run=run, kind=kind).select_related("agency", "person", "award_form")
    return {(r.person.code if r.person_id else r.agency.code): r for r in qs}


def head_and_deputy_plan(plan):
    for code, par in (("top", 98), ("second", 94)):
        agency = plan.agency(code, par=par)
        PersonFactory(agency=agency, code=f"h-{code}", full_name=f"Thủ trưởng {code}", is_head=True)
        PersonFactory(agency=agency, code=f"d-{code}", full_name=f"Phó {code}", is_reform_deputy=True)
    plan.award_form(
        code="bang-khen",
        min_par_band=plan.bands["tot"],
        extends_to_head_and_deputy=True,
        quota_kind=QuotaKind.FIXED,
        quota_fixed=1,
        ranking_key="par_score",
    )
    return compute_results(plan.campaign)


def test_results_page_shows_every_candidate_kind_and_kind_filter_works(client, plan, officer):
    run = head_and_deputy_plan(plan)
    client.force_login(officer)
    page = client.get(reverse("scoring:results", args=[plan.campaign.code]))
    summary = [(s["kind"], s["kind_label"], s["total"], s["proposed"]) for s in page.context["summary"]]
    assert summary == [
        ("collective", "Tập thể", 2, 1),
        ("head", "Người đứng đầu", 2, 1),
        ("deputy", "Cấp phó phụ trách CCHC", 2, 1),
    ]
    assert sum(s["total"] for s in page.context["summary"]) == run.candidate_count == 6
    bloc = reverse("scoring:bloc", args=[plan.campaign.code, "so-nganh"])
    assert f'href="{bloc}?form=bang-khen&amp;kind=deputy"' in page.content.decode()
    heads = client.get(bloc, {"form": "bang-khen", "kind": "head"})
    html = heads.content.decode()
    assert "Thủ trưởng top" in html and "Thủ trưởng second" in html and "Phó top" not in html
    assert '<option value="head" selected>Người đứng đầu</option>' in html
    for odd in ("xyz", "", "\x00", "collective'", "²"):
        response = client.get(bloc, {"form": "bang-khen", "kind": odd})
        assert response.status_code == 200
        assert '<option value="collective" selected>Tập thể</option>' in response.content.decode()


def individual_plan(plan, individual_key="staff_rating"):
    agency = plan.agency("a")
    registration = plan.register(agency)
    ratings = (
        ("p-done", StaffRating.DONE),
        ("p-excellent", StaffRating.EXCELLENT),
        ("p-none", None),
        ("p-good", StaffRating.GOOD),
    )
    for code, rating in ratings:
        person = PersonFactory(agency=agency, code=code, full_name=f"Cán bộ {code}")
        if rating:
            StaffRatingRecordFactory(person=person, rating=rating)
        plan.individual(registration, person)
    return plan.award_form(
        code="giay-khen",
        recipient=Recipient.BOTH,
        ranking_key="total_score",
        individual_ranking_key=individual_key,
        quota_kind=QuotaKind.FIXED,
        quota_fixed=2,
    )


def test_individuals_are_ranked_by_their_staff_rating_when_the_plan_says_so(plan):
    form = individual_plan(plan)
    found = by_code(compute_results(plan.campaign), "individual")
    assert {c: (r.rank_in_bloc, r.proposed) for c, r in found.items()} == {
        "p-excellent": (1, True),
        "p-good": (2, True),
        "p-done": (3, False),
        "p-none": (None, False),
    }
    lines = explain(found["p-excellent"], form, "Khối so-nganh", 2027)
    assert "Xếp hạng 1/3 trong Khối so-nganh theo xếp loại cán bộ (Hoàn thành xuất sắc nhiệm vụ)." in lines
    assert "Không có xếp loại cán bộ nên không được xếp hạng." in explain(found["p-none"], form, "", 2027)
    assert exclusion(found["p-none"]) == "thiếu điểm để xếp hạng"


def test_individuals_without_their_own_key_keep_the_plan_key(plan):
    individual_plan(plan, individual_key="")
    found = by_code(compute_results(plan.campaign), "individual")
    # Ranked by total score, and nobody was scored: none is ranked (as before), none proposed.
    assert {r.rank_in_bloc for r in found.values()} == {None}


def test_bloc_page_lists_unranked_candidates_after_ranked_ones(client, plan, officer):
    individual_plan(plan)
    compute_results(plan.campaign)
    client.force_login(officer)
    url = reverse("scoring:bloc", args=[plan.campaign.code, "so-nganh"])
    html = client.get(url, {"form": "giay-khen", "kind": "individual"}).content.decode()
    positions = [html.index(f"Cán bộ {c} <span") for c in ("p-excellent", "p-good", "p-done", "p-none")]
    assert positions == sorted(positions)


def test_candidate_address_survives_a_recompute_and_old_ids_redirect_or_404(client, plan, officer):
    head_and_deputy_plan(plan)
    client.force_login(officer)
    code = plan.campaign.code
    collective = reverse("scoring:candidate", args=[code, "bang-khen", "collective", "second"])
    head = reverse("scoring:person_candidate", args=[code, "bang-khen", "head", "top", "h-top"])
    old = CandidateResult.objects.get(kind="head", person__code="h-top")
    old_url = reverse("scoring:result", args=[old.pk])
    assert old_url == f"/scoring/result/{old.pk}/"
    response = client.get(old_url)
    assert (response.status_code, response["Location"]) == (302, head)
    # The bloc page links the stable address.
    bloc = client.get(reverse("scoring:bloc", args=[code, "so-nganh"]), {"form": "bang-khen", "kind": "head"})
    assert f'href="{head}"' in bloc.content.decode()

    assert client.post(reverse("scoring:compute", args=[code])).status_code == 302
    assert client.get(old_url).status_code == 404  # the row is gone: a clean 404
    page = client.get(head)
    assert page.status_code == 200
    assert "Thủ trưởng top" in page.content.decode()
    assert (
        "Không được đề nghị: thứ 2 trong số đủ điều kiện, ngoài chỉ tiêu 1."
        in client.get(collective).content.decode()
    )
    for missing in (
        reverse("scoring:candidate", args=[code, "bang-khen", "collective", "nobody"]),
        reverse("scoring:candidate", args=[code, "no-form", "collective", "top"]),
        reverse("scoring:candidate", args=[code, "bang-khen", "odd-kind", "top"]),
        reverse("scoring:person_candidate", args=[code, "bang-khen", "head", "top", "d-top"]),
    ):
        assert client.get(missing).status_code == 404
    outsider = user_with_role(Role.STAFF, plan.agency("other", bloc=None))
    client.force_login(outsider)
    assert client.get(head).status_code == 404


def test_accepted_registration_gate(plan):
    """Issue 9 item 18: the plan says whether an award form needs an accepted registration."""
    registered, waiting = plan.agency("registered"), plan.agency("waiting")
    plan.agency("absent")
    plan.register(registered)
    plan.register(waiting, state=RegistrationState.SUBMITTED)
    form = plan.award_form(require_accepted_registration=True)
    found = by_code(compute_results(plan.campaign))
    assert {c: (r.gate_registration, r.eligible) for c, r in found.items()} == {
        "registered": (True, True),
        "waiting": (False, False),
        "absent": (False, False),
    }
    assert exclusion(found["absent"]) == "điều kiện không đạt: chưa có đăng ký được chấp nhận"
    assert explain(found["absent"], form, "", 2027)[0] == (
        "Không có đăng ký thi đua được Phòng/Sở Nội vụ chấp nhận: "
        "không đạt điều kiện “có đăng ký thi đua được chấp nhận”."
    )
    assert explain(found["registered"], form, "", 2027)[0] == (
        "Có đăng ký thi đua được Phòng/Sở Nội vụ chấp nhận: "
        "đạt điều kiện “có đăng ký thi đua được chấp nhận”."
    )
    # Without the gate every member of the bloc stays a candidate (seed 002).
    form.require_accepted_registration = False
    form.save()
    found = by_code(compute_results(plan.campaign))
    assert {c: (r.gate_registration, r.eligible) for c, r in found.items()} == {
        "registered": (None, True),
        "waiting": (None, True),
        "absent": (None, True),
    }


def test_on_time_gate_keeps_the_first_sending_after_a_return(plan):
    """Issue 9 item 20: sent on time, returned, sent again after the registration deadline."""
    agency = plan.agency("resent")
    registration = plan.register(agency, submitted_at=dt.datetime(2027, 1, 25, 9, 0, tzinfo=VN))
    registration.first_submitted_at = dt.datetime(2027, 1, 15, 8, 30, tzinfo=VN)
    registration.resubmit_by = dt.date(2027, 1, 26)
    registration.save()
    form = plan.award_form(require_on_time_registration=True, tie_break_key="registered_at")
    found = by_code(compute_results(plan.campaign))
    result = found["resent"]
    assert (result.gate_on_time, result.registered_at, result.resubmitted_at, result.resubmit_by) == (
        True,
        dt.datetime(2027, 1, 15, 8, 30, tzinfo=VN),
        dt.datetime(2027, 1, 25, 9, 0, tzinfo=VN),
        dt.date(2027, 1, 26),
    )
    assert explain(result, form, "", 2027)[0] == (
        "Gửi đăng ký thi đua lần đầu lúc 15/01/2027 08:30, gửi lại lúc 25/01/2027 09:00, trong hạn gửi "
        "lại Nội vụ cho (hết ngày 26/01/2027); thời hạn tính theo lần gửi đầu: "
        "đạt điều kiện “đăng ký thi đua đúng hạn”."
    )


def test_agency_without_head_is_flagged_not_passed_and_keeps_its_seat(client, plan, officer):
    """Issue 9 item 21: no head in the directory: 'unknown', flagged, not proposed, seat kept."""
    first, headless, third = (
        plan.agency("first", par=99),
        plan.agency("headless", par=97),
        plan.agency("third", par=95),
    )
    for agency in (first, third):
        StaffRatingRecordFactory(person=PersonFactory(agency=agency, is_head=True), disciplined=False)
    form = plan.award_form(
        code="bk",
        require_head_not_disciplined=True,
        quota_kind=QuotaKind.FIXED,
        quota_fixed=2,
        ranking_key="par_score",
    )
    run = compute_results(plan.campaign)
    found = by_code(run)
    assert {c: (r.gate_discipline, r.head_unknown, r.eligible, r.proposed) for c, r in found.items()} == {
        "first": (True, False, True, True),
        "headless": (None, True, True, False),
        "third": (True, False, True, False),  # the held seat is not given to the next one
    }
    held = found["headless"]
    assert held.awaits_check is True and held.cut_by_quota is False
    assert exclusion(held) == "chưa xác định người đứng đầu"
    lines = explain(held, form, "Khối so-nganh", 2027)
    assert lines[1] == (
        "Danh bạ chưa có người đứng đầu của cơ quan: chưa xác định được điều kiện “người đứng đầu không bị "
        "kỷ luật”. Cần Phòng/Sở Nội vụ bổ sung người đứng đầu và tính lại kết quả; đến khi đó cơ quan giữ "
        "thứ hạng và suất trong chỉ tiêu nhưng chưa được đề nghị."
    )
    assert lines[-1] == (
        "Chờ Phòng/Sở Nội vụ xác định người đứng đầu: thứ 2 trong số đủ điều kiện, trong chỉ tiêu 2, "
        "suất được giữ nhưng chưa được đề nghị."
    )
    assert not any("không bị kỷ luật trong năm" in line for line in lines)
    client.force_login(officer)
    page = client.get(reverse("scoring:results", args=[plan.campaign.code]))
    assert [s["head_unknown"] for s in page.context["summary"]] == [1]
    bloc = client.get(reverse("scoring:bloc", args=[plan.campaign.code, "so-nganh"]), {"form": "bk"})
    assert 'Chờ Nội vụ xác minh</span> <span class="small">chưa xác định người đứng đầu' in (
        bloc.content.decode()
    )
    # Home affairs adds the head: the agency is proposed on the next computation.
    PersonFactory(agency=headless, is_head=True)
    found = by_code(compute_results(plan.campaign))
    assert {c: r.proposed for c, r in found.items()} == {"first": True, "headless": True, "third": False}


@pytest.mark.parametrize("n", [1, 12])
def test_results_page_query_count(client, plan, officer, django_assert_max_num_queries, n):
    for i in range(n):
        agency = plan.agency(f"q{i:02d}", par=99 - i)
        PersonFactory(agency=agency, is_head=True)
        PersonFactory(agency=agency, is_reform_deputy=True)
    plan.award_form(min_par_band=plan.bands["tot"], extends_to_head_and_deputy=True, ranking_key="par_score")
    compute_results(plan.campaign)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("scoring:results", args=[plan.campaign.code]))
    assert [s["total"] for s in page.context["summary"]] == [n, n, n]
