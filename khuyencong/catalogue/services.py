"""Writes of the catalogue's read model (`CatalogueEntry`): refreshed with every change that can move a product
in or out of the public catalogue, or change its best certification, its name, place or searchable text.

Signals (see `apps.py`) call `refresh_products` in the same transaction as the change, so a rollback undoes
both; bulk writes (imports, `synth`) call it, or `rebuild_catalogue`, themselves.
"""

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from khuyencong.selection.models import LEVEL_ORDER

from .models import CatalogueEntry

VERSION_KEY = "catalogue:version"
_CHUNK = 2000


# The version a worker process last read from the shared cache, and when: read again at most every
# VERSION_RECHECK_SECONDS, so a cached page or count costs no round trip to the shared cache. A change made in this
# process is seen at once; one made in another process within that time (public pages are cacheable by browsers
# and proxies for minutes anyway, see catalogue.views.PUBLIC_MAX_AGE).
VERSION_RECHECK_SECONDS = 1.0
_seen = {"value": None, "at": 0.0}


def _note(value) -> None:
    _seen["value"], _seen["at"] = value, time.monotonic()


def forget_seen_version() -> None:
    """Read the version from the shared cache next time (after the cache was cleared, e.g. between tests)."""
    _seen["value"], _seen["at"] = None, 0.0


def _set_version() -> None:
    value = time.time_ns()
    cache.set(VERSION_KEY, value, None)
    _note(value)


def bump_version() -> None:
    """Invalidate every cached catalogue page, count and year list (now, and again once the transaction commits)."""
    from khuyencong.core.counts import on_commit_once

    _set_version()
    on_commit_once(_set_version)


def version() -> int:
    if _seen["value"] is not None and time.monotonic() - _seen["at"] < VERSION_RECHECK_SECONDS:
        return _seen["value"]
    value = cache.get(VERSION_KEY)
    if value is None:
        value = time.time_ns()
        cache.add(VERSION_KEY, value, None)
        value = cache.get(VERSION_KEY, value)
    _note(value)
    return value


def _public_results(product_ids=None):
    from khuyencong.selection.models import Result

    from .selectors import PUBLIC_RESULT

    qs = Result.objects.filter(
        PUBLIC_RESULT, product__archived_at__isnull=True, product__establishment__archived_at__isnull=True
    )
    if product_ids is not None:
        qs = qs.filter(product_id__in=product_ids)
    return qs.order_by().values_list("product_id", "round__level", "round__year", "certificate__valid_until")


def _latest_ocop(product_ids) -> dict[int, tuple[int, object]]:
    """product → (stars, valid until) of its OCOP rating that holds longest."""
    from khuyencong.registry.models import OcopRating

    latest: dict[int, tuple[int, object]] = {}
    rows = OcopRating.objects.filter(product_id__in=product_ids).values_list(
        "product_id", "stars", "valid_until"
    )
    for product_id, stars, until in rows.order_by("product_id", "valid_until", "stars"):
        latest[product_id] = (stars, until)
    return latest


def _entries(product_ids=None) -> Iterable[CatalogueEntry]:
    from khuyencong.registry.models import Product

    best: dict[int, tuple[int, int]] = {}
    levels: dict[int, set[str]] = {}
    years: dict[int, set[int]] = {}
    # the last day a product's certification holds; a result without a known end (history recorded before the
    # system issued certificates) leaves it open (None), so the product is never shown as expired on a guess
    until: dict[int, object] = {}
    for product_id, level, year, valid_until in _public_results(product_ids).iterator(chunk_size=5000):
        rank = LEVEL_ORDER.index(level) if level in LEVEL_ORDER else 0
        if (rank, year) > best.get(product_id, (-1, -1)):
            best[product_id] = (rank, year)
        levels.setdefault(product_id, set()).add(level)
        years.setdefault(product_id, set()).add(year)
        known = until.get(product_id, valid_until)
        until[product_id] = None if valid_until is None or known is None else max(known, valid_until)
    ids = sorted(best)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        ocop = _latest_ocop(chunk)
        rows = Product.objects.filter(pk__in=chunk).values_list(
            "pk",
            "establishment_id",
            "establishment__province_id",
            "group",
            "name",
            "search_text",
            "establishment__search_text",
            "establishment__province__search_text",
        )
        for pk, est, province, group, name, text, est_text, province_text in rows:
            rank, year = best[pk]
            yield CatalogueEntry(
                product_id=pk,
                establishment_id=est,
                province_id=province,
                group=group,
                name=name,
                level=LEVEL_ORDER[rank],
                rank=rank,
                year=year,
                levels=f" {' '.join(sorted(levels[pk], key=LEVEL_ORDER.index))} ",
                years=f" {' '.join(str(y) for y in sorted(years[pk]))} ",
                search_text=" ".join(filter(None, [text, est_text, province_text])),
                valid_until=until.get(pk),
                ocop_stars=ocop.get(pk, (None, None))[0],
                ocop_valid_until=ocop.get(pk, (None, None))[1],
            )


def _write(entries: Iterable[CatalogueEntry]) -> int:
    n, batch = 0, []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= _CHUNK:
            CatalogueEntry.objects.bulk_create(batch)
            n, batch = n + len(batch), []
    CatalogueEntry.objects.bulk_create(batch)
    return n + len(batch)


@transaction.atomic
def refresh_products(product_ids: Iterable[int]) -> None:
    """Rewrite the catalogue rows of these products (removing those no longer public)."""
    ids = sorted({pk for pk in product_ids if pk is not None})
    if not ids:
        return
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        CatalogueEntry.objects.filter(product_id__in=chunk).delete()
        _write(_entries(chunk))
    bump_version()


def refresh_establishments(establishment_ids: Iterable[int]) -> None:
    from khuyencong.registry.models import Product

    ids = [pk for pk in establishment_ids if pk is not None]
    if ids:
        refresh_products(Product.objects.filter(establishment_id__in=ids).values_list("pk", flat=True))


def refresh_rounds(round_ids: Iterable[int]) -> None:
    from khuyencong.selection.models import Result

    ids = [pk for pk in round_ids if pk is not None]
    if ids:
        refresh_products(Result.objects.filter(round_id__in=ids).values_list("product_id", flat=True))


@transaction.atomic
def rebuild_catalogue() -> int:
    """Rebuild the whole read model from the results; returns the number of public products."""
    CatalogueEntry.objects.all().delete()
    n = _write(_entries())
    bump_version()
    return n
