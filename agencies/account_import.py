"""The account import (nhập tài khoản và vai trò): "this person, reached at this e-mail, holds this
role in this agency", one row each.

Accounts are matched by e-mail (case-insensitive); a new account gets an invitation e-mail with a
one-time link to set its password (``agencies.invitations``). The import is all or nothing: every
row is checked (agency known and in the actor's reach, e-mail valid and not twice in the file, role
known, one head account per agency, person code of that agency) before anything is written, and a
file imported twice changes nothing the second time. Role changes are audited (``common.audit``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Model
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from common.audit import audit_context, record_created
from common.display import user_display_name
from common.importing import Action, ImportPlan, ImportSummary, PlannedRow, TableImport, choice_from_text
from common.tabular import AGENCY_CODE_NOTE, Column, ImportErrors, Row, RowError, TableSpec

from .imports import resolve_agencies
from .invitations import issue_invitations
from .models import AccountProfile, Agency, Membership, Person, Role
from .rules import is_system_admin, manages_account

User = get_user_model()

USER_TABLE = TableSpec(
    slug="mau-nhap-tai-khoan",
    title=gettext_noop("Mẫu nhập tài khoản và vai trò"),
    columns=(
        Column("agency_code", gettext_noop("Mã cơ quan"), example="p-binhtan", note=AGENCY_CODE_NOTE),
        Column("full_name", gettext_noop("Họ và tên"), example="Lê Thị Thu Hà", width=28),
        Column(
            "email",
            gettext_noop("Thư điện tử"),
            example="ltthuha@binhtan.gov.vn",
            note=gettext_noop(
                "Địa chỉ thư điện tử của người dùng: là tên đăng nhập, nhận thư mời đặt mật khẩu; "
                "mỗi địa chỉ một dòng. Tài khoản đã có cùng địa chỉ sẽ được cập nhật."
            ),
            width=32,
        ),
        Column(
            "phone",
            gettext_noop("Số điện thoại"),
            required=False,
            example="0912345678",
            note=gettext_noop("Không bắt buộc. Nên định dạng ô là văn bản để giữ số 0 ở đầu."),
        ),
        Column(
            "role",
            gettext_noop("Vai trò"),
            example="staff",
            note=gettext_noop(
                "Mã vai trò hoặc tên vai trò: staff (Cán bộ phụ trách thi đua), head (Thủ trưởng cơ "
                "quan), home_affairs (Cán bộ Nội vụ), council (Thành viên Hội đồng Thi đua - Khen "
                "thưởng), leadership (Lãnh đạo). Mỗi cơ quan có một tài khoản Thủ trưởng."
            ),
        ),
        Column(
            "person_code",
            gettext_noop("Mã cá nhân"),
            required=False,
            example="pbt-03",
            note=gettext_noop("Không bắt buộc: mã của cá nhân trong danh sách cán bộ của cơ quan."),
        ),
    ),
)

#: Roles an import or a home-affairs officer may give; the administrator's role only by the administrator.
IMPORT_ROLES = (Role.STAFF, Role.HEAD, Role.HOME_AFFAIRS, Role.COUNCIL, Role.LEADERSHIP)

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE = re.compile(r"^\+?\d{8,15}$")


# --- names and small helpers ----------------------------------------------------------------------


def normalise_name(name: str) -> str:
    return " ".join(name.split())


def split_name(full_name: str) -> tuple[str, str]:
    """(first name, last name) of a Vietnamese full name: the given name is the last word
    ("Lê Thị Thu Hà" -> "Hà", "Lê Thị Thu"); ``user_display_name`` puts them back in order."""
    words = normalise_name(full_name).split(" ")
    return words[-1], " ".join(words[:-1])


def normalise_phone(value: str) -> str:
    """Digits (and a leading +) of a phone number; a 9-digit number gets back the leading 0 that
    a spreadsheet drops from a number cell (0912345678 -> 912345678)."""
    phone = _PHONE_SEPARATORS.sub("", value)
    if phone.isdigit() and len(phone) == 9 and phone[0] != "0":
        phone = "0" + phone
    return phone


def valid_phone(phone: str) -> bool:
    return bool(_PHONE.match(phone))


def role_from_text(text: str) -> str | None:
    """A role from its code or its name as the page shows it (case does not matter)."""
    return choice_from_text(Role.choices, text)


def allowed_roles(actor) -> list[str]:
    if actor is None or is_system_admin(actor):
        return [*IMPORT_ROLES, Role.SYSTEM_ADMIN]
    return list(IMPORT_ROLES)


def head_taken(agency: Agency, head) -> str:
    """The refusal of a second head account (tài khoản Thủ trưởng) for ``agency``."""
    return _("%(agency)s đã có tài khoản Thủ trưởng: %(name)s; đổi vai trò hoặc khoá tài khoản đó trước.") % {
        "agency": agency.name,
        "name": user_display_name(head),
    }


# --- the import plan -----------------------------------------------------------------------------


@dataclass
class PlannedAccount(PlannedRow):
    """What one row will do: create an account, change one, or leave it as it is."""

    row: int
    action: str
    agency: Agency
    full_name: str
    email: str
    phone: str
    role: str
    person: Person | None = None
    user: Any = None  # the account the row changes (None: a new one)
    changes: list[str] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    @property
    def shown_name(self) -> str:
        return self.full_name

    def describe(self) -> str:
        if self.action == Action.CREATE:
            return f"{self.email} – {self.role_label}"
        return "; ".join([self.email, *self.changes])


class AccountPlan(ImportPlan[PlannedAccount]):
    preview_text = gettext_noop(
        "Sẽ tạo %(created)s tài khoản mới (mỗi tài khoản nhận một thư mời), cập nhật %(updated)s tài "
        "khoản, giữ nguyên %(unchanged)s tài khoản."
    )
    done_text = gettext_noop(
        "Đã tạo %(created)s tài khoản (đã gửi %(invited)s thư mời), cập nhật %(updated)s, giữ nguyên "
        "%(unchanged)s tài khoản."
    )


def _user_by_email(emails: set[str]) -> dict[str, list]:
    found: dict[str, list] = defaultdict(list)
    if not emails:
        return found
    users = (
        User.objects.annotate(email_key=Lower("email"))
        .filter(email_key__in=[e.lower() for e in emails])
        .select_related("account_profile")
        .prefetch_related("memberships__agency")
    )
    for user in users:
        found[user.email.casefold()].append(user)
    return found


def plan_user_import(rows: list[Row], *, actor=None) -> AccountPlan:
    """Check every row and say what each would do; writes nothing. Raises ``ImportErrors``
    (row numbers, Vietnamese) when a row is wrong."""
    errors: list[RowError] = []
    roles = allowed_roles(actor)
    by_email: dict[str, Row] = {}
    directory = resolve_agencies(actor, rows)
    emails = set()
    for row in rows:
        email = row["email"].strip()
        if email:
            emails.add(email.casefold())
    existing = _user_by_email(emails)
    people = {
        (p.agency_id, p.code): p
        for p in Person.objects.filter(
            agency__in=directory.by_code.values(),
            code__in={r["person_code"] for r in rows if r["person_code"]},
        ).select_related("user")
    }
    heads_in_file: dict[int, Row] = {}
    planned: list[PlannedAccount] = []

    for row in rows:
        problems: list[str] = []
        agency = directory.agency(row["agency_code"], problems, active=True)

        full_name = normalise_name(row["full_name"])
        if not full_name:
            problems.append(_("thiếu họ và tên."))
        elif len(full_name) > 150:
            problems.append(_("họ và tên dài quá 150 ký tự."))

        email = row["email"].strip()
        key = email.casefold()
        if not email:
            problems.append(_("thiếu địa chỉ thư điện tử."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("địa chỉ thư điện tử “%(email)s” không hợp lệ.") % {"email": email[:100]})
                key = ""
            if len(email) > 150:
                problems.append(_("địa chỉ thư điện tử dài quá 150 ký tự."))
            if key and key in by_email:
                problems.append(
                    _("địa chỉ thư điện tử “%(email)s” trùng với dòng %(other)s (mỗi tài khoản một dòng).")
                    % {"email": email, "other": by_email[key].number}
                )
                key = ""
            elif key:
                by_email[key] = row

        phone = normalise_phone(row["phone"]) if row["phone"] else ""
        if phone and not valid_phone(phone):
            problems.append(_("số điện thoại “%(phone)s” không hợp lệ.") % {"phone": row["phone"][:40]})

        role = role_from_text(row["role"]) if row["role"] else None
        if not row["role"]:
            problems.append(_("thiếu vai trò."))
        elif role is None or role not in roles:
            problems.append(
                _("vai trò “%(role)s” không hợp lệ; dùng một trong: %(roles)s.")
                % {"role": row["role"][:60], "roles": ", ".join(roles)}
            )
            role = None

        user = None
        matches = existing.get(key, []) if key else []
        if len(matches) > 1:
            problems.append(
                _("có %(n)s tài khoản cùng địa chỉ “%(email)s”; hãy sửa trong trang quản trị trước.")
                % {"n": len(matches), "email": email}
            )
        elif matches:
            user = matches[0]
            if not manages_account(actor, user):
                problems.append(
                    _("Địa chỉ thư điện tử “%(email)s” đã được dùng, không thể gán cho cơ quan này.")
                    % {"email": email}
                )
                user = None

        person = None
        if row["person_code"] and agency is not None:
            person = people.get((agency.pk, row["person_code"]))
            if person is None:
                problems.append(
                    _("%(agency)s không có cá nhân mã “%(code)s”.")
                    % {"agency": agency.name, "code": row["person_code"][:40]}
                )
            elif person.user_id is not None and (user is None or person.user_id != user.pk):
                problems.append(
                    _("cá nhân “%(code)s” (%(name)s) đã gắn với tài khoản khác.")
                    % {"code": person.code, "name": person.full_name}
                )

        if role == Role.HEAD and agency is not None:
            if agency.pk in heads_in_file:
                problems.append(
                    _("%(agency)s đã có Thủ trưởng ở dòng %(other)s; mỗi cơ quan một tài khoản Thủ trưởng.")
                    % {"agency": agency.name, "other": heads_in_file[agency.pk].number}
                )
            else:
                heads_in_file[agency.pk] = row

        errors.extend(RowError(row.number, p) for p in problems)
        if problems or agency is None or role is None:
            continue
        planned.append(
            PlannedAccount(
                row.number, Action.CREATE, agency, full_name, email, phone, role, person=person, user=user
            )
        )

    # One head account per agency: the file's heads against the active heads already there.
    if heads_in_file:
        current = Membership.objects.filter(
            agency_id__in=list(heads_in_file), role=Role.HEAD, user__is_active=True
        ).select_related("user", "agency")
        by_row_email = {p.row: p.email.casefold() for p in planned}
        for membership in current:
            row = heads_in_file[membership.agency_id]
            if membership.user.email.casefold() != by_row_email.get(row.number, ""):
                errors.append(RowError(row.number, head_taken(membership.agency, membership.user)))
    if errors:
        raise ImportErrors(errors)

    for item in planned:
        if item.user is not None:
            _describe_changes(item)
    return AccountPlan(planned)


def _describe_changes(item: PlannedAccount) -> None:
    user = item.user
    changes = []
    if user_display_name(user) != item.full_name:
        changes.append(
            _("họ tên: %(old)s → %(new)s") % {"old": user_display_name(user), "new": item.full_name}
        )
    profile = getattr(user, "account_profile", None) if hasattr(user, "account_profile") else None
    old_phone = profile.phone if profile else ""
    if item.phone and old_phone != item.phone:
        changes.append(_("điện thoại: %(old)s → %(new)s") % {"old": old_phone or "–", "new": item.phone})
    held = sorted(m.role for m in user.memberships.all() if m.agency_id == item.agency.pk)
    if held != [item.role]:
        old = ", ".join(str(Role(r).label) for r in held) or "–"
        changes.append(
            _("vai trò tại %(agency)s: %(old)s → %(new)s")
            % {"agency": item.agency.name, "old": old, "new": item.role_label}
        )
    if item.person is not None and item.person.user_id != user.pk:
        changes.append(_("gắn với cá nhân %(name)s") % {"name": item.person.full_name})
    item.changes = changes
    item.action = Action.UPDATE if changes else Action.UNCHANGED


def _username_for(email: str, taken: set[str]) -> str:
    base = email.casefold()[:150]
    name, n = base, 1
    while name in taken:
        n += 1
        suffix = f"-{n}"
        name = base[: 150 - len(suffix)] + suffix
    taken.add(name)
    return name


def import_users(rows: list[Row], *, actor=None, note: str = "") -> ImportSummary:
    """Plan the rows again (the directory may have changed since the preview) and write them, all
    or nothing. New accounts get their invitation e-mail once the transaction commits."""
    note = note or _("Nhập tài khoản từ tệp")
    with transaction.atomic(), audit_context(actor, note=note):
        plan = plan_user_import(rows, actor=actor)
        new_users = _create_accounts(plan.of(Action.CREATE), actor, note)
        for item in plan.of(Action.UPDATE):
            _apply_changes(item)
        invited = issue_invitations(new_users, actor=actor)
    return plan.done(invited=invited, new_objects=new_users)


def _create_accounts(items: list[PlannedAccount], actor, note: str) -> list:
    if not items:
        return []
    wanted = {item.email.casefold()[:150] for item in items}
    taken = set(
        User.objects.filter(username__in=wanted | {w[:140] for w in wanted}).values_list(
            "username", flat=True
        )
    )
    users = []
    for item in items:
        first, last = split_name(item.full_name)
        user = User(
            username=_username_for(item.email, taken), email=item.email, first_name=first, last_name=last
        )
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    if not all(u.pk for u in users):  # databases that do not return ids from a bulk insert
        by_name = dict(
            User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk")
        )
        for u in users:
            u.pk = u.id = by_name[u.username]
    AccountProfile.objects.bulk_create(
        [AccountProfile(user=u, phone=item.phone) for u, item in zip(users, items, strict=True)]
    )
    # The roles in one insert, with their audit entries (who gave which role where) in another.
    memberships = Membership.objects.bulk_create(
        [
            Membership(user=u, agency=item.agency, role=item.role)
            for u, item in zip(users, items, strict=True)
        ],
        batch_size=500,
    )
    if not all(m.pk for m in memberships):
        by_user = dict(Membership.objects.filter(user__in=users).values_list("user_id", "pk"))
        for m in memberships:
            m.pk = m.id = by_user[m.user_id]
    labels = {value: str(label) for value, label in Role.choices}
    record_created(
        cast(list[Model], memberships),
        actor=actor,
        note=note,
        repr_of=lambda m: f"{m.user} – {labels[m.role]} – {m.agency}",  # Membership.__str__
    )
    for user, item in zip(users, items, strict=True):
        if item.person is not None:
            item.person.user = user
            item.person.save(update_fields=["user"])
    return users


def _apply_changes(item: PlannedAccount) -> None:
    user = item.user
    first, last = split_name(item.full_name)
    if user_display_name(user) != item.full_name:
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    if item.phone:
        AccountProfile.objects.update_or_create(user=user, defaults={"phone": item.phone})
    _set_role(user, item.agency, item.role)
    if item.person is not None and item.person.user_id != user.pk:
        item.person.user = user
        item.person.save(update_fields=["user"])


def _set_role(user, agency: Agency, role: str) -> None:
    """The user's role in ``agency`` becomes ``role`` (other roles there are removed; each removal
    and addition is an audit entry of the membership)."""
    for membership in Membership.objects.filter(user=user, agency=agency).exclude(role=role):
        membership.delete()
    Membership.objects.get_or_create(user=user, agency=agency, role=role)


ACCOUNT_IMPORT = TableImport("users", USER_TABLE, plan_user_import, import_users)
