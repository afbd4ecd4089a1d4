from django.contrib import admin

from .models import Agency, Invitation, Membership, Person, PersonPosition


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "dissolved_on"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


class PersonPositionInline(admin.TabularInline):
    """Quá trình công tác, written by the people import; kept read-only here so the history stays true."""

    model = PersonPosition
    extra = 0
    fields = ("agency", "position", "is_head", "is_reform_deputy", "started_on", "ended_on")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "code", "agency", "position", "is_head", "is_reform_deputy"]
    list_filter = ["kind", "is_head", "is_reform_deputy"]
    search_fields = ["full_name", "code", "agency__name"]
    raw_id_fields = ["agency", "user"]
    inlines = [PersonPositionInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name"]
    raw_id_fields = ["user", "agency"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent from the account pages (the secret is never stored)."""

    list_display = ["user", "created_at", "expires_at", "used_at", "revoked_at", "invited_by"]
    list_filter = ["used_at", "revoked_at"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "created_at", "expires_at", "used_at", "revoked_at", "invited_by"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
