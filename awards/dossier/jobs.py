"""Generation of a decision's dossier at scale (hồ sơ khen thưởng): one job per generation, one
Celery task per document, the ZIP assembled when the last document is done.

The state lives in the database, not in Celery's result backend (the portal runs without one):

- ``start_job`` writes the job and one ``DossierDocument`` row per ``DocumentSpec`` and, after the
  commit, sends one task per document as a Celery group;
- each task claims its row with a conditional UPDATE (a redelivered or duplicated task finds it
  done and stops), renders PDF and/or DOCX through ``awards.dossier.documents``, stores the files
  under ``MEDIA_ROOT/dossiers/<decision>/<job>/`` and marks the row done or failed;
- after its own row is written, a task checks whether any row is still waiting; the one that finds
  none claims the job (conditional UPDATE running -> assembling, so exactly one assembles) and the
  ZIP task writes the archive with its manifest. This is a chord without a result backend.

A failed document keeps a Vietnamese message for the page and the technical detail for the log; it
is retried alone (``retry``). A new generation is a new job in its own folder: the files of an
earlier job, e.g. before an amending decision, stay as they were (a decision's documents are
records).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import traceback
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import outbox
from common import storage as stored_files
from common.audit import record
from common.models import NotificationKind
from common.notifications import notify
from common.spreadsheets import csv_bytes

from ..errors import AwardError
from ..models import AwardDecision, DocumentState, DossierDocument, DossierFormat, DossierJob, JobState
from ..rules import require
from . import documents
from .documents import DocumentSpec
from .wording import ascii_slug

logger = logging.getLogger("awards.dossier")

D = DocumentState
PENDING = (D.QUEUED, D.RUNNING)

#: What each document kind is called on the pages (the kinds themselves come from ``documents``).
KIND_LABELS = {
    "to_trinh": gettext_lazy("Tờ trình đề nghị khen thưởng"),
    "bien_ban": gettext_lazy("Biên bản họp Hội đồng Thi đua - Khen thưởng"),
    "bao_cao": gettext_lazy("Báo cáo thành tích"),
    "quyet_dinh": gettext_lazy("Quyết định khen thưởng"),
    "giay_khen": gettext_lazy("Giấy khen"),
}
MAX_FAILURES_SHOWN = 100
STALLED_AFTER = dt.timedelta(minutes=2)
MANIFEST_NAME = "manifest.csv"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, kind_label(kind)) for kind in documents.DOCUMENT_KINDS]


def _spec(doc: DossierDocument) -> DocumentSpec:
    return DocumentSpec(
        kind=doc.kind,
        key=doc.key,
        title=doc.title,
        folder=doc.folder,
        filename=doc.filename,
        proposal_id=doc.proposal_id,
    )


RENDER_TASK = "awards.render_dossier_document"
ASSEMBLE_TASK = "awards.assemble_dossier"


def outbox_ref(job_id: int) -> str:
    return f"dossier-job:{job_id}"


def _dispatch(job_id: int, doc_ids: list[int]) -> None:
    """One task per document, handed to the broker through the outbox once the caller commits."""
    if doc_ids:
        outbox.send(
            RENDER_TASK, [[pk] for pk in doc_ids], ref=outbox_ref(job_id),
            what=gettext_lazy("tạo các văn bản của hồ sơ"),
        )  # fmt: skip


def _dispatch_assembly(job_id: int) -> None:
    outbox.send(ASSEMBLE_TASK, [[job_id]], ref=outbox_ref(job_id), what=gettext_lazy("đóng gói hồ sơ"))


# --- starting and retrying -----------------------------------------------------------------------


def start_job(
    decision: AwardDecision,
    *,
    actor,
    kinds: Iterable[str] | None = None,
    format: str = DossierFormat.BOTH,
    signed: bool = False,
    new_version: bool = False,
) -> DossierJob:
    """Tạo hồ sơ: a new job with one row per document of ``kinds`` (all kinds by default) in
    ``format``; the tasks are sent once the job is committed. Home affairs of the issuer only.

    ``signed``: Ký số, the leadership's act (``awards.sign_decision``): every PDF is signed as it is
    rendered (``awards.signing``) and the electronic dossier is packed with the ZIP. The certificates are
    checked first; a decision already signed is signed again only as a new version (``new_version``),
    the earlier files kept."""
    require(actor, "awards.sign_decision" if signed else "awards.generate_dossier", decision)
    kinds = list(documents.DOCUMENT_KINDS if kinds is None else kinds)
    if not kinds:
        raise AwardError(_("Chọn ít nhất một loại văn bản."), code="kinds")
    if set(kinds) - set(documents.DOCUMENT_KINDS):
        raise AwardError(_("Loại văn bản không hợp lệ."), code="kinds")
    if format not in DossierFormat.values:
        raise AwardError(_("Chọn định dạng: PDF, Word hoặc cả hai."), code="format")
    kinds = [k for k in documents.DOCUMENT_KINDS if k in kinds]  # dossier order
    if signed:
        from ..signing.jobs import check_signing

        check_signing(decision, kinds, format, new_version)
    specs = documents.plan_documents(decision, kinds)
    if not specs:
        raise AwardError(_("Quyết định không có văn bản nào thuộc các loại đã chọn."), code="empty")
    names = _unique_names(specs)
    with transaction.atomic():
        # The decision row is the lock that numbers its jobs 1, 2, ...
        AwardDecision.objects.select_for_update().filter(pk=decision.pk).first()
        last = DossierJob.objects.filter(decision=decision).order_by("-sequence").first()
        job = DossierJob.objects.create(
            decision=decision, sequence=(last.sequence + 1) if last else 1, kinds=kinds, format=format,
            total=len(specs), started_by=actor, signed=signed,
        )  # fmt: skip
        DossierDocument.objects.bulk_create(
            [
                DossierDocument(
                    job=job,
                    position=i,
                    kind=s.kind,
                    key=s.key,
                    title=s.title[:500],
                    folder=s.folder,
                    filename=name,
                    proposal_id=s.proposal_id,
                )
                for i, (s, name) in enumerate(zip(specs, names, strict=True), 1)
            ],
            batch_size=500,
        )
        note = _("Tạo hồ sơ khen thưởng của quyết định %(n)s (lần %(s)s)")
        record(
            job, actor=actor, action=LogEntry.Action.CREATE,
            changes={"state": (None, job.state), "total": (None, job.total), "format": (None, format)},
            note=note % {"n": decision.number, "s": job.sequence},
        )  # fmt: skip
        ids = list(job.documents.order_by("position").values_list("pk", flat=True))
        _dispatch(job.pk, ids)
    return job


def _unique_names(specs: list[DocumentSpec]) -> list[str]:
    """The specs' file names, made unique within their folder ("-2", "-3" after a repeat), so no
    two files of the ZIP or of the job's folder share a path."""
    seen: dict[tuple[str, str], int] = {}
    names = []
    for spec in specs:
        n = seen[spec.folder, spec.filename] = seen.get((spec.folder, spec.filename), 0) + 1
        names.append(spec.filename if n == 1 else f"{spec.filename}-{n}")
    return names


