"""Final report (báo cáo kết quả cuối đợt): self-assessment per criterion, indicators, evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import EvidenceUploadForm
from .models import EvidenceFile, RegistrationState, ReportState, SelfAssessment
from .uploads import ACCEPT_ATTR, upload_help_text
from .views import _error_text, _registration


def _posted_report(request, registration):
    assessments, indicators = {}, {}
    criteria = registration.target_group.criteria.all() if registration.target_group else []
    for criterion in criteria:
        if f"points-{criterion.pk}" in request.POST:
            assessments[criterion.pk] = (
                request.POST.get(f"points-{criterion.pk}", ""),
                request.POST.get(f"explanation-{criterion.pk}", ""),
            )
    for indicator in registration.campaign.indicators.all():
        if f"indicator-{indicator.pk}" in request.POST:
            indicators[indicator.pk] = request.POST.get(f"indicator-{indicator.pk}", "")
    return assessments, indicators


ROW_ERROR = '<div id="error-{}" class="invalid-feedback d-block" hx-swap-oob="true">{}</div>'


def _htmx_status(status, errors: dict, keys: list[str]) -> HttpResponse:
    """The status line, plus each posted row's error slot swapped out of band (set, or cleared)."""
    rows = format_html_join("", ROW_ERROR, ((key, " ".join(errors.get(key, []))) for key in keys))
    return HttpResponse(status + rows)


@login_required
def report(request, pk):
    registration = _registration(request, pk)
    if registration.state != RegistrationState.ACCEPTED:
        raise Http404
    report = services.report_for(registration)
    can_edit = services.can_edit_report(request.user, registration)
    errors, posted = {}, {}
    if request.method == "POST":
        if not can_edit:
            raise Http404
        assessments, indicators = _posted_report(request, registration)
        keys = [f"points-{c}" for c in assessments] + [f"indicator-{i}" for i in indicators]
        try:
            services.save_report(
                report,
                request.user,
                summary=request.POST.get("summary"),
                assessments=assessments,
                indicators=indicators,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            if request.headers.get("HX-Request"):
                if "" in errors:
                    return HttpResponse(format_html('<span class="text-danger">{}</span>', _error_text(exc)))
                status = _("Đã lưu các ô hợp lệ lúc %(time)s; các ô báo lỗi chưa được lưu.") % {
                    "time": timezone.localtime().strftime("%H:%M:%S")
                }
                return _htmx_status(format_html('<span class="text-danger">{}</span>', status), errors, keys)
            messages.error(request, _("Các ô báo lỗi chưa được lưu; các ô khác đã lưu."))
            posted = {key: request.POST.get(key, "") for key in errors}
            report.refresh_from_db()
        else:
            if request.headers.get("HX-Request"):
                saved = _("Đã lưu lúc %(time)s") % {"time": timezone.localtime().strftime("%H:%M:%S")}
                return _htmx_status(format_html('<span class="text-success">{}</span>', saved), {}, keys)
            messages.success(request, _("Đã lưu báo cáo."))
            return redirect("registrations:report", pk)
    criteria = registration.target_group.criteria.all() if registration.target_group else []
    rows = {
        a.criterion_id: a
        for a in report.assessments.prefetch_related(
            Prefetch("evidence_files", queryset=EvidenceFile.objects.order_by("pk"))
        )
    }
    values = {v.indicator_id: v.value for v in report.indicator_values.all()}
    lines = []
    for c in criteria:
        key = f"points-{c.pk}"
        row = rows.get(c.pk)
        shown = posted[key] if key in posted else services.format_points(row and row.points_claimed)
        lines.append((c, row, shown, " ".join(errors.get(key, []))))
    indicator_lines = []
    for i in registration.campaign.indicators.all():
        key = f"indicator-{i.pk}"
        shown = posted[key] if key in posted else services.format_points(values.get(i.pk))
        indicator_lines.append((i, shown, " ".join(errors.get(key, []))))
    return render(
        request,
        "registrations/report.html",
        {
            "registration": registration,
            "report": report,
            "can_edit": can_edit,
            "lines": lines,
            "indicators": indicator_lines,
            "problems": services.report_problems(report) if report.state == ReportState.DRAFT else [],
            "deadline": services.effective_deadline(
                registration.agency, services.report_milestone(registration)
            ),
            "accept": ACCEPT_ATTR,
            "upload_help": upload_help_text(),
        },
    )


@login_required
@require_POST
def report_evidence(request, pk, criterion_pk):
    registration = _registration(request, pk)
    if not services.can_edit_report(request.user, registration):
        raise Http404
    report = services.report_for(registration)
    criteria = registration.target_group.criteria if registration.target_group else None
    if criteria is None:
        raise Http404
    criterion = get_object_or_404(criteria, pk=criterion_pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("registrations:report", pk)
    assessment, _created = SelfAssessment.objects.get_or_create(report=report, criterion=criterion)
    try:
        services.attach_evidence(registration, form.cleaned_data["file"], request.user, assessment=assessment)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã tải lên minh chứng."))
    return redirect("registrations:report", pk)


@login_required
@require_POST
def report_submit(request, pk):
    registration = _registration(request, pk)
    report = services.report_for(registration)
    try:
        services.set_report_state(report, ReportState.SUBMITTED, request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Đã gửi báo cáo kết quả cuối đợt."))
    return redirect("registrations:report", pk)
