"""Support projects (read), through programme.selectors' scoping."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from khuyencong.api.common import ERRORS, MAX_INT, PageParams, page_of, paginate
from khuyencong.programme import selectors
from khuyencong.programme.models import Activity, Programme, ProjectStatus

router = Router()


class ProjectOut(Schema):
    id: int
    code: str
    year: int
    title: str
    programme: str
    activity: str
    status: str
    establishment: int | None = Field(None, alias="establishment_id")
    province: int = Field(..., alias="province_id")
    commune: int | None = Field(None, alias="commune_id")
    total_cost: int | None = None
    support_approved: int
    support_settled: int | None = None
    counterpart: int | None = None
    jobs: int | None = None
    updated_at: datetime.datetime


class ProjectFilters(PageParams):
    q: str = Field("", max_length=200)
    year: int | None = Field(None, ge=0, le=9999)
    status: ProjectStatus | None = None
    programme: Programme | None = None
    activity: Activity | None = None
    establishment: int | None = Field(None, ge=0, le=MAX_INT)


@router.get("/", response={200: page_of(ProjectOut), **ERRORS}, summary="Support projects you may see (amounts in VND)")
def list_projects(request, filters: Query[ProjectFilters]):
    qs = selectors.project_list(
        request.user, query=filters.q, year=filters.year, status=filters.status or "",
        programme=filters.programme or "", activity=filters.activity or "", establishment=filters.establishment,
    )
    return paginate(qs.order_by("-year", "code", "pk"), filters)


@router.get("/{id}", response={200: ProjectOut, **ERRORS})
def get_project(request, id: int = Path(..., ge=1, le=MAX_INT)):
    return get_object_or_404(selectors.visible_projects(request.user), pk=id)
