"""Pages of the leadership's decision (quyết định khen thưởng): approving or returning a voted
list, the amending decision, and the public results once a decision is issued."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import home_affairs_office
from campaigns.models import Campaign
from common.actions import perform
from common.errors import PortalError
from common.parsing import ids_param
from scoring import outcomes as scoring

from ..domain import decision as decisions
from ..domain.proposal_list import list_url
from ..domain.proposal_list import return_list as return_to_home_affairs
from ..queries.decision import current_decision, published_results
from ..rules import get_list_for_user
from . import posted_date


def _decision_fields(request) -> dict:
    """Number, date and signer of a decision (approval or amendment) from the form; a date that is
    not a date is refused."""
    return {
        "number": request.POST.get("number", ""),
        "decided_on": posted_date(request, "decided_on", _("Ngày ký không hợp lệ (định dạng dd/mm/yyyy).")),
        "signer_capacity": request.POST.get("signer_capacity", ""),
        "signer_title": request.POST.get("signer_title", ""),
        "signer_name": request.POST.get("signer_name", ""),
    }


@login_required
@require_POST
def approve(request, pk):
    plist = get_list_for_user(request.user, pk, perm="awards.approve_list")
    return perform(
        request,
        lambda: decisions.approve(plist, actor=request.user, **_decision_fields(request)),
        success=_("Đã phê duyệt danh sách và ban hành quyết định khen thưởng."),
        redirect_to=list_url(plist),
    )


@login_required
@require_POST
def return_list(request, pk):
    plist = get_list_for_user(request.user, pk, perm="awards.approve_list")
    return perform(
        request,
        lambda: return_to_home_affairs(plist, actor=request.user, reason=request.POST.get("reason", "")),
        success=_("Đã trả lại danh sách cho %(office)s.")
        % {"office": home_affairs_office(plist.campaign.issuer)},
        redirect_to=list_url(plist),
    )


@login_required
@require_POST
def amend(request, pk):
    """Quyết định sửa đổi, bổ sung of the list's latest decision (never an edit of it)."""
    plist = get_list_for_user(request.user, pk, perm="awards.approve_list")
    decision = current_decision(plist)

    def act():
        if decision is None:
            raise PortalError(_("Danh sách chưa có quyết định khen thưởng để sửa đổi."))
        return decisions.amend_decision(
            decision,
            actor=request.user,
            **_decision_fields(request),
            reason=request.POST.get("reason", ""),
            withdrawn=ids_param(request.POST.getlist("withdrawn")),
        )

    return perform(
        request,
        act,
        success=lambda amended: (
            _("Đã ban hành quyết định %(n)s sửa đổi quyết định %(m)s.")
            % {"n": amended.number, "m": decision.number}
        ),
        redirect_to=list_url(plist),
    )


def public_results(request, code):
    """Công khai kết quả: after the decision, to everyone (agency staff see only this page)."""
    campaign = get_object_or_404(Campaign.objects.select_related("issuer"), code=code)
    sections = published_results(campaign)
    if not sections:
        raise Http404
    year = max(d.proposal_list.round.year for d, _lines in sections)
    return render(
        request,
        "awards/public.html",
        {
            "campaign": campaign,
            "sections": sections,
            "exemplary": scoring.exemplary_initiatives(campaign),
            "warnings": scoring.warnings(campaign, year) if campaign.publish_warnings else [],
        },
    )
