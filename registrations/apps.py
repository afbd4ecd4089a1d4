from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Đăng ký thi đua")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, rules  # noqa: F401  (rules registers permissions)

        auditlog.register(models.Registration, exclude_fields=["updated_at"])
        auditlog.register(models.Commitment)
        auditlog.register(models.IndividualRegistration)
        auditlog.register(models.Initiative, m2m_fields={"authors"}, exclude_fields=["updated_at"])
        auditlog.register(models.EvidenceFile)
        auditlog.register(models.FinalReport, exclude_fields=["updated_at"])
        auditlog.register(models.SelfAssessment)
        auditlog.register(models.IndicatorValue)
        auditlog.register(models.DeadlineExtension)
