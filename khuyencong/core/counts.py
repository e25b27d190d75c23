"""Figures cached in the shared cache until the data next changes: one data version for every cached count, list
page and report, bumped by every save or delete of a record of the project's apps (`record_changed`, connected in
core.apps; reports.signals also bumps it) and by bulk writers, which send no signals (they call `invalidate`)."""

import hashlib
import logging
import time

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import cached_property

VERSION_KEY = "data:version"
COUNT_SECONDS = 600


# The version a worker process last read from the shared cache, and when: read again at most every
# VERSION_RECHECK_SECONDS, so a page reading several cached figures makes no round trip for the version. A change
# made in this process is seen at once, one made in another process within that time.
VERSION_RECHECK_SECONDS = 1.0
_seen = {"value": None, "at": 0.0}


def _note(value) -> None:
    _seen["value"], _seen["at"] = value, time.monotonic()


def forget_seen_version() -> None:
    """Read the version from the shared cache next time (after the cache was cleared, e.g. between tests)."""
    _seen["value"], _seen["at"] = None, 0.0


def data_version() -> int:
    if _seen["value"] is not None and time.monotonic() - _seen["at"] < VERSION_RECHECK_SECONDS:
        return _seen["value"]
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        value = cache.get(VERSION_KEY, 0)
    _note(value)
    return value


logger = logging.getLogger(__name__)


def _set_version() -> None:
    value = time.time_ns()
    try:
        with (
            transaction.atomic()
        ):  # a savepoint: a database cache's failure must not abort the caller's transaction
            cache.set(VERSION_KEY, value, None)
    except Exception:  # the record's own write must not fail because the shared cache cannot be reached
        logger.exception("Could not move the data version on in the shared cache")
    _note(value)


def on_commit_once(func) -> None:
    """transaction.on_commit(func), unless func already waits for this transaction's commit (a service saving
    many records registers one version bump, not one per record)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is func for entry in connection.run_on_commit):
        return
    transaction.on_commit(func)


def is_cache_bump(callback) -> bool:
    """A commit callback that only moves a cache version on (tests counting the side effects they enqueue skip it)."""
    return getattr(callback, "__name__", "") == "_set_version"


def invalidate() -> None:
    """Forget every cached figure (now, and again when the current transaction commits)."""
    _set_version()
    on_commit_once(_set_version)


def record_changed(sender, **kwargs) -> None:
    """post_save / post_delete of any model: a record of one of the project's own apps changed, so every cached
    count and page may be wrong (the lists of every area and the API's totals are cached, not only the reports')."""
    if kwargs.get("raw") or not sender.__module__.startswith("khuyencong."):
        return
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        # a login (django.contrib.auth saves last_login alone): no cached figure counts it, and forgetting them all
        # at every login would recompute the country's report (seconds) for the next reader
        return
    invalidate()


def cached(key: str, compute, timeout: int = COUNT_SECONDS):
    """`compute()`, kept in the shared cache under `key` until the data changes."""
    full = f"{key}:{data_version()}"
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, timeout)
    return value


def _sql_key(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    return hashlib.sha1(repr((sql, params)).encode()).hexdigest()


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
    matching rows' keys only, not whole rows with their joined places; kept until the data changes), then those
    rows."""

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
        keys_qs = qs.values_list("pk", flat=True)[bottom:top]
        try:
            key = f"page-keys:{_sql_key(keys_qs)}"
        except EmptyResultSet:
            key = None
        # the page's keys, kept until the data changes: the first pages of a common search over the whole country
        # sort tens of thousands of matching rows
        keys = cached(key, lambda: list(keys_qs)) if key else []
        fetch = qs.model._base_manager.using(qs.db).filter(pk__in=keys)
        fetch.query.select_related = qs.query.select_related
        rows = {row.pk: row for row in fetch}
        return self._get_page([rows[k] for k in keys if k in rows], number, self)
