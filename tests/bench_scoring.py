"""Benchmark of scoring (``make bench`` or ``python -m tests.bench scoring``).

Builds, in a throw-away database (PostgreSQL ``<name>_bench`` when DATABASE_URL is PostgreSQL,
otherwise a temporary SQLite file), a plan of 2,000 agencies in 10 blocs and 20,000 individual
registrations with three reviewers each, then measures:

1. ``compute_results`` against a floor: ONE hand-written SQL query that aggregates the same
   reviews, ranks the same candidates per bloc and applies the same quotas (no writes).
2. The results page of a bloc against a bare Django view on the same server (gunicorn on
   127.0.0.1:8014), in requests per second from a load generator on loopback. The bare view
   renders the portal's page shell with no data (same middleware, same layout); a plain
   ``HttpResponse`` view is also measured for reference.
3. Query counts: compute_results on the full plan and on a plan 100 times smaller.

Targets (issue 5): compute_results < 10 s and within 3x of the floor; the results page at least
half the bare view's throughput; a query count that does not grow with the number of candidates.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

AGENCIES = 2000
BLOCS = 10
PEOPLE_PER_AGENCY = 10
REVIEWERS = 3
RUNS = 3  # measured runs of compute_results and of the floor, after one warm-up of each
PORT = int(os.environ.get("BENCH_PORT", "8014"))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "5"))
LOAD_THREADS = int(os.environ.get("BENCH_LOAD_THREADS", "4"))
ROOT = Path(__file__).resolve().parents[1]


def _bench_database() -> str:
    """Point the default connection at a fresh database; return its URL for the server."""
    from django.db import connections

    conn = connections["default"]
    settings_dict = conn.settings_dict
    conn.close()
    if settings_dict["ENGINE"] == "django.db.backends.postgresql":
        import psycopg2

        name = f"{settings_dict['NAME']}_bench"
        admin = psycopg2.connect(
            host=settings_dict["HOST"] or "127.0.0.1",
            port=settings_dict["PORT"] or 5432,
            user=settings_dict["USER"],
            password=settings_dict["PASSWORD"] or None,
            dbname="postgres",
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        settings_dict["NAME"] = name
        auth = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
        return (
            f"postgres://{auth}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/{name}"
        )
    path = Path(tempfile.gettempdir()) / "cp_bench_scoring.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    settings_dict["NAME"] = str(path)
    return f"sqlite:///{path}"


def build(code: str, agencies: int, blocs: int, people: int, seed: int = 7):
    """A published plan with seed-002 style collective award and a seed-001 style individual award."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from agencies.models import Agency, AgencyKind, Membership, Person, Role
    from campaigns.models import (
        DEFAULT_PAR_BANDS,
        AwardForm,
        Bloc,
        BlocMembership,
        Campaign,
        CampaignState,
        Criterion,
        ParBand,
        QuotaBase,
        QuotaKind,
        QuotaScope,
        RankingKey,
        Recipient,
        Round,
        StaffRating,
        TargetGroup,
        TargetGroupKind,
        TieBreakKey,
    )
    from registrations.models import IndividualRegistration, Registration, RegistrationState
    from scoring.models import CriterionScore, ParIndexResult, ReviewAssignment, StaffRatingRecord

    rng = random.Random(seed)
    province = Agency.objects.create(code=f"{code}-tinh", name="UBND tỉnh", kind=AgencyKind.PROVINCE_PC)
    campaign = Campaign.objects.create(
        code=code,
        issuer=province,
        title=f"Benchmark {code}",
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        state=CampaignState.PUBLISHED,
    )
    round = Round.objects.create(
        campaign=campaign, year=2027, starts_on=campaign.period_start, ends_on=campaign.period_end
    )
    bands = {
        c: ParBand.objects.create(campaign=campaign, code=c, name=n, min_score=m, order=o)
        for c, n, m, o in DEFAULT_PAR_BANDS
    }
    TargetGroup.objects.create(
        campaign=campaign,
        code="tap-the",
        name="Tập thể",
        kind=TargetGroupKind.COLLECTIVE,
        agency_kinds=[AgencyKind.COMMUNE_PC],
    )
    individual = TargetGroup.objects.create(
        campaign=campaign, code="ca-nhan", name="Cá nhân", kind=TargetGroupKind.INDIVIDUAL
    )
    criteria = [
        Criterion.objects.create(target_group=individual, code=f"c{i}", text=f"Tiêu chí {i}", max_points=m)
        for i, m in enumerate([Decimal(40), Decimal(40), Decimal(20)])
    ]
    AwardForm.objects.create(
        campaign=campaign,
        code="cchc",
        name="Khen thưởng CCHC (tập thể)",
        recipient=Recipient.COLLECTIVE,
        min_par_band=bands["tot"],
        extends_to_head_and_deputy=True,
        quota_kind=QuotaKind.FRACTION,
        quota_numerator=1,
        quota_denominator=3,
        quota_base=QuotaBase.RANKED_IN_BLOC,
        quota_scope=QuotaScope.PER_BLOC,
        ranking_key=RankingKey.PAR_SCORE,
        tie_break_key=TieBreakKey.NONE,
    )
    AwardForm.objects.create(
        campaign=campaign,
        code="giay-khen",
        name="Giấy khen (cá nhân)",
        recipient=Recipient.INDIVIDUAL,
        order=1,
        min_staff_rating=StaffRating.GOOD,
        require_head_not_disciplined=True,
        quota_kind=QuotaKind.FRACTION,
        quota_numerator=1,
        quota_denominator=2,
        quota_base=QuotaBase.WITH_ACHIEVEMENTS,
        quota_scope=QuotaScope.PER_BLOC,
        ranking_key=RankingKey.TOTAL_SCORE,
        tie_break_key=TieBreakKey.REGISTERED_AT,
    )
    bloc_objs = Bloc.objects.bulk_create(
        [Bloc(campaign=campaign, code=f"khoi-{b:02d}", name=f"Khối {b + 1}", order=b) for b in range(blocs)]
    )
    agency_objs = Agency.objects.bulk_create(
        [
            Agency(
                code=f"{code}-{i:05d}",
                name=f"UBND phường {i}",
                kind=AgencyKind.COMMUNE_PC,
                parent=province,
                path=f"{province.path}{code}-{i:05d}/",
            )
            for i in range(agencies)
        ]
    )
    BlocMembership.objects.bulk_create(
        [
            BlocMembership(bloc=bloc_objs[i % blocs], agency=a, campaign=campaign)
            for i, a in enumerate(agency_objs)
        ]
    )
    ParIndexResult.objects.bulk_create(
        [
            ParIndexResult(agency=a, year=2027, score=Decimal(rng.randint(6000, 9999)) / 100, rating="")
            for a in agency_objs
        ]
    )
    now = timezone.now()
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                round=round,
                campaign=campaign,
                agency=a,
                state=RegistrationState.ACCEPTED,
                submitted_at=now - dt.timedelta(minutes=rng.randint(0, 100000)),
            )
            for a in agency_objs
        ]
    )
    person_objs = Person.objects.bulk_create(
        [
            Person(
                agency=a,
                code=f"p{j}",
                full_name=f"Nguyễn Văn {a.code}-{j}",
                is_head=(j == 0),
                is_reform_deputy=(j == 1),
            )
            for a in agency_objs
            for j in range(people)
        ],
        batch_size=5000,
    )
    ratings = [StaffRating.EXCELLENT, StaffRating.GOOD, StaffRating.GOOD, StaffRating.DONE]
    StaffRatingRecord.objects.bulk_create(
        [
            StaffRatingRecord(
                person=p, year=2027, rating=rng.choice(ratings), disciplined=rng.random() < 0.02
            )
            for p in person_objs
        ],
        batch_size=5000,
    )
    by_agency = {r.agency_id: r for r in registrations}
    individuals = IndividualRegistration.objects.bulk_create(
        [
            IndividualRegistration(registration=by_agency[p.agency_id], round=round, person=p)
            for p in person_objs
        ],
        batch_size=5000,
    )
    User = get_user_model()
    reviewers = User.objects.bulk_create([User(username=f"{code}-reviewer{i}") for i in range(REVIEWERS)])
    Membership.objects.bulk_create(
        [Membership(user=u, agency=province, role=Role.HOME_AFFAIRS) for u in reviewers]
    )
    assignments = ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(
                round=round,
                registration_id=i.registration_id,
                individual=i,
                target_group=individual,
                reviewer=u,
                completed_at=now,
            )
            for i in individuals
            for u in reviewers
        ],
        batch_size=5000,
    )
    CriterionScore.objects.bulk_create(
        [
            CriterionScore(
                assignment=a, criterion=c, points=Decimal(rng.randint(0, int(c.max_points) * 4)) / 4
            )
            for a in assignments
            for c in criteria
        ],
        batch_size=5000,
    )
    return campaign, reviewers[0]


