"""Support projects (read), through programme.selectors' scoping."""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import StrictBool

from khuyencong.api.common import ERRORS, MAX_INT, Input, PageParams, page_of, paginate
from khuyencong.programme import selectors, services
from khuyencong.programme.models import Activity, Programme, Project, ProjectStatus

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
    craft_village: int | None = Field(None, alias="craft_village_id")
    artisan: int | None = Field(None, alias="artisan_id")
    province: int = Field(..., alias="province_id")
    commune: int | None = Field(None, alias="commune_id")
    rules_applied: str = Field("", alias="rule_note", description="The rule the approval was checked against")
    rule_regulation: int | None = Field(None, alias="rule_regulation_id")
    total_cost: int | None = None
    support_approved: int
    support_settled: int | None = None
    support_paid: int = 0
    budget_chapter: str = ""
    budget_type: str = ""
    budget_item: str = ""
    budget_section: str = ""
    budget_subsection: str = ""
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


@router.get(
    "/",
    response={200: page_of(ProjectOut), **ERRORS},
    summary="Support projects you may see (amounts in VND)",
)
def list_projects(request, filters: Query[ProjectFilters]):
    qs = selectors.project_list(
        request.user,
        query=filters.q,
        year=filters.year,
        status=filters.status or "",
        programme=filters.programme or "",
        activity=filters.activity or "",
        establishment=filters.establishment,
    )
    return paginate(qs.order_by("-year", "code", "pk"), filters)


@router.get("/{id}", response={200: ProjectOut, **ERRORS})
def get_project(request, id: int = Path(..., ge=1, le=MAX_INT)):
    return get_object_or_404(selectors.visible_projects(request.user), pk=id)


# --- writes: the project life cycle, through programme.services -----------------------------

Money = Field(None, ge=0, le=10**15, description="VND")


class ProjectIn(Input):
    code: str = Field(..., min_length=1, max_length=50)
    year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., min_length=1, max_length=500)
    programme: Literal[tuple(Programme.values)]
    activity: Literal[tuple(Activity.values)]
    province: int = Field(..., ge=0, le=MAX_INT)
    commune: int | None = Field(None, ge=0, le=MAX_INT)
    establishment: int | None = Field(None, ge=1, le=MAX_INT)
    craft_village: int | None = Field(None, ge=1, le=MAX_INT, description="Instead of an establishment")
    artisan: int | None = Field(None, ge=1, le=MAX_INT, description="Instead of an establishment")
    description: str = ""
    total_cost: int | None = Money
    support_requested: int | None = Money
    counterpart: int | None = Money
    expected_jobs: int | None = Field(None, ge=0, le=MAX_INT)
    technology_line: StrictBool = False
    local_materials: StrictBool = False
    note: str = ""


class NoteIn(Input):
    note: str = Field("", max_length=2000)


class AppraiseIn(NoteIn):
    amount: int = Field(..., ge=0, le=10**15, description="Support proposed at appraisal (VND)")
    checks: dict[str, StrictBool] = Field(default_factory=dict, description="Checklist criterion id → met")


class ApproveIn(NoteIn):
    decision_no: str = Field(..., max_length=100)
    decision_date: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")
    amount: int | None = Money


class ContractIn(NoteIn):
    contract_no: str = Field(..., max_length=100)
    contract_date: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")


class AcceptIn(NoteIn):
    acceptance_record: str = Field(..., max_length=200)
    acceptance_date: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")
    jobs: int | None = Field(None, ge=0, le=MAX_INT)
    machines: int | None = Field(None, ge=0, le=MAX_INT)
    trainees: int | None = Field(None, ge=0, le=MAX_INT)
    products_developed: int | None = Field(None, ge=0, le=MAX_INT)


class SettleIn(NoteIn):
    amount: int = Field(..., ge=0, le=10**15)
    settled_date: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")
    reason: str = Field("", max_length=2000)
    final_reference: str = Field(
        "",
        max_length=100,
        description="Payment order of the final payment (the settled amount less what was paid)",
    )
    final_paid_on: datetime.date | None = Field(
        None, strict=False, description="YYYY-MM-DD; the settlement date if absent"
    )
    budget_chapter: str = Field("", max_length=3, description="chương (3 digits)")
    budget_type: str = Field("", max_length=3, description="loại (3 digits)")
    budget_item: str = Field("", max_length=3, description="khoản (3 digits)")
    budget_section: str = Field("", max_length=4, description="mục (4 digits)")
    budget_subsection: str = Field("", max_length=4, description="tiểu mục (4 digits)")


class CancelIn(Input):
    reason: str = Field(..., max_length=2000)


def _project(request, id: int):
    return get_object_or_404(selectors.visible_projects(request.user), pk=id)


