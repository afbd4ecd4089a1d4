"""Demo reminders: the bell of ``canbo`` (staff of p-binhtan) shows the reminder of demo-2027's
next deadline right after ``load_demo``.

The reminder is the one whose window is open now, or else the first one of the next reminded
deadline, written as the beat run at that moment would write it (bell only, no e-mail).
Idempotent: the claim rows keep a second load from writing it again.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaigns.models import Campaign, CampaignState
from demo import Output
from registrations.reminders.domain import run_due_reminders
from registrations.reminders.schedule import REMINDED_KINDS, schedule


def demo_moment(campaign: Campaign, now: dt.datetime | None = None) -> dt.datetime | None:
    """Now, if a reminder window of the campaign is open, else the start of the next one."""
    now = now or timezone.now()
    starts = []
    for milestone in campaign.milestones.filter(kind__in=REMINDED_KINDS).order_by("due_on"):
        for window in schedule(milestone.due_on, campaign.reminder_offsets, campaign.remind_after_deadline):
            if window.contains(now):
                return now
            if window.starts > now:
                starts.append(window.starts)
    return min(starts) if starts else None


def load(stdout: Output | None = None) -> None:
    campaign = Campaign.objects.filter(code="demo-2027", state=CampaignState.PUBLISHED).first()
    if campaign is None:
        return
    moment = demo_moment(campaign)
    if moment is None:
        return
    summary = run_due_reminders(
        moment, dispatch=None, email=False, campaign=campaign, text_now=timezone.now()
    )
    if stdout is not None and summary.reminders:
        stdout.write(f"Nhắc hạn mẫu: {summary.reminders} lượt nhắc, {summary.notifications} thông báo.")
