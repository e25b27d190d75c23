"""Figures cached in the shared cache until the data next changes: one data version for every cached count and
report, bumped by signals on every save of the records they count (see reports.signals) and by bulk writers."""

import hashlib
import time

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import cached_property

VERSION_KEY = "data:version"
COUNT_SECONDS = 600


def data_version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        value = cache.get(VERSION_KEY, 0)
    return value


def invalidate() -> None:
    """Forget every cached figure (now, and again when the current transaction commits)."""
    cache.set(VERSION_KEY, time.time_ns(), None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, time.time_ns(), None))


def cached_count(queryset) -> int:
    """`queryset.count()`, kept until the data changes (the key is the count's own SQL and parameters)."""
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # queryset.none(), or a filter that can match nothing: no query to run
        return 0
    key = f"count:{data_version()}:{hashlib.sha1(repr((sql, params)).encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = queryset.order_by().count()
        cache.set(key, value, COUNT_SECONDS)
    return value


class CachedCountPaginator(Paginator):
    """A paginator whose total comes from `cached_count` (a count over the whole country is a full scan).

    A page of a QuerySet is read in two steps: the page's keys in the list's order (the database sorts the
    matching rows' keys only, not whole rows with their joined places), then those rows."""

    @cached_property
    def count(self):
        return cached_count(self.object_list)

    def page(self, number):
        qs = self.object_list
        if not isinstance(qs, QuerySet) or not qs.query.order_by or qs.query.is_sliced:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(qs.values_list("pk", flat=True)[bottom:top])
        fetch = qs.model._base_manager.using(qs.db).filter(pk__in=keys)
        fetch.query.select_related = qs.query.select_related
        rows = {row.pk: row for row in fetch}
        return self._get_page([rows[k] for k in keys if k in rows], number, self)
