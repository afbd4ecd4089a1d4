"""Pages of a decision's dossier (hồ sơ khen thưởng): start a generation, watch its progress, retry a
failed document, download the ZIP or one file, preview a document as PDF in the browser.

Every file goes out through these views after a permission check (``awards.view_dossier``: home
affairs and the leadership of the issuer); nothing is served from a public media URL. Another
issuer's decision or job is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agencies.rules import get_for_user_or_404, has_perm
from common.parsing import id_param

from ..models import AwardDecision, DossierFormat, DossierJob, JobState
from ..services import AwardError
from . import documents, jobs

_DECISIONS = AwardDecision.objects.select_related(
    "proposal_list__campaign__issuer", "proposal_list__award_form", "issuer", "amends"
)
_JOBS = DossierJob.objects.select_related(
    "decision__proposal_list__campaign__issuer", "decision__proposal_list__award_form", "started_by"
)


def _decision(request, pk, perm="awards.view_dossier") -> AwardDecision:
    return get_for_user_or_404(request.user, perm, _DECISIONS, pk=pk)


def _job(request, pk, perm="awards.view_dossier") -> DossierJob:
    return get_for_user_or_404(request.user, perm, _JOBS, pk=pk)


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def dossier(request, pk):
    """The decision's dossier: its generations (newest first), the form to start one, and every
    document it holds with a preview link."""
    decision = _decision(request, pk)
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
            "latest_decision": decision.proposal_list.decisions.order_by("-created_at", "-pk").first(),
        },
    )


@login_required
@require_POST
def start(request, pk):
    decision = _decision(request, pk, "awards.generate_dossier")
    kinds = request.POST.getlist("kinds")
    fmt = request.POST.get("format", DossierFormat.BOTH)
    try:
        job = jobs.start_job(decision, request.user, kinds, fmt)
    except AwardError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("awards:dossier", decision.pk)
    job.refresh_from_db()
    if job.state == JobState.DONE:  # no broker: the documents were made while the page waited
        messages.success(request, _("Đã tạo xong hồ sơ: %(n)s văn bản.") % {"n": job.total})
    else:
        messages.success(request, _("Đã bắt đầu tạo hồ sơ: %(n)s văn bản.") % {"n": job.total})
    return redirect("awards:dossier_job", job.pk)


@login_required
def preview(request, pk, key):
    """One document of the decision rendered now as PDF, shown in the browser."""
    decision = _decision(request, pk)
    try:
        found = jobs.preview_pdf(decision, key)
    except AwardError as exc:
        messages.error(request, exc.messages[0])
        return redirect("awards:dossier", decision.pk)
    if found is None:
        raise Http404
    spec, data = found
    return _pdf_response(data, f"{spec.filename}.pdf")


@login_required
def job_detail(request, pk):
    job = _job(request, pk)
    state = jobs.progress(job)
    docs = job.documents.order_by("position")
    return render(
        request,
        "awards/dossier_job.html",
        {
            "job": job,
            "decision": job.decision,
            "progress": state,
            "documents": docs,
            "kinds": [jobs.kind_label(k) for k in job.kinds],
            "can_generate": has_perm(request.user, "awards.generate_dossier", job),
        },
    )


@login_required
@never_cache
def job_progress(request, pk):
    """The small JSON the progress bar polls: a constant number of queries for any job size."""
    job = _job(request, pk)
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
    job = _job(request, pk, "awards.generate_dossier")
    raw = request.POST.get("document", "")
    document_id = id_param(raw) if raw else None
    if raw and document_id is None:
        messages.error(request, _("Văn bản cần tạo lại không hợp lệ."))
        return redirect("awards:dossier_job", job.pk)
    try:
        n = jobs.retry(job, request.user, document_id)
    except AwardError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if n:
            messages.success(request, _("Đang tạo lại %(n)s văn bản.") % {"n": n})
        else:
            messages.success(request, _("Đang đóng gói lại hồ sơ."))
    return redirect("awards:dossier_job", job.pk)


@login_required
def download_zip(request, pk):
    job = _job(request, pk)
    if job.state != JobState.DONE or not job.archive:
        raise Http404
    response = FileResponse(
        job.archive.open("rb"), as_attachment=True, filename=f"{jobs.archive_name(job)}.zip",
        content_type="application/zip",
    )  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def download_document(request, pk, doc, fmt):
    job = _job(request, pk)
    document = get_object_or_404(job.documents, pk=doc)
    stored = jobs.stored_file(document, fmt)
    if stored is None:
        raise Http404
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=jobs.download_name(document, fmt),
        content_type=jobs.CONTENT_TYPES[fmt],
    )  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def preview_document(request, pk, doc):
    """A job's document as PDF in the browser: the stored file, or rendered now if not stored yet."""
    job = _job(request, pk)
    document = get_object_or_404(job.documents.select_related("job__decision"), pk=doc)
    try:
        data = jobs.preview_document(document)
    except AwardError as exc:
        messages.error(request, exc.messages[0])
        return redirect("awards:dossier_job", job.pk)
    return _pdf_response(data, jobs.download_name(document, "pdf"))
