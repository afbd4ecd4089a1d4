"""Admin of the award cycle: an approved list, its proposals, votes and decisions are read-only
here too (a correction is an amending decision, made in the portal)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    AwardDecision,
    AwardLine,
    AwardRecord,
    BaseSalary,
    CouncilSession,
    Disclosure,
    DossierDocument,
    DossierJob,
    ListState,
    Proposal,
    ProposalList,
    SigningKey,
    Vote,
)


class ReadOnlyWhenLocked:
    """No change or deletion once the object's list is approved."""

    def _locked(self, obj) -> bool:
        if obj is None:
            return False
        plist = obj if isinstance(obj, ProposalList) else getattr(obj, "proposal_list", None)
        if plist is None and hasattr(obj, "session"):
            plist = obj.session.proposal_list
        return plist is not None and plist.state == ListState.APPROVED

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class ProposalInline(ReadOnlyWhenLocked, admin.TabularInline):
    model = Proposal
    extra = 0
    can_delete = False
    fields = [
        "agency",
        "person",
        "bloc",
        "rank_in_bloc",
        "tie_at_cutoff",
        "removed",
        "remove_reason",
        "passed",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProposalList)
class ProposalListAdmin(ReadOnlyWhenLocked, admin.ModelAdmin):
    list_display = ["__str__", "campaign", "state", "created_at"]
    list_filter = ["state"]
    readonly_fields = ["campaign", "round", "award_form", "run", "state", "created_by"]
    inlines = [ProposalInline]

    def has_add_permission(self, request):
        return False  # lists are made from frozen results, in the portal


@admin.register(CouncilSession)
class CouncilSessionAdmin(ReadOnlyWhenLocked, admin.ModelAdmin):
    list_display = ["__str__", "held_on", "state"]
    readonly_fields = ["proposal_list", "state", "closed_at", "quorum_met", "minutes"]

    def has_add_permission(self, request):
        return False


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["session", "member", "proposal", "choice", "written"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # votes are cast by the members themselves

    def has_delete_permission(self, request, obj=None):
        return False


class AwardLineInline(admin.TabularInline):
    model = AwardLine
    extra = 0
    can_delete = False
    readonly_fields = ["proposal", "multiple", "amount"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AwardDecision)
class AwardDecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "issuer", "decided_on", "total", "amends"]
    inlines = [AwardLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # never edited: a correction is a new amending decision

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BaseSalary)
class BaseSalaryAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "amount", "legal_basis"]


@admin.register(AwardRecord)
class AwardRecordAdmin(admin.ModelAdmin):
    """The awards register; rows of the portal's decisions are read-only (they follow the decision)."""

    list_display = ["decided_on", "decision_number", "form_name", "agency", "person", "source"]
    list_filter = ["source", "form_kind"]
    search_fields = ["decision_number", "form_name", "agency__name", "agency__code", "person__full_name"]
    raw_id_fields = ["agency", "person", "campaign", "decision", "proposal", "created_by"]
    date_hierarchy = "decided_on"

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.source == "import")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.source == "import")
class DossierDocumentInline(admin.TabularInline):
    """The documents of a generation with their technical error (the page shows the user's)."""

    model = DossierDocument
    extra = 0
    can_delete = False
    fields = ["position", "title", "state", "attempts", "error_detail"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DossierJob)
class DossierJobAdmin(admin.ModelAdmin):
    """Read-only: a decision's generated documents are records (the portal starts and retries)."""

    list_display = ["decision", "sequence", "state", "total", "format", "started_by", "started_at"]
    list_filter = ["state"]
    list_select_related = ["decision", "started_by"]
    inlines = [DossierDocumentInline]
    # Stored files have no public URL (MEDIA_URL is None): the ZIP is linked through the portal's
    # permission-checked view.
    fields = [
        "decision", "sequence", "kinds", "format", "state", "total", "started_by", "started_at",
        "finished_at", "archive_link", "archive_sha256", "error",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("tệp ZIP"))
    def archive_link(self, obj):
        if not obj.is_done:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("awards:dossier_zip", args=[obj.pk]), obj.archive.name
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    """Chứng thư số: the administrator registers a token, an HSM or a PKCS#12 file; on saving, the
    certificate is read from it (docs/signing.md). The PIN is never stored here: ``secret_env`` names the
    environment variable of the signing service that holds it."""

    list_display = ("__str__", "purpose", "user", "agency", "backend", "not_after", "is_demo", "active")
    list_filter = ("purpose", "backend", "active", "is_demo")
    search_fields = ("subject_name", "user__username", "agency__name", "agency__code")
    raw_id_fields = ("user", "agency")
    readonly_fields = ("subject_name", "issuer_name", "serial", "not_before", "not_after", "certificate")
    fields = (
        "purpose", "user", "agency", "backend", "pkcs11_module", "token_label", "key_label", "p12_file",
        "secret_env", "image", "active", "is_demo", *readonly_fields,
    )  # fmt: skip

    def save_model(self, request, obj, form, change):
        from django.contrib import messages

        from .errors import SigningError
        from .signing.keys import read_certificate

        try:
            read_certificate(obj)
        except SigningError as exc:
            messages.warning(request, " ".join(exc.messages))
        super().save_model(request, obj, form, change)


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    list_display = ("proposal_list", "published_on", "ends_on", "may_open_on", "working_days")
    readonly_fields = ("proposal_list", "published_on", "working_days", "ends_on", "may_open_on", "proposals",
                       "published_by")  # fmt: skip

    def has_add_permission(self, request):
        return False