def retry(job: DossierJob, *, actor, document_id: int | None = None) -> int:
    """Tạo lại: the failed document ``document_id`` (or every failed one) goes back to the queue; a
    job whose ZIP failed is assembled again. Returns how many documents were queued."""
    require(actor, "awards.sign_decision" if job.signed else "awards.generate_dossier", job)
    with transaction.atomic():
        locked = DossierJob.objects.select_for_update().get(pk=job.pk)
        failed = locked.documents.filter(Q(state=D.FAILED) | _interrupted_q(timezone.now()))
        if document_id is not None:
            failed = failed.filter(pk=document_id)
        ids = list(failed.order_by("position").values_list("pk", flat=True))
        if not ids:
            if locked.state == JobState.FAILED and not locked.documents.exclude(state=D.DONE).exists():
                locked.state, locked.error = JobState.ASSEMBLING, ""
                locked.save(update_fields=["state", "error", "updated_at"])
                record(locked, actor=actor, changes={"state": (JobState.FAILED, JobState.ASSEMBLING)},
                       note=_("Đóng gói lại hồ sơ"))  # fmt: skip
                _dispatch_assembly(locked.pk)
                return 0
            raise AwardError(_("Không có văn bản lỗi nào để tạo lại."), code="nothing")
        DossierDocument.objects.filter(pk__in=ids).update(state=D.QUEUED, error="", error_detail="")
        old = locked.state
        locked.state, locked.error, locked.finished_at = JobState.RUNNING, "", None
        locked.save(update_fields=["state", "error", "finished_at", "updated_at"])
        titles = "; ".join(DossierDocument.objects.filter(pk__in=ids).values_list("title", flat=True)[:5])
        record(locked, actor=actor, changes={"state": (old, JobState.RUNNING)},
               note=_("Tạo lại %(n)s văn bản: %(t)s") % {"n": len(ids), "t": titles})  # fmt: skip
        _dispatch(locked.pk, ids)
    return len(ids)


