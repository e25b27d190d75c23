"""Public reads: certified products of every province, and certificate verification.

No user scoping here on purpose: the catalogue shows only what certification makes public
(certified products, their establishment's public profile) and nothing else.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from khuyencong.core.text import search_terms
from khuyencong.registry.models import Product, ProductPhoto
from khuyencong.selection.models import LEVEL_ORDER, Certificate, Result

LEVEL_RANK = Case(
    *[When(round__level=level, then=Value(rank)) for rank, level in enumerate(LEVEL_ORDER)],
    default=Value(-1),
    output_field=IntegerField(),
)

SORTS = {
    "name": ["name", "pk"],
    "newest": ["-cert_year", "-cert_rank", "name", "pk"],
    "level": ["-cert_rank", "-cert_year", "name", "pk"],
}
DEFAULT_SORT = "level"


# What the catalogue advertises: certified results, except those whose certificate was revoked (results recorded
# without a certificate, e.g. history before the system, still count).
PUBLIC_RESULT = Q(certified=True) & (Q(certificate__isnull=True) | Q(certificate__revoked_at__isnull=True))


def _best_results():
    """Certified results of the outer product, best first: highest level, then latest year."""
    return (
        Result.objects.filter(PUBLIC_RESULT, product=OuterRef("pk"))
        .annotate(rank=LEVEL_RANK)
        .order_by("-rank", "-round__year", "-pk")
    )


def certified_products() -> QuerySet[Product]:
    """Products with at least one certified result, with their best certification annotated."""
    best = _best_results()
    return (
        Product.objects.filter(archived_at__isnull=True, establishment__archived_at__isnull=True)
        .filter(Exists(Result.objects.filter(PUBLIC_RESULT, product=OuterRef("pk"))))
        .annotate(
            cert_level=Subquery(best.values("round__level")[:1]),
            cert_year=Subquery(best.values("round__year")[:1]),
            cert_rank=Subquery(best.values("rank")[:1]),
        )
        .select_related("establishment", "establishment__province", "establishment__commune")
    )


def catalogue(
    *,
    query: str = "",
    province=None,
    group: str = "",
    level: str = "",
    year: int | None = None,
    sort: str = DEFAULT_SORT,
) -> QuerySet[Product]:
    """The catalogue as the public filters it: every word of `query` folded, in the product or its establishment."""
    qs = certified_products()
    for term in search_terms(query):
        qs = qs.filter(
            Q(search_text__contains=term)
            | Q(establishment__search_text__contains=term)
            | Q(establishment__province__search_text__contains=term)
        )
    if province:
        qs = qs.filter(establishment__province=province)
    if group:
        qs = qs.filter(group=group)
    if level or year:
        results = Result.objects.filter(PUBLIC_RESULT, product=OuterRef("pk"))
        if level:
            results = results.filter(round__level=level)
        if year:
            results = results.filter(round__year=year)
        qs = qs.filter(Exists(results))
    return qs.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def certification_years() -> list[int]:
    return sorted(
        set(Result.objects.filter(PUBLIC_RESULT).values_list("round__year", flat=True)), reverse=True
    )


def product_page(pk: int) -> Product | None:
    """One certified product with its certified results (and their certificates) and photos."""
    results = (
        Result.objects.filter(PUBLIC_RESULT)
        .select_related("round", "certificate")
        .annotate(rank=LEVEL_RANK)
        .order_by("-rank", "-round__year")
    )
    return (
        certified_products()
        .select_related("establishment__legacy_province")
        .prefetch_related(
            Prefetch("results", queryset=results, to_attr="certified_results"),
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("created_at")),
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class Verification:
    """What a certificate shows, and whether it holds today. `status`: valid, expired, revoked or on_record."""

    number: str
    status: str
    product: Product
    result: Result
    certificate: Certificate | None

    @property
    def establishment(self):
        return self.product.establishment

    @property
    def round(self):
        return self.result.round


def certificate_status(certificate: Certificate, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if certificate.revoked_at:
        return "revoked"
    if certificate.valid_until and certificate.valid_until < today:
        return "expired"
    return "valid"


def verify(key: str) -> Verification | None:
    """The certificate with this token (from the QR) or number, or None when no such certificate exists.

    A result certified before certificates were issued in the system (imported history) is
    found by its recorded certificate number, with status `on_record` (no validity recorded).
    """
    key = (key or "").strip()
    if not key or len(key) > 100:
        return None
    related = ("result__round", "result__product__establishment__province", "result__product__establishment__commune")
    certificate = None
    try:
        token = uuid.UUID(key)
    except ValueError:
        token = None
    if token:
        certificate = Certificate.objects.select_related(*related).filter(token=token).first()
    if certificate is None:
        certificate = Certificate.objects.select_related(*related).filter(number__iexact=key).first()
    if certificate is not None:
        result = certificate.result
        return Verification(certificate.number, certificate_status(certificate), result.product, result, certificate)
    result = (
        Result.objects.filter(certified=True, certificate_no__iexact=key, certificate__isnull=True)
        .select_related("round", "product__establishment__province", "product__establishment__commune")
        .first()
    )
    if result is not None:
        return Verification(result.certificate_no, "on_record", result.product, result, None)
    return None


def summary_rows() -> list[dict]:
    """Open data: certified products counted by province, level and year (aggregates only)."""
    rows = (
        Result.objects.filter(PUBLIC_RESULT, product__archived_at__isnull=True,
                              product__establishment__archived_at__isnull=True)
        .values("product__establishment__province__code", "product__establishment__province__name", "round__level", "round__year")
        .annotate(products=Count("product", distinct=True))
        .order_by("product__establishment__province__code", "round__year", "round__level")
    )
    return [
        {
            "province_code": r["product__establishment__province__code"],
            "province": r["product__establishment__province__name"],
            "level": r["round__level"],
            "year": r["round__year"],
            "certified_products": r["products"],
        }
        for r in rows
    ]
