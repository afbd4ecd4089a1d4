"""Reviews: conflicts, scoring within max, optimistic concurrency, aggregation (mean/median/override)."""

from decimal import Decimal

import pytest

from agencies.models import Role
from campaigns.models import RankingKey, Recipient, ScoreAggregation
from scoring.models import CandidateResult, ReviewAssignment
from scoring.results import compute_results
from scoring.reviews import (
    ReviewError,
    StaleScore,
    assign_reviewer,
    complete_assignment,
    declare_conflict,
    save_score,
    set_final_score,
    spread_reviewers,
)
from tests.factories import CriterionFactory, TargetGroupFactory, user_with_role


@pytest.fixture
def scored(plan):
    group = TargetGroupFactory(campaign=plan.campaign, code="tap-the")
    c1 = CriterionFactory(target_group=group, code="c1", max_points=Decimal("10"), weight=Decimal("1"))
    c2 = CriterionFactory(target_group=group, code="c2", max_points=Decimal("20"), weight=Decimal("2"))
    agency = plan.agency("so-a")
    registration = plan.register(agency)
    registration.target_group = group
    registration.save()
    return plan, registration, (c1, c2)


def reviewer_of(campaign, **fields):
    """A council member of the issuing body: someone who may review in the plan."""
    return user_with_role(Role.COUNCIL, campaign.issuer, **fields)


def manager_of(campaign):
    """A home-affairs officer of the issuing body: assigns reviewers, sets final scores."""
    return user_with_role(Role.HOME_AFFAIRS, campaign.issuer)


def review(registration, criteria, points, reviewer=None):
    reviewer = reviewer or reviewer_of(registration.campaign)
    assignment = assign_reviewer(registration, reviewer, actor=manager_of(registration.campaign))
    for criterion, value in zip(criteria, points, strict=True):
        save_score(assignment, criterion, value, "", None, actor=reviewer)
    complete_assignment(assignment, actor=reviewer)
    return assignment


def total_of(plan, registration):
    plan.award_form(recipient=Recipient.COLLECTIVE, ranking_key=RankingKey.TOTAL_SCORE)
    run = compute_results(plan.campaign)
    return CandidateResult.objects.get(run=run, registration=registration)


def test_reviewer_of_the_agency_is_excluded(scored):
    plan, registration, _criteria = scored
    insider = user_with_role(Role.STAFF, registration.agency)
    with pytest.raises(ReviewError) as exc:
        assign_reviewer(registration, insider, actor=manager_of(registration.campaign))
    assert "không được chấm hồ sơ của cơ quan này" in exc.value.messages[0]
    assert ReviewAssignment.objects.count() == 0


def test_score_within_max_points(scored):
    _plan, registration, (c1, _c2) = scored
    reviewer = reviewer_of(registration.campaign)
    assignment = assign_reviewer(registration, reviewer, actor=manager_of(registration.campaign))
    with pytest.raises(ReviewError) as exc:
        save_score(assignment, c1, "10.5", "", None, actor=reviewer)
    assert exc.value.messages == [f"Điểm của tiêu chí “{c1.text}” phải từ 0 đến 10,00."]
    assert save_score(assignment, c1, "9,5", "tốt", None, actor=reviewer).points == Decimal("9.5")


def test_concurrent_edits_are_refused_not_overwritten(scored):
    _plan, registration, (c1, _c2) = scored
    reviewer = reviewer_of(registration.campaign)
    assignment = assign_reviewer(registration, reviewer, actor=manager_of(registration.campaign))
    first = save_score(assignment, c1, "5", "", None, actor=reviewer)
    assert first.version == 1
    # Two pages opened at version 1; the first save wins, the second is refused.
    assert save_score(assignment, c1, "7", "tab A", 1, actor=reviewer).version == 2
    with pytest.raises(StaleScore) as exc:
        save_score(assignment, c1, "3", "tab B", 1, actor=reviewer)
    assert "vừa được người khác lưu trước bạn" in exc.value.messages[0]
    score = assignment.scores.get()
    assert (score.points, score.comment, score.version) == (Decimal("7.00"), "tab A", 2)
    with pytest.raises(StaleScore):
        save_score(assignment, c1, "4", "new tab", None, actor=reviewer)


