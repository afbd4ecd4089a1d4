"""A reminder is settled when the agency acts: registrations' state signals (sent after commit)."""

from __future__ import annotations

from registrations.models import RegistrationState as S

from .domain import resolve_reminders

#: States in which the agency has done something a registration-deadline reminder asked for.
ACTED = (S.SUBMITTED, S.RESUBMITTED, S.CONFIRMED, S.ACCEPTED)


def registration_changed(sender, registration, new_state, **kwargs) -> None:
    if new_state in ACTED:
        resolve_reminders(registration)


def report_changed(sender, report, **kwargs) -> None:
    resolve_reminders(report.registration)
