"""A dossier on the S3 bucket (SeaweedFS on 127.0.0.1): every document and the ZIP are objects of the
bucket, the ZIP is assembled as a stream (read in pieces from the bucket, written into it as a
multipart upload) with memory that does not grow with the dossier, and downloads are streamed
through the permission-checked views."""

import hashlib
import io
import os
import tracemalloc
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from awards.dossier import jobs
from awards.models import DocumentState, DossierDocument, DossierJob, JobState
from tests.factories import decision_with_awardees

MB = 1024 * 1024


@pytest.fixture
def world(db):
    return decision_with_awardees("kh-s3", 3)


def run(django_capture_on_commit_callbacks, fn, *args, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return fn(*args, **kwargs)


def test_a_dossier_is_made_into_the_bucket_and_downloaded_through_the_views(
    world, s3_media, client, django_capture_on_commit_callbacks
):
    job = run(django_capture_on_commit_callbacks, jobs.start_job, world.decision, actor=world.officer)
    job.refresh_from_db()
    assert job.state == JobState.DONE
    docs = list(job.documents.order_by("position"))
    folder = f"dossiers/{world.decision.pk}/{job.pk}"
    expected = sorted(
        [f"{s3_media.prefix}/{folder}/{d.folder}/{d.filename}.{fmt}" for d in docs for fmt in ("pdf", "docx")]
        + [f"{s3_media.prefix}/{folder}/{jobs.archive_name(job)}.zip"]
    )
    assert s3_media.objects() == expected  # one object per file: no copy, nothing on local disk

    client.force_login(world.leader)
    response = client.get(reverse("awards:dossier_zip", args=[job.pk]))
    assert response.status_code == 200 and response.streaming
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == job.archive_sha256
    assert int(response["Content-Length"]) == len(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert len(zf.namelist()) == 2 * len(docs) + 1
        assert zf.testzip() is None
    first = docs[0]
    response = client.get(reverse("awards:dossier_document", args=[job.pk, first.pk, "pdf"]))
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == first.pdf_sha256

    # A task delivered again after its worker died rewrites its file in place: still one object each.
    DossierDocument.objects.filter(pk=first.pk).update(state=DocumentState.QUEUED)
    DossierJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    run(django_capture_on_commit_callbacks, jobs.render_document, first.pk)
    assert s3_media.objects() == expected
    job.refresh_from_db()
    assert job.state == JobState.DONE


def test_the_zip_is_streamed_with_flat_memory(world, s3_media, django_capture_on_commit_callbacks, client):
    """Each document's stored file made 4 MB (incompressible): they go into the ZIP with a peak of
    Python memory bounded by the 5 MB upload part, not by the dossier; the download streams."""
    job = run(
        django_capture_on_commit_callbacks, jobs.start_job, world.decision, actor=world.officer,
        kinds=["giay_khen", "bao_cao", "quyet_dinh", "to_trinh"], format="pdf",
    )  # fmt: skip
    docs = list(job.documents.order_by("position"))
    assert len(docs) >= 6
    big = 4 * MB
    for doc in docs[:12]:
        data = os.urandom(big)  # incompressible, as PDFs nearly are
        doc.pdf.storage.save(doc.pdf.name, ContentFile(data))
        DossierDocument.objects.filter(pk=doc.pk).update(pdf_sha256=hashlib.sha256(data).hexdigest())
    stored = sum(d.pdf.size for d in DossierDocument.objects.filter(job=job))
    DossierJob.objects.filter(pk=job.pk).update(state=JobState.ASSEMBLING, archive="")

    tracemalloc.start()
    try:
        assert jobs.assemble(job.pk) == JobState.DONE
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    job.refresh_from_db()
    print(f"assembled {stored / MB:.1f} MB of files into the ZIP with a peak of {peak / MB:.1f} MB")
    assert stored > 6 * big
    assert peak < 16 * MB  # the 5 MB part being uploaded and its buffer, never the dossier

    client.force_login(world.officer)
    response = client.get(reverse("awards:dossier_zip", args=[job.pk]))
    digest, size = hashlib.sha256(), 0
    tracemalloc.start()
    try:
        for chunk in response.streaming_content:
            digest.update(chunk)
            size += len(chunk)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"downloaded the {size / MB:.1f} MB ZIP with a peak of {peak / MB:.2f} MB")
    assert digest.hexdigest() == job.archive_sha256 and size > stored
    assert peak < 4 * MB
