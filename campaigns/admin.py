"""Read-mostly admin for plans; plans are edited in the portal's step editor (audited amendments)."""

from django.contrib import admin

from .models import AwardForm, Campaign, CampaignAmendment, Milestone, ParBand, TargetGroup


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "issuer", "state", "period_start", "period_end"]
    list_filter = ["state"]
    search_fields = ["code", "title", "document_number"]
    raw_id_fields = ["issuer", "parent", "published_by"]
    readonly_fields = ["state", "published_at", "published_by"]


@admin.register(CampaignAmendment)
class CampaignAmendmentAdmin(admin.ModelAdmin):
    list_display = ["campaign", "made_at", "made_by", "reason"]
    readonly_fields = ["campaign", "made_at", "made_by", "reason", "changes"]


for model in (TargetGroup, Milestone, ParBand, AwardForm):
    admin.site.register(model)
