"""Craft villages and artisans (beneficiaries of Decree 235/2025/NĐ-CP), and the programme's rules by date
and authority: reads through the selectors, writes through the same services as the pages."""

import datetime
from typing import Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from khuyencong.api.common import (
    ERRORS,
    MAX_INT,
    Input,
    PageParams,
    changed_fields,
    if_match,
    page_of,
    paginate,
    with_etag,
)
from khuyencong.programme import selectors as programme_selectors
from khuyencong.programme import services as programme_services
from khuyencong.programme.models import Activity
from khuyencong.registry import selectors, services
from khuyencong.registry.models import ArtisanTitle

from .registry import _resolve_places

villages = Router()
artisans = Router()
rules = Router()

Id = Path(..., ge=1, le=MAX_INT)
Title = Literal[tuple(ArtisanTitle.values)]


class CraftVillageOut(Schema):
    id: int
    code: str
    name: str
    trade: str
    recognition_no: str
    recognition_date: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")
    recognised_by: str
    households: int
    workers: int | None
    province: int = Field(..., alias="province_id")
    commune: int | None = Field(None, alias="commune_id")
    address: str
    description: str
    establishments: list[int]
    archived: bool = Field(..., alias="is_archived")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_establishments(obj):
        return sorted(e.pk for e in obj.establishments.all())


class CraftVillageIn(Input):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=255)
    trade: str = Field(..., min_length=1, max_length=200)
    recognition_no: str = Field(..., min_length=1, max_length=100)
    recognition_date: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")
    recognised_by: str = Field("", max_length=200)
    households: int = Field(..., ge=0, le=MAX_INT)
    workers: int | None = Field(None, ge=0, le=MAX_INT)
    province: int = Field(..., ge=0, le=MAX_INT)
    commune: int | None = Field(None, ge=0, le=MAX_INT)
    address: str = Field("", max_length=255)
    description: str = ""
    establishments: list[int] = Field(default_factory=list, max_length=500)


class CraftVillagePatch(Input):
    """Only the fields sent change; `establishments` replaces the whole list."""

    code: str = Field(None, min_length=1, max_length=40)
    name: str = Field(None, min_length=1, max_length=255)
    trade: str = Field(None, min_length=1, max_length=200)
    recognition_no: str = Field(None, min_length=1, max_length=100)
    recognition_date: datetime.date = Field(None, strict=False, description="YYYY-MM-DD")
    recognised_by: str = Field(None, max_length=200)
    households: int = Field(None, ge=0, le=MAX_INT)
    workers: int | None = Field(None, ge=0, le=MAX_INT)
    province: int = Field(None, ge=0, le=MAX_INT)
    commune: int | None = Field(None, ge=0, le=MAX_INT)
    address: str = Field(None, max_length=255)
    description: str = None
    establishments: list[int] = Field(None, max_length=500)


class BeneficiaryFilters(PageParams):
    q: str = Field("", max_length=200, description="Name, code or trade; accents optional")
    province: int | None = Field(None, ge=0, le=MAX_INT)
    archived: bool = False


@villages.get("/", response={200: page_of(CraftVillageOut), **ERRORS}, summary="Craft villages you may see")
def list_villages(request, filters: Query[BeneficiaryFilters]):
    qs = selectors.craft_village_list(
        request.user, query=filters.q, archived=filters.archived, province=filters.province
    ).prefetch_related("establishments")
    return paginate(qs.order_by("name", "pk"), filters)


@villages.get("/{id}", response={200: CraftVillageOut, **ERRORS})
def get_village(request, response: HttpResponse, id: int = Id):
    return with_etag(response, get_object_or_404(selectors.visible_craft_villages(request.user), pk=id))


@villages.post("/", response={201: CraftVillageOut, **ERRORS}, summary="Record a craft village (officers)")
def create_village(request, payload: CraftVillageIn):
    data = _resolve_places(payload.model_dump())
    return Status(201, services.create_craft_village(user=request.user, data=data))


@villages.patch(
    "/{id}", response={200: CraftVillageOut, **ERRORS}, summary="Change a craft village (officers)"
)
def update_village(request, response: HttpResponse, payload: CraftVillagePatch, id: int = Id):
    village = get_object_or_404(selectors.visible_craft_villages(request.user), pk=id)
    data = _resolve_places(changed_fields(payload)) | if_match(request)
    return with_etag(response, services.update_craft_village(user=request.user, village=village, data=data))