FLOOR_SQL = """
WITH rt AS (
    SELECT a.individual_id AS ind, SUM(sc.points * c.weight) AS total
    FROM scoring_reviewassignment a
    JOIN scoring_criterionscore sc ON sc.assignment_id = a.id
    JOIN campaigns_criterion c ON c.id = sc.criterion_id
    WHERE a.round_id = %(round)s AND a.individual_id IS NOT NULL AND a.conflict_declared = %(false)s
      AND a.completed_at IS NOT NULL
    GROUP BY a.id, a.individual_id
), agg AS (
    SELECT ind, ROUND(AVG(total), 2) AS total FROM rt GROUP BY ind
), people AS (
    SELECT bm.bloc_id, i.id AS ind, agg.total, r.submitted_at,
           (CASE sr.rating WHEN 'excellent' THEN 4 WHEN 'good' THEN 3 WHEN 'done' THEN 2 WHEN 'failed' THEN 1
            ELSE 0 END) >= 3 AND NOT COALESCE(sr.disciplined, %(false)s) AS ok
    FROM registrations_individualregistration i
    JOIN registrations_registration r ON r.id = i.registration_id
    LEFT JOIN campaigns_blocmembership bm ON bm.campaign_id = %(campaign)s AND bm.agency_id = r.agency_id
    LEFT JOIN agg ON agg.ind = i.id
    LEFT JOIN scoring_staffratingrecord sr ON sr.person_id = i.person_id AND sr.year = %(year)s
    WHERE i.round_id = %(round)s
), people_ranked AS (
    SELECT bloc_id, ind, ok,
           RANK() OVER (PARTITION BY bloc_id, ok ORDER BY total DESC, submitted_at) AS rnk,
           (COUNT(total) OVER (PARTITION BY bloc_id)) / 2 AS quota
    FROM people
), agencies AS (
    SELECT bm.bloc_id, bm.agency_id, p.score,
           RANK() OVER (PARTITION BY bm.bloc_id, p.score >= 90 ORDER BY p.score DESC) AS rnk,
           (COUNT(p.score) OVER (PARTITION BY bm.bloc_id)) / 3 AS quota
    FROM campaigns_blocmembership bm
    LEFT JOIN scoring_parindexresult p ON p.agency_id = bm.agency_id AND p.year = %(year)s
    WHERE bm.campaign_id = %(campaign)s
)
SELECT 'collective', bloc_id, agency_id, rnk FROM agencies WHERE score >= 90 AND rnk <= quota
UNION ALL
SELECT 'individual', bloc_id, ind, rnk FROM people_ranked WHERE ok AND rnk <= quota
"""


