"""Places: today's provinces and communes, the former (pre-2025) units, regions. Reference data."""

from ninja import Field, Path, Query, Router, Schema

from khuyencong.api.common import ERRORS, MAX_INT, PageParams, page_of, paginate
from khuyencong.core.text import search_terms
from khuyencong.geo.models import Commune, LegacyProvince, Province, Region

router = Router()


class RegionOut(Schema):
    code: str
    name: str


class ProvinceOut(Schema):
    code: int
    name: str
    short_name: str
    region: str | None = Field(None, alias="region.code")


class CommuneOut(Schema):
    code: int
    name: str
    division_type: str
    province: int = Field(..., alias="province_id")


class LegacyProvinceOut(Schema):
    code: int
    name: str
    successor: int = Field(..., alias="successor_id")


class CommuneFilters(PageParams):
    q: str = Field("", max_length=100, description="Name, accents optional")


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, summary="Regions (for regional rounds)")
def list_regions(request):
    return Region.objects.all()


@router.get("/provinces", response={200: list[ProvinceOut], **ERRORS}, summary="Today's 34 provinces")
def list_provinces(request):
    return Province.objects.select_related("region")


@router.get(
    "/provinces/{code}/communes",
    response={200: page_of(CommuneOut), **ERRORS},
    summary="Communes of a province",
)
def list_communes(request, code: int = Path(..., ge=0, le=MAX_INT), filters: Query[CommuneFilters] = None):
    qs = Commune.objects.filter(province_id=code).order_by("code")
    for term in search_terms(filters.q):
        qs = qs.filter(search_text__contains=term)
    return paginate(qs, filters)


@router.get(
    "/legacy-provinces",
    response={200: list[LegacyProvinceOut], **ERRORS},
    summary="The 63 provinces before 2025",
)
def list_legacy_provinces(request):
    return LegacyProvince.objects.all()
