"""Pages of the council's vote (bình xét): opening a session on a list, the session page, a
member's votes, the secretary's written opinions, the decision on ties, closing the vote."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.rules import has_perm
from common.actions import perform
from common.parsing import id_param, ids_param

from ..domain import council, disclosure
from ..domain.proposal_list import list_url
from ..models import SessionState, VoteChoice
from ..queries import council as council_queries
from ..rules import get_list_for_user, get_session_for_user
from . import posted_date


@login_required
@require_POST
def open_session(request, pk):
    plist = get_list_for_user(request.user, pk, perm="awards.manage_list")
    members = get_user_model().objects.filter(pk__in=ids_param(request.POST.getlist("members")))
    return perform(
        request,
        lambda: council.open_session(
            plist,
            actor=request.user,
            members=list(members),
            secretary=request.user,
            held_on=posted_date(request, "held_on", _("Ngày họp không hợp lệ (định dạng dd/mm/yyyy).")),
            place=request.POST.get("place", "").strip()[:255],
        ),
        success=_("Đã mở phiên bình xét và thông báo cho các thành viên."),
        redirect_to=council.session_url,
        on_error=list_url(plist),
    )


@login_required
def session_detail(request, pk):
    session = get_session_for_user(request.user, pk)
    plist = session.proposal_list
    proposals = list(
        plist.proposals.filter(removed=False)
        .select_related("agency", "person", "bloc")
        .order_by("bloc__order", "bloc_id", "rank_in_bloc", "pk")
    )
    is_open = session.state == SessionState.OPEN
    is_member = has_perm(request.user, "awards.vote", session)
    runs = has_perm(request.user, "awards.run_session", session)
    return render(
        request,
        "awards/session.html",
        {
            "session": session,
            "plist": plist,
            "proposals": proposals,
            "is_member": is_member and is_open,
            "runs": runs and is_open,
            "mine": council_queries.my_votes(session, request.user) if is_member else {},
            "members": council_queries.members_with_votes(session) if runs else [],
            "choices": VoteChoice.choices,
            "ties": [p for p in proposals if p.tie_at_cutoff],
            "closed": session.state == SessionState.CLOSED,
            "public_comments": disclosure.council_comments(plist),  # công khai: they reach the council
        },
    )


def _choices(request) -> dict[int, str]:
    """The ballot of the form: {proposal id: choice} from the ``vote-<id>`` fields."""
    out = {}
    for key, value in request.POST.items():
        pk = id_param(key[5:]) if key.startswith("vote-") else None
        if pk is not None and value:
            out[pk] = value
    return out


@login_required
@require_POST
def vote(request, pk):
    session = get_session_for_user(request.user, pk, perm="awards.vote")
    return perform(
        request,
        lambda: council.cast_votes(session, _choices(request), actor=request.user),
        success=lambda n: _("Đã ghi %(n)s phiếu biểu quyết.") % {"n": n},
        redirect_to=council.session_url(session),
    )


@login_required
@require_POST
def written_opinion(request, pk):
    session = get_session_for_user(request.user, pk, perm="awards.run_session")
    member = get_object_or_404(
        session.members.select_related("user"), pk=id_param(request.POST.get("member")) or 0
    )
    return perform(
        request,
        lambda: council.record_written_opinion(session, member.user, _choices(request), actor=request.user),
        success=_("Đã ghi ý kiến bằng văn bản."),
        redirect_to=council.session_url(session),
    )


@login_required
@require_POST
def decide_tie(request, pk):
    session = get_session_for_user(request.user, pk, perm="awards.run_session")
    chosen = ids_param(request.POST.getlist("chosen"))
    return perform(
        request,
        lambda: council.decide_tie(session, chosen, actor=request.user, note=request.POST.get("note", "")),
        success=_("Đã ghi quyết định của Hội đồng về các trường hợp bằng điểm."),
        redirect_to=council.session_url(session),
    )


@login_required
@require_POST
def close_session(request, pk):
    session = get_session_for_user(request.user, pk, perm="awards.run_session")
    return perform(
        request,
        lambda: council.close_session(session, actor=request.user),
        success=_("Đã kết thúc bình xét; danh sách chờ lãnh đạo phê duyệt."),
        redirect_to=list_url(session.proposal_list),
        on_error=council.session_url(session),
    )
