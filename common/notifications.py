"""The notification centre (trung tâm thông báo): one small service for every app.

``notify(recipients, kind, obj, title=..., body=..., url=...)`` writes one Notification per
user (shown under the bell; an agency given as recipient stands for its staff and head, through the
recipient registry the directory fills) in the caller's transaction and, once that transaction commits,
queues the e-mails to a Celery task (``common.tasks.send_notification_emails``).

E-mail is an outbox with claims (healthchecks' ``sendalerts`` pattern): a sender turns rows
from *pending* to *sending* with a conditional UPDATE carrying its claim token, sends, and
marks each row *sent* right after its message went out. Two senders never hold the same row;
a sender redelivered after a crash has the same token (the Celery task id) and resumes its own
claims; claims older than ``NOTIFY_EMAIL_LEASE_SECONDS`` are taken over by the sweeper.
SMTP errors put the row back to *pending* with the error and the attempt count; after
``NOTIFY_EMAIL_MAX_ATTEMPTS`` it becomes *failed* and shows in the admin list of failed sends.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import EmailStatus, Notification, NotificationKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)


# --- registries: the kinds of notification, and who stands for a record addressed as recipient ------


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    #: What the e-mail's link does, where "Xem chi tiết" would not say it ("Đặt mật khẩu").
    link_label: StrOrPromise = ""


_KINDS: dict[str, Kind] = {}
_RECIPIENTS: dict[type, Callable[[list[int]], list[int]]] = {}


def register_kinds(
    choices: type[models.TextChoices], link_labels: dict[str, StrOrPromise] | None = None
) -> None:
    """Declare an app's notification kinds (its ``notices.py``, a ``TextChoices``), from its
    ``AppConfig.ready``. A code names one kind in the whole portal."""
    for value, label in choices.choices:
        known = _KINDS.get(value)
        if known is not None and known.label != label:
            raise ImproperlyConfigured(f"Notification kind {value!r} is declared twice")
        _KINDS[value] = Kind(value, label, (link_labels or {}).get(value, ""))


register_kinds(NotificationKind)


def kind_label(code: str) -> str:
    kind = _KINDS.get(code)
    return str(kind.label) if kind else str(NotificationKind.OTHER.label)


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in sorted(_KINDS.values(), key=lambda k: str(k.label))]


def register_recipients(model: type[models.Model], user_ids_for: Callable[[list[int]], list[int]]) -> None:
    """Let ``notify`` address records of ``model`` (the directory registers ``Agency``: its staff and
    head). ``user_ids_for`` takes the records' ids and returns the ids of the active users they stand for."""
    _RECIPIENTS[model] = user_ids_for


def email_lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "NOTIFY_EMAIL_LEASE_SECONDS", 600))


def max_attempts() -> int:
    return getattr(settings, "NOTIFY_EMAIL_MAX_ATTEMPTS", 5)


def retry_delay(attempt: int) -> float:
    """Exponential backoff: base, 2*base, 4*base... seconds (base 60 by default)."""
    base: float = getattr(settings, "NOTIFY_EMAIL_RETRY_BASE_SECONDS", 60)
    return float(base * 2 ** max(attempt - 1, 0))


def default_url(obj: object) -> str:
    """Where a notification about ``obj`` leads when the caller names no address: the record's own
    page (``get_absolute_url``), so every notification links to its record."""
    get_url = getattr(obj, "get_absolute_url", None)
    return str(get_url()) if callable(get_url) else ""


def resolve_recipients(recipients: Any) -> list[int]:
    """User ids for a mix of users, user querysets and records of a registered model (an agency stands
    for its staff and head users). Inactive users are left out; duplicates removed, order kept."""
    user_model = get_user_model()
    if isinstance(recipients, models.Model) or not isinstance(recipients, Iterable):
        recipients = [recipients]
    user_ids: list[int] = []
    by_model: dict[type, list[int]] = {}
    if isinstance(recipients, models.QuerySet):
        if issubclass(recipients.model, user_model):
            user_ids = list(recipients.filter(is_active=True).values_list("pk", flat=True))
        elif recipients.model in _RECIPIENTS:
            by_model[recipients.model] = list(recipients.values_list("pk", flat=True))
        else:
            raise TypeError(f"notify() cannot address a queryset of {recipients.model.__name__}")
    else:
        for item in recipients:
            if isinstance(item, user_model):
                if item.is_active:
                    user_ids.append(item.pk)
            elif type(item) in _RECIPIENTS:
                by_model.setdefault(type(item), []).append(item.pk)
            else:
                raise TypeError(
                    f"notify() recipients are users or registered records, not {type(item).__name__}"
                )
    for model, ids in by_model.items():
        user_ids += _RECIPIENTS[model](ids)
    return list(dict.fromkeys(user_ids))


