"""The treasury's view of a project's money: payments (advances, payments after acceptance, the final
payment), the budget classification, and the yearly settlement report — thin over programme's services
and selectors (the settlement itself is `POST /projects/{id}/settle`)."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from khuyencong.api.common import ERRORS, MAX_INT, Input
from khuyencong.programme import selectors, services

router = Router()


class PaymentOut(Schema):
    id: int
    kind: str = Field(..., description="advance, payment (after acceptance) or final (at settlement)")
    source: str = Field(..., description="app, import (history without payments) or carried (upgrade)")
    paid_on: datetime.date | None = None
    amount: int
    reference: str
    progress_percent: Decimal | None = None
    rule: str | None = Field(None, description="the advance rule applied (its regulation)")

    @staticmethod
    def resolve_rule(obj):
        return obj.rule.citation if obj.rule_id else None


class PaymentsOut(Schema):
    project: int
    status: str
    approved: int
    paid: int
    settled: int | None = None
    advance_limit: int | None = Field(
        None, description="most that may be advanced in all, by the rule in force"
    )
    advance_left: int | None = None
    advance_rule: str = ""
    payments: list[PaymentOut]


class PaymentIn(Input):
    amount: int = Field(..., ge=1, le=10**15, description="VND")
    paid_on: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")
    reference: str = Field("", max_length=100)
    note: str = Field("", max_length=300)
    progress_percent: Decimal | None = Field(
        None,
        ge=0,
        le=100,
        strict=False,
        description="work done (%), for an advance the rule ties to progress",
    )


class BudgetIn(Input):
    budget_chapter: str = Field(..., max_length=3)
    budget_type: str = Field(..., max_length=3)
    budget_item: str = Field(..., max_length=3)
    budget_section: str = Field(..., max_length=4)
    budget_subsection: str = Field(..., max_length=4)
    version: str = Field("", max_length=64, description="the version read, to refuse a stale edit")


class SettlementRowOut(Schema):
    programme: str
    budget_chapter: str
    budget_type: str
    budget_item: str
    budget_section: str
    budget_subsection: str
    projects: int
    approved: int
    advanced: int
    paid_after: int
    final: int
    paid: int
    settled: int


class SettlementOut(Schema):
    year: int
    rows: list[SettlementRowOut]
    total: dict[str, int]


class SettlementQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)
    province: int | None = Field(None, ge=1, le=MAX_INT)


def _project(request, id):
    return get_object_or_404(selectors.visible_projects(request.user), pk=id)


def _payments(project) -> dict:
    room = services.advance_room(project) if project.status in ("contracted", "in_progress") else None
    return {
        "project": project.pk,
        "status": project.status,
        "approved": project.support_approved,
        "paid": project.support_paid,
        "settled": project.support_settled,
        "advance_limit": room.limit if room and room.rule else None,
        "advance_left": room.left if room and room.rule else None,
        "advance_rule": room.message if room else "",
        "payments": list(
            project.disbursements.filter(archived_at__isnull=True)
            .select_related("rule")
            .order_by("paid_on", "pk")
        ),
    }


@router.get("/projects/{id}/payments", response={200: PaymentsOut, **ERRORS}, summary="A project's payments")
def payments(request, id: int = Path(..., ge=1, le=MAX_INT)):
    return _payments(_project(request, id))


@router.post(
    "/projects/{id}/payments",
    response={200: PaymentsOut, **ERRORS},
    summary="Record an advance (before acceptance, within the rule) or a payment (after acceptance)",
)
def pay(request, payload: PaymentIn, id: int = Path(..., ge=1, le=MAX_INT)):
    project = _project(request, id)
    services.record_disbursement(user=request.user, project=project, **payload.model_dump())
    project.refresh_from_db()
    return _payments(project)


@router.put(
    "/projects/{id}/budget",
    response={200: dict, **ERRORS},
    summary="Set a project's budget classification (chương, loại, khoản, mục, tiểu mục)",
)
def budget(request, payload: BudgetIn, id: int = Path(..., ge=1, le=MAX_INT)):
    project = services.set_budget_classification(
        user=request.user, project=_project(request, id), data=payload.model_dump()
    )
    return {name: getattr(project, name) for name in project.BUDGET_FIELDS}


@router.get(
    "/settlement-report",
    response={200: SettlementOut, **ERRORS},
    summary="The yearly settlement report by budget classification (amounts in VND)",
)
def settlement_report(request, query: Query[SettlementQuery]):
    return selectors.settlement_report(request.user, year=query.year, province_id=query.province)
