"""Celery tasks of the reminders: the periodic one (beat, database schedule) fans out e-mail tasks."""

from __future__ import annotations

from celery import shared_task

from common.tasks import requeue_stale_emails

from .domain import run_due_reminders
from .schedule import parse_now

#: The name the beat schedule (PeriodicTask row, migration 0002) refers to.
DUE_REMINDERS_TASK = "reminders.send_due_reminders"


@shared_task(name=DUE_REMINDERS_TASK, acks_late=True)
def send_due_reminders(now: str | None = None) -> dict:
    """Claim the reminders due now, write their notifications, queue one e-mail task per batch
    of recipients; then re-dispatch any e-mail whose task was lost. Safe to run twice at once."""
    summary = run_due_reminders(parse_now(now) if now else None)
    requeued = requeue_stale_emails()
    return {
        "milestones": summary.milestones,
        "reminders": summary.reminders,
        "notifications": summary.notifications,
        "emails": len(summary.email_ids),
        "requeued": requeued,
        "seconds": round(summary.seconds, 3),
    }
