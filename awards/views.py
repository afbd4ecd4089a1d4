"""Thin views of the award cycle: each parses input, calls one service, renders or redirects."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Role, home_affairs_office
from agencies.rules import agencies_q, get_for_user_or_404, has_perm, is_system_admin
from campaigns.models import Campaign
from common.parsing import ParseError, id_param, ids_param, parse_date
from common.spreadsheets import spreadsheet_response
from scoring import outcomes as scoring

from . import services
from .exports import list_xlsx
from .models import (
    AwardDecision,
    AwardLine,
    CouncilSession,
    ListState,
    ProposalList,
    SessionState,
    SignerCapacity,
    VoteChoice,
)
from .services import AwardError


def _error(request, exc: AwardError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _date(value: str) -> dt.date | None:
    try:
        return parse_date(value)
    except ParseError:
        return None


def _lists_for(user):
    """Lists the user reaches: home affairs or leadership of the issuer, or a seat in a session."""
    qs = ProposalList.objects.select_related("campaign", "award_form", "round")
    if is_system_admin(user):
        return qs
    reach = agencies_q(user, Role.HOME_AFFAIRS, Role.LEADERSHIP, prefix="campaign__issuer__")
    seat = Q(sessions__members__user=user) | Q(sessions__secretary=user)
    return qs.filter(reach | seat).distinct()


@login_required
def index(request):
    lists = list(_lists_for(request.user).order_by("-created_at", "-pk"))
    sessions = (
        CouncilSession.objects.filter(members__user=request.user)
        .select_related("proposal_list__award_form", "proposal_list__campaign")
        .order_by("-held_on", "-pk")
    )
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
        request, "awards/index.html", {"lists": lists, "sessions": sessions, "campaigns": campaigns}
    )


@login_required
@require_POST
def make_list(request, code):
    campaign = get_for_user_or_404(request.user, "scoring.manage_results", Campaign, code=code)
    form = get_object_or_404(campaign.award_forms, pk=id_param(request.POST.get("award_form")) or 0)
    try:
        plist = services.make_list(campaign, form, request.user)
    except AwardError as exc:
        _error(request, exc)
        return redirect("awards:index")
    messages.success(request, _("Đã lập danh sách đề nghị từ kết quả xét; kết quả được khóa."))
    return redirect("awards:list", plist.pk)


def _get_list(request, pk, perm="awards.view_list") -> ProposalList:
    qs = ProposalList.objects.select_related("campaign__issuer", "award_form", "round", "run__round")
    return get_for_user_or_404(request.user, perm, qs, pk=pk)


@login_required
def list_detail(request, pk):
    plist = _get_list(request, pk)
    proposals = list(
        plist.proposals.select_related("agency", "person", "bloc").order_by(
            "bloc__order", "bloc_id", "rank_in_bloc", "pk"
        )
    )
    last_closed = plist.sessions.filter(state=SessionState.CLOSED).order_by("-closed_at", "-pk").first()
    closed = last_closed is not None
    withheld = set((last_closed.minutes or {}).get("withheld", [])) if closed else set()
    explained = {
        c.result_id: c.explanation
        for c in scoring.candidates(plist.run, plist.award_form, ids=[p.result_id for p in proposals])
    }
    for p in proposals:
        p.explanation = explained.get(p.result_id, ())
        p.withheld = p.pk in withheld
    can_manage = has_perm(request.user, "awards.manage_list", plist)
    context = {
        "plist": plist,
        "proposals": proposals,
        "quota_use": services.quota_use(plist),
        "can_manage": can_manage,
        "can_edit": can_manage and plist.state in services.EDITABLE,
        "can_approve": (
            has_perm(request.user, "awards.approve_list", plist) and plist.state == ListState.VOTED
        ),
        "show_votes": closed,
        "sessions": plist.sessions.order_by("-held_on", "-pk"),
        "decisions": plist.decisions.select_related("amends").order_by("created_at", "pk"),
        "decision": services.current_decision(plist),
        "signer_choices": SignerCapacity.choices,
        "office": home_affairs_office(plist.campaign.issuer),
        "can_view_dossier": has_perm(request.user, "awards.view_dossier", plist),
    }
    decision = context["decision"]
    if decision is not None:
        context["annex"] = list(
            decision.lines.select_related("proposal__agency", "proposal__person", "proposal__bloc").order_by(
                "proposal__bloc__order", "proposal__bloc_id", "proposal__rank_in_bloc", "pk"
            )
        )
        context["can_amend"] = (
            has_perm(request.user, "awards.approve_list", plist) and plist.state == ListState.APPROVED
        )
    if context["can_edit"]:
        in_list = {p.result_id for p in proposals if not p.removed}
        context["addable"] = [
            c
            for c in scoring.candidates(plist.run, plist.award_form, explained=False)
            if c.result_id not in in_list
        ][:500]
        context["council"] = services.council_candidates(plist.campaign)
    return render(request, "awards/list.html", context)


@login_required
@require_POST
def add_proposal(request, pk):
    plist = _get_list(request, pk, "awards.manage_list")
    try:
        services.add_proposal(
            plist, int(request.POST.get("result") or 0), request.user, request.POST.get("reason", "")
        )
    except AwardError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã bổ sung vào danh sách."))
    return redirect("awards:list", plist.pk)


@login_required
@require_POST
def remove_proposal(request, pk, proposal):
    plist = _get_list(request, pk, "awards.manage_list")
    item = get_object_or_404(plist.proposals, pk=proposal)
    try:
        services.remove_proposal(item, request.user, request.POST.get("reason", ""))
    except AwardError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã đưa ra khỏi danh sách."))
    return redirect("awards:list", plist.pk)


@login_required
@require_POST
def withdraw(request, pk):
    plist = _get_list(request, pk, "awards.manage_list")
    try:
        services.withdraw_list(plist, request.user, request.POST.get("reason", ""))
    except AwardError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã rút danh sách; có thể tính lại kết quả."))
    return redirect("awards:list", plist.pk)


@login_required
@require_POST
def open_session(request, pk):
    plist = _get_list(request, pk, "awards.manage_list")
    users = get_user_model().objects
    held_on = _date(request.POST.get("held_on", ""))
    if held_on is None:
        messages.error(request, _("Ngày họp không hợp lệ (định dạng dd/mm/yyyy)."))
        return redirect("awards:list", plist.pk)
    member_ids = ids_param(request.POST.getlist("members"))
    try:
        session = services.open_session(
            plist,
            request.user,
            members=list(users.filter(pk__in=member_ids)),
            secretary=request.user,
            held_on=held_on,
            place=request.POST.get("place", "").strip()[:255],
        )
    except AwardError as exc:
        _error(request, exc)
        return redirect("awards:list", plist.pk)
    messages.success(request, _("Đã mở phiên bình xét và thông báo cho các thành viên."))
    return redirect("awards:session", session.pk)


def _get_session(request, pk, perm="awards.view_session") -> CouncilSession:
    qs = CouncilSession.objects.select_related(
        "proposal_list__campaign__issuer", "proposal_list__award_form", "secretary"
    )
    return get_for_user_or_404(request.user, perm, qs, pk=pk)


@login_required
def session_detail(request, pk):
    session = _get_session(request, pk)
    plist = session.proposal_list
    proposals = list(
        plist.proposals.filter(removed=False)
        .select_related("agency", "person", "bloc")
        .order_by("bloc__order", "bloc_id", "rank_in_bloc", "pk")
    )
    is_member = has_perm(request.user, "awards.vote", session)
    runs = has_perm(request.user, "awards.run_session", session)
    members = session.members.select_related("user").annotate(n=Count("votes")).order_by("pk")
    return render(
        request,
        "awards/session.html",
        {
            "session": session,
            "plist": plist,
            "proposals": proposals,
            "is_member": is_member and session.state == SessionState.OPEN,
            "runs": runs and session.state == SessionState.OPEN,
            "mine": services.my_votes(session, request.user) if is_member else {},
            "members": members if runs else [],
            "choices": VoteChoice.choices,
            "ties": [p for p in proposals if p.tie_at_cutoff],
            "closed": session.state == SessionState.CLOSED,
        },
    )


def _choices(request) -> dict[int, str]:
    out = {}
    for key, value in request.POST.items():
        pk = id_param(key[5:]) if key.startswith("vote-") else None
        if pk is not None and value:
            out[pk] = value
    return out


@login_required
@require_POST
def vote(request, pk):
    session = _get_session(request, pk, "awards.vote")
    try:
        n = services.cast_votes(session, request.user, _choices(request))
    except AwardError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã ghi %(n)s phiếu biểu quyết.") % {"n": n})
    return redirect("awards:session", session.pk)


@login_required
@require_POST
def written_opinion(request, pk):
    session = _get_session(request, pk, "awards.run_session")
    member_id = id_param(request.POST.get("member")) or 0
    member = get_object_or_404(session.members.select_related("user"), pk=member_id)
    try:
        services.record_written_opinion(session, request.user, member.user, _choices(request))
    except AwardError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã ghi ý kiến bằng văn bản."))
    return redirect("awards:session", session.pk)


@login_required
@require_POST
def decide_tie(request, pk):
    session = _get_session(request, pk, "awards.run_session")
    chosen = ids_param(request.POST.getlist("chosen"))
    try:
        services.decide_tie(session, request.user, chosen, request.POST.get("note", ""))
    except AwardError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã ghi quyết định của Hội đồng về các trường hợp bằng điểm."))
    return redirect("awards:session", session.pk)


@login_required
@require_POST
def close_session(request, pk):
    session = _get_session(request, pk, "awards.run_session")
    try:
        services.close_session(session, request.user)
    except AwardError as exc:
        _error(request, exc)
        return redirect("awards:session", session.pk)
    messages.success(request, _("Đã kết thúc bình xét; danh sách chờ lãnh đạo phê duyệt."))
    return redirect("awards:list", session.proposal_list_id)


def _decision_fields(request) -> dict | None:
    """Number, date and signer of a decision (approval or amendment) from the form; None, with the
    message, when the date is not a date."""
    decided_on = _date(request.POST.get("decided_on", ""))
    if decided_on is None:
        messages.error(request, _("Ngày ký không hợp lệ (định dạng dd/mm/yyyy)."))
        return None
    return {
        "number": request.POST.get("number", ""),
        "decided_on": decided_on,
        "signer_capacity": request.POST.get("signer_capacity", ""),
        "signer_title": request.POST.get("signer_title", ""),
        "signer_name": request.POST.get("signer_name", ""),
    }


@login_required
@require_POST
def approve(request, pk):
    plist = _get_list(request, pk, "awards.approve_list")
    fields = _decision_fields(request)
    if fields is None:
        return redirect("awards:list", plist.pk)
    try:
        services.approve(plist, request.user, **fields)
    except AwardError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã phê duyệt danh sách và ban hành quyết định khen thưởng."))
    return redirect("awards:list", plist.pk)


@login_required
@require_POST
def return_list(request, pk):
    plist = _get_list(request, pk, "awards.approve_list")
    try:
        services.return_list(plist, request.user, request.POST.get("reason", ""))
    except AwardError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("Đã trả lại danh sách cho %(office)s.")
            % {"office": home_affairs_office(plist.campaign.issuer)},
        )
    return redirect("awards:list", plist.pk)


@login_required
@require_POST
def amend(request, pk):
    """Quyết định sửa đổi, bổ sung of the list's latest decision (never an edit of it)."""
    plist = _get_list(request, pk, "awards.approve_list")
    decision = services.current_decision(plist)
    if decision is None:
        messages.error(request, _("Danh sách chưa có quyết định khen thưởng để sửa đổi."))
        return redirect("awards:list", plist.pk)
    fields = _decision_fields(request)
    if fields is None:
        return redirect("awards:list", plist.pk)
    try:
        amended = services.amend_decision(
            decision,
            request.user,
            **fields,
            reason=request.POST.get("reason", ""),
            withdrawn=ids_param(request.POST.getlist("withdrawn")),
        )
    except AwardError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            _("Đã ban hành quyết định %(n)s sửa đổi quyết định %(m)s.")
            % {"n": amended.number, "m": decision.number},
        )
    return redirect("awards:list", plist.pk)


