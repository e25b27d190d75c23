"""Read-mostly admin for support staff; day-to-day work goes through the outreach pages (and their checks)."""

from django.contrib import admin

from .models import Event, Participation, Survey, Training


class NoDelete(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(NoDelete):
    list_display = ["title", "kind", "scope", "start_date", "end_date", "province", "archived_at"]
    list_filter = ["kind", "scope", "province"]
    search_fields = ["title", "organiser", "search_text"]
    raw_id_fields = ["project"]


@admin.register(Participation)
class ParticipationAdmin(NoDelete):
    list_display = ["event", "establishment", "status", "booth_supported"]
    list_filter = ["status"]
    raw_id_fields = ["event", "establishment", "registered_by", "confirmed_by"]
    filter_horizontal = ["products"]


@admin.register(Training)
class TrainingAdmin(NoDelete):
    list_display = ["topic", "audience", "start_date", "province", "archived_at"]
    list_filter = ["audience", "province"]
    search_fields = ["topic", "trainer"]
    raw_id_fields = ["project"]


@admin.register(Survey)
class SurveyAdmin(NoDelete):
    list_display = ["title", "year", "status", "province", "commune"]
    list_filter = ["status", "year"]
    search_fields = ["title"]
