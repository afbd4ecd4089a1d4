"""Accounts and roles (tài khoản, vai trò): the bulk import, one account at a time, invitations.

A row of the account import says "this person, reached at this e-mail, holds this role in this
agency". Accounts are matched by e-mail (case-insensitive); a new account gets an invitation
e-mail with a one-time link to set its password (``settings.INVITATION_DAYS`` days). The import is
all or nothing: every row is checked (agency known and in the actor's reach, e-mail valid and not
twice in the file, role known, one head account per agency, person code of that agency) before
anything is written, and a file imported twice changes nothing the second time.

Scope: a home-affairs officer reaches the agencies of their sub-tree; an account is theirs to
change (name, deactivation, invitation) when every role it holds is in that reach. The
administrator reaches everything; ``actor=None`` is the system (a command run without ``--user``).
Role changes and deactivations are audited (``common.audit``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.notices import DirectoryNotice
from common.audit import audit_context, record_created
from common.display import user_display_name
from common.models import Notification
from common.notifications import build_notifications, queue_emails
from common.tabular import AGENCY_CODE_NOTE, Column, ImportErrors, Row, RowError, TableSpec

from .models import AccountProfile, Agency, Invitation, Membership, Person, Role
from .rules import in_reach, is_system_admin, reach_q

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


def role_from_text(text: str) -> str | None:
    """A role from its code or its name as the page shows it (case does not matter)."""
    wanted = text.strip().casefold()
    for value, label in Role.choices:
        if wanted in (value, str(label).casefold()):
            return value
    return None


def allowed_roles(actor) -> list[str]:
    if actor is None or is_system_admin(actor):
        return [*IMPORT_ROLES, Role.SYSTEM_ADMIN]
    return list(IMPORT_ROLES)


def visible_accounts(actor) -> QuerySet:
    """Accounts holding a role in an agency the actor reaches (every account for the administrator)."""
    if is_system_admin(actor):
        return User.objects.all()
    return User.objects.filter(
        pk__in=Membership.objects.filter(reach_q(actor, prefix="agency__")).values("user_id")
    )


def manages(actor, user) -> bool:
    """Whether the actor may change this account itself (name, status, invitation): the
    administrator always; home affairs when every role of the account is in their reach."""
    if actor is None or is_system_admin(actor):
        return True
    if user.is_superuser or user.pk == actor.pk:
        return False
    memberships = list(Membership.objects.filter(user=user).select_related("agency"))
    return bool(memberships) and all(in_reach(actor, m.agency) for m in memberships)


class AccountError(Exception):
    """An action refused for a reason the user can read (Vietnamese)."""


# --- the import plan -----------------------------------------------------------------------------


@dataclass
class PlannedRow:
    """What one row will do: create an account, change one, or leave it as it is."""

    number: int
    action: str  # "create" | "change" | "unchanged"
    agency: Agency
    full_name: str
    email: str
    phone: str
    role: str
    person: Person | None = None
    user: object | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


@dataclass
class UserImportPlan:
    rows: list[PlannedRow]

    def of(self, action: str) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == action]

    @property
    def created(self) -> list[PlannedRow]:
        return self.of("create")

    @property
    def changed(self) -> list[PlannedRow]:
        return self.of("change")

    @property
    def unchanged(self) -> list[PlannedRow]:
        return self.of("unchanged")


@dataclass
class UserImportSummary:
    created: int
    changed: int
    unchanged: int
    invited: int
    new_users: list = field(default_factory=list)

    def __str__(self) -> str:
        return _(
            "Đã tạo %(c)s tài khoản (đã gửi %(i)s thư mời), cập nhật %(u)s, giữ nguyên %(n)s tài khoản."
        ) % {"c": self.created, "i": self.invited, "u": self.changed, "n": self.unchanged}


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


def _manages_loaded(actor, user) -> bool:
    """``manages`` with the memberships already prefetched."""
    if actor is None or is_system_admin(actor):
        return True
    if user.is_superuser or user.pk == actor.pk:
        return False
    memberships = list(user.memberships.all())
    return bool(memberships) and all(in_reach(actor, m.agency) for m in memberships)


def plan_user_import(rows: list[Row], *, actor=None) -> UserImportPlan:
    """Check every row and say what each would do; writes nothing. Raises ``ImportErrors``
    (row numbers, Vietnamese) when a row is wrong."""
    errors: list[RowError] = []
    roles = allowed_roles(actor)
    by_email: dict[str, Row] = {}
    codes = {row["agency_code"] for row in rows if row["agency_code"]}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    emails = set()
    for row in rows:
        email = row["email"].strip()
        if email:
            emails.add(email.casefold())
    existing = _user_by_email(emails)
    people = {
        (p.agency_id, p.code): p
        for p in Person.objects.filter(
            agency__in=agencies.values(), code__in={r["person_code"] for r in rows if r["person_code"]}
        ).select_related("user")
    }
    heads_in_file: dict[int, Row] = {}
    planned: list[PlannedRow] = []

    for row in rows:
        problems: list[str] = []
        code = row["agency_code"]
        agency = agencies.get(code)
        if not code:
            problems.append(_("thiếu mã cơ quan."))
        elif agency is None:
            problems.append(_("không tìm thấy cơ quan có mã “%(code)s”.") % {"code": code[:60]})
        elif actor is not None and not in_reach(actor, agency):
            problems.append(
                _("Mã cơ quan “%(code)s” không thuộc phạm vi quản lý của anh/chị.") % {"code": code}
            )
            agency = None
        elif agency.is_dissolved:
            problems.append(_("%(name)s (mã “%(code)s”) đã giải thể.") % {"code": code, "name": agency.name})

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
        if phone and not _PHONE.match(phone):
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
            if not _manages_loaded(actor, user):
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

        if problems:
            errors.extend(RowError(row.number, p) for p in problems)
            continue
        planned.append(
            PlannedRow(row.number, "create", agency, full_name, email, phone, role, person=person, user=user)
        )

    # One head account per agency: the file's heads against the active heads already there.
    if heads_in_file:
        current = Membership.objects.filter(
            agency_id__in=list(heads_in_file), role=Role.HEAD, user__is_active=True
        ).select_related("user", "agency")
        by_row_email = {p.number: p.email.casefold() for p in planned}
        for membership in current:
            row = heads_in_file[membership.agency_id]
            if membership.user.email.casefold() != by_row_email.get(row.number, ""):
                errors.append(
                    RowError(
                        row.number,
                        _(
                            "%(agency)s đã có tài khoản Thủ trưởng: %(name)s; đổi vai trò hoặc "
                            "khoá tài khoản đó trước."
                        )
                        % {"agency": membership.agency.name, "name": user_display_name(membership.user)},
                    )
                )
    if errors:
        raise ImportErrors(errors)

    for item in planned:
        if item.user is not None:
            _describe_changes(item)
    return UserImportPlan(planned)


def _describe_changes(item: PlannedRow) -> None:
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
    item.action = "change" if changes else "unchanged"


def _username_for(email: str, taken: set[str]) -> str:
    base = email.casefold()[:150]
    name, n = base, 1
    while name in taken:
        n += 1
        suffix = f"-{n}"
        name = base[: 150 - len(suffix)] + suffix
    taken.add(name)
    return name


def apply_user_import(rows: list[Row], *, actor=None, note: str = "") -> UserImportSummary:
    """Plan the rows again (the directory may have changed since the preview) and write them, all
    or nothing. New accounts get their invitation e-mail once the transaction commits."""
    note = note or _("Nhập tài khoản từ tệp")
    with transaction.atomic(), audit_context(actor, note=note):
        plan = plan_user_import(rows, actor=actor)
        new_users = _create_accounts(plan.created, actor, note)
        for item in plan.changed:
            _apply_changes(item, actor)
        invited = issue_invitations(new_users, actor=actor)
    return UserImportSummary(len(plan.created), len(plan.changed), len(plan.unchanged), invited, new_users)


def _create_accounts(items: list[PlannedRow], actor, note: str) -> list:
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
        memberships,
        actor=actor,
        note=note,
        repr_of=lambda m: f"{m.user} – {labels[m.role]} – {m.agency}",  # Membership.__str__
    )
    for user, item in zip(users, items, strict=True):
        if item.person is not None:
            item.person.user = user
            item.person.save(update_fields=["user"])
    return users


def _apply_changes(item: PlannedRow, actor) -> None:
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


def import_users(rows: list[Row], *, actor=None) -> UserImportSummary:
    return apply_user_import(rows, actor=actor)


# --- invitations -----------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_days() -> int:
    return int(getattr(settings, "INVITATION_DAYS", 7))


def issue_invitations(users, *, actor=None) -> int:
    """A new invitation for each user (older open ones are revoked) and its e-mail through the
    notification outbox. Returns the number of e-mails queued (users without an address get none)."""
    users = [u for u in users if u.is_active]
    if not users:
        return 0
    now = timezone.now()
    expires = now + dt.timedelta(days=invitation_days())
    Invitation.objects.filter(user__in=users, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    tokens = {u.pk: secrets.token_urlsafe(32) for u in users}
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                user=u,
                token_hash=_hash(tokens[u.pk]),
                created_at=now,
                expires_at=expires,
                invited_by=actor if actor is not None and actor.pk else None,
            )
            for u in users
        ]
    )
    if not all(i.pk for i in invitations):
        by_hash = dict(
            Invitation.objects.filter(token_hash__in=[i.token_hash for i in invitations]).values_list(
                "token_hash", "pk"
            )
        )
        for i in invitations:
            i.pk = i.id = by_hash[i.token_hash]
    title = _("Mời kích hoạt tài khoản Cổng thi đua cải cách hành chính")
    body = _(
        "Tài khoản của anh/chị đã được tạo. Mở đường dẫn dưới đây để đặt mật khẩu; đường dẫn dùng được "
        "một lần, đến %(time)s ngày %(date)s. Tên đăng nhập: %(username)s."
    )
    rows: list[Notification] = []
    emails = {u.pk: u.email for u in users}
    for user, invitation in zip(users, invitations, strict=True):
        rows += build_notifications(
            [user.pk],
            DirectoryNotice.ACCOUNT_INVITATION,
            invitation,
            title=title,
            body=body
            % {
                "time": formats.date_format(timezone.localtime(expires), "H:i"),
                "date": formats.date_format(timezone.localtime(expires), "d/m/Y"),
                "username": user.get_username(),
            },
            url=reverse("invitation", args=[tokens[user.pk]]),
            emails_by_user=emails,
            now=now,
        )
    saved = Notification.objects.bulk_create(rows)
    pending = [n.pk for n in saved if n.pk and n.email_status == "pending"]
    if len(pending) != sum(1 for n in saved if n.email_status == "pending"):
        pending = list(
            Notification.objects.filter(
                kind=DirectoryNotice.ACCOUNT_INVITATION,
                created_at=now,
                email_status="pending",
                recipient__in=users,
            ).values_list("pk", flat=True)
        )
    if pending:
        queue_emails(pending)
    return len(pending)


@dataclass(frozen=True)
class InvitationState:
    invitation: Invitation | None
    status: str  # "valid" | "unknown" | "expired" | "used" | "revoked" | "inactive"


def find_invitation(token: str) -> InvitationState:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return InvitationState(None, "unknown")
    invitation = Invitation.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if invitation is None:
        return InvitationState(None, "unknown")
    if not invitation.user.is_active:
        return InvitationState(invitation, "inactive")
    if invitation.used_at is not None:
        return InvitationState(invitation, "used")
    if invitation.revoked_at is not None:
        return InvitationState(invitation, "revoked")
    if invitation.expires_at <= timezone.now():
        return InvitationState(invitation, "expired")
    return InvitationState(invitation, "valid")


def accept_invitation(invitation: Invitation, password: str) -> bool:
    """Set the password and spend the invitation (a conditional UPDATE: two tabs cannot both use
    it). Returns False when the link was spent, revoked or expired meanwhile."""
    now = timezone.now()
    with transaction.atomic():
        spent = Invitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not spent:
            return False
        user = invitation.user
        user.set_password(password)
        user.save(update_fields=["password"])
        Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        Notification.objects.filter(
            recipient=user, kind=DirectoryNotice.ACCOUNT_INVITATION, read_at__isnull=True
        ).update(read_at=now)
    return True


#: A new link is sent at most this often for one account from the public page.
RESEND_INTERVAL = dt.timedelta(minutes=5)


def resend_from_link(invitation: Invitation) -> bool:
    """The public "send me a new link" of an expired or replaced invitation: a new one goes to the
    account's own address, at most once per ``RESEND_INTERVAL``. Returns whether one was sent."""
    user = invitation.user
    if not user.is_active or not user.email or user.has_usable_password():
        return False
    recent = Invitation.objects.filter(user=user, created_at__gt=timezone.now() - RESEND_INTERVAL).exists()
    if recent:
        return False
    with transaction.atomic():
        return issue_invitations([user]) > 0


