"""Home-affairs pages: every registration of a campaign, bulk accept/return, progress, exports, extensions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.parsing import ids_param
from common.spreadsheets import Column, Sheet, spreadsheet_response, xlsx_bytes

from .access import REVIEW, get_campaign_for_reviewer, get_registration_for_user
from .domain.deadlines import grant_extension
from .domain.registration import bulk_set_state
from .errors import RegistrationError
from .forms import ExtensionForm, ReasonForm, ReviewFilterForm
from .models import IndividualRegistration, Initiative, RegistrationState
from .queries.lists import campaign_registrations
from .queries.progress import LAGGARD_STAGES, agencies_lagging_in, campaign_progress


@login_required
def review_list(request, code):
    campaign = get_campaign_for_reviewer(request.user, code)
    form = ReviewFilterForm(request.GET or None, campaign=campaign)
    registrations = campaign_registrations(campaign, actor=request.user)
    if form.is_valid():
        if form.cleaned_data["state"]:
            registrations = registrations.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["bloc"]:
            registrations = registrations.filter(agency__bloc_memberships__bloc=form.cleaned_data["bloc"])
        if form.cleaned_data["kind"]:
            registrations = registrations.filter(agency__kind=form.cleaned_data["kind"])
    return render(
        request,
        "registrations/review_list.html",
        {
            "campaign": campaign,
            "form": form,
            "registrations": registrations,
            "reason_form": ReasonForm(),
            "States": RegistrationState,
        },
    )


@login_required
@require_POST
def review_bulk(request, code):
    campaign = get_campaign_for_reviewer(request.user, code)
    ids = ids_param(request.POST.getlist("ids"))
    target = request.POST.get("target")
    if target not in (RegistrationState.ACCEPTED, RegistrationState.RETURNED) or not ids:
        messages.error(request, _("Hãy chọn ít nhất một đăng ký và một thao tác."))
        return redirect("registrations:review_list", code)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("resubmit_by", [])))
        return redirect("registrations:review_list", code)
    chosen = campaign_registrations(campaign, actor=request.user).filter(pk__in=ids)
    result = bulk_set_state(
        chosen,
        target,
        actor=request.user,
        reason=form.cleaned_data["reason"],
        resubmit_by=form.cleaned_data["resubmit_by"] if target == RegistrationState.RETURNED else None,
    )
    if result.done:
        messages.success(request, _("Đã xử lý %(n)s đăng ký.") % {"n": len(result.done)})
    for registration, message in result.refused:
        messages.error(request, f"{registration.agency}: {message}")
    return redirect("registrations:review_list", code)


@login_required
def dashboard(request, code):
    campaign = get_campaign_for_reviewer(request.user, code)
    progress = campaign_progress(campaign)
    stage = request.GET.get("stage", "registered")
    if stage not in LAGGARD_STAGES:
        stage = "registered"
    laggards = agencies_lagging_in(campaign, stage)
    # Per bloc, one bar per step over a grey track (the targeted agencies): an HTML list that wraps
    # and reflows on a phone. Shares are plain decimals ("0.2500") for CSS, whatever the language.
    chart = []
    for row in progress:
        steps = [
            (row.registered, "registered", _("Đã đăng ký")),
            (row.confirmed, "confirmed", _("Thủ trưởng đã xác nhận")),
            (row.accepted, "accepted", _("Nội vụ đã chấp nhận")),
            (row.reported, "reported", _("Đã gửi báo cáo")),
        ]
        chart.append(
            {
                "row": row,
                "bars": [
                    {
                        "share": f"{(value / row.total) if row.total else 0:.4f}",
                        "value": value,
                        "css": css,
                        "label": label,
                    }
                    for value, css, label in steps
                ],
            }
        )
    return render(
        request,
        "registrations/dashboard.html",
        {
            "campaign": campaign,
            "progress": progress,
            "laggards": laggards,
            "stage": stage,
            "chart": chart,
        },
    )


@login_required
def export_registrations(request, code):
    campaign = get_campaign_for_reviewer(request.user, code)
    registrations = [
        [
            r.agency.code,
            r.agency.name,
            r.bloc_name or "",
            str(r.round),
            r.get_state_display(),
            r.people_count,
            r.initiative_count,
            r.submitted_at,
            r.confirmed_at,
            r.return_reason,
        ]
        for r in campaign_registrations(campaign, actor=request.user)
    ]
    individuals = (
        IndividualRegistration.objects.filter(
            registration__in=campaign_registrations(campaign, actor=request.user).values("pk")
        )
        .select_related("person", "registration__agency")
        .order_by("registration__agency__path", "person__full_name")
    )
    people = (
        [
            i.registration.agency.code,
            i.registration.agency.name,
            i.person.code,
            i.person.full_name,
            i.person.position,
            i.aimed_title,
        ]
        for i in individuals
    )
    data = xlsx_bytes(
        Sheet(
            _("Đăng ký"),
            [
                Column(_("Mã cơ quan")),
                Column(_("Cơ quan"), width=40),
                Column(_("Khối"), width=24),
                Column(_("Đợt")),
                Column(_("Trạng thái")),
                Column(_("Số cá nhân"), width=10),
                Column(_("Số sáng kiến"), width=10),
                Column(_("Ngày gửi")),
                Column(_("Ngày xác nhận")),
                Column(_("Lý do trả lại"), width=50, wrap=True),
            ],
            registrations,
        ),
        Sheet(
            _("Cá nhân"),
            [
                Column(_("Mã cơ quan")),
                Column(_("Cơ quan"), width=40),
                Column(_("Mã cá nhân")),
                Column(_("Họ và tên"), width=28),
                Column(_("Chức vụ"), width=28),
                Column(_("Danh hiệu đăng ký"), width=30),
            ],
            people,
        ),
    )
    return spreadsheet_response(data, f"dang-ky-{campaign.code}.xlsx")


@login_required
def export_initiatives(request, code):
    campaign = get_campaign_for_reviewer(request.user, code)
    initiatives = (
        Initiative.objects.filter(
            registration__in=campaign_registrations(campaign, actor=request.user).values("pk")
        )
        .select_related("registration__agency", "reform_area")
        .prefetch_related("authors")
        .annotate(file_count=Count("attachments"))
        .order_by("registration__agency__path", "pk")
    )
    rows = [
        [
            i.registration.agency.code,
            i.registration.agency.name,
            i.get_kind_display(),
            i.title,
            i.reform_area.name if i.reform_area else "",
            ", ".join(a.full_name for a in i.authors.all()),
            i.problem,
            i.description,
            i.expected_effect,
            i.file_count,
        ]
        for i in initiatives
    ]
    data = xlsx_bytes(
        Sheet(
            _("Sáng kiến"),
            [
                Column(_("Mã cơ quan")),
                Column(_("Cơ quan"), width=40),
                Column(_("Loại")),
                Column(_("Tên sáng kiến"), width=40, wrap=True),
                Column(_("Lĩnh vực"), width=24),
                Column(_("Tác giả"), width=28, wrap=True),
                Column(_("Vấn đề cần giải quyết"), width=40, wrap=True),
                Column(_("Nội dung"), width=50, wrap=True),
                Column(_("Hiệu quả dự kiến"), width=40, wrap=True),
                Column(_("Số tệp đính kèm"), width=10),
            ],
            rows,
        )
    )
    return spreadsheet_response(data, f"sang-kien-{campaign.code}.xlsx")


@login_required
def extension(request, pk):
    registration = get_registration_for_user(request.user, pk, perm=REVIEW)
    form = ExtensionForm(request.POST or None, campaign=registration.campaign)
    if request.method == "POST" and form.is_valid():
        try:
            grant_extension(
                registration.agency,
                form.cleaned_data["milestone"],
                form.cleaned_data["extended_until"],
                form.cleaned_data["reason"],
                actor=request.user,
            )
        except RegistrationError as exc:
            # The form page shows the refusal above the fields it keeps.
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã gia hạn cho %(agency)s.") % {"agency": registration.agency})
            return redirect(registration.get_absolute_url())
    return render(request, "registrations/extension_form.html", {"registration": registration, "form": form})
