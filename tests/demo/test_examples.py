"""The example files of docs/examples/, as the README's commands use them, on the demo's directory
(demo/directory.py): their agency and person codes are the demo's, so each command imports them in
full, and a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from agencies.models import Agency, Invitation, Membership, Person
from agencies.queries import person_history
from demo import directory
from tests.mail import sent_messages

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
User = get_user_model()
HEADED = [
    "hcm-snv", "hcm-stp", "hcm-stc", "hcm-sxd", "hcm-syt", "hcm-sgddt", "hcm-skhcn", "hcm-sct", "hcm-svhtt",
    "hcm-snnmt", "hcm-sdl", "hcm-btqlkcn", "p-binhtan", "p-anlac", "p-tantao", "p-btd", "p-bhh", "p-saigon",
    "x-cuchi", "x-nhabe",
]  # fmt: skip


@pytest.fixture
def demo_directory(db):
    directory.load()


def test_users_example(demo_directory, settings, tmp_path, django_capture_on_commit_callbacks):
    """``import_users docs/examples/users.xlsx``: 100 accounts of 20 current demo agencies, an invitation
    each through the file e-mail backend; again, nothing; with one bad row, nobody (non-zero exit)."""
    users_xlsx = EXAMPLES / "users.xlsx"
    outbox = tmp_path / "mail"
    outbox.mkdir()
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(outbox)

    def run(path):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_users", str(path), stdout=out)
        return out.getvalue().strip()

    sheet = load_workbook(users_xlsx, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    codes = {r[0] for r in rows}
    assert len(rows) == 100 and len(codes) == 20
    assert Agency.objects.filter(code__in=codes, dissolved_on__isnull=True).count() == 20
    users_before = User.objects.count()

    workbook = load_workbook(users_xlsx)
    workbook.worksheets[0].cell(row=57, column=1).value = "khong-co"
    bad = tmp_path / "users-bad.xlsx"
    workbook.save(bad)
    with pytest.raises(CommandError) as exc:
        run(bad)
    assert str(exc.value) == "Nothing was imported.\nDòng 57: không tìm thấy cơ quan có mã “khong-co”."
    assert User.objects.count() == users_before
    assert sent_messages(outbox) == []

    assert run(users_xlsx) == "Đã tạo 100 tài khoản (đã gửi 100 thư mời), cập nhật 0, giữ nguyên 0 tài khoản."
    recipients = sent_messages(outbox)
    assert len(recipients) == 100 and len(set(recipients)) == 100
    assert User.objects.count() == users_before + 100
    assert Invitation.objects.count() == 100
    # 19 heads from the file beside the demo's thutruong of Phường Bình Tân.
    assert Membership.objects.filter(role="head", agency__code__in=HEADED).count() == 20

    assert run(users_xlsx) == "Đã tạo 0 tài khoản (đã gửi 0 thư mời), cập nhật 0, giữ nguyên 100 tài khoản."
    assert len(sent_messages(outbox)) == 100
    assert (User.objects.count(), Invitation.objects.count()) == (users_before + 100, 100)


def test_people_example(demo_directory):
    """``import_people docs/examples/people.xlsx --user noivu``: 17 people of 5 demo wards and communes,
    two of them moved from the demo's agencies with their history; loading the demo again leaves the
    moved people where the import put them."""
    out = io.StringIO()
    call_command("import_people", str(EXAMPLES / "people.xlsx"), "--user", "noivu", stdout=out)
    assert out.getvalue().strip() == "Thêm 15, chuyển công tác 2, cập nhật 0, giữ nguyên 0 cá nhân."
    tuyet = Person.objects.get(code="qbt-02")
    assert [(p.agency_code, p.ended_on) for p in person_history(tuyet)] == [
        ("p-btd", None),
        ("hcm-binhtan", dt.date(2025, 6, 30)),
    ]
    out = io.StringIO()
    call_command("import_people", str(EXAMPLES / "people.xlsx"), stdout=out)
    assert out.getvalue().strip() == "Thêm 0, chuyển công tác 0, cập nhật 0, giữ nguyên 17 cá nhân."
    directory.load()
    assert Person.objects.get(code="qbt-02").agency.code == "p-btd"


def test_awards_example(demo_directory):
    """``import_awards docs/examples/awards.xlsx --user noivu``: 16 awards of 2019-2025; again, none."""
    out = io.StringIO()
    call_command("import_awards", str(EXAMPLES / "awards.xlsx"), "--user", "noivu", stdout=out)
    assert out.getvalue().strip() == "Thêm 16 khen thưởng vào sổ; 0 khen thưởng đã có trong sổ."
    out = io.StringIO()
    call_command("import_awards", str(EXAMPLES / "awards.xlsx"), stdout=out)
    assert out.getvalue().strip() == "Thêm 0 khen thưởng vào sổ; 16 khen thưởng đã có trong sổ."
