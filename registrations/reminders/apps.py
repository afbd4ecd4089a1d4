from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Nhắc hạn: deadline reminders for the milestones of published campaigns.

    Campaign publication and registration return/acceptance are notified by the campaigns and
    registrations services themselves (agencies.notifications.notify), so no receiver is needed.
    """

    name = "registrations.reminders"
    label = "reminders"
    verbose_name = _("Nhắc hạn và thông báo")
