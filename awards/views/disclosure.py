"""Công khai danh sách trước khi Hội đồng họp: home affairs publishes a list and moderates the comments;
the public reads the published lists of a plan and sends comments (no account needed)."""

from __future__ import annotations

import datetime as dt

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.rules import has_perm
from campaigns.models import Campaign
from common.actions import confirmation, is_confirmed, perform
from common.display import day
from common.errors import PortalError

from .. import verification
from ..domain import disclosure as disclosures
from ..domain.proposal_list import list_url
from ..models import Disclosure, DisclosureComment, Proposal
from ..rules import get_list_for_user


def disclosure_context(user, plist) -> dict:
    """What the list page shows of the publication (one or two queries, none when the plan asks none)."""
    days = disclosures.required_days(plist)
    if not days:
        return {"disclosure_days": 0}
    published = disclosures.current(plist)
    return {
        "disclosure_days": days,
        "disclosure": published,
        "disclosure_comment_count": published.comments.count() if published else 0,
        "can_disclose": plist.is_editable and has_perm(user, "awards.disclose_list", plist),
    }


def _comments_url(plist) -> str:
    return reverse("awards:disclosure_comments", args=[plist.pk])


@login_required
@require_POST
def publish(request, pk):
    plist = get_list_for_user(request.user, pk, perm="awards.disclose_list")
    if not is_confirmed(request):
        today = timezone.localdate()
        days = disclosures.required_days(plist)
        ends = disclosures.add_working_days(today, days)
        return confirmation(
            request,
            title=_("Công khai danh sách đề nghị khen thưởng?"),
            statements=[
                _("Danh sách hiện tại được đăng trên trang công khai từ hôm nay, %(d)s.") % {"d": day(today)},
                _(
                    "Nhân dân gửi ý kiến trong %(n)s ngày làm việc, đến hết ngày %(e)s; "
                    "Hội đồng được họp từ ngày %(o)s."
                )
                % {"n": days, "e": day(ends), "o": day(ends + dt.timedelta(days=1))},
                _("Nếu danh sách thay đổi sau đó, phải công khai lại trước khi trình Hội đồng."),
            ],
            action_url=reverse("awards:disclose", args=[plist.pk]),
            cancel_url=list_url(plist),
            button=_("Công khai danh sách"),
        )
    return perform(
        request,
        lambda: disclosures.publish(plist, actor=request.user),
        success=lambda d: _("Đã công khai danh sách đến hết ngày %(e)s.") % {"e": day(d.ends_on)},
        redirect_to=list_url(plist),
    )


@login_required
def comments(request, pk):
    """The comments received on the list's publications, for moderation."""
    plist = get_list_for_user(request.user, pk, perm="awards.disclose_list")
    published = disclosures.current(plist)
    rows = (
        list(published.comments.select_related("moderated_by").order_by("created_at", "pk"))
        if published
        else []
    )
    return render(
        request,
        "awards/disclosure_comments.html",
        {"plist": plist, "disclosure": published, "comments": rows},
    )


@login_required
@require_POST
def moderate(request, pk):
    comments_qs = DisclosureComment.objects.select_related(
        "disclosure__proposal_list__campaign__issuer", "disclosure__proposal_list__award_form"
    )
    comment = get_object_or_404(comments_qs, pk=pk)
    plist = get_list_for_user(request.user, comment.disclosure.proposal_list_id, perm="awards.disclose_list")
    accept = request.POST.get("decision") == "accept"
    return perform(
        request,
        lambda: disclosures.moderate(
            comment, actor=request.user, accept=accept, note=request.POST.get("note", "")
        ),
        success=_("Đã chuyển ý kiến tới Hội đồng.")
        if accept
        else _("Đã ghi: không chuyển ý kiến tới Hội đồng."),
        redirect_to=_comments_url(plist),
    )


def _public_page(request, campaign, *, form=None, status=200):
    published = list(
        Disclosure.objects.filter(proposal_list__campaign=campaign)
        .select_related("proposal_list__award_form", "proposal_list__round")
        .order_by("-published_on", "-pk")
    )
    latest: dict[int, Disclosure] = {}
    for d in published:
        latest.setdefault(d.proposal_list_id, d)
    if not latest:
        raise Http404
    wanted = {pk for d in latest.values() for pk in d.proposals}
    people = {
        p.pk: p for p in Proposal.objects.filter(pk__in=wanted).select_related("agency", "person", "bloc")
    }
    today = timezone.localdate()
    sections = [
        (d, [people[pk] for pk in d.proposals if pk in people], disclosures.is_open(d, today))
        for d in latest.values()
    ]
    return render(
        request,
        "awards/disclosure_public.html",
        {"campaign": campaign, "sections": sections, "form": form or {}},
        status=status,
    )  # fmt: skip


def public(request, code):
    """The plan's lists published for comment (công khai), each with its window and the comment form."""
    return _public_page(request, get_object_or_404(Campaign, code=code))


@require_POST
def comment(request, pk):
    """Gửi ý kiến: the public's comment on a published list (rate-limited like the verification page). A
    refused comment comes back with what was typed and the message beside its field."""
    published = get_object_or_404(Disclosure.objects.select_related("proposal_list__campaign"), pk=pk)
    campaign = published.proposal_list.campaign
    if verification.throttled(f"comment:{get_client_ip_address(request) or 'unknown'}", limit=10):
        message = _("Anh/chị đã gửi quá nhiều ý kiến trong thời gian ngắn. Vui lòng thử lại sau ít phút.")
        return render(request, "awards/verify.html", {"error": message}, status=429)
    values = {key: request.POST.get(key, "")[:5000] for key in ("name", "contact", "text")}
    try:
        disclosures.add_comment(published, **values)
    except PortalError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"general": exc.messages}
        return _public_page(
            request,
            campaign,
            form={"disclosure": published.pk, "values": values, "errors": errors},
            status=400,
        )
    messages.success(
        request, _("Đã nhận ý kiến của anh/chị. Ý kiến được Phòng Nội vụ xem xét và chuyển tới Hội đồng.")
    )
    return redirect("awards:disclosure_public", code=campaign.code)