def invitation_status(user) -> str:
    """For the account list: "active" (password set), "invited", "revoked" (withdrawn, e.g. when
    the account was locked: reopening does not revive it, a new invitation must be sent),
    "expired", "none"."""
    if user.has_usable_password():
        return "active"
    latest = max(user.invitations.all(), key=lambda i: (i.created_at, i.pk), default=None)
    if latest is None:
        return "none"
    if latest.revoked_at is not None and latest.used_at is None:
        return "revoked"
    if latest.used_at is None and latest.expires_at > timezone.now():
        return "invited"
    return "expired"


# --- one account at a time --------------------------------------------------------------------------


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
    actor, *, agency_code: str, full_name: str, email: str, role: str, phone: str = "", person_code: str = ""
):
    """Add one new account (the import of one row) and return it. An address that already has an
    account is refused (``ExistingAccount``): a role is added on the account's own page."""
    existing = User.objects.filter(email__iexact=email.strip()).order_by("pk").first()
    if existing is not None:
        visible = visible_accounts(actor).filter(pk=existing.pk).exists()
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
    summary = apply_user_import([row], actor=actor, note=_("Thêm tài khoản"))
    return summary.new_users[0]


def _check_agency(actor, agency: Agency) -> None:
    if not in_reach(actor, agency):
        raise AccountError(_("Cơ quan này không thuộc phạm vi quản lý của anh/chị."))


