"""Issue 12 acceptance: on the demo database, ``import_users docs/examples/users.xlsx`` sends 100
invitations through the file e-mail backend and exits 0; run again it creates and sends nothing;
a file with one bad row exits non-zero and creates nobody."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from agencies.models import Agency, Invitation, Membership

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
USERS_XLSX = ROOT / "docs" / "examples" / "users.xlsx"
User = get_user_model()
HEADED = [
    "hcm-snv", "hcm-stp", "hcm-stc", "hcm-sxd", "hcm-syt", "hcm-sgddt", "hcm-skhcn", "hcm-sct", "hcm-svhtt",
    "hcm-snnmt", "hcm-sdl", "hcm-btqlkcn", "p-binhtan", "p-anlac", "p-tantao", "p-btd", "p-bhh", "p-saigon",
    "x-cuchi", "x-nhabe",
]  # fmt: skip


def sent_messages(folder: Path) -> list[str]:
    """The recipients of every message the file backend wrote (one file per connection)."""
    return [
        line.split(":", 1)[1].strip()
        for path in sorted(folder.iterdir())
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("To: ")
    ]


@pytest.fixture
def demo(settings, tmp_path, django_capture_on_commit_callbacks):
    call_command("load_demo", stdout=io.StringIO())
    outbox = tmp_path / "mail"
    outbox.mkdir()
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(outbox)
    return outbox


def run(path, capture):
    out = io.StringIO()
    with capture(execute=True):
        call_command("import_users", str(path), stdout=out)
    return out.getvalue().strip()


def test_the_example_file_uses_real_demo_agencies(demo):
    sheet = load_workbook(USERS_XLSX, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    codes = {r[0] for r in rows}
    assert len(rows) == 100 and len(codes) == 20
    assert Agency.objects.filter(code__in=codes, dissolved_on__isnull=True).count() == 20


def test_import_users_on_the_demo_database(demo, django_capture_on_commit_callbacks, tmp_path):
    users_before = User.objects.count()

    # The file with one bad row (an unknown agency on row 57): non-zero exit, nobody created.
    workbook = load_workbook(USERS_XLSX)
    workbook.worksheets[0].cell(row=57, column=1).value = "khong-co"
    bad = tmp_path / "users-bad.xlsx"
    workbook.save(bad)
    with pytest.raises(CommandError) as exc:
        run(bad, django_capture_on_commit_callbacks)
    assert str(exc.value) == "Nothing was imported.\nDòng 57: không tìm thấy cơ quan có mã “khong-co”."
    assert User.objects.count() == users_before
    assert sent_messages(demo) == []

    assert run(USERS_XLSX, django_capture_on_commit_callbacks) == (
        "Đã tạo 100 tài khoản (đã gửi 100 thư mời), cập nhật 0, giữ nguyên 0 tài khoản."
    )
    recipients = sent_messages(demo)
    assert len(recipients) == 100 and len(set(recipients)) == 100
    assert User.objects.count() == users_before + 100
    assert Invitation.objects.count() == 100
    # 19 heads from the file beside the demo's thutruong of Phường Bình Tân.
    assert Membership.objects.filter(role="head", agency__code__in=HEADED).count() == 20

    # Run again: nothing created, nothing sent.
    assert run(USERS_XLSX, django_capture_on_commit_callbacks) == (
        "Đã tạo 0 tài khoản (đã gửi 0 thư mời), cập nhật 0, giữ nguyên 100 tài khoản."
    )
    assert len(sent_messages(demo)) == 100
    assert User.objects.count() == users_before + 100
    assert Invitation.objects.count() == 100


def test_noivu_imports_the_example_in_the_browser_and_a_user_activates(
    demo, client, django_capture_on_commit_callbacks
):
    """The acceptance walk: noivu uploads users.xlsx, sees the preview, confirms; the invitations go
    out; one user sets a password through the link and signs in with the right role; the same file
    again changes nothing."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    client.force_login(User.objects.get(username="noivu"))
    users_before = User.objects.count()
    upload = SimpleUploadedFile("users.xlsx", USERS_XLSX.read_bytes())
    response = client.post(reverse("agencies:account_import"), {"file": upload})
    plan = response.context["preview"]
    assert (plan.created, plan.updated, plan.unchanged) == (100, 0, 0)
    assert User.objects.count() == users_before  # nothing written before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agencies:account_import_confirm"), {"token": response.context["staged"].token})
    assert len(sent_messages(demo)) == 100

    # Phan Văn Long, head of Sở Nội vụ (row 2), activates his account.
    message = next(p.read_text(encoding="utf-8") for p in demo.iterdir())
    blocks = message.split("To: ")
    block = next(b for b in blocks if b.startswith("phan.van.long.snv001@demo.gov.vn"))
    link = re.search(r"(/accounts/invitation/[^/\s]+/)", block).group(1)
    browser = Client()
    response = browser.post(link, {"new_password1": "Cai-cach-2027", "new_password2": "Cai-cach-2027"})
    assert response.status_code == 302
    browser.logout()
    response = browser.post(
        reverse("login"), {"username": "phan.van.long.snv001@demo.gov.vn", "password": "Cai-cach-2027"}
    )
    assert response.status_code == 302
    home = browser.get(reverse("home"))
    memberships = [(m.agency.code, m.role) for ms in home.context["by_agency"].values() for m in ms]
    assert memberships == [("hcm-snv", "head")]
    assert home.context["person"].code == "snv-01"

    upload = SimpleUploadedFile("users.xlsx", USERS_XLSX.read_bytes())
    plan = client.post(reverse("agencies:account_import"), {"file": upload}).context["preview"]
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 100)