# --- the work of the tasks -----------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_seconds() -> int:
    """How long one document may render (the task's soft time limit)."""
    return int(getattr(settings, "DOSSIER_DOCUMENT_SECONDS", 120))


def lease() -> dt.timedelta:
    """A document claimed longer ago than this was abandoned by its worker (killed, or its host
    gone): the task's hard time limit has passed, so nothing is still rendering it. A redelivered task
    may claim it again; the page offers "Tạo lại" for it."""
    return dt.timedelta(seconds=document_seconds() + 20)


#: A document whose worker died this many times while rendering it fails instead of being claimed again.
MAX_INTERRUPTIONS = 3
HELD = "held"


def render_document(document_id: int, now: dt.datetime | None = None) -> str:
    """Render one document (the task's body); returns the row's state afterwards, "skipped" when
    there is nothing to do, or ``HELD`` while another delivery is working on it (its lease runs)."""
    now = now or timezone.now()
    claimable = Q(state=D.QUEUED) | Q(
        state=D.RUNNING, started_at__lt=now - lease(), attempts__lt=MAX_INTERRUPTIONS
    )
    claimed = DossierDocument.objects.filter(Q(pk=document_id) & claimable).update(
        state=D.RUNNING, attempts=F("attempts") + 1, started_at=now
    )
    if not claimed:
        row = DossierDocument.objects.filter(pk=document_id).values("state", "started_at", "job_id").first()
        if row is None or row["state"] not in PENDING:  # done, failed or gone: a duplicate delivery
            return "skipped"
        if row["state"] == D.RUNNING and row["started_at"] and row["started_at"] >= now - lease():
            return HELD
        if row["state"] == D.RUNNING:  # interrupted again and again: stop trying on its own
            _interrupted([document_id], now, repeated=True)
            _after_document(row["job_id"])
            return D.FAILED
        return "skipped"
    doc = DossierDocument.objects.select_related("job__decision").get(pk=document_id)
    job = doc.job
    spec = _spec(doc)
    step = "sign" if job.signed else "pdf"
    try:
        if job.signed and job.wants_pdf:
            from ..signing.dossier import sign_document

            pdf = sign_document(job.decision, spec)  # rendered and signed, never rendered again
        else:
            pdf = documents.render_pdf(job.decision, spec) if job.wants_pdf else None
        step = "docx"
        docx = documents.render_docx(job.decision, spec) if job.wants_docx else None
        step = "store"
        for field, data in (("pdf", pdf), ("docx", docx)):
            if data is None:
                continue
            stored = getattr(doc, field)
            # A retry, or a task redelivered after its worker died, writes the job's own file again in
            # place: never a second copy beside it, never another job's file.
            target = stored.field.generate_filename(doc, f"{doc.folder}/{doc.filename}.{field}")
            for name in {stored.name, target} - {"", None}:
                stored.storage.delete(name)
            stored.save(f"{doc.folder}/{doc.filename}.{field}", ContentFile(data), save=False)
            setattr(doc, f"{field}_sha256", _sha256(data))
        logger.info("dossier job %s: document %s (%s) rendered", job.pk, doc.pk, doc.key)
        doc.state, doc.finished_at, doc.error, doc.error_detail = D.DONE, timezone.now(), "", ""
        doc.save(update_fields=["pdf", "pdf_sha256", "docx", "docx_sha256", "state", "finished_at",
                                "error", "error_detail"])  # fmt: skip
    except Exception as exc:  # any failure of one document is shown on the page, never lost
        logger.exception("dossier job %s: document %s (%s) failed at %s", job.pk, doc.pk, doc.key, step)
        messages = {
            "sign": _("Không ký số được văn bản này."),
            "pdf": _("Không tạo được bản PDF của văn bản này."),
            "docx": _("Không tạo được bản Word của văn bản này."),
            "store": _("Không lưu được tệp của văn bản này vào kho lưu trữ."),
        }
        DossierDocument.objects.filter(pk=doc.pk).update(
            state=D.FAILED,
            finished_at=timezone.now(),
            error=_signing_message(exc)
            or messages[step] + " " + _("Bấm “Tạo lại” để thử lại; nếu vẫn lỗi, báo quản trị hệ thống."),
            error_detail=f"{step}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"[:10000],
        )
    _after_document(job.pk)
    return DossierDocument.objects.filter(pk=doc.pk).values_list("state", flat=True).first() or ""