def _seconds(times: list[float]) -> str:
    return " ".join(f"{t:.2f}" for t in times)


def floor_query(campaign) -> tuple[float, int]:
    from django.db import connection

    round = campaign.rounds.get()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"round": round.pk, "campaign": campaign.pk, "year": 2027, "false": False})
        rows = cursor.fetchall()
    return time.perf_counter() - started, len(rows)


class QueryCounter:
    """Counts every query sent on a connection, on SQLite and PostgreSQL alike.

    Not ``CaptureQueriesContext``: it counts the growth of the connection's debug log, a deque capped
    at 9,000 entries, so once the build's bulk inserts have filled it (SQLite's small batches do) every
    later count is 0. An execute wrapper sees each query whatever DEBUG and the log say.
    """

    def __init__(self, using: str = "default"):
        self.using = using
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connections

        self._wrapper = connections[self.using].execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def __len__(self) -> int:
        return self.count


def counted(label: str, queries: QueryCounter) -> int:
    """The count, refused if it is 0: a measurement that cannot fail is a defect."""
    if len(queries) <= 0:
        raise AssertionError(f"{label}: no query counted; the counter does not count")
    return len(queries)


def timed_compute(campaign):
    from scoring.results import compute_results

    with QueryCounter() as queries:
        started = time.perf_counter()
        run = compute_results(campaign)
        elapsed = time.perf_counter() - started
    return elapsed, counted("compute_results", queries), run


def _load(path: str, cookie: str, seconds: float, threads: int) -> tuple[float, int]:
    """Requests per second over ``seconds`` from ``threads`` clients on loopback (non-200 counted)."""
    done = [0] * threads
    errors = [0] * threads
    stop = time.perf_counter() + seconds

    def worker(n):
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                done[n] += 1
            else:
                errors[n] += 1

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(done) / (time.perf_counter() - started), sum(errors)


