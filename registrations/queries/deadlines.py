"""Deadlines (hạn) of a registration and of its final report, with the agency's extension (gia hạn).

Read by the pages, the work list, the services' deadline checks and scoring (a registration sent
on time stays on time).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from agencies.models import Agency
from campaigns.models import VN_TZ, Milestone, MilestoneKind

from ..models import DeadlineExtension, Registration, RegistrationState


def registration_milestone(registration: Registration) -> Milestone | None:
    return registration.campaign.milestone(MilestoneKind.REGISTRATION_DEADLINE, registration.round)


def report_milestone(registration: Registration) -> Milestone | None:
    return registration.campaign.milestone(MilestoneKind.REPORT_DEADLINE, registration.round)


def extension_for(agency: Agency, milestone: Milestone | None) -> DeadlineExtension | None:
    if milestone is None:
        return None
    return DeadlineExtension.objects.filter(agency=agency, milestone=milestone).first()


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=VN_TZ)


def effective_deadline(agency: Agency, milestone: Milestone | None) -> dt.datetime | None:
    """End of the milestone's last day, or of the extension's when one was granted and is later."""
    if milestone is None:
        return None
    deadline = milestone.deadline_at
    ext = extension_for(agency, milestone)
    if ext is not None:
        deadline = max(deadline, end_of_day(ext.extended_until))
    return deadline


def resubmission_deadline(registration: Registration) -> dt.datetime | None:
    """The end of the resubmission date home affairs gave when returning, or the registration
    deadline (with the agency's extension) when that is later; None: no date was given."""
    if registration.resubmit_by is None:
        return None
    deadline = end_of_day(registration.resubmit_by)
    registration_deadline = effective_deadline(registration.agency, registration_milestone(registration))
    return max(deadline, registration_deadline) if registration_deadline else deadline


def sending_deadline(registration: Registration) -> dt.datetime | None:
    """By when the agency must send the registration: the resubmission date when it was returned
    with one, else the registration deadline (with the agency's extension)."""
    if registration.state == RegistrationState.RETURNED and registration.resubmit_by is not None:
        return resubmission_deadline(registration)
    return effective_deadline(registration.agency, registration_milestone(registration))


def time_left(deadline: dt.datetime | None, now: dt.datetime | None = None) -> dt.timedelta | None:
    if deadline is None:
        return None
    return deadline - (now or timezone.now())
