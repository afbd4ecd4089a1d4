"""The notification kinds of the directory, registered with ``common.notifications.register_kinds``
in the app's ``ready()`` (the bell and the e-mails read their labels there)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectoryNotice(models.TextChoices):
    ACCOUNT_INVITATION = "account_invitation", _("Mời kích hoạt tài khoản")
