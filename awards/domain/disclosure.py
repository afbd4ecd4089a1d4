"""Công khai danh sách trước khi Hội đồng họp (public disclosure before the council).

Where the plan asks (``AwardForm.disclosure_days`` working days; the law's minimum for the higher forms,
Nghị định 152/2025/NĐ-CP Điều 44.2, comes in through the same field), home affairs publishes the proposed
list on the public pages; the public sends comments (name, contact, text) while the window is open; home
affairs moderates them, and the accepted ones reach the council with the list. The council's session
cannot open before the window has ended (``check_may_open``, called by ``council.open_session``), nor on a
list that changed after it was published.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_context
from common.display import day

from ..errors import AwardError
from ..models import EDITABLE_STATES, CommentState, Disclosure, DisclosureComment, ProposalList
from ..rules import require
from .checks import check

MAX_NAME, MAX_CONTACT, MAX_TEXT = 200, 200, 4000


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (Monday to Friday).

    One small function on purpose: the working-day arithmetic with the public-holidays table (issue 21)
    replaces its body once it is in ``common/``."""
    current, left = start, days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def required_days(plist: ProposalList) -> int:
    return plist.award_form.disclosure_days


def current(plist: ProposalList) -> Disclosure | None:
    """The list's latest publication (a new one replaces the earlier)."""
    return plist.disclosures.order_by("-created_at", "-pk").first()


def _live_ids(plist: ProposalList) -> list[int]:
    return sorted(plist.proposals.filter(removed=False).values_list("pk", flat=True))


def publish(plist: ProposalList, *, actor, today: dt.date | None = None) -> Disclosure:
    """Công khai danh sách: the list as it stands, on the public pages from ``today`` for the plan's number
    of working days; the council may meet from the day after the window ends."""
    require(actor, "awards.disclose_list", plist)
    days = required_days(plist)
    check(days > 0, _("Kế hoạch không yêu cầu công khai danh sách này trước khi Hội đồng họp."), "disclosure")
    check(
        plist.state in EDITABLE_STATES,
        _("Chỉ công khai danh sách đang lập hoặc bị lãnh đạo trả lại, trước khi trình Hội đồng."),
        "state",
    )
    ids = _live_ids(plist)
    check(bool(ids), _("Danh sách chưa có tập thể, cá nhân nào để công khai."), "empty")
    today = today or timezone.localdate()
    ends = add_working_days(today, days)
    with transaction.atomic(), audit_context(actor, note=_("Công khai danh sách đề nghị khen thưởng")):
        disclosure = Disclosure.objects.create(
            proposal_list=plist, published_on=today, working_days=days, ends_on=ends,
            may_open_on=ends + dt.timedelta(days=1), proposals=ids, published_by=actor,
        )  # fmt: skip
    return disclosure


def check_may_open(plist: ProposalList, *, held_on: dt.date, today: dt.date | None = None) -> None:
    """Refuses a council session on a list the plan asks to publish first: not published, changed since,
    or the window not yet over (the refusal names the day the session may open)."""
    days = required_days(plist)
    if not days:
        return
    published = current(plist)
    if published is None:
        raise AwardError(
            _(
                "Danh sách phải được công khai %(n)s ngày làm việc trên trang công khai trước khi Hội đồng "
                "họp: bấm “Công khai danh sách” trên trang danh sách."
            )
            % {"n": days},
            code="disclosure",
        )
    if sorted(published.proposals) != _live_ids(plist):
        raise AwardError(
            _("Danh sách đã thay đổi sau khi công khai ngày %(d)s: hãy công khai lại danh sách hiện tại.")
            % {"d": day(published.published_on)},
            code="disclosure",
        )
    today = today or timezone.localdate()
    if today < published.may_open_on or held_on < published.may_open_on:
        raise AwardError(
            _(
                "Danh sách đang được công khai lấy ý kiến đến hết ngày %(end)s: phiên họp Hội đồng chỉ được "
                "mở từ ngày %(open)s."
            )
            % {"end": day(published.ends_on), "open": day(published.may_open_on)},
            code="disclosure",
        )


def is_open(disclosure: Disclosure, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return disclosure.published_on <= today <= disclosure.ends_on


def add_comment(disclosure: Disclosure, *, name: str, contact: str, text: str) -> DisclosureComment:
    """A comment of the public (anyone, no account), while the window is open; waits for moderation."""
    name, contact, text = (name or "").strip(), (contact or "").strip(), (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Ghi họ và tên của anh/chị.")]
    elif len(name) > MAX_NAME:
        errors["name"] = [_("Họ và tên dài quá %(n)s ký tự.") % {"n": MAX_NAME}]
    if not contact:
        errors["contact"] = [_("Ghi địa chỉ liên hệ (số điện thoại, thư điện tử hoặc địa chỉ).")]
    elif len(contact) > MAX_CONTACT:
        errors["contact"] = [_("Địa chỉ liên hệ dài quá %(n)s ký tự.") % {"n": MAX_CONTACT}]
    if not text:
        errors["text"] = [_("Ghi nội dung ý kiến.")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [_("Nội dung ý kiến dài quá %(n)s ký tự.") % {"n": MAX_TEXT}]
    if errors:
        raise AwardError(errors)
    check(
        is_open(disclosure),
        _("Thời gian nhận ý kiến về danh sách này đã kết thúc ngày %(d)s.") % {"d": day(disclosure.ends_on)},
        "closed",
    )
    return DisclosureComment.objects.create(disclosure=disclosure, name=name, contact=contact, text=text)


def moderate(comment: DisclosureComment, *, actor, accept: bool, note: str = "") -> DisclosureComment:
    """Kiểm duyệt: home affairs sends a comment on to the council, or keeps it back (with a note)."""
    plist = comment.disclosure.proposal_list
    require(actor, "awards.disclose_list", plist)
    check(
        plist.state in EDITABLE_STATES,
        _("Hội đồng đã nhận danh sách: không thay đổi kiểm duyệt ý kiến được nữa."),
        "state",
    )
    comment.state = CommentState.ACCEPTED if accept else CommentState.REJECTED
    comment.moderation_note = (note or "").strip()[:2000]
    comment.moderated_by, comment.moderated_at = actor, timezone.now()
    with audit_context(actor):
        comment.save(update_fields=["state", "moderation_note", "moderated_by", "moderated_at"])
    return comment


def council_comments(plist: ProposalList) -> list[DisclosureComment]:
    """The comments that reach the council: accepted, of the list's latest publication."""
    published = current(plist)
    if published is None:
        return []
    return list(published.comments.filter(state=CommentState.ACCEPTED).order_by("created_at", "pk"))
