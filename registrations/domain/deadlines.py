"""Deadlines: the check every sending makes, and the extension (gia hạn) home affairs grants."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import Agency
from campaigns.models import VN_TZ, Milestone
from common.audit import audit_context

from ..errors import RegistrationError
from ..models import DeadlineExtension
from ..queries.deadlines import effective_deadline
from ..rules import acts_as_reviewer


def check_deadline(agency: Agency, milestone: Milestone | None, now: dt.datetime, what: str) -> None:
    """Refuses after the end of the milestone's day (or of the agency's extension)."""
    deadline = effective_deadline(agency, milestone)
    if deadline is not None and now > deadline:
        raise RegistrationError(
            _(
                "Đã quá hạn %(what)s (hạn cuối: hết ngày %(date)s). Cơ quan chỉ gửi được khi "
                "Phòng/Sở Nội vụ cho gia hạn."
            )
            % {"what": what, "date": date_format(deadline.astimezone(VN_TZ).date(), "d/m/Y")},
            code="deadline",
        )


@transaction.atomic
def grant_extension(
    agency: Agency, milestone: Milestone, until: dt.date, reason: str, *, actor
) -> DeadlineExtension:
    """Gia hạn for one agency (home affairs over that agency only), recorded with its reason."""
    if not acts_as_reviewer(actor, agency):
        raise RegistrationError(
            _("Chỉ Phòng/Sở Nội vụ quản lý cơ quan này được cho gia hạn."), code="permission"
        )
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(_("Phải ghi lý do gia hạn."), code="reason")
    if until < milestone.due_on:
        raise RegistrationError(_("Ngày gia hạn phải sau hạn của mốc."), code="until")
    with audit_context(actor, note=reason):
        ext, _created = DeadlineExtension.objects.update_or_create(
            agency=agency,
            milestone=milestone,
            defaults={"extended_until": until, "reason": reason, "granted_by": actor},
        )
    return ext
