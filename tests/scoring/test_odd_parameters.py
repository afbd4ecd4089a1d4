"""Issue 9, item 7: odd numbers in the address or a form are an ignored filter or a message, never a 500.

"²" passes ``str.isdigit()`` and fails ``int()``; a 5,000-digit year fails ``int()`` too; a 20-digit
page or version overflows the database's integers."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agencies.models import Role
from scoring.models import ParIndexResult, StaffRatingRecord
from scoring.reviews import assign_reviewer
from tests.factories import CriterionFactory, PersonFactory, TargetGroupFactory, user_with_role

from .test_views import seed_002

ODD_NUMBERS = ["²", "9" * 5000, "9" * 20, "-1", "2027.5", "1e3", "２０２７", "\x00"]


@pytest.fixture
def officer(plan):
    return user_with_role(Role.HOME_AFFAIRS, plan.province)


def test_par_and_staff_lists_ignore_an_odd_year(client, plan, officer):
    agency = plan.agency("a", par=91)
    StaffRatingRecord.objects.create(person=PersonFactory(agency=agency), year=2027, rating="excellent")
    client.force_login(officer)
    for value in ODD_NUMBERS:
        par = client.get(reverse("scoring:par_list"), {"year": value})
        staff = client.get(reverse("scoring:staff_list"), {"year": value})
        assert (par.status_code, staff.status_code) == (200, 200)
        assert [r.pk for r in par.context["results"]] == [ParIndexResult.objects.get().pk]
        assert len(staff.context["records"]) == 1
        assert par.context["year"] == ""


def test_par_list_filters_a_good_year(client, plan, officer):
    plan.agency("a", par=91)
    client.force_login(officer)
    assert len(client.get(reverse("scoring:par_list"), {"year": "2027"}).context["results"]) == 1
    assert len(client.get(reverse("scoring:par_list"), {"year": " 2026 "}).context["results"]) == 0


def test_warnings_page_falls_back_to_the_plans_year(client, plan, officer):
    client.force_login(officer)
    for value in ODD_NUMBERS:
        response = client.get(reverse("scoring:warnings", args=[plan.campaign.code]), {"year": value})
        assert response.status_code == 200
        assert response.context["year"] == 2027


def test_bloc_page_with_an_odd_page_number(client, plan, officer):
    seed_002(plan, 3)
    client.force_login(officer)
    url = reverse("scoring:bloc", args=[plan.campaign.code, "so-nganh"])
    for value, previous in [
        ("9" * 20, "page=99999"),
        ("²", None),
        ("0", None),
        ("-3", None),
        ("2", "page=1"),
    ]:
        response = client.get(url, {"page": value})
        assert response.status_code == 200
        page = response.content.decode()
        assert ("Trang trước" in page, previous is None or previous in page) == (previous is not None, True)


@pytest.fixture
def assignment(plan, officer):
    group = TargetGroupFactory(campaign=plan.campaign)
    criterion = CriterionFactory(target_group=group, code="c1", max_points=Decimal("10"))
    registration = plan.register(plan.agency("r"))
    registration.target_group = group
    registration.save()
    reviewer = user_with_role(Role.COUNCIL, plan.province)  # reviewers are council or home affairs
    return assign_reviewer(registration, reviewer, actor=officer), criterion


def test_review_form_with_an_odd_version_is_a_stale_message(client, assignment):
    assignment, criterion = assignment
    client.force_login(assignment.reviewer)
    url = reverse("scoring:review", args=[assignment.pk])
    assert client.post(url, {f"points-{criterion.pk}": "8", "action": "save"}).status_code == 302
    for version in ["²", "9" * 20, "9" * 5000]:
        response = client.post(
            url, {f"points-{criterion.pk}": "9", f"version-{criterion.pk}": version, "action": "save"}
        )
        assert response.status_code == 200
        assert "vừa được người khác lưu trước bạn" in response.content.decode()
        assert assignment.scores.get().points == Decimal("8.00")


def test_assign_page_with_odd_ids_is_a_message(client, plan, officer, assignment):
    client.force_login(officer)
    url = reverse("scoring:assign", args=[plan.campaign.code])
    for data in (
        {"action": action, "registration": value, "reviewer": value, "bloc": value, "per_registration": value}
        for action in ("manual", "override", "spread")
        for value in ("²", "9" * 20, "9" * 5000)
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert [str(m) for m in response.context["messages"]] == ["Lựa chọn không hợp lệ."]


def test_review_form_refuses_an_exponent_or_odd_digits(client, assignment):
    assignment, criterion = assignment
    client.force_login(assignment.reviewer)
    url = reverse("scoring:review", args=[assignment.pk])
    for points in ["1e0", "²", "９", "9" * 5000]:
        response = client.post(url, {f"points-{criterion.pk}": points, "action": "save"})
        assert response.status_code == 200
        assert response.context["rows"][0]["error"] == "Điểm phải là một số."
    assert assignment.scores.count() == 0


def test_par_import_reports_odd_numbers_as_row_errors(client, plan, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan.agency("a")
    client.force_login(officer)
    csv = "Mã cơ quan,Năm,Điểm chỉ số CCHC\na,²,80\na,2027,1e2\na,２０２７,８５\na," + "9" * 5000 + ",80\n"
    response = client.post(
        reverse("scoring:import_par"), {"file": SimpleUploadedFile("par.csv", csv.encode())}
    )
    assert response.status_code == 200
    assert [str(e) for e in response.context["errors"]] == [
        "Dòng 2: năm “²” không hợp lệ.",
        "Dòng 3: điểm “1e2” không hợp lệ (số từ 0 đến 100, ví dụ 85,25).",
        "Dòng 4: năm “２０２７” không hợp lệ.",
        "Dòng 4: điểm “８５” không hợp lệ (số từ 0 đến 100, ví dụ 85,25).",
        f"Dòng 5: năm “{'9' * 5000}” không hợp lệ.",
    ]
    assert ParIndexResult.objects.count() == 0