@villages.post("/{id}/archive", response={200: CraftVillageOut, **ERRORS}, summary="Archive (officers)")
def archive_village(request, id: int = Id):
    village = get_object_or_404(selectors.visible_craft_villages(request.user), pk=id)
    return services.archive_beneficiary(user=request.user, record=village)


class ArtisanOut(Schema):
    id: int
    code: str
    name: str
    title: str
    title_year: int
    trade: str
    birth_year: int | None
    establishment: int | None = Field(None, alias="establishment_id")
    craft_village: int | None = Field(None, alias="craft_village_id")
    province: int = Field(..., alias="province_id")
    commune: int | None = Field(None, alias="commune_id")
    description: str
    archived: bool = Field(..., alias="is_archived")
    updated_at: datetime.datetime


class ArtisanIn(Input):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=150)
    title: Title
    title_year: int = Field(..., ge=1945, le=2100)
    trade: str = Field(..., min_length=1, max_length=200)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    establishment: int | None = Field(None, ge=1, le=MAX_INT)
    craft_village: int | None = Field(None, ge=1, le=MAX_INT)
    province: int = Field(..., ge=0, le=MAX_INT)
    commune: int | None = Field(None, ge=0, le=MAX_INT)
    description: str = ""


class ArtisanPatch(Input):
    code: str = Field(None, min_length=1, max_length=40)
    name: str = Field(None, min_length=1, max_length=150)
    title: Title = None
    title_year: int = Field(None, ge=1945, le=2100)
    trade: str = Field(None, min_length=1, max_length=200)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    establishment: int | None = Field(None, ge=1, le=MAX_INT)
    craft_village: int | None = Field(None, ge=1, le=MAX_INT)
    province: int = Field(None, ge=0, le=MAX_INT)
    commune: int | None = Field(None, ge=0, le=MAX_INT)
    description: str = None


class ArtisanFilters(BeneficiaryFilters):
    title: ArtisanTitle | None = None


def _artisan_links(data: dict) -> dict:
    for field in ("establishment", "craft_village"):
        if field in data:
            data[f"{field}_id"] = data.pop(field)
    return data


@artisans.get("/", response={200: page_of(ArtisanOut), **ERRORS}, summary="Artisans you may see")
def list_artisans(request, filters: Query[ArtisanFilters]):
    qs = selectors.artisan_list(
        request.user,
        query=filters.q,
        archived=filters.archived,
        province=filters.province,
        title=filters.title,
    )
    return paginate(qs.order_by("name", "pk"), filters)


@artisans.get("/{id}", response={200: ArtisanOut, **ERRORS})
def get_artisan(request, response: HttpResponse, id: int = Id):
    return with_etag(response, get_object_or_404(selectors.visible_artisans(request.user), pk=id))


@artisans.post("/", response={201: ArtisanOut, **ERRORS}, summary="Record an artisan (officers)")
def create_artisan(request, payload: ArtisanIn):
    data = _artisan_links(_resolve_places(payload.model_dump()))
    return Status(201, services.create_artisan(user=request.user, data=data))


@artisans.patch("/{id}", response={200: ArtisanOut, **ERRORS}, summary="Change an artisan (officers)")
def update_artisan(request, response: HttpResponse, payload: ArtisanPatch, id: int = Id):
    artisan = get_object_or_404(selectors.visible_artisans(request.user), pk=id)
    data = _artisan_links(_resolve_places(changed_fields(payload))) | if_match(request)
    return with_etag(response, services.update_artisan(user=request.user, artisan=artisan, data=data))


@artisans.post("/{id}/archive", response={200: ArtisanOut, **ERRORS}, summary="Archive (officers)")
def archive_artisan(request, id: int = Id):
    artisan = get_object_or_404(selectors.visible_artisans(request.user), pk=id)
    return services.archive_beneficiary(user=request.user, record=artisan)


# --- rules by date and authority -----------------------------------------------------------------


class CeilingOut(Schema):
    activity: str
    effective_from: datetime.date
    max_share_percent: float | None
    max_amount: int | None
    line_multiplier: float
    per_establishment_year: bool
    wording: str
    refuse: bool


