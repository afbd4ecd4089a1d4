"""Deadline reminders (nhắc hạn): who is due a reminder now, claimed exactly once, then notified.

Schedule: for a milestone whose last valid day is ``due_on``, the reminder "k days before" is
due from ``REMINDER_HOUR`` (08:00, Vietnam time) on ``due_on - k`` until the next reminder of the
same milestone becomes due (the last one until the deadline itself, the end of ``due_on``). With
``remind_after_deadline``, one more is due on the day after ``due_on`` (offset -1), for that day.
A reminder whose window passed while beat was down is not sent late: the current one is.
An agency granted an extension (gia hạn) is reminded against its extended day.

Exactly once: a run inserts ``ReminderClaim(milestone, agency, offset)`` rows with ON CONFLICT DO
NOTHING and its own token, and writes notifications only for the rows carrying its token, in the
same transaction. Beat firing twice, two workers, a retry after a crash: the unique constraint
lets exactly one run own each reminder; a run that dies before committing owns nothing.
E-mails then leave through the notification outbox (common.notifications), one Celery task per
batch of recipients, each e-mail claimed again there.
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
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import Agency, Membership, Role
from agencies.rules import AGENCY_RECIPIENT_ROLES
from campaigns.models import VN_TZ, CampaignState, Milestone, MilestoneKind
from common.models import EmailStatus, Notification
from common.notifications import new_token, queue_emails
from common.parsing import int_param
from registrations import services as registrations
from registrations.models import DeadlineExtension, Registration
from registrations.notices import RegistrationNotice

from .models import AFTER_DEADLINE, ReminderClaim

#: Milestones that ask something of the targeted agencies; the others get no reminders.
REMINDED_KINDS = (MilestoneKind.REGISTRATION_DEADLINE, MilestoneKind.REPORT_DEADLINE)


def reminder_hour() -> int:
    return getattr(settings, "REMINDER_HOUR", 8)


def email_batch_size() -> int:
    return getattr(settings, "REMINDER_EMAIL_BATCH", 100)


@dataclass(frozen=True)
class Window:
    offset_days: int
    starts: dt.datetime
    ends: dt.datetime

    def contains(self, now: dt.datetime) -> bool:
        return self.starts <= now < self.ends


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=VN_TZ)


def clean_offsets(offsets) -> list[int]:
    """Positive whole days, largest first, without repeats; anything else is ignored."""
    out = set()
    for value in offsets or []:
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and value > 0:
            out.add(value)
        elif isinstance(value, str) and (days := int_param(value, minimum=1, maximum=3660)) is not None:
            out.add(days)
    return sorted(out, reverse=True)


def schedule(due_on: dt.date, offsets, after_deadline: bool) -> list[Window]:
    """The reminder windows of a milestone whose last valid day is ``due_on``."""
    hour = reminder_hour()
    deadline = dt.datetime.combine(due_on + dt.timedelta(days=1), dt.time(0), tzinfo=VN_TZ)
    starts = [(k, _at(due_on - dt.timedelta(days=k), hour)) for k in clean_offsets(offsets)]
    windows = []
    for i, (k, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else deadline
        if start < end:
            windows.append(Window(k, start, min(end, deadline)))
    if after_deadline:
        start = _at(due_on + dt.timedelta(days=1), hour)
        windows.append(Window(AFTER_DEADLINE, start, deadline + dt.timedelta(days=1)))
    return windows


def current_window(due_on: dt.date, offsets, after_deadline: bool, now: dt.datetime) -> Window | None:
    return next((w for w in schedule(due_on, offsets, after_deadline) if w.contains(now)), None)


def candidate_milestones(now: dt.datetime):
    """Milestones of published campaigns that may have a reminder window open now (a generous
    date range; extensions can push an agency's day later, so those milestones are included)."""
    today = now.astimezone(VN_TZ).date()
    longest = 400  # days; offsets beyond this are not meaningful
    extended = DeadlineExtension.objects.filter(extended_until__gte=today - dt.timedelta(days=2)).values(
        "milestone_id"
    )
    return (
        Milestone.objects.filter(
            campaign__state=CampaignState.PUBLISHED,
            kind__in=REMINDED_KINDS,
        )
        .filter(
            Q(due_on__gte=today - dt.timedelta(days=2), due_on__lte=today + dt.timedelta(days=longest))
            | Q(pk__in=extended)
        )
        .select_related("campaign", "round")
        .order_by("due_on", "pk")
    )


@dataclass
class Pending:
    """Targeted agencies that have not yet done what the milestone asks, by reason."""

    reasons: dict[int, str] = field(default_factory=dict)  # agency id -> reason code


def pending_agencies(milestone: Milestone) -> Pending:
    pending = Pending()
    if milestone.kind == MilestoneKind.REGISTRATION_DEADLINE:
        unregistered = set(
            registrations.agencies_without_registration(milestone).values_list("pk", flat=True)
        )
        for agency_id in registrations.agencies_not_confirmed(milestone).values_list("pk", flat=True):
            pending.reasons[agency_id] = "unregistered" if agency_id in unregistered else "unconfirmed"
        for agency_id in unregistered:  # not_confirmed covers these, but do not rely on it
            pending.reasons.setdefault(agency_id, "unregistered")
    elif milestone.kind == MilestoneKind.REPORT_DEADLINE:
        for agency_id in registrations.agencies_without_final_report(milestone).values_list("pk", flat=True):
            pending.reasons[agency_id] = "no_report"
    return pending


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
    pending = pending_agencies(milestone)
    if not pending.reasons:
        return
    extensions = dict(
        DeadlineExtension.objects.filter(
            milestone=milestone, extended_until__gt=milestone.due_on
        ).values_list("agency_id", "extended_until")
    )
    by_window: dict[Window, list[int]] = defaultdict(list)
    default = current_window(milestone.due_on, campaign.reminder_offsets, campaign.remind_after_deadline, now)
    for agency_id in pending.reasons:
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
        email_ids = _claim_and_notify(milestone, window, agency_ids, pending, extensions, now, summary, email)
        if dispatch is not None and email_ids:
            size = email_batch_size()
            for start in range(0, len(email_ids), size):
                dispatch(email_ids[start : start + size])


@transaction.atomic
def _claim_and_notify(milestone, window, agency_ids, pending, extensions, now, summary, email) -> list[int]:
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
    users_by_agency: dict[int, list[int]] = defaultdict(list)
    for agency_id, user_id in (
        Membership.objects.filter(agency_id__in=mine, role__in=AGENCY_RECIPIENT_ROLES, user__is_active=True)
        .values_list("agency_id", "user_id")
        .distinct()
        .order_by("agency_id", "user_id")
    ):
        if user_id not in users_by_agency[agency_id]:
            users_by_agency[agency_id].append(user_id)
    user_ids = {u for users in users_by_agency.values() for u in users}
    emails = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email"))
    names = dict(Agency.objects.filter(pk__in=mine).values_list("pk", "name"))
    content_type = ContentType.objects.get_for_model(Milestone)
    urls = agency_reminder_urls(milestone, mine)
    rows = []
    texts: dict[tuple, tuple[str, str]] = {}  # the same words for every agency but its name
    for agency_id in mine:
        key = (pending.reasons[agency_id], extensions.get(agency_id, milestone.due_on))
        if key not in texts:
            texts[key] = reminder_text(
                milestone, window.offset_days, key[0], "\x00", key[1], summary.text_now
            )
        title, body = texts[key]
        body = body.replace("\x00", names[agency_id])
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


def reminder_url(milestone: Milestone) -> str:
    """Where the agency acts: its registrations page (registration and final report)."""
    for name, args in (("registrations:index", []), ("campaigns:detail", [milestone.campaign.code])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def agency_reminder_urls(milestone: Milestone, agency_ids) -> dict[int, str]:
    """The record each agency acts on: its registration (registration deadline) or its final report
    (report deadline) in the milestone's round; agencies without a registration get none (the
    registrations page, where they start one, is the fallback)."""
    registrations_qs = Registration.objects.filter(
        campaign_id=milestone.campaign_id, agency_id__in=agency_ids
    )
    if milestone.round_id:
        registrations_qs = registrations_qs.filter(round_id=milestone.round_id)
    name = (
        "registrations:report" if milestone.kind == MilestoneKind.REPORT_DEADLINE else "registrations:detail"
    )
    urls: dict[int, str] = {}
    for agency_id, pk in registrations_qs.order_by("agency_id", "-round__starts_on", "-pk").values_list(
        "agency_id", "pk"
    ):
        urls.setdefault(agency_id, reverse(name, args=[pk]))
    return urls


# --- resolving reminders once the agency has acted ----------------------------------------------------


def _pending_reasons(milestone: Milestone, agency_ids) -> dict[int, str]:
    """``pending_agencies`` limited to these agencies (a few rows, not the whole plan)."""
    agency_ids = list(agency_ids)
    reasons: dict[int, str] = {}
    if milestone.kind == MilestoneKind.REGISTRATION_DEADLINE:
        for agency_id in (
            registrations.agencies_not_confirmed(milestone)
            .filter(pk__in=agency_ids)
            .values_list("pk", flat=True)
        ):
            reasons[agency_id] = "unconfirmed"
        for agency_id in (
            registrations.agencies_without_registration(milestone)
            .filter(pk__in=agency_ids)
            .values_list("pk", flat=True)
        ):
            reasons[agency_id] = "unregistered"
    elif milestone.kind == MilestoneKind.REPORT_DEADLINE:
        for agency_id in (
            registrations.agencies_without_final_report(milestone)
            .filter(pk__in=agency_ids)
            .values_list("pk", flat=True)
        ):
            reasons[agency_id] = "no_report"
    return reasons


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
        reason = _pending_reasons(milestone, [agency.pk]).get(agency.pk)
        if reason is None:
            roles = AGENCY_RECIPIENT_ROLES
        elif reason == "unconfirmed":
            roles = (Role.STAFF,)
        else:
            continue
        unread = Notification.objects.filter(
            kind=RegistrationNotice.DEADLINE_REMINDER,
            content_type=content_type,
            object_id=milestone.pk,
            read_at__isnull=True,
            recipient__memberships__agency=agency,
            recipient__memberships__role__in=roles,
        )
        user_ids = set(unread.values_list("recipient_id", flat=True))
        if not user_ids:
            continue
        elsewhere = list(
            Membership.objects.filter(user_id__in=user_ids, role__in=AGENCY_RECIPIENT_ROLES)
            .exclude(agency=agency)
            .values_list("agency_id", "user_id")
        )
        if elsewhere:
            still = _pending_reasons(milestone, {agency_id for agency_id, _user in elsewhere})
            user_ids -= {user_id for agency_id, user_id in elsewhere if agency_id in still}
        done += Notification.objects.filter(
            kind=RegistrationNotice.DEADLINE_REMINDER,
            content_type=content_type,
            object_id=milestone.pk,
            read_at__isnull=True,
            recipient_id__in=user_ids,
        ).update(read_at=now)
    return done


def parse_now(value: str) -> dt.datetime:
    """``2026-03-10T08:00`` (Vietnam time unless an offset is given) -> aware datetime."""
    parsed = dt.datetime.fromisoformat(value)
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=VN_TZ)
    return parsed
