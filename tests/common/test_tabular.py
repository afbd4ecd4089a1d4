"""The one import reader (issue 9, items 7, 10, 14, 27): odd CSV files, duplicate headers, the row cap,
the error cap, Vietnamese column titles and the XLSX templates; agency codes in the official
format (item 8)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from agencies.models import Agency, AgencyKind, Role
from agencies.services import AGENCY_TABLE
from common.tabular import TableError, read_table
from tests.factories import AgencyFactory, user_with_role

AGENCY_HEADER = "code,name,kind,parent_code"


def read(text: str | bytes, name="a.csv", **kwargs):
    data = text.encode() if isinstance(text, str) else text
    return read_table(io.BytesIO(data), name, AGENCY_TABLE, **kwargs)


def table_error(*args, **kwargs) -> str:
    with pytest.raises(TableError) as exc:
        read(*args, **kwargs)
    return str(exc.value)


def test_cr_only_line_endings_are_read():
    rows = read(f"{AGENCY_HEADER}\rw1,Phường Một,commune_pc,\rw2,Phường Hai,commune_pc,w1\r")
    assert [(r.number, r["code"], r["parent_code"]) for r in rows] == [(2, "w1", ""), (3, "w2", "w1")]


def test_a_field_over_the_csv_limit_is_a_message():
    text = f'{AGENCY_HEADER}\nw1,Phường,commune_pc,\nw2,"{"x" * 140_000}",commune_pc,\n'
    assert table_error(text) == (
        "Không đọc được dòng 3 của tệp CSV (một ô quá dài hoặc dấu ngoặc kép không khớp)."
    )


def test_a_nul_byte_is_a_message():
    assert table_error(f"{AGENCY_HEADER}\r\nw1,Phường,commune_pc,\r\nw2,Ph\x00,commune_pc,\r\n") == (
        "Tệp có ký tự không hợp lệ (NUL) ở dòng 3."
    )


def test_a_duplicate_header_is_refused_naming_the_column():
    assert table_error("code,name,kind,kind\nw1,Phường,commune_pc,press\n") == (
        "Cột “Loại cơ quan (kind)” có hai lần (“kind” và “kind”); hãy giữ một cột."
    )
    assert table_error("code,Mã cơ quan,name,kind\nw1,w2,Phường,commune_pc\n") == (
        "Cột “Mã cơ quan (code)” có hai lần (“code” và “Mã cơ quan”); hãy giữ một cột."
    )


def test_vietnamese_titles_are_accepted_beside_the_codes():
    rows = read("Mã cơ quan;TÊN CƠ QUAN;loại  cơ quan;parent code\nw1;Phường Một;commune_pc;hcm\n")
    assert rows[0].values == {"code": "w1", "name": "Phường Một", "kind": "commune_pc", "parent_code": "hcm"}
    # Decomposed accents (as some Mac programs save them) are the same title.
    import unicodedata

    header = unicodedata.normalize("NFD", "Mã cơ quan,Tên cơ quan,Loại cơ quan")
    assert read(f"{header}\nw1,P,commune_pc\n")[0]["name"] == "P"
    assert table_error("Mã cơ quan,Tên cơ quan\nw1,P\n") == "Thiếu cột: Loại cơ quan (kind)."


def test_rows_stop_at_the_cap(settings):
    settings.IMPORT_MAX_ROWS = 3
    body = "".join(f"w{i},P{i},commune_pc,\n" for i in range(3))
    assert len(read(AGENCY_HEADER + "\n" + body)) == 3
    assert table_error(AGENCY_HEADER + "\n" + body + "w9,P9,commune_pc,\n") == (
        "Tệp có hơn 3 dòng; mỗi lần chỉ nhập được tối đa 3 dòng, hãy chia nhỏ tệp."
    )


def row_bomb(rows: int) -> bytes:
    """A small workbook with ``rows`` rows (the probe's was 147 KB with a million)."""
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["code"])
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, source.read(item.filename))
                continue
            with bomb.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'
                )
                # Rows without their number ("r") repeat exactly, so a million compress to little.
                chunk = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 10_000
                for _ in range(rows // 10_000):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_row_bomb_stops_at_the_cap_in_the_people_import(client, db, settings):
    """A million rows: refused after reading the cap + 1, with one short message (no timing here: the
    reader stops at the cap, so the million rows are never read; the cap is lowered to keep it quick)."""
    settings.IMPORT_MAX_ROWS = 1000
    from registrations.models import Registration
    from tests.factories import RegistrationFactory

    ward = AgencyFactory(kind=AgencyKind.COMMUNE_PC)
    registration = RegistrationFactory(agency=ward, round__campaign__issuer=AgencyFactory())
    client.force_login(user_with_role(Role.STAFF, ward))
    bomb = row_bomb(1_000_000)
    assert len(bomb) < 1_000_000
    response = client.post(
        reverse("registrations:individual_import", args=[registration.pk]),
        {"file": SimpleUploadedFile("ds.xlsx", bomb)},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Tệp có hơn 1.000 dòng; mỗi lần chỉ nhập được tối đa 1.000 dòng, hãy chia nhỏ tệp."
    ]
    assert Registration.objects.get().individuals.count() == 0


@pytest.fixture
def officer(db):
    city = AgencyFactory(code="hcm", kind=AgencyKind.PROVINCE_PC, name="UBND Thành phố")
    return user_with_role(Role.HOME_AFFAIRS, city)


def test_at_most_50_row_errors_are_listed(client, officer):
    client.force_login(officer)
    body = "".join(f"w{i},Phường {i},bad,hcm\n" for i in range(60))
    response = client.post(
        reverse("agencies:import"),
        {"file": SimpleUploadedFile("a.csv", (AGENCY_HEADER + "\n" + body).encode())},
    )
    assert response.status_code == 200
    assert len(response.context["errors"]) == 50
    assert str(response.context["errors"][-1]).startswith("Dòng 51: ")
    assert response.context["errors_more"] == "… và 10 lỗi khác (sửa các lỗi trên rồi nhập lại để xem tiếp)."
    page = response.content.decode()
    assert "Tệp có 60 dòng lỗi; chưa có dòng nào được nhập." in page
    assert "… và 10 lỗi khác" in page


def test_people_import_message_lists_at_most_50_errors(client, db):
    from tests.factories import RegistrationFactory

    ward = AgencyFactory(kind=AgencyKind.COMMUNE_PC)
    registration = RegistrationFactory(agency=ward, round__campaign__issuer=AgencyFactory())
    client.force_login(user_with_role(Role.STAFF, ward))
    body = "".join(f"khong-co-{i}\n" for i in range(500))
    response = client.post(
        reverse("registrations:individual_import", args=[registration.pk]),
        {"file": SimpleUploadedFile("ds.csv", ("Mã cá nhân\n" + body).encode())},
        follow=True,
    )
    (message,) = [str(m) for m in response.context["messages"]]
    lines = message.split("\n")
    assert len(lines) == 51
    assert lines[-1] == "… và 450 lỗi khác (sửa các lỗi trên rồi nhập lại để xem tiếp)."
    assert len(message) < 5000


def test_official_agency_codes_import_and_link(client, officer):
    """Codes like 000.00.31.H29 (and with "=") made the list and the parent's page fail (NoReverseMatch)."""
    client.force_login(officer)
    csv = (
        "Mã cơ quan,Tên cơ quan,Loại cơ quan,Mã cơ quan cấp trên\n"
        "000.00.31.H29,Sở Nội vụ,department,hcm\n"
        "p=1,Phường Một,commune_pc,000.00.31.H29\n"
        "..,Chấm,commune_pc,hcm\n"
    )
    response = client.post(reverse("agencies:import"), {"file": SimpleUploadedFile("a.csv", csv.encode())})
    assert [str(e) for e in response.context["errors"]] == [
        "Dòng 4: mã “..” không hợp lệ (tối đa 40 ký tự, không có dấu cách, “/” hay “\\”, "
        "không chỉ gồm dấu chấm)."
    ]
    response = client.post(
        reverse("agencies:import"), {"file": SimpleUploadedFile("a.csv", csv.rsplit("..", 1)[0].encode())}
    )
    assert response.status_code == 302
    assert Agency.objects.get(code="p=1").parent.code == "000.00.31.H29"
    listing = client.get(reverse("agencies:list"))
    assert listing.status_code == 200
    assert 'href="/agencies/000.00.31.H29/"' in listing.content.decode()
    assert 'href="/agencies/p=1/"' in listing.content.decode()
    parent = client.get("/agencies/000.00.31.H29/")
    assert (parent.status_code, parent.context["agency"].code) == (200, "000.00.31.H29")
    assert 'href="/agencies/p=1/"' in parent.content.decode()
    assert client.get("/agencies/p=1/").context["agency"].name == "Phường Một"
    assert (
        reverse("registrations:start", args=[1, "000.00.31.H29"]) == "/registrations/start/1/000.00.31.H29/"
    )


TEMPLATES = [
    ("agencies:import", "agencies:import_template", None),
    ("scoring:import_par", "scoring:par_template", None),
    ("scoring:import_staff", "scoring:staff_template", None),
]


@pytest.mark.parametrize(
    ("url_name", "spec_path", "titles"),
    [
        (
            "agencies:import_template",
            "agencies.services.AGENCY_TABLE",
            ["Mã cơ quan", "Tên cơ quan", "Loại cơ quan", "Mã cơ quan cấp trên"],
        ),
        (
            "scoring:par_template",
            "scoring.import_tables.PAR_TABLE",
            ["Mã cơ quan", "Năm", "Điểm chỉ số CCHC", "Xếp loại"],
        ),
        (
            "scoring:staff_template",
            "scoring.import_tables.STAFF_TABLE",
            ["Mã cơ quan", "Mã cá nhân", "Năm", "Xếp loại", "Bị kỷ luật trong năm"],
        ),
        (
            "registrations:people_template",
            "registrations.domain.people.PEOPLE_TABLE",
            ["Mã cá nhân", "Họ và tên", "Danh hiệu, hình thức đăng ký", "Cam kết"],
        ),
    ],
)
def test_each_import_has_an_xlsx_template(client, officer, url_name, spec_path, titles):
    from django.utils.module_loading import import_string

    spec = import_string(spec_path)
    client.force_login(officer)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="{spec.slug}.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    data, notes = workbook.worksheets
    assert (data.title, notes.title) == ("Dữ liệu", "Hướng dẫn")
    assert [c.value for c in data[1]] == titles
    assert all(c.font.bold for c in data[1])
    assert data.freeze_panes == "A2"
    assert all(data.column_dimensions[c.column_letter].width >= 10 for c in data[1])
    assert [r[1].value for r in notes.iter_rows(min_row=5)] == [c.key for c in spec.columns]
    assert [r[3].value for r in notes.iter_rows(min_row=5)] == [c.example for c in spec.columns]
    # The template filled with its examples reads back as the import's columns.
    data.append([c.example for c in spec.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_table(io.BytesIO(buffer.getvalue()), "mau.xlsx", spec)
    assert rows[0].values == {c.key: c.example for c in spec.columns}


def test_each_import_page_links_its_template(client, officer):
    client.force_login(officer)
    for page, template, _ in TEMPLATES:
        assert f'href="{reverse(template)}"' in client.get(reverse(page)).content.decode()


def test_scoring_templates_match_the_import_columns():
    from scoring import imports
    from scoring.import_tables import PAR_TABLE, STAFF_TABLE

    assert (PAR_TABLE.required, PAR_TABLE.optional) == (imports.PAR_COLUMNS, imports.PAR_OPTIONAL)
    assert (STAFF_TABLE.required, STAFF_TABLE.optional) == (imports.STAFF_COLUMNS, imports.STAFF_OPTIONAL)


def test_agency_kind_by_its_name(client, officer):
    client.force_login(officer)
    csv = (
        "Mã cơ quan,Tên cơ quan,Loại cơ quan,Mã cơ quan cấp trên\n"
        'w1,Phường Một,"ubnd xã, phường, thị trấn, đặc khu",hcm\n'
    )
    response = client.post(reverse("agencies:import"), {"file": SimpleUploadedFile("a.csv", csv.encode())})
    assert response.status_code == 302
    assert Agency.objects.get(code="w1").kind == AgencyKind.COMMUNE_PC
