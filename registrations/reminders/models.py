"""Reminder claims (nhắc hạn): one row per reminder that was sent, so none is sent twice."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from campaigns.models import Milestone

#: ``offset_days`` of the reminder sent on the day after a missed deadline.
AFTER_DEADLINE = -1


class ReminderClaim(models.Model):
    """The reminder for (agency, milestone, offset) has been claimed and its notifications written.

    Rows are inserted with ON CONFLICT DO NOTHING and a per-run token; a run only sends the
    reminders whose row carries its own token (healthchecks' ``sendalerts`` claim pattern).
    The unique constraint is what makes a reminder exactly-once, whatever fires it.
    """

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("mốc thời gian"), on_delete=models.CASCADE, related_name="reminder_claims"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="reminder_claims"
    )
    offset_days = models.SmallIntegerField(
        _("số ngày trước hạn"), help_text=_("-1: nhắc vào ngày sau khi đã quá hạn.")
    )
    claimed_at = models.DateTimeField(_("thời điểm gửi"))
    token = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("lần nhắc hạn")
        verbose_name_plural = _("lần nhắc hạn")
        ordering = ["-claimed_at", "milestone", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "agency", "offset_days"], name="reminder_once_per_agency_offset"
            ),
            models.CheckConstraint(
                condition=Q(offset_days__gte=AFTER_DEADLINE), name="reminder_offset_valid"
            ),
        ]
        indexes = [models.Index(fields=["token"], name="reminder_claim_token_idx")]

    def __str__(self) -> str:
        return f"{self.milestone} – {self.agency} – {self.offset_days}"
