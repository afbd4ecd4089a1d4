"""Invitations (lời mời kích hoạt tài khoản): the one-time link a new account gets by e-mail to set
its first password, its public page's checks, and a new link on request.

Only a hash of the link's secret is stored; a link is valid ``settings.INVITATION_DAYS`` days and
once; a newer invitation revokes the older ones, and locking an account revokes its open ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.models import Notification
from common.notifications import build_notifications, queue_emails

from .models import Invitation
from .notices import DirectoryNotice


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


class AccountStatus(models.TextChoices):
    """An account as its list shows it: locked, or where its invitation stands."""

    LOCKED = "locked", gettext_lazy("Đã khoá")
    ACTIVE = "active", gettext_lazy("Đang hoạt động")
    INVITED = "invited", gettext_lazy("Chờ kích hoạt")
    REVOKED = "revoked", gettext_lazy("Lời mời đã thu hồi")
    EXPIRED = "expired", gettext_lazy("Lời mời hết hạn")
    NONE = "none", gettext_lazy("Chưa gửi lời mời")


def invitation_status(user) -> AccountStatus:
    """Where the account's invitation stands: "active" (password set), "invited", "revoked"
    (withdrawn, e.g. when the account was locked: reopening does not revive it, a new invitation
    must be sent), "expired", "none"."""
    if user.has_usable_password():
        return AccountStatus.ACTIVE
    latest = max(user.invitations.all(), key=lambda i: (i.created_at, i.pk), default=None)
    if latest is None:
        return AccountStatus.NONE
    if latest.revoked_at is not None and latest.used_at is None:
        return AccountStatus.REVOKED
    if latest.used_at is None and latest.expires_at > timezone.now():
        return AccountStatus.INVITED
    return AccountStatus.EXPIRED


def account_status(user) -> AccountStatus:
    """The account's badge: locked, else its invitation's status."""
    return invitation_status(user) if user.is_active else AccountStatus.LOCKED
