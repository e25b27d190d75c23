"""Establishments and products: reads through registry.selectors, writes through registry.services."""

import datetime
from typing import Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import StrictBool

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
from khuyencong.registry import selectors, services
from khuyencong.registry.models import EstablishmentKind, ProductGroup

establishments = Router()
products = Router()

Id = Path(..., ge=1, le=MAX_INT)


class EstablishmentOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    tax_code: str | None
    industry: str
    province: int = Field(..., alias="province_id")
    commune: int | None = Field(None, alias="commune_id")
    legacy_province: int | None = Field(None, alias="legacy_province_id")
    legacy_district: int | None = Field(None, alias="legacy_district_id")
    address: str
    phone: str
    email: str
    website: str
    representative: str
    workers: int | None
    founded: int | None
    description: str
    markets: str
    women_owned: bool
    ethnic_minority_owned: bool
    disadvantaged_commune: bool
    priority_evidence: str
    archived: bool = Field(..., alias="is_archived")
    updated_at: datetime.datetime


Kind = Literal[tuple(EstablishmentKind.values)]
Group = Literal[tuple(ProductGroup.values)]


class EstablishmentIn(Input):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=255)
    kind: Kind
    tax_code: str | None = Field(None, max_length=14)
    industry: str = Field("", max_length=200)
    province: int = Field(..., ge=0, le=MAX_INT)
    commune: int | None = Field(None, ge=0, le=MAX_INT)
    legacy_province: int | None = Field(None, ge=0, le=MAX_INT)
    legacy_district: int | None = Field(None, ge=0, le=MAX_INT)
    address: str = Field("", max_length=255)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    website: str = Field("", max_length=200)
    representative: str = Field("", max_length=150)
    workers: int | None = Field(None, ge=0, le=MAX_INT)
    founded: int | None = Field(None, ge=1800, le=2100)
    description: str = ""
    markets: str = ""
    women_owned: StrictBool = False
    ethnic_minority_owned: StrictBool = False
    disadvantaged_commune: StrictBool = False
    priority_evidence: str = Field("", description="What shows the priority flags (required with any flag)")


class EstablishmentPatch(Input):
    """Only the fields sent change. A representative may change address, contacts, profile, markets and workers."""

    code: str = Field(None, min_length=1, max_length=40)
    name: str = Field(None, min_length=1, max_length=255)
    kind: Kind = None
    tax_code: str | None = Field(None, max_length=14)
    industry: str = Field(None, max_length=200)
    province: int = Field(None, ge=0, le=MAX_INT)
    commune: int | None = Field(None, ge=0, le=MAX_INT)
    legacy_province: int | None = Field(None, ge=0, le=MAX_INT)
    legacy_district: int | None = Field(None, ge=0, le=MAX_INT)
    address: str = Field(None, max_length=255)
    phone: str = Field(None, max_length=40)
    email: str = Field(None, max_length=254)
    website: str = Field(None, max_length=200)
    representative: str = Field(None, max_length=150)
    workers: int | None = Field(None, ge=0, le=MAX_INT)
    founded: int | None = Field(None, ge=1800, le=2100)
    description: str = None
    markets: str = None
    women_owned: StrictBool = None
    ethnic_minority_owned: StrictBool = None
    disadvantaged_commune: StrictBool = None
    priority_evidence: str = None


class EstablishmentFilters(PageParams):
    q: str = Field("", max_length=200, description="Name, code, tax code or address; accents optional")
    province: int | None = Field(None, ge=0, le=MAX_INT)
    commune: int | None = Field(None, ge=0, le=MAX_INT)
    kind: EstablishmentKind | None = None
    archived: bool = False


PLACE_FKS = {
    "province": "province_id",
    "commune": "commune_id",
    "legacy_province": "legacy_province_id",
    "legacy_district": "legacy_district_id",
}