def _serve(database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "tests.settings_bench",  # the portal plus the bare view
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "campaign_portal.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/")
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def run():
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    database_url = _bench_database()
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    campaign, reviewer = build("bench", AGENCIES, BLOCS, PEOPLE_PER_AGENCY)
    small, small_reviewer = build("bench-small", AGENCIES // 100, 1, PEOPLE_PER_AGENCY)
    print(
        f"built {AGENCIES} agencies in {BLOCS} blocs, {AGENCIES * PEOPLE_PER_AGENCY} individual "
        f"registrations x {REVIEWERS} reviewers in {time.perf_counter() - started:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    timed_compute(small)
    small_time, small_queries, _ = timed_compute(small)  # a recompute, like the measured ones below
    # A warm-up of each (caches, plans, the first recompute's delete), then RUNS runs of each, interleaved
    # so that other work on the machine weighs on both alike; the medians are compared.
    timed_compute(campaign)
    floor_query(campaign)
    compute_times, floor_times = [], []
    for _ in range(RUNS):
        elapsed, queries, run_obj = timed_compute(campaign)
        compute_times.append(elapsed)
        floor_elapsed, floor_rows = floor_query(campaign)
        floor_times.append(floor_elapsed)
    compute_time, floor_time = statistics.median(compute_times), statistics.median(floor_times)
    proposed = run_obj.results.filter(proposed=True, kind__in=["collective", "individual"]).count()
    print(
        f"compute_results: {compute_time:.2f} s (median of {RUNS}: {_seconds(compute_times)}), "
        f"{run_obj.candidate_count} candidates, {proposed} proposed, {queries} queries"
    )
    print(
        f"floor (one SQL query): {floor_time:.2f} s (median of {RUNS}: {_seconds(floor_times)}), "
        f"{floor_rows} proposed"
    )
    print(
        f"ratio compute/floor: {compute_time / floor_time:.2f} (target <= 3); "
        f"under 10 s: {'yes' if compute_time < 10 else 'NO'}"
    )
    print(
        f"query count: {small_queries} for {AGENCIES // 100} agencies, {queries} for {AGENCIES} agencies "
        f"({'constant' if small_queries == queries else 'GROWS'})"
    )

    client, small_client = Client(), Client()
    client.force_login(reviewer)
    small_client.force_login(small_reviewer)
    page = reverse("scoring:bloc", args=[campaign.code, "khoi-00"]) + "?form=cchc&kind=collective"
    people_page = reverse("scoring:bloc", args=[campaign.code, "khoi-00"]) + "?form=giay-khen&kind=individual"
    # The bare view is not in the portal's URLs: the bench's own URLconf adds it (here and in gunicorn).
    with override_settings(ROOT_URLCONF="tests.urls_bench"):
        bare = reverse("bench_bare")
        with QueryCounter() as page_queries:
            assert client.get(page).status_code == 200
        with QueryCounter() as small_page_queries:
            assert (
                small_client.get(
                    reverse("scoring:bloc", args=[small.code, "khoi-00"]) + "?form=cchc"
                ).status_code
                == 200
            )
        with QueryCounter() as cached_queries:
            assert client.get(page).status_code == 200
        with QueryCounter() as bare_queries:
            assert client.get(bare).status_code == 200
    print(
        f"results page queries: {counted('results page', page_queries)} (bloc of {AGENCIES // BLOCS}), "
        f"{counted('small results page', small_page_queries)} (bloc of {AGENCIES // 100}); "
        f"cached: {counted('cached results page', cached_queries)} "
        f"(bare view: {counted('bare view', bare_queries)})"
    )
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    connection.close()

    server = _serve(database_url)
    try:
        for path in (page, people_page, bare):
            _load(path, cookie, 0.5, 1)  # warm up both workers' caches
        results_rps, results_err = _load(page, cookie, LOAD_SECONDS, LOAD_THREADS)
        people_rps, people_err = _load(people_page, cookie, LOAD_SECONDS, LOAD_THREADS)
        bare_rps, bare_err = _load(bare, cookie, LOAD_SECONDS, LOAD_THREADS)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"results page (collectives): {results_rps:.0f} req/s ({results_err} errors)")
    print(f"results page (individuals, 100 per page): {people_rps:.0f} req/s ({people_err} errors)")
    print(f"bare view (page shell): {bare_rps:.0f} req/s ({bare_err} errors)")
    print(f"ratio results/bare: {results_rps / bare_rps:.2f} and {people_rps / bare_rps:.2f} (target >= 0.5)")
