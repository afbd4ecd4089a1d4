"""The notification kinds of awards, registered with ``common.notifications.register_kinds``
in the app's ``ready()`` (the bell and the e-mails read their labels there)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardNotice(models.TextChoices):
    COUNCIL_VOTE = "council_vote", _("Bỏ phiếu Hội đồng")
    RESULTS = "results", _("Kết quả")