def _resolve_places(data: dict) -> dict:
    """Turn place codes into the model instances the services expect, with a field message for unknown codes."""
    from django.core.exceptions import ValidationError

    from khuyencong.geo.models import Commune, LegacyDistrict, LegacyProvince, Province

    models = {
        "province": Province,
        "commune": Commune,
        "legacy_province": LegacyProvince,
        "legacy_district": LegacyDistrict,
    }
    errors = {}
    for field, model in models.items():
        if field in data and data[field] is not None:
            obj = model.objects.filter(pk=data[field]).first()
            if obj is None:
                errors[field] = [
                    _("No %(what)s with code %(code)s.")
                    % {"what": model._meta.verbose_name, "code": data[field]}
                ]
            data[field] = obj
    if errors:
        raise ValidationError(errors)
    return data


@establishments.get(
    "/", response={200: page_of(EstablishmentOut), **ERRORS}, summary="Establishments you may see"
)
def list_establishments(request, filters: Query[EstablishmentFilters]):
    qs = selectors.establishment_list(
        request.user,
        query=filters.q,
        archived=filters.archived,
        province=filters.province,
        commune=filters.commune,
        kind=filters.kind,
    )
    return paginate(qs.order_by("name", "pk"), filters)


@establishments.get("/{id}", response={200: EstablishmentOut, **ERRORS})
def get_establishment(request, response: HttpResponse, id: int = Id):
    """The `ETag` header is the record's version: send it back as `If-Match` when you PATCH."""
    return with_etag(response, get_object_or_404(selectors.visible_establishments(request.user), pk=id))


@establishments.post(
    "/", response={201: EstablishmentOut, **ERRORS}, summary="Register an establishment (officers)"
)
def create_establishment(request, payload: EstablishmentIn):
    data = _resolve_places(payload.model_dump())
    return Status(201, services.create_establishment(user=request.user, data=data))


@establishments.patch(
    "/{id}",
    response={200: EstablishmentOut, **ERRORS},
    summary="Change an establishment (officers; a representative their public profile)",
)
def update_establishment(request, response: HttpResponse, payload: EstablishmentPatch, id: int = Id):
    """With `If-Match: <ETag of your GET>`, a change made by someone else since answers 409 (nothing saved)."""
    establishment = get_object_or_404(selectors.visible_establishments(request.user), pk=id)
    data = _resolve_places(changed_fields(payload)) | if_match(request)
    return with_etag(
        response, services.update_establishment(user=request.user, establishment=establishment, data=data)
    )


@establishments.post(
    "/{id}/archive", response={200: EstablishmentOut, **ERRORS}, summary="Archive (officers)"
)
def archive_establishment(request, id: int = Id):
    establishment = get_object_or_404(selectors.visible_establishments(request.user), pk=id)
    return services.archive_establishment(user=request.user, establishment=establishment)


class ProductOut(Schema):
    id: int
    code: str
    name: str
    group: str
    establishment: int = Field(..., alias="establishment_id")
    description: str
    is_set: bool
    photo: str | None = None
    thumbnail: str | None = None
    archived: bool = Field(..., alias="is_archived")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_photo(obj):
        return obj.photo.url if obj.photo else None

    @staticmethod
    def resolve_thumbnail(obj):
        return obj.thumbnail.url if obj.thumbnail else None


class ProductIn(Input):
    code: str = Field(..., min_length=1, max_length=40)
    establishment: int = Field(..., ge=1, le=MAX_INT)
    name: str = Field(..., min_length=1, max_length=255)
    group: Group
    description: str = ""
    is_set: StrictBool = False


class ProductPatch(Input):
    """Only the fields sent change. A representative may change the description only (photos: POST …/photos)."""

    code: str = Field(None, min_length=1, max_length=40)
    establishment: int = Field(None, ge=1, le=MAX_INT)
    name: str = Field(None, min_length=1, max_length=255)
    group: Group = None
    description: str = None
    is_set: StrictBool = None


class ProductFilters(PageParams):
    q: str = Field("", max_length=200, description="Product or establishment; accents optional")
    group: ProductGroup | None = None
    establishment: int | None = Field(None, ge=0, le=MAX_INT)
    archived: bool = False


