"""The national plan provinces feed: registrations, their steps and the signed file exchange — thin over
national.services, national.exchange and national.selectors (amounts in VND)."""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from khuyencong.api.common import ERRORS, MAX_INT, Input
from khuyencong.national import exchange, selectors, services

router = Router()


class LineOut(Schema):
    code: str
    title: str
    activity: str
    beneficiary: str
    place: str
    total_cost: int
    requested: int
    counterpart: int
    appraised: int | None = None
    appraisal_note: str


class AllocationOut(Schema):
    activity: str
    amount: int


class RegistrationOut(Schema):
    id: int
    province: str = Field(..., description="province code")
    year: int
    status: str
    source: str
    revision: int
    decision_no: str
    decision_date: datetime.date | None = None
    lines: list[LineOut]
    allocations: list[AllocationOut]
    requested: int
    appraised: int
    allocated: int

    @staticmethod
    def resolve_province(obj):
        return str(obj.province.code)


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


class PrepareIn(Input):
    year: int = Field(..., ge=2000, le=2100)


class NoteIn(Input):
    note: str = Field("", max_length=2000)


class ReturnIn(Input):
    reason: str = Field(..., max_length=2000)


class AppraiseIn(Input):
    amounts: dict[str, int] = Field(
        ..., description="project code → national support appraised (VND), 0 refuses"
    )
    notes: dict[str, str] = Field(default_factory=dict, description="project code → appraisal remark")


class AllocateIn(Input):
    amounts: dict[str, int] = Field(..., description="activity code → national funds allocated (VND)")
    decision_no: str = Field(..., max_length=100)
    decision_date: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")
    note: str = Field("", max_length=2000)


class ImportOut(Schema):
    outcome: str = Field(..., description="created, updated or unchanged")
    registration: RegistrationOut


def _out(registration):
    registration = selectors.visible_registrations_all().get(pk=registration.pk)
    totals = selectors.registration_totals(registration)
    registration.requested = totals["requested"]
    registration.appraised = totals["appraised"]
    registration.allocated = totals["allocated"]
    return registration


def _registration(request, id):
    return get_object_or_404(selectors.visible_registrations(request.user), pk=id)


@router.get(
    "/",
    response={200: list[RegistrationOut], **ERRORS},
    summary="Registrations for national funds you may see",
)
def registrations(request, query: Query[YearQuery]):
    qs = selectors.visible_registrations(request.user)
    if query.year:
        qs = qs.filter(year=query.year)
    return [_out(r) for r in qs.order_by("-year", "province__code")[:200]]


@router.post(
    "/prepare", response={200: RegistrationOut, **ERRORS}, summary="Prepare your province's registration"
)
def prepare(request, payload: PrepareIn):
    return _out(
        services.prepare_registration(
            user=request.user, province_id=request.user.province_id, year=payload.year
        )
    )


@router.post(
    "/import",
    response={200: ImportOut, **ERRORS},
    summary="Import a province's signed file (organiser): the request body is the file",
)
def import_file(request):
    registration, outcome = exchange.import_registration(user=request.user, content=request.body)
    return {"outcome": outcome, "registration": _out(registration)}


@router.post(
    "/import-allocation",
    response={200: ImportOut, **ERRORS},
    summary="Import the Ministry's signed allocation on the province's own instance: the request body is the file",
)
def import_allocation(request):
    registration, outcome = exchange.import_allocation(user=request.user, content=request.body)
    return {"outcome": outcome, "registration": _out(registration)}


@router.get("/{id}", response={200: RegistrationOut, **ERRORS})
def registration(request, id: int = Path(..., ge=1, le=MAX_INT)):
    return _out(_registration(request, id))


@router.post("/{id}/submit", response={200: RegistrationOut, **ERRORS}, summary="Submit to the Ministry")
def submit(request, payload: NoteIn, id: int = Path(..., ge=1, le=MAX_INT)):
    registration = _registration(request, id)
    return _out(services.submit_registration(user=request.user, registration=registration, note=payload.note))


@router.post(
    "/{id}/return", response={200: RegistrationOut, **ERRORS}, summary="Return for completion (organiser)"
)
def return_(request, payload: ReturnIn, id: int = Path(..., ge=1, le=MAX_INT)):
    return _out(
        services.return_registration(
            user=request.user, registration=_registration(request, id), reason=payload.reason
        )
    )


@router.post(
    "/{id}/appraise",
    response={200: RegistrationOut, **ERRORS},
    summary="Appraise each project (organiser)",
)
def appraise(request, payload: AppraiseIn, id: int = Path(..., ge=1, le=MAX_INT)):
    return _out(
        services.appraise_registration(
            user=request.user,
            registration=_registration(request, id),
            amounts=payload.amounts,
            notes=payload.notes,
        )
    )


@router.post(
    "/{id}/allocate",
    response={200: RegistrationOut, **ERRORS},
    summary="Allocate national funds per activity",
)
def allocate(request, payload: AllocateIn, id: int = Path(..., ge=1, le=MAX_INT)):
    return _out(
        services.allocate_registration(
            user=request.user,
            registration=_registration(request, id),
            amounts=payload.amounts,
            decision_no=payload.decision_no,
            decision_date=payload.decision_date,
            note=payload.note,
        )
    )


@router.get(
    "/{id}/file", response={200: None, **ERRORS}, summary="The signed file of a registration (province)"
)
def signed_file(request, id: int = Path(..., ge=1, le=MAX_INT)):
    content = exchange.export_registration(user=request.user, registration=_registration(request, id))
    return HttpResponse(content, content_type="application/json")


@router.get(
    "/{id}/allocation-file",
    response={200: None, **ERRORS},
    summary="The Ministry's signed allocation file of a registration (organiser)",
)
def allocation_file(request, id: int = Path(..., ge=1, le=MAX_INT)):
    content = exchange.export_allocation(user=request.user, registration=_registration(request, id))
    return HttpResponse(content, content_type="application/json")