@router.post(
    "/", response={201: ProjectOut, **ERRORS}, summary="Propose a project (commune or province officers)"
)
def propose_project(request, payload: ProjectIn):
    data = payload.model_dump(exclude_unset=True)
    data["province_id"] = data.pop("province")
    data["commune_id"] = data.pop("commune", None)
    data["establishment_id"] = data.pop("establishment", None)
    data["craft_village_id"] = data.pop("craft_village", None)
    data["artisan_id"] = data.pop("artisan", None)
    from khuyencong.geo.models import Commune, Province
    from khuyencong.registry.models import Establishment
    from khuyencong.registry.selectors import visible_artisans, visible_craft_villages

    errors = {}
    if not Province.objects.filter(pk=data["province_id"]).exists():
        errors["province"] = [_("No province with code %(code)s.") % {"code": data["province_id"]}]
    if data["commune_id"] is not None and not Commune.objects.filter(pk=data["commune_id"]).exists():
        errors["commune"] = [_("No commune with code %(code)s.") % {"code": data["commune_id"]}]
    if (
        data["establishment_id"] is not None
        and not Establishment.objects.filter(pk=data["establishment_id"]).exists()
    ):
        errors["establishment"] = [_("No establishment with id %(id)s.") % {"id": data["establishment_id"]}]
    for field, visible in (("craft_village", visible_craft_villages), ("artisan", visible_artisans)):
        pk = data[f"{field}_id"]
        if pk is not None and not visible(request.user).filter(pk=pk).exists():
            errors[field] = [_("No record with id %(id)s.") % {"id": pk}]
    if errors:
        raise ValidationError(errors)
    return Status(201, services.propose_project(user=request.user, data=data))


@router.post(
    "/{id}/appraise", response={200: ProjectOut, **ERRORS}, summary="Appraise a proposal (province officers)"
)
def appraise(request, payload: AppraiseIn, id: int = Path(..., ge=1, le=MAX_INT)):
    return services.appraise_project(
        user=request.user,
        project=_project(request, id),
        amount=payload.amount,
        checks=payload.checks,
        note=payload.note,
    )


@router.post(
    "/{id}/approve", response={200: ProjectOut, **ERRORS}, summary="Approve (decision number and date)"
)
def approve(request, payload: ApproveIn, id: int = Path(..., ge=1, le=MAX_INT)):
    return services.approve_project(
        user=request.user,
        project=_project(request, id),
        decision_no=payload.decision_no,
        decision_date=payload.decision_date,
        amount=payload.amount,
        note=payload.note,
    )


@router.post("/{id}/contract", response={200: ProjectOut, **ERRORS}, summary="Record the contract")
def contract(request, payload: ContractIn, id: int = Path(..., ge=1, le=MAX_INT)):
    return services.contract_project(
        user=request.user,
        project=_project(request, id),
        contract_no=payload.contract_no,
        contract_date=payload.contract_date,
        note=payload.note,
    )


@router.post("/{id}/start", response={200: ProjectOut, **ERRORS}, summary="Start implementation")
def start(request, payload: NoteIn, id: int = Path(..., ge=1, le=MAX_INT)):
    return services.start_project(user=request.user, project=_project(request, id), note=payload.note)


@router.post(
    "/{id}/accept",
    response={200: ProjectOut, **ERRORS},
    summary="Record acceptance (nghiệm thu) and outcomes",
)
def accept(request, payload: AcceptIn, id: int = Path(..., ge=1, le=MAX_INT)):
    outcomes = {k: getattr(payload, k) for k in ("jobs", "machines", "trainees", "products_developed")}
    return services.accept_project(
        user=request.user,
        project=_project(request, id),
        acceptance_record=payload.acceptance_record,
        acceptance_date=payload.acceptance_date,
        outcomes=outcomes,
        note=payload.note,
    )


@router.post("/{id}/settle", response={200: ProjectOut, **ERRORS}, summary="Settle (quyết toán)")
def settle(request, payload: SettleIn, id: int = Path(..., ge=1, le=MAX_INT)):
    return services.settle_project(
        user=request.user,
        project=_project(request, id),
        amount=payload.amount,
        settled_date=payload.settled_date,
        reason=payload.reason,
        note=payload.note,
        final_reference=payload.final_reference,
        final_paid_on=payload.final_paid_on,
        budget={name: getattr(payload, name) for name in Project.BUDGET_FIELDS},
    )


@router.post("/{id}/cancel", response={200: ProjectOut, **ERRORS}, summary="Cancel, with the reason")
def cancel(request, payload: CancelIn, id: int = Path(..., ge=1, le=MAX_INT)):
    return services.cancel_project(user=request.user, project=_project(request, id), reason=payload.reason)
