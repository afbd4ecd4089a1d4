"""Issue 12: the account pages of home affairs (list, add, roles, lock, invitation), the import's
preview and confirmation in the browser, and the invitation link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.account_import import import_users
from agencies.invitations import issue_invitations
from agencies.models import Invitation, Membership, Role
from common.tabular import Row
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
User = get_user_model()
HEADER = "agency_code,full_name,email,phone,role,person_code\n"


def csv_upload(text: str, name: str = "tai-khoan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + text).encode("utf-8"), content_type="text/csv")


def page_text(response) -> str:
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def logs_in(username: str, password: str) -> bool:
    """A login through the login page (axes wants the request), in a browser of its own."""
    browser = Client()
    response = browser.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in browser.session


def invitation_link(message) -> str:
    return re.search(r"(/accounts/invitation/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def officer(client, provinces):
    client.force_login(provinces.noivu)
    return client


def test_upload_shows_a_preview_and_writes_nothing_until_confirmed(
    officer, provinces, django_capture_on_commit_callbacks
):
    user_with_role(Role.STAFF, provinces.ward, username="u-cu", email="cu@anlac.gov.vn",
                   first_name="Khoa", last_name="Đỗ Minh")  # fmt: skip
    upload = csv_upload(
        "p-anlac,Ngô Thị Hạnh,nth@anlac.gov.vn,,staff,\n"
        "p-anlac,Đỗ Minh Khoa,cu@anlac.gov.vn,,head,\n"
        "p-tantao,Lý Văn Phúc,lvp@tantao.gov.vn,,staff,\n"
    )
    response = officer.post(reverse("agencies:account_import"), {"file": upload})
    assert response.status_code == 200
    text = page_text(response)
    assert (
        "Sẽ tạo 2 tài khoản mới (mỗi tài khoản nhận một thư mời), cập nhật 1 tài khoản, "
        "giữ nguyên 0 tài khoản." in text
    )
    assert "vai trò tại Phường An Lạc: Cán bộ phụ trách thi đua → Thủ trưởng cơ quan" in text
    assert not User.objects.filter(email="nth@anlac.gov.vn").exists()
    assert Membership.objects.get(user__username="u-cu").role == Role.STAFF
    key = response.context["staged"].token

    # Another file uploaded meanwhile does not replace the one previewed.
    officer.post(
        reverse("agencies:account_import"), {"file": csv_upload("p-anlac,Khác,khac@anlac.gov.vn,,staff,\n")}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(reverse("agencies:account_import_confirm"), {"token": key}, follow=True)
    assert "Đã tạo 2 tài khoản (đã gửi 2 thư mời), cập nhật 1, giữ nguyên 0 tài khoản." in page_text(response)
    assert set(User.objects.filter(email__endswith=".gov.vn").values_list("email", flat=True)) >= {
        "nth@anlac.gov.vn", "lvp@tantao.gov.vn"
    }  # fmt: skip
    assert not User.objects.filter(email="khac@anlac.gov.vn").exists()
    assert Membership.objects.get(user__username="u-cu").role == Role.HEAD
    assert sorted(m.to[0] for m in mail.outbox) == ["lvp@tantao.gov.vn", "nth@anlac.gov.vn"]

    # The same key cannot be confirmed twice, nor a key someone made up.
    for bogus in (key, "0" * 64, "../../etc/passwd"):
        response = officer.post(reverse("agencies:account_import_confirm"), {"token": bogus}, follow=True)
        assert "Không tìm thấy tệp đã xem trước" in page_text(response)


def test_a_staged_file_is_only_the_uploaders(client, officer, provinces):
    response = officer.post(
        reverse("agencies:account_import"), {"file": csv_upload("p-anlac,A B,ab@anlac.gov.vn,,staff,\n")}
    )
    key = response.context["staged"].token
    colleague = user_with_role(Role.HOME_AFFAIRS, provinces.hcm, username="noivu2")
    client.force_login(colleague)
    response = client.post(reverse("agencies:account_import_confirm"), {"token": key}, follow=True)
    assert "Không tìm thấy tệp đã xem trước" in page_text(response)
    assert not User.objects.filter(email="ab@anlac.gov.vn").exists()


def test_upload_with_bad_rows_lists_them(officer):
    response = officer.post(
        reverse("agencies:account_import"),
        {"file": csv_upload("xa-b1,A B,ab@b.gov.vn,,staff,\np-anlac,C D,cd,,staff,\n")},
    )
    assert response.context["errors"] and [str(e) for e in response.context["errors"]] == [
        "Dòng 2: Mã cơ quan “xa-b1” không thuộc phạm vi quản lý của anh/chị.",
        "Dòng 3: địa chỉ thư điện tử “cd” không hợp lệ.",
    ]
    assert "Tệp có 2 dòng lỗi; chưa có dòng nào được nhập." in page_text(response)
    assert response.context["staged"] is None


def test_template_download(officer):
    response = officer.get(reverse("agencies:account_import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-tai-khoan.xlsx"'


def test_the_list_shows_the_accounts_in_reach_only(officer, provinces, django_assert_max_num_queries):
    mine = user_with_role(Role.STAFF, provinces.ward, username="mine", first_name="Hạnh", last_name="Ngô Thị")
    theirs = user_with_role(
        Role.STAFF, provinces.other_ward, username="theirs", first_name="Bình", last_name="Lê"
    )
    response = officer.get(reverse("agencies:accounts"))
    listed = [a.username for a in response.context["page"].object_list]
    assert "mine" in listed and "theirs" not in listed and "noivu-b" not in listed
    assert officer.get(reverse("agencies:account", args=[theirs.pk])).status_code == 404
    assert officer.get(reverse("agencies:account", args=[mine.pk])).status_code == 200
    response = officer.get(reverse("agencies:accounts"), {"q": "ngô thị", "agency": "p-anlac"})
    assert [a.username for a in response.context["page"].object_list] == ["mine"]
    # Odd parameters never fail.
    assert (
        officer.get(reverse("agencies:accounts"), {"page": "x", "agency": "\x00", "status": "?"}).status_code
        == 200
    )

    with django_assert_max_num_queries(12):
        officer.get(reverse("agencies:accounts"))
    import_users(
        [Row(i, {"agency_code": "p-tantao", "full_name": f"Người Số {i}", "email": f"n{i}@tantao.gov.vn",
                 "role": "staff"}) for i in range(2, 42)],
        actor=provinces.noivu,
    )  # fmt: skip
    with django_assert_max_num_queries(12):
        response = officer.get(reverse("agencies:accounts"))
    assert len(response.context["page"].object_list) == 42  # noivu, mine and the 40 imported


def test_add_one_account(officer, provinces, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            reverse("agencies:account_add"),
            {"agency": "p-anlac", "full_name": "Ngô Thị Hạnh", "email": "nth@anlac.gov.vn", "phone": "",
             "role": "staff", "person_code": ""},
        )  # fmt: skip
    user = User.objects.get(email="nth@anlac.gov.vn")
    assert response.status_code == 302 and response["Location"] == reverse("agencies:account", args=[user.pk])
    assert [m.to for m in mail.outbox] == [["nth@anlac.gov.vn"]]
    # An agency outside the reach is not even offered.
    response = officer.post(
        reverse("agencies:account_add"),
        {"agency": "xa-b1", "full_name": "A B", "email": "ab@b.gov.vn", "role": "staff"},
    )
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    assert not User.objects.filter(email="ab@b.gov.vn").exists()


def test_add_one_account_says_so_and_notes_it(officer, provinces, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            reverse("agencies:account_add"),
            {"agency": "p-anlac", "full_name": "Ngô Thị Hạnh", "email": "nth@anlac.gov.vn", "role": "staff"},
            follow=True,
        )
    assert "Đã tạo tài khoản Ngô Thị Hạnh và gửi thư mời tới nth@anlac.gov.vn." in page_text(response)
    user = User.objects.get(email="nth@anlac.gov.vn")
    notes = {e.additional_data["note"] for e in response.context["history"]}
    assert notes == {"Thêm tài khoản"}, notes
    assert user.pk


def test_add_refuses_an_address_that_has_an_account(officer, provinces):
    """Thêm tài khoản never edits an existing account: the address is refused beside the field,
    with a link to the account when it is in reach and nobody named when it is not."""
    mine = user_with_role(Role.STAFF, provinces.ward, username="moi", email="tranvanmoi@example.vn",
                          first_name="Mới", last_name="Trần Văn")  # fmt: skip
    data = {"agency": "p-anlac", "full_name": "Người Khác", "email": "TRANVANMOI@example.vn", "role": "staff"}
    response = officer.post(reverse("agencies:account_add"), data)
    assert response.status_code == 200
    link = reverse("agencies:account", args=[mine.pk])
    assert response.context["form"].errors["email"] == [
        f'Địa chỉ này đã có tài khoản: Trần Văn Mới. <a href="{link}">Xem tài khoản</a>'
    ]
    assert f'href="{reverse("agencies:account", args=[mine.pk])}"' in response.content.decode()
    mine.refresh_from_db()
    assert (mine.first_name, mine.last_name) == ("Mới", "Trần Văn")
    other = user_with_role(Role.STAFF, provinces.other_ward, username="b1", email="b1@b.gov.vn",
                           first_name="Bình", last_name="Lê Văn")  # fmt: skip
    response = officer.post(reverse("agencies:account_add"), dict(data, email="B1@b.gov.vn"))
    assert response.context["form"].errors["email"] == ["Địa chỉ thư điện tử này đã được dùng."]
    assert "Lê Văn Bình" not in page_text(response) and "Xã B1" not in page_text(response)
    other.refresh_from_db()
    assert other.memberships.count() == 1


def test_change_add_and_remove_roles_are_audited(officer, provinces):
    user = user_with_role(Role.STAFF, provinces.ward, username="u1")
    membership = user.memberships.get()
    url = reverse("agencies:account_roles", args=[user.pk])
    officer.post(url, {"action": "change", "membership": membership.pk, "role": "head"})
    membership.refresh_from_db()
    assert membership.role == Role.HEAD
    entry = LogEntry.objects.get_for_object(membership).filter(action=LogEntry.Action.UPDATE).get()
    assert (entry.actor, entry.changes_dict["role"], entry.additional_data) == (
        provinces.noivu, ["staff", "head"], {"note": "Đổi vai trò"}
    )  # fmt: skip
    officer.post(url, {"action": "add", "agency": "p-tantao", "role": "staff"})
    officer.post(url, {"action": "add", "agency": "xa-b1", "role": "staff"})  # outside: refused
    assert sorted(user.memberships.values_list("agency__code", "role")) == [
        ("p-anlac", "head"),
        ("p-tantao", "staff"),
    ]
    officer.post(url, {"action": "remove", "membership": membership.pk})
    assert list(user.memberships.values_list("agency__code", flat=True)) == ["p-tantao"]
    # The page's history shows the removed role too.
    response = officer.get(reverse("agencies:account", args=[user.pk]))
    assert [e.action for e in response.context["history"]].count(LogEntry.Action.DELETE) == 1


def test_a_second_head_is_refused_on_the_page(officer, provinces):
    user_with_role(Role.HEAD, provinces.ward, username="head", first_name="Thành", last_name="Bùi Văn")
    user = user_with_role(Role.STAFF, provinces.ward, username="u1")
    response = officer.post(
        reverse("agencies:account_roles", args=[user.pk]),
        {"action": "change", "membership": user.memberships.get().pk, "role": "head"},
        follow=True,
    )
    assert (
        "Phường An Lạc đã có tài khoản Thủ trưởng: Bùi Văn Thành; đổi vai trò hoặc khoá tài khoản đó trước."
        in page_text(response)
    )
    assert user.memberships.get().role == Role.STAFF


def test_deactivate_keeps_the_account_and_its_name_and_reactivate(client, officer, provinces):
    user = user_with_role(Role.STAFF, provinces.ward, username="u1", first_name="Hạnh", last_name="Ngô Thị")
    officer.post(reverse("agencies:account_deactivate", args=[user.pk]))
    user.refresh_from_db()
    assert user.is_active is False
    entry = LogEntry.objects.get_for_object(user).latest("pk")
    assert (entry.actor, entry.changes_dict, entry.additional_data) == (
        provinces.noivu, {"is_active": ["True", "False"]}, {"note": "Khoá tài khoản"}
    )  # fmt: skip
    assert not logs_in("u1", "demo-2026")
    assert (
        officer.get(reverse("agencies:account", args=[user.pk])).context["account"].get_full_name()
        == "Hạnh Ngô Thị"
    )
    officer.post(reverse("agencies:account_reactivate", args=[user.pk]))
    user.refresh_from_db()
    assert user.is_active is True
    # Nobody locks themselves out, nor an account holding roles outside their reach.
    response = officer.post(reverse("agencies:account_deactivate", args=[provinces.noivu.pk]), follow=True)
    assert "Anh/chị không thể tự khoá tài khoản của mình." in page_text(response)
    shared = user_with_role(Role.STAFF, provinces.ward2, username="shared")
    Membership.objects.create(user=shared, agency=provinces.other_ward, role=Role.STAFF)
    officer.post(reverse("agencies:account_deactivate", args=[shared.pk]))
    shared.refresh_from_db()
    assert shared.is_active is True


def test_resend_invitation_replaces_the_old_link(officer, provinces, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_users([Row(2, {"agency_code": "p-anlac", "full_name": "A B", "email": "ab@anlac.gov.vn",
                              "role": "staff"})],
                     actor=provinces.noivu)  # fmt: skip
    user = User.objects.get(email="ab@anlac.gov.vn")
    first = invitation_link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(reverse("agencies:account_invite", args=[user.pk]))
    assert len(mail.outbox) == 2
    second = invitation_link(mail.outbox[1])
    assert first != second
    assert "Đường dẫn này đã được thay bằng một thư mời mới hơn" in page_text(officer.get(first))
    assert Invitation.objects.filter(user=user, revoked_at__isnull=True).count() == 1


# --- the invitation link ------------------------------------------------------------------------------


def invite(provinces, capture, email="ab@anlac.gov.vn"):
    with capture(execute=True):
        import_users([Row(2, {"agency_code": "p-anlac", "full_name": "Ngô Thị Hạnh", "email": email,
                              "role": "staff"})],
                     actor=provinces.noivu)  # fmt: skip
    return User.objects.get(email=email), invitation_link(mail.outbox[-1])


def test_the_invitation_sets_a_password_once_with_vietnamese_rules(
    client, provinces, django_capture_on_commit_callbacks
):
    user, link = invite(provinces, django_capture_on_commit_callbacks)
    response = client.get(link)
    assert "Tên đăng nhập của bạn: ab@anlac.gov.vn" in page_text(response)
    response = client.post(link, {"new_password1": "12345", "new_password2": "12345"})
    assert response.context["form"].errors["new_password2"] == [
        "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 8 ký tự.",
        "Mật khẩu này quá phổ biến.",
        "Mật khẩu này hoàn toàn là số.",
    ]
    response = client.post(link, {"new_password1": "Cai-cach-2027", "new_password2": "Cai-cach-2027"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.check_password("Cai-cach-2027")
    assert client.get(reverse("home")).context["user"] == user
    client.logout()
    response = client.get(link)
    assert "Đường dẫn này đã được dùng để đặt mật khẩu." in page_text(response)
    assert response.context["can_resend"] is False
    assert logs_in("ab@anlac.gov.vn", "Cai-cach-2027")


def test_an_expired_link_says_so_and_sends_a_new_one(
    client, provinces, settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_DAYS = 3
    user, link = invite(provinces, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(user=user)
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=3)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - dt.timedelta(days=4), expires_at=timezone.now() - dt.timedelta(days=1)
    )
    response = client.get(link)
    assert "Đường dẫn kích hoạt tài khoản này đã hết hạn." in page_text(response)
    assert response.context["can_resend"] is True
    response = client.post(link, {"new_password1": "Cai-cach-2027", "new_password2": "Cai-cach-2027"})
    assert not User.objects.get(pk=user.pk).has_usable_password()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitation_resend", args=[link.split("/")[-2]]))
    assert [m.to for m in mail.outbox] == [["ab@anlac.gov.vn"], ["ab@anlac.gov.vn"]]
    new_link = invitation_link(mail.outbox[-1])
    assert "Đặt mật khẩu cho tài khoản" in page_text(client.get(new_link))
    # A second request within minutes sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitation_resend", args=[link.split("/")[-2]]))
    assert len(mail.outbox) == 2


def test_an_unknown_link_and_a_locked_account(client, provinces, django_capture_on_commit_callbacks):
    assert "Đường dẫn không hợp lệ." in page_text(client.get(reverse("invitation", args=["x" * 43])))
    user, link = invite(provinces, django_capture_on_commit_callbacks)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert "Tài khoản này đang bị khoá." in page_text(client.get(link))
    assert issue_invitations([User.objects.get(pk=user.pk)]) == 0


def test_password_reset_by_email_end_to_end(client, provinces):
    user = user_with_role(Role.STAFF, provinces.ward, username="u1", email="u1@anlac.gov.vn")
    response = client.post(reverse("password_reset"), {"email": "U1@anlac.gov.vn"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Đặt lại mật khẩu Cổng thi đua CCHC"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link)
    assert response.status_code == 302  # to the same page without the token in the address
    form_url = response["Location"]
    response = client.post(form_url, {"new_password1": "abc", "new_password2": "abc"})
    assert (
        response.context["form"].errors["new_password2"][0]
        == "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 8 ký tự."
    )
    response = client.post(form_url, {"new_password1": "Thi-dua-2027", "new_password2": "Thi-dua-2027"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    assert "Đã đặt mật khẩu mới" in page_text(client.get(response["Location"]))
    assert logs_in("u1", "Thi-dua-2027")
    user.refresh_from_db()
    assert user.check_password("Thi-dua-2027")
    client.logout()
    assert "Đường dẫn đặt lại mật khẩu đã được dùng hoặc đã hết hạn." in page_text(client.get(link))


def test_home_affairs_keeps_its_own_role_and_leaves_the_administrator_alone(officer, provinces):
    own = provinces.noivu.memberships.get()
    url = reverse("agencies:account_roles", args=[provinces.noivu.pk])
    response = officer.post(url, {"action": "change", "membership": own.pk, "role": "staff"}, follow=True)
    assert "Anh/chị không thể tự bỏ vai trò Nội vụ của mình." in page_text(response)
    officer.post(url, {"action": "remove", "membership": own.pk})
    own.refresh_from_db()
    assert own.role == Role.HOME_AFFAIRS
    root = user_with_role(Role.STAFF, provinces.ward, username="root", is_superuser=True)
    membership = root.memberships.get()
    response = officer.post(
        reverse("agencies:account_roles", args=[root.pk]),
        {"action": "change", "membership": membership.pk, "role": "head"},
        follow=True,
    )
    assert "Chỉ quản trị hệ thống được đổi vai trò này." in page_text(response)
    membership.refresh_from_db()
    assert membership.role == Role.STAFF


def test_the_history_of_a_rename_reads_in_vietnamese(officer, provinces):
    user = user_with_role(Role.STAFF, provinces.ward, username="u1", first_name="Mới", last_name="Trần Văn")
    officer.post(
        reverse("agencies:account_edit", args=[user.pk]), {"full_name": "Trần Văn Mới Hai", "phone": ""}
    )
    response = officer.get(reverse("agencies:account", args=[user.pk]))
    text = page_text(response)
    assert "Tài khoản: u1" in text and "User:" not in text
    assert "Họ và tên : Trần Văn Mới → Trần Văn Mới Hai" in text
    assert "Họ :" not in text and "Tên :" not in text
    assert "User :" not in text and "Tài khoản : Trần Văn Mới Hai" in text  # the role's account


def test_lock_then_reopen_shows_the_invitation_as_withdrawn(officer, provinces):
    """Locking withdraws a pending invitation and reopening does not revive it: the badge and
    the line about the last invitation say the same, and the page offers a new one."""
    user = user_with_role(Role.STAFF, provinces.ward, username="u1", first_name="Hạnh", last_name="Ngô Thị")
    user.set_unusable_password()
    user.save()
    issue_invitations([user], actor=provinces.noivu)
    url = reverse("agencies:account", args=[user.pk])
    page = officer.get(url).content.decode()
    assert "Chờ kích hoạt" in page and "hiệu lực đến" in page
    # The lock asks first.
    assert "return confirm(" in page and "Khoá tài khoản của Ngô Thị Hạnh?" in page
    officer.post(reverse("agencies:account_deactivate", args=[user.pk]))
    response = officer.post(reverse("agencies:account_reactivate", args=[user.pk]), follow=True)
    text = page_text(response)
    assert "Lời mời đã thu hồi" in text and "Lời mời hết hạn" not in text
    assert "hiệu lực đến" not in text and "đã thu hồi" in text
    assert "Thư mời cũ đã bị thu hồi khi khoá; hãy gửi lại thư mời." in text
    assert "Gửi lại thư mời" in text


def test_the_invitation_email_says_what_its_link_does_and_until_when(
    provinces, django_capture_on_commit_callbacks
):
    user = user_with_role(Role.STAFF, provinces.ward, username="u1", email="u1@anlac.gov.vn")
    user.set_unusable_password()
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        issue_invitations([user], actor=provinces.noivu)
    message = mail.outbox[-1]
    expires = timezone.localtime(Invitation.objects.get(user=user).expires_at)
    until = f"đến {expires:%H:%M} ngày {expires:%d/%m/%Y}"
    html = message.alternatives[0][0]
    assert until in message.body and until in html and "hết ngày" not in message.body
    assert "Đặt mật khẩu:" in message.body and "Xem chi tiết" not in message.body
    assert ">Đặt mật khẩu</a>" in html
    assert "Xem chi tiết" not in html


def test_the_list_is_in_vietnamese_order(officer, provinces, django_assert_num_queries):
    for username, last, first in [
        ("vo", "Võ Văn", "An"),
        ("dang", "Đặng Thanh", "Tâm"),
        ("duong", "Dương Văn", "Bé"),
        ("anh", "Âu", "Ánh"),
        ("an", "An", "Bình"),
    ]:
        user_with_role(Role.STAFF, provinces.ward, username=username, first_name=first, last_name=last)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        response = officer.get(reverse("agencies:accounts"), {"agency": "p-anlac"})
    names = [a.username for a in response.context["page"].object_list]
    assert names == ["an", "anh", "duong", "dang", "vo"]
    for i in range(30):
        user_with_role(Role.STAFF, provinces.ward, username=f"x{i}", first_name=f"Số {i}", last_name="Người")
    with django_assert_num_queries(len(few.captured_queries)):
        response = officer.get(reverse("agencies:accounts"), {"agency": "p-anlac"})
    assert len(response.context["page"].object_list) == 35
