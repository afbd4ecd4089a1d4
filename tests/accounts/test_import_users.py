"""Issue 12: accounts and roles in bulk (import_users), all or nothing, scope per row, invitations."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from agencies.account_import import USER_TABLE, import_users, plan_user_import
from agencies.models import AccountProfile, Invitation, Membership, Role
from agencies.notices import DirectoryNotice
from common.models import Notification
from common.tabular import ImportErrors, Row, read_table
from tests.factories import PersonFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db
User = get_user_model()
KEYS = ["agency_code", "full_name", "email", "phone", "role", "person_code"]


def rows(*lines):
    return [Row(i + 2, dict(zip(KEYS, line, strict=True))) for i, line in enumerate(lines)]


def errors_of(exc):
    return [(e.row, e.message) for e in exc.value.errors]


def test_new_accounts_get_roles_profiles_and_one_invitation_each(
    provinces, django_capture_on_commit_callbacks
):
    person = PersonFactory(agency=provinces.ward, code="pal-03", full_name="Đỗ Minh Khoa")
    with django_capture_on_commit_callbacks(execute=True):
        summary = import_users(
            rows(
                ("p-anlac", "Đỗ  Minh Khoa", "DMKhoa@AnLac.gov.vn", "091 234 5678", "staff", "pal-03"),
                ("p-anlac", "Bùi Văn Thành", "bvthanh@anlac.gov.vn", "912345679", "Thủ trưởng cơ quan", ""),
            ),
            actor=provinces.noivu,
        )
    assert (summary.created, summary.updated, summary.unchanged, summary.invited) == (2, 0, 0, 2)
    khoa = User.objects.get(email="DMKhoa@AnLac.gov.vn")
    assert (khoa.username, khoa.last_name, khoa.first_name) == ("dmkhoa@anlac.gov.vn", "Đỗ Minh", "Khoa")
    assert not khoa.has_usable_password()
    assert AccountProfile.objects.get(user=khoa).phone == "0912345678"
    assert list(Membership.objects.filter(user=khoa).values_list("agency__code", "role")) == [
        ("p-anlac", "staff")
    ]
    person.refresh_from_db()
    assert person.user == khoa
    thanh = User.objects.get(email="bvthanh@anlac.gov.vn")
    assert AccountProfile.objects.get(user=thanh).phone == "0912345679"  # the 0 a number cell drops
    assert list(thanh.memberships.values_list("role", flat=True)) == ["head"]
    assert Invitation.objects.filter(user__in=[khoa, thanh], used_at__isnull=True).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["DMKhoa@AnLac.gov.vn", "bvthanh@anlac.gov.vn"]
    assert "/accounts/invitation/" in mail.outbox[0].body
    assert Notification.objects.filter(kind=DirectoryNotice.ACCOUNT_INVITATION).count() == 2
    # The roles given are in the audit trail, with the importer as the actor.
    entries = LogEntry.objects.filter(content_type__model="membership", actor=provinces.noivu)
    assert sorted(e.object_repr for e in entries) == [
        "bvthanh@anlac.gov.vn – Thủ trưởng cơ quan – Phường An Lạc",
        "dmkhoa@anlac.gov.vn – Cán bộ phụ trách thi đua – Phường An Lạc",
    ]


def test_reimporting_the_same_rows_changes_and_sends_nothing(provinces, django_capture_on_commit_callbacks):
    lines = rows(("p-anlac", "Bùi Văn Thành", "bvthanh@anlac.gov.vn", "0912345679", "head", ""))
    with django_capture_on_commit_callbacks(execute=True):
        import_users(lines, actor=provinces.noivu)
    before = (
        LogEntry.objects.count(),
        Invitation.objects.count(),
        Notification.objects.count(),
        len(mail.outbox),
    )
    with django_capture_on_commit_callbacks(execute=True):
        summary = import_users(lines, actor=provinces.noivu)
    assert (summary.created, summary.updated, summary.unchanged, summary.invited) == (0, 0, 1, 0)
    after = (
        LogEntry.objects.count(),
        Invitation.objects.count(),
        Notification.objects.count(),
        len(mail.outbox),
    )
    assert after == before


def test_a_changed_role_is_shown_in_the_plan_applied_and_audited(provinces):
    user = user_with_role(Role.STAFF, provinces.ward, username="u1", email="u1@anlac.gov.vn",
                          first_name="Khoa", last_name="Đỗ Minh")  # fmt: skip
    lines = rows(("p-anlac", "Đỗ Minh Khoa", "U1@anlac.gov.vn", "", "head", ""))
    plan = plan_user_import(lines, actor=provinces.noivu)
    assert [(r.action, r.changes) for r in plan.rows] == [
        ("update", ["vai trò tại Phường An Lạc: Cán bộ phụ trách thi đua → Thủ trưởng cơ quan"])
    ]
    summary = import_users(lines, actor=provinces.noivu)
    assert (summary.created, summary.updated, summary.invited) == (0, 1, 0)
    assert list(user.memberships.values_list("role", flat=True)) == ["head"]
    entries = LogEntry.objects.filter(content_type__model="membership").order_by("pk")
    assert [(e.action, e.actor_id) for e in entries][-2:] == [
        (LogEntry.Action.DELETE, provinces.noivu.pk),
        (LogEntry.Action.CREATE, provinces.noivu.pk),
    ]
    assert entries.last().additional_data == {"note": "Nhập tài khoản từ tệp"}


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row(provinces):
    user_with_role(Role.HEAD, provinces.ward2, username="head2", email="head2@tantao.gov.vn",
                   first_name="Phúc", last_name="Lý Văn")  # fmt: skip
    lines = rows(
        ("p-anlac", "Người Hợp Lệ", "ok@anlac.gov.vn", "", "staff", ""),
        ("khong-co", "Người Thứ Hai", "hai@anlac.gov.vn", "", "staff", ""),
        ("p-anlac", "Người Thứ Ba", "OK@anlac.gov.vn", "", "staff", ""),
        ("p-anlac", "Người Thứ Tư", "tu@anlac.gov.vn", "", "chủ tịch", ""),
        ("p-tantao", "Người Thứ Năm", "nam@tantao.gov.vn", "", "head", ""),
        ("xa-b1", "Người Thứ Sáu", "sau@b.gov.vn", "", "staff", ""),
        ("p-anlac", "", "bay@anlac", "12ab", "staff", "khong-co"),
        ("p-anlac", "Người Thứ Tám", "tam@anlac.gov.vn", "", "system_admin", ""),
    )
    with pytest.raises(ImportErrors) as exc:
        import_users(lines, actor=provinces.noivu)
    roles = "staff, head, home_affairs, council, leadership"
    assert errors_of(exc) == [
        (3, "không tìm thấy cơ quan có mã “khong-co”."),
        (4, "địa chỉ thư điện tử “OK@anlac.gov.vn” trùng với dòng 2 (mỗi tài khoản một dòng)."),
        (5, f"vai trò “chủ tịch” không hợp lệ; dùng một trong: {roles}."),
        (6, "Phường Tân Tạo đã có tài khoản Thủ trưởng: Lý Văn Phúc; "
            "đổi vai trò hoặc khoá tài khoản đó trước."),
        (7, "Mã cơ quan “xa-b1” không thuộc phạm vi quản lý của anh/chị."),
        (8, "thiếu họ và tên."),
        (8, "địa chỉ thư điện tử “bay@anlac” không hợp lệ."),
        (8, "số điện thoại “12ab” không hợp lệ."),
        (8, "Phường An Lạc không có cá nhân mã “khong-co”."),
        (9, f"vai trò “system_admin” không hợp lệ; dùng một trong: {roles}."),
    ]  # fmt: skip
    assert not User.objects.filter(email__iendswith="anlac.gov.vn").exists()
    assert Invitation.objects.count() == 0


def test_two_heads_of_one_agency_in_a_file(provinces):
    with pytest.raises(ImportErrors) as exc:
        import_users(
            rows(
                ("p-anlac", "Thủ Trưởng Một", "a@anlac.gov.vn", "", "head", ""),
                ("p-anlac", "Thủ Trưởng Hai", "b@anlac.gov.vn", "", "head", ""),
            ),
            actor=provinces.noivu,
        )
    assert errors_of(exc) == [
        (3, "Phường An Lạc đã có Thủ trưởng ở dòng 2; mỗi cơ quan một tài khoản Thủ trưởng.")
    ]


def test_an_account_of_another_province_is_not_taken_over(provinces):
    """The e-mail of an account whose roles lie outside the actor's reach is refused, the
    superuser's too; the administrator may."""
    user_with_role(Role.STAFF, provinces.other_ward, username="b1", email="b1@b.gov.vn")
    UserFactory(username="root", email="root@portal.gov.vn", is_superuser=True)
    lines = rows(
        ("p-anlac", "Tên Mới", "B1@b.gov.vn", "", "staff", ""),
        ("p-anlac", "Quản Trị", "root@portal.gov.vn", "", "staff", ""),
    )
    with pytest.raises(ImportErrors) as exc:
        import_users(lines, actor=provinces.noivu)
    assert errors_of(exc) == [
        (2, "Địa chỉ thư điện tử “B1@b.gov.vn” đã được dùng, không thể gán cho cơ quan này."),
        (3, "Địa chỉ thư điện tử “root@portal.gov.vn” đã được dùng, không thể gán cho cơ quan này."),
    ]
    admin = UserFactory(username="admin2", is_superuser=True)
    summary = import_users(lines, actor=admin)
    assert (summary.created, summary.updated) == (0, 2)


