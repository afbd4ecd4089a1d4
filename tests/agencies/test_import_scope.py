"""Issue 9, item 1: the directory import is limited to the actor's tree (a home-affairs officer of
another province cannot take, rename or re-parent an agency outside it)."""

import pytest
from django.core.management import CommandError, call_command

from agencies.agency_import import import_agencies
from agencies.models import Agency, AgencyKind, Role
from common.tabular import ImportErrors, Row
from tests.factories import AgencyFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces():
    hcm = AgencyFactory(code="hcm", name="UBND Thành phố", kind=AgencyKind.PROVINCE_PC)
    anlac = AgencyFactory(code="p-anlac", name="Phường An Lạc", parent=hcm)
    other = AgencyFactory(code="tinh-b", name="UBND tỉnh B", kind=AgencyKind.PROVINCE_PC)
    xa = AgencyFactory(code="xa-b1", name="Xã B1", parent=other)
    return hcm, anlac, other, xa, user_with_role(Role.HOME_AFFAIRS, other, username="noivu-b")


def rows(*lines):
    return [
        Row(i + 2, dict(zip(["code", "name", "kind", "parent_code"], line, strict=True)))
        for i, line in enumerate(lines)
    ]


def messages_of(exc):
    return [(e.row, e.message) for e in exc.value.errors]


def test_another_province_cannot_take_an_agency_into_its_tree(two_provinces):
    _hcm, anlac, _other, _xa, noivu_b = two_provinces
    with pytest.raises(ImportErrors) as exc:
        import_agencies(rows(("p-anlac", "Phường An Lạc", "commune_pc", "tinh-b")), actor=noivu_b)
    assert messages_of(exc) == [(2, "Mã cơ quan “p-anlac” không thuộc phạm vi quản lý của anh/chị.")]
    anlac.refresh_from_db()
    assert (anlac.parent.code, anlac.path) == ("hcm", "hcm/p-anlac/")


def test_another_province_cannot_rename(two_provinces):
    _hcm, anlac, _other, _xa, noivu_b = two_provinces
    with pytest.raises(ImportErrors) as exc:
        import_agencies(rows(("p-anlac", "Phường Bị Đổi Tên", "commune_pc", "hcm")), actor=noivu_b)
    assert messages_of(exc) == [(2, "Mã cơ quan “p-anlac” không thuộc phạm vi quản lý của anh/chị.")]
    assert Agency.objects.get(code="p-anlac").name == "Phường An Lạc"


def test_new_agencies_go_only_under_the_actors_tree(two_provinces):
    *_rest, noivu_b = two_provinces
    with pytest.raises(ImportErrors) as exc:
        import_agencies(
            rows(
                ("moi-1", "Xã Mới 1", "commune_pc", "hcm"),
                ("moi-2", "Xã Mới 2", "commune_pc", ""),
                ("moi-3", "Xã Mới 3", "commune_pc", "xa-b1"),
            ),
            actor=noivu_b,
        )
    assert messages_of(exc) == [
        (2, "Mã cơ quan cấp trên “hcm” không thuộc phạm vi quản lý của anh/chị."),
        (
            3,
            "Cơ quan mã “moi-2” không có cơ quan cấp trên (cột parent_code) nên sẽ nằm ngoài phạm vi quản "
            "lý của anh/chị.",
        ),
    ]
    assert not Agency.objects.filter(code__startswith="moi-").exists()


def test_own_tree_is_imported(two_provinces):
    *_rest, noivu_b = two_provinces
    summary = import_agencies(
        rows(
            ("tinh-b", "UBND tỉnh B (mới)", "province_pc", ""),
            ("xa-b2", "Xã B2", "commune_pc", "so-b"),
            ("so-b", "Sở Nội vụ tỉnh B", "department", "tinh-b"),
        ),
        actor=noivu_b,
    )
    assert (summary.created, summary.updated) == (2, 1)
    assert Agency.objects.get(code="xa-b2").path == "tinh-b/so-b/xa-b2/"


def test_superuser_and_system_reach_every_agency(two_provinces):
    admin = UserFactory(is_superuser=True, is_staff=True)
    import_agencies(rows(("p-anlac", "Phường An Lạc", "commune_pc", "tinh-b")), actor=admin)
    assert Agency.objects.get(code="p-anlac").path == "tinh-b/p-anlac/"
    import_agencies(rows(("p-anlac", "Phường An Lạc", "commune_pc", "hcm")))
    assert Agency.objects.get(code="p-anlac").path == "hcm/p-anlac/"


def test_command_applies_the_reach_of_user(two_provinces, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("code,name,kind,parent_code\np-anlac,Phường An Lạc,commune_pc,tinh-b\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_agencies", str(path), "--user", "noivu-b")
    assert "không thuộc phạm vi quản lý của anh/chị" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("import_agencies", str(path), "--user", "khong-co")
    assert str(exc.value) == "User not found or inactive: khong-co"
    assert Agency.objects.get(code="p-anlac").parent.code == "hcm"


def test_web_import_reports_the_row(client, two_provinces):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    *_rest, noivu_b = two_provinces
    client.force_login(noivu_b)
    upload = SimpleUploadedFile(
        "a.csv", "code,name,kind,parent_code\np-anlac,Phường An Lạc,commune_pc,tinh-b\n".encode()
    )
    page = client.post(reverse("agencies:import"), {"file": upload})
    assert page.status_code == 200
    assert [(e.row, e.message) for e in page.context["errors"]] == [
        (2, "Mã cơ quan “p-anlac” không thuộc phạm vi quản lý của anh/chị.")
    ]
    assert Agency.objects.get(code="p-anlac").parent.code == "hcm"
