"""What every list filter shares: diacritic-free search over folded text, and archived records hidden unless asked.

Each area's `filters.py` holds its lists' `FilterSet`s; the area's selectors apply them, so the page,
its export and the API filter a list the same way from one definition.
"""

import django_filters
from django.db.models import Q

from .text import search_terms


def folded_search(queryset, fields: tuple[str, ...], query: str):
    """Every word of the query, folded, must appear in one of `fields` ("kho muc" finds "Khô mực").

    The big tables' texts are found through their search index (`core.search`: FTS5 on SQLite, pg_trgm on
    PostgreSQL), the others with LIKE; both find the same rows as `like_search`.
    """
    from .search import word_condition

    words = search_terms(query)
    if not words:
        return queryset
    if len(fields) == 1:
        return queryset.filter(word_condition(queryset, fields, words))
    for word in words:
        queryset = queryset.filter(word_condition(queryset, fields, [word]))
    return queryset


def like_search(queryset, fields: tuple[str, ...], query: str):
    """`folded_search` without an index: every word with `LIKE '%word%'` (the reference the index must match)."""
    for term in search_terms(query):
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__contains": term})
        queryset = queryset.filter(condition)
    return queryset


class SearchFilterSet(django_filters.FilterSet):
    """`q` searches `search_fields` (folded texts); `archived` shows archived records instead of current ones."""

    search_fields: tuple[str, ...] = ("search_text",)
    archivable = True

    q = django_filters.CharFilter(method="search")
    archived = django_filters.BooleanFilter(method="filter_archived")

    def search(self, queryset, name, value):
        return folded_search(queryset, self.search_fields, value)

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.archivable and self.form.cleaned_data.get("archived") is None:
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset


def apply(filterset_class, queryset, data: dict):
    """`queryset` filtered by `data` (values as a form or the API validated them; empty ones ignored)."""
    clean = {}
    for key, value in data.items():
        if value is None or value == "":
            continue
        clean[key] = getattr(value, "pk", value)  # a model instance from a form's choice field
    return filterset_class(clean, queryset=queryset).qs
