"""The notification kinds of launch plans, registered with ``common.notifications.register_kinds``
in the app's ``ready()`` (the bell and the e-mails read their labels there)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignNotice(models.TextChoices):
    CAMPAIGN_PUBLISHED = "campaign_published", _("Phát động phong trào")
    CAMPAIGN_AMENDED = "campaign_amended", _("Điều chỉnh kế hoạch")
