import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from agencies.models import Agency, Role
from tests.factories import AgencyFactory, user_with_role
from tests.imports import confirm, preview

pytestmark = pytest.mark.django_db

GOOD = (
    "code,name,kind,parent_code\n"
    "w1,Ủy ban nhân dân phường Một,commune_pc,hcm\n"
    "hcm,Ủy ban nhân dân Thành phố,province_pc,\n"
    "snv,Sở Nội vụ,department,hcm\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_csv_creates_tree_in_any_row_order(tmp_path):
    call_command("import_agencies", str(write(tmp_path, "a.csv", GOOD)))
    assert Agency.objects.get(code="w1").path == "hcm/w1/"
    assert Agency.objects.get(code="snv").kind == "department"
    assert Agency.objects.count() == 3


def test_reimport_updates_and_is_audited(tmp_path):
    call_command("import_agencies", str(write(tmp_path, "a.csv", GOOD)))
    out = io.StringIO()
    call_command(
        "import_agencies",
        str(write(tmp_path, "b.csv", GOOD.replace("Sở Nội vụ", "Sở Nội vụ TP"))),
        stdout=out,
    )
    assert "cập nhật 1" in out.getvalue()
    from common.audit import history_for

    entry = history_for(Agency.objects.get(code="snv")).first()
    assert entry.changes["name"] == ["Sở Nội vụ", "Sở Nội vụ TP"]
    assert entry.additional_data == {"note": "Nhập danh bạ cơ quan từ tệp"}


def test_bad_row_rejects_whole_file_with_row_number(tmp_path):
    AgencyFactory(code="keep", name="Giữ nguyên")
    bad = GOOD + "x1,Đơn vị X,unknown_kind,hcm\nx2,,department,nowhere\n"
    with pytest.raises(CommandError) as exc:
        call_command("import_agencies", str(write(tmp_path, "bad.csv", bad)))
    message = str(exc.value)
    assert "Dòng 5: loại “unknown_kind” không hợp lệ" in message
    assert "Dòng 6: thiếu tên cơ quan (cột name)." in message
    assert "Dòng 6: không tìm thấy cơ quan cấp trên có mã “nowhere”." in message
    assert list(Agency.objects.values_list("code", flat=True)) == ["keep"]


def test_duplicate_codes_and_cycles_are_reported(tmp_path):
    text = "code,name,kind,parent_code\na,A,department,b\nb,B,department,a\na,A2,department,\n"
    with pytest.raises(CommandError) as exc:
        call_command("import_agencies", str(write(tmp_path, "c.csv", text)))
    assert "Dòng 4: mã “a” trùng với dòng 2." in str(exc.value)
    assert "vòng lặp" in str(exc.value)
    assert Agency.objects.count() == 0


def test_missing_column_is_an_error(tmp_path):
    with pytest.raises(CommandError, match=r"Thiếu cột: Loại cơ quan \(kind\)\."):
        call_command("import_agencies", str(write(tmp_path, "d.csv", "code,name\na,A\n")))


def xlsx_bytes(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_xlsx(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ["code", "name", "kind", "parent_code"],
                ["hcm", "TP", "province_pc", None],
                ["b1", "Báo", "press", "hcm"],
            ]
        )
    )
    call_command("import_agencies", str(path))
    assert Agency.objects.get(code="b1").parent.code == "hcm"


def test_browser_import_by_home_affairs(client):
    city = AgencyFactory(code="hcm", kind="province_pc")
    officer = user_with_role(Role.HOME_AFFAIRS, city)
    client.force_login(officer)
    upload = io.BytesIO(
        xlsx_bytes(
            [
                ["code", "name", "kind", "parent_code"],
                ["p9", "Phường 9", "commune_pc", "hcm"],
                ["p10", "Phường 10", "bad", "hcm"],
            ]
        )
    )
    upload.name = "ds.xlsx"
    response = client.post("/agencies/import/", {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dòng 3: loại “bad” không hợp lệ" in page
    assert "chưa có dòng nào được nhập" in page
    assert not Agency.objects.filter(code="p9").exists()

    upload = io.BytesIO(b"code,name,kind,parent_code\np9,Ph\xc6\xb0\xe1\xbb\x9dng 9,commune_pc,hcm\n")
    upload.name = "ds.csv"
    response = preview(client, "/agencies/import/", upload)
    assert "Sẽ thêm 1, cập nhật 0, giữ nguyên 0 cơ quan." in response.content.decode()
    assert not Agency.objects.filter(code="p9").exists()  # nothing before the confirmation
    response = confirm(client, response)
    assert response.status_code == 302
    assert Agency.objects.get(code="p9").name == "Phường 9"
    entry = Agency.objects.get(code="p9").history.first() if hasattr(Agency, "history") else None
    assert entry is None  # auditlog, not simple-history
    from common.audit import history_for

    assert history_for(Agency.objects.get(code="p9")).get().actor == officer


def test_browser_import_refused_to_staff(client):
    ward = AgencyFactory()
    client.force_login(user_with_role(Role.STAFF, ward))
    assert client.get("/agencies/import/").status_code == 403