def test_a_superuser_goes_through_the_same_row_checks(provinces):
    admin = UserFactory(username="admin3", is_superuser=True)
    with pytest.raises(ImportErrors) as exc:
        import_users(rows(("khong-co", "Ai Đó", "x@y.gov.vn", "", "staff", "")), actor=admin)
    assert errors_of(exc) == [(2, "không tìm thấy cơ quan có mã “khong-co”.")]


def test_vietnamese_headers_are_read(provinces):
    data = (
        "Mã cơ quan,Họ và tên,Thư điện tử,Vai trò\n"
        "p-anlac,Ngô Thị Hạnh,nth@anlac.gov.vn,Cán bộ phụ trách thi đua\n"
    )
    table = read_table(io.BytesIO(data.encode()), "tk.csv", USER_TABLE)
    summary = import_users(table, actor=provinces.noivu)
    assert summary.created == 1
    assert User.objects.get(email="nth@anlac.gov.vn").memberships.get().role == Role.STAFF


def test_the_command_exits_non_zero_on_a_bad_row_and_creates_nobody(provinces, tmp_path):
    path = tmp_path / "users.csv"
    path.write_text(
        "agency_code,full_name,email,role\n"
        "p-anlac,Người Một,mot@anlac.gov.vn,staff\n"
        "khong-co,Người Hai,hai@x.vn,staff\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_users", str(path))
    assert str(exc.value) == "Nothing was imported.\nDòng 3: không tìm thấy cơ quan có mã “khong-co”."
    assert not User.objects.filter(email="mot@anlac.gov.vn").exists()


def test_the_command_with_user_checks_that_users_reach(provinces, tmp_path):
    path = tmp_path / "users.csv"
    path.write_text(
        "agency_code,full_name,email,role\nxa-b1,Người Một,mot@b.gov.vn,staff\n", encoding="utf-8"
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_users", str(path), user="noivu")
    assert "Dòng 2: Mã cơ quan “xa-b1” không thuộc phạm vi quản lý của anh/chị." in str(exc.value)
    call_command("import_users", str(path), user="noivu-b", stdout=io.StringIO())
    assert User.objects.filter(email="mot@b.gov.vn").exists()
