"""Deadline reminders (nhắc hạn): who is due a reminder now, claimed exactly once, then notified;
and, once the agency has acted, its reminders marked read.

Exactly once: a run inserts ``ReminderClaim(milestone, agency, offset)`` rows with ON CONFLICT DO
NOTHING and its own token, and writes notifications only for the rows carrying its token, in the
same transaction. Beat firing twice, two workers, a retry after a crash: the unique constraint
lets exactly one run own each reminder; a run that dies before committing owns nothing.
E-mails then leave through the notification outbox (common.notifications), one Celery task per
batch of recipients, each e-mail claimed again there. An agency granted an extension (gia hạn) is
reminded against its extended day. When a reminder is due: ``schedule``; what a run reads: ``queries``.

Reminders are the portal acting on its own: no actor, no reach rule about a person; the recipients
are those who hold the staff or head role over each agency (``agencies.rules.holders``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import Agency, Role
from agencies.rules import AGENCY_RECIPIENT_ROLES, agency_ids_with_role, holders, holders_by_agency
from campaigns.models import VN_TZ, Milestone
from common.models import EmailStatus, Notification
from common.notifications import new_token, queue_emails
from registrations.models import DeadlineExtension, Registration
from registrations.notices import RegistrationNotice

from .models import AFTER_DEADLINE, ReminderClaim
from .queries import agency_reminder_urls, candidate_milestones, pending_reasons, reminder_url
from .schedule import REMINDED_KINDS, Window, current_window


def email_batch_size() -> int:
    return getattr(settings, "REMINDER_EMAIL_BATCH", 100)


@dataclass
class RunSummary:
    now: dt.datetime
    milestones: int = 0
    reminders: int = 0  # (agency, milestone, offset) claimed by this run
    notifications: int = 0
    email_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    text_now: dt.datetime | None = None

    def __str__(self) -> str:
        return _("Nhắc hạn lúc %(now)s: %(m)d mốc, %(r)d lượt nhắc, %(n)d thông báo, %(e)d thư chờ gửi.") % {
            "now": date_format(timezone.localtime(self.now), "d/m/Y H:i"),
            "m": self.milestones,
            "r": self.reminders,
            "n": self.notifications,
            "e": len(self.email_ids),
        }


def run_due_reminders(
    now: dt.datetime | None = None,
    *,
    dispatch: Callable[[list[int]], None] | None = queue_emails,
    email: bool = True,
    campaign=None,
    text_now: dt.datetime | None = None,
) -> RunSummary:
    """Find every reminder due at ``now``, claim it, write its notifications, and hand the
    e-mails to ``dispatch`` (by default: Celery tasks in batches, after commit). The same code
    runs from the beat task and from ``manage.py send_due_reminders``. ``email=False`` writes
    bell notifications only; ``campaign`` limits the run to one campaign and ``text_now`` is the
    moment the "days left" in the text count from (both for the demo, which runs ahead of time)."""
    started = time.perf_counter()
    now = now or timezone.now()
    summary = RunSummary(now=now)
    summary.text_now = text_now or now
    milestones = candidate_milestones(now)
    if campaign is not None:
        milestones = milestones.filter(campaign=campaign)
    with translation.override(settings.LANGUAGE_CODE):
        for milestone in milestones:
            summary.milestones += 1
            _remind_milestone(milestone, now, summary, dispatch, email)
    summary.seconds = time.perf_counter() - started
    return summary


def _remind_milestone(milestone: Milestone, now: dt.datetime, summary: RunSummary, dispatch, email) -> None:
    campaign = milestone.campaign
    reasons = pending_reasons(milestone)
    if not reasons:
        return
    extensions = dict(
        DeadlineExtension.objects.filter(
            milestone=milestone, extended_until__gt=milestone.due_on
        ).values_list("agency_id", "extended_until")
    )
    by_window: dict[Window, list[int]] = defaultdict(list)
    default = current_window(milestone.due_on, campaign.reminder_offsets, campaign.remind_after_deadline, now)
    for agency_id in reasons:
        if agency_id in extensions:
            window = current_window(
                extensions[agency_id], campaign.reminder_offsets, campaign.remind_after_deadline, now
            )
        else:
            window = default
        if window is not None:
            by_window[window].append(agency_id)
    for window, agency_ids in by_window.items():
        # Each window commits on its own and its e-mails leave at once: a run that crashes later
        # has already handed over what it claimed (the sweeper catches the rare gap in between).
        email_ids = _claim_and_notify(milestone, window, agency_ids, reasons, extensions, now, summary, email)
        if dispatch is not None and email_ids:
            size = email_batch_size()
            for start in range(0, len(email_ids), size):
                dispatch(email_ids[start : start + size])


@transaction.atomic
def _claim_and_notify(milestone, window, agency_ids, reasons, extensions, now, summary, email) -> list[int]:
    token = new_token()
    ReminderClaim.objects.bulk_create(
        [
            ReminderClaim(
                milestone=milestone, agency_id=a, offset_days=window.offset_days, claimed_at=now, token=token
            )
            for a in agency_ids
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    mine = list(
        ReminderClaim.objects.filter(token=token, milestone=milestone, offset_days=window.offset_days)
        .order_by("agency_id")
        .values_list("agency_id", flat=True)
    )
    if not mine:
        return []
    summary.reminders += len(mine)
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=mine).only("pk", "name", "path")}
    users_by_agency = holders_by_agency(agencies.values(), *AGENCY_RECIPIENT_ROLES)
    user_ids = {u for users in users_by_agency.values() for u in users}
    emails = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email"))
    content_type = ContentType.objects.get_for_model(Milestone)
    urls = agency_reminder_urls(milestone, mine)
    rows = []
    texts: dict[tuple, tuple[str, str]] = {}  # the same words for every agency but its name
    for agency_id in mine:
        key = (reasons[agency_id], extensions.get(agency_id, milestone.due_on))
        if key not in texts:
            texts[key] = reminder_text(
                milestone, window.offset_days, key[0], "\x00", key[1], summary.text_now
            )
        title, body = texts[key]
        body = body.replace("\x00", agencies[agency_id].name)
        for user_id in users_by_agency.get(agency_id, []):
            rows.append(
                Notification(
                    recipient_id=user_id,
                    kind=RegistrationNotice.DEADLINE_REMINDER,
                    title=title[:255],
                    body=body,
                    url=urls.get(agency_id) or reminder_url(milestone),
                    content_type=content_type,
                    object_id=milestone.pk,
                    created_at=now if now <= timezone.now() else timezone.now(),
                    email_status=(
                        EmailStatus.NOT_REQUESTED
                        if not email
                        else EmailStatus.PENDING
                        if emails.get(user_id)
                        else EmailStatus.NO_ADDRESS
                    ),
                )
            )
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    summary.notifications += len(created)
    email_ids = [n.pk for n in created if n.email_status == EmailStatus.PENDING]
    summary.email_ids += email_ids
    return email_ids


REASONS = {
    "unregistered": lambda: _("Đơn vị chưa gửi đăng ký thi đua."),
    "unconfirmed": lambda: _("Đăng ký thi đua của đơn vị chưa được thủ trưởng xác nhận."),
    "no_report": lambda: _("Đơn vị chưa gửi báo cáo tổng kết, hồ sơ đề nghị khen thưởng."),
}


def reminder_text(milestone, offset_days, reason, agency_name, due_on, now) -> tuple[str, str]:
    campaign = milestone.campaign
    today = now.astimezone(VN_TZ).date()
    days_left = (due_on - today).days
    what = str(milestone)
    date = date_format(due_on, "d/m/Y")
    if offset_days == AFTER_DEADLINE or days_left < 0:
        title = _("Đã quá hạn: %(what)s (hết ngày %(date)s)") % {"what": what, "date": date}
        tail = _("Đề nghị liên hệ Phòng/Sở Nội vụ nếu cần gia hạn.")
    elif days_left == 0:
        title = _("Hôm nay là hạn cuối: %(what)s") % {"what": what}
        tail = _("Đề nghị hoàn thành trước hết ngày hôm nay.")
    else:
        title = _("Nhắc hạn: %(what)s – còn %(n)d ngày (hết ngày %(date)s)") % {
            "what": what,
            "n": days_left,
            "date": date,
        }
        tail = _("Đề nghị hoàn thành trước hạn.")
    body = "\n".join(
        [
            _("Kế hoạch: %(campaign)s") % {"campaign": campaign.title},
            _("Cơ quan, đơn vị: %(agency)s") % {"agency": agency_name},
            _("Hạn cuối: hết ngày %(date)s") % {"date": date},
            REASONS[reason](),
            tail,
        ]
    )
    return title, body


# --- resolving reminders once the agency has acted ----------------------------------------------------


def resolve_reminders(registration: Registration, now: dt.datetime | None = None) -> int:
    """Mark read the deadline reminders the agency has now acted on (none stays "unread" after the
    agency did what it reminded of). Registration deadline: once the registration is sent, the staff's
    part is done; once the head confirms (or home affairs accepts), everyone's. Report deadline: once
    the report is sent. A user who also answers for another agency still pending on the same
    milestone keeps the reminder. Returns the number of notifications marked read."""
    now = now or timezone.now()
    agency = registration.agency
    content_type = ContentType.objects.get_for_model(Milestone)
    milestones = Milestone.objects.filter(
        campaign_id=registration.campaign_id, kind__in=REMINDED_KINDS
    ).filter(Q(round_id=registration.round_id) | Q(round__isnull=True))
    done = 0
    for milestone in milestones.select_related("campaign"):
        reason = pending_reasons(milestone, [agency.pk]).get(agency.pk)
        roles: tuple[str, ...]
        if reason is None:
            roles = AGENCY_RECIPIENT_ROLES
        elif reason == "unconfirmed":
            roles = (Role.STAFF,)  # the staff sent it; the head has still to confirm
        else:
            continue
        unread = Notification.objects.filter(
            kind=RegistrationNotice.DEADLINE_REMINDER,
            content_type=content_type,
            object_id=milestone.pk,
            read_at__isnull=True,
        )
        reminded = unread.filter(recipient__in=holders(agency, *roles)).values("recipient_id")
        users = list(get_user_model().objects.filter(pk__in=reminded))
        if not users:
            continue
        # Those who also answer for another agency still pending on this milestone keep it.
        elsewhere = {u.pk: agency_ids_with_role(u, *AGENCY_RECIPIENT_ROLES) - {agency.pk} for u in users}
        others = set().union(*elsewhere.values())
        still = pending_reasons(milestone, others).keys() if others else set()
        user_ids = [u.pk for u in users if not elsewhere[u.pk] & still]
        done += unread.filter(recipient_id__in=user_ids).update(read_at=now)
    return done
