"""Benchmark of the reminder fan-out: 5,000 targeted agencies (a staff and a head user each),
3 reminded milestones due the same day, one beat run at the 7-day reminder.

Prints how long one beat run takes (find what is due, claim, write the notifications, queue
the e-mail batches), how long a second firing takes (it finds everything claimed), and the
e-mails per second of the batch tasks (run in-process with Django's locmem backend, so the
figure is the portal's own cost: rendering, claiming, marking sent; not an SMTP server's).
Runs in a throw-away test database (PostgreSQL when DATABASE_URL is set, else SQLite).
"""

from __future__ import annotations

import datetime as dt
import time

AGENCIES = 5000
BATCH = 100


def _setup():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from agencies.models import Agency, AgencyKind, Membership, Role
    from campaigns.models import Campaign, CampaignState, Milestone, MilestoneKind, Round, TargetGroup

    province = Agency.objects.create(code="bench", name="Tỉnh thử", kind=AgencyKind.PROVINCE_PC)
    campaign = Campaign.objects.create(
        code="bench-2027",
        issuer=province,
        title="Phong trào thi đua (đo hiệu năng)",
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2028, 12, 31),
        state=CampaignState.PUBLISHED,
    )
    TargetGroup.objects.create(
        campaign=campaign, code="xa", name="UBND xã, phường", kind="collective", agency_kinds=["commune_pc"]
    )
    r1 = Round.objects.create(
        campaign=campaign, year=2027, starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 12, 31)
    )
    r2 = Round.objects.create(
        campaign=campaign, year=2028, starts_on=dt.date(2028, 1, 1), ends_on=dt.date(2028, 12, 31)
    )
    due = dt.date(2027, 3, 14)
    for round_, kind in (
        (r1, MilestoneKind.REGISTRATION_DEADLINE),
        (r1, MilestoneKind.REPORT_DEADLINE),
        (r2, MilestoneKind.REGISTRATION_DEADLINE),
    ):
        Milestone.objects.create(campaign=campaign, round=round_, kind=kind, due_on=due)
    agencies = [
        Agency(
            code=f"x{i:05d}",
            name=f"UBND xã {i}",
            kind=AgencyKind.COMMUNE_PC,
            parent=province,
            path=f"bench/x{i:05d}/",
        )
        for i in range(AGENCIES)
    ]
    Agency.objects.bulk_create(agencies, batch_size=1000)
    agencies = list(Agency.objects.filter(parent=province).order_by("code"))
    password = make_password(None)
    users = [
        get_user_model()(username=f"{role}{i:05d}", email=f"{role}{i:05d}@example.gov.vn", password=password)
        for i in range(AGENCIES)
        for role in ("canbo", "thutruong")
    ]
    get_user_model().objects.bulk_create(users, batch_size=1000)
    by_name = dict(get_user_model().objects.values_list("username", "pk"))
    Membership.objects.bulk_create(
        [
            Membership(user_id=by_name[f"{prefix}{i:05d}"], agency=agency, role=role)
            for i, agency in enumerate(agencies)
            for prefix, role in (("canbo", Role.STAFF), ("thutruong", Role.HEAD))
        ],
        batch_size=2000,
    )


def run() -> None:
    from django.conf import settings
    from django.core import mail
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

    from campaign_portal.celery import app
    from common.tasks import send_notification_emails
    from registrations.reminders.domain import run_due_reminders
    from registrations.reminders.schedule import parse_now

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    app.conf.task_always_eager = True
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            started = time.perf_counter()
            _setup()
            print(
                f"setup: {AGENCIES} agencies, {2 * AGENCIES} users, 3 milestones "
                f"({connection.vendor}) in {time.perf_counter() - started:.1f} s"
            )
            batches: list[list[int]] = []
            now = parse_now("2027-03-07T08:00")
            first = run_due_reminders(now, dispatch=batches.append)
            print(
                f"beat run: {first.reminders} reminders, {first.notifications} notifications, "
                f"{len(batches)} e-mail tasks of <= {BATCH} in {first.seconds:.2f} s"
            )
            second = run_due_reminders(now + dt.timedelta(minutes=15), dispatch=batches.append)
            print(f"beat fired again: {second.reminders} new reminders in {second.seconds:.2f} s")
            mail.outbox = []
            started = time.perf_counter()
            for ids in batches:
                send_notification_emails.apply(args=[ids])
            seconds = time.perf_counter() - started
            sent = len(mail.outbox)
            print(
                f"e-mail tasks: {sent} e-mails in {seconds:.1f} s = {sent / seconds:.0f} e-mails/s "
                f"(locmem backend, one process)"
            )
            assert sent == first.notifications == 2 * 3 * AGENCIES, (sent, first.notifications)
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
