"""30 concurrent registration submissions and 20 concurrent score saves against a file-based SQLite
database with the portal's default settings (issue 9, item 4).

Run as a separate process (``python -m tests.concurrency.sqlite_race``) with ``DATABASE_URL`` naming
a fresh SQLite file: the test suite's in-memory database has neither WAL nor file locks, so only a
real file shows "database is locked". Prints one JSON line with the outcome of every request.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Building 50 users should not spend minutes hashing their passwords.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

SUBMISSIONS = 30
SCORE_SAVES = 20


def build():
    from agencies.models import AgencyKind, Role
    from campaigns.models import CampaignState, Criterion, Milestone, MilestoneKind, TargetGroupKind
    from registrations.domain.registration import save_draft, start_registration
    from registrations.models import Registration, RegistrationState
    from scoring.reviews import assign_reviewer
    from tests.factories import (
        AgencyFactory,
        CampaignFactory,
        RoundFactory,
        TargetGroupFactory,
        user_with_role,
    )

    today = timezone.localdate()
    city = AgencyFactory(code="city", kind=AgencyKind.PROVINCE_PC)
    campaign = CampaignFactory(
        issuer=city,
        state=CampaignState.PUBLISHED,
        period_start=today - dt.timedelta(days=30),
        period_end=today + dt.timedelta(days=300),
    )
    round_ = RoundFactory(campaign=campaign)
    group = TargetGroupFactory(
        campaign=campaign,
        kind=TargetGroupKind.COLLECTIVE,
        agency_kinds=[AgencyKind.COMMUNE_PC.value],
        initiative_required=False,
    )
    criterion = Criterion.objects.create(target_group=group, order=1, code="c1", max_points=Decimal("10"))
    Milestone.objects.create(
        campaign=campaign, kind=MilestoneKind.REGISTRATION_DEADLINE, due_on=today + dt.timedelta(days=10)
    )
    home_affairs = user_with_role(Role.HOME_AFFAIRS, city, username="noivu")
    submitters = []
    for i in range(SUBMISSIONS):
        ward = AgencyFactory(code=f"ward-{i}", parent=city, kind=AgencyKind.COMMUNE_PC)
        staff = user_with_role(Role.STAFF, ward, username=f"staff-{i}")
        registration = start_registration(round_, ward, actor=staff)
        save_draft(registration, actor=staff, pledge="Hoàn thành 100% nhiệm vụ")
        submitters.append((staff, registration.pk))
    reviewers = []
    for i in range(SCORE_SAVES):
        dept = AgencyFactory(code=f"dept-{i}", parent=city, kind=AgencyKind.COMMUNE_PC)
        registration = Registration.objects.create(
            round=round_,
            agency=dept,
            target_group=group,
            state=RegistrationState.ACCEPTED,
            submitted_at=timezone.now(),
        )
        reviewer = user_with_role(Role.COUNCIL, city, username=f"reviewer-{i}")  # reviewers: council
        assignment = assign_reviewer(registration, reviewer, actor=home_affairs)
        reviewers.append((reviewer, assignment.pk))
    return submitters, reviewers, criterion.pk


def race(jobs):
    """Run every (client, url, data) at the same moment, one thread each; return the status codes."""
    barrier = threading.Barrier(len(jobs))
    statuses: list[object] = [None] * len(jobs)

    def run(index, client, url, data):
        try:
            barrier.wait()
            statuses[index] = client.post(url, data).status_code
        except Exception as exc:  # noqa: BLE001 - a crash is an outcome to report
            statuses[index] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def main():
    from registrations.models import Registration, RegistrationState
    from scoring.models import CriterionScore

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic()
    submitters, reviewers, criterion_pk = build()
    built = time.monotonic()
    submit_jobs = [
        (client_for(user), reverse("registrations:transition", args=[pk]), {"target": "submitted"})
        for user, pk in submitters
    ]
    score_jobs = [
        (
            client_for(user),
            reverse("scoring:review", args=[pk]),
            {f"points-{criterion_pk}": "7,5", f"version-{criterion_pk}": "", "action": "save"},
        )
        for user, pk in reviewers
    ]
    connections.close_all()
    submit_statuses = race(submit_jobs)
    score_statuses = race(score_jobs)
    raced = time.monotonic()
    sys.stderr.write(
        f"migrate {migrated - started:.1f}s, build {built - migrated:.1f}s, race {raced - built:.1f}s\n"
    )
    submitted = Registration.objects.filter(
        pk__in=[pk for _user, pk in submitters], state=RegistrationState.SUBMITTED
    ).count()
    scores = CriterionScore.objects.filter(points=Decimal("7.5")).count()
    print(
        json.dumps(
            {
                "submit_statuses": submit_statuses,
                "score_statuses": score_statuses,
                "submitted": submitted,
                "scores": scores,
                "journal_mode": connections["default"].cursor().execute("PRAGMA journal_mode").fetchone()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
