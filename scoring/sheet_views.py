"""Score sheet pages (phiếu chấm điểm): download, upload with a preview, confirm. Thin: the checks
and the writing are in ``scoring.sheets`` and ``scoring.sheet_upload`` (which saves through
``scoring.reviews``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agencies.rules import has_perm
from campaigns.rules import get_campaign_for_user
from common.actions import perform
from common.parsing import id_param
from common.spreadsheets import spreadsheet_response

from . import sheet_upload, sheets
from .rules import MANAGE, SHEETS, get_sheet_reviewer_for_user


class ScoreSheetForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Phiếu chấm đã điền (.xlsx)"),
        help_text=gettext_lazy("Đúng tệp đã tải từ trang này; tối đa 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _context(request, code, *, required: bool = False):
    """The plan, the reviewer whose sheet it is, and whether the user chooses among reviewers (home
    affairs of the plan). A plan the user has nothing to score or manage in is 404; ``required``: a
    reviewer must be known (home affairs has chosen one)."""
    campaign = get_campaign_for_user(request.user, code, perm=SHEETS)
    manages = has_perm(request.user, MANAGE, campaign)
    wanted = id_param(request.POST.get("reviewer") or request.GET.get("reviewer"))
    reviewer = get_sheet_reviewer_for_user(request.user, campaign, wanted, manages=manages, required=required)
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
        preview = sheet_upload.read_score_sheet(
            form.cleaned_data["file"], campaign, reviewer, actor=request.user
        )
    except sheets.ScoreSheetError as exc:
        messages.error(request, _("Phiếu chấm không được nhập; chưa có điểm nào được lưu."))
        more = _("… và %(n)s lỗi khác.") % {"n": exc.hidden} if exc.hidden else ""
        return _page(request, campaign, reviewer, manages, form=form, errors=exc.errors, errors_more=more)
    return _page(request, campaign, reviewer, manages, preview=preview)


@login_required
@require_http_methods(["GET"])
def score_sheet_download(request, code):
    campaign, reviewer, _manages = _context(request, code, required=True)
    return spreadsheet_response(
        sheets.build_score_sheet(campaign, reviewer), sheets.sheet_filename(campaign, reviewer)
    )


def _saved(result: sheet_upload.SheetResult) -> str:
    text = _("Đã lưu %(n)s điểm của %(rows)s hồ sơ từ phiếu chấm.") % {"n": result.saved, "rows": result.rows}
    if result.completed:
        text += " " + _("%(n)s hồ sơ được đánh dấu đã chấm xong.") % {"n": result.completed}
    return text


@login_required
@require_POST
def score_sheet_confirm(request, code):
    campaign, reviewer, _manages = _context(request, code, required=True)
    url = reverse("scoring:score_sheet", args=[campaign.code])
    if reviewer.pk != request.user.pk:
        url += f"?reviewer={reviewer.pk}"
    return perform(
        request,
        lambda: sheet_upload.apply_score_sheet(
            request.POST.get("token", ""),
            campaign,
            reviewer,
            actor=request.user,
            complete=request.POST.get("complete") == "1",
        ),
        redirect_to=url,
        success=_saved,
    )
