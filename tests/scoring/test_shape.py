"""Issue 17 in scoring: who is offered as a reviewer (never a locked account), one access helper per
object kind (404 when missing or forbidden), services that take the actor keyword-only and ask the
pages' rules, one error base, the shared pagination include."""

import inspect
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse

from agencies.models import AgencyKind, Role
from common.errors import PortalError
from scoring import outcomes, results, reviews, sheet_upload
from scoring.models import ResultRun, ReviewAssignment
from scoring.queries import reviewers_for, subjects_for
from scoring.results import ResultsError, RunFrozen, compute_results, freeze_run, unfreeze_run
from scoring.reviews import ReviewError, assign_many, assign_reviewer, spread_reviewers
from scoring.rules import (
    get_assignment_for_user,
    get_candidate_for_user,
    get_latest_run_for_user,
    get_result_for_user,
)
from scoring.sheets import ScoreSheetError, reviewer_choices
from tests.factories import AgencyFactory, user_with_role

from .test_assign_pages import Setup
from .test_views import seed_002


@pytest.fixture
def setup(plan):
    return Setup(plan, agencies=2)


@pytest.fixture
def locked(setup):
    """A council member of the issuer whose account home affairs locked."""
    user = user_with_role(
        Role.COUNCIL, setup.campaign.issuer, username="hoidong-khoa", last_name="Đỗ Văn", first_name="Khóa"
    )
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def test_reviewers_of_a_plan_are_its_home_affairs_and_council_never_a_locked_account(setup, locked):
    assert [u.username for u in reviewers_for(setup.campaign)] == ["hoidong-pc", "hoidong-pc2", "noivu-pc"]


def test_a_locked_account_is_never_offered_on_the_assignment_page(setup, locked, client):
    client.force_login(setup.officer)
    for kind in ("collective", "individual", "initiative"):
        response = client.get(reverse("scoring:assign", args=[setup.campaign.code]), {"kind": kind})
        assert response.status_code == 200
        assert [u.username for u in response.context["reviewers"]] == [
            "hoidong-pc",
            "hoidong-pc2",
            "noivu-pc",
        ]
        html = response.content.decode()
        assert f'<option value="{setup.council.pk}">' in html
        assert f'<option value="{locked.pk}">' not in html
        assert "Đỗ Văn Khóa" not in html


def test_a_locked_account_is_refused_by_every_assigning_service(setup, locked):
    registration = setup.individuals[0].registration
    with pytest.raises(ReviewError) as exc:
        assign_reviewer(registration, locked, actor=setup.officer)
    assert exc.value.messages == [
        "Đỗ Văn Khóa không phải cán bộ Nội vụ hay thành viên Hội đồng của kế hoạch này."
    ]
    result = assign_many(
        subjects_for(setup.plan.round, "collective", [registration.pk]),
        [locked, setup.council],
        actor=setup.officer,
    )
    assert (result.created, result.refused) == (
        1,
        ["Sở so-00: Đỗ Văn Khóa không phải cán bộ Nội vụ hay thành viên Hội đồng của kế hoạch này."],
    )
    with pytest.raises(ReviewError) as exc:
        spread_reviewers(setup.plan.bloc(), setup.plan.round, [locked], 1, actor=setup.officer)
    assert exc.value.messages == ["Chỉ phân công cán bộ Nội vụ hay thành viên Hội đồng của kế hoạch này."]
    assert list(ReviewAssignment.objects.values_list("reviewer__username", flat=True)) == ["hoidong-pc"]


def test_a_locked_reviewer_is_not_among_the_score_sheet_choices(setup, locked):
    registration = setup.individuals[0].registration
    assign_reviewer(registration, setup.council, actor=setup.officer)
    ReviewAssignment.objects.create(
        round=setup.plan.round, registration=registration, target_group=setup.collective, reviewer=locked
    )  # assigned before the account was locked
    assert [u.username for u in reviewer_choices(setup.campaign)] == ["hoidong-pc"]


def test_services_take_the_actor_keyword_only():
    services = [
        reviews.assign_reviewer, reviews.assign_many, reviews.unassign_reviewer, reviews.spread_reviewers,
        reviews.declare_conflict, reviews.save_scores, reviews.save_score, reviews.complete_assignment,
        reviews.complete_scored, reviews.set_final_score, reviews.select_exemplary,
        results.compute_results, results.freeze_run, results.unfreeze_run,
        sheet_upload.read_score_sheet, sheet_upload.apply_score_sheet,
    ]  # fmt: skip
    kinds = {f.__name__: inspect.signature(f).parameters["actor"].kind for f in services}
    assert kinds == {f.__name__: inspect.Parameter.KEYWORD_ONLY for f in services}


def test_scoring_errors_are_portal_errors():
    assert [issubclass(e, PortalError) for e in (ReviewError, ScoreSheetError, ResultsError, RunFrozen)] == [
        True,
        True,
        True,
        True,
    ]
    error = ScoreSheetError([f"Dòng {n}" for n in range(60)])
    assert (error.messages, error.hidden) == ([f"Dòng {n}" for n in range(50)], 10)


