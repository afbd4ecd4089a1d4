from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Kế hoạch phát động thi đua")

    def ready(self):
        from auditlog.registry import auditlog

        from common.notifications import register_kinds

        from .notices import CampaignNotice

        register_kinds(CampaignNotice)

        from . import models, rules  # noqa: F401  (rules registers permissions)

        for model in (
            models.Campaign,
            models.Round,
            models.Content,
            models.ReformArea,
            models.TargetGroup,
            models.Criterion,
            models.Indicator,
            models.Milestone,
            models.Bloc,
            models.BlocMembership,
            models.ParBand,
            models.WarningRule,
            models.CampaignAmendment,
        ):
            auditlog.register(model)
        auditlog.register(models.AwardForm, m2m_fields={"target_groups"})
