"""Pages of a decision's dossier (hồ sơ khen thưởng): start a generation, watch its progress, retry a
failed document, download the ZIP or one file, preview a document as PDF in the browser.

Every file goes out through these views after a permission check (``awards.view_dossier``: home
affairs and the leadership of the issuer); nothing is served from a public media URL. Another
issuer's decision or job is 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agencies.rules import has_perm
from common.actions import confirmation, is_confirmed, perform
from common.display import day
from common.errors import PortalError
from common.parsing import id_param
from common.storage import stream_response

from ..models import DossierFormat, JobState
from ..queries.decision import current_decision
from ..rules import get_decision_for_user, get_dossier_job_for_user
from ..signing.jobs import latest_signed
from . import documents, jobs


def _dossier_url(decision) -> str:
    return reverse("awards:dossier", args=[decision.pk])


def _job_url(job) -> str:
    return reverse("awards:dossier_job", args=[job.pk])


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def dossier(request, pk):
    """The decision's dossier: its generations (newest first), the form to start one, and every
    document it holds with a preview link."""
    decision = get_decision_for_user(request.user, pk)
    return render(
        request,
        "awards/dossier.html",
        {
            "decision": decision,
            "plist": decision.proposal_list,
            "jobs": decision.dossier_jobs.select_related("started_by").order_by("-sequence"),
            "can_generate": has_perm(request.user, "awards.generate_dossier", decision),
            "kind_choices": jobs.kind_choices(),
            "format_choices": DossierFormat.choices,
            "specs": documents.plan_documents(decision),
            "latest_decision": current_decision(decision.proposal_list),
            "can_sign": has_perm(request.user, "awards.sign_decision", decision),
            "signed_job": latest_signed(decision),
        },
    )


@login_required
@require_POST
def start(request, pk):
    decision = get_decision_for_user(request.user, pk, perm="awards.generate_dossier")

    def start_job():
        job = jobs.start_job(
            decision,
            actor=request.user,
            kinds=request.POST.getlist("kinds"),
            format=request.POST.get("format", DossierFormat.BOTH),
        )
        job.refresh_from_db()
        return job

    def started(job) -> str:
        if job.state == JobState.DONE:  # no broker: the documents were made while the page waited
            return _("Đã tạo xong hồ sơ: %(n)s văn bản.") % {"n": job.total}
        return _("Đã bắt đầu tạo hồ sơ: %(n)s văn bản.") % {"n": job.total}

    return perform(request, start_job, success=started, redirect_to=_job_url, on_error=_dossier_url(decision))


@login_required
def preview(request, pk, key):
    """One document of the decision rendered now as PDF, shown in the browser."""
    decision = get_decision_for_user(request.user, pk)

    def shown(found) -> HttpResponse:
        if found is None:
            raise Http404
        spec, data = found
        return _pdf_response(data, f"{spec.filename}.pdf")

    return perform(
        request, lambda: jobs.preview_pdf(decision, key), redirect_to=shown, on_error=_dossier_url(decision)
    )


@login_required
def job_detail(request, pk):
    job = get_dossier_job_for_user(request.user, pk)
    state = jobs.progress(job)
    docs = job.documents.order_by("position")
    can_generate = has_perm(request.user, "awards.generate_dossier", job)
    # A signed job is made again by whoever may sign (jobs.retry asks the same).
    retry_perm = "awards.sign_decision" if job.signed else "awards.generate_dossier"
    may_retry = has_perm(request.user, retry_perm, job)
    return render(
        request,
        "awards/dossier_job.html",
        {
            "job": job,
            "decision": job.decision,
            "progress": state,
            "documents": docs,
            "kinds": [jobs.kind_label(k) for k in job.kinds],
            "can_generate": can_generate,
            # Interrupted documents (their worker stopped mid-way) may be made again at once.
            "interrupted_ids": jobs.interrupted_ids(job) if state.interrupted else set(),
            "can_retry": may_retry and ((job.is_finished and not job.is_done) or state.interrupted > 0),
        },
    )


@login_required
@never_cache
def job_progress(request, pk):
    """The small JSON the progress bar polls: a constant number of queries for any job size."""
    job = get_dossier_job_for_user(request.user, pk)
    state = jobs.progress(job)
    return JsonResponse(
        {
            "state": state.state,
            "state_label": str(state.state_label),
            "total": state.total,
            "done": state.done,
            "failed": state.failed,
            "waiting": state.waiting,
            "percent": state.percent,
            "finished": state.finished,
            "error": state.error,
            "notice": state.notice,
            "failures": [{"id": f.id, "title": f.title, "error": f.error} for f in state.failures],
            "archive_url": reverse("awards:dossier_zip", args=[job.pk])
            if state.state == JobState.DONE
            else "",
        }
    )


@login_required
@require_POST
def retry(request, pk):
    job = get_dossier_job_for_user(request.user, pk, perm="awards.generate_dossier")

    def retry() -> int:
        raw = request.POST.get("document", "")
        document_id = id_param(raw) if raw else None
        if raw and document_id is None:
            raise PortalError(_("Văn bản cần tạo lại không hợp lệ."))
        return jobs.retry(job, actor=request.user, document_id=document_id)

    def retried(n: int) -> str:
        if n:
            return _("Đang tạo lại %(n)s văn bản.") % {"n": n}
        return _("Đang đóng gói lại hồ sơ.")

    return perform(request, retry, success=retried, redirect_to=_job_url(job))


@login_required
def download_zip(request, pk):
    job = get_dossier_job_for_user(request.user, pk)
    if job.state != JobState.DONE or not job.archive:
        raise Http404
    try:
        return stream_response(
            job.archive.storage, job.archive.name, filename=f"{jobs.archive_name(job)}.zip",
            content_type="application/zip",
        )  # fmt: skip
    except FileNotFoundError:
        raise Http404 from None


@login_required
def download_document(request, pk, doc, fmt):
    job = get_dossier_job_for_user(request.user, pk)
    document = get_object_or_404(job.documents, pk=doc)
    stored = jobs.stored_file(document, fmt)
    if stored is None:
        raise Http404
    try:
        return stream_response(
            stored.storage, stored.name, filename=jobs.download_name(document, fmt),
            content_type=jobs.CONTENT_TYPES[fmt],
        )  # fmt: skip
    except FileNotFoundError:
        raise Http404 from None


@login_required
def preview_document(request, pk, doc):
    """A job's document as PDF in the browser: the stored file, or rendered now if not stored yet."""
    job = get_dossier_job_for_user(request.user, pk)
    document = get_object_or_404(job.documents.select_related("job__decision"), pk=doc)
    return perform(
        request,
        lambda: jobs.preview_document(document),
        redirect_to=lambda data: _pdf_response(data, jobs.download_name(document, "pdf")),
        on_error=_job_url(job),
    )


