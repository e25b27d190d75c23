"""Admin: rubrics and rounds editable; score sheets read-only once sealed (no path around the seal)."""

from django.contrib import admin

from . import models


class CriterionInline(admin.TabularInline):
    model = models.Criterion
    extra = 0


@admin.register(models.RubricVersion)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "effective_from", "aggregation"]
    inlines = [CriterionInline]


@admin.register(models.Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "level", "year", "status"]
    list_filter = ["level", "status", "year"]
    search_fields = ["code", "title"]
    readonly_fields = ["scores_locked"]


@admin.register(models.Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["product", "round", "status"]
    list_filter = ["status", "round"]
    raw_id_fields = ["product", "establishment", "nominated_from", "registered_by"]

    def has_delete_permission(self, request, obj=None):
        return False


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
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["dossier", "member", "stage", "total", "submitted_at"]
    inlines = [ScoreItemInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_sealed:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_sealed:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(models.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "result", "issued_on", "valid_until", "revoked_at"]
    search_fields = ["number"]

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(models.CouncilMember)
admin.site.register(models.Conflict)
