"""Admin: every notification, with the e-mail outbox state; failed sends can be sent again."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import EmailStatus, Notification, OutboxTask
from .notifications import kind_choices, requeue_failed

if TYPE_CHECKING:  # generic in the stubs only
    NotificationModelAdmin = admin.ModelAdmin[Notification]
else:
    NotificationModelAdmin = admin.ModelAdmin


class KindFilter(admin.SimpleListFilter):
    """The kinds come from the registry the apps fill, not from the field's choices."""

    title = _("loại")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Sequence[tuple[str, str]]:
        return kind_choices()

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(NotificationModelAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Gửi lại thư đã gửi thất bại"))
    def resend(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = requeue_failed(queryset.filter(email_status=EmailStatus.FAILED).values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("Đã xếp %(n)d thư để gửi lại.", "Đã xếp %(n)d thư để gửi lại.", count) % {"n": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("loại"), ordering="kind")
    def kind_label(self, obj: Notification) -> str:
        return obj.kind_label


if TYPE_CHECKING:
    OutboxModelAdmin = admin.ModelAdmin[OutboxTask]
else:
    OutboxModelAdmin = admin.ModelAdmin


@admin.register(OutboxTask)
class OutboxTaskAdmin(OutboxModelAdmin):
    """The task outbox (common.outbox), for the operator's eyes: what waits for the broker, what was
    refused and why. Rows are written and sent by the portal only; "Gửi lại ngay" relays them now."""

    list_display = ["created_at", "task", "ref", "attempts", "sent_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["task", "ref", "request_id"]
    readonly_fields = [f.name for f in OutboxTask._meta.fields]
    actions = ["relay_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxTask | None = None) -> bool:
        return False

    @admin.action(description=_("Gửi lại ngay cho hàng đợi"))
    def relay_now(self, request: HttpRequest, queryset: QuerySet[OutboxTask]) -> None:
        from .outbox import relay

        result = relay(list(queryset.filter(sent_at__isnull=True).values_list("pk", flat=True)))
        if result.failed:
            refused = _("Hàng đợi vẫn chưa kết nối được; các tác vụ được giữ lại.")
            self.message_user(request, refused, messages.ERROR)
        else:
            self.message_user(request, _("Đã gửi %(n)s tác vụ cho hàng đợi.") % {"n": result.sent})
