"""Benchmark of a 200-document dossier (``make bench`` or ``python -m tests.bench dossier``).

In a throw-away test database and a temporary MEDIA_ROOT: a decision of 100 awardees, kinds
Báo cáo thành tích + Giấy khen in PDF (200 documents). Measures

- queueing: ``start_job`` (planning, the 200 rows, the audit entry, sending the 200 task messages to
  the configured broker: Redis with REDIS_URL, Celery's in-memory transport otherwise), against a
  2-second target, and its query count against a 10-document dossier (equal on PostgreSQL; SQLite
  splits the rows' INSERT into batches);
- rendering the 200 documents one after another in this process (time per document);
- assembling the ZIP with its manifest, against a 5-second target;
- with REDIS_URL and a PostgreSQL DATABASE_URL: the whole batch through one and then two real
  worker processes (target: two workers at least 1.6x faster).
"""

from __future__ import annotations

import tempfile
import time

AWARDEES = 100
KINDS = ["bao_cao", "giay_khen"]
QUEUE_TARGET = 2.0
ASSEMBLE_TARGET = 5.0
TWO_WORKERS_TARGET = 1.6


def _queue(code: str, awardees: int):
    """(job, seconds, queries) of starting a job whose tasks are sent to the broker, not run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awards.dossier import jobs
    from campaign_portal.celery import app
    from tests.factories import decision_with_awardees

    world = decision_with_awardees(code, awardees, number=f"{awardees}/QĐ-UBND")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            job = jobs.start_job(world.decision, actor=world.officer, kinds=KINDS, format="pdf")
            seconds = time.perf_counter() - started
    finally:
        app.conf.task_always_eager = eager
    with app.connection_for_write() as conn:  # nobody consumes them here: drop the messages
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    return world, job, seconds, len(ctx.captured_queries)


def _through_workers(world, n_workers: int, tmp: str) -> float:
    """Seconds for a fresh job of the decision to finish with ``n_workers`` worker processes."""
    from pathlib import Path

    from awards.dossier import jobs
    from awards.models import DossierJob
    from tests.reminders.test_worker import Workers, _database_url, wait_for

    work = Path(tempfile.mkdtemp(dir=tmp))
    workers = Workers(work, _database_url())
    try:
        for i in range(n_workers):
            workers.start(f"bench{i}", MEDIA_ROOT=str(Path(tmp) / "media"))
        started = time.perf_counter()
        job = jobs.start_job(world.decision, actor=world.officer, kinds=KINDS, format="pdf")
        wait_for(lambda: DossierJob.objects.get(pk=job.pk).is_finished, timeout=1200, what="the dossier")
        seconds = time.perf_counter() - started
        assert DossierJob.objects.get(pk=job.pk).is_done, workers.logs()
        return seconds
    finally:
        workers.stop()


def run() -> None:
    import os

    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

    from awards.dossier import jobs
    from campaign_portal.celery import app

    eager = app.conf.task_always_eager
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with tempfile.TemporaryDirectory() as tmp, override_settings(MEDIA_ROOT=f"{tmp}/media"):
            _queue("khoi-dong", 2)  # warm-up: first-use caches (content types, the broker connection)
            _, _, _, small_queries = _queue("nho", 5)
            world, job, seconds, queries = _queue("lon", AWARDEES)
            verdict = "ok" if seconds < QUEUE_TARGET else "TOO SLOW"
            print(
                f"queue: {job.total} documents in {seconds:.2f} s ({verdict}, target {QUEUE_TARGET:.0f} s); "
                f"{queries} queries (10 documents: {small_queries})"
            )
            if connection.vendor == "sqlite":
                print("  (SQLite splits the INSERT of the rows into batches of its variable limit)")
            else:
                assert queries == small_queries, (queries, small_queries)

            app.conf.task_always_eager = False  # the last document queues the ZIP: measured below
            try:
                started = time.perf_counter()
                for pk in job.documents.order_by("position").values_list("pk", flat=True):
                    jobs.render_document(pk)
                rendered = time.perf_counter() - started
            finally:
                app.conf.task_always_eager = eager
                with app.connection_for_write() as conn:
                    conn.default_channel.queue_purge(app.conf.task_default_queue)
            print(
                f"render in one process: {job.total} PDF documents in {rendered:.1f} s "
                f"({1000 * rendered / job.total:.0f} ms per document)"
            )

            started = time.perf_counter()
            state = jobs.assemble(job.pk)
            seconds = time.perf_counter() - started
            job.refresh_from_db()
            verdict = "ok" if seconds < ASSEMBLE_TARGET else "TOO SLOW"
            print(
                f"assemble: ZIP of {job.total} files + manifest ({job.archive.size / 1e6:.1f} MB) in "
                f"{seconds:.2f} s ({verdict}, target {ASSEMBLE_TARGET:.0f} s)"
            )
            assert state == "done", state

            if os.environ.get("REDIS_URL") and connection.vendor == "postgresql":
                one = _through_workers(world, 1, tmp)
                two = _through_workers(world, 2, tmp)
                verdict = "ok" if one / two >= TWO_WORKERS_TARGET else "BELOW TARGET"
                print(
                    f"worker processes: {job.total} documents with 1 worker {one:.1f} s, with 2 workers "
                    f"{two:.1f} s: {one / two:.2f}x ({verdict}, target {TWO_WORKERS_TARGET}x; "
                    f"{os.cpu_count()} CPU cores)"
                )
            else:
                print("worker processes: skipped (needs REDIS_URL and a PostgreSQL DATABASE_URL)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
