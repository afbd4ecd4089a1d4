"""Issue 12, the personnel directory: the people import (all or nothing, one head per agency over the
file and the database, reach per row, moves with their history, idempotent), its pages (preview
before confirm, template, people list and person page in reach only) and the command."""

import datetime as dt
import io
import re

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from agencies.models import AgencyKind, Person, PersonPosition, Role
from agencies.people_import import PEOPLE_TABLE, import_people, plan_people_import
from agencies.queries import person_history
from common.tabular import ImportErrors, read_table
from registrations.models import IndividualRegistration, Registration
from tests.factories import AgencyFactory, PersonFactory, RoundFactory, user_with_role

pytestmark = pytest.mark.django_db

HEADER = "agency_code,person_code,full_name,gender,birth_year,position,is_head,is_reform_deputy,started_on"
TODAY = dt.date(2026, 12, 1)
GONE = "Không tìm thấy tệp đã xem trước (có thể đã nhập hoặc đã quá hạn); hãy tải tệp lên lại."


def rows(*lines, header=HEADER):
    data = "\n".join([header, *lines]).encode()
    return read_table(io.BytesIO(data), "people.csv", PEOPLE_TABLE)


def run(*lines, actor=None, header=HEADER):
    return import_people(rows(*lines, header=header), actor=actor, today=TODAY)


def errors_of(exc):
    return [(e.row, e.message) for e in exc.value.errors]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def tree():
    """Two wards of one province with its home-affairs officer, and a second province."""
    t = type("Tree", (), {})()
    t.province = AgencyFactory(code="hcm", name="UBND Thành phố", kind=AgencyKind.PROVINCE_PC)
    t.anlac = AgencyFactory(code="p-anlac", name="UBND phường An Lạc", parent=t.province)
    t.btd = AgencyFactory(code="p-btd", name="UBND phường Bình Trị Đông", parent=t.province)
    t.other = AgencyFactory(code="tinh-b", name="UBND tỉnh B", kind=AgencyKind.PROVINCE_PC)
    t.xa = AgencyFactory(code="xa-b1", name="UBND xã B1", parent=t.other)
    t.noivu = user_with_role(Role.HOME_AFFAIRS, t.province, username="noivu-a")
    t.noivu_b = user_with_role(Role.HOME_AFFAIRS, t.other, username="noivu-b")
    return t


FILE = [
    "p-anlac,pal-01,Bùi Văn Thành,Nam,1972,Chủ tịch UBND phường,x,,01/07/2025",
    "p-anlac,pal-02,Ngô Thị Hạnh,Nữ,1980,Phó Chủ tịch UBND phường,,x,01/07/2025",
    "p-btd,pbtd-01,Lê Hoàng Phúc,nam,1985,Chủ tịch UBND phường,Có,Không,15/07/2025",
]


def test_import_creates_people_with_their_current_period_and_reimport_changes_nothing(tree):
    plan = run(*FILE, actor=tree.noivu)
    assert (plan.created, plan.moved, plan.updated, plan.unchanged) == (3, 0, 0, 0)
    people = Person.objects.order_by("code")
    assert [
        (
            p.agency.code,
            p.code,
            p.full_name,
            p.gender,
            p.birth_year,
            p.position,
            p.is_head,
            p.is_reform_deputy,
        )
        for p in people
    ] == [
        ("p-anlac", "pal-01", "Bùi Văn Thành", "male", 1972, "Chủ tịch UBND phường", True, False),
        ("p-anlac", "pal-02", "Ngô Thị Hạnh", "female", 1980, "Phó Chủ tịch UBND phường", False, True),
        ("p-btd", "pbtd-01", "Lê Hoàng Phúc", "male", 1985, "Chủ tịch UBND phường", True, False),
    ]
    assert list(
        PersonPosition.objects.order_by("person__code").values_list(
            "person__code", "agency__code", "started_on", "ended_on"
        )
    ) == [
        ("pal-01", "p-anlac", dt.date(2025, 7, 1), None),
        ("pal-02", "p-anlac", dt.date(2025, 7, 1), None),
        ("pbtd-01", "p-btd", dt.date(2025, 7, 15), None),
    ]
    entries = LogEntry.objects.filter(content_type__model="person")
    assert entries.count() == 3
    assert set(entries.values_list("actor__username", flat=True)) == {"noivu-a"}

    counts = (Person.objects.count(), PersonPosition.objects.count(), LogEntry.objects.count())
    again = run(*FILE, actor=tree.noivu)
    assert (again.created, again.moved, again.updated, again.unchanged) == (0, 0, 0, 3)
    assert (Person.objects.count(), PersonPosition.objects.count(), LogEntry.objects.count()) == counts
    assert str(again) == "Thêm 0, chuyển công tác 0, cập nhật 0, giữ nguyên 3 cá nhân."