class PhotoOut(Schema):
    id: int
    image: str
    thumbnail: str | None
    caption: str

    @staticmethod
    def resolve_image(obj):
        return obj.image.url

    @staticmethod
    def resolve_thumbnail(obj):
        return obj.thumbnail.url if obj.thumbnail else None


def _resolve_establishment(request, data: dict) -> dict:
    from django.core.exceptions import ValidationError

    from khuyencong.registry.models import Establishment

    if data.get("establishment") is not None:
        found = Establishment.objects.filter(pk=data["establishment"]).first()
        if found is None:
            raise ValidationError(
                {"establishment": [_("No establishment with id %(id)s.") % {"id": data["establishment"]}]}
            )
        data["establishment"] = found
    return data


@products.get("/", response={200: page_of(ProductOut), **ERRORS}, summary="Products you may see")
def list_products(request, filters: Query[ProductFilters]):
    qs = selectors.product_list(
        request.user,
        query=filters.q,
        archived=filters.archived,
        group=filters.group,
        establishment=filters.establishment,
    )
    return paginate(qs.order_by("name", "pk"), filters)


@products.get("/{id}", response={200: ProductOut, **ERRORS})
def get_product(request, response: HttpResponse, id: int = Id):
    """The `ETag` header is the record's version: send it back as `If-Match` when you PATCH."""
    return with_etag(response, get_object_or_404(selectors.visible_products(request.user), pk=id))


@products.post("/", response={201: ProductOut, **ERRORS}, summary="Register a product")
def create_product(request, payload: ProductIn):
    data = _resolve_establishment(request, payload.model_dump())
    return Status(201, services.create_product(user=request.user, data=data))


@products.patch("/{id}", response={200: ProductOut, **ERRORS}, summary="Change a product")
def update_product(request, response: HttpResponse, payload: ProductPatch, id: int = Id):
    """With `If-Match: <ETag of your GET>`, a change made by someone else since answers 409 (nothing saved)."""
    product = get_object_or_404(selectors.visible_products(request.user), pk=id)
    data = _resolve_establishment(request, changed_fields(payload)) | if_match(request)
    return with_etag(response, services.update_product(user=request.user, product=product, data=data))


@products.post("/{id}/archive", response={200: ProductOut, **ERRORS}, summary="Archive a product (officers)")
def archive_product(request, id: int = Id):
    product = get_object_or_404(selectors.visible_products(request.user), pk=id)
    return services.archive_product(user=request.user, product=product)


@products.post(
    "/{id}/photo",
    response={200: ProductOut, **ERRORS},
    summary="Replace the product's main photo (officers, or the establishment's representative)",
)
def set_main_photo(request, id: int = Id, image: File[UploadedFile] = None):
    from django.core.exceptions import ValidationError

    product = get_object_or_404(selectors.visible_products(request.user), pk=id)
    if image is None:
        raise ValidationError({"image": [_("Choose a photo to upload.")]})
    try:
        return services.update_product(user=request.user, product=product, data={"photo": image})
    except ValidationError as exc:  # the service names the field "photo"; this endpoint calls it "image"
        if hasattr(exc, "error_dict") and "photo" in exc.error_dict:
            raise ValidationError({"image": exc.message_dict["photo"]}) from exc
        raise


@products.get("/{id}/photos", response={200: list[PhotoOut], **ERRORS})
def list_photos(request, id: int = Id):
    product = get_object_or_404(selectors.visible_products(request.user), pk=id)
    return product.photos.all()


@products.post(
    "/{id}/photos", response={201: PhotoOut, **ERRORS}, summary="Add a photo (a thumbnail is made)"
)
def add_photo(request, id: int = Id, image: File[UploadedFile] = None, caption: Form[str] = ""):
    from django.core.exceptions import ValidationError

    product = get_object_or_404(selectors.visible_products(request.user), pk=id)
    if image is None:
        raise ValidationError({"image": [_("Choose a photo to upload.")]})
    return Status(
        201,
        services.add_product_photo(user=request.user, product=product, image=image, caption=caption[:200]),
    )
