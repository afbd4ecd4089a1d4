"""The platform's one model: the notification centre's message (thông báo), with its e-mail outbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """The platform's own kind. Each app declares its kinds in its ``notices.py`` and registers them
    with ``common.notifications.register_kinds``: the field has no fixed choices, so a new kind needs
    no migration, and the label comes from the registry (``Notification.kind_label``)."""

    OTHER = "other", _("Khác")


class EmailStatus(models.TextChoices):
    NOT_REQUESTED = "not_requested", _("Không gửi thư")
    NO_ADDRESS = "no_address", _("Không có địa chỉ thư")
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi thất bại")


class Notification(models.Model):
    """Thông báo: one message to one user, shown under the bell and optionally sent by e-mail.

    The e-mail is an outbox row: a sender claims it with a conditional UPDATE (status
    pending -> sending, with its claim token), so two senders never send the same message;
    a sender retried after a crash keeps its token and takes up its own claims again.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=32, default=NotificationKind.OTHER)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    content_object = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    email_status = models.CharField(
        _("trạng thái thư"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.NOT_REQUESTED
    )
    email_attempts = models.PositiveSmallIntegerField(_("số lần gửi thư"), default=0)
    email_error = models.TextField(_("lỗi gửi thư"), blank=True)
    email_claim = models.CharField(max_length=64, blank=True, editable=False)
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["email_status", "email_claimed_at"], name="notification_outbox_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(email_status__in=EmailStatus.values), name="notification_email_status_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="notification_title_not_empty"),
            models.CheckConstraint(
                condition=Q(email_status=EmailStatus.SENT, emailed_at__isnull=False)
                | (~Q(email_status=EmailStatus.SENT) & Q(emailed_at__isnull=True)),
                name="notification_emailed_at_iff_sent",
            ),
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="notification_object_ref_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        from .notifications import kind_label

        return kind_label(self.kind)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboxTask(models.Model):
    """Celery tasks waiting to be handed to the broker (``common.outbox``).

    A service writes the row in its own transaction; once that commits the row is claimed and its
    messages published. While the broker is unreachable the row stays unsent and the beat task
    ``common.relay_outbox`` sends it later, so what was committed is never lost and never shows a 500.
    The tasks are idempotent (each claims its own work), so a row sent twice is harmless."""

    task = models.CharField(_("tác vụ"), max_length=200)
    calls = models.JSONField(_("các lần gọi"), default=list)  # one list of arguments per message
    ref = models.CharField(max_length=100, blank=True, db_index=True)  # e.g. "dossier-job:12"
    request_id = models.CharField(max_length=64, blank=True)  # the log's request id, carried on
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("tác vụ chờ gửi")
        verbose_name_plural = _("tác vụ chờ gửi")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["created_at"], name="outbox_unsent_idx", condition=Q(sent_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.task} ×{len(self.calls)}"
