"""Admin: every notification, with the e-mail outbox state; failed sends can be sent again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agencies.models import EmailStatus, Notification
from agencies.notifications import requeue_failed

from .models import ReminderClaim


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind",
        "title",
        "email_status",
        "email_attempts",
        "email_error",
    ]
    list_filter = ["email_status", "kind", "created_at"]
    search_fields = ["title", "recipient__username", "recipient__email", "email_error"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Gửi lại thư đã gửi thất bại"))
    def resend(self, request, queryset):
        count = requeue_failed(queryset.filter(email_status=EmailStatus.FAILED).values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("Đã xếp %(n)d thư để gửi lại.", "Đã xếp %(n)d thư để gửi lại.", count) % {"n": count},
            messages.SUCCESS,
        )


@admin.register(ReminderClaim)
class ReminderClaimAdmin(admin.ModelAdmin):
    list_display = ["claimed_at", "milestone", "agency", "offset_days"]
    list_filter = ["offset_days", "milestone__campaign"]
    search_fields = ["agency__name", "agency__code"]
    list_select_related = ["milestone", "milestone__campaign", "agency"]
    readonly_fields = ["milestone", "agency", "offset_days", "claimed_at", "token"]

    def has_add_permission(self, request):
        return False