def test_bad_rows_are_named_by_row_number_and_nothing_is_written(tree):
    with pytest.raises(ImportErrors) as exc:
        run(
            "p-anlac,pal-01,Bùi Văn Thành,Nam,1972,Chủ tịch UBND phường,x,,01/07/2025",
            "p-xyz,pal-02,Ngô Thị Hạnh,Nữ,1980,,,,",
            "p-anlac,pal-03,Đỗ Minh Khoa,Khác,19xx,,,,",
            "p-anlac,pal-01,Trùng Mã,Nam,1990,,,,",
            "p-anlac,pal-04,Vừa Hai,Nam,1990,,x,x,",
            "p-anlac,pal-05,Tương Lai,Nam,1990,,,,02/12/2026",
            "p-anlac,pal 06,,Nam,1990,,có lẽ,,",
            actor=tree.noivu,
        )
    assert errors_of(exc) == [
        (3, "không tìm thấy cơ quan có mã “p-xyz”."),
        (4, "giới tính “Khác” không hợp lệ (Nam hoặc Nữ)."),
        (4, "năm sinh: “19xx” không phải là số nguyên."),
        (5, "mã cá nhân “pal-01” trùng với dòng 2."),
        (6, "một người không thể vừa là người đứng đầu vừa là cấp phó phụ trách CCHC."),
        (7, "ngày bắt đầu không được sau hôm nay."),
        (8, "mã cá nhân “pal 06” không hợp lệ (tối đa 40 ký tự, không có dấu cách, “/” hay “\\”)."),
        (8, "thiếu họ và tên."),
        (8, "cột người đứng đầu: “có lẽ” không hợp lệ (x/Có hoặc để trống)."),
    ]
    assert (Person.objects.count(), PersonPosition.objects.count()) == (0, 0)


def test_two_heads_of_one_agency_in_the_file_are_refused_before_writing(tree):
    with pytest.raises(ImportErrors) as exc:
        run(
            "p-anlac,pal-01,Bùi Văn Thành,Nam,1972,Chủ tịch UBND phường,x,,01/07/2025",
            "p-btd,pbtd-01,Lê Hoàng Phúc,Nam,1985,Chủ tịch UBND phường,x,,01/07/2025",
            "p-anlac,pal-09,Trần Văn Hai,Nam,1975,Chủ tịch UBND phường,x,,01/07/2025",
            actor=tree.noivu,
        )
    assert errors_of(exc) == [
        (
            4,
            "UBND phường An Lạc có hai người đứng đầu trong tệp: dòng 2 và dòng 4; mỗi cơ quan chỉ có một "
            "người đứng đầu.",
        )
    ]
    assert Person.objects.count() == 0


def test_a_second_head_beside_the_one_in_the_database_is_refused_and_a_handover_is_accepted(tree):
    PersonFactory(agency=tree.anlac, code="pal-01", full_name="Bùi Văn Thành", is_head=True)
    with pytest.raises(ImportErrors) as exc:
        run("p-anlac,pal-09,Trần Văn Hai,Nam,1975,Chủ tịch UBND phường,x,,01/07/2025", actor=tree.noivu)
    assert errors_of(exc) == [
        (
            2,
            "UBND phường An Lạc đã có người đứng đầu là Bùi Văn Thành (mã pal-01); mỗi cơ quan chỉ có một "
            "người đứng đầu. Thêm dòng của Bùi Văn Thành với cột Người đứng đầu để trống nếu người đó thôi "
            "giữ chức.",
        )
    ]
    assert Person.objects.count() == 1
    # The handover in one file: the old head steps down (a new period), the new one takes over.
    plan = run(
        "p-anlac,pal-09,Trần Văn Hai,Nam,1975,Chủ tịch UBND phường,x,,01/12/2026",
        "p-anlac,pal-01,Bùi Văn Thành,Nam,1972,Chuyên viên,,,01/12/2026",
        actor=tree.noivu,
    )
    assert (plan.created, plan.updated) == (1, 1)
    assert list(Person.objects.filter(is_head=True).values_list("code", flat=True)) == ["pal-09"]


