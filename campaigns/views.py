"""Plan pages: the list, the public plan page, state changes, copy, YAML import/export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Agency, Role
from agencies.rules import agency_ids_with_role, has_perm
from common.actions import perform
from common.parsing import int_param

from .changes import describe_changes, reference_names
from .documents import dump_yaml, import_plan, load_yaml
from .forms import ISSUER_KINDS, CopyForm, PlanUploadForm, issuer_queryset
from .models import Campaign, CampaignState
from .queries import next_states, plan_history, targeting_plans
from .rules import (
    ADD,
    CHANGE,
    COPY,
    EXPORT,
    PUBLISH,
    can_manage,
    check_may_issue,
    get_campaign_for_user,
    managed_campaigns,
    visible_campaigns,
)
from .sentences import award_sentences, warning_sentence
from .services import copy_campaign, set_campaign_state
from .validation import PlanInvalid, validate_plan

MAX_UPLOAD = 2 * 1024 * 1024


def campaign_list(request):
    """Public list of plans; home affairs also see their drafts; agency staff see those targeting them."""
    plans = (
        visible_campaigns(request.user)
        .select_related("issuer")
        .annotate(group_count=Count("target_groups", distinct=True))
        .order_by("-period_start", "code")
    )
    state = request.GET.get("state", "")
    if state in CampaignState.values:
        plans = plans.filter(state=state)
    mine = []
    agency_ids = agency_ids_with_role(request.user, Role.STAFF, Role.HEAD)
    if agency_ids:
        mine = targeting_plans(Agency.objects.filter(pk__in=agency_ids))
    return render(
        request,
        "campaigns/list.html",
        {
            "plans": plans,
            "mine": mine,
            "states": CampaignState.choices,
            "state": state,
            "can_add": has_perm(request.user, ADD),
        },
    )


def campaign_detail(request, code):
    """The plan page: public (no login) once published; drafts only for those who edit them."""
    campaign = get_campaign_for_user(
        request.user,
        code,
        queryset=Campaign.objects.select_related(
            "issuer", "parent", "published_by", "warning_rule__band", "warning_rule__single_year_band"
        ),
    )
    awards = list(
        campaign.award_forms.select_related("min_par_band", "campaign")
        .prefetch_related("target_groups", "campaign__par_bands")
        .order_by("order", "pk")
    )
    manage = bool(can_manage(request.user, campaign))
    context = {
        "campaign": campaign,
        "rounds": campaign.rounds.all(),
        "contents": campaign.contents.all(),
        "groups": campaign.target_groups.prefetch_related("criteria__reform_area"),
        "milestones": campaign.milestones.select_related("round").order_by("due_on", "order"),
        "indicators": campaign.indicators.all(),
        "blocs": campaign.blocs.prefetch_related("memberships__agency"),
        "bands": campaign.par_bands.order_by("-order"),
        "awards": [(a, award_sentences(a)) for a in awards],
        "warning_rule": warning_sentence(campaign),
        "manage": manage,
    }
    if manage:
        context.update(
            transitions=next_states(campaign, request.user),
            plan_errors=validate_plan(campaign),
            history=plan_history(campaign)[:50],
            amendments=_amendments(campaign),
            can_edit=has_perm(request.user, CHANGE, campaign),
        )
    return render(request, "campaigns/detail.html", context)


def _amendments(campaign: Campaign) -> list:
    amendments = list(campaign.amendments.select_related("made_by"))
    names = reference_names(campaign, [a.changes for a in amendments]) if amendments else {}
    return [(a, describe_changes(a.changes, names)) for a in amendments]


@login_required
@require_POST
def change_state(request, code):
    campaign = get_campaign_for_user(request.user, code, perm=PUBLISH)
    new_state = request.POST.get("state", "")
    if new_state not in CampaignState.values:
        messages.error(request, _("Trạng thái không hợp lệ."))
        return redirect(campaign)
    return perform(
        request,
        lambda: set_campaign_state(
            campaign, new_state, actor=request.user, note=request.POST.get("note", "").strip()
        ),
        redirect_to=campaign.get_absolute_url(),
        success=_("Kế hoạch đã chuyển sang “%(s)s”.") % {"s": CampaignState(new_state).label},
    )


@login_required
def copy(request, code):
    # Another scope's plan is "not found", like every object out of reach.
    source = get_campaign_for_user(request.user, code, perm=COPY)
    form = CopyForm(
        request.POST or None,
        initial={"code": _next_code(source.code), "title": source.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = copy_campaign(
                source,
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
                years=form.cleaned_data["years"],
                actor=request.user,
            )
        except PlanInvalid as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Đã tạo kế hoạch dự thảo từ kế hoạch %(code)s.") % {"code": source.code}
            )
            return redirect("campaigns:edit", new.code, "general")
    return render(request, "campaigns/copy.html", {"form": form, "source": source})


def _next_code(code: str) -> str:
    head, _sep, tail = code.rpartition("-")
    number = int_param(tail, minimum=0, maximum=10**6)
    return f"{head}-{number + 1}" if number is not None and head else f"{code}-moi"


def export(request, code):
    campaign = get_campaign_for_user(
        request.user, code, perm=EXPORT, queryset=Campaign.objects.select_related("issuer", "parent")
    )
    response = HttpResponse(dump_yaml(campaign), content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{campaign.code}.yaml"'
    return response


@login_required
def import_view(request):
    check_may_issue(request.user)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_UPLOAD:
                raise PlanInvalid([_plan_error(_("Tệp quá lớn (tối đa 2 MB)."))])
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise PlanInvalid([_plan_error(_("Tệp phải là văn bản UTF-8."))]) from None
            data = load_yaml(text)
            issuer = data.get("issuer") if isinstance(data, dict) else None
            agency = Agency.objects.filter(code=issuer).first() if isinstance(issuer, str) else None
            if agency is not None and agency.kind not in ISSUER_KINDS:
                raise PlanInvalid(
                    [
                        _plan_error(
                            _(
                                "Cơ quan “%(code)s” không ban hành kế hoạch thi đua: chỉ Ủy ban nhân dân "
                                "hoặc sở, ban, ngành."
                            )
                            % {"code": issuer},
                            "issuer",
                        )
                    ]
                )
            if agency is not None and not _may_issue(request.user, agency):
                raise PlanInvalid(
                    [
                        _plan_error(
                            _("Bạn không phải cán bộ Nội vụ của cơ quan “%(code)s”.") % {"code": issuer},
                            "issuer",
                        )
                    ]
                )
            existing = Campaign.objects.filter(
                code=data.get("code") if isinstance(data, dict) else None
            ).first()
            if existing and not can_manage(request.user, existing):
                raise PlanInvalid([_plan_error(_("Mã kế hoạch đã được dùng."), "code")])
            campaign = import_plan(data, replace=form.cleaned_data["replace"], actor=request.user)
        except PlanInvalid as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Đã nhập kế hoạch %(code)s (dự thảo).") % {"code": campaign.code})
            return redirect("campaigns:detail", campaign.code)
    return render(request, "campaigns/import.html", {"form": form, "errors": errors})


def _plan_error(message, path=""):
    from .validation import PlanError

    return PlanError(path, message)


def _may_issue(user, agency) -> bool:
    return issuer_queryset(user).filter(pk=agency.pk).exists()


@login_required
def manage_list(request):
    """Home affairs: the plans they manage, drafts first."""
    check_may_issue(request.user)
    plans = (
        managed_campaigns(request.user)
        .select_related("issuer")
        .annotate(
            award_count=Count("award_forms", distinct=True),
            amendment_count=Count("amendments", distinct=True),
        )
        .order_by("state", "-period_start")
    )
    return render(request, "campaigns/manage.html", {"plans": plans})