@login_required
def export(request, pk):
    plist = _get_list(request, pk)
    return spreadsheet_response(list_xlsx(plist), f"danh-sach-de-nghi-{plist.pk}.xlsx")


def public_results(request, code):
    """Công khai kết quả: after the decision, to everyone (agency staff see only this page)."""
    campaign = get_object_or_404(Campaign.objects.select_related("issuer"), code=code)
    decisions = list(
        AwardDecision.objects.filter(
            proposal_list__campaign=campaign, proposal_list__state=ListState.APPROVED
        )
        .select_related("proposal_list__award_form", "proposal_list__round")
        .order_by("proposal_list__award_form__order", "-created_at", "-pk")
    )
    current = {}
    for d in decisions:  # the latest decision of each list (an amending one replaces the one it corrects)
        current.setdefault(d.proposal_list_id, d)
    if not current:
        raise Http404
    lines = (
        AwardLine.objects.filter(decision__in=list(current.values()))
        .select_related("proposal__agency", "proposal__person", "proposal__bloc", "decision")
        .order_by("decision_id", "proposal__bloc__order", "proposal__bloc_id", "proposal__rank_in_bloc", "pk")
    )
    by_decision: dict[int, list] = {}
    for line in lines:
        by_decision.setdefault(line.decision_id, []).append(line)
    sections = [(d, by_decision.get(d.pk, [])) for d in current.values()]
    year = max(d.proposal_list.round.year for d in current.values())
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
