"""Work-list providers of the registrations app (see common/worklist.py): plans open for the
agency's registration, registrations to send, to confirm (head) and to accept (home affairs), and
final reports due."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Role
from agencies.rules import agency_ids_with_role
from campaigns.rules import managed_campaigns
from common.worklist import WorkItem

from .models import FinalReport, Registration, RegistrationState, ReportState
from .queries.deadlines import effective_deadline, report_milestone, sending_deadline
from .queries.lists import agency_registrations, openings

S = RegistrationState


def _item(title, count, url, detail, deadline) -> WorkItem:
    overdue = deadline is not None and timezone.now() > deadline
    return WorkItem(title=title, count=count, url=url, detail=detail, deadline=deadline, overdue=overdue)


def staff_work(user) -> list[WorkItem]:
    staff_ids = agency_ids_with_role(user, Role.STAFF)
    if not staff_ids:
        return []
    registrations = list(agency_registrations(user, Role.STAFF).order_by("agency__path", "campaign__code"))
    items = []
    for opening in openings(user, registered={(r.round_id, r.agency_id) for r in registrations}):
        deadline = opening["deadline"]
        if deadline is not None and timezone.now() > deadline:
            continue  # closed: nothing the agency can do any more
        items.append(
            _item(
                _("Kế hoạch đang nhận đăng ký thi đua"),
                1,
                reverse("registrations:index"),
                f"{opening['round'].campaign.title} – {opening['agency'].name}",
                deadline,
            )
        )
    for r in registrations:
        if r.is_editable:
            items.append(
                _item(
                    _("Đăng ký bị trả lại, cần bổ sung và gửi lại")
                    if r.state == S.RETURNED
                    else _("Đăng ký đang soạn, chưa gửi"),
                    1,
                    r.get_absolute_url(),
                    f"{r.campaign.title} – {r.agency.name}",
                    sending_deadline(r),
                )
            )
    reports = {
        f.registration_id: f.state
        for f in FinalReport.objects.filter(
            registration__in=[r for r in registrations if r.state == S.ACCEPTED]
        )
    }
    for r in registrations:
        if r.state == S.ACCEPTED and reports.get(r.pk, ReportState.DRAFT) == ReportState.DRAFT:
            items.append(
                _item(
                    _("Báo cáo kết quả cuối đợt cần gửi"),
                    1,
                    reverse("registrations:report", args=[r.pk]),
                    f"{r.campaign.title} – {r.agency.name}",
                    effective_deadline(r.agency, report_milestone(r)),
                )
            )
    return items


def head_work(user) -> list[WorkItem]:
    head_ids = agency_ids_with_role(user, Role.HEAD)
    if not head_ids:
        return []
    waiting = (
        Registration.objects.filter(agency_id__in=head_ids, state__in=[S.SUBMITTED, S.RESUBMITTED])
        .select_related("agency", "campaign")
        .order_by("agency__path", "campaign__code")
    )
    return [
        _item(
            _("Đăng ký chờ thủ trưởng xác nhận"),
            1,
            r.get_absolute_url(),
            f"{r.campaign.title} – {r.agency.name}",
            None,
        )
        for r in waiting
    ]


def home_affairs_work(user) -> list[WorkItem]:
    """Registrations confirmed by their heads, waiting for home affairs, per plan it issued (or one
    issued below it)."""
    if not agency_ids_with_role(user, Role.HOME_AFFAIRS):
        return []
    per_plan = (
        Registration.objects.filter(campaign__in=managed_campaigns(user))
        .values("campaign__code", "campaign__title")
        .annotate(confirmed=Count("pk", filter=Q(state=S.CONFIRMED)))
        .filter(confirmed__gt=0)
        .order_by("campaign__code")
    )
    return [
        WorkItem(
            title=_("Đăng ký chờ Nội vụ kiểm tra, chấp nhận hoặc trả lại"),
            count=row["confirmed"],
            url=reverse("registrations:review_list", args=[row["campaign__code"]]) + "?state=confirmed",
            detail=row["campaign__title"],
        )
        for row in per_plan
    ]
