"""Issue 12, the awards register: filled by the portal's decisions exactly once (amendments move
the rows), earlier years imported from a file (all or nothing, in reach, idempotent), searched and
exported, shown on the agency's and the person's pages, read by ``past_awards``."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from agencies.models import AgencyKind, Role
from awards import register
from awards.domain import decision as decisions
from awards.models import AwardRecord, RecordSource
from awards.register import AWARD_TABLE, PastAward, import_awards, past_awards
from common.tabular import ImportErrors, read_table
from tests.awards.test_services import approve, voted_list
from tests.factories import AgencyFactory, PersonFactory, user_with_role

HEADER = "agency_code,person_code,form_name,form_kind,level,decision_number,decided_on,campaign"
TODAY = dt.date(2026, 12, 1)


def rows(*lines):
    return read_table(io.BytesIO("\n".join([HEADER, *lines]).encode()), "awards.csv", AWARD_TABLE)


def errors_of(exc):
    return [(e.row, e.message) for e in exc.value.errors]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- decisions of the portal -----------------------------------------------------------------------


def test_an_approved_decision_fills_the_register_exactly_once(cycle):
    plist = voted_list(cycle)
    assert AwardRecord.objects.count() == 0
    decision = approve(cycle, plist)
    records = AwardRecord.objects.order_by("agency__code")
    assert [
        (r.agency.code, r.person_id, r.form_name, r.form_kind, r.decision_number, r.decided_on, r.source)
        for r in records
    ] == [
        ("a1", None, cycle.form.name, cycle.form.kind, "125/QĐ-UBND", cycle.day, RecordSource.DECISION),
        ("a2", None, cycle.form.name, cycle.form.kind, "125/QĐ-UBND", cycle.day, RecordSource.DECISION),
    ]
    assert {r.campaign_id for r in records} == {cycle.campaign.pk}
    # Idempotent: recording the decision again adds nothing.
    assert register.record_decision(decision) == 0
    assert AwardRecord.objects.count() == 2
    # An amending decision leaves the awards as the original decision gave them; one row per awardee.
    amended = decisions.amend_decision(
        decision, actor=cycle.leader, number="130/QĐ-UBND", decided_on=dt.date(2028, 2, 1),
        signer_capacity="TM.", signer_title="Chủ tịch", signer_name="Trần Văn B",
        reason="Sửa chức vụ người ký",
    )  # fmt: skip
    assert list(
        AwardRecord.objects.order_by().values_list("decision_id", "decision_number", "decided_on").distinct()
    ) == [(decision.pk, "125/QĐ-UBND", cycle.day)]
    assert AwardRecord.objects.count() == 2
    a1 = cycle.agencies["a1"]
    assert past_awards(agency=a1) == [
        PastAward(
            cycle.form.name,
            cycle.form.issuing_level or cycle.province.name,
            "125/QĐ-UBND",
            cycle.day,
            cycle.campaign.title,
            cycle.form.kind,
        )  # fmt: skip
    ]
    assert past_awards(agency=a1, before=cycle.day) == []
    # An amending decision that withdraws an award takes it out of the register.
    a2 = plist.proposals.get(agency__code="a2")
    decisions.amend_decision(
        amended, actor=cycle.leader, number="131/QĐ-UBND", decided_on=dt.date(2028, 3, 1),
        signer_capacity="TM.", signer_title="Chủ tịch", signer_name="Trần Văn B", reason="Thu hồi",
        withdrawn=[a2.pk],
    )  # fmt: skip
    assert list(AwardRecord.objects.values_list("agency__code", "decision_number")) == [("a1", "125/QĐ-UBND")]


def test_an_award_already_imported_is_not_written_twice_by_the_decision(cycle):
    plist = voted_list(cycle)
    line = f'a1,,"{cycle.form.name}",,,125/QĐ-UBND,15/01/2028,'
    import_awards(rows(line), actor=cycle.officer, today=dt.date(2028, 2, 1))
    approve(cycle, plist)
    assert list(AwardRecord.objects.order_by("agency__code").values_list("agency__code", "source")) == [
        ("a1", RecordSource.IMPORT),
        ("a2", RecordSource.DECISION),
    ]


# --- import of earlier years -----------------------------------------------------------------------


@pytest.fixture
def tree(db):
    t = type("Tree", (), {})()
    t.province = AgencyFactory(code="hcm", name="UBND Thành phố", kind=AgencyKind.PROVINCE_PC)
    t.anlac = AgencyFactory(code="p-anlac", name="UBND phường An Lạc", parent=t.province)
    t.btd = AgencyFactory(code="p-btd", name="UBND phường Bình Trị Đông", parent=t.province)
    t.other = AgencyFactory(code="tinh-b", name="UBND tỉnh B", kind=AgencyKind.PROVINCE_PC)
    t.xa = AgencyFactory(code="xa-b1", name="UBND xã B1", parent=t.other)
    t.thanh = PersonFactory(agency=t.anlac, code="pal-01", full_name="Bùi Văn Thành")
    t.stranger = PersonFactory(agency=t.xa, code="xb-01", full_name="Người Tỉnh B")
    t.noivu = user_with_role(Role.HOME_AFFAIRS, t.province, username="noivu-a")
    t.noivu_b = user_with_role(Role.HOME_AFFAIRS, t.other, username="noivu-b")
    return t


FILE = [
    "p-anlac,,Giấy khen của Chủ tịch UBND quận Bình Tân,Giấy khen,UBND quận Bình Tân,1045/QĐ-UBND,27/12/2019,"
    "Phong trào thi đua CCHC năm 2019",
    "p-anlac,pal-01,Bằng khen của Chủ tịch UBND Thành phố,Bằng khen,UBND Thành phố,4512/QĐ-UBND,20/12/2022,",
    "p-btd,,Cờ thi đua của UBND Thành phố,Cờ thi đua,UBND Thành phố,210/QĐ-UBND,22/01/2024,",
]


def test_import_of_earlier_awards_is_idempotent(tree):
    plan = import_awards(rows(*FILE), actor=tree.noivu, today=TODAY)
    assert (plan.created, plan.unchanged) == (3, 0)
    assert list(
        AwardRecord.objects.order_by("decided_on").values_list(
            "agency__code", "person__code", "form_kind", "decision_number", "decided_on", "campaign_name",
            "source",
        )
    ) == [
        ("p-anlac", None, "giay_khen", "1045/QĐ-UBND", dt.date(2019, 12, 27),
         "Phong trào thi đua CCHC năm 2019",
         "import"),
        ("p-anlac", "pal-01", "bang_khen", "4512/QĐ-UBND", dt.date(2022, 12, 20), "", "import"),
        ("p-btd", None, "co_thi_dua", "210/QĐ-UBND", dt.date(2024, 1, 22), "", "import"),
    ]  # fmt: skip
    assert set(AwardRecord.objects.values_list("created_by__username", flat=True)) == {"noivu-a"}
    again = import_awards(rows(*FILE), actor=tree.noivu, today=TODAY)
    assert (again.created, again.unchanged) == (0, 3)
    assert AwardRecord.objects.count() == 3
    assert past_awards(person=tree.thanh) == [
        PastAward(
            "Bằng khen của Chủ tịch UBND Thành phố",
            "UBND Thành phố",
            "4512/QĐ-UBND",
            dt.date(2022, 12, 20),
            "",
            "bang_khen",
        )
    ]
    assert [a.decision_number for a in past_awards(agency=tree.anlac)] == ["1045/QĐ-UBND"]


def test_bad_award_rows_are_named_and_nothing_is_written(tree):
    with pytest.raises(ImportErrors) as exc:
        import_awards(
            rows(
                FILE[0],
                "p-anlac,xb-01,Giấy khen,Giấy khen,,12/QĐ-UBND,01/02/2023,",
                "xa-b1,,Giấy khen,Giấy khen,,12/QĐ-UBND,01/02/2023,",
                "p-anlac,,Giấy khen,Huân chương,,,31/02/2023,",
                "p-anlac,pal-99,,,,12/QĐ-UBND,02/12/2026,",
                FILE[0],
            ),
            actor=tree.noivu,
            today=TODAY,
        )
    assert errors_of(exc) == [
        (3, "cá nhân mã “xb-01” (Người Tỉnh B) không công tác tại UBND phường An Lạc."),
        (4, "Mã cơ quan “xa-b1” không thuộc phạm vi quản lý của anh/chị."),
        (5, "loại hình thức “Huân chương” không hợp lệ; dùng một trong: Giấy khen, Bằng khen, Cờ thi đua, "
            "Danh hiệu thi đua, Hình thức khác."),
        (5, "thiếu số quyết định."),
        (5, "ngày quyết định: Ngày “31/02/2023” không tồn tại."),
        (6, "không tìm thấy cá nhân có mã “pal-99”."),
        (6, "thiếu hình thức khen thưởng."),
        (6, "ngày quyết định không được sau hôm nay."),
        (7, "khen thưởng này trùng với dòng 2."),
    ]  # fmt: skip
    assert AwardRecord.objects.count() == 0


def test_an_award_earned_before_a_move_imports_under_the_old_agency(tree):
    from agencies.people_import import PEOPLE_TABLE, import_people

    people = "agency_code,person_code,full_name,started_on\np-anlac,pal-01,Bùi Văn Thành,01/07/2025\n"
    import_people(
        read_table(io.BytesIO(people.encode()), "p.csv", PEOPLE_TABLE), actor=tree.noivu, today=TODAY
    )
    moved = (
        "agency_code,person_code,full_name,position,started_on\n"
        "p-btd,pal-01,Bùi Văn Thành,Chủ tịch,01/10/2026\n"
    )
    import_people(
        read_table(io.BytesIO(moved.encode()), "p.csv", PEOPLE_TABLE), actor=tree.noivu, today=TODAY
    )
    plan = import_awards(rows(FILE[1]), actor=tree.noivu, today=TODAY)
    assert plan.created == 1
    assert AwardRecord.objects.get().agency == tree.anlac


def test_command_imports_all_or_nothing(tree, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "\n".join([HEADER, "p-anlac,,Bằng khen,Bằng khen,,1/QĐ-TTg,01/01/2023,", "zz,,X,,,1,1/1/2023,"])
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_awards", str(bad))
    assert str(exc.value) == "Nothing was imported.\nDòng 3: không tìm thấy cơ quan có mã “zz”."
    assert AwardRecord.objects.count() == 0
    good = tmp_path / "awards.csv"
    good.write_text("\n".join([HEADER, *FILE]))
    out = io.StringIO()
    call_command("import_awards", str(good), "--user", "noivu-a", stdout=out)
    assert out.getvalue().strip() == "Thêm 3 khen thưởng vào sổ; 0 khen thưởng đã có trong sổ."
    out = io.StringIO()
    call_command("import_awards", str(good), stdout=out)
    assert out.getvalue().strip() == "Thêm 0 khen thưởng vào sổ; 3 khen thưởng đã có trong sổ."


def test_browser_import_previews_then_confirms(client, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(tree.noivu)
    upload = SimpleUploadedFile("awards.csv", "\n".join([HEADER, *FILE]).encode())
    response = client.post("/awards/register/import/", {"file": upload})
    assert "Thêm 3 khen thưởng vào sổ; 0 khen thưởng đã có trong sổ." in text(response)
    assert AwardRecord.objects.count() == 0
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    response = client.post("/awards/register/import/", {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == "/awards/register/"
    assert AwardRecord.objects.count() == 3


# --- search, export, pages ---------------------------------------------------------------------------


def test_register_search_and_export(client, tree):
    import_awards(rows(*FILE), actor=tree.noivu, today=TODAY)
    import_awards(
        rows("xa-b1,xb-01,Giấy khen của tỉnh B,Giấy khen,UBND tỉnh B,5/QĐ-UBND,01/02/2023,"),
        actor=tree.noivu_b,
        today=TODAY,
    )  # fmt: skip
    client.force_login(tree.noivu)

    def codes(**params):
        response = client.get("/awards/register/", params)
        assert response.status_code == 200
        return [r.decision_number for r in response.context["records"]]

    assert codes() == ["210/QĐ-UBND", "4512/QĐ-UBND", "1045/QĐ-UBND"]  # newest first, other province hidden
    assert codes(q="thành") == ["4512/QĐ-UBND"]  # a person's name
    assert codes(q="pal-01") == ["4512/QĐ-UBND"]  # a person's code
    assert codes(q="p-btd") == ["210/QĐ-UBND"]  # an agency's code
    assert codes(year="2019") == ["1045/QĐ-UBND"]
    assert codes(form="co_thi_dua") == ["210/QĐ-UBND"]
    assert codes(q="tỉnh B") == []
    assert codes(year="abc", form="\x00", page="-1") == ["210/QĐ-UBND", "4512/QĐ-UBND", "1045/QĐ-UBND"]

    response = client.get("/awards/register/export.xlsx", {"year": "2022"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert sheet.title == "Sổ khen thưởng"
    assert values[0] == [
        "Ngày quyết định", "Số quyết định", "Hình thức khen thưởng", "Cấp khen, cơ quan khen",
        "Tập thể, cá nhân được khen", "Mã cá nhân", "Cơ quan", "Mã cơ quan", "Phong trào thi đua", "Nguồn",
    ]  # fmt: skip
    assert values[1:] == [
        [dt.datetime(2022, 12, 20), "4512/QĐ-UBND", "Bằng khen của Chủ tịch UBND Thành phố", "UBND Thành phố",
         "Bùi Văn Thành", "pal-01", "UBND phường An Lạc", "p-anlac", None, "Nhập từ tệp"],
    ]  # fmt: skip
    assert sheet["A2"].number_format == "dd/mm/yyyy"


def test_register_is_shown_on_the_agency_and_person_pages_in_reach(client, tree):
    import_awards(rows(*FILE), actor=tree.noivu, today=TODAY)
    staff = user_with_role(Role.STAFF, tree.anlac, username="canbo-a")
    client.force_login(staff)
    page = text(client.get("/agencies/p-anlac/"))
    assert "Các hình thức đã được khen thưởng 2" in page
    assert "27/12/2019 1045/QĐ-UBND Giấy khen của Chủ tịch UBND quận Bình Tân" in page
    page = text(client.get(f"/agencies/people/{tree.thanh.pk}/"))
    assert (
        "20/12/2022 4512/QĐ-UBND Bằng khen của Chủ tịch UBND Thành phố UBND Thành phố UBND phường An Lạc"
        in page
    )
    # The staff of a ward see their ward's awards in the register, nobody else's.
    response = client.get("/awards/register/")
    assert [r.decision_number for r in response.context["records"]] == ["4512/QĐ-UBND", "1045/QĐ-UBND"]
    assert client.get("/awards/register/import/").status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_register_pages_query_counts_do_not_grow_with_rows(client, tree):
    import_awards(rows(FILE[1]), actor=tree.noivu, today=TODAY)
    client.force_login(tree.noivu)
    urls = ["/awards/register/", "/agencies/p-anlac/", f"/agencies/people/{tree.thanh.pk}/"]
    before = [_queries(client, url) for url in urls]
    more = [
        f"p-anlac,pal-{i:02d},Giấy khen,Giấy khen,UBND phường,{i}/QĐ-UBND,01/02/2023," for i in range(2, 32)
    ] + [f"p-anlac,pal-01,Giấy khen {i},Giấy khen,UBND phường,{i}/QĐ-UBND,01/03/2023," for i in range(30)]
    for i in range(2, 32):
        PersonFactory(agency=tree.anlac, code=f"pal-{i:02d}")
    import_awards(rows(*more), actor=tree.noivu, today=TODAY)
    assert [_queries(client, url) for url in urls] == before


def test_the_register_names_the_kind_of_award_before_a_plans_own_name():
    record = AwardRecord(form_name="Khen thưởng công tác cải cách hành chính", form_kind="giay_khen")
    assert record.form_label == "Giấy khen “Khen thưởng công tác cải cách hành chính”"
    record = AwardRecord(form_name="Bằng khen của Chủ tịch UBND Thành phố", form_kind="bang_khen")
    assert record.form_label == "Bằng khen của Chủ tịch UBND Thành phố"
    assert AwardRecord(form_name="Khen đột xuất", form_kind="").form_label == "Khen đột xuất"
