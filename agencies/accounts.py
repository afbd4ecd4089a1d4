"""Accounts one at a time (tài khoản): add one, give, change and remove its roles, lock and reopen
it, correct its name and phone, send its invitation again.

Every service takes the actor keyword-only and asks the rules of ``agencies.rules``: a role is
given only in an agency the actor reaches (``in_reach``), an account is changed only by whoever
``manages_account`` (every role of it in the actor's reach; the administrator's account is the
administrator's). ``actor=None`` is the system: those rules about a person pass, the others (one
head account per agency, nobody drops their own home-affairs role or locks their own account)
still hold. A refusal is an ``AccountError`` with a Vietnamese message; every change is audited.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_context
from common.display import user_display_name
from common.errors import PortalError
from common.tabular import ImportErrors, Row

from .account_import import (
    allowed_roles,
    head_taken,
    import_users,
    normalise_name,
    normalise_phone,
    split_name,
    valid_phone,
)
from .invitations import issue_invitations
from .models import AccountProfile, Agency, Invitation, Membership, Role
from .rules import has_perm, holders, in_reach, is_system_admin

User = get_user_model()


class AccountError(PortalError):
    """An action on an account refused for a reason the user can read (Vietnamese)."""


class ExistingAccount(AccountError):
    """The address of "Thêm tài khoản" already belongs to an account: ``account`` when the actor
    may see it (the page links to it), None otherwise (nobody is named)."""

    def __init__(self, account=None):
        self.account = account
        if account is not None:
            message = _("Địa chỉ này đã có tài khoản: %(name)s.") % {"name": user_display_name(account)}
        else:
            message = _("Địa chỉ thư điện tử này đã được dùng.")
        super().__init__(message)


def add_account(
    *,
    actor,
    agency_code: str,
    full_name: str,
    email: str,
    role: str,
    phone: str = "",
    person_code: str = "",
):
    """Add one new account (the import of one row) and return it. An address that already has an
    account is refused (``ExistingAccount``): a role is added on the account's own page."""
    existing = User.objects.filter(email__iexact=email.strip()).order_by("pk").first()
    if existing is not None:
        visible = has_perm(actor, "agencies.view_account", existing) if actor is not None else True
        raise ExistingAccount(existing if visible else None)
    row = Row(
        1,
        {
            "agency_code": agency_code,
            "full_name": full_name,
            "email": email,
            "phone": phone,
            "role": role,
            "person_code": person_code,
        },
    )
    try:
        summary = import_users([row], actor=actor, note=_("Thêm tài khoản"))
    except ImportErrors as exc:
        raise AccountError([e.message for e in exc.errors]) from None
    return summary.new_objects[0]


# --- roles -------------------------------------------------------------------------------------------


def _check_agency(actor, agency: Agency) -> None:
    if actor is not None and not in_reach(actor, agency):
        raise AccountError(_("Cơ quan này không thuộc phạm vi quản lý của anh/chị."))


def _check_role(actor, role: str) -> None:
    if role not in allowed_roles(actor):
        raise AccountError(_("Vai trò không hợp lệ."))


def _check_head(account, agency: Agency, role: str) -> None:
    """One head account per agency (tài khoản Thủ trưởng), locked accounts aside."""
    if role != Role.HEAD:
        return
    other = holders(agency, Role.HEAD).exclude(pk=account.pk).order_by("pk").first()
    if other is not None:
        raise AccountError(head_taken(agency, other))


def _check_target(actor, account, role: str = "") -> None:
    """The administrator's account, and the administrator's role, are the administrator's to change."""
    if (account.is_superuser or role == Role.SYSTEM_ADMIN) and not (actor is None or is_system_admin(actor)):
        raise AccountError(_("Chỉ quản trị hệ thống được đổi vai trò này."))


def _check_own_home_affairs(actor, membership: Membership) -> None:
    if actor is not None and membership.user_id == actor.pk and membership.role == Role.HOME_AFFAIRS:
        raise AccountError(_("Anh/chị không thể tự bỏ vai trò Nội vụ của mình."))


