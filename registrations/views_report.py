"""Final report (báo cáo kết quả cuối đợt): self-assessment per criterion, indicators, evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.rules import has_perm
from campaigns.models import Criterion
from common.actions import perform
from common.display import number

from .access import EDIT_REPORT, VIEW_REPORT, get_report_for_user
from .domain.evidence import attach_to_criterion
from .domain.final_report import save_report, set_report_state
from .errors import RegistrationError
from .forms import EvidenceUploadForm
from .models import EvidenceFile, ReportState
from .queries.deadlines import effective_deadline, report_milestone
from .queries.final_report import report_problems
from .uploads import ACCEPT_ATTR, upload_help_text
from .views import form_errors, saved_status


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


def _htmx_status(status: str, css: str, errors: dict, keys: list[str]) -> HttpResponse:
    """The status line, plus each posted row's error slot swapped out of band (set, or cleared)."""
    rows = format_html_join("", ROW_ERROR, ((key, " ".join(errors.get(key, []))) for key in keys))
    return HttpResponse(format_html('<span class="{}">{}</span>', css, status) + rows)


@login_required
def report(request, pk):
    posting = request.method == "POST"
    report = get_report_for_user(request.user, pk, perm=EDIT_REPORT if posting else VIEW_REPORT)
    registration = report.registration
    errors, posted = {}, {}
    if posting:
        assessments, indicators = _posted_report(request, registration)
        keys = [f"points-{c}" for c in assessments] + [f"indicator-{i}" for i in indicators]
        try:
            save_report(
                report,
                actor=request.user,
                summary=request.POST.get("summary"),
                assessments=assessments,
                indicators=indicators,
            )
        except RegistrationError as exc:
            # Every valid field was saved: the page (or the htmx status) names the refused ones.
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        if request.headers.get("HX-Request"):
            if "" in errors:
                return HttpResponse(format_html('<span class="text-danger">{}</span>', " ".join(errors[""])))
            if errors:
                status = _("Đã lưu các ô hợp lệ lúc %(time)s; các ô báo lỗi chưa được lưu.") % {
                    "time": time_format(timezone.localtime(), "H:i:s")
                }
                return _htmx_status(status, "text-danger", errors, keys)
            return _htmx_status(saved_status(timezone.now()), "text-success", {}, keys)
        if not errors:
            messages.success(request, _("Đã lưu báo cáo."))
            return redirect("registrations:report", pk)
        messages.error(request, _("Các ô báo lỗi chưa được lưu; các ô khác đã lưu."))
        posted = {key: request.POST.get(key, "") for key in errors}
        report.refresh_from_db()
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
        shown = posted[key] if key in posted else number(row and row.points_claimed)
        lines.append((c, row, shown, " ".join(errors.get(key, []))))
    indicator_lines = []
    for i in registration.campaign.indicators.all():
        key = f"indicator-{i.pk}"
        shown = posted[key] if key in posted else number(values.get(i.pk))
        indicator_lines.append((i, shown, " ".join(errors.get(key, []))))
    return render(
        request,
        "registrations/report.html",
        {
            "registration": registration,
            "report": report,
            "can_edit": has_perm(request.user, EDIT_REPORT, report),
            "lines": lines,
            "indicators": indicator_lines,
            "problems": report_problems(report) if report.state == ReportState.DRAFT else [],
            "deadline": effective_deadline(registration.agency, report_milestone(registration)),
            "accept": ACCEPT_ATTR,
            "upload_help": upload_help_text(),
        },
    )


@login_required
@require_POST
def report_evidence(request, pk, criterion_pk):
    report = get_report_for_user(request.user, pk, perm=EDIT_REPORT)
    group = report.registration.target_group
    criterion = get_object_or_404(
        group.criteria.all() if group else Criterion.objects.none(), pk=criterion_pk
    )
    back = reverse("registrations:report", args=[pk])
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    return perform(
        request,
        lambda: attach_to_criterion(report, criterion, form.cleaned_data["file"], actor=request.user),
        redirect_to=back,
        success=_("Đã tải lên minh chứng."),
    )


@login_required
@require_POST
def report_submit(request, pk):
    report = get_report_for_user(request.user, pk)
    return perform(
        request,
        lambda: set_report_state(report, ReportState.SUBMITTED, actor=request.user),
        redirect_to=reverse("registrations:report", args=[pk]),
        success=_("Đã gửi báo cáo kết quả cuối đợt."),
    )
