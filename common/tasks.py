"""Celery tasks of the notification centre: ids in, services do the work."""

from __future__ import annotations

from celery import Task, shared_task

from . import notifications


@shared_task(bind=True, name="common.send_notification_emails", max_retries=None, acks_late=True)
def send_notification_emails(self: Task[[list[int]], int], notification_ids: list[int]) -> int:
    """Send the e-mails of these notifications. The task id is the claim token, so a task
    redelivered after a worker crash resumes its own claims and nothing is sent twice.
    SMTP errors: the failed ones are retried with exponential backoff."""
    token = self.request.id or notifications.new_token()
    sent, retry = notifications.send_claimed_emails(notification_ids, token)
    if self.request.is_eager:
        # In-process (no broker): no one would run a delayed retry, so retry at once; each
        # failure counts an attempt, so this ends with the row sent or failed.
        while retry:
            more, retry = notifications.send_claimed_emails(retry, token)
            sent += more
        return sent
    if retry:
        attempt = self.request.retries + 1
        raise self.retry(args=(retry,), countdown=notifications.retry_delay(attempt))
    return sent


@shared_task(name="common.requeue_stale_emails")
def requeue_stale_emails() -> int:
    """Re-dispatch e-mails whose task was lost (the claim keeps this harmless when it was not)."""
    ids = notifications.stale_email_ids()
    if ids:
        notifications.queue_emails(ids)
    return len(ids)


@shared_task(name="common.relay_outbox")
def relay_outbox() -> dict[str, int]:
    """Beat, every minute: publish what the broker did not take when it was sent (common.outbox)."""
    from . import outbox

    result = outbox.relay_pending()
    return {"sent": result.sent, "failed": result.failed}
