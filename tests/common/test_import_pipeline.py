"""Issue 17, the one import pipeline: every browser import previews its file and writes nothing
until it is confirmed, and the directory's one resolver refuses, on every import (page, service
and command), a row naming an agency of another province."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from agencies.account_import import ACCOUNT_IMPORT
from agencies.agency_import import AGENCY_IMPORT
from agencies.models import Agency, AgencyKind, Person, Role
from agencies.people_import import PEOPLE_IMPORT
from awards.models import AwardRecord
from awards.register import AWARDS_IMPORT
from common.importing import TableImport
from common.tabular import ImportErrors, read_table
from scoring.imports import PAR_IMPORT, STAFF_IMPORT
from scoring.models import ParIndexResult, StaffRatingRecord
from tests.factories import AgencyFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    """One import: its page, its command, its TableImport, a header, a row of the officer's own
    province (``p-anlac``), the same row for the other province's commune (``xa-b1``), what the
    preview says of the own row, and what the import writes (a count)."""

    page: str
    command: str
    importer: TableImport
    header: str
    own: str
    other: str
    preview: str
    count: Callable[[], int]


CASES = {
    "agencies": Case(
        "agencies:import",
        "import_agencies",
        AGENCY_IMPORT,
        "code,name,kind,parent_code",
        "p-moi,Phường Mới,commune_pc,hcm",
        "xa-b1,Xã B1 (đổi tên),commune_pc,tinh-b",
        "Sẽ thêm 1, cập nhật 0, giữ nguyên 0 cơ quan.",
        lambda: Agency.objects.count(),
    ),
    "users": Case(
        "agencies:account_import",
        "import_users",
        ACCOUNT_IMPORT,
        "agency_code,full_name,email,phone,role,person_code",
        "p-anlac,Ngô Thị Hạnh,nth@anlac.gov.vn,,staff,",
        "xa-b1,Lê Văn Bình,lvb@b.gov.vn,,staff,",
        "Sẽ tạo 1 tài khoản mới (mỗi tài khoản nhận một thư mời), cập nhật 0 tài khoản, "
        "giữ nguyên 0 tài khoản.",
        lambda: get_user_model().objects.count(),
    ),
    "people": Case(
        "agencies:people_import",
        "import_people",
        PEOPLE_IMPORT,
        "agency_code,person_code,full_name",
        "p-anlac,pal-09,Trần Văn Hai",
        "xa-b1,xb-09,Người Tỉnh B",
        "Thêm 1, chuyển công tác 0, cập nhật 0, giữ nguyên 0 cá nhân.",
        lambda: Person.objects.count(),
    ),
    "par": Case(
        "scoring:import_par",
        "import_par_index",
        PAR_IMPORT,
        "agency_code,year,score",
        "p-anlac,2027,91",
        "xa-b1,2027,91",
        "Sẽ thêm 1, cập nhật 0, giữ nguyên 0 dòng.",
        lambda: ParIndexResult.objects.count(),
    ),
    "staff": Case(
        "scoring:import_staff",
        "import_staff_ratings",
        STAFF_IMPORT,
        "agency_code,person_code,year,rating",
        "p-anlac,pal-01,2027,good",
        "xa-b1,xb-01,2027,good",
        "Sẽ thêm 1, cập nhật 0, giữ nguyên 0 dòng.",
        lambda: StaffRatingRecord.objects.count(),
    ),
    "awards": Case(
        "awards:register_import",
        "import_awards",
        AWARDS_IMPORT,
        "agency_code,person_code,form_name,decision_number,decided_on",
        "p-anlac,,Giấy khen của Chủ tịch UBND quận,12/QĐ-UBND,20/01/2023",
        "xa-b1,,Giấy khen của Chủ tịch UBND huyện,12/QĐ-UBND,20/01/2023",
        "Thêm 1 khen thưởng vào sổ; 0 khen thưởng đã có trong sổ.",
        lambda: AwardRecord.objects.count(),
    ),
}


@pytest.fixture
def world(db, settings, tmp_path):
    """Province A (officer noivu-a) with a ward and its person, province B with a commune and its person."""
    settings.MEDIA_ROOT = tmp_path
    hcm = AgencyFactory(code="hcm", name="UBND Thành phố", kind=AgencyKind.PROVINCE_PC)
    anlac = AgencyFactory(code="p-anlac", name="Phường An Lạc", parent=hcm)
    other = AgencyFactory(code="tinh-b", name="UBND tỉnh B", kind=AgencyKind.PROVINCE_PC)
    xa = AgencyFactory(code="xa-b1", name="Xã B1", parent=other)
    PersonFactory(agency=anlac, code="pal-01", full_name="Bùi Văn Thành")
    PersonFactory(agency=xa, code="xb-01", full_name="Người Tỉnh B")
    officer = user_with_role(Role.HOME_AFFAIRS, hcm, username="noivu-a")
    return type("World", (), {"officer": officer, "media": tmp_path})


def upload(case: Case, line: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("tep.csv", f"{case.header}\n{line}\n".encode(), content_type="text/csv")


def rows(case: Case, line: str):
    return read_table(io.BytesIO(f"{case.header}\n{line}\n".encode()), "tep.csv", case.importer.spec)


def staged_files(world) -> list[str]:
    folder = world.media / "staged-imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def page_text(response) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.parametrize("name", list(CASES))
def test_each_import_page_previews_and_writes_nothing_until_confirmed(
    client, world, name, django_capture_on_commit_callbacks
):
    case = CASES[name]
    client.force_login(world.officer)
    url = reverse(case.page)
    before = case.count()
    response = client.post(url, {"file": upload(case, case.own)})
    assert response.status_code == 200
    assert response.context["errors"] == []
    assert case.preview in page_text(response)
    assert "Xác nhận nhập" in page_text(response)
    assert case.count() == before  # the preview wrote nothing
    token = response.context["staged"].token
    # The file waits in the default storage; the session keeps only where it is.
    entry = client.session["staged_imports"][token]
    assert (sorted(entry), entry["kind"]) == (["fields", "filename", "kind", "path"], case.importer.kind)
    assert staged_files(world) == [entry["path"].rsplit("/", 1)[1]]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"token": token})
    assert response.status_code == 302
    assert case.count() == before + 1
    assert staged_files(world) == []
    # The same confirmation again imports nothing more.
    response = client.post(url, {"token": token}, follow=True)
    assert "Không tìm thấy tệp đã xem trước" in page_text(response)
    assert case.count() == before + 1


@pytest.mark.parametrize("name", list(CASES))
def test_the_resolver_refuses_another_provinces_agency_on_every_import(client, world, tmp_path, name):
    case = CASES[name]
    refused = "Mã cơ quan “xa-b1” không thuộc phạm vi quản lý của anh/chị."
    before = case.count()
    # The planner and the writer.
    for step in (case.importer.plan, case.importer.write):
        with pytest.raises(ImportErrors) as exc:
            step(rows(case, case.other), actor=world.officer)
        assert [(e.row, e.message) for e in exc.value.errors] == [(2, refused)]
        assert "Xã B1" not in str(exc.value)  # the other province's agency is not named
    # The page: the row error, nothing staged, nothing written.
    client.force_login(world.officer)
    response = client.post(reverse(case.page), {"file": upload(case, case.other)})
    assert [str(e) for e in response.context["errors"]] == [f"Dòng 2: {refused}"]
    assert (response.context["preview"], response.context["staged"]) == (None, None)
    assert staged_files(world) == []
    # The command run as the officer (--user).
    path = tmp_path / "tep.csv"
    path.write_text(f"{case.header}\n{case.other}\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command(case.command, str(path), "--user", "noivu-a")
    assert str(exc.value) == f"Nothing was imported.\nDòng 2: {refused}"
    assert case.count() == before


def test_the_registration_people_import_previews_and_confirms_for_its_own_registration(client, world):
    """The fold-in of the registration's people import: a preview first, and a file staged for one
    registration is never confirmed into another."""
    from registrations.models import IndividualRegistration
    from tests.factories import RegistrationFactory

    anlac = Agency.objects.get(code="p-anlac")
    staff = user_with_role(Role.STAFF, anlac, username="canbo-a")
    first = RegistrationFactory(agency=anlac, round__campaign__issuer=anlac.parent)
    second = RegistrationFactory(agency=anlac, round__campaign__issuer=anlac.parent)
    client.force_login(staff)
    url = reverse("registrations:individual_import", args=[first.pk])
    response = client.post(url, {"file": SimpleUploadedFile("ds.csv", "Mã cá nhân\npal-01\n".encode())})
    assert "Sẽ thêm 1 cá nhân vào đăng ký." in page_text(response)
    assert IndividualRegistration.objects.count() == 0
    token = response.context["staged"].token
    other = client.post(
        reverse("registrations:individual_import", args=[second.pk]), {"token": token}, follow=True
    )
    assert "Không tìm thấy tệp đã xem trước" in page_text(other)
    assert IndividualRegistration.objects.count() == 0
    response = client.post(url, {"token": token}, follow=True)
    assert response.redirect_chain == [(f"{first.get_absolute_url()}#people", 302)]
    assert "Đã thêm 1 cá nhân từ tệp." in page_text(response)
    assert list(IndividualRegistration.objects.values_list("registration", "person__code")) == [
        (first.pk, "pal-01")
    ]


def test_the_par_import_rates_by_the_plan_chosen_at_the_preview(client, world):
    """The plan whose bands rate the scores is staged with the file: the confirmation rates as the
    preview did, whatever the form posts then; a plan out of reach is refused, not ignored."""
    from tests.factories import CampaignFactory, ParBandFactory

    plan = CampaignFactory(code="ke-hoach-a", issuer=Agency.objects.get(code="hcm"))
    ParBandFactory(campaign=plan, code="xuat-sac", name="Xuất sắc", min_score=90, order=1)
    ParBandFactory(campaign=plan, code="dat", name="Đạt", min_score=0, order=2)
    stranger = CampaignFactory(code="ke-hoach-b", issuer=Agency.objects.get(code="tinh-b"))
    client.force_login(world.officer)
    url = reverse("scoring:import_par")
    case = CASES["par"]
    response = client.post(url, {"file": upload(case, case.own), "campaign": stranger.code})
    assert response.context["preview"] is None
    assert [str(m) for m in response.context["messages"]] == [
        "Kế hoạch đã chọn để xếp loại không còn trong phạm vi của anh/chị."
    ]
    response = client.post(url, {"file": upload(case, case.own), "campaign": plan.code})
    assert "điểm 91,00, xếp loại Xuất sắc" in page_text(response)
    client.post(url, {"token": response.context["staged"].token, "campaign": ""})
    assert list(ParIndexResult.objects.values_list("agency__code", "rating")) == [("p-anlac", "Xuất sắc")]