def build_notifications(
    user_ids: Iterable[int],
    kind: str,
    obj: models.Model | None = None,
    *,
    title: StrOrPromise,
    body: StrOrPromise = "",
    url: str = "",
    email: bool = True,
    emails_by_user: dict[int, str] | None = None,
    now: datetime | None = None,
) -> list[Notification]:
    """Unsaved Notification rows (for ``bulk_create``), one per user id."""
    user_ids = list(user_ids)
    if email and emails_by_user is None:
        emails_by_user = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email"))
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    now = now or timezone.now()
    rows = []
    for user_id in user_ids:
        if not email:
            status = EmailStatus.NOT_REQUESTED
        elif emails_by_user and emails_by_user.get(user_id):
            status = EmailStatus.PENDING
        else:
            status = EmailStatus.NO_ADDRESS
        rows.append(
            Notification(
                recipient_id=user_id,
                kind=kind,
                title=str(title)[:255],
                body=str(body),
                url=str(url),
                content_type=content_type,
                object_id=obj.pk if obj is not None else None,
                created_at=now,
                email_status=status,
            )
        )
    return rows


def notify(
    recipients: Any,
    kind: str,
    obj: models.Model | None = None,
    *,
    title: StrOrPromise,
    body: StrOrPromise = "",
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify users (or agencies: their staff and head) of an event about ``obj``.

    ``title``/``body`` are shown as given (pass Vietnamese source strings through gettext);
    ``url`` is where the notification leads (by default the record's ``get_absolute_url``). The bell
    entries are written now, inside the caller's transaction; the e-mails are queued once it commits.
    """
    user_ids = resolve_recipients(recipients)
    if not user_ids:
        return []
    url = url or default_url(obj)
    rows = Notification.objects.bulk_create(
        build_notifications(user_ids, kind, obj, title=title, body=body, url=url, email=email)
    )
    pending = [n.pk for n in rows if n.email_status == EmailStatus.PENDING]
    if pending:
        queue_emails(pending)
    return rows


def queue_emails(notification_ids: list[int], batch_size: int = 100) -> None:
    """Send the e-mails of these notifications from Celery tasks (one per batch), handed to the
    broker through the outbox once the transaction commits (``common.outbox``)."""
    from . import outbox

    ids = notification_ids
    batches = [[ids[start : start + batch_size]] for start in range(0, len(ids), batch_size)]
    if batches:
        outbox.send("common.send_notification_emails", batches, what=_("gửi thư thông báo"))


# --- e-mail outbox ----------------------------------------------------------------------------------


def claim_emails(notification_ids: Iterable[int], token: str, now: datetime | None = None) -> list[int]:
    """Claim the pending e-mails among these ids for ``token`` (one conditional UPDATE) and
    return the ids this token holds. Rows held by another live claim are left alone."""
    now = now or timezone.now()
    ids = list(notification_ids)
    claimable = Q(email_status=EmailStatus.PENDING) | Q(
        Q(email_status=EmailStatus.SENDING)
        & (Q(email_claim=token) | Q(email_claimed_at__lt=now - email_lease()))
    )
    Notification.objects.filter(Q(pk__in=ids) & claimable).update(
        email_status=EmailStatus.SENDING, email_claim=token, email_claimed_at=now
    )
    return list(
        Notification.objects.filter(pk__in=ids, email_status=EmailStatus.SENDING, email_claim=token)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def render_email(notification: Notification) -> EmailMultiAlternatives:
    site = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    url = notification.url
    if url.startswith("/") and site:
        url = site + url
    context = {
        "notification": notification,
        "url": url,
        "recipient": notification.recipient,
        # What the link does, where "Xem chi tiết" would not say it.
        "link_label": str(_KINDS[notification.kind].link_label) if notification.kind in _KINDS else "",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("common/notifications_email_subject.txt", context).strip()
        text = render_to_string("common/notifications_email.txt", context)
        html = render_to_string("common/notifications_email.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[notification.recipient.email]
    )
    message.attach_alternative(html, "text/html")
    return message


#: Errors of the outside world worth a retry: SMTP refusals, network errors, timeouts.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def send_claimed_emails(notification_ids: Iterable[int], token: str) -> tuple[int, list[int]]:
    """Send the e-mails this token has claimed (or can claim). Each row is marked sent right
    after its message is accepted. Returns (number sent, ids to retry later)."""
    claimed = claim_emails(notification_ids, token)
    if not claimed:
        return 0, []
    notifications = Notification.objects.filter(pk__in=claimed).select_related("recipient").order_by("pk")
    sent = 0
    retry: list[int] = []
    # One connection (one SMTP session) for the batch; reopened after an error.
    connection = get_connection(fail_silently=False)
    _open(connection)
    try:
        for notification in notifications:
            try:
                message = render_email(notification)
                message.connection = connection
                message.send()
            except TRANSIENT_ERRORS as exc:
                attempts = notification.email_attempts + 1
                final = attempts >= max_attempts()
                Notification.objects.filter(pk=notification.pk, email_claim=token).update(
                    email_status=EmailStatus.FAILED if final else EmailStatus.PENDING,
                    email_attempts=attempts,
                    email_error=f"{type(exc).__name__}: {exc}"[:2000],
                    email_claim="",
                    # Time of the last attempt: the sweeper leaves the row to its retry until long after.
                    email_claimed_at=timezone.now(),
                )
                logger.warning(
                    "E-mail of notification %s failed (attempt %s): %s", notification.pk, attempts, exc
                )
                if not final:
                    retry.append(notification.pk)
                with contextlib.suppress(*TRANSIENT_ERRORS):
                    connection.close()
                _open(connection)
                continue
            Notification.objects.filter(pk=notification.pk, email_claim=token).update(
                email_status=EmailStatus.SENT,
                email_attempts=notification.email_attempts + 1,
                email_error="",
                emailed_at=timezone.now(),
            )
            sent += 1
    finally:
        with contextlib.suppress(*TRANSIENT_ERRORS):
            connection.close()
    return sent, retry


def _open(connection: Any) -> None:
    """Open the connection now if the server answers; if not, each send retries and reports."""
    with contextlib.suppress(*TRANSIENT_ERRORS):
        connection.open()


def send_emails_now(notification_ids: list[int], batch_size: int = 100) -> int:
    """Send these e-mails in this process (management commands, eager mode), retrying SMTP
    errors at once until each is sent or out of attempts. Returns the number sent."""
    token = new_token()
    sent = 0
    for start in range(0, len(notification_ids), batch_size):
        retry = notification_ids[start : start + batch_size]
        while retry:
            more, retry = send_claimed_emails(retry, token)
            sent += more
    return sent


def stale_email_ids(now: datetime | None = None, grace: timedelta | None = None) -> list[int]:
    """E-mails that no task is working on: pending for longer than ``grace`` (their task was lost),
    pending long after their last failed attempt (the retry was lost), or claimed longer ago than
    the lease (their sender died). Dispatching one twice is harmless: the claim decides."""
    now = now or timezone.now()
    grace = grace if grace is not None else email_lease()
    retry_lost = now - grace - timedelta(seconds=retry_delay(max_attempts()))
    return list(
        Notification.objects.filter(
            Q(email_status=EmailStatus.PENDING, email_attempts=0, created_at__lt=now - grace)
            | Q(email_status=EmailStatus.PENDING, email_attempts__gt=0, email_claimed_at__lt=retry_lost)
            | Q(email_status=EmailStatus.SENDING, email_claimed_at__lt=now - email_lease())
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:10000]
    )


def requeue_failed(notification_ids: Iterable[int]) -> int:
    """Admin action: put failed e-mails back in the outbox with a fresh attempt budget."""
    ids = list(
        Notification.objects.filter(
            pk__in=list(notification_ids), email_status=EmailStatus.FAILED
        ).values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=ids).update(email_status=EmailStatus.PENDING, email_attempts=0)
    if ids:
        queue_emails(ids)
    return len(ids)


def new_token() -> str:
    return uuid.uuid4().hex


# --- reading ------------------------------------------------------------------------------------------


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all unread ones when ids is None) as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
