import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registrations.domain.deadlines import grant_extension
from registrations.domain.evidence import attach_evidence
from registrations.domain.final_report import report_for, save_report, set_report_state
from registrations.errors import RegistrationError
from registrations.models import FinalReport, Registration, ReportState, SelfAssessment
from registrations.models import RegistrationState as S
from registrations.queries.final_report import report_problems
from registrations.queries.progress import (
    agencies_not_confirmed,
    agencies_without_final_report,
    agencies_without_registration,
)
from tests.factories import RegistrationFactory

from .conftest import PDF_BYTES


@pytest.fixture
def accepted(world):
    return RegistrationFactory(
        round=world.round, agency=world.ward, state=S.ACCEPTED, target_group=world.group
    )


def test_report_points_within_max_and_explanation_required(world, accepted):
    c1, c2 = world.criteria
    report = report_for(accepted)
    with pytest.raises(RegistrationError) as exc:
        save_report(report, actor=world.staff, assessments={c1.pk: ("12", "")})
    assert exc.value.messages == ["Tiêu chí “Tiêu chí 1”: điểm tự chấm phải từ 0 đến 10,00."]
    save_report(
        report,
        actor=world.staff,
        assessments={c1.pk: ("8,5", ""), c2.pk: ("15", "")},
        indicators={world.indicator.pk: "85"},
    )
    assert report_problems(report) == [
        "Tiêu chí “Tiêu chí 1”: không có minh chứng thì phải có giải trình.",
        "Tiêu chí “Tiêu chí 2”: không có minh chứng thì phải có giải trình.",
    ]
    with pytest.raises(RegistrationError) as exc:
        set_report_state(report, ReportState.SUBMITTED, actor=world.staff)
    assert exc.value.code == "incomplete"
    save_report(
        report, actor=world.staff, assessments={c1.pk: ("8.5", "Đã triển khai, biên bản kèm theo sau")}
    )
    attach_evidence(
        accepted,
        SimpleUploadedFile("mc.pdf", PDF_BYTES),
        actor=world.staff,
        assessment=SelfAssessment.objects.get(criterion=c2),
    )
    assert report_problems(report) == []
    set_report_state(report, ReportState.SUBMITTED, actor=world.staff)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert SelfAssessment.objects.get(criterion=c1).points_claimed == Decimal("8.50")
    assert report.indicator_values.get().value == Decimal("85.00")
    with pytest.raises(RegistrationError) as exc:
        save_report(report, actor=world.staff, summary="sửa")
    assert exc.value.code == "locked"


def test_report_deadline_and_extension(world, accepted):
    c1, c2 = world.criteria
    report = report_for(accepted)
    save_report(
        report,
        actor=world.staff,
        assessments={c1.pk: ("1", "giải trình"), c2.pk: ("1", "giải trình")},
        indicators={world.indicator.pk: "90"},
    )
    late = world.report_deadline.deadline_at + dt.timedelta(minutes=1)
    with pytest.raises(RegistrationError) as exc:
        set_report_state(report, ReportState.SUBMITTED, actor=world.staff, now=late)
    assert exc.value.code == "deadline"
    grant_extension(
        world.ward,
        world.report_deadline,
        world.report_deadline.due_on + dt.timedelta(days=1),
        "Lý do",
        actor=world.home_affairs,
    )
    set_report_state(report, ReportState.SUBMITTED, actor=world.staff, now=late)
    assert FinalReport.objects.get().state == ReportState.SUBMITTED


def test_report_only_after_acceptance(world):
    registration = RegistrationFactory(round=world.round, agency=world.ward, state=S.CONFIRMED)
    with pytest.raises(RegistrationError) as exc:
        save_report(report_for(registration), actor=world.staff, summary="x")
    assert exc.value.code == "not_accepted"


