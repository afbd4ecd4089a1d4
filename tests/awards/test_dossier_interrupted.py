"""Documents whose worker stopped mid-render (issue 19, item 4), in-process: the lease, the page's
"Tạo lại", the beat sweep. The real kill (SIGKILL of a worker process):
tests/storage/test_worker_killed.py."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.dossier import jobs
from awards.models import DocumentState, DossierDocument, DossierJob, JobState
from common.models import Notification
from tests.factories import decision_with_awardees


@pytest.fixture
def job(db, settings):
    settings.DOSSIER_DOCUMENT_SECONDS, settings.CELERY_VISIBILITY_TIMEOUT = 60, 300  # lease 80 s
    world = decision_with_awardees("kh-int", 3)
    job = jobs.start_job(world.decision, actor=world.officer, kinds=["giay_khen"], format="pdf")  # not run
    job.world = world
    return job


def taken(doc, seconds_ago, attempts=1):
    DossierDocument.objects.filter(pk=doc.pk).update(
        state=DocumentState.RUNNING,
        attempts=attempts,
        started_at=timezone.now() - dt.timedelta(seconds=seconds_ago),
    )


def test_a_document_held_within_its_lease_is_left_to_its_holder(job):
    doc = job.documents.order_by("position").first()
    taken(doc, 30)
    assert jobs.render_document(doc.pk) == jobs.HELD
    doc.refresh_from_db()
    assert (doc.state, doc.attempts) == (DocumentState.RUNNING, 1)
    assert jobs.progress(job).interrupted == 0


def test_an_abandoned_document_is_offered_again_and_taken_over(job, client):
    doc = job.documents.order_by("position").first()
    taken(doc, 81)
    state = jobs.progress(job)
    assert (state.interrupted, state.failures[0].id) == (1, doc.pk)
    assert state.notice == (
        "1 văn bản đang tạo thì bị gián đoạn (dịch vụ tạo văn bản dừng giữa chừng). Hệ thống sẽ tự tạo lại "
        "khi dịch vụ chạy lại; có thể bấm “Tạo lại” để tạo ngay."
    )
    client.force_login(job.world.officer)
    page = client.get(reverse("awards:dossier_job", args=[job.pk])).content.decode()
    assert f'name="document" value="{doc.pk}"' in page and "Tạo lại các văn bản lỗi" in page
    client.force_login(job.world.leader)  # sees it, may not make it again
    assert (
        f'name="document" value="{doc.pk}"'
        not in client.get(reverse("awards:dossier_job", args=[job.pk])).content.decode()
    )
    # The task delivered again (the broker's visibility timeout) claims it and renders it.
    assert jobs.render_document(doc.pk) == DocumentState.DONE
    doc.refresh_from_db()
    assert (doc.state, doc.attempts) == (DocumentState.DONE, 2)


def test_tao_lai_takes_an_interrupted_document_at_once(job):
    doc = job.documents.order_by("position").first()
    taken(doc, 81)
    assert jobs.retry(job, actor=job.world.officer, document_id=doc.pk) == 1
    doc.refresh_from_db()
    assert doc.state == DocumentState.QUEUED


def test_a_document_interrupted_three_times_fails_instead_of_looping(job):
    doc = job.documents.order_by("position").first()
    taken(doc, 81, attempts=jobs.MAX_INTERRUPTIONS)
    assert jobs.render_document(doc.pk) == DocumentState.FAILED
    doc.refresh_from_db()
    assert doc.error.startswith("Việc tạo văn bản này đã bị gián đoạn nhiều lần")


def test_the_sweep_fails_documents_whose_task_never_came_back_and_tells_the_starter(job):
    docs = list(job.documents.order_by("position"))
    for doc in docs[1:]:
        jobs.render_document(doc.pk)
    taken(docs[0], 300 + 2 * 80 - 5)  # not yet past the visibility timeout and two leases
    assert jobs.sweep_interrupted() == 0
    taken(docs[0], 300 + 2 * 80 + 5)
    assert jobs.sweep_interrupted() == 1
    job.refresh_from_db()
    docs[0].refresh_from_db()
    assert (job.state, docs[0].state) == (JobState.FAILED, DocumentState.FAILED)
    assert docs[0].error.startswith(
        "Việc tạo văn bản này bị gián đoạn (dịch vụ tạo văn bản dừng giữa chừng)."
    )
    assert (
        Notification.objects.filter(recipient=job.world.officer, object_id=job.pk).values_list(
            "title", flat=True
        )[0]
        == f"Hồ sơ khen thưởng của quyết định {job.decision.number}: 1 văn bản bị lỗi, cần tạo lại"
    )
    assert jobs.retry(job, actor=job.world.officer) == 1
    assert DossierJob.objects.get(pk=job.pk).state == JobState.RUNNING
