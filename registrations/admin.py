from django.contrib import admin

from .models import DeadlineExtension, EvidenceFile, FinalReport, Initiative, Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["agency", "campaign", "round", "state", "submitted_at", "updated_at"]
    list_filter = ["state", "campaign"]
    search_fields = ["agency__name", "agency__code"]
    list_select_related = ["agency", "campaign", "round"]
    # State changes go through services.set_registration_state (audited, checked), never the admin.
    readonly_fields = ["state", "return_reason", "submitted_at", "confirmed_at", "decided_at"]
    raw_id_fields = ["agency", "round", "target_group", "created_by"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "registration"]
    search_fields = ["title"]
    raw_id_fields = ["registration", "reform_area", "authors"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "registration", "uploaded_at"]
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["registration", "initiative", "assessment"]


@admin.register(FinalReport)
class FinalReportAdmin(admin.ModelAdmin):
    list_display = ["registration", "state", "submitted_at"]
    readonly_fields = ["state", "submitted_at"]
    raw_id_fields = ["registration"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(admin.ModelAdmin):
    list_display = ["agency", "milestone", "extended_until", "reason", "granted_by", "granted_at"]
    raw_id_fields = ["agency", "milestone", "granted_by"]
