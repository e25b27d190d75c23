"""Fair judging, appeals and OCOP ratings through the API, over the same selectors, services and predicates as the
pages: the judging diagnostic (read), a round's appeals, lodging, answering and withdrawing an appeal, and a
product's OCOP ratings (read, record).

The routes join the routers of `selection` (rounds, dossiers) and `registry` (products); appeals have their own.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.responses import Status
from pydantic import StrictBool

from khuyencong.api.common import ERRORS, MAX_INT, Input
from khuyencong.registry import selectors as registry_selectors
from khuyencong.registry import services as registry_services
from khuyencong.registry.models import OcopLevel
from khuyencong.selection import selectors, services, workflow
from khuyencong.selection.models import Appeal

from .registry import products
from .selection import dossiers, rounds

appeals = Router()

Id = Path(..., ge=1, le=MAX_INT)


def _round(request, id: int):
    return get_object_or_404(selectors.visible_rounds(request.user), pk=id)


# --- the judging diagnostic -------------------------------------------------------------------------


class MemberStatOut(Schema):
    member: int = Field(..., description="Council seat id")
    name: str
    sheets: int
    mean: float
    sd: float | None = Field(..., description="Sample standard deviation of the member's totals")
    offset: float | None = Field(
        ..., description="Mean of (the member's total − the other members' mean) on the same dossiers"
    )


class RankingRowOut(Schema):
    dossier: int
    product: str
    group: str
    legal_score: Decimal | None = Field(..., description="The legal result: the mean of the members' totals")
    legal_rank: int | None
    normalised_score: float | None
    normalised_rank: int | None
    shift: int = Field(..., description="Places gained (+) or lost (−) on the normalised ranking")


class OutlierOut(Schema):
    member: int
    name: str
    dossier: int
    product: str
    total: float
    median: float = Field(..., description="The dossier's median total (this sheet included)")
    deviation: float


class ReliabilityOut(Schema):
    form: Literal["ICC(1)", "ICC(2,1)"] = Field(
        ...,
        description="ICC(2,1) (two-way random, absolute agreement, single rater) when every member scored every "
        "dossier; ICC(1) (one-way random, single rater, unbalanced) otherwise",
    )
    value: float | None
    icc1: float | None
    icc2_1: float | None
    complete: bool
    band: str = Field(..., description="poor, moderate, good, excellent (Koo & Li 2016); empty when unknown")
    members: int
    dossiers: int
    sheets: int


class ConflictNoteOut(Schema):
    dossier: int
    member: int
    kind: str
    reason: str


class DiagnosticOut(Schema):
    stage: str
    threshold: Decimal = Field(..., description="The round's outlier threshold, in points")
    council_mean: float | None
    council_sd: float | None
    members: list[MemberStatOut]
    ranking: list[RankingRowOut]
    moves: list[int] = Field(..., description="Dossiers whose normalised rank differs from the legal one")
    outliers: list[OutlierOut]
    reliability: ReliabilityOut
    conflicts: list[ConflictNoteOut] = Field(
        ..., description="Members who declared a conflict: the dossier's mean is taken over the others"
    )


@rounds.get(
    "/{id}/diagnostic",
    response={200: DiagnosticOut, **ERRORS},
    summary="The judging diagnostic (officers, chair, secretary; once scoring is closed). Never the legal result.",
)
def round_diagnostic(request, id: int = Id):
    round_ = _round(request, id)
    if not selectors.may_see_diagnostic(request.user, round_):
        raise PermissionDenied(
            _("The diagnostic is for the officers running the round, its chair and secretary, after scoring.")
        )
    diag = selectors.judging_diagnostic(round_)
    rel = diag.reliability
    return {
        "stage": diag.stage,
        "threshold": diag.threshold,
        "council_mean": diag.result.council_mean,
        "council_sd": diag.result.council_sd,
        "members": [
            {
                "member": m.pk,
                "name": str(m.user),
                "sheets": p.sheets,
                "mean": p.mean,
                "sd": p.sd,
                "offset": p.offset,
            }
            for m, p in diag.members
        ],
        "ranking": [
            {
                "dossier": row.dossier.pk,
                "product": row.dossier.product.name,
                "group": row.dossier.product.group,
                "legal_score": row.legal_score,
                "legal_rank": row.legal_rank,
                "normalised_score": row.normalised,
                "normalised_rank": row.normalised_rank,
                "shift": row.shift,
            }
            for row in diag.rows
        ],
        "moves": [row.dossier.pk for row in diag.moves],
        "outliers": [
            {
                "member": m.pk,
                "name": str(m.user),
                "dossier": d.pk,
                "product": d.product.name,
                "total": o.total,
                "median": o.median,
                "deviation": o.deviation,
            }
            for m, d, o in diag.outliers
        ],
        "reliability": {
            "form": rel.form,
            "value": rel.value,
            "icc1": rel.icc1,
            "icc2_1": rel.icc2_1,
            "complete": rel.complete,
            "band": rel.band,
            "members": rel.members,
            "dossiers": rel.dossiers,
            "sheets": rel.sheets,
        },
        "conflicts": [
            {"dossier": c.dossier_id, "member": c.member_id, "kind": c.kind, "reason": c.reason}
            for c in diag.conflicts
        ],
    }


# --- appeals -----------------------------------------------------------------------------------------


class AppealOut(Schema):
    id: int
    dossier: int = Field(..., alias="dossier_id")
    status: str
    grounds: str
    lodged_at: datetime.datetime
    answer: str
    answered_at: datetime.datetime | None
    reopening: int | None = Field(
        ..., alias="reopening_id", description="The round's re-opening, when upheld"
    )
    actions: list[str] = Field(..., description="The steps you may take on it now")

    @staticmethod
    def resolve_actions(obj, context):
        return workflow.allowed_actions(context["request"].user, obj)


class AppealsOut(Schema):
    appeal_days: int | None = Field(..., description="The round's appeal period; null: the round takes none")
    published_on: datetime.date | None = Field(..., description="The day the approval published the results")
    closes: datetime.date | None = Field(..., description="The last day an appeal may be lodged")
    open: bool
    items: list[AppealOut]


@rounds.get("/{id}/appeals", response={200: AppealsOut, **ERRORS}, summary="A round's appeals you may see")
def round_appeals(request, id: int = Id):
    round_ = _round(request, id)
    window = selectors.appeal_window(round_)
    return {
        "appeal_days": round_.appeal_days,
        "published_on": window.published_on if window else None,
        "closes": window.closes if window else None,
        "open": bool(window and window.is_open()),
        "items": list(selectors.visible_appeals(request.user, round_)),
    }


class AppealIn(Input):
    grounds: str = Field(..., min_length=1, max_length=5000, description="What is contested and why")


@dossiers.post(
    "/{id}/appeal",
    response={201: AppealOut, **ERRORS},
    summary="Lodge an appeal against the published result (representatives, within the round's period)",
)
def lodge_appeal(request, payload: AppealIn, id: int = Id):
    dossier = get_object_or_404(selectors.visible_dossiers(request.user), pk=id)
    return Status(201, services.lodge_appeal(user=request.user, dossier=dossier, grounds=payload.grounds))


def _appeal(request, id: int) -> Appeal:
    appeal = get_object_or_404(Appeal.objects.select_related("dossier__round"), pk=id)
    if not selectors.visible_appeals(request.user, appeal.dossier.round).filter(pk=id).exists():
        raise Http404
    return appeal


@appeals.get("/{id}", response={200: AppealOut, **ERRORS}, summary="An appeal")
def appeal_detail(request, id: int = Id):
    return _appeal(request, id)


class AnswerIn(Input):
    upheld: StrictBool = Field(..., description="true: upheld, the round is re-opened (its reason recorded)")
    answer: str = Field(
        ..., min_length=1, max_length=5000, description="The council's answer, sent to the establishment"
    )


@appeals.post(
    "/{id}/answer",
    response={200: AppealOut, **ERRORS},
    summary="Record the council's answer (officers running the round); upheld re-opens the round",
)
def answer_appeal(request, payload: AnswerIn, id: int = Id):
    appeal = _appeal(request, id)
    return services.answer_appeal(
        user=request.user, appeal=appeal, upheld=payload.upheld, answer=payload.answer
    )


@appeals.post(
    "/{id}/withdraw", response={200: AppealOut, **ERRORS}, summary="Withdraw an appeal (representatives)"
)
def withdraw_appeal(request, id: int = Id):
    return services.withdraw_appeal(user=request.user, appeal=_appeal(request, id))


# --- OCOP ratings ----------------------------------------------------------------------------------------


class OcopOut(Schema):
    id: int
    stars: int
    level: str
    score: Decimal | None
    decision_no: str
    decision_date: datetime.date
    valid_until: datetime.date
    valid_today: bool

    @staticmethod
    def resolve_valid_today(obj):
        from django.utils import timezone

        return obj.is_valid_on(timezone.localdate())


class OcopIn(Input):
    stars: int = Field(..., ge=1, le=5)
    level: Literal[tuple(OcopLevel.values)] | None = Field(
        None, description="Empty: the province for 1–4 stars, the central level for 5"
    )
    score: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    decision_no: str = Field(..., min_length=1, max_length=100)
    decision_date: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")
    valid_until: datetime.date | None = Field(
        None, strict=False, description="YYYY-MM-DD; empty: 36 months from the decision"
    )


@products.get("/{id}/ocop", response={200: list[OcopOut], **ERRORS}, summary="A product's OCOP ratings")
def product_ocop(request, id: int = Id):
    product = get_object_or_404(registry_selectors.visible_products(request.user), pk=id)
    return list(product.ocop_ratings.all())


@products.post(
    "/{id}/ocop",
    response={201: OcopOut, **ERRORS},
    summary="Record a product's OCOP rating (officers of its place)",
)
def record_product_ocop(request, payload: OcopIn, id: int = Id):
    product = get_object_or_404(registry_selectors.visible_products(request.user), pk=id)
    rating = registry_services.record_ocop_rating(
        user=request.user, product=product, data=payload.model_dump()
    )
    return Status(201, rating)
