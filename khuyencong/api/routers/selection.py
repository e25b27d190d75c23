"""Selection rounds, results and certificates (read), through selection.selectors' scoping."""

import datetime
import uuid
from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from khuyencong.api.common import ERRORS, MAX_INT, Input, PageParams, if_match, page_of, paginate, with_etag
from khuyencong.selection import selectors, services
from khuyencong.selection.models import Certificate, Level

rounds = Router()
results = Router()
certificates = Router()

Id = Path(..., ge=1, le=MAX_INT)


class RoundOut(Schema):
    id: int
    code: str
    year: int
    level: str
    title: str
    status: str | None = None
    province: int | None = Field(None, alias="province_id")
    legacy_province: int | None = Field(None, alias="legacy_province_id")
    legacy_district: int | None = Field(None, alias="legacy_district_id")
    region: str | None = Field(None, alias="region.code")
    is_historical: bool


class RoundDetailOut(RoundOut):
    rubric: int | None = Field(None, alias="rubric_id")
    product_groups: list[str]
    registration_opens: datetime.date | None
    registration_closes: datetime.date | None
    scoring_opens: datetime.date | None
    scoring_closes: datetime.date | None
    decision_due: datetime.date | None
    pass_mark: Decimal
    quota: int | None
    two_stage: bool
    stage: str
    grades_prizes: bool
    advance_prizes: str
    certificate_validity_months: int
    min_sheets: int | None
    appeal_days: int | None
    outlier_threshold: Decimal
    scores_locked: bool
    decision_no: str
    decision_date: datetime.date | None
    decision_signer: str


class RoundFilters(PageParams):
    year: int | None = Field(None, ge=0, le=9999)
    level: Level | None = None
    province: int | None = Field(None, ge=0, le=MAX_INT)


@rounds.get("/", response={200: page_of(RoundOut), **ERRORS}, summary="Selection rounds you may see")
def list_rounds(request, filters: Query[RoundFilters]):
    qs = selectors.visible_rounds(request.user)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.province is not None:
        qs = qs.filter(province_id=filters.province)
    return paginate(qs.order_by("-year", "level", "code", "pk"), filters)


@rounds.get("/{id}", response={200: RoundDetailOut, **ERRORS}, summary="A round with all its settings")
def get_round(request, response: HttpResponse, id: int = Id):
    """The `ETag` header is the round's version: send it back as `If-Match` when you PATCH."""
    return with_etag(response, get_object_or_404(selectors.visible_rounds(request.user), pk=id))


class ResultOut(Schema):
    id: int
    round: int = Field(..., alias="round_id")
    round_year: int = Field(..., alias="round.year")
    round_level: str = Field(..., alias="round.level")
    product: int = Field(..., alias="product_id")
    product_name: str = Field(..., alias="product.name")
    establishment: int = Field(..., alias="product.establishment_id")
    score: Decimal | None
    certified: bool
    prize: str
    certificate_no: str
    decision_no: str
    decision_date: datetime.date | None


class ResultFilters(PageParams):
    round: int | None = Field(None, ge=0, le=MAX_INT)
    product: int | None = Field(None, ge=0, le=MAX_INT)
    year: int | None = Field(None, ge=0, le=9999)
    level: Level | None = None
    certified: bool | None = None


@results.get("/", response={200: page_of(ResultOut), **ERRORS}, summary="Results of products you may see")
def list_results(request, filters: Query[ResultFilters]):
    qs = selectors.visible_results(request.user)
    for field in ("round", "product", "certified"):
        value = getattr(filters, field)
        if value is not None:
            qs = qs.filter(**{field: value})
    if filters.year is not None:
        qs = qs.filter(round__year=filters.year)
    if filters.level:
        qs = qs.filter(round__level=filters.level)
    return paginate(qs.order_by("-round__year", "round_id", "pk"), filters)


@results.get("/{id}", response={200: ResultOut, **ERRORS})
def get_result(request, id: int = Id):
    return get_object_or_404(selectors.visible_results(request.user), pk=id)


class CertificateOut(Schema):
    id: int
    number: str
    token: uuid.UUID
    result: int = Field(..., alias="result_id")
    product: int = Field(..., alias="result.product_id")
    level: str = Field(..., alias="result.round.level")
    year: int = Field(..., alias="result.round.year")
    issued_on: datetime.date
    valid_until: datetime.date | None
    signer: str
    revoked_at: datetime.datetime | None
    revoked_reason: str
    status: str

    @staticmethod
    def resolve_status(obj):
        from khuyencong.catalogue.selectors import certificate_status

        return certificate_status(obj)


