"""Admin: the reminder claims (which reminder went to which agency, once)."""

from django.contrib import admin

from .models import ReminderClaim


@admin.register(ReminderClaim)
class ReminderClaimAdmin(admin.ModelAdmin):
    list_display = ["claimed_at", "milestone", "agency", "offset_days"]
    list_filter = ["offset_days", "milestone__campaign"]
    search_fields = ["agency__name", "agency__code"]
    list_select_related = ["milestone", "milestone__campaign", "agency"]
    readonly_fields = ["milestone", "agency", "offset_days", "claimed_at", "token"]

    def has_add_permission(self, request):
        return False
