from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Chấm điểm, xếp hạng")

    def ready(self):
        from auditlog.registry import auditlog

        from common.notifications import register_kinds

        from .notices import ScoringNotice

        register_kinds(ScoringNotice)

        from common import worklist as portal_worklist

        from . import models, rules, worklist  # noqa: F401  (rules registers permissions)

        portal_worklist.register(worklist.reviewer_work, order=40)

        auditlog.register(models.ParIndexResult, exclude_fields=["imported_at"])
        auditlog.register(models.StaffRatingRecord, exclude_fields=["imported_at"])
        auditlog.register(models.Complaint)
        auditlog.register(models.ReviewAssignment)
        auditlog.register(models.CriterionScore, exclude_fields=["updated_at", "version"])
        auditlog.register(models.ScoreOverride, exclude_fields=["set_at"])
        auditlog.register(models.ExemplaryModel)
