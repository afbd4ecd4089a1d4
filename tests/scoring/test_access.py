"""Issue 9, items 1, 2, 3, 5, 6: scope of the PAR and staff-rating imports and pages, business rules
that hold for the superuser too, bounds of the final score and of PAR scores."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import AgencyKind, Role
from common.tabular import ImportErrors, Row
from registrations.models import RegistrationState
from scoring.imports import import_par_index, import_staff_ratings
from scoring.models import CriterionScore, ParIndexResult, ReviewAssignment, ScoreOverride, StaffRatingRecord
from scoring.reviews import ReviewError, assign_reviewer, save_score, set_final_score
from tests.factories import (
    AgencyFactory,
    CriterionFactory,
    ParIndexResultFactory,
    PersonFactory,
    StaffRatingRecordFactory,
    TargetGroupFactory,
    UserFactory,
    user_with_role,
)


@pytest.fixture
def other_province(db):
    """A second province with its own home affairs and one commune."""
    province = AgencyFactory(code="tinh-b", name="UBND tỉnh B", kind=AgencyKind.PROVINCE_PC)
    commune = AgencyFactory(code="xa-b1", name="Xã B1", parent=province)
    return province, commune, user_with_role(Role.HOME_AFFAIRS, province, username="noivu-b")


def par_row(code, score="91", number=2):
    return Row(number, {"agency_code": code, "year": "2027", "score": score, "rating": ""})


def test_par_import_refuses_rows_out_of_reach(plan, other_province):
    ours = plan.agency("so-a")
    _province, commune, noivu_b = other_province
    with pytest.raises(ImportErrors) as exc:
        import_par_index([par_row("so-a"), par_row("xa-b1", number=3)], actor=noivu_b)
    assert [str(e) for e in exc.value.errors] == [
        f"Dòng 2: Mã cơ quan “{ours.code}” không thuộc phạm vi quản lý của anh/chị."
    ]
    assert ours.name not in str(exc.value)
    assert ParIndexResult.objects.count() == 0
    import_par_index([par_row("xa-b1")], actor=noivu_b)
    assert list(ParIndexResult.objects.values_list("agency__code", "imported_by")) == [("xa-b1", noivu_b.pk)]


def test_staff_rating_import_refuses_rows_out_of_reach(plan, other_province):
    PersonFactory(agency=plan.agency("so-a"), code="cb-1")
    _province, _commune, noivu_b = other_province
    row = Row(2, {"agency_code": "so-a", "person_code": "cb-1", "year": "2027", "rating": "good"})
    with pytest.raises(ImportErrors) as exc:
        import_staff_ratings([row], actor=noivu_b)
    assert [e.message for e in exc.value.errors] == [
        "Mã cơ quan “so-a” không thuộc phạm vi quản lý của anh/chị."
    ]
    assert StaffRatingRecord.objects.count() == 0
    assert import_staff_ratings([row]).created == 1  # the system (a command without --user)


@pytest.mark.parametrize("score", ["120", "100.01", "-1"])
def test_par_scores_are_0_to_100(plan, score):
    plan.agency("so-a")
    with pytest.raises(ImportErrors) as exc:
        import_par_index([par_row("so-a", score)])
    assert [e.message for e in exc.value.errors] == [
        f"điểm “{score}” không hợp lệ (số từ 0 đến 100, ví dụ 85,25)."
    ]
    assert import_par_index([par_row("so-a", "100")]).created == 1


def test_par_score_over_100_is_refused_by_the_database(plan):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ParIndexResultFactory(agency=plan.agency("so-a"), score=Decimal("120"))


def test_par_and_staff_pages_show_only_rows_in_reach(client, plan, other_province):
    ours = plan.agency("so-a")
    _province, commune, noivu_b = other_province
    own_par = ParIndexResultFactory(agency=commune, year=2027, score=Decimal("70"))
    their_par = ParIndexResultFactory(agency=ours, year=2027, score=Decimal("95"))
    StaffRatingRecordFactory(person=PersonFactory(agency=ours, code="cb-a"))
    StaffRatingRecordFactory(person=PersonFactory(agency=commune, code="cb-b"))
    client.force_login(noivu_b)
    par = client.get(reverse("scoring:par_list"))
    assert [r.agency.code for r in par.context["results"]] == ["xa-b1"]
    staff = client.get(reverse("scoring:staff_list"))
    assert [r.person.code for r in staff.context["records"]] == ["cb-b"]
    assert client.get(reverse("scoring:par_history", args=[own_par.pk])).status_code == 200
    assert client.get(reverse("scoring:par_history", args=[their_par.pk])).status_code == 404
    client.force_login(user_with_role(Role.STAFF, commune))
    assert client.get(reverse("scoring:par_history", args=[own_par.pk])).status_code == 404


def test_import_page_reports_the_row_out_of_reach(client, plan, other_province):
    plan.agency("so-a")
    client.force_login(other_province[2])
    upload = SimpleUploadedFile("par.csv", b"agency_code,year,score\nso-a,2027,91\n")
    page = client.post(reverse("scoring:import_par"), {"file": upload})
    assert [str(e) for e in page.context["errors"]] == [
        "Dòng 2: Mã cơ quan “so-a” không thuộc phạm vi quản lý của anh/chị."
    ]
    assert ParIndexResult.objects.count() == 0


# --- reviews: the services check the actor and the state, for the superuser too ----------------


@pytest.fixture
def scored(plan):
    group = TargetGroupFactory(campaign=plan.campaign, code="tap-the")
    c1 = CriterionFactory(target_group=group, code="c1", max_points=Decimal("10"), weight=Decimal("1"))
    CriterionFactory(target_group=group, code="c2", max_points=Decimal("20"), weight=Decimal("2"))
    registration = plan.register(plan.agency("so-a"))
    registration.target_group = group
    registration.save()
    noivu = user_with_role(Role.HOME_AFFAIRS, plan.province)
    reviewer = user_with_role(Role.COUNCIL, plan.province)
    return registration, c1, noivu, reviewer


def test_superuser_cannot_score_another_members_assignment(client, scored):
    registration, c1, noivu, reviewer = scored
    assignment = assign_reviewer(registration, reviewer, actor=noivu)
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(ReviewError) as exc:
        save_score(assignment, c1, "5", "", None, actor=admin)
    assert exc.value.messages == ["Bạn không được phân công chấm hồ sơ này."]
    client.force_login(admin)
    url = reverse("scoring:review", args=[assignment.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {f"points-{c1.pk}": "5", "action": "save"}).status_code == 404
    assert CriterionScore.objects.count() == 0


def test_another_province_cannot_assign_or_override(scored, other_province):
    registration, _c1, _noivu, reviewer = scored
    noivu_b = other_province[2]
    with pytest.raises(ReviewError) as exc:
        assign_reviewer(registration, reviewer, actor=noivu_b)
    assert exc.value.messages == ["Chỉ cán bộ Nội vụ của cơ quan ban hành kế hoạch được làm việc này."]
    with pytest.raises(ReviewError):
        set_final_score(registration, "40", "lý do", actor=noivu_b)
    assert (ReviewAssignment.objects.count(), ScoreOverride.objects.count()) == (0, 0)


def test_reviewer_must_be_of_the_plan(scored, other_province):
    registration, _c1, noivu, _reviewer = scored
    outsider = user_with_role(Role.COUNCIL, other_province[0])
    with pytest.raises(ReviewError) as exc:
        assign_reviewer(registration, outsider, actor=noivu)
    assert exc.value.messages == [
        f"{outsider.username} không phải cán bộ Nội vụ hay thành viên Hội đồng của kế hoạch này."
    ]


def test_assigning_a_draft_registration_is_refused(scored):
    registration, _c1, noivu, reviewer = scored
    registration.state = RegistrationState.DRAFT
    registration.save()
    with pytest.raises(ReviewError) as exc:
        assign_reviewer(registration, reviewer, actor=noivu)
    assert exc.value.messages == [
        "Đăng ký của Sở so-a đang ở trạng thái “Đang soạn”: chỉ chấm hồ sơ đã được chấp nhận."
    ]
    assert ReviewAssignment.objects.count() == 0


@pytest.mark.parametrize("score", ["999999", "1e20", "50.01", "NaN", "Infinity", "-1", "abc", "12.345"])
def test_final_score_is_bounded_by_the_plan(scored, score):
    registration, _c1, noivu, _reviewer = scored
    with pytest.raises(ReviewError):
        set_final_score(registration, score, "Hội đồng thống nhất", actor=noivu)
    assert ScoreOverride.objects.count() == 0


def test_final_score_up_to_the_maximum_is_kept(scored):
    registration, _c1, noivu, _reviewer = scored
    with pytest.raises(ReviewError) as exc:
        set_final_score(registration, "999999", "Hội đồng thống nhất", actor=noivu)
    assert exc.value.messages == ["Điểm cuối cùng phải từ 0 đến 50,00."]  # 10 x 1 + 20 x 2
    assert set_final_score(registration, "50", "Hội đồng thống nhất", actor=noivu).score == Decimal("50")


def test_assign_page_survives_a_huge_override(client, plan, scored):
    registration, _c1, noivu, _reviewer = scored
    client.force_login(noivu)
    url = reverse("scoring:assign", args=[plan.campaign.code])
    for score, message in [
        ("1e20", "Điểm phải là một số."),
        ("999999", "Điểm cuối cùng phải từ 0 đến 50,00."),
    ]:
        post = {"action": "override", "registration": registration.pk, "score": score, "reason": "thử"}
        response = client.post(url, post, follow=True)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert client.get(url).status_code == 200
    assert ScoreOverride.objects.count() == 0
