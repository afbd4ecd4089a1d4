from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Danh bạ cơ quan, đơn vị")

    def ready(self):
        from auditlog.registry import auditlog

        from common.notifications import register_kinds, register_recipients

        from . import models
        from .notices import DirectoryNotice
        from .rules import agency_recipient_ids

        register_kinds(DirectoryNotice, link_labels={DirectoryNotice.ACCOUNT_INVITATION: _("Đặt mật khẩu")})
        # An agency addressed by notify() stands for its staff and head.
        register_recipients(models.Agency, agency_recipient_ids)

        auditlog.register(models.Agency)
        auditlog.register(models.Person)
        auditlog.register(models.Membership)
        # Accounts: who renamed, locked or reopened one (never the password or the login times).
        from django.contrib.auth import get_user_model

        auditlog.register(
            get_user_model(), include_fields=["username", "first_name", "last_name", "email", "is_active"]
        )
        auditlog.register(models.AccountProfile)
