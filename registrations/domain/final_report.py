"""Báo cáo kết quả cuối đợt: the self-assessment per criterion and the plan's indicators, autosaved
while a draft, sent once (before the report deadline or the agency's extension, when complete)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Role
from agencies.rules import holders
from common.audit import audit_context
from common.display import number
from common.notifications import notify
from common.parsing import ParseError, parse_decimal

from ..errors import RegistrationError
from ..models import FinalReport, IndicatorValue, Registration, ReportState, SelfAssessment
from ..notices import RegistrationNotice
from ..queries.deadlines import report_milestone
from ..queries.final_report import report_problems
from ..rules import acts_as_staff, is_accepted, is_report_draft
from ..signals import report_state_changed
from .deadlines import check_deadline


def report_for(registration: Registration) -> FinalReport:
    """The registration's final report; its draft is made when first opened."""
    report, _created = FinalReport.objects.get_or_create(registration=registration)
    return report


def require_report_open(report: FinalReport, *, actor) -> None:
    """The rule ``registrations.edit_report``, said in words: only the agency's staff, only once
    home affairs accepted the registration, only until the report is sent."""
    if not acts_as_staff(actor, report):
        raise RegistrationError(_("Chỉ cán bộ phụ trách thi đua của cơ quan được sửa."), code="permission")
    if not is_accepted(actor, report):
        raise RegistrationError(
            _("Chỉ báo cáo được khi đăng ký đã được Nội vụ chấp nhận."), code="not_accepted"
        )
    if not is_report_draft(actor, report):
        raise RegistrationError(_("Báo cáo đã gửi, không sửa được."), code="locked")


def _decimal(value) -> Decimal | None:
    if value is None or not str(value).strip():
        return None
    return parse_decimal(value)


def save_report(
    report: FinalReport, *, actor, summary=None, assessments=None, indicators=None
) -> FinalReport:
    """Autosave of the final report. ``assessments``: {criterion_id: (points, explanation)};
    ``indicators``: {indicator_id: value}.

    Every valid field is saved (and committed) even when others are not: a number that does not
    parse or points outside 0..max leave that one value unchanged. Then a ``RegistrationError``
    is raised whose ``message_dict`` maps the form field ("points-<criterion id>",
    "indicator-<indicator id>") to a message naming the criterion or indicator."""
    require_report_open(report, actor=actor)
    registration = report.registration
    errors: dict[str, list[str]] = {}
    with transaction.atomic(), audit_context(actor):
        if summary is not None and summary != report.summary:
            report.summary = summary
            report.save(update_fields=["summary", "updated_at"])
        if assessments:
            criteria = (
                {c.pk: c for c in registration.target_group.criteria.all()}
                if registration.target_group
                else {}
            )
            rows = {a.criterion_id: a for a in report.assessments.all()}
            for criterion_id, (points, explanation) in assessments.items():
                criterion = criteria.get(criterion_id)
                if criterion is None:
                    continue
                row = rows.get(criterion_id) or SelfAssessment(report=report, criterion=criterion)
                value = row.points_claimed
                try:
                    value = _decimal(points)
                except ParseError:
                    errors[f"points-{criterion_id}"] = [
                        _("Tiêu chí “%(c)s”: “%(v)s” không phải là số.") % {"c": str(criterion), "v": points}
                    ]
                else:
                    if value is not None and not (0 <= value <= criterion.max_points):
                        errors[f"points-{criterion_id}"] = [
                            _("Tiêu chí “%(c)s”: điểm tự chấm phải từ 0 đến %(max)s.")
                            % {"c": str(criterion), "max": number(criterion.max_points)}
                        ]
                        value = row.points_claimed
                if row.pk is None or row.points_claimed != value or row.explanation != explanation:
                    row.points_claimed, row.explanation = value, explanation
                    row.save()
        if indicators:
            valid = {i.pk: i for i in registration.campaign.indicators.all()}
            values = {v.indicator_id: v for v in report.indicator_values.all()}
            for indicator_id, raw in indicators.items():
                if indicator_id not in valid:
                    continue
                try:
                    value = _decimal(raw)
                except ParseError:
                    errors[f"indicator-{indicator_id}"] = [
                        _("Chỉ số “%(i)s”: “%(v)s” không phải là số.")
                        % {"i": valid[indicator_id].name, "v": raw}
                    ]
                    continue
                given = values.get(indicator_id) or IndicatorValue(report=report, indicator_id=indicator_id)
                if given.pk is None or given.value != value:
                    given.value = value
                    given.save()
    if errors:
        raise RegistrationError(errors, code="report")
    return report


@transaction.atomic
def set_report_state(
    report: FinalReport, new_state: str, *, actor, now: dt.datetime | None = None
) -> FinalReport:
    """draft -> submitted (staff, before the report deadline or its extension, when complete)."""
    now = now or timezone.now()
    report = (
        FinalReport.objects.select_for_update(of=("self",))
        .select_related("registration__agency", "registration__campaign")
        .get(pk=report.pk)
    )
    if (report.state, new_state) != (ReportState.DRAFT, ReportState.SUBMITTED):
        raise RegistrationError(_("Không thể chuyển trạng thái báo cáo."), code="transition")
    require_report_open(report, actor=actor)
    check_deadline(report.registration.agency, report_milestone(report.registration), now, _("gửi báo cáo"))
    problems = report_problems(report)
    if problems:
        raise RegistrationError(problems, code="incomplete")
    old = report.state
    report.state = new_state
    report.submitted_at = now
    with audit_context(actor):
        report.save(update_fields=["state", "submitted_at"])
    notify(
        holders(report.registration.agency, Role.HOME_AFFAIRS),
        RegistrationNotice.REPORT_SUBMITTED,
        report.registration,
        title=_("Báo cáo kết quả cuối đợt đã gửi: %(agency)s") % {"agency": report.registration.agency.name},
        body=_("Kế hoạch: %(campaign)s") % {"campaign": report.registration.campaign.title},
        url=reverse("registrations:report", args=[report.registration_id]),
    )
    transaction.on_commit(
        lambda: report_state_changed.send(
            sender=FinalReport, report=report, old_state=old, new_state=new_state, actor=actor
        )
    )
    return report
