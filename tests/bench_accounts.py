"""Benchmark of the account import (``make bench`` or ``python -m tests.bench accounts``).

Issue 12: importing 5,000 users must finish within 3x of a bare ``bulk_create`` of the same rows.
In a throw-away test database, 50 wards under a province; the bare baseline writes with ``bulk_create``
exactly the rows the import writes (users, profiles, roles, the roles' audit entries, invitations and
their notifications); the import then reads, checks and writes the same file. Both run inside a transaction
that is rolled back, so the e-mails (sent after the commit, by Celery) are not part of the figure.
The query count of the import is printed for 50 and for 5,000 rows: it must not grow with the rows.
"""

from __future__ import annotations

import time

ROWS = 5000
AGENCIES = 50
TARGET_RATIO = 3.0


def rows(count: int):
    from common.tabular import Row

    return [
        Row(
            i + 2,
            {
                "agency_code": f"bench-p{i % AGENCIES}",
                "full_name": f"Nguyễn Văn Số {i}",
                "email": f"nguoi{i}@bench.gov.vn",
                "phone": f"09{i:08d}",
                "role": "staff",
                "person_code": "",
            },
        )
        for i in range(count)
    ]


def baseline(table) -> float:
    """``bulk_create`` of every row the import writes, and nothing else: the users, their profiles,
    roles, the roles' audit entries, the invitations and their notifications."""
    import datetime as dt

    from auditlog.models import LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from agencies.models import AccountProfile, Agency, Invitation, Membership
    from common.models import Notification

    agencies = {a.code: a for a in Agency.objects.filter(code__startswith="bench-p")}
    User = get_user_model()
    ct = ContentType.objects.get_for_model(Membership)
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(username=r["email"], email=r["email"], first_name="Số", last_name="Nguyễn Văn")
                for r in table
            ],
            batch_size=500,
        )
        pairs = list(zip(users, table, strict=True))
        AccountProfile.objects.bulk_create(
            [AccountProfile(user=u, phone=r["phone"]) for u, r in pairs], batch_size=500
        )
        roles = Membership.objects.bulk_create(
            [Membership(user=u, agency=agencies[r["agency_code"]], role="staff") for u, r in pairs],
            batch_size=500,
        )
        LogEntry.objects.bulk_create(
            [LogEntry(content_type=ct, object_pk=str(m.pk), object_id=m.pk, object_repr="x", action=0,
                      changes={"role": ["None", "staff"]}) for m in roles],
            batch_size=500,
        )  # fmt: skip
        invitations = Invitation.objects.bulk_create(
            [
                Invitation(user=u, token_hash=f"{u.pk:064d}", expires_at=now + dt.timedelta(days=7))
                for u in users
            ],
            batch_size=500,
        )
        Notification.objects.bulk_create(
            [Notification(recipient=i.user, kind="account_invitation", title="x", url="/", object_id=i.pk,
                          content_type=ContentType.objects.get_for_model(Invitation), email_status="pending")
             for i in invitations],
            batch_size=500,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def imported(table) -> tuple[float, int]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from agencies.account_import import import_users

    started = time.perf_counter()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        summary = import_users(table)
        elapsed = time.perf_counter() - started
        assert summary.created == len(table), summary
        transaction.set_rollback(True)
    return elapsed, len(queries)


def run() -> None:
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from agencies.models import Agency, AgencyKind

    setup_test_environment()
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        province = Agency.objects.create(code="bench-tinh", name="UBND tỉnh", kind=AgencyKind.PROVINCE_PC)
        for i in range(AGENCIES):
            Agency.objects.create(
                code=f"bench-p{i}", name=f"Phường {i}", kind=AgencyKind.COMMUNE_PC, parent=province
            )
        _small, small_queries = imported(rows(50))
        table = rows(ROWS)
        bare = baseline(table)
        took, queries = imported(table)
        ratio = took / bare
        print(f"bare bulk_create of the rows {ROWS} users make: {bare:.2f} s")
        print(f"import_users of {ROWS} rows: {took:.2f} s ({queries} queries; {small_queries} for 50 rows)")
        print(
            f"ratio {ratio:.2f} (target <= {TARGET_RATIO}): {'OK' if ratio <= TARGET_RATIO else 'TOO SLOW'}"
        )
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
        teardown_test_environment()
