"""Issue 9, item 26: the reviewer's page links to the dossier and its evidence, shows a running
total, and a finished review says so."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from agencies.models import Role
from registrations.models import EvidenceFile, FinalReport, SelfAssessment
from scoring.models import ReviewAssignment
from scoring.reviews import assign_reviewer, complete_assignment, save_score
from tests.factories import CriterionFactory, TargetGroupFactory, UserFactory, user_with_role


@pytest.fixture
def page(plan):
    group = TargetGroupFactory(campaign=plan.campaign, code="tap-the")
    c1 = CriterionFactory(target_group=group, code="c1", max_points=Decimal("10"), weight=Decimal("1"))
    c2 = CriterionFactory(target_group=group, code="c2", max_points=Decimal("20"), weight=Decimal("2"))
    registration = plan.register(plan.agency("so-a"))
    registration.target_group = group
    registration.save()
    officer = user_with_role(Role.HOME_AFFAIRS, plan.province, username="noivu-tinh")
    reviewer = user_with_role(Role.COUNCIL, plan.province, username="hoidong-tinh")
    assignment = assign_reviewer(registration, reviewer, actor=officer)
    return registration, assignment, reviewer, (c1, c2)


def _html(client, user, assignment):
    client.force_login(user)
    response = client.get(reverse("scoring:review", args=[assignment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_links_to_the_dossier_the_report_and_its_evidence(client, page):
    registration, assignment, reviewer, (c1, _c2) = page
    report = FinalReport.objects.create(registration=registration)
    own = SelfAssessment.objects.create(report=report, criterion=c1, points_claimed=Decimal("9"))
    evidence = EvidenceFile.objects.create(
        registration=registration,
        assessment=own,
        file=ContentFile(b"%PDF-1.4\n", name="mc.pdf"),
        original_name="bien-ban.pdf",
        size=9,
        content_type="application/pdf",
    )
    html = _html(client, reviewer, assignment)
    detail = reverse("registrations:detail", args=[registration.pk])
    assert f'id="dossier-link" href="{detail}"' in html
    assert f'id="report-link" href="{reverse("registrations:report", args=[registration.pk])}"' in html
    download = reverse("registrations:evidence_download", args=[evidence.pk])
    assert f'<a href="{download}">bien-ban.pdf</a>' in html
    assert client.get(download).status_code == 200  # the link works for the reviewer


def test_no_report_link_before_the_report_exists(client, page):
    _registration, assignment, reviewer, _criteria = page
    html = _html(client, reviewer, assignment)
    assert 'id="dossier-link"' in html
    assert 'id="report-link"' not in html


def test_running_total_of_the_saved_scores(client, page):
    _registration, assignment, reviewer, (c1, c2) = page
    html = _html(client, reviewer, assignment)
    assert '<strong class="fs-5" id="running-total-value">0,00</strong> / 50,00' in html
    assert "Đã chấm 0/2 tiêu chí" in html
    save_score(assignment, c1, "7,5", "", None, actor=reviewer)
    html = _html(client, reviewer, assignment)
    assert '<strong class="fs-5" id="running-total-value">7,50</strong> / 50,00' in html
    assert "Đã chấm 1/2 tiêu chí" in html
    save_score(assignment, c2, "15", "", None, actor=reviewer)
    html = _html(client, reviewer, assignment)
    assert '<strong class="fs-5" id="running-total-value">37,50</strong> / 50,00' in html  # 7,5 x 1 + 15 x 2
    c2.refresh_from_db()
    assert f'data-weight="{c2.weight}"' in html  # for the total while typing: a dot, not a comma
    assert "." in str(c2.weight)


def test_a_finished_review_says_so(client, page):
    _registration, assignment, reviewer, (c1, c2) = page
    html = _html(client, reviewer, assignment)
    assert '<span class="badge text-bg-secondary">Đang chấm</span>' in html
    assert 'id="review-done"' not in html
    save_score(assignment, c1, "8", "", None, actor=reviewer)
    save_score(assignment, c2, "16", "", None, actor=reviewer)
    complete_assignment(assignment, actor=reviewer)
    html = _html(client, reviewer, assignment)
    assert "Đã chấm xong</span>" in html
    assert 'id="review-done"' in html
    assert "Bạn đã chấm xong hồ sơ này lúc" in html
    assert "Lưu thay đổi" in html and "Lưu và hoàn thành" not in html
    listing = client.get(reverse("scoring:my_reviews")).content.decode()
    assert '<td class="text-end">40,00</td>' in listing  # 8 x 1 + 16 x 2


def test_a_reviewer_who_cannot_see_the_dossier_gets_no_link(client, page):
    registration, _assignment, _reviewer, _criteria = page
    # assign_reviewer now takes only home affairs or council of the plan, who see every dossier; an
    # assignment made before that rule (or by the admin) may name anyone: the page must not link then.
    stranger = UserFactory(username="nguoi-ngoai")
    assignment = ReviewAssignment.objects.create(
        round=registration.round,
        registration=registration,
        target_group=registration.target_group,
        reviewer=stranger,
    )
    html = _html(client, stranger, assignment)
    assert 'id="dossier-link"' not in html


@pytest.mark.parametrize("n", [1, 12])
def test_my_reviews_query_count(client, plan, django_assert_max_num_queries, n):
    group = TargetGroupFactory(campaign=plan.campaign, code="tap-the")
    criterion = CriterionFactory(target_group=group, code="c1", max_points=Decimal("10"))
    officer = user_with_role(Role.HOME_AFFAIRS, plan.province, username="noivu-tinh")
    reviewer = user_with_role(Role.COUNCIL, plan.province, username="hoidong-tinh")
    for i in range(n):
        registration = plan.register(plan.agency(f"so-{i}"))
        registration.target_group = group
        registration.save()
        save_score(
            assign_reviewer(registration, reviewer, actor=officer), criterion, "5", "", None, actor=reviewer
        )
    client.force_login(reviewer)
    with django_assert_max_num_queries(8):
        html = client.get(reverse("scoring:my_reviews")).content.decode()
    assert html.count('<td class="text-end">5,00</td>') == n