class CertificateFilters(PageParams):
    number: str = Field("", max_length=100)
    product: int | None = Field(None, ge=0, le=MAX_INT)
    year: int | None = Field(None, ge=0, le=9999)


def _visible_certificates(user):
    return Certificate.objects.filter(result__in=selectors.visible_results(user).values("pk")).select_related(
        "result", "result__round"
    )


@certificates.get(
    "/", response={200: page_of(CertificateOut), **ERRORS}, summary="Certificates of products you may see"
)
def list_certificates(request, filters: Query[CertificateFilters]):
    qs = _visible_certificates(request.user)
    if filters.number:
        qs = qs.filter(number__iexact=filters.number.strip())
    if filters.product is not None:
        qs = qs.filter(result__product_id=filters.product)
    if filters.year is not None:
        qs = qs.filter(result__round__year=filters.year)
    return paginate(qs.order_by("-issued_on", "number", "pk"), filters)


@certificates.get("/{id}", response={200: CertificateOut, **ERRORS})
def get_certificate(request, id: int = Id):
    return get_object_or_404(_visible_certificates(request.user), pk=id)


# --- dossiers: what establishments (and officers for them) do, through selection.services ---

dossiers = Router()


class DossierOut(Schema):
    id: int
    round: int = Field(..., alias="round_id")
    product: int = Field(..., alias="product_id")
    establishment: int = Field(..., alias="establishment_id")
    status: str
    summary: str
    annual_revenue: int | None
    annual_output: str
    markets: str
    workers: int | None
    submitted_at: datetime.datetime | None


class DossierIn(Input):
    round: int = Field(..., ge=1, le=MAX_INT)
    product: int = Field(..., ge=1, le=MAX_INT)
    summary: str = Field(..., description="What the product is, how it is made, what makes it typical")
    annual_revenue: int | None = Field(None, ge=0, le=10**15, description="VND")
    annual_output: str = Field("", max_length=200)
    markets: str = ""
    workers: int | None = Field(None, ge=0, le=MAX_INT)


class DossierPatch(Input):
    summary: str = None
    annual_revenue: int | None = Field(None, ge=0, le=10**15)
    annual_output: str = Field(None, max_length=200)
    markets: str = None
    workers: int | None = Field(None, ge=0, le=MAX_INT)


class DossierFilters(PageParams):
    round: int | None = Field(None, ge=0, le=MAX_INT)
    status: str = Field("", max_length=20)
    to_score: bool = Field(
        False, description="Only the dossiers waiting for your score sheet (council members, scoring open)"
    )


@dossiers.get("/", response={200: page_of(DossierOut), **ERRORS}, summary="Dossiers you may see")
def list_dossiers(request, filters: Query[DossierFilters]):
    qs = (
        selectors.dossiers_to_score(request.user)
        if filters.to_score
        else selectors.visible_dossiers(request.user)
    )
    if filters.round is not None:
        qs = qs.filter(round_id=filters.round)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs.order_by("-pk"), filters)


@dossiers.get("/{id}", response={200: DossierOut, **ERRORS})
def get_dossier(request, response: HttpResponse, id: int = Id):
    """The `ETag` header is the record's version: send it back as `If-Match` when you PATCH."""
    return with_etag(response, get_object_or_404(selectors.visible_dossiers(request.user), pk=id))


@dossiers.post(
    "/", response={201: DossierOut, **ERRORS}, summary="Register a product in a round (a draft dossier)"
)
def create_dossier(request, payload: DossierIn):
    from khuyencong.registry.selectors import visible_products

    round_ = get_object_or_404(selectors.visible_rounds(request.user), pk=payload.round)
    product = get_object_or_404(visible_products(request.user), pk=payload.product)
    data = payload.model_dump(exclude={"round", "product"})
    return Status(201, services.create_dossier(user=request.user, round_=round_, product=product, data=data))


@dossiers.patch("/{id}", response={200: DossierOut, **ERRORS}, summary="Change a draft or returned dossier")
def update_dossier(request, response: HttpResponse, payload: DossierPatch, id: int = Id):
    """With `If-Match: <ETag of your GET>`, a change made by someone else since answers 409 (nothing saved)."""
    dossier = get_object_or_404(selectors.visible_dossiers(request.user), pk=id)
    data = payload.model_dump(exclude_unset=True) | if_match(request)
    return with_etag(response, services.update_dossier(user=request.user, dossier=dossier, data=data))


@dossiers.post("/{id}/submit", response={200: DossierOut, **ERRORS}, summary="Submit a dossier for screening")
def submit_dossier(request, id: int = Id):
    dossier = get_object_or_404(selectors.visible_dossiers(request.user), pk=id)
    return services.submit_dossier(user=request.user, dossier=dossier)
