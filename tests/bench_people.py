"""Benchmark of the people import and the awards-register import (``python -m tests.bench people``).

Issue 12: importing 20,000 people and 20,000 past awards each finishes within 3x of a bare
``bulk_create`` of the same rows. In a throw-away test database: 200 agencies, a CSV of 20,000
people (one head per agency) and one of 20,000 awards; each import (read, check, write, audit) is
timed against ``bulk_create`` of the same model rows, and the re-import of the same file (nothing
to write) is shown too.
"""

from __future__ import annotations

import io
import time

PEOPLE = 20_000
AWARDS = 20_000
AGENCIES = 200
TARGET_RATIO = 3.0


def _csv(header: str, lines) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def run() -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    settings.IMPORT_MAX_ROWS = max(settings.IMPORT_MAX_ROWS, PEOPLE, AWARDS)
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def _measure() -> None:
    import datetime as dt

    from django.db import transaction

    from agencies.models import Agency, AgencyKind, Person, PersonPosition
    from agencies.people_import import PEOPLE_TABLE, import_people
    from awards.models import AwardRecord
    from awards.register import AWARD_TABLE, import_awards
    from common.tabular import read_table

    province = Agency.objects.create(code="bench", name="UBND tỉnh", kind=AgencyKind.PROVINCE_PC)
    agencies = Agency.objects.bulk_create(
        [
            Agency(
                code=f"b-{i}",
                name=f"UBND xã {i}",
                kind=AgencyKind.COMMUNE_PC,
                parent=province,
                path=f"{province.path}b-{i}/",
            )  # fmt: skip
            for i in range(AGENCIES)
        ]
    )
    per = PEOPLE // AGENCIES
    people_csv = _csv(
        "agency_code,person_code,full_name,gender,birth_year,position,is_head,is_reform_deputy,started_on",
        (
            f"b-{i // per},nv-{i},Nguyễn Văn {i},Nam,{1960 + i % 40},Công chức,"
            f"{'x' if i % per == 0 else ''},{'x' if i % per == 1 else ''},01/07/2025"
            for i in range(PEOPLE)
        ),
    )

    def timed(fn):
        started = time.perf_counter()
        result = fn()
        return time.perf_counter() - started, result

    # The bare bulk_create of the same rows (people and their periods), rolled back.
    def bare_people():
        with transaction.atomic():
            people = Person.objects.bulk_create(
                [
                    Person(
                        agency=agencies[i // per],
                        code=f"nv-{i}",
                        full_name=f"Nguyễn Văn {i}",
                        gender="male",
                        birth_year=1960 + i % 40,
                        position="Công chức",
                        is_head=i % per == 0,
                        is_reform_deputy=i % per == 1,
                    )  # fmt: skip
                    for i in range(PEOPLE)
                ],
                batch_size=500,
            )
            PersonPosition.objects.bulk_create(
                [
                    PersonPosition(
                        person=p,
                        agency_id=p.agency_id,
                        position=p.position,
                        is_head=p.is_head,
                        is_reform_deputy=p.is_reform_deputy,
                        started_on=dt.date(2025, 7, 1),
                    )  # fmt: skip
                    for p in people
                ],
                batch_size=500,
            )
            transaction.set_rollback(True)

    bare, _ = timed(bare_people)
    seconds, plan = timed(
        lambda: import_people(read_table(io.BytesIO(people_csv), "people.csv", PEOPLE_TABLE))
    )
    assert plan.created == PEOPLE, plan
    again, plan = timed(lambda: import_people(read_table(io.BytesIO(people_csv), "people.csv", PEOPLE_TABLE)))
    assert plan.unchanged == PEOPLE, plan
    _report("people", PEOPLE, seconds, bare, again)

    awards_csv = _csv(
        "agency_code,person_code,form_name,form_kind,level,decision_number,decided_on,campaign",
        (
            f"b-{i // per},nv-{i},Giấy khen của Chủ tịch UBND tỉnh,Giấy khen,UBND tỉnh,{i + 1}/QĐ-UBND,"
            f"15/01/{2015 + i % 10},Phong trào thi đua CCHC"
            for i in range(AWARDS)
        ),
    )
    people = {p.code: p for p in Person.objects.all()}

    def bare_awards():
        with transaction.atomic():
            AwardRecord.objects.bulk_create(
                [
                    AwardRecord(
                        agency=agencies[i // per],
                        person=people[f"nv-{i}"],
                        form_name="Giấy khen của Chủ tịch UBND tỉnh",
                        form_kind="giay_khen",
                        level="UBND tỉnh",
                        decision_number=f"{i + 1}/QĐ-UBND",
                        decided_on=dt.date(2015 + i % 10, 1, 15),
                        campaign_name="Phong trào thi đua CCHC",
                        source="import",
                    )  # fmt: skip
                    for i in range(AWARDS)
                ],
                batch_size=1000,
            )
            transaction.set_rollback(True)

    bare, _ = timed(bare_awards)
    seconds, plan = timed(
        lambda: import_awards(read_table(io.BytesIO(awards_csv), "awards.csv", AWARD_TABLE))
    )
    assert plan.created == AWARDS, plan
    again, plan = timed(lambda: import_awards(read_table(io.BytesIO(awards_csv), "awards.csv", AWARD_TABLE)))
    assert plan.unchanged == AWARDS, plan
    _report("past awards", AWARDS, seconds, bare, again)


def _report(name: str, rows: int, seconds: float, bare: float, again: float) -> None:
    ratio = seconds / bare if bare else float("inf")
    verdict = "ok" if ratio <= TARGET_RATIO else "TOO SLOW"
    print(
        f"import {rows:,} {name}: {seconds:.2f} s; bare bulk_create {bare:.2f} s; ratio {ratio:.1f} "
        f"({verdict}, target {TARGET_RATIO:.0f}x); re-import of the same file {again:.2f} s"
    )
