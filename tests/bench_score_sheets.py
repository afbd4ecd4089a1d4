"""Benchmark of score sheets (``make bench`` or ``python -m tests.bench score_sheets``).

One reviewer with 500 assignments of 5 criteria each (a paper council's whole bloc) in a throw-away
test database (PostgreSQL when DATABASE_URL is set, else SQLite). Prints, for the 500-row sheet:

- building the XLSX (download), reading and checking the filled sheet (upload and preview), and
  saving the 2,500 scores through ``reviews.save_scores`` with their audit entries (confirm);
- the queries of each step, against a 5-row sheet (the counts must not grow with the rows; the
  confirm step's writes come in batches, on SQLite of about 100 rows, its limit of 999 parameters
  per statement, on PostgreSQL of 500);
- as a floor for the confirm step, a bare ``bulk_create`` of the same 2,500 score rows.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from decimal import Decimal

ROWS = 500
CRITERIA = 5


def _setup(code: str, rows: int):
    from django.utils import timezone

    from agencies.models import Agency, AgencyKind, Membership, Role
    from campaigns.models import Campaign, CampaignState, Criterion, Round, TargetGroup, TargetGroupKind
    from registrations.models import Registration, RegistrationState
    from scoring.models import ReviewAssignment
    from tests.factories import UserFactory

    province = Agency.objects.create(code=f"{code}-tinh", name="UBND tỉnh", kind=AgencyKind.PROVINCE_PC)
    campaign = Campaign.objects.create(
        code=code,
        issuer=province,
        title=f"Phiếu chấm {code}",
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        state=CampaignState.PUBLISHED,
    )
    round_ = Round.objects.create(
        campaign=campaign, year=2027, starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 12, 31)
    )
    group = TargetGroup.objects.create(
        campaign=campaign, code="tap-the", name="Tập thể", kind=TargetGroupKind.COLLECTIVE
    )
    for i in range(CRITERIA):
        Criterion.objects.create(
            target_group=group, order=i, code=f"c{i}", text=f"Tiêu chí {i + 1}", max_points=Decimal("10")
        )
    Agency.objects.bulk_create(
        [
            Agency(
                code=f"{code}-{i:04d}",
                name=f"Sở {i:04d}",
                kind=AgencyKind.DEPARTMENT,
                parent=province,
                path=f"{province.path}{code}-{i:04d}/",
            )
            for i in range(rows)
        ],
        batch_size=1000,
    )
    agencies = list(Agency.objects.filter(parent=province).order_by("code"))
    now = timezone.now()
    Registration.objects.bulk_create(
        [
            Registration(
                round=round_,
                campaign=campaign,
                agency=a,
                target_group=group,
                state=RegistrationState.ACCEPTED,
                submitted_at=now,
            )
            for a in agencies
        ],
        batch_size=1000,
    )
    reviewer = UserFactory(username=f"{code}-hoidong")
    Membership.objects.create(user=reviewer, agency=province, role=Role.COUNCIL)
    ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(round=round_, registration=r, target_group=group, reviewer=reviewer)
            for r in Registration.objects.filter(campaign=campaign)
        ],
        batch_size=1000,
    )
    return campaign, reviewer


def _filled(data: bytes, rows: int):
    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    ws = workbook.worksheets[0]
    for row in range(3, 3 + rows):
        for col in range(3, 3 + CRITERIA):  # a collective's sheet: STT, hồ sơ, then the criteria
            ws.cell(row=row, column=col, value=(row + col) % 11 - 0.5 if (row + col) % 11 else 7)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("phieu.xlsx", out.getvalue())


def _measure(campaign, reviewer, rows: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scoring.sheet_upload import apply_score_sheet, read_score_sheet
    from scoring.sheets import build_score_sheet

    figures = {}
    with CaptureQueriesContext(connection) as q:
        started = time.perf_counter()
        data = build_score_sheet(campaign, reviewer)
        figures["download"] = (time.perf_counter() - started, len(q))
    upload = _filled(data, rows)
    with CaptureQueriesContext(connection) as q:
        started = time.perf_counter()
        preview = read_score_sheet(upload, campaign, reviewer, actor=reviewer)
        figures["upload"] = (time.perf_counter() - started, len(q))
    with CaptureQueriesContext(connection) as q:
        started = time.perf_counter()
        result = apply_score_sheet(preview.token, campaign, reviewer, actor=reviewer, complete=True)
        figures["confirm"] = (time.perf_counter() - started, len(q))
    figures["saved"] = result.saved
    figures["bytes"] = len(data)
    return figures


def _floor(campaign, reviewer) -> float:
    """A bare bulk_create of the same number of score rows (no checks, no audit)."""
    from django.db import transaction

    from campaigns.models import Criterion
    from scoring.models import CriterionScore, ReviewAssignment

    criteria = list(Criterion.objects.filter(target_group__campaign=campaign))
    assignments = list(ReviewAssignment.objects.filter(reviewer=reviewer))
    started = time.perf_counter()
    with transaction.atomic():
        CriterionScore.objects.bulk_create(
            [
                CriterionScore(assignment=a, criterion=c, points=Decimal("5"), updated_by=reviewer)
                for a in assignments
                for c in criteria
            ],
            batch_size=500,
        )
    return time.perf_counter() - started


def run() -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from scoring.models import CriterionScore, ReviewAssignment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        ContentType.objects.get_for_models(CriterionScore, ReviewAssignment)
        small = _measure(*_setup("sheet-small", 5), 5)
        campaign, reviewer = _setup("sheet-big", ROWS)
        big = _measure(campaign, reviewer, ROWS)
        print(f"{ROWS}-row sheet x {CRITERIA} criteria ({connection.vendor}), {big['bytes'] / 1024:.0f} KB:")
        for step in ("download", "upload", "confirm"):
            seconds, queries = big[step]
            print(f"  {step:8s} {seconds:6.2f} s  {queries} queries (5 rows: {small[step][1]} queries)")
        print(f"  saved {big['saved']} scores with their audit entries")
        CriterionScore.objects.filter(assignment__reviewer=reviewer).delete()
        floor = _floor(campaign, reviewer)
        confirm = big["confirm"][0]
        print(f"  floor: bare bulk_create of {big['saved']} rows {floor:.2f} s")
        print(f"  confirm (checks, versions, audit, completion) is {confirm / floor:.1f}x the floor")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