def _check_role(actor, role: str) -> None:
    if role not in allowed_roles(actor):
        raise AccountError(_("Vai trò không hợp lệ."))


def _check_head(user, agency: Agency, role: str) -> None:
    if role != Role.HEAD:
        return
    other = (
        Membership.objects.filter(agency=agency, role=Role.HEAD, user__is_active=True)
        .exclude(user=user)
        .select_related("user")
        .first()
    )
    if other is not None:
        raise AccountError(
            _("%(agency)s đã có tài khoản Thủ trưởng: %(name)s; đổi vai trò hoặc khoá tài khoản đó trước.")
            % {"agency": agency.name, "name": user_display_name(other.user)}
        )


def _check_target(actor, user) -> None:
    """The administrator's account is the administrator's to change."""
    if user.is_superuser and not (actor is None or is_system_admin(actor)):
        raise AccountError(_("Chỉ quản trị hệ thống được đổi vai trò này."))


def _check_own_home_affairs(actor, membership: Membership) -> None:
    if actor is not None and membership.user_id == actor.pk and membership.role == Role.HOME_AFFAIRS:
        raise AccountError(_("Anh/chị không thể tự bỏ vai trò Nội vụ của mình."))


def add_role(actor, user, agency: Agency, role: str) -> Membership:
    _check_target(actor, user)
    _check_agency(actor, agency)
    _check_role(actor, role)
    if Membership.objects.filter(user=user, agency=agency, role=role).exists():
        raise AccountError(_("Tài khoản đã có vai trò này tại cơ quan này."))
    _check_head(user, agency, role)
    with transaction.atomic(), audit_context(actor, note=_("Thêm vai trò")):
        return Membership.objects.create(user=user, agency=agency, role=role)