def test_the_outcomes_module_is_what_awards_reads(plan):
    run = seed_002(plan, 3)
    assert outcomes.latest_run(plan.campaign) == run
    found = outcomes.candidates(run, explained=False)
    assert [(c.agency_name, c.rank_in_bloc, c.proposed) for c in found] == [
        ("Sở s000", 1, True),
        ("Sở s001", 2, False),
        ("Sở s002", 3, False),
    ]
    assert not hasattr(outcomes, "freeze_run")  # a state change: scoring.results


def test_result_runs_ask_the_rules_of_the_pages(plan):
    seed_002(plan, 3)
    officer = user_with_role(Role.HOME_AFFAIRS, plan.province)
    other = user_with_role(Role.HOME_AFFAIRS, AgencyFactory(code="tinh-b", kind=AgencyKind.PROVINCE_PC))
    council = user_with_role(Role.COUNCIL, plan.province)
    for actor in (other, council):
        with pytest.raises(ResultsError) as exc:
            compute_results(plan.campaign, actor=actor)
        assert exc.value.messages == ["Chỉ cán bộ Nội vụ của cơ quan ban hành kế hoạch được làm việc này."]
    run = compute_results(plan.campaign, actor=officer)
    with pytest.raises(ResultsError):
        freeze_run(run, actor=other)
    freeze_run(run, actor=officer)
    with pytest.raises(RunFrozen):
        compute_results(plan.campaign, actor=officer)
    with pytest.raises(ResultsError) as exc:
        unfreeze_run(run, actor=officer, reason="  ")
    assert exc.value.messages == ["Phải ghi lý do rút danh sách đề nghị."]
    unfreeze_run(run, actor=None, reason="Rút danh sách để bổ sung")  # the system
    assert ResultRun.objects.get(pk=run.pk).frozen_at is None


def test_the_compute_page_says_why_it_refused(client, plan):
    run = seed_002(plan, 3)
    officer = user_with_role(Role.HOME_AFFAIRS, plan.province)
    freeze_run(run, actor=officer)
    client.force_login(officer)
    response = client.post(reverse("scoring:compute", args=[plan.campaign.code]), follow=True)
    assert response.redirect_chain == [(reverse("scoring:results", args=[plan.campaign.code]), 302)]
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith(
        "Không thể tính lại kết quả đợt 2027: danh sách đề nghị khen thưởng đã được lập"
    )
    assert ResultRun.objects.filter(campaign=plan.campaign).count() == 1


def test_access_helpers_answer_404_for_missing_and_forbidden(plan, setup):
    run = seed_002(plan, 2)
    officer = setup.officer
    outsider = user_with_role(Role.HOME_AFFAIRS, AgencyFactory(code="tinh-c", kind=AgencyKind.PROVINCE_PC))
    result = run.results.get(agency__code="s000")
    assignment = assign_reviewer(setup.individuals[0].registration, setup.council, actor=officer)
    code = plan.campaign.code
    assert get_result_for_user(officer, result.pk) == result
    assert get_candidate_for_user(officer, code, "cchc", "collective", "s000") == result
    assert get_latest_run_for_user(officer, code).run_id == run.pk
    assert get_assignment_for_user(setup.council, assignment.pk) == assignment
    refused = [
        lambda: get_result_for_user(outsider, result.pk),
        lambda: get_result_for_user(officer, 10**9),
        lambda: get_candidate_for_user(outsider, code, "cchc", "collective", "s000"),
        lambda: get_candidate_for_user(officer, code, "cchc", "collective", "khong-co"),
        lambda: get_candidate_for_user(officer, code, "cchc", "la", "s000"),
        lambda: get_latest_run_for_user(outsider, code),
        lambda: get_latest_run_for_user(officer, "khong-co"),
        lambda: get_assignment_for_user(officer, assignment.pk),  # home affairs does not score
        lambda: get_assignment_for_user(setup.council2, assignment.pk),
    ]
    outcomes_ = []
    for call in refused:
        try:
            call()
        except Http404:
            outcomes_.append(404)
        else:
            outcomes_.append("found")
    assert outcomes_ == [404] * len(refused)


def test_the_bloc_page_pages_through_the_shared_include(client, plan):
    for i in range(101):
        plan.agency(f"p{i:03d}", par=Decimal("50") + Decimal(i) / 4)
    plan.award_form(code="cchc", ranking_key="par_score")
    compute_results(plan.campaign)
    client.force_login(user_with_role(Role.HOME_AFFAIRS, plan.province))
    url = reverse("scoring:bloc", args=[plan.campaign.code, "so-nganh"])
    first = client.get(url, {"form": "cchc", "kind": "collective"}).content.decode()
    assert "Trang 1/2" in first
    assert 'href="?form=cchc&amp;kind=collective&amp;page=2">Trang sau</a>' in first
    assert "Trang trước" not in first
    second = client.get(url, {"form": "cchc", "kind": "collective", "page": "2"}).content.decode()
    assert "Trang 2/2" in second
    assert 'href="?form=cchc&amp;kind=collective&amp;page=1">Trang trước</a>' in second
    assert "Trang sau" not in second
    assert second.count('class="rank-row"') == 1
