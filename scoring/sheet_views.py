"""Score sheet pages (phiếu chấm điểm): download, upload with a preview, confirm. Thin: the checks
and the writing are in ``scoring.sheets`` (which saves through ``scoring.reviews``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agencies.rules import has_perm
from common.parsing import id_param
from common.spreadsheets import spreadsheet_response

from . import sheets
from .views import PLANS


class ScoreSheetForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Phiếu chấm đã điền (.xlsx)"),
        help_text=gettext_lazy("Đúng tệp đã tải từ trang này; tối đa 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _context(request, code):
    """The plan, the reviewer whose sheet it is, and whether the user chooses among reviewers
    (home affairs of the plan). A plan the user has nothing to score or manage in is 404."""
    campaign = PLANS.filter(code=code).first()
    if campaign is None:
        raise Http404
    manages = has_perm(request.user, "scoring.manage_results", campaign)
    wanted = id_param(request.POST.get("reviewer") or request.GET.get("reviewer"))
    reviewer = request.user
    if wanted is not None and wanted != request.user.pk:
        if not manages:
            raise Http404
        reviewer = sheets.reviewer_choices(campaign).filter(pk=wanted).first()
        if reviewer is None:
            raise Http404
    if not sheets.may_use_sheet(campaign, request.user, reviewer):
        if not manages:
            raise Http404
        reviewer = None  # home affairs chooses a reviewer first
    return campaign, reviewer, manages


def _page(request, campaign, reviewer, manages, **extra):
    count = sheets.sheet_assignments(campaign, reviewer).count() if reviewer else 0
    context = {
        "campaign": campaign,
        "reviewer": reviewer,
        "manages": manages,
        "on_behalf": reviewer is not None and reviewer.pk != request.user.pk,
        "choices": sheets.reviewer_choices(campaign) if manages else [],
        "count": count,
        "form": extra.pop("form", None) or ScoreSheetForm(),
        **extra,
    }
    return render(request, "scoring/score_sheet.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def score_sheet(request, code):
    """The sheet page; a POST uploads a filled sheet and shows what it would change."""
    campaign, reviewer, manages = _context(request, code)
    if request.method == "GET" or reviewer is None:
        return _page(request, campaign, reviewer, manages)
    form = ScoreSheetForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, campaign, reviewer, manages, form=form)
    try:
        preview = sheets.read_score_sheet(form.cleaned_data["file"], campaign, reviewer, request.user)
    except sheets.ScoreSheetError as exc:
        messages.error(request, _("Phiếu chấm không được nhập; chưa có điểm nào được lưu."))
        return _page(request, campaign, reviewer, manages, form=form, errors=exc.errors, hidden=exc.hidden)
    return _page(request, campaign, reviewer, manages, preview=preview)


@login_required
@require_http_methods(["GET"])
def score_sheet_download(request, code):
    campaign, reviewer, _manages = _context(request, code)
    if reviewer is None:
        raise Http404
    return spreadsheet_response(
        sheets.build_score_sheet(campaign, reviewer), sheets.sheet_filename(campaign, reviewer)
    )


@login_required
@require_POST
def score_sheet_confirm(request, code):
    campaign, reviewer, _manages = _context(request, code)
    if reviewer is None:
        raise Http404
    try:
        result = sheets.apply_score_sheet(
            request.POST.get("token", ""),
            campaign,
            reviewer,
            request.user,
            complete=request.POST.get("complete") == "1",
        )
    except sheets.ScoreSheetError as exc:
        for error in exc.errors:
            messages.error(request, error)
    else:
        text = _("Đã lưu %(n)s điểm của %(rows)s hồ sơ từ phiếu chấm.") % {
            "n": result.saved,
            "rows": result.rows,
        }
        if result.completed:
            text += " " + _("%(n)s hồ sơ được đánh dấu đã chấm xong.") % {"n": result.completed}
        messages.success(request, text)
    url = reverse("scoring:score_sheet", args=[campaign.code])
    if reviewer.pk != request.user.pk:
        url += f"?reviewer={reviewer.pk}"
    return redirect(url)
