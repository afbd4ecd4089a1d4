"""Issue 19, item 4: a worker killed (SIGKILL, the whole process group: no shutdown, no
acknowledgement) in the middle of a dossier.

The task of the document it was rendering stays unacknowledged in Redis (late acknowledgement). Once
the document's lease has passed the job page says the document was interrupted and offers "Tạo lại";
once the visibility timeout has passed, another worker gets the task again, claims the abandoned
document and the job finishes: every document once, every file once in the bucket, the ZIP whole.
PostgreSQL, Redis and SeaweedFS are real; the worker processes share nothing with this one but them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import pytest
from django.urls import reverse

from awards.dossier import jobs
from awards.models import DocumentState, DossierDocument, DossierJob, JobState
from campaign_portal.celery import app
from tests.factories import decision_with_awardees

from . import processes
from .conftest import needs_postgres, needs_redis

pytestmark = [pytest.mark.celery_worker, needs_redis, needs_postgres]

DOCUMENTS = 30
SECONDS = 15  # DOSSIER_DOCUMENT_SECONDS of the workers: the lease is 35 s
VISIBILITY = 55  # CELERY_VISIBILITY_TIMEOUT: the killed worker's task comes back after this


@pytest.fixture
def purged():
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
        # Messages a killed worker of an earlier run left unacknowledged in this Redis database.
        client = conn.default_channel.client
        client.delete("unacked", "unacked_index")


def test_a_worker_killed_mid_dossier_loses_and_duplicates_nothing(
    transactional_db, purged, s3_media, settings, tmp_path, client
):
    settings.DOSSIER_DOCUMENT_SECONDS, settings.CELERY_VISIBILITY_TIMEOUT = SECONDS, VISIBILITY
    env = {
        "DATABASE_URL": processes.database_url(),
        "MEDIA_STORAGE_URL": settings.MEDIA_STORAGE_URL,
        "DOSSIER_DOCUMENT_SECONDS": str(SECONDS),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
    }
    world = decision_with_awardees("kh-kill", DOCUMENTS)
    first = processes.worker("first", tmp_path / "first", env)
    second = None
    try:
        job = jobs.start_job(world.decision, actor=world.officer, kinds=["giay_khen"], format="pdf")
        docs = DossierDocument.objects.filter(job=job)

        def mid_job():
            return (
                docs.filter(state=DocumentState.DONE).count() >= 3
                and docs.filter(state=DocumentState.RUNNING).exists()
            )

        processes.wait_for(mid_job, 300, "the first worker mid-job", every=0.05)
        first.kill()
        killed = list(docs.filter(state=DocumentState.RUNNING).values_list("pk", flat=True))
        done_at_kill = docs.filter(state=DocumentState.DONE).count()
        assert len(killed) == 1 and done_at_kill < DOCUMENTS, first.log()

        # Past the lease: the page says the document was interrupted and offers "Tạo lại" for it.
        processes.wait_for(lambda: jobs.progress(job).interrupted == 1, 120, "the lease to pass")
        client.force_login(world.officer)
        progress = client.get(reverse("awards:dossier_progress", args=[job.pk])).json()
        assert progress["state"] == "running" and progress["done"] == done_at_kill
        assert progress["notice"].startswith("1 văn bản đang tạo thì bị gián đoạn")
        assert [f["id"] for f in progress["failures"]] == killed
        page = client.get(reverse("awards:dossier_job", args=[job.pk])).content.decode()
        assert f'name="document" value="{killed[0]}"' in page  # its own "Tạo lại"

        # Another worker, nobody pressing anything: the task comes back and the job finishes.
        second = processes.worker("second", tmp_path / "second", env)
        processes.wait_for(
            lambda: DossierJob.objects.get(pk=job.pk).state in (JobState.DONE, JobState.FAILED),
            VISIBILITY + 240, "the job to finish",
        )  # fmt: skip
    finally:
        first.stop()
        if second is not None:
            second.stop()
    job.refresh_from_db()
    assert job.state == JobState.DONE, (first.log()[-3000:], second.log()[-3000:])
    attempts = dict(docs.values_list("pk", "attempts"))
    assert attempts[killed[0]] == 2 and {a for pk, a in attempts.items() if pk != killed[0]} == {1}
    assert "awards.render_dossier_document" in second.log()

    # Every file once in the bucket: the documents and the ZIP, nothing else.
    folder = f"{s3_media.prefix}/dossiers/{world.decision.pk}/{job.pk}"
    expected = sorted(f"{folder}/{d.folder}/{d.filename}.pdf" for d in docs) + [
        f"{folder}/{jobs.archive_name(job)}.zip"
    ]
    assert s3_media.objects() == sorted(expected)
    with job.archive.storage.open(job.archive.name, "rb") as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == job.archive_sha256
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = jobs.archive_name(job)
        manifest = list(csv.reader(io.StringIO(zf.read(f"{root}/manifest.csv").decode("utf-8-sig"))))[1:]
        assert len(zf.namelist()) == DOCUMENTS + 1
        for path, *_rest, sha in manifest:
            assert hashlib.sha256(zf.read(f"{root}/{path}")).hexdigest() == sha
    assert sorted(row[5] for row in manifest) == sorted(docs.values_list("pdf_sha256", flat=True))
