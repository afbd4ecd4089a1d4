"""Issue 12 acceptance, the walk: home affairs uploads an accounts file, sees the preview, confirms;
the invitations go out through the file e-mail backend; one user sets a password through the link
and signs in with the right role; the same file again changes nothing. (The example file
docs/examples/users.xlsx on the demo: tests/demo/test_examples.py.)"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import PersonFactory, hcmc_directory, tour_accounts
from tests.mail import sent_messages

pytestmark = pytest.mark.django_db
User = get_user_model()

USERS_CSV = """Mã cơ quan,Họ và tên,Thư điện tử,Số điện thoại,Vai trò,Mã cá nhân
hcm-snv,Phan Văn Long,phan.van.long.snv001@demo.gov.vn,0900007919,head,snv-01
hcm-snv,Lê Minh Nga,le.minh.nga.snv002@demo.gov.vn,0900015838,staff,
p-anlac,Bùi Văn Thành,bui.van.thanh.pal001@demo.gov.vn,,head,pal-01
"""


@pytest.fixture
def outbox(settings, tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(folder)
    return folder


def test_noivu_imports_accounts_in_the_browser_and_a_user_activates(
    client, outbox, django_capture_on_commit_callbacks
):
    directory = hcmc_directory()
    noivu = tour_accounts()["noivu"]
    PersonFactory(agency=directory["hcm-snv"], code="snv-01", full_name="Phan Văn Long", is_head=True)
    client.force_login(noivu)
    users_before = User.objects.count()

    def upload():
        file = SimpleUploadedFile("users.csv", USERS_CSV.encode())
        return client.post(reverse("agencies:account_import"), {"file": file})

    response = upload()
    plan = response.context["preview"]
    assert (plan.created, plan.updated, plan.unchanged) == (3, 0, 0)
    assert User.objects.count() == users_before  # nothing written before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agencies:account_import_confirm"), {"token": response.context["staged"].token})
    assert sorted(sent_messages(outbox)) == [
        "bui.van.thanh.pal001@demo.gov.vn",
        "le.minh.nga.snv002@demo.gov.vn",
        "phan.van.long.snv001@demo.gov.vn",
    ]

    # Phan Văn Long, head of Sở Nội vụ (row 2), activates his account.
    message = next(p.read_text(encoding="utf-8") for p in outbox.iterdir())
    block = next(b for b in message.split("To: ") if b.startswith("phan.van.long.snv001@demo.gov.vn"))
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

    plan = upload().context["preview"]
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 3)
    assert len(sent_messages(outbox)) == 3
