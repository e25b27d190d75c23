"""Admin: sealed means sealed here too.

Approved and decided rounds, dossiers whose outcome is decided, certificates and submitted score sheets
are read-only: a change goes through the recorded re-opening on the round's page (who, when, why, shown
in its history), or for a certificate through its revocation. Statuses never change here: they move only
through the life cycle table (selection.workflow), which records each step.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from . import models
from .models import DossierStatus, RoundStatus

SEALED_ROUND = (RoundStatus.APPROVED, RoundStatus.DECIDED)
DECIDED_DOSSIER = (
    DossierStatus.REJECTED,
    DossierStatus.PASSED,
    DossierStatus.NOT_PASSED,
    DossierStatus.CERTIFIED,
)


def round_is_sealed(round_) -> bool:
    return round_.scores_locked or round_.status in SEALED_ROUND


class SealedAdmin(admin.ModelAdmin):
    """Read-only once `is_sealed(obj)`; never deleted; says why and where a change is made instead."""

    sealed_message = ""

    def is_sealed(self, obj) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.is_sealed(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.is_sealed(obj) and request.method == "GET":
            messages.warning(request, self.sealed_message())
        return super().change_view(request, object_id, form_url, extra_context)


class CriterionInline(admin.TabularInline):
    model = models.Criterion
    extra = 0


@admin.register(models.RubricVersion)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "effective_from", "aggregation"]
    inlines = [CriterionInline]


@admin.register(models.RuleSet)
class RuleSetAdmin(SealedAdmin):
    """The selection rules by effective date. A version rounds already follow is read-only (they keep it):
    a change of rules is a new version with its own effective date."""

    list_display = ["code", "name", "effective_from", "direct_entry", "region_working_days", "appeal_days"]
    search_fields = ["code", "name"]

    def is_sealed(self, obj) -> bool:
        return obj.rounds.exists()

    def sealed_message(self):
        return _(
            "Rounds follow these rules: they keep them, so this version is read-only. Add a new version "
            "with the date it takes effect."
        )


@admin.register(models.NominationBatch)
class NominationBatchAdmin(admin.ModelAdmin):
    list_display = ["round", "province", "status", "letter_no", "submitted_at", "due_on"]
    list_filter = ["status"]
    readonly_fields = ["status", "submitted_at", "completed_at", "due_on"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Round)
class RoundAdmin(SealedAdmin):
    list_display = ["code", "title", "level", "year", "status"]
    list_filter = ["level", "status", "year"]
    search_fields = ["code", "title"]
    readonly_fields = [
        "status",
        "stage",
        "scores_locked",
        "decision_no",
        "decision_date",
        "decision_signer",
        "rule_set",
    ]

    def is_sealed(self, obj) -> bool:
        return round_is_sealed(obj)

    def sealed_message(self):
        return _(
            "The round's results are approved: it is read-only. Re-open it on its page, with a reason, to "
            "change it; the re-opening is recorded in its history."
        )


@admin.register(models.Dossier)
class DossierAdmin(SealedAdmin):
    list_display = ["product", "round", "status"]
    list_filter = ["status", "round"]
    raw_id_fields = ["product", "establishment", "nominated_from", "registered_by"]
    readonly_fields = ["status", "selected", "prize", "retained_for_final", "submitted_at"]

    def is_sealed(self, obj) -> bool:
        return obj.status in DECIDED_DOSSIER or round_is_sealed(obj.round)

    def sealed_message(self):
        return _(
            "The dossier's outcome is decided: it is read-only. Re-open the round on its page, with a "
            "reason, to change it."
        )


@admin.register(models.Visit)
class VisitAdmin(admin.ModelAdmin):
    """Read-only: visits are recorded on the dossier's page, where the file is checked."""

    list_display = ["dossier", "visited_on", "visitors"]
    list_filter = ["dossier__round"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScoreItemInline(admin.TabularInline):
    model = models.ScoreItem
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_sealed

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.is_sealed

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_sealed


@admin.register(models.Score)
class ScoreAdmin(SealedAdmin):
    list_display = ["dossier", "member", "stage", "total", "submitted_at"]
    readonly_fields = ["submitted_at"]
    inlines = [ScoreItemInline]

    def is_sealed(self, obj) -> bool:
        return obj.is_sealed

    def sealed_message(self):
        return _("This score sheet is sealed and cannot change.")


@admin.register(models.Certificate)
class CertificateAdmin(SealedAdmin):
    """Issued by the recorded decision; revoked (with a reason) on the round's results page, never edited."""

    list_display = ["number", "result", "issued_on", "valid_until", "revoked_at"]
    search_fields = ["number"]

    def has_add_permission(self, request):
        return False

    def is_sealed(self, obj) -> bool:
        return True

    def sealed_message(self):
        return _(
            "A certificate is issued by the recorded decision and cannot be changed here; revoke it, with a "
            "reason, on the round's results page."
        )


@admin.register(models.CouncilMember)
class CouncilMemberAdmin(SealedAdmin):
    list_display = ["user", "round", "role"]
    raw_id_fields = ["user"]

    def is_sealed(self, obj) -> bool:
        return round_is_sealed(obj.round)

    def sealed_message(self):
        return _("The round's results are approved: its council cannot change.")


admin.site.register(models.Conflict)
