from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import DeadlineExtension, EvidenceFile, FinalReport, Initiative, Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["agency", "campaign", "round", "state", "submitted_at", "updated_at"]
    list_filter = ["state", "campaign"]
    search_fields = ["agency__name", "agency__code"]
    list_select_related = ["agency", "campaign", "round"]
    # State changes go through set_registration_state (registrations.domain; audited, checked),
    # never the admin.
    readonly_fields = ["state", "return_reason", "submitted_at", "confirmed_at", "decided_at"]
    raw_id_fields = ["agency", "round", "target_group", "created_by"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "registration"]
    search_fields = ["title"]
    raw_id_fields = ["registration", "reform_area", "authors"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    """Stored files have no public URL (MEDIA_URL is None): the admin links the permission-checked
    download instead of the file. Files are added only through the service that validates them,
    and stay with the registration they were uploaded to; deleting one here is audited."""

    list_display = ["original_name", "content_type", "size", "registration", "uploaded_at", "download"]
    list_select_related = ["registration__agency", "registration__round"]
    fields = [
        "download",
        "original_name",
        "content_type",
        "size",
        "registration",
        "initiative",
        "assessment",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields
    search_fields = ["original_name", "registration__agency__name", "registration__agency__code"]

    @admin.display(description=_("tải tệp"))
    def download(self, obj):
        if obj.pk is None:
            return "-"
        url = reverse("registrations:evidence_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name or _("tải tệp"))

    def has_add_permission(self, request):
        return False


@admin.register(FinalReport)
class FinalReportAdmin(admin.ModelAdmin):
    list_display = ["registration", "state", "submitted_at"]
    readonly_fields = ["state", "submitted_at"]
    raw_id_fields = ["registration"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(admin.ModelAdmin):
    list_display = ["agency", "milestone", "extended_until", "reason", "granted_by", "granted_at"]
    raw_id_fields = ["agency", "milestone", "granted_by"]