def change_role(actor, membership: Membership, role: str) -> Membership:
    """Đổi vai trò: the membership's role becomes ``role`` (audited as a change of the membership)."""
    _check_target(actor, membership.user)
    _check_agency(actor, membership.agency)
    _check_role(actor, role)
    if membership.role == Role.SYSTEM_ADMIN and not (actor is None or is_system_admin(actor)):
        raise AccountError(_("Chỉ quản trị hệ thống được đổi vai trò này."))
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


def remove_role(actor, membership: Membership) -> None:
    _check_target(actor, membership.user)
    _check_agency(actor, membership.agency)
    if membership.role == Role.SYSTEM_ADMIN and not (actor is None or is_system_admin(actor)):
        raise AccountError(_("Chỉ quản trị hệ thống được đổi vai trò này."))
    _check_own_home_affairs(actor, membership)
    with transaction.atomic(), audit_context(actor, note=_("Bỏ vai trò")):
        membership.delete()


def _require_manages(actor, user) -> None:
    if not manages(actor, user):
        raise AccountError(
            _(
                "Tài khoản này có vai trò ở cơ quan ngoài phạm vi quản lý của anh/chị; "
                "chỉ quản trị hệ thống được thay đổi."
            )
        )


def set_active(actor, user, active: bool) -> None:
    """Khoá / mở lại tài khoản. An account is never deleted: its history keeps its name."""
    if actor is not None and user.pk == actor.pk:
        raise AccountError(_("Anh/chị không thể tự khoá tài khoản của mình."))
    _require_manages(actor, user)
    if user.is_active == active:
        return
    note = _("Mở lại tài khoản") if active else _("Khoá tài khoản")
    with transaction.atomic(), audit_context(actor, note=note):
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            Invitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )


