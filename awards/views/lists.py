"""Pages of proposal lists (danh sách đề nghị khen thưởng): the index, a list with its quota use,
making a list from the results, adding and removing candidates, withdrawing the list, its XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Role, home_affairs_office
from agencies.rules import agencies_q, get_for_user_or_404, has_perm
from campaigns.models import Campaign
from common.actions import perform
from common.parsing import id_param
from common.spreadsheets import spreadsheet_response

from ..domain import proposal_list as lists
from ..exports import list_xlsx
from ..models import ListState, SignerCapacity
from ..queries import council as council_queries
from ..queries import decision as decision_queries
from ..queries import proposal_list as list_queries
from ..rules import get_list_for_user
from .disclosure import disclosure_context


@login_required
def index(request):
    campaigns = Campaign.objects.none()
    if has_perm(request.user, "scoring.import_results"):
        campaigns = (
            Campaign.objects.filter(
                agencies_q(request.user, Role.HOME_AFFAIRS, prefix="issuer__"), result_runs__isnull=False
            )
            .distinct()
            .prefetch_related("award_forms")
            .order_by("code")
        )
    return render(
        request,
        "awards/index.html",
        {
            "lists": list(list_queries.lists_for(request.user).order_by("-created_at", "-pk")),
            "sessions": council_queries.sessions_of(request.user),
            "campaigns": campaigns,
        },
    )


@login_required
@require_POST
def make_list(request, code):
    campaign = get_for_user_or_404(request.user, "scoring.manage_results", Campaign, code=code)
    form = get_object_or_404(campaign.award_forms, pk=id_param(request.POST.get("award_form")) or 0)
    return perform(
        request,
        lambda: lists.make_list(campaign, form, actor=request.user),
        success=_("Đã lập danh sách đề nghị từ kết quả xét; kết quả được khóa."),
        redirect_to=lists.list_url,
        on_error=reverse("awards:index"),
    )


@login_required
def list_detail(request, pk):
    plist = get_list_for_user(request.user, pk)
    proposals, closed = list_queries.list_rows(plist)
    can_manage = has_perm(request.user, "awards.manage_list", plist)
    can_approve = has_perm(request.user, "awards.approve_list", plist)
    decision = decision_queries.current_decision(plist)
    context = {
        "plist": plist,
        "proposals": proposals,
        "quota_use": list_queries.quota_use(plist),
        "can_manage": can_manage,
        "can_edit": can_manage and plist.is_editable,
        "can_withdraw": ListState.WITHDRAWN in lists.LIST_WORKFLOW.targets(plist, request.user),
        "can_approve": can_approve and plist.state == ListState.VOTED,
        "show_votes": closed,
        "sessions": plist.sessions.order_by("-held_on", "-pk"),
        "decisions": plist.decisions.select_related("amends").order_by("created_at", "pk"),
        "decision": decision,
        "signer_choices": SignerCapacity.choices,
        "office": home_affairs_office(plist.campaign.issuer),
        "can_view_dossier": has_perm(request.user, "awards.view_dossier", plist),
    }
    context.update(disclosure_context(request.user, plist))
    if decision is not None:
        context["annex"] = decision_queries.annex(decision)
        context["can_amend"] = can_approve and plist.state == ListState.APPROVED
    if context["can_edit"]:
        context["addable"] = list_queries.addable(plist, proposals)
        context["council"] = council_queries.council_candidates(plist.campaign)
    return render(request, "awards/list.html", context)


@login_required
@require_POST
def add_proposal(request, pk):
    plist = get_list_for_user(request.user, pk, perm="awards.manage_list")
    result = id_param(request.POST.get("result")) or 0
    return perform(
        request,
        lambda: lists.add_proposal(plist, result, actor=request.user, reason=request.POST.get("reason", "")),
        success=_("Đã bổ sung vào danh sách."),
        redirect_to=lists.list_url(plist),
    )


@login_required
@require_POST
def remove_proposal(request, pk, proposal):
    plist = get_list_for_user(request.user, pk, perm="awards.manage_list")
    item = get_object_or_404(plist.proposals, pk=proposal)
    return perform(
        request,
        lambda: lists.remove_proposal(item, actor=request.user, reason=request.POST.get("reason", "")),
        success=_("Đã đưa ra khỏi danh sách."),
        redirect_to=lists.list_url(plist),
    )


@login_required
@require_POST
def withdraw(request, pk):
    plist = get_list_for_user(request.user, pk, perm="awards.manage_list")
    return perform(
        request,
        lambda: lists.withdraw_list(plist, actor=request.user, reason=request.POST.get("reason", "")),
        success=_("Đã rút danh sách; có thể tính lại kết quả."),
        redirect_to=lists.list_url(plist),
    )


@login_required
def export(request, pk):
    plist = get_list_for_user(request.user, pk)
    return spreadsheet_response(list_xlsx(plist), f"danh-sach-de-nghi-{plist.pk}.xlsx")
