from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Nhắc hạn: deadline reminders for the milestones of published campaigns.

    Campaign publication and registration return/acceptance are notified by the campaigns and
    registrations services themselves (common.notifications.notify). The receivers below mark a
    reminder read once the agency has done what it reminded of.
    """

    name = "registrations.reminders"
    label = "reminders"
    verbose_name = _("Nhắc hạn và thông báo")

    def ready(self) -> None:
        from registrations.signals import registration_state_changed, report_state_changed

        from . import receivers

        registration_state_changed.connect(
            receivers.registration_changed, dispatch_uid="reminders-registration"
        )
        report_state_changed.connect(receivers.report_changed, dispatch_uid="reminders-report")
