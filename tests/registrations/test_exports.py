"""Registrations and initiatives workbooks: no live formula from user text; dates and headers for people."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registrations.domain.people import add_individual
from registrations.domain.registration import start_registration
from registrations.models import Initiative, Registration

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


def _workbook(client, name, world):
    response = client.get(reverse(f"registrations:{name}", args=[world.campaign.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content))


def _text_cells(workbook):
    return [c for ws in workbook.worksheets for row in ws.iter_rows(min_row=2) for c in row if c.value]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_user_text_is_never_a_formula(client, world, prefix):
    payload = f'{prefix}HYPERLINK("http://evil.example","x")'
    world.ward.name = payload
    world.ward.save()
    person = world.people[0]
    person.full_name, person.position = payload, payload
    person.save()
    registration = start_registration(world.round, world.ward, actor=world.staff)
    add_individual(registration, person, actor=world.staff, aimed_title=payload)
    Registration.objects.filter(pk=registration.pk).update(return_reason=payload)
    initiative = Initiative.objects.create(
        registration=registration,
        title=payload,
        problem=payload,
        description=payload,
        expected_effect=payload,
        reform_area=world.area,
    )
    initiative.authors.set([person])
    client.force_login(world.home_affairs)
    # A stored CR reads back as CR or LF depending on the XML reader (lxml 6 keeps it): compare with
    # line ends normalised.
    stored = "'" + payload.replace("\r", "\n")
    for name, count in [("export_registrations", 6), ("export_initiatives", 6)]:
        cells = _text_cells(_workbook(client, name, world))
        assert all(c.data_type != "f" for c in cells)
        assert sum(str(c.value).replace("\r", "\n") == stored for c in cells) == count
        assert not any(str(c.value).startswith(prefix) for c in cells)


def test_registrations_workbook_for_people(client, world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    sent = dt.datetime(2027, 3, 14, 17, 30, tzinfo=dt.UTC)  # 15/03 00:30 in Vietnam
    Registration.objects.filter(pk=registration.pk).update(submitted_at=sent)
    client.force_login(world.home_affairs)
    workbook = _workbook(client, "export_registrations", world)
    sheet, people = workbook.worksheets
    assert [c.value for c in sheet[1]] == [
        "Mã cơ quan",
        "Cơ quan",
        "Khối",
        "Đợt",
        "Trạng thái",
        "Số cá nhân",
        "Số sáng kiến",
        "Ngày gửi",
        "Ngày xác nhận",
        "Lý do trả lại",
    ]
    assert [c.value for c in people[1]] == [
        "Mã cơ quan",
        "Cơ quan",
        "Mã cá nhân",
        "Họ và tên",
        "Chức vụ",
        "Danh hiệu đăng ký",
    ]
    for ws, last in [(sheet, "J2"), (people, "F1")]:
        assert all(c.font.b for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{last}"
    assert sheet["H2"].value == dt.datetime(2027, 3, 15, 0, 30)
    assert sheet["H2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["I2"].value is None
    assert sheet.column_dimensions["B"].width == 40
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"


def test_initiatives_workbook_for_people(client, world):
    registration = start_registration(world.round, world.ward, actor=world.staff)
    Initiative.objects.create(registration=registration, title="Số hoá hồ sơ", description="Dài " * 40)
    client.force_login(world.home_affairs)
    sheet = _workbook(client, "export_initiatives", world).worksheets[0]
    assert sheet.title == "Sáng kiến"
    assert [c.value for c in sheet[1]][:4] == ["Mã cơ quan", "Cơ quan", "Loại", "Tên sáng kiến"]
    assert sheet["B2"].value == "UBND phường A"
    assert sheet["H2"].alignment.wrap_text is True
    assert sheet["J2"].value == 0 and sheet["J2"].data_type == "n"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J2"
