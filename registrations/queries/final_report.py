"""What still stops a final report (báo cáo kết quả cuối đợt) from being sent."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..models import FinalReport


def report_problems(report: FinalReport) -> list[str]:
    """Missing points, and a missing explanation where evidence is missing; missing indicator values."""
    registration = report.registration
    problems: list[str] = []
    if registration.target_group is None:
        return problems
    assessments = {a.criterion_id: a for a in report.assessments.prefetch_related("evidence_files")}
    for criterion in registration.target_group.criteria.all():
        row = assessments.get(criterion.pk)
        if row is None or row.points_claimed is None:
            problems.append(_("Tiêu chí “%(c)s”: chưa tự chấm điểm.") % {"c": str(criterion)})
            continue
        if not row.evidence_files.all() and not row.explanation.strip():
            problems.append(
                _("Tiêu chí “%(c)s”: không có minh chứng thì phải có giải trình.") % {"c": str(criterion)}
            )
    filled = set(report.indicator_values.exclude(value=None).values_list("indicator_id", flat=True))
    for indicator in registration.campaign.indicators.all():
        if indicator.pk not in filled:
            problems.append(_("Chỉ số “%(i)s”: chưa nhập giá trị.") % {"i": indicator.name})
    return problems