def add_role(account, agency: Agency, role: str, *, actor) -> Membership:
    _check_target(actor, account)
    _check_agency(actor, agency)
    _check_role(actor, role)
    if Membership.objects.filter(user=account, agency=agency, role=role).exists():
        raise AccountError(_("Tài khoản đã có vai trò này tại cơ quan này."))
    _check_head(account, agency, role)
    with transaction.atomic(), audit_context(actor, note=_("Thêm vai trò")):
        return Membership.objects.create(user=account, agency=agency, role=role)


def change_role(membership: Membership, role: str, *, actor) -> Membership:
    """Đổi vai trò: the membership's role becomes ``role`` (audited as a change of the membership)."""
    _check_target(actor, membership.user, membership.role)
    _check_agency(actor, membership.agency)
    _check_role(actor, role)
    if membership.role == role:
        return membership
    _check_own_home_affairs(actor, membership)
    if Membership.objects.filter(user=membership.user_id, agency=membership.agency, role=role).exists():
        raise AccountError(_("Tài khoản đã có vai trò này tại cơ quan này."))
    _check_head(membership.user, membership.agency, role)
    with transaction.atomic(), audit_context(actor, note=_("Đổi vai trò")):
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_role(membership: Membership, *, actor) -> None:
    _check_target(actor, membership.user, membership.role)
    _check_agency(actor, membership.agency)
    _check_own_home_affairs(actor, membership)
    with transaction.atomic(), audit_context(actor, note=_("Bỏ vai trò")):
        membership.delete()


# --- the account itself --------------------------------------------------------------------------------


def _require_manages(actor, account) -> None:
    if not has_perm(actor, "agencies.change_account", account):
        raise AccountError(
            _(
                "Tài khoản này có vai trò ở cơ quan ngoài phạm vi quản lý của anh/chị; "
                "chỉ quản trị hệ thống được thay đổi."
            )
        )


def set_active(account, active: bool, *, actor) -> None:
    """Khoá / mở lại tài khoản. An account is never deleted: its history keeps its name."""
    if actor is not None and account.pk == actor.pk:
        raise AccountError(_("Anh/chị không thể tự khoá tài khoản của mình."))
    _require_manages(actor, account)
    if account.is_active == active:
        return
    note = _("Mở lại tài khoản") if active else _("Khoá tài khoản")
    with transaction.atomic(), audit_context(actor, note=note):
        account.is_active = active
        account.save(update_fields=["is_active"])
        if not active:
            Invitation.objects.filter(user=account, used_at__isnull=True, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )


def resend_invitation(account, *, actor) -> None:
    _require_manages(actor, account)
    if not account.is_active:
        raise AccountError(_("Tài khoản đang bị khoá; hãy mở lại trước khi gửi thư mời."))
    if not account.email:
        raise AccountError(_("Tài khoản chưa có địa chỉ thư điện tử."))
    if account.has_usable_password():
        raise AccountError(
            _("Tài khoản đã đặt mật khẩu; nếu quên, người dùng chọn “Quên mật khẩu?” ở trang đăng nhập.")
        )
    with transaction.atomic():
        issue_invitations([account], actor=actor)


def update_details(account, *, actor, full_name: str, phone: str) -> None:
    _require_manages(actor, account)
    full_name = normalise_name(full_name)
    if not full_name or len(full_name) > 150:
        raise AccountError(_("Họ và tên không hợp lệ."))
    phone = normalise_phone(phone) if phone else ""
    if phone and not valid_phone(phone):
        raise AccountError(_("Số điện thoại không hợp lệ."))
    with transaction.atomic(), audit_context(actor, note=_("Sửa thông tin tài khoản")):
        if user_display_name(account) != full_name:
            account.first_name, account.last_name = split_name(full_name)
            account.save(update_fields=["first_name", "last_name"])
        AccountProfile.objects.update_or_create(user=account, defaults={"phone": phone})
