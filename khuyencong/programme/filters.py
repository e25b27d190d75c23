"""The project list's filters, shared by the page and the API (through the selectors)."""

import django_filters

from khuyencong.core.filters import SearchFilterSet

from .models import RUNNING_STATUSES, Activity, Programme, Project


class ProjectFilter(SearchFilterSet):
    """Code or title, or the beneficiary's name (accents optional); year; status ("running": approved and not
    settled); programme; activity; beneficiary. Archived projects are never listed."""

    search_fields = ("search_text", "establishment__search_text")
    archivable = False

    year = django_filters.NumberFilter(field_name="year")
    status = django_filters.CharFilter(method="filter_status")
    programme = django_filters.ChoiceFilter(choices=Programme.choices)
    activity = django_filters.ChoiceFilter(choices=Activity.choices)
    establishment = django_filters.NumberFilter(field_name="establishment_id")

    class Meta:
        model = Project
        fields = []

    def filter_status(self, queryset, name, value):
        if value == "running":
            return queryset.filter(status__in=RUNNING_STATUSES)
        return queryset.filter(status=value)
