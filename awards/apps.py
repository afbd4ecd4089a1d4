from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Khen thưởng")

    def ready(self):
        from auditlog.registry import auditlog

        from common.notifications import register_kinds

        from .notices import AwardNotice

        register_kinds(AwardNotice)

        from common import worklist as portal_worklist

        from . import models, rules, worklist  # noqa: F401  (rules registers permissions)

        portal_worklist.register(worklist.council_work, order=50)
        portal_worklist.register(worklist.leadership_work, order=60)

        auditlog.register(models.ProposalList, exclude_fields=["updated_at"])
        auditlog.register(models.Proposal)
        auditlog.register(models.CouncilSession, exclude_fields=["updated_at", "minutes", "reminded_at"])
        auditlog.register(models.CouncilMember)
        auditlog.register(models.AwardDecision)
        auditlog.register(models.BaseSalary)
        auditlog.register(models.AwardRecord)
        auditlog.register(models.SigningKey, exclude_fields=["updated_at", "certificate"])
        auditlog.register(models.Disclosure)
        auditlog.register(models.DisclosureComment)

        from .signals import decision_issued
        from .signing.jobs import sign_after_approval

        decision_issued.connect(sign_after_approval, dispatch_uid="awards.signing.sign_after_approval")

        from common.pages import AGENCY_PAGE, PERSON_PAGE, add_section

        from .register_views import agency_section, person_section

        add_section(AGENCY_PAGE, agency_section)
        add_section(PERSON_PAGE, person_section)