def test_the_database_holds_one_head_per_agency(tree):
    PersonFactory(agency=tree.anlac, is_head=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(agency=tree.anlac, is_head=True)


def test_rows_out_of_the_actors_reach_are_refused(tree):
    PersonFactory(agency=tree.xa, code="xb-01", full_name="Người Tỉnh B")
    with pytest.raises(ImportErrors) as exc:
        run(
            "p-anlac,pal-01,Bùi Văn Thành,Nam,1972,,,,",
            "p-btd,xb-01,Người Tỉnh B,Nam,1980,,,,01/07/2025",
            "xa-b1,xb-02,Người Mới,Nam,1980,,,,",
            actor=tree.noivu,
        )
    assert errors_of(exc) == [
        (3, "Cá nhân mã “xb-01” đang thuộc một cơ quan ngoài phạm vi quản lý của anh/chị."),
        (4, "Mã cơ quan “xa-b1” không thuộc phạm vi quản lý của anh/chị."),
    ]
    # The administrator (superuser) is held to the same rows' rules but reaches every agency.
    superuser = user_with_role(Role.STAFF, tree.anlac, username="root", is_superuser=True)
    plan = run("xa-b1,xb-02,Người Mới,Nam,1980,,,,", actor=superuser)
    assert plan.created == 1
    # Staff of an agency import nothing, not even their own agency's people.
    staff = user_with_role(Role.STAFF, tree.anlac, username="canbo-a")
    with pytest.raises(ImportErrors) as exc:
        run("p-anlac,pal-01,Bùi Văn Thành,Nam,1972,,,,", actor=staff)
    assert errors_of(exc) == [(2, "Mã cơ quan “p-anlac” không thuộc phạm vi quản lý của anh/chị.")]


def test_a_move_keeps_the_history_and_what_pointed_at_the_person(tree):
    run("p-anlac,pal-02,Ngô Thị Hạnh,Nữ,1980,Phó Chủ tịch UBND phường,,x,01/07/2025", actor=tree.noivu)
    person = Person.objects.get(code="pal-02")
    registration = Registration.objects.create(round=RoundFactory(), agency=tree.anlac)
    individual = IndividualRegistration.objects.create(registration=registration, person=person)

    with pytest.raises(ImportErrors) as exc:
        run("p-btd,pal-02,Ngô Thị Hạnh,Nữ,1980,Chủ tịch UBND phường,x,,", actor=tree.noivu)
    assert errors_of(exc) == [
        (2, "cần ngày bắt đầu (cột Ngày bắt đầu) vì Ngô Thị Hạnh chuyển cơ quan hoặc đổi chức vụ.")
    ]
    with pytest.raises(ImportErrors) as exc:
        run("p-btd,pal-02,Ngô Thị Hạnh,Nữ,1980,Chủ tịch UBND phường,x,,01/07/2025", actor=tree.noivu)
    assert errors_of(exc) == [(2, "ngày bắt đầu phải sau ngày bắt đầu của chức vụ hiện tại (01/07/2025).")]

    plan = run("p-btd,pal-02,Ngô Thị Hạnh,Nữ,1980,Chủ tịch UBND phường,x,,01/10/2026", actor=tree.noivu)
    assert (plan.moved, plan.rows[0].describe()) == (
        1,
        "từ UBND phường An Lạc; chức vụ: Phó Chủ tịch UBND phường → Chủ tịch UBND phường; "
        "người đứng đầu: Không → Có; cấp phó phụ trách CCHC: Có → Không",
    )
    person.refresh_from_db()
    assert (person.agency, person.is_head, person.is_reform_deputy) == (tree.btd, True, False)
    assert [
        (p.agency_code, p.position, p.is_head, p.is_reform_deputy, p.started_on, p.ended_on)
        for p in person_history(person)
    ] == [
        ("p-btd", "Chủ tịch UBND phường", True, False, dt.date(2026, 10, 1), None),
        ("p-anlac", "Phó Chủ tịch UBND phường", False, True, dt.date(2025, 7, 1), dt.date(2026, 9, 30)),
    ]
    individual.refresh_from_db()
    assert (individual.person_id, individual.registration.agency) == (person.pk, tree.anlac)
    # The same file again: nothing more moves.
    again = run("p-btd,pal-02,Ngô Thị Hạnh,Nữ,1980,Chủ tịch UBND phường,x,,01/10/2026", actor=tree.noivu)
    assert again.unchanged == 1 and PersonPosition.objects.filter(person=person).count() == 2


def test_missing_optional_columns_keep_what_the_directory_has(tree):
    PersonFactory(
        agency=tree.anlac, code="pal-03", full_name="Đỗ Minh Khoa", position="Công chức", gender="male"
    )
    plan = run("p-anlac,pal-03,Đỗ Minh Khoa", header="agency_code,person_code,full_name", actor=tree.noivu)
    # No period was recorded for a person added by hand: the import opens their current one.
    assert (plan.updated, plan.rows[0].changes) == (1, {})
    person = Person.objects.get(code="pal-03")
    assert (person.position, person.gender) == ("Công chức", "male")
    assert (
        plan_people_import(
            rows("p-anlac,pal-03,Đỗ Minh Khoa", header="agency_code,person_code,full_name"), actor=tree.noivu
        ).unchanged
        == 1
    )


# --- pages and command -------------------------------------------------------------------------


def csv_upload(lines, name="people.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, "\n".join([HEADER, *lines]).encode(), content_type="text/csv")


def test_browser_import_previews_then_confirms(client, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(tree.noivu)
    response = client.post("/agencies/people/import/", {"file": csv_upload(FILE)})
    page = text(response)
    assert response.status_code == 200
    assert "Thêm 3, chuyển công tác 0, cập nhật 0, giữ nguyên 0 cá nhân." in page
    assert "Xác nhận nhập" in page and "Lê Hoàng Phúc" in page
    assert Person.objects.count() == 0  # nothing before the confirmation
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    # Another session cannot confirm this upload.
    other = type(client)()
    other.force_login(user_with_role(Role.HOME_AFFAIRS, tree.province, username="noivu-a2"))
    response = other.post("/agencies/people/import/", {"token": token}, follow=True)
    assert GONE in text(response)
    assert Person.objects.count() == 0
    response = client.post("/agencies/people/import/", {"token": token}, follow=True)
    assert "Thêm 3, chuyển công tác 0, cập nhật 0, giữ nguyên 0 cá nhân." in text(response)
    assert response.redirect_chain == [("/agencies/", 302)]  # the directory, with the people counts
    assert Person.objects.count() == 3
    assert list((tmp_path / "staged-imports").iterdir()) == []
    # A confirmation replayed finds nothing to import.
    response = client.post("/agencies/people/import/", {"token": token}, follow=True)
    assert GONE in text(response)


def test_browser_import_with_bad_rows_lists_them_and_writes_nothing(client, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(tree.noivu)
    response = client.post(
        "/agencies/people/import/",
        {"file": csv_upload([FILE[0], "p-anlac,pal-09,Trần Văn Hai,Nam,1975,Chủ tịch,x,,01/07/2025"])},
    )
    page = text(response)
    assert "Tệp có 1 dòng lỗi; chưa có dòng nào được nhập." in page
    assert "Dòng 3: UBND phường An Lạc có hai người đứng đầu trong tệp: dòng 2 và dòng 3" in page
    assert "Xác nhận nhập" not in page
    assert Person.objects.count() == 0


def test_template_download_has_the_vietnamese_titles(client, tree):
    client.force_login(tree.noivu)
    response = client.get("/agencies/people/import/mau-nhap-ca-nhan.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == [
        "Mã cơ quan", "Mã cá nhân", "Họ và tên", "Giới tính", "Năm sinh", "Chức vụ", "Người đứng đầu",
        "Cấp phó phụ trách CCHC", "Ngày bắt đầu", "Đối tượng",
    ]  # fmt: skip


def test_command_imports_all_or_nothing_and_checks_the_user(tree, tmp_path):
    good = tmp_path / "people.csv"
    good.write_text("\n".join([HEADER, *FILE]), encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([HEADER, FILE[0], "p-xyz,x-1,Người Lạ,,,,,,"]), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_people", str(bad))
    assert str(exc.value) == "Nothing was imported.\nDòng 3: không tìm thấy cơ quan có mã “p-xyz”."
    assert Person.objects.count() == 0
    with pytest.raises(CommandError) as exc:
        call_command("import_people", str(good), "--user", "noivu-b")
    assert "Dòng 2: Mã cơ quan “p-anlac” không thuộc phạm vi quản lý của anh/chị." in str(exc.value)
    out = io.StringIO()
    call_command("import_people", str(good), "--user", "noivu-a", stdout=out)
    assert out.getvalue().strip() == "Thêm 3, chuyển công tác 0, cập nhật 0, giữ nguyên 0 cá nhân."
    out = io.StringIO()
    call_command("import_people", str(good), stdout=out)
    assert out.getvalue().strip() == "Thêm 0, chuyển công tác 0, cập nhật 0, giữ nguyên 3 cá nhân."


def test_people_list_and_person_page_are_in_reach_only(client, tree):
    person = PersonFactory(agency=tree.anlac, code="pal-01", full_name="Bùi Văn Thành", birth_year=1972)
    stranger = PersonFactory(agency=tree.xa, code="xb-01", full_name="Người Tỉnh B")
    staff = user_with_role(Role.STAFF, tree.anlac, username="canbo-a")
    client.force_login(staff)
    page = text(client.get(f"/agencies/people/{person.pk}/"))
    assert "Bùi Văn Thành" in page and "1972" in page and "Quá trình công tác" in page
    assert client.get(f"/agencies/people/{stranger.pk}/").status_code == 404
    assert client.get("/agencies/xa-b1/people/").status_code == 404
    assert client.get(f"/agencies/people/{2**63}/").status_code == 404
    # the other ward of the same province is not the staff's either
    other_ward = PersonFactory(agency=tree.btd)
    assert client.get(f"/agencies/people/{other_ward.pk}/").status_code == 404
    client.force_login(tree.noivu_b)
    assert client.get(f"/agencies/people/{person.pk}/").status_code == 404
    assert client.get(f"/agencies/people/{stranger.pk}/").status_code == 200


def test_people_list_searches(client, tree):
    PersonFactory(agency=tree.anlac, code="pal-01", full_name="Bùi Văn Thành", position="Chủ tịch")
    PersonFactory(agency=tree.anlac, code="pal-02", full_name="Ngô Thị Hạnh", position="Phó Chủ tịch")
    client.force_login(tree.noivu)
    response = client.get("/agencies/p-anlac/people/", {"q": "hạnh"})
    assert [p.code for p in response.context["people"]] == ["pal-02"]
    response = client.get("/agencies/p-anlac/people/", {"q": "pal-01"})
    assert [p.code for p in response.context["people"]] == ["pal-01"]
    response = client.get("/agencies/p-anlac/people/", {"q": "\x00", "page": "x"})
    assert response.status_code == 200 and len(response.context["people"]) == 2


def _queries(client, url) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_people_list_and_person_page_query_counts_do_not_grow_with_rows(client, tree):
    client.force_login(tree.noivu)
    person = PersonFactory(agency=tree.anlac, code="pal-01")
    run("p-anlac,pal-01,Bùi Văn Thành,Nam,1972,Chuyên viên,,,01/07/2025", actor=tree.noivu)
    one = _queries(client, "/agencies/p-anlac/people/")
    page_one = _queries(client, f"/agencies/people/{person.pk}/")
    for i in range(30):
        PersonFactory(agency=tree.anlac, code=f"pal-x{i}")
    for day in (2, 3, 4, 5):
        run(f"p-anlac,pal-01,Bùi Văn Thành,Nam,1972,Chuyên viên {day},,,0{day}/08/2025", actor=tree.noivu)
    assert _queries(client, "/agencies/p-anlac/people/") == one
    assert _queries(client, f"/agencies/people/{person.pk}/") == page_one
