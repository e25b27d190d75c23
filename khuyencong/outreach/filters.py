"""The event list's filters, shared by the page and its API (through the selectors)."""

import django_filters

from khuyencong.core.filters import SearchFilterSet

from .models import Event, EventKind, EventScope


class EventFilter(SearchFilterSet):
    """Title, organiser, venue or country (accents optional); year it starts; kind; where; host province."""

    year = django_filters.NumberFilter(field_name="start_date", lookup_expr="year")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    scope = django_filters.ChoiceFilter(choices=EventScope.choices)
    host_province = django_filters.NumberFilter(field_name="host_province_id")

    class Meta:
        model = Event
        fields = []