def _signing_message(exc: Exception) -> str:
    """A refusal of the signing step (certificate missing or expired, token unreachable) says what to do."""
    from ..errors import SigningError

    return " ".join(exc.messages) if isinstance(exc, SigningError) else ""


def _interrupted_q(now: dt.datetime) -> Q:
    """Documents a worker took and never finished: claimed longer ago than the lease."""
    return Q(state=D.RUNNING, started_at__lt=now - lease())


def _interrupted(doc_ids: list[int], now: dt.datetime, *, repeated: bool = False) -> int:
    if repeated:
        why = _("Việc tạo văn bản này đã bị gián đoạn nhiều lần (dịch vụ tạo văn bản dừng giữa chừng).")
    else:
        why = _("Việc tạo văn bản này bị gián đoạn (dịch vụ tạo văn bản dừng giữa chừng).")
    logger.warning("dossier: documents %s interrupted (their worker stopped mid-render)", doc_ids)
    return DossierDocument.objects.filter(pk__in=doc_ids, state=D.RUNNING).update(
        state=D.FAILED,
        finished_at=now,
        error=why + " " + _("Bấm “Tạo lại” để thử lại; nếu vẫn lỗi, báo quản trị hệ thống."),
        error_detail="interrupted: claimed and never finished (worker killed or its host lost)",
    )


def sweep_interrupted(now: dt.datetime | None = None) -> int:
    """The beat task's body: documents interrupted long enough ago that the broker would have handed
    their task to another worker by now (the visibility timeout and a lease past it) fail, so their
    job stops, its starter is told and the page offers "Tạo lại". Returns how many."""
    now = now or timezone.now()
    visibility = dt.timedelta(seconds=int(getattr(settings, "CELERY_VISIBILITY_TIMEOUT", 600)))
    cutoff = now - visibility - 2 * lease()
    stuck = DossierDocument.objects.filter(state=D.RUNNING, started_at__lt=cutoff)
    rows = list(stuck.values_list("pk", "job_id")[:5000])
    if not rows:
        return 0
    count = _interrupted([pk for pk, _job in rows], now)
    for job_id in sorted({job for _pk, job in rows}):
        _after_document(job_id)
    return count


def _after_document(job_id: int) -> None:
    """Called after each document is written: the task that finds none waiting moves the job on."""
    docs = DossierDocument.objects.filter(job_id=job_id)
    if docs.filter(state__in=PENDING).exists():
        return
    failed = docs.filter(state=D.FAILED).count()
    if failed:
        if DossierJob.objects.filter(pk=job_id, state=JobState.RUNNING).update(state=JobState.FAILED):
            _tell_starter(job_id, failed)
        return
    # The claim: of the tasks finishing last at the same moment, exactly one moves the job on.
    if DossierJob.objects.filter(pk=job_id, state=JobState.RUNNING).update(state=JobState.ASSEMBLING):
        _dispatch_assembly(job_id)


