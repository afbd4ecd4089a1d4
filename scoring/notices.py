"""The notification kinds of scoring, registered with ``common.notifications.register_kinds``
in the app's ``ready()`` (the bell and the e-mails read their labels there)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoringNotice(models.TextChoices):
    REVIEWER_ASSIGNED = "reviewer_assigned", _("Phân công chấm điểm")
