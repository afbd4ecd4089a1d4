"""Generation of a decision's dossier (issue 11, "Generation at scale"), Celery in-process.

The documents themselves come from ``awards.dossier.documents``; these tests rely only on its
interface (``plan_documents``, ``render_pdf``, ``render_docx``) and on what every document must
carry: the awardee's name and the decision number.
"""

import csv
import datetime as dt
import hashlib
import io
import zipfile

import docx
import pypdf
import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Role
from awards.domain import decision as decisions
from awards.dossier import documents, jobs
from awards.errors import AwardError
from awards.models import DocumentState, DossierDocument, DossierJob, JobState, Proposal
from common.models import Notification
from tests.factories import AgencyFactory, decision_with_awardees, user_with_role

KINDS = ["bao_cao", "giay_khen"]
NAMES = ["Cơ quan 0", "Cơ quan 1", "Cơ quan 2"]


@pytest.fixture
def world(db):
    return decision_with_awardees("kh-a", 3)


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Runs what the services queue after the commit (the Celery tasks, in-process)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def read_zip(job: DossierJob) -> dict[str, bytes]:
    with job.archive.open("rb") as fh, zipfile.ZipFile(fh) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


# --- jobs ------------------------------------------------------------------------------------------


def test_a_job_renders_every_planned_document_in_both_formats_and_zips_them(world, run_tasks):
    decision = world.decision
    job = run_tasks(jobs.start_job, decision, actor=world.officer)
    specs = documents.plan_documents(decision)
    job.refresh_from_db()
    assert (job.state, job.total, job.sequence, job.kinds) == (
        JobState.DONE,
        len(specs),
        1,
        list(documents.DOCUMENT_KINDS),
    )
    docs = list(job.documents.order_by("position"))
    assert [(d.key, d.folder, d.filename, d.proposal_id) for d in docs] == [
        (s.key, s.folder, s.filename, s.proposal_id) for s in specs
    ]
    assert {d.state for d in docs} == {DocumentState.DONE}
    assert [d.attempts for d in docs] == [1] * len(specs)
    for doc in docs:
        assert doc.pdf.name == f"dossiers/{decision.pk}/{job.pk}/{doc.folder}/{doc.filename}.pdf"
        assert doc.docx.name == f"dossiers/{decision.pk}/{job.pk}/{doc.folder}/{doc.filename}.docx"
        with doc.pdf.open("rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == doc.pdf_sha256
    # The certificate of each awardee names the awardee and the decision.
    for name in NAMES:
        cert = job.documents.get(kind="giay_khen", proposal__agency__name=name)
        with cert.pdf.open("rb") as fh:
            text = pdf_text(fh.read())
        assert name in text and "125/QĐ-UBND" in text
        with cert.docx.open("rb") as fh:
            assert name in docx_text(fh.read())
    assert job.archive.name == f"dossiers/{decision.pk}/{job.pk}/ho-so-125-qd-ubnd-2028-lan-1.zip"
    # Starting is audited with the actor.
    [entry] = LogEntry.objects.get_for_object(job)
    assert entry.actor == world.officer
    assert entry.changes["total"] == [None, str(len(specs))]
    # Whoever started it is told, once, where to find it.
    [note] = Notification.objects.filter(recipient=world.officer, title__startswith="Hồ sơ")
    assert note.title == f"Hồ sơ khen thưởng của quyết định 125/QĐ-UBND đã tạo xong ({len(specs)} văn bản)"
    assert note.url == reverse("awards:dossier_job", args=[job.pk])


def test_kinds_and_format_chosen_limit_the_documents_and_files(world, run_tasks):
    job = run_tasks(
        jobs.start_job, world.decision, actor=world.officer, kinds=["giay_khen", "bao_cao"], format="pdf"
    )
    job.refresh_from_db()
    assert job.kinds == KINDS  # dossier order, whatever the order chosen
    specs = documents.plan_documents(world.decision, KINDS)
    assert job.total == len(specs)
    kinds = list(job.documents.values_list("kind", flat=True).order_by("position"))
    assert kinds == [s.kind for s in specs] and set(kinds) == set(KINDS)
    assert all(d.pdf and not d.docx for d in job.documents.all())
    files = [n for n in read_zip(job) if not n.endswith("/manifest.csv")]
    assert len(files) == len(specs) and all(n.endswith(".pdf") for n in files)


def test_the_zip_has_one_folder_per_kind_and_a_manifest_with_each_files_hash(world, run_tasks):
    job = run_tasks(jobs.start_job, world.decision, actor=world.officer, kinds=KINDS, format="both")
    job.refresh_from_db()
    content = read_zip(job)
    root = "ho-so-125-qd-ubnd-2028-lan-1"
    specs = documents.plan_documents(world.decision, KINDS)
    expected = sorted(
        [f"{root}/{s.folder}/{s.filename}.{ext}" for s in specs for ext in ("pdf", "docx")]
        + [f"{root}/manifest.csv"]
    )
    assert sorted(content) == expected
    assert {n.split("/")[1] for n in expected if not n.endswith(".csv")} == {s.folder for s in specs}
    assert all(n.isascii() for n in content)
    manifest = list(csv.reader(io.StringIO(content[f"{root}/manifest.csv"].decode("utf-8-sig"))))
    assert manifest[0] == ["Tệp", "Văn bản", "Loại văn bản", "Định dạng", "Dung lượng (byte)", "SHA-256"]
    rows = manifest[1:]
    assert len(rows) == 2 * len(specs)
    by_title = {s.key: s.title for s in specs}
    docs = {(d.folder, d.filename): d for d in job.documents.all()}
    for path, title, kind, fmt, size, sha in rows:
        data = content[f"{root}/{path}"]
        assert (int(size), sha) == (len(data), hashlib.sha256(data).hexdigest())
        folder, name = path.split("/")
        doc = docs[folder, name.rsplit(".", 1)[0]]
        assert title == by_title[doc.key]
        assert fmt == path.rsplit(".", 1)[1].upper()
        assert sha == getattr(doc, f"{fmt.lower()}_sha256")
        assert kind == {"bao_cao": "Báo cáo thành tích", "giay_khen": "Giấy khen"}[doc.kind]
    with job.archive.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == job.archive_sha256


def test_a_failed_document_is_named_and_retried_alone(world, run_tasks, monkeypatch, client):
    broken = documents.plan_documents(world.decision, ["giay_khen"])[1]
    real = documents.render_pdf

    def render_pdf(decision, spec):
        if spec.key == broken.key:
            raise RuntimeError("font cache is gone")
        return real(decision, spec)

    monkeypatch.setattr(documents, "render_pdf", render_pdf)
    job = run_tasks(jobs.start_job, world.decision, actor=world.officer, kinds=KINDS, format="pdf")
    job.refresh_from_db()
    assert job.state == JobState.FAILED and not job.archive
    doc = job.documents.get(key=broken.key)
    assert (doc.state, doc.attempts, doc.pdf.name) == (DocumentState.FAILED, 1, "")
    assert doc.error == (
        "Không tạo được bản PDF của văn bản này. "
        "Bấm “Tạo lại” để thử lại; nếu vẫn lỗi, báo quản trị hệ thống."
    )
    assert doc.error_detail.startswith("pdf: RuntimeError: font cache is gone")
    assert list(
        Notification.objects.filter(recipient=world.officer, title__startswith="Hồ sơ").values_list(
            "title", flat=True
        )
    ) == ["Hồ sơ khen thưởng của quyết định 125/QĐ-UBND: 1 văn bản bị lỗi, cần tạo lại"]
    client.force_login(world.officer)
    data = client.get(reverse("awards:dossier_progress", args=[job.pk])).json()
    n = job.total
    assert (data["state"], data["done"], data["failed"], data["total"], data["finished"]) == (
        "failed",
        n - 1,
        1,
        n,
        True,
    )
    assert data["failures"] == [{"id": doc.pk, "title": broken.title, "error": doc.error}]
    page = client.get(reverse("awards:dossier_job", args=[job.pk])).content.decode()
    assert broken.title in page and "Tạo lại" in page and doc.error in page

    monkeypatch.setattr(documents, "render_pdf", real)
    others = {d.pk: (d.attempts, d.pdf.name) for d in job.documents.exclude(pk=doc.pk)}
    with pytest.raises(AwardError):  # a document that did not fail is not retried
        jobs.retry(job, actor=world.officer, document_id=next(iter(others)))
    response = run_tasks(client.post, reverse("awards:dossier_retry", args=[job.pk]), {"document": doc.pk})
    assert response.status_code == 302
    job.refresh_from_db()
    doc.refresh_from_db()
    assert job.state == JobState.DONE and job.archive
    assert (doc.state, doc.attempts, doc.error) == (DocumentState.DONE, 2, "")
    assert {d.pk: (d.attempts, d.pdf.name) for d in job.documents.exclude(pk=doc.pk)} == others
    assert len(read_zip(job)) == job.total + 1
    retry_entry = LogEntry.objects.get_for_object(job).order_by("-pk").first()
    assert retry_entry.actor == world.officer
    assert retry_entry.additional_data["note"] == f"Tạo lại 1 văn bản: {broken.title}"


def test_a_duplicate_delivery_of_a_task_does_nothing(world, run_tasks):
    job = run_tasks(jobs.start_job, world.decision, actor=world.officer, kinds=["quyet_dinh"], format="pdf")
    doc = job.documents.get()
    assert jobs.render_document(doc.pk) == "skipped"
    doc.refresh_from_db()
    assert (doc.state, doc.attempts) == (DocumentState.DONE, 1)
    assert jobs.assemble(job.pk) == JobState.DONE  # already assembled: nothing written again


def test_progress_before_the_tasks_run_and_the_page_without_javascript(world, client):
    job = jobs.start_job(
        world.decision, actor=world.officer, kinds=KINDS, format="pdf"
    )  # not committed: no task ran
    n = len(documents.plan_documents(world.decision, KINDS))
    client.force_login(world.leader)
    data = client.get(reverse("awards:dossier_progress", args=[job.pk])).json()
    assert data == {
        "state": "running", "state_label": "Đang tạo văn bản", "total": n, "done": 0, "failed": 0,
        "waiting": n, "percent": 0, "finished": False, "error": "", "notice": "", "failures": [],
        "archive_url": "",
    }  # fmt: skip
    page = client.get(reverse("awards:dossier_job", args=[job.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert f'<span data-field="done">0</span>/<span data-field="total">{n}</span>' in page
    assert "Tải lại trang" in page
    assert "js/dossier-progress.js" in page


def test_a_new_job_after_an_amending_decision_keeps_the_old_files(world, run_tasks, client):
    first = run_tasks(jobs.start_job, world.decision, actor=world.officer, kinds=KINDS, format="pdf")
    first.refresh_from_db()
    old = {d.pdf.name: d.pdf_sha256 for d in first.documents.all()}
    old_archive = (first.archive.name, first.archive_sha256)
    amending = decisions.amend_decision(
        world.decision, actor=world.leader, number="130/QĐ-UBND", decided_on=dt.date(2028, 2, 1),
        signer_capacity="TM.", signer_title="Chủ tịch", signer_name="Nguyễn Văn An", reason="Sửa tên đơn vị",
    )  # fmt: skip
    second = run_tasks(jobs.start_job, amending, actor=world.officer, kinds=KINDS, format="pdf")
    again = run_tasks(jobs.start_job, world.decision, actor=world.officer, kinds=KINDS, format="pdf")
    second.refresh_from_db()
    again.refresh_from_db()
    assert (second.sequence, again.sequence) == (1, 2)
    for job in (first, second, again):
        assert job.state == JobState.DONE
    first.refresh_from_db()
    assert (first.archive.name, first.archive_sha256) == old_archive
    for doc in first.documents.all():
        with doc.pdf.open("rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == old[doc.pdf.name]
    assert not set(old) & {d.pdf.name for d in second.documents.all()}
    assert not set(old) & {d.pdf.name for d in again.documents.all()}
    cert = second.documents.filter(kind="giay_khen").first()
    with cert.pdf.open("rb") as fh:
        assert "130/QĐ-UBND" in pdf_text(fh.read())
    client.force_login(world.leader)
    page = client.get(reverse("awards:dossier", args=[world.decision.pk])).content.decode()
    assert "Quyết định này đã được sửa đổi bởi quyết định số 130/QĐ-UBND" in page
    assert page.count(reverse("awards:dossier_zip", args=[first.pk])) == 1


# --- pages and files ---------------------------------------------------------------------------------


def test_home_affairs_starts_from_the_list_and_downloads(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.officer)
    list_page = client.get(reverse("awards:list", args=[world.plist.pk])).content.decode()
    assert reverse("awards:dossier", args=[world.decision.pk]) in list_page
    page = client.get(reverse("awards:dossier", args=[world.decision.pk])).content.decode()
    assert "Tạo hồ sơ" in page and reverse("awards:dossier_start", args=[world.decision.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("awards:dossier_start", args=[world.decision.pk]), {"kinds": KINDS, "format": "both"}
        )
    job = DossierJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "awards:dossier_job", args=[job.pk]
    )
    zipped = client.get(reverse("awards:dossier_zip", args=[job.pk]))
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    assert zipped["Content-Disposition"] == 'attachment; filename="ho-so-125-qd-ubnd-2028-lan-1.zip"'
    assert (
        len(zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))).namelist()) == 2 * job.total + 1
    )
    doc = job.documents.filter(kind="giay_khen").order_by("position").first()
    word = client.get(reverse("awards:dossier_document", args=[job.pk, doc.pk, "docx"]))
    assert word["Content-Disposition"] == f'attachment; filename="{doc.filename}.docx"'
    assert doc.proposal.agency.name in docx_text(b"".join(word.streaming_content))
    shown = client.get(reverse("awards:dossier_document_preview", args=[job.pk, doc.pk]))
    assert shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"] == f'inline; filename="{doc.filename}.pdf"'
    with doc.pdf.open("rb") as fh:
        assert shown.content == fh.read()  # the stored file
    assert client.get(reverse("awards:dossier_document", args=[job.pk, doc.pk, "exe"])).status_code == 404


def test_a_document_previews_at_once_without_a_job(world, client):
    client.force_login(world.leader)
    spec = documents.plan_documents(world.decision, ["giay_khen"])[0]
    response = client.get(reverse("awards:dossier_preview", args=[world.decision.pk, spec.key]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    awardee = Proposal.objects.get(pk=spec.proposal_id).name
    assert awardee in NAMES and awardee in text and "125/QĐ-UBND" in text
    assert (
        client.get(reverse("awards:dossier_preview", args=[world.decision.pk, "khong-co"])).status_code == 404
    )
    assert not DossierJob.objects.exists()


def test_bad_input_gets_a_vietnamese_message(world, client):
    client.force_login(world.officer)
    url = reverse("awards:dossier_start", args=[world.decision.pk])
    response = client.post(url, {"format": "pdf"}, follow=True)
    assert "Chọn ít nhất một loại văn bản." in response.content.decode()
    response = client.post(url, {"kinds": ["giay_khen", "thu-moi"], "format": "pdf"}, follow=True)
    assert "Loại văn bản không hợp lệ." in response.content.decode()
    response = client.post(url, {"kinds": ["giay_khen"], "format": "zip"}, follow=True)
    assert "Chọn định dạng: PDF, Word hoặc cả hai." in response.content.decode()
    assert not DossierJob.objects.exists()
    job = jobs.start_job(world.decision, actor=world.officer, kinds=["giay_khen"], format="pdf")
    retry = reverse("awards:dossier_retry", args=[job.pk])
    assert (
        "Văn bản cần tạo lại không hợp lệ."
        in client.post(retry, {"document": "abc"}, follow=True).content.decode()
    )
    assert "Không có văn bản lỗi nào để tạo lại." in client.post(retry, follow=True).content.decode()
    assert client.get(reverse("awards:dossier_zip", args=[job.pk])).status_code == 404  # not finished


def test_a_failing_preview_gets_a_message_not_a_500(world, client, monkeypatch):
    def render_pdf(decision, spec):
        raise OSError("no fonts")

    monkeypatch.setattr(documents, "render_pdf", render_pdf)
    client.force_login(world.officer)
    spec = documents.plan_documents(world.decision, ["quyet_dinh"])[0]
    response = client.get(reverse("awards:dossier_preview", args=[world.decision.pk, spec.key]), follow=True)
    assert f"Không xem trước được văn bản “{spec.title}”; báo quản trị hệ thống." in response.content.decode()


def test_other_issuers_and_other_roles_are_refused(world, run_tasks, client):
    job = run_tasks(jobs.start_job, world.decision, actor=world.officer, kinds=["giay_khen"], format="both")
    doc = job.documents.order_by("position").first()
    other_province = AgencyFactory(code="tinh-b", name="UBND tỉnh B")
    ward = AgencyFactory(code="phuong-a", name="Phường A", parent=world.province)
    outsiders = [
        user_with_role(Role.HOME_AFFAIRS, other_province, username="noivu-b"),
        user_with_role(Role.LEADERSHIP, other_province, username="lanhdao-b"),
        user_with_role(Role.STAFF, ward, username="canbo-a"),
        user_with_role(Role.COUNCIL, world.province, username="hoidong-a"),
    ]
    d = world.decision.pk
    gets = [
        reverse("awards:dossier", args=[d]),
        reverse("awards:dossier_preview", args=[d, doc.key]),
        reverse("awards:dossier_job", args=[job.pk]),
        reverse("awards:dossier_progress", args=[job.pk]),
        reverse("awards:dossier_zip", args=[job.pk]),
        reverse("awards:dossier_document", args=[job.pk, doc.pk, "pdf"]),
        reverse("awards:dossier_document_preview", args=[job.pk, doc.pk]),
    ]
    posts = [reverse("awards:dossier_start", args=[d]), reverse("awards:dossier_retry", args=[job.pk])]
    for user in outsiders:
        client.force_login(user)
        assert [client.get(url).status_code for url in gets] == [404] * len(gets), user.username
        assert [client.post(url).status_code for url in posts] == [404] * len(posts), user.username
    # The leadership reads and downloads, but does not generate.
    client.force_login(world.leader)
    assert [client.get(url).status_code for url in gets] == [200] * len(gets)
    assert "Tạo hồ sơ" not in client.get(gets[0]).content.decode()
    assert [client.post(url).status_code for url in posts] == [404, 404]
    with pytest.raises(AwardError):
        jobs.start_job(world.decision, actor=world.leader)
    assert DossierJob.objects.count() == 1
    client.logout()
    assert client.get(gets[4]).status_code == 302  # to the login page


def _decision_with_job(code: str, awardees: int, failed: int):
    world = decision_with_awardees(code, awardees, number=f"{awardees}/QĐ-UBND")
    job = jobs.start_job(world.decision, actor=world.officer, kinds=KINDS, format="pdf")
    docs = list(job.documents.order_by("position"))
    for doc in docs[:failed]:
        doc.state, doc.error = DocumentState.FAILED, "Lỗi"
    for doc in docs[failed : failed + awardees]:
        doc.state = DocumentState.DONE
    DossierDocument.objects.bulk_update(docs, ["state", "error"])
    return world, job


def test_the_progress_endpoint_costs_the_same_queries_for_any_number_of_documents(db, client):
    counts = []
    for code, awardees, failed in (("nho", 1, 1), ("lon", 30, 12)):
        world, job = _decision_with_job(code, awardees, failed)
        client.force_login(world.officer)
        url = reverse("awards:dossier_progress", args=[job.pk])
        client.get(url)  # warm-up: session and content types
        with CaptureQueriesContext(connection) as ctx:
            data = client.get(url).json()
        assert (data["total"], data["done"], data["failed"]) == (2 * awardees, awardees, failed)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_job_page_and_the_dossier_page_cost_the_same_queries_for_any_size(db, client):
    counts = []
    for code, awardees, failed in (("nho", 1, 1), ("lon", 25, 5)):
        world, job = _decision_with_job(code, awardees, failed)
        client.force_login(world.officer)
        pages = [
            reverse("awards:dossier_job", args=[job.pk]),
            reverse("awards:dossier", args=[world.decision.pk]),
        ]
        for url in pages:
            client.get(url)  # warm-up
        sizes = []
        for url in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            sizes.append(len(ctx.captured_queries))
        counts.append(sizes)
    assert counts[0] == counts[1]


def test_a_stored_file_lost_or_changed_before_the_zip_fails_its_document_for_a_retry(world, run_tasks):
    job = run_tasks(jobs.start_job, world.decision, actor=world.officer, kinds=KINDS, format="pdf")
    lost, changed = job.documents.order_by("position")[:2]
    lost.pdf.storage.delete(lost.pdf.name)
    with changed.pdf.storage.open(changed.pdf.name, "wb") as fh:
        fh.write(b"%PDF-1.4 not the document")
    DossierJob.objects.filter(pk=job.pk).update(state=JobState.ASSEMBLING, archive="")
    assert jobs.assemble(job.pk) == JobState.FAILED
    job.refresh_from_db()
    assert job.state == JobState.FAILED and not job.archive
    assert sorted(job.documents.filter(state=DocumentState.FAILED).values_list("pk", flat=True)) == sorted(
        [lost.pk, changed.pk]
    )
    assert job.documents.get(pk=lost.pk).error.startswith(
        "Tệp đã tạo của văn bản này bị mất hoặc bị thay đổi trong kho lưu trữ."
    )
    assert run_tasks(jobs.retry, job, actor=world.officer) == 2
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert len(read_zip(job)) == job.total + 1
    assert set(job.documents.values_list("attempts", flat=True)) == {1, 2}


def test_documents_waiting_with_nothing_moving_for_two_minutes_say_so(world):
    job = jobs.start_job(
        world.decision, actor=world.officer, kinds=KINDS, format="pdf"
    )  # no task runs: no worker
    assert jobs.progress(job, now=job.started_at + dt.timedelta(seconds=119)).notice == ""
    late = jobs.progress(job, now=job.started_at + dt.timedelta(seconds=121))
    assert late.stalled and late.notice.startswith(
        "Đã hơn 2 phút mà chưa có văn bản nào được tạo: dịch vụ tạo văn bản có thể đang dừng."
    )
    first = job.documents.order_by("position").first()
    jobs.render_document(first.pk)  # a worker takes one: the clock starts again from it
    first.refresh_from_db()
    assert not jobs.progress(job, now=first.finished_at + dt.timedelta(seconds=119)).stalled
    assert jobs.progress(job, now=first.finished_at + dt.timedelta(seconds=121)).stalled


def test_repeated_file_names_of_a_folder_get_a_number():
    def spec(key, folder, filename):
        return documents.DocumentSpec(
            kind="giay_khen", key=key, title=key, folder=folder, filename=filename, proposal_id=None
        )

    specs = [spec("a", "5-giay-khen", "gk"), spec("b", "5-giay-khen", "gk"), spec("c", "3-bao-cao", "gk")]
    specs.append(spec("d", "5-giay-khen", "gk"))
    assert jobs._unique_names(specs) == ["gk", "gk-2", "gk", "gk-3"]