def _tell_starter(job_id: int, failed: int, packed: bool = True) -> None:
    """A bell notification to whoever started the job, once it stops (each stop is claimed once)."""
    job = DossierJob.objects.select_related("decision", "started_by").get(pk=job_id)
    if job.started_by is None:
        return
    if not packed:
        title = _("Hồ sơ khen thưởng của quyết định %(n)s: không đóng gói được, cần đóng gói lại") % {
            "n": job.decision.number
        }
    elif failed:
        title = _("Hồ sơ khen thưởng của quyết định %(n)s: %(f)s văn bản bị lỗi, cần tạo lại") % {
            "n": job.decision.number,
            "f": failed,
        }
    else:
        title = _("Hồ sơ khen thưởng của quyết định %(n)s đã tạo xong (%(t)s văn bản)") % {
            "n": job.decision.number,
            "t": job.total,
        }
    notify(
        job.started_by, NotificationKind.OTHER, job, title=title,
        url=reverse("awards:dossier_job", args=[job.pk]), email=False,
    )  # fmt: skip


def archive_name(job: DossierJob) -> str:
    return f"ho-so-{ascii_slug(job.decision.number)}-{job.decision.year}-lan-{job.sequence}"


def _damaged(job: DossierJob, doc_ids: list[int]) -> str:
    """Files gone or changed in the storage since they were rendered: those documents fail (a
    retry renders them again) and the ZIP is not written."""
    logger.error("dossier job %s: stored files missing or changed for documents %s", job.pk, doc_ids)
    DossierDocument.objects.filter(pk__in=doc_ids).update(
        state=D.FAILED,
        finished_at=timezone.now(),
        error=_("Tệp đã tạo của văn bản này bị mất hoặc bị thay đổi trong kho lưu trữ.")
        + " "
        + _("Bấm “Tạo lại” để thử lại; nếu vẫn lỗi, báo quản trị hệ thống."),
        error_detail="assemble: stored file missing or its SHA-256 differs from the one recorded",
    )
    if DossierJob.objects.filter(pk=job.pk, state=JobState.ASSEMBLING).update(state=JobState.FAILED):
        _tell_starter(job.pk, len(set(doc_ids)))
    return JobState.FAILED


class _Hashing:
    """The ZIP's bytes on their way into the storage, hashed as they pass."""

    def __init__(self, out: stored_files.WriteOnly) -> None:
        self.out, self.digest = out, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        pass  # the storage's writer is closed by its own ``with``


class _Damaged(Exception):
    pass


