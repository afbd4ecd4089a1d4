"""Acceptance (issue 11): a batch of 200 certificates and reports runs through a real Celery worker
process against the Redis broker (REDIS_URL) and PostgreSQL (DATABASE_URL); CI sets both.

100 awardees, kinds bao_cao + giay_khen, PDF: the progress endpoint reaches 200/200 and the ZIP holds
200 files and the manifest.
"""

import csv
import io
import os
import zipfile

import pytest
from django.urls import reverse

from awards.dossier import documents, jobs
from awards.models import DossierJob, JobState
from tests.factories import decision_with_awardees
from tests.reminders.test_worker import Workers, _database_url, empty_queue, wait_for  # noqa: F401

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis broker: set REDIS_URL"),
]

AWARDEES = 100
KINDS = ["bao_cao", "giay_khen"]


@pytest.fixture
def worker(transactional_db, tmp_path, empty_queue, settings):  # noqa: F811
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    w = Workers(tmp_path, _database_url())
    w.start("dossier", MEDIA_ROOT=str(media))
    yield w
    w.stop()


def test_a_batch_of_200_documents_runs_through_a_real_worker(worker, client):
    world = decision_with_awardees("kh-200", AWARDEES)
    assert len(documents.plan_documents(world.decision, KINDS)) == 200
    job = jobs.start_job(
        world.decision, actor=world.officer, kinds=KINDS, format="pdf"
    )  # committed: the tasks go out
    client.force_login(world.officer)
    url = reverse("awards:dossier_progress", args=[job.pk])
    seen = []

    def finished():
        data = client.get(url).json()
        seen.append(data["done"])
        return data["finished"]

    wait_for(finished, timeout=600, what="the dossier")
    data = client.get(url).json()
    assert (data["state"], data["done"], data["total"], data["failed"], data["percent"]) == (
        "done",
        200,
        200,
        0,
        100,
    ), worker.logs()
    assert seen == sorted(seen)  # the bar only moves forward
    job = DossierJob.objects.get(pk=job.pk)
    assert job.state == JobState.DONE
    response = client.get(reverse("awards:dossier_zip", args=[job.pk]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:
        names = zf.namelist()
        root = jobs.archive_name(job)
        files = [n for n in names if n != f"{root}/manifest.csv"]
        assert len(names) == 201 and len(files) == 200
        specs = documents.plan_documents(world.decision, KINDS)
        assert sorted(files) == sorted(f"{root}/{s.folder}/{s.filename}.pdf" for s in specs)
        manifest = list(csv.reader(io.StringIO(zf.read(f"{root}/manifest.csv").decode("utf-8-sig"))))
    assert sorted(f"{root}/{row[0]}" for row in manifest[1:]) == sorted(files)
    # Every document was rendered once, in the worker process (not in this one).
    assert set(job.documents.values_list("attempts", flat=True)) == {1}
    assert "awards.render_dossier_document" in worker.logs()
    assert "awards.assemble_dossier" in worker.logs()
