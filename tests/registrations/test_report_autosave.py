"""Final report autosave: valid fields are kept when another is wrong; errors on their row; decimal comma."""

from decimal import Decimal

import pytest
from django.urls import reverse

from registrations.domain.final_report import report_for, save_report
from registrations.errors import RegistrationError
from registrations.models import FinalReport, SelfAssessment
from registrations.models import RegistrationState as S
from registrations.templatetags.registrations_tags import points as format_points
from tests.factories import RegistrationFactory


@pytest.fixture
def accepted(world):
    return RegistrationFactory(
        round=world.round, agency=world.ward, state=S.ACCEPTED, target_group=world.group
    )


def test_service_saves_valid_fields_and_names_the_wrong_ones(world, accepted):
    c1, c2 = world.criteria
    report = report_for(accepted)
    with pytest.raises(RegistrationError) as exc:
        save_report(
            report,
            actor=world.staff,
            summary="Hoàn thành",
            assessments={c1.pk: ("abc", "Giải trình 1"), c2.pk: ("10", "")},
            indicators={world.indicator.pk: "x9"},
        )
    assert exc.value.message_dict == {
        f"points-{c1.pk}": ["Tiêu chí “Tiêu chí 1”: “abc” không phải là số."],
        f"indicator-{world.indicator.pk}": ["Chỉ số “Mức độ hài lòng”: “x9” không phải là số."],
    }
    report.refresh_from_db()
    assert report.summary == "Hoàn thành"
    assert [(a.criterion_id, a.points_claimed, a.explanation) for a in report.assessments.all()] == [
        (c1.pk, None, "Giải trình 1"),
        (c2.pk, Decimal("10.00"), ""),
    ]
    with pytest.raises(RegistrationError) as exc:
        save_report(report, actor=world.staff, assessments={c2.pk: ("20,5", ""), c1.pk: ("NaN", "")})
    assert exc.value.messages == [
        "Tiêu chí “Tiêu chí 2”: điểm tự chấm phải từ 0 đến 20,00.",
        "Tiêu chí “Tiêu chí 1”: “NaN” không phải là số.",
    ]
    assert SelfAssessment.objects.get(criterion=c2).points_claimed == Decimal("10.00")


def test_page_keeps_valid_fields_and_shows_error_on_the_row(client, world, accepted):
    c1, c2 = world.criteria
    client.force_login(world.staff)
    url = reverse("registrations:report", args=[accepted.pk])
    response = client.post(
        url,
        {
            "summary": "Tóm tắt",
            f"points-{c1.pk}": "abc",
            f"explanation-{c1.pk}": "",
            f"points-{c2.pk}": "10",
            f"explanation-{c2.pk}": "Có biên bản",
        },
    )
    assert response.status_code == 200
    lines = [(c.pk, shown, error) for c, _row, shown, error in response.context["lines"]]
    assert lines == [
        (c1.pk, "abc", "Tiêu chí “Tiêu chí 1”: “abc” không phải là số."),
        (c2.pk, "10,00", ""),
    ]
    html = response.content.decode()
    assert (
        f'<div id="error-points-{c1.pk}" class="invalid-feedback d-block">'
        "Tiêu chí “Tiêu chí 1”: “abc” không phải là số.</div>"
    ) in html
    report = FinalReport.objects.get()
    assert report.summary == "Tóm tắt"
    assert report.assessments.get(criterion=c2).points_claimed == Decimal("10.00")

    reloaded = client.get(url)
    assert [(c.pk, shown, error) for c, _row, shown, error in reloaded.context["lines"]] == [
        (c1.pk, "", ""),
        (c2.pk, "10,00", ""),
    ]
    body = reloaded.content.decode()
    assert ">Tóm tắt</textarea>" in body
    assert f'name="points-{c2.pk}" inputmode="decimal" value="10,00"' in body


def test_htmx_autosave_puts_errors_on_rows_and_keeps_valid_ones(client, world, accepted):
    c1, c2 = world.criteria
    client.force_login(world.staff)
    url = reverse("registrations:report", args=[accepted.pk])
    response = client.post(
        url,
        {f"points-{c1.pk}": "99", f"points-{c2.pk}": "7,5", "summary": "Tóm tắt"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert body.startswith('<span class="text-danger">Đã lưu các ô hợp lệ lúc ')
    assert body.endswith(
        "các ô báo lỗi chưa được lưu.</span>"
        f'<div id="error-points-{c1.pk}" class="invalid-feedback d-block" hx-swap-oob="true">'
        "Tiêu chí “Tiêu chí 1”: điểm tự chấm phải từ 0 đến 10,00.</div>"
        f'<div id="error-points-{c2.pk}" class="invalid-feedback d-block" hx-swap-oob="true"></div>'
    )
    assert "10.00" not in body
    assert FinalReport.objects.get().summary == "Tóm tắt"
    assert SelfAssessment.objects.get(criterion=c2).points_claimed == Decimal("7.50")
    page = client.get(url).content.decode()
    assert f'name="points-{c2.pk}" inputmode="decimal" value="7,50"' in page
    assert '<td class="text-nowrap">20,00</td>' in page
    assert "20.00" not in page


def test_format_points():
    """One precision everywhere (issue 9): the same two decimals as results, warnings and histories."""
    values = (Decimal("20.00"), Decimal("7.5"), None, Decimal("0"), Decimal("78.9"))
    assert [format_points(v) for v in values] == ["20,00", "7,50", "", "0,00", "78,90"]
