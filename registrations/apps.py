from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Audited fields per model. Listed explicitly so reverse relations (added by other apps, e.g. scoring)
# never show up as noise in the history.
AUDITED = {
    "Registration": ["round", "agency", "target_group", "state", "pledge", "return_reason",
                     "submitted_at", "confirmed_at", "decided_at"],
    "Commitment": ["registration", "content", "text"],
    "IndividualRegistration": ["registration", "person", "aimed_title", "commitment"],
    "Initiative": ["registration", "kind", "title", "reform_area", "problem", "description",
                   "expected_effect"],
    "EvidenceFile": ["registration", "initiative", "assessment", "original_name", "content_type", "size"],
    "FinalReport": ["registration", "state", "summary", "submitted_at"],
    "SelfAssessment": ["report", "criterion", "points_claimed", "explanation"],
    "IndicatorValue": ["report", "indicator", "value"],
    "DeadlineExtension": ["agency", "milestone", "extended_until", "reason", "granted_by"],
}  # fmt: skip


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Đăng ký thi đua")

    def ready(self):
        from auditlog.registry import auditlog

        from common.notifications import register_kinds

        from .notices import RegistrationNotice

        register_kinds(RegistrationNotice)

        from common import worklist as portal_worklist

        from . import models, rules, worklist  # noqa: F401  (rules registers permissions)

        portal_worklist.register(worklist.staff_work, order=10)
        portal_worklist.register(worklist.head_work, order=20)
        portal_worklist.register(worklist.home_affairs_work, order=30)

        for name, fields in AUDITED.items():
            extra = {"m2m_fields": {"authors"}} if name == "Initiative" else {}
            auditlog.register(getattr(models, name), include_fields=fields, **extra)
