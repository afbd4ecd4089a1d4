from django.core.management.base import BaseCommand, CommandError

from common.notifications import send_emails_now
from registrations.reminders.domain import run_due_reminders
from registrations.reminders.schedule import parse_now


class Command(BaseCommand):
    help = (
        "Send the deadline reminders due now (or at --now, Vietnam time), synchronously: the same "
        "code as the beat task, for operators when beat is down and for tests with a simulated clock."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Simulated time, e.g. 2026-03-10T08:00 (Asia/Ho_Chi_Minh).")

    def handle(self, *args, now=None, **options):
        try:
            at = parse_now(now) if now else None
        except ValueError:
            raise CommandError(f"--now={now!r} is not a date and time like 2026-03-10T08:00.") from None
        summary = run_due_reminders(at, dispatch=None)
        sent = send_emails_now(summary.email_ids)
        self.stdout.write(str(summary))
        self.stdout.write(f"E-mails sent: {sent}")
