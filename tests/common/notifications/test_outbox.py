"""The e-mail outbox: claims (exactly once), SMTP retries with backoff, failures for admins."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common import notifications
from common.models import EmailStatus, Notification, NotificationKind
from common.notifications import claim_emails, notify, send_claimed_emails
from common.tasks import requeue_stale_emails, send_notification_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _pending(n=3):
    users = [UserFactory() for _ in range(n)]
    rows = notify(
        users, NotificationKind.OTHER, title="Thư thử"
    )  # on_commit never runs in a test transaction
    return [r.pk for r in rows]


def test_a_second_sender_cannot_claim_what_the_first_holds():
    ids = _pending(3)
    assert claim_emails(ids, "worker-a") == ids
    assert claim_emails(ids, "worker-b") == []
    # The holder redelivered after a crash keeps its claims.
    assert claim_emails(ids, "worker-a") == ids


def test_a_dead_senders_claim_is_taken_over_after_the_lease(settings):
    settings.NOTIFY_EMAIL_LEASE_SECONDS = 600
    ids = _pending(2)
    claim_emails(ids, "dead", now=timezone.now() - dt.timedelta(minutes=11))
    assert claim_emails(ids, "alive") == ids


def test_sending_twice_sends_each_mail_once():
    ids = _pending(3)
    assert send_claimed_emails(ids, "a") == (3, [])
    assert send_claimed_emails(ids, "b") == (0, [])
    assert send_claimed_emails(ids, "a") == (0, [])
    assert len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Notification.objects.values_list("recipient__email", flat=True)
    )


def test_resume_after_crash_midway_sends_only_the_rest():
    ids = _pending(3)
    # A sender claimed all three, sent the first, then its process died.
    claim_emails(ids, "task-1")
    send_claimed_emails(ids[:1], "task-1")
    assert len(mail.outbox) == 1
    # The broker redelivers the same task (same id, same token): it finishes the other two.
    assert send_claimed_emails(ids, "task-1") == (2, [])
    assert len(mail.outbox) == 3
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}


def test_smtp_errors_are_retried_with_backoff(eager_celery, flaky_smtp, settings):
    settings.NOTIFY_EMAIL_MAX_ATTEMPTS = 5
    ids = _pending(1)
    flaky_smtp.failures = 2
    assert send_notification_emails.delay(ids).get() == 1
    n = Notification.objects.get()
    assert (n.email_status, n.email_attempts, n.email_error) == (EmailStatus.SENT, 3, "")
    assert len(flaky_smtp.refused) == 2
    assert len(mail.outbox) == 1


def test_backoff_doubles(settings):
    settings.NOTIFY_EMAIL_RETRY_BASE_SECONDS = 60
    assert [notifications.retry_delay(a) for a in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_after_the_last_attempt_the_mail_is_failed_and_listed_for_admins(
    eager_celery, flaky_smtp, settings, client, django_capture_on_commit_callbacks
):
    settings.NOTIFY_EMAIL_MAX_ATTEMPTS = 3
    ids = _pending(1)
    flaky_smtp.failures = 10
    assert send_notification_emails.delay(ids).get() == 0
    n = Notification.objects.get()
    assert (n.email_status, n.email_attempts) == (EmailStatus.FAILED, 3)
    assert n.email_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert len(mail.outbox) == 0

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:common_notification_changelist")
    response = client.get(url + "?email_status__exact=failed")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert "SMTPServerDisconnected" in response.content.decode()

    assert client.get(url + "?email_status__exact=sent").context["cl"].result_count == 0

    # The admin sends it again once the server is back.
    flaky_smtp.failures = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url + "?email_status__exact=failed", {"action": "resend", "_selected_action": [n.pk]}
        )
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.email_status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_sweeper_requeues_only_lost_mails(eager_celery, django_capture_on_commit_callbacks, settings):
    settings.NOTIFY_EMAIL_LEASE_SECONDS = 600
    old, fresh = _pending(1), _pending(1)
    Notification.objects.filter(pk__in=old).update(created_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_emails() == 1
    assert Notification.objects.get(pk=old[0]).email_status == EmailStatus.SENT
    assert Notification.objects.get(pk=fresh[0]).email_status == EmailStatus.PENDING
    assert len(mail.outbox) == 1