class RegulationOut(Schema):
    id: int
    kind: str
    number: str
    citation: str
    title: str
    province: int | None = Field(None, alias="province_id")
    issued_on: datetime.date
    effective_from: datetime.date
    amends: int | None = Field(None, alias="amends_id")
    demo: bool
    notes: str
    archived: bool = Field(..., alias="is_archived")
    ceilings: list[CeilingOut]
    updated_at: datetime.datetime

    @staticmethod
    def resolve_ceilings(obj):
        return list(obj.ceilings.all())


class CeilingIn(Schema):
    activity: Literal[tuple(Activity.values)]
    max_share_percent: float | None = Field(None, ge=0, le=100)
    max_amount: int | None = Field(None, ge=0, le=MAX_INT)
    wording: str = Field("", max_length=500)


class ResolutionIn(Input):
    province: int = Field(..., ge=1, le=MAX_INT)
    number: str = Field(..., min_length=1, max_length=100)
    title: str = Field("", max_length=500)
    issued_on: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")
    effective_from: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")
    notes: str = ""
    ceilings: list[CeilingIn] = Field(..., min_length=1, max_length=50)


class RuleFilters(Schema):
    province: int | None = Field(None, ge=1, le=MAX_INT)


@rules.get(
    "/", response={200: list[RegulationOut], **ERRORS}, summary="National documents and resolutions in force"
)
def list_rules(request, filters: Query[RuleFilters]):
    return list(programme_selectors.regulations(request.user, province=filters.province or ""))


@rules.get("/{id}", response={200: RegulationOut, **ERRORS})
def get_rule(request, id: int = Id):
    return get_object_or_404(programme_selectors.regulations(request.user, archived=True), pk=id)


@rules.post(
    "/",
    response={201: RegulationOut, **ERRORS},
    summary="Record a People's Council resolution (province officers)",
)
def create_resolution(request, payload: ResolutionIn):
    data = payload.model_dump()
    ceilings = _ceilings_in(data.pop("ceilings"))
    regulation = programme_services.record_resolution(
        user=request.user, province=data.pop("province"), data=data, ceilings=ceilings
    )
    return Status(201, regulation)


class ResolutionPatch(Input):
    """Only the fields sent change; `ceilings`, when sent, replaces the whole list (kept as they are once
    projects were approved or appraised under the resolution, as on the page)."""

    number: str = Field(None, min_length=1, max_length=100)
    title: str = Field(None, max_length=500)
    issued_on: datetime.date = Field(None, strict=False, description="YYYY-MM-DD")
    effective_from: datetime.date = Field(None, strict=False, description="YYYY-MM-DD")
    notes: str = None
    ceilings: list[CeilingIn] = Field(None, min_length=1, max_length=50)


def _ceilings_in(rows) -> list[dict]:
    from decimal import Decimal

    return [
        dict(
            c,
            max_share_percent=None
            if c["max_share_percent"] is None
            else Decimal(str(c["max_share_percent"])),
        )
        for c in rows
    ]


def _resolution(request, id: int):
    return get_object_or_404(
        programme_selectors.regulations(request.user, archived=True).filter(province__isnull=False), pk=id
    )


@rules.patch(
    "/{id}",
    response={200: RegulationOut, **ERRORS},
    summary="Correct a People's Council resolution (the province's officers; If-Match for the version)",
)
def update_resolution(request, response: HttpResponse, payload: ResolutionPatch, id: int = Id):
    regulation = _resolution(request, id)
    data = changed_fields(payload)
    sent = data.pop("ceilings", None)
    ceilings = (
        _ceilings_in(sent)
        if sent is not None
        else [
            {
                "activity": r.activity,
                "max_share_percent": r.max_share_percent,
                "max_amount": r.max_amount,
                "wording": r.wording,
                "per_establishment_year": r.per_establishment_year,
            }
            for r in regulation.ceilings.all()
        ]
    )
    return with_etag(
        response,
        programme_services.update_resolution(
            user=request.user, regulation=regulation, data=data | if_match(request), ceilings=ceilings
        ),
    )


@rules.post(
    "/{id}/archive",
    response={200: RegulationOut, **ERRORS},
    summary="Withdraw a resolution recorded by mistake (not once projects were held to it)",
)
def archive_resolution(request, id: int = Id):
    return programme_services.archive_resolution(user=request.user, regulation=_resolution(request, id))
