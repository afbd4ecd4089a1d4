"""When a reminder (nhắc hạn) is due: the windows of a milestone, in Vietnam time.

For a milestone whose last valid day is ``due_on``, the reminder "k days before" is due from
``REMINDER_HOUR`` (08:00, Vietnam time) on ``due_on - k`` until the next reminder of the same
milestone becomes due (the last one until the deadline itself, the end of ``due_on``). With
``remind_after_deadline``, one more is due on the day after ``due_on`` (offset -1), for that day.
A reminder whose window passed while beat was down is not sent late: the current one is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from campaigns.models import VN_TZ, MilestoneKind
from common.parsing import int_param

from .models import AFTER_DEADLINE

#: Milestones that ask something of the targeted agencies; the others get no reminders.
REMINDED_KINDS = (MilestoneKind.REGISTRATION_DEADLINE, MilestoneKind.REPORT_DEADLINE)


def reminder_hour() -> int:
    return getattr(settings, "REMINDER_HOUR", 8)


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


def parse_now(value: str) -> dt.datetime:
    """``2026-03-10T08:00`` (Vietnam time unless an offset is given) -> aware datetime."""
    parsed = dt.datetime.fromisoformat(value)
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=VN_TZ)
    return parsed
