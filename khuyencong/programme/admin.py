"""The configurable rules (ceilings, appraisal scheme) are edited here; projects and money through the app."""

from django.contrib import admin

from .models import (
    ActivityPeriod,
    AdvanceRule,
    AppraisalCriterion,
    AppraisalScheme,
    CeilingRule,
    Plan,
    PlanLine,
    Project,
    Regulation,
)
from .target_models import ProgrammeTarget, TargetProgramme


class CeilingInline(admin.TabularInline):
    model = CeilingRule
    extra = 0
    fields = [
        "activity",
        "effective_from",
        "max_share_percent",
        "max_amount",
        "line_multiplier",
        "wording",
        "refuse",
    ]


class ActivityPeriodInline(admin.TabularInline):
    model = ActivityPeriod
    extra = 0


@admin.register(Regulation)
class RegulationAdmin(admin.ModelAdmin):
    """National documents are kept here; provinces record their resolutions on the rules page."""

    list_display = ["number", "kind", "province", "effective_from", "demo", "archived_at"]
    list_filter = ["kind", "demo", "province"]
    search_fields = ["number", "title"]
    inlines = [CeilingInline, ActivityPeriodInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdvanceRule)
class AdvanceRuleAdmin(admin.ModelAdmin):
    """The advance rules in force by date: add a rule with a later date when the regulation changes."""

    list_display = ["activity", "effective_from", "max_share_percent", "min_progress_percent", "citation"]
    list_filter = ["activity"]


@admin.register(CeilingRule)
class CeilingRuleAdmin(admin.ModelAdmin):
    list_display = [
        "regulation",
        "province",
        "activity",
        "effective_from",
        "max_share_percent",
        "max_amount",
        "line_multiplier",
        "citation",
        "refuse",
    ]
    list_filter = ["activity", "province"]

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(admin.TabularInline):
    model = AppraisalCriterion
    extra = 0


@admin.register(AppraisalScheme)
class AppraisalSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "effective_from"]
    inlines = [CriterionInline]

    def has_delete_permission(self, request, obj=None):
        return False


class PlanLineInline(admin.TabularInline):
    model = PlanLine
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "national_budget", "local_budget"]
    inlines = [PlanLineInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "year", "title", "programme", "activity", "status", "support_approved"]
    list_filter = ["year", "status", "programme", "activity"]
    search_fields = ["code", "search_text"]
    readonly_fields = ["status"]
    raw_id_fields = ["establishment", "plan"]

    def has_delete_permission(self, request, obj=None):
        return False


class ProgrammeTargetInline(admin.TabularInline):
    model = ProgrammeTarget
    extra = 0
    fields = ["indicator", "year", "value", "note"]


@admin.register(TargetProgramme)
class TargetProgrammeAdmin(admin.ModelAdmin):
    """Programmes and their targets (the page /programme/targets/ sets them too); achieved figures are never
    stored, so there is nothing else to edit here."""

    list_display = ["code", "name", "scope", "province", "start_year", "end_year", "decision_no"]
    list_filter = ["scope", "start_year"]
    search_fields = ["code", "name", "decision_no"]
    inlines = [ProgrammeTargetInline]