def test_mean_of_weighted_totals(scored):
    plan, registration, criteria = scored
    review(registration, criteria, ["10", "20"])  # 10 + 40 = 50
    review(registration, criteria, ["5", "10"])  # 5 + 20 = 25
    review(registration, criteria, ["0", "1"])  # 0 + 2 = 2
    result = total_of(plan, registration)
    assert result.total_score == Decimal("25.67")
    assert result.reviewer_count == 3


def test_median_of_weighted_totals(scored):
    plan, registration, criteria = scored
    plan.campaign.score_aggregation = ScoreAggregation.MEDIAN
    plan.campaign.save()
    for points in (["10", "20"], ["5", "10"], ["0", "1"], ["1", "1"]):
        review(registration, criteria, points)  # totals 50, 25, 2, 3 -> median (3 + 25) / 2
    assert total_of(plan, registration).total_score == Decimal("14.00")


def test_conflict_excludes_the_reviewer(scored):
    plan, registration, criteria = scored
    review(registration, criteria, ["10", "20"])
    other = review(registration, criteria, ["0", "0"])
    declare_conflict(other, "Vợ của tôi là Giám đốc Sở", actor=other.reviewer)
    result = total_of(plan, registration)
    assert result.total_score == Decimal("50.00")
    assert result.reviewer_count == 1
    with pytest.raises(ReviewError):
        save_score(other, criteria[0], "1", "", 1, actor=other.reviewer)


def test_unfinished_reviews_do_not_count(scored):
    plan, registration, (c1, c2) = scored
    review(registration, (c1, c2), ["10", "20"])
    reviewer = reviewer_of(registration.campaign)
    partial = assign_reviewer(registration, reviewer, actor=manager_of(registration.campaign))
    save_score(partial, c1, "1", "", None, actor=reviewer)
    with pytest.raises(ReviewError) as exc:
        complete_assignment(partial, actor=reviewer)
    assert exc.value.messages == [f"Còn 1 tiêu chí chưa chấm: “{c2.text}”."]
    assert total_of(plan, registration).total_score == Decimal("50.00")


def test_final_score_set_by_home_affairs(scored):
    plan, registration, criteria = scored
    review(registration, criteria, ["10", "20"])
    noivu = manager_of(plan.campaign)
    with pytest.raises(ReviewError):
        set_final_score(registration, "42", "  ", actor=noivu)
    set_final_score(registration, "42", "Hội đồng thống nhất điều chỉnh", actor=noivu)
    result = total_of(plan, registration)
    assert result.total_score == Decimal("42.00")
    assert result.score_overridden is True


def test_spread_evenly_across_a_bloc_skipping_insiders(plan):
    group = TargetGroupFactory(campaign=plan.campaign)
    registrations = []
    for i in range(4):
        registration = plan.register(plan.agency(f"d{i}"))
        registration.target_group = group
        registration.save()
        registrations.append(registration)
    a, b, c = (reviewer_of(plan.campaign, username=n) for n in ("a", "b", "c"))
    user_with_role(Role.STAFF, registrations[0].agency).memberships.update(user=a)
    noivu = manager_of(plan.campaign)
    created = spread_reviewers(plan.bloc(), plan.round, [a, b, c], 2, actor=noivu)
    assert created == 8
    load = {u.username: ReviewAssignment.objects.filter(reviewer=u).count() for u in (a, b, c)}
    assert sorted(load.values()) == [2, 3, 3]
    assert not ReviewAssignment.objects.filter(reviewer=a, registration=registrations[0]).exists()
    assert spread_reviewers(plan.bloc(), plan.round, [a, b, c], 2, actor=noivu) == 0
    assert sorted(b.notifications.values_list("title", flat=True)) == [
        "Bạn được phân công chấm 3 hồ sơ của Khối so-nganh"
    ]
