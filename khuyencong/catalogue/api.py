"""Public API: the catalogue of certified products and certificate verification (no token needed)."""

import datetime

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from ninja import Field, Path, Query, Router, Schema

from khuyencong.api.common import MAX_INT, PUBLIC_ERRORS, PageParams, page_of, paginate
from khuyencong.registry.models import ProductGroup
from khuyencong.selection.models import Level

from . import selectors

router = Router(auth=None)
PUBLIC_MAX_AGE = 300
VERIFY_MAX_AGE = 60


def _cacheable(response: HttpResponse, max_age: int) -> None:
    patch_cache_control(response, public=True, max_age=max_age)


class PlaceOut(Schema):
    province_code: int = Field(..., alias="province_id")
    province: str = Field(..., alias="province.name")
    commune: str | None = None

    @staticmethod
    def resolve_commune(obj):
        return obj.commune.name if obj.commune_id else None


class PublicEstablishmentOut(Schema):
    name: str
    kind: str
    address: str
    phone: str
    email: str
    website: str
    markets: str
    description: str
    place: PlaceOut

    @staticmethod
    def resolve_place(obj):
        return obj


class CatalogueProductOut(Schema):
    id: int
    code: str
    name: str
    group: str
    description: str
    level: str = Field(..., alias="cert_level")
    year: int = Field(..., alias="cert_year")
    thumbnail: str | None = None
    photo: str | None = None
    establishment: PublicEstablishmentOut

    @staticmethod
    def resolve_thumbnail(obj):
        return obj.thumbnail.url if obj.thumbnail else None

    @staticmethod
    def resolve_photo(obj):
        return obj.photo.url if obj.photo else None


class CatalogueFilters(PageParams):
    q: str = Field("", max_length=200, description="Product, establishment or province; accents optional")
    province: int | None = Field(None, ge=0, le=MAX_INT)
    group: ProductGroup | None = None
    level: Level | None = None
    year: int | None = Field(None, ge=0, le=9999)
    sort: str = Field(selectors.DEFAULT_SORT, pattern="^(level|newest|name)$")


@router.get(
    "/products",
    response={200: page_of(CatalogueProductOut), **PUBLIC_ERRORS},
    summary="Certified products (public)",
)
def list_catalogue(request, response: HttpResponse, filters: Query[CatalogueFilters]):
    _cacheable(response, PUBLIC_MAX_AGE)
    qs = selectors.catalogue(
        query=filters.q,
        province=filters.province,
        group=filters.group or "",
        level=filters.level or "",
        year=filters.year,
        sort=filters.sort,
    )
    return paginate(qs, filters)


@router.get(
    "/products/{id}",
    response={200: CatalogueProductOut, **PUBLIC_ERRORS},
    summary="A certified product (public)",
)
def get_catalogue_product(request, response: HttpResponse, id: int = Path(..., ge=1, le=MAX_INT)):
    _cacheable(response, PUBLIC_MAX_AGE)
    product = selectors.product_page(id)
    if product is None:
        raise Http404
    return product


class VerificationOut(Schema):
    genuine: bool
    status: str = Field(
        ..., description="valid, expired, revoked, or on_record (issued before validity was recorded)"
    )
    number: str
    product: str
    establishment: str
    province: str
    level: str
    year: int
    round: str
    decision_no: str
    decision_date: datetime.date | None
    issued_on: datetime.date | None
    valid_until: datetime.date | None
    revoked_at: datetime.datetime | None


@router.get(
    "/verify",
    response={200: VerificationOut, **PUBLIC_ERRORS},
    summary="Verify a certificate by its number or QR token (public)",
)
def verify_certificate(request, response: HttpResponse, key: str = Query(..., min_length=1, max_length=100)):
    _cacheable(response, VERIFY_MAX_AGE)
    v = selectors.verify(key)
    if v is None:
        raise Http404
    cert = v.certificate
    return {
        "genuine": True,
        "status": v.status,
        "number": v.number,
        "product": v.product.name,
        "establishment": v.establishment.name,
        "province": v.establishment.province.name,
        "level": v.round.level,
        "year": v.round.year,
        "round": v.round.title,
        "decision_no": v.result.decision_no,
        "decision_date": v.result.decision_date,
        "issued_on": cert.issued_on if cert else None,
        "valid_until": cert.valid_until if cert else None,
        "revoked_at": cert.revoked_at if cert else None,
    }


class SummaryRowOut(Schema):
    province_code: int
    province: str
    level: str
    year: int
    certified_products: int


@router.get(
    "/summary",
    response={200: list[SummaryRowOut], **PUBLIC_ERRORS},
    summary="Certified products counted by province, level and year (public)",
)
def catalogue_summary(request, response: HttpResponse):
    _cacheable(response, PUBLIC_MAX_AGE)
    return selectors.summary_rows()
