"""Reminders through a real Celery worker and the real Redis broker (REDIS_URL; CI sets it).

- beat firing twice: an in-process worker (celery.contrib.testing) runs the due-reminders task
  twice; each reminder is sent once (locmem outbox counted);
- two workers at once: two worker processes take the two firings at the same time;
- a worker process dying midway through a batch of e-mails: the broker redelivers the task
  (acks_late, reject_on_worker_lost) and the rest is sent, nothing twice.
The worker processes use Django's file e-mail backend; the messages are counted in its files.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from campaign_portal.celery import app
from common.models import EmailStatus, Notification
from registrations.reminders.models import ReminderClaim
from registrations.reminders.tasks import send_due_reminders

from .backends import count_messages, recipients
from .conftest import make_world

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis broker: set REDIS_URL"),
]

BASE_DIR = Path(settings.BASE_DIR)
N_WARDS = 12  # 24 recipients


def wait_for(predicate, timeout=60.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def settle(read, seconds=1.5, timeout=60.0):
    """Wait until ``read()`` stops changing for ``seconds`` (so late duplicates would show)."""
    deadline = time.monotonic() + timeout
    last, since = read(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = read()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= seconds:
            return last
    raise AssertionError("never settled")


@pytest.fixture
def empty_queue():
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    yield


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database they can open: run with DATABASE_URL=postgres://...")
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    def __init__(self, tmp_path, database_url):
        self.tmp_path = tmp_path
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.database_url = database_url
        self.procs = []

    def start(self, name, **env):
        log = open(self.tmp_path / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        environ = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "PYTHONPATH": str(BASE_DIR),
            **env,
        }
        cmd = [sys.executable, "-m", "celery", "-A", "campaign_portal", "worker", "-P", "prefork", "-c", "1"]
        cmd += ["-n", f"{name}@%h", "--without-gossip", "--without-mingle", "-l", "info"]
        proc = subprocess.Popen(cmd, cwd=BASE_DIR, env=environ, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append((proc, log, self.tmp_path / f"{name}.log"))
        wait_for(lambda: b" ready." in (self.tmp_path / f"{name}.log").read_bytes(), 60, f"{name} ready")

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for _, _, path in self.procs)

    def stop(self):
        for proc, _log, _ in self.procs:
            proc.terminate()
        for proc, log, _ in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


@pytest.fixture
def workers(transactional_db, tmp_path, empty_queue):
    w = Workers(tmp_path, _database_url())
    yield w
    w.stop()


def test_beat_firing_twice_sends_each_reminder_once(transactional_db, empty_queue, settings):
    from celery.contrib.testing.worker import start_worker

    world = make_world(N_WARDS)
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=30):
        first = send_due_reminders.delay("2027-03-07T08:00")
        second = send_due_reminders.delay("2027-03-07T08:00")
        wait_for(lambda: len(mail.outbox) >= 2 * N_WARDS, what="the e-mails")
        settle(lambda: len(mail.outbox))
    assert len(mail.outbox) == 2 * N_WARDS
    assert len({m.to[0] for m in mail.outbox}) == 2 * N_WARDS
    assert ReminderClaim.objects.filter(milestone=world.registration).count() == N_WARDS
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 2 * N_WARDS
    assert first.id != second.id


def test_two_workers_at_once_send_each_reminder_once(workers):
    make_world(N_WARDS)
    workers.start("w1")
    workers.start("w2")
    # Both firings wait in the queue; each worker takes one at the same moment.
    send_due_reminders.delay("2027-03-07T08:00")
    send_due_reminders.delay("2027-03-07T08:00")
    wait_for(lambda: count_messages(workers.mail_dir) >= 2 * N_WARDS, what="the e-mails")
    assert settle(lambda: count_messages(workers.mail_dir)) == 2 * N_WARDS, workers.logs()
    assert len(set(recipients(workers.mail_dir))) == 2 * N_WARDS
    assert ReminderClaim.objects.count() == N_WARDS
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 2 * N_WARDS
    # Each worker really ran one firing.
    logs = [path.read_text() for _, _, path in workers.procs]
    assert all("reminders.send_due_reminders" in log for log in logs), workers.logs()


def test_a_worker_dying_midway_is_retried_and_sends_the_rest_once(workers, tmp_path):
    make_world(N_WARDS)
    marker = tmp_path / "crashed"
    workers.start(
        "crashy",
        EMAIL_BACKEND="tests.reminders.backends.CrashOnceBackend",
        CRASH_AFTER="5",
        CRASH_MARKER=str(marker),
    )
    send_due_reminders.delay("2027-03-07T08:00")
    wait_for(marker.exists, what="the crash")
    wait_for(lambda: count_messages(workers.mail_dir) >= 2 * N_WARDS, what="the e-mails after the crash")
    assert settle(lambda: count_messages(workers.mail_dir)) == 2 * N_WARDS, workers.logs()
    assert len(set(recipients(workers.mail_dir))) == 2 * N_WARDS
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 2 * N_WARDS
    assert "WorkerLostError" in workers.logs()
