from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """The platform: what every app uses and no domain owns (workflow, audit, notifications,
    spreadsheets, parsing and display, staged uploads, import pages, work list and page registries).
    It imports no other app of the portal; the apps above it register into its registries."""

    name = "common"
    verbose_name = _("Nền tảng chung")

    def ready(self) -> None:
        from . import logs

        # The request id travels with every task sent (and is logged by the worker under it).
        logs.connect_celery()
