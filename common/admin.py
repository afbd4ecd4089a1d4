"""Admin: every notification, with the e-mail outbox state; failed sends can be sent again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import EmailStatus, Notification
from .notifications import kind_choices, requeue_failed


class KindFilter(admin.SimpleListFilter):
    """The kinds come from the registry the apps fill, not from the field's choices."""

    title = _("loại")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind_label",
        "title",
        "email_status",
        "email_attempts",
        "email_error",
    ]
    list_filter = ["email_status", KindFilter, "created_at"]
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

    @admin.display(description=_("loại"), ordering="kind")
    def kind_label(self, obj):
        return obj.kind_label