def test_report_page(client, world, accepted):
    c1 = world.criteria[0]
    client.force_login(world.staff)
    url = reverse("registrations:report", args=[accepted.pk])
    client.post(
        url,
        {
            "summary": "Tốt",
            f"points-{c1.pk}": "7",
            f"explanation-{c1.pk}": "Có",
            f"indicator-{world.indicator.pk}": "81",
        },
    )
    report = FinalReport.objects.get()
    assert (report.summary, report.assessments.get().points_claimed) == ("Tốt", Decimal("7.00"))
    response = client.post(
        reverse("registrations:report_evidence", args=[accepted.pk, c1.pk]),
        {"file": SimpleUploadedFile("virus.pdf", b"MZ" + b"\0" * 10)},
        follow=True,
    )
    assert "không phải PDF, DOCX, XLSX, JPG hoặc PNG" in response.content.decode()
    assert report.assessments.get().evidence_files.count() == 0
    client.force_login(world.other_staff)
    assert client.get(url).status_code == 404


# --- read API -----------------------------------------------------------------------------------


def test_read_api(world):
    # ward-a: submitted; ward-b: draft.
    a = RegistrationFactory(round=world.round, agency=world.ward, state=S.SUBMITTED)
    RegistrationFactory(round=world.round, agency=world.other_ward, state=S.DRAFT)
    assert list(agencies_without_registration(world.deadline).values_list("code", flat=True)) == ["ward-b"]
    assert sorted(agencies_not_confirmed(world.deadline).values_list("code", flat=True)) == [
        "ward-a",
        "ward-b",
    ]
    Registration.objects.filter(pk=a.pk).update(state=S.CONFIRMED)
    assert list(agencies_not_confirmed(world.deadline).values_list("code", flat=True)) == ["ward-b"]
    assert sorted(agencies_without_final_report(world.report_deadline).values_list("code", flat=True)) == [
        "ward-a",
        "ward-b",
    ]
    FinalReport.objects.create(
        registration=a, state=ReportState.SUBMITTED, submitted_at=world.deadline.deadline_at
    )
    assert list(agencies_without_final_report(world.report_deadline).values_list("code", flat=True)) == [
        "ward-b"
    ]


def test_read_api_ignores_untargeted_and_dissolved(world):
    from agencies.models import AgencyKind
    from tests.factories import AgencyFactory

    AgencyFactory(parent=world.city, kind=AgencyKind.DEPARTMENT, code="dept")
    AgencyFactory(
        parent=world.city, kind=AgencyKind.COMMUNE_PC, code="gone", dissolved_on=dt.date(2025, 7, 1)
    )
    assert sorted(agencies_without_registration(world.deadline).values_list("code", flat=True)) == [
        "ward-a",
        "ward-b",
    ]


def test_time_left_filter(settings):
    from django.utils import timezone, translation

    from registrations.templatetags.registrations_tags import time_left

    now = timezone.now()
    with translation.override("vi"):
        assert time_left(now + dt.timedelta(days=3, hours=5, minutes=1)) == "còn 3 ngày 5 giờ"
        assert time_left(now + dt.timedelta(hours=2, minutes=30, seconds=30)) == "còn 2 giờ 30 phút"
        assert time_left(now + dt.timedelta(minutes=7, seconds=30)) == "còn 7 phút"
        assert time_left(now - dt.timedelta(seconds=1)) == "đã quá hạn"
        assert time_left(None) == ""


def test_report_autosave_htmx(client, world, accepted):
    c1 = world.criteria[0]
    client.force_login(world.staff)
    url = reverse("registrations:report", args=[accepted.pk])
    response = client.post(url, {f"points-{c1.pk}": "99", f"explanation-{c1.pk}": ""}, HTTP_HX_REQUEST="true")
    assert response.content.decode().endswith(
        f'<div id="error-points-{c1.pk}" class="invalid-feedback d-block" hx-swap-oob="true">'
        "Tiêu chí “Tiêu chí 1”: điểm tự chấm phải từ 0 đến 10,00.</div>"
    )
    response = client.post(url, {"summary": "<b>Tóm tắt</b>"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().startswith('<span class="text-success">Đã lưu lúc ')
    assert FinalReport.objects.get().summary == "<b>Tóm tắt</b>"
    body = client.get(url).content.decode()
    assert "&lt;b&gt;Tóm tắt&lt;/b&gt;" in body
    assert f'form="upload-{c1.pk}"' in body