def _entry(name: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    """A ZIP entry dated from the job, not from the clock: assembling the same job twice (a task
    redelivered while the first still ran) writes the same bytes."""
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1  # type: ignore[attr-defined]  # PDFs hardly compress: spend no time on it
    return info


def assemble(job_id: int) -> str:
    """Write the ZIP of a job whose documents are all done: ``<archive>/<folder>/<filename>.<ext>``
    and ``<archive>/manifest.csv`` (file, document, kind, format, size, SHA-256 of each file).

    Streamed: each stored file is read in 64 KB pieces straight into the ZIP, and the ZIP goes into
    the storage as it is written (a multipart upload to the bucket), so memory stays flat whatever
    the size of the dossier."""
    job = DossierJob.objects.select_related("decision").get(pk=job_id)
    if job.state != JobState.ASSEMBLING:
        return job.state
    root = archive_name(job)
    field = DossierJob._meta.get_field("archive")
    storage = field.storage
    name = field.generate_filename(job, f"{root}.zip")
    stamp = timezone.localtime(job.updated_at).timetuple()[:6]
    rows, damaged = [], []
    try:
        with stored_files.open_writer(storage, name) as out:
            hashed = _Hashing(out)
            with zipfile.ZipFile(hashed, "w") as zf:
                for doc in job.documents.order_by("position").iterator(chunk_size=500):
                    for fmt in ("pdf", "docx"):
                        stored = getattr(doc, fmt)
                        if not stored:
                            continue
                        path = f"{doc.folder}/{doc.filename}.{fmt}"
                        digest, size = hashlib.sha256(), 0
                        try:
                            with (
                                stored_files.open_stream(stored.storage, stored.name) as src,
                                zf.open(_entry(f"{root}/{path}", stamp), "w") as dst,
                            ):
                                for chunk in iter(partial(src.read, stored_files.CHUNK), b""):
                                    digest.update(chunk)
                                    dst.write(chunk)
                                    size += len(chunk)
                        except FileNotFoundError:
                            damaged.append(doc.pk)
                            continue
                        if digest.hexdigest() != getattr(doc, f"{fmt}_sha256"):
                            damaged.append(doc.pk)
                            continue
                        rows.append(
                            [path, doc.title, kind_label(doc.kind), fmt.upper(), size, digest.hexdigest()]
                        )
                header = [_("Tệp"), _("Văn bản"), _("Loại văn bản"), _("Định dạng"), _("Dung lượng (byte)")]
                header.append("SHA-256")
                zf.writestr(_entry(f"{root}/{MANIFEST_NAME}", stamp), csv_bytes(header, rows))
            if damaged:
                raise _Damaged  # inside the writer: the partial ZIP is not stored
    except _Damaged:
        return _damaged(job, damaged)
    except Exception:
        logger.exception("dossier job %s: the ZIP could not be written", job.pk)
        DossierJob.objects.filter(pk=job.pk).update(
            state=JobState.FAILED,
            finished_at=timezone.now(),
            error=_(
                "Không đóng gói được hồ sơ. Bấm “Tạo lại” để đóng gói lại; "
                "nếu vẫn lỗi, báo quản trị hệ thống."
            ),
        )
        _tell_starter(job.pk, 0, packed=False)
        return JobState.FAILED
    package: dict[str, str] = {}
    if job.signed:  # the electronic dossier (hồ sơ điện tử), signed by the body
        from ..signing.package import decision_package

        package_name, data = decision_package(job)
        package_field = DossierJob._meta.get_field("package")
        stored = package_field.storage.save(
            package_field.generate_filename(job, package_name), ContentFile(data)
        )
        package = {"package": stored, "package_sha256": _sha256(data)}
    # The claim: of two deliveries assembling at once, one records the (identical) ZIP and tells.
    if DossierJob.objects.filter(pk=job.pk, state=JobState.ASSEMBLING).update(
        archive=name, archive_sha256=hashed.digest.hexdigest(), state=JobState.DONE,
        finished_at=timezone.now(), error="", updated_at=timezone.now(), **package,
    ):  # fmt: skip
        _tell_starter(job.pk, 0)
    elif package:  # the other delivery recorded its own package: this copy is nobody's
        DossierJob._meta.get_field("package").storage.delete(package["package"])
    return JobState.DONE


# --- reading: progress, files, previews ----------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    id: int
    title: str
    error: str


@dataclass(frozen=True)
class Progress:
    state: str
    state_label: str
    total: int
    done: int
    failed: int
    waiting: int
    failures: tuple[Failure, ...]
    error: str  # the ZIP's, if it failed
    stalled: bool  # documents wait and nothing has moved for STALLED_AFTER: is a worker running?
    interrupted: int = 0  # taken by a worker that stopped before finishing them (past the lease)
    unsent: bool = False  # its tasks still wait in the outbox: the broker has not taken them

    @property
    def percent(self) -> int:
        return (100 * self.done // self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def notice(self) -> str:
        if self.unsent:
            return _(
                "Hàng đợi xử lý nền đang tạm thời không kết nối được: hồ sơ đã được ghi nhận và sẽ được "
                "tạo tự động khi hàng đợi hoạt động trở lại."
            )
        if self.interrupted:
            return _(
                "%(n)s văn bản đang tạo thì bị gián đoạn (dịch vụ tạo văn bản dừng giữa chừng). Hệ thống "
                "sẽ tự tạo lại khi dịch vụ chạy lại; có thể bấm “Tạo lại” để tạo ngay."
            ) % {"n": self.interrupted}
        if not self.stalled:
            return ""
        return _(
            "Đã hơn 2 phút mà chưa có văn bản nào được tạo: dịch vụ tạo văn bản có thể đang dừng. "
            "Các văn bản vẫn được giữ trong hàng đợi; báo quản trị hệ thống nếu tình trạng này kéo dài."
        )


def progress(job: DossierJob, now: dt.datetime | None = None) -> Progress:
    """Done/total and the failures, in three queries whatever the number of documents."""
    now = now or timezone.now()
    counts = job.documents.aggregate(
        done=Count("pk", filter=Q(state=D.DONE)),
        failed=Count("pk", filter=Q(state=D.FAILED)),
        waiting=Count("pk", filter=Q(state__in=PENDING)),
        running=Count("pk", filter=Q(state=D.RUNNING)),
        interrupted=Count("pk", filter=_interrupted_q(now)),
        last_moved=Max("finished_at"),
    )
    moved = max(filter(None, [job.updated_at, job.started_at, counts["last_moved"]]))
    stalled = (
        job.state == JobState.RUNNING
        and counts["waiting"] > 0
        and counts["running"] == 0
        and now - moved > STALLED_AFTER
    )
    failures = ()
    if counts["failed"] or counts["interrupted"]:
        lost = _("Việc tạo văn bản này bị gián đoạn (dịch vụ tạo văn bản dừng giữa chừng).")
        failures = tuple(
            Failure(pk, title, error if state == D.FAILED else lost)
            for pk, title, error, state in job.documents.filter(Q(state=D.FAILED) | _interrupted_q(now))
            .order_by("position")
            .values_list("pk", "title", "error", "state")[:MAX_FAILURES_SHOWN]
        )
    return Progress(
        state=job.state,
        state_label=JobState(job.state).label,
        total=job.total,
        done=counts["done"],
        failed=counts["failed"],
        waiting=counts["waiting"],
        failures=failures,
        error=job.error,
        stalled=stalled,
        interrupted=counts["interrupted"],
        unsent=not job.is_finished and outbox.waiting(outbox_ref(job.pk)),
    )


def interrupted_ids(job: DossierJob, now: dt.datetime | None = None) -> set[int]:
    return set(job.documents.filter(_interrupted_q(now or timezone.now())).values_list("pk", flat=True))


def stored_file(doc: DossierDocument, fmt: str):
    """The stored file of a document in ``fmt`` ("pdf" or "docx"), or None."""
    if fmt not in CONTENT_TYPES:
        return None
    stored = getattr(doc, fmt)
    return stored if stored and doc.state == D.DONE else None


def download_name(doc: DossierDocument, fmt: str) -> str:
    return f"{doc.filename}.{fmt}"


def preview_pdf(decision: AwardDecision, key: str) -> tuple[DocumentSpec, bytes] | None:
    """Xem trước: one document of the decision rendered now (no job needed), or None if no
    document has that key."""
    spec = next((s for s in documents.plan_documents(decision) if s.key == key), None)
    if spec is None:
        return None
    return spec, _render_preview(decision, spec)


def _render_preview(decision: AwardDecision, spec: DocumentSpec) -> bytes:
    try:
        return documents.render_pdf(decision, spec)
    except Exception as exc:
        logger.exception("preview of %s (decision %s) failed", spec.key, decision.pk)
        raise AwardError(
            _("Không xem trước được văn bản “%(t)s”; báo quản trị hệ thống.") % {"t": spec.title},
            code="render",
        ) from exc


def preview_document(doc: DossierDocument) -> bytes:
    """A job's document as PDF: the stored file if it was rendered in PDF, else rendered now."""
    stored = stored_file(doc, "pdf")
    if stored:
        with stored.open("rb") as fh:
            return fh.read()
    return _render_preview(doc.job.decision, _spec(doc))