@login_required
@require_POST
def sign(request, pk):
    """Ký số: the leadership signs the decision and its dossier (a signed job). Signing a decision again is
    a new version, asked first: the files signed before are kept."""
    decision = get_decision_for_user(request.user, pk, perm="awards.sign_decision")
    earlier = latest_signed(decision)
    if earlier is not None and not is_confirmed(request):
        return confirmation(
            request,
            title=_("Ký số lại quyết định %(n)s?") % {"n": decision.number},
            statements=[
                _("Quyết định đã được ký số lần tạo %(s)s, ngày %(d)s.")
                % {"s": earlier.sequence, "d": day(earlier.started_at.date())},
                _("Ký lại tạo một phiên bản mới của hồ sơ đã ký số; các tệp đã ký trước được giữ nguyên."),
            ],
            action_url=reverse("awards:dossier_sign", args=[decision.pk]),
            cancel_url=_dossier_url(decision),
            button=_("Ký số phiên bản mới"),
        )

    def start_signing():
        job = jobs.start_job(
            decision,
            actor=request.user,
            format=DossierFormat.PDF,
            signed=True,
            new_version=earlier is not None,
        )
        job.refresh_from_db()
        return job

    def started(job) -> str:
        if job.state == JobState.DONE:
            return _("Đã ký số quyết định và hồ sơ: %(n)s văn bản.") % {"n": job.total}
        return _("Đang ký số quyết định và hồ sơ: %(n)s văn bản.") % {"n": job.total}

    return perform(
        request, start_signing, success=started, redirect_to=_job_url, on_error=_dossier_url(decision)
    )


@login_required
def download_package(request, pk):
    """Hồ sơ điện tử: the signed package of a signed job (whole-dossier PDF, Word files, manifest)."""
    job = get_dossier_job_for_user(request.user, pk)
    if job.state != JobState.DONE or not job.package:
        raise Http404
    try:
        return stream_response(
            job.package.storage, job.package.name, filename=f"{jobs.archive_name(job)}-dien-tu.zip",
            content_type="application/zip",
        )  # fmt: skip
    except FileNotFoundError:
        raise Http404 from None
