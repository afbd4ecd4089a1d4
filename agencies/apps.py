from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Danh bạ cơ quan, đơn vị")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Agency)
        auditlog.register(models.Person)
        auditlog.register(models.Membership)
