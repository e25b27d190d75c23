"""Programmes with targets and their progress, over programme.target_services and reports.targets."""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from khuyencong.accounts import permissions
from khuyencong.api.common import ERRORS, MAX_INT, Input, PageParams, if_match, page_of, paginate, with_etag
from khuyencong.programme import target_services
from khuyencong.programme.target_models import Indicator, ProgrammeScope
from khuyencong.programme.target_selectors import visible_target_programmes

router = Router()
Id = Path(..., ge=1, le=MAX_INT)


class TargetOut(Schema):
    indicator: str
    year: int | None = Field(..., description="null: the target for the whole period")
    value: int = Field(..., description="VND for the support and counterpart indicators; a count otherwise")
    note: str


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    scope: str
    province: int | None = Field(None, alias="province_id")
    start_year: int
    end_year: int
    decision_no: str
    decision_date: datetime.date | None
    issued_by: str
    notes: str
    targets: list[TargetOut]

    @staticmethod
    def resolve_targets(obj):
        return list(obj.targets.all())


def _programmes(request):
    permissions.require(
        permissions.reads_programme_targets(request.user),
        _("Programme targets are for officers and viewers."),
    )
    return visible_target_programmes(request.user).order_by("-start_year", "code", "pk")


@router.get(
    "/", response={200: page_of(ProgrammeOut), **ERRORS}, summary="Programmes with targets you may see"
)
def list_programmes(request, filters: Query[PageParams]):
    return paginate(_programmes(request), filters)


@router.get("/{id}", response={200: ProgrammeOut, **ERRORS}, summary="A programme with its targets")
def get_programme(request, response: HttpResponse, id: int = Id):
    """The `ETag` header is the programme's version: send it back as `If-Match` when you PATCH."""
    return with_etag(response, get_object_or_404(_programmes(request), pk=id))


class ProgrammeIn(Input):
    code: str = Field(..., min_length=1, max_length=60)
    name: str = Field(..., min_length=1, max_length=300)
    scope: Literal[tuple(ProgrammeScope.values)]
    province: int | None = Field(None, ge=1, le=MAX_INT, description="A province's local programme: its code")
    start_year: int = Field(..., ge=2000, le=2100)
    end_year: int = Field(..., ge=2000, le=2100)
    decision_no: str = Field("", max_length=100)
    decision_date: datetime.date | None = Field(None, strict=False, description="YYYY-MM-DD")
    issued_by: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)


class ProgrammePatch(Input):
    code: str = Field(None, min_length=1, max_length=60)
    name: str = Field(None, min_length=1, max_length=300)
    start_year: int = Field(None, ge=2000, le=2100)
    end_year: int = Field(None, ge=2000, le=2100)
    decision_no: str = Field(None, max_length=100)
    decision_date: datetime.date | None = Field(None, strict=False, description="YYYY-MM-DD")
    issued_by: str = Field(None, max_length=200)
    notes: str = Field(None, max_length=5000)


@router.post(
    "/",
    response={201: ProgrammeOut, **ERRORS},
    summary="Record a programme (national: the Ministry's organisers; a province's: its officers)",
)
def create_programme(request, payload: ProgrammeIn):
    from khuyencong.geo.models import Province

    data = payload.model_dump()
    province = data.pop("province")
    if province is not None and not Province.objects.filter(pk=province).exists():
        raise ValidationError({"province": [_("No province with code %(id)s.") % {"id": province}]})
    data["province_id"] = province
    return Status(201, target_services.create_target_programme(user=request.user, data=data))


@router.patch("/{id}", response={200: ProgrammeOut, **ERRORS}, summary="Change a programme")
def update_programme(request, response: HttpResponse, payload: ProgrammePatch, id: int = Id):
    """With `If-Match: <ETag>`, a change made by someone else since answers 409 (nothing saved)."""
    programme = get_object_or_404(_programmes(request), pk=id)
    data = payload.model_dump(exclude_unset=True) | if_match(request)
    return with_etag(
        response, target_services.update_target_programme(user=request.user, programme=programme, data=data)
    )


class TargetIn(Input):
    indicator: Literal[tuple(Indicator.values)]
    year: int | None = Field(..., ge=2000, le=2100, description="null: the whole period")
    value: int | None = Field(..., ge=0, le=10**15, description="null removes the target")
    note: str = Field("", max_length=300)


class TargetsIn(Input):
    targets: list[TargetIn] = Field(..., max_length=1000)


@router.put(
    "/{id}/targets",
    response={200: ProgrammeOut, **ERRORS},
    summary="Set targets (those not named stay; a null value removes one); all or nothing",
)
def set_targets(request, payload: TargetsIn, id: int = Id):
    programme = get_object_or_404(_programmes(request), pk=id)
    target_services.set_targets(
        user=request.user, programme=programme, targets=[t.model_dump() for t in payload.targets]
    )
    return get_object_or_404(_programmes(request), pk=id)


class YearOut(Schema):
    year: int
    target: int | None
    achieved: int | None = Field(..., description="null: the year has not begun")
    share: Decimal | None = Field(..., description="Achieved as a percentage of the target")


class IndicatorProgressOut(Schema):
    indicator: str
    label: str
    money: bool = Field(..., description="true: amounts in VND")
    years: list[YearOut]
    period_target: int | None
    period_target_from_years: bool = Field(..., description="true: no period target, the years' sum")
    achieved_to_date: int
    share_to_date: Decimal | None
    projection: int | None = Field(..., description="Linear from the years elapsed to the period's end")
    projected_share: Decimal | None
    on_track: bool | None
    records: str = Field(..., description="The summary figure whose records are counted (/reports/rows/…)")

    @staticmethod
    def resolve_records(obj):
        return obj.figure


class ProgrammeProgressOut(Schema):
    programme: int
    as_of: datetime.date
    elapsed_years: Decimal
    method: str
    indicators: list[IndicatorProgressOut]


@router.get(
    "/{id}/progress",
    response={200: ProgrammeProgressOut, **ERRORS},
    summary="Achieved vs target per indicator and year, computed from the records, and the projection",
)
def progress(request, id: int = Id):
    from khuyencong.reports import targets

    programme = get_object_or_404(_programmes(request), pk=id)
    data = targets.progress(programme)
    return {
        "programme": programme.pk,
        "as_of": data.today,
        "elapsed_years": data.elapsed.quantize(Decimal("0.0001")),
        "method": data.method,
        "indicators": data.rows,
    }