def resend_invitation(actor, user) -> None:
    _require_manages(actor, user)
    if not user.is_active:
        raise AccountError(_("Tài khoản đang bị khoá; hãy mở lại trước khi gửi thư mời."))
    if not user.email:
        raise AccountError(_("Tài khoản chưa có địa chỉ thư điện tử."))
    if user.has_usable_password():
        raise AccountError(
            _("Tài khoản đã đặt mật khẩu; nếu quên, người dùng chọn “Quên mật khẩu?” ở trang đăng nhập.")
        )
    with transaction.atomic():
        issue_invitations([user], actor=actor)


def update_details(actor, user, *, full_name: str, phone: str) -> None:
    _require_manages(actor, user)
    full_name = normalise_name(full_name)
    if not full_name or len(full_name) > 150:
        raise AccountError(_("Họ và tên không hợp lệ."))
    phone = normalise_phone(phone) if phone else ""
    if phone and not _PHONE.match(phone):
        raise AccountError(_("Số điện thoại không hợp lệ."))
    with transaction.atomic(), audit_context(actor, note=_("Sửa thông tin tài khoản")):
        if user_display_name(user) != full_name:
            user.first_name, user.last_name = split_name(full_name)
            user.save(update_fields=["first_name", "last_name"])
        AccountProfile.objects.update_or_create(user=user, defaults={"phone": phone})
