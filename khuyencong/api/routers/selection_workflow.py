"""The selection workflow through the API: every step the web pages offer, over the same services and predicates.

Rubrics (read), creating and running a round (registration, screening, council, assignment, scoring,
closing, results before approval, selection, approval, re-opening, decision and certificates,
nomination), a dossier's documents (multipart upload, list, download through `may_download`),
screening with its reason, conflict declarations, score sheets (draft and submit), visits, the
certificate PDF and its revocation. The services (`selection.services`) decide every rule and every
permission; this module only finds the record the user may read (a 404 otherwise) and shapes the answer.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import StrictBool

from khuyencong.accounts import permissions
from khuyencong.accounts.selectors import council_candidates
from khuyencong.api.common import ERRORS, MAX_INT, Input, PageParams, if_match, page_of, paginate, with_etag
from khuyencong.registry.models import ProductGroup
from khuyencong.selection import selectors, services, workflow
from khuyencong.selection.models import (
    Certificate,
    ConflictKind,
    CouncilMember,
    CouncilRole,
    DocumentKind,
    DossierDocument,
    Level,
    Round,
    RoundStatus,
    RubricVersion,
    Score,
)

from .selection import (
    CertificateOut,
    DossierOut,
    ResultOut,
    RoundDetailOut,
    RoundOut,
    certificates,
    dossiers,
    rounds,
)

rubrics = Router()

Id = Path(..., ge=1, le=MAX_INT)
AnyDate = Field(None, strict=False, description="YYYY-MM-DD")

PDF_RESPONSE = {
    200: {
        "description": "The PDF",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}
FILE_RESPONSE = {
    200: {
        "description": "The file as it was uploaded (PDF, PNG, JPEG, DOCX or XLSX)",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _round(request, id: int) -> Round:
    return get_object_or_404(selectors.visible_rounds(request.user), pk=id)


def _dossier(request, id: int):
    return get_object_or_404(
        selectors.visible_dossiers(request.user).select_related("round__rubric", "product__establishment"),
        pk=id,
    )


# --- rubrics ---------------------------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    group: str
    code: str
    title: str
    max_points: Decimal
    max_by_group: dict[str, Decimal] = Field(
        default_factory=dict, description="Maximum points per product group where it differs"
    )
    order: int


class RubricOut(Schema):
    id: int
    code: str
    name: str
    effective_from: datetime.date
    aggregation: str
    source: str
    max_total: Decimal
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_max_total(obj):
        return obj.max_total()

    @staticmethod
    def resolve_criteria(obj):
        return list(obj.criteria.all())


def _rubrics(request):
    permissions.require(permissions.reads_selection(request.user), _("You may not read the rubrics."))
    return RubricVersion.objects.prefetch_related("criteria").order_by("-effective_from", "code", "pk")


@rubrics.get(
    "/",
    response={200: page_of(RubricOut), **ERRORS},
    summary="Rubric versions (score sheets) a round may score with, newest first",
)
def list_rubrics(request, filters: Query[PageParams]):
    return paginate(_rubrics(request), filters)


@rubrics.get("/{id}", response={200: RubricOut, **ERRORS}, summary="A rubric version with its criteria")
def get_rubric(request, id: int = Id):
    return get_object_or_404(_rubrics(request), pk=id)


# --- rounds: creating, changing, reading the settings ------------------------------------------


Groups = list[Literal[tuple(ProductGroup.values)]]


class RoundIn(Input):
    code: str = Field(..., min_length=1, max_length=60)
    year: int = Field(..., ge=2000, le=2100)
    level: Literal[tuple(Level.values)]
    title: str = Field(..., min_length=1, max_length=300)
    province: int | None = Field(None, ge=1, le=MAX_INT, description="Province code (province rounds)")
    region: int | None = Field(None, ge=1, le=MAX_INT, description="Region id (region rounds)")
    legacy_province: int | None = Field(None, ge=1, le=MAX_INT)
    legacy_district: int | None = Field(None, ge=1, le=MAX_INT)
    is_historical: StrictBool = False
    rubric: int | None = Field(None, ge=1, le=MAX_INT, description="Rubric version id (GET /rubrics/)")
    product_groups: Groups = Field(
        default_factory=lambda: list(ProductGroup.values), description="Product groups admitted"
    )
    registration_opens: datetime.date | None = AnyDate
    registration_closes: datetime.date | None = AnyDate
    scoring_opens: datetime.date | None = AnyDate
    scoring_closes: datetime.date | None = AnyDate
    decision_due: datetime.date | None = AnyDate
    pass_mark: Decimal = Field(Decimal("70"), ge=0, le=100, max_digits=5, decimal_places=2, strict=False)
    quota: int | None = Field(None, ge=1, le=MAX_INT, description="Products certified at most")
    two_stage: StrictBool = False
    grades_prizes: StrictBool = False
    advance_prizes: str = Field("", max_length=20, description="Prizes going to the next level, e.g. A,B")
    certificate_validity_months: int = Field(36, ge=1, le=240, description="Validity from the decision date")
    min_sheets: int | None = Field(
        None,
        ge=1,
        le=50,
        description="Submitted sheets a dossier needs before scoring closes; null: no minimum",
    )
    appeal_days: int | None = Field(
        None, ge=1, le=365, description="Days to appeal after the results are published; null: no appeals"
    )
    outlier_threshold: Decimal = Field(
        Decimal("15"), gt=0, le=100, max_digits=5, decimal_places=2, strict=False, description="Points"
    )


class RoundPatch(Input):
    title: str = Field(None, min_length=1, max_length=300)
    rubric: int = Field(None, ge=1, le=MAX_INT)
    product_groups: Groups = None
    registration_opens: datetime.date | None = AnyDate
    registration_closes: datetime.date | None = AnyDate
    scoring_opens: datetime.date | None = AnyDate
    scoring_closes: datetime.date | None = AnyDate
    decision_due: datetime.date | None = AnyDate
    pass_mark: Decimal = Field(None, ge=0, le=100, max_digits=5, decimal_places=2, strict=False)
    quota: int | None = Field(None, ge=1, le=MAX_INT)
    two_stage: StrictBool = None
    grades_prizes: StrictBool = None
    advance_prizes: str = Field(None, max_length=20)
    certificate_validity_months: int = Field(None, ge=1, le=240)
    min_sheets: int | None = Field(None, ge=1, le=50)
    appeal_days: int | None = Field(None, ge=1, le=365)
    outlier_threshold: Decimal = Field(None, gt=0, le=100, max_digits=5, decimal_places=2, strict=False)


_ROUND_REFERENCES = {
    "province": ("geo", "Province"),
    "region": ("geo", "Region"),
    "legacy_province": ("geo", "LegacyProvince"),
    "legacy_district": ("geo", "LegacyDistrict"),
    "rubric": ("selection", "RubricVersion"),
}


def _round_data(payload: Input) -> dict:
    """The payload as the services take it (`province_id`, ...), every referenced record checked to exist."""
    from django.apps import apps

    data = payload.model_dump(exclude_unset=True)
    errors = {}
    messages = {
        "province": _("No province with code %(id)s."),
        "region": _("No region with id %(id)s."),
        "legacy_province": _("No former province with code %(id)s."),
        "legacy_district": _("No former district with code %(id)s."),
        "rubric": _("No rubric version with id %(id)s."),
    }
    for field, (app, model) in _ROUND_REFERENCES.items():
        if field not in data:
            continue
        value = data.pop(field)
        if value is not None and not apps.get_model(app, model).objects.filter(pk=value).exists():
            errors[field] = [messages[field] % {"id": value}]
        data[f"{field}_id"] = value
    if errors:
        raise ValidationError(errors)
    return data


@rounds.post(
    "/",
    response={201: RoundDetailOut, **ERRORS},
    summary="Create a round (province officers for their province; administrators any level)",
)
def create_round(request, payload: RoundIn):
    """The round starts as a draft (a historical round, results only, as decided); open registration next."""
    return Status(201, services.create_round(user=request.user, data=_round_data(payload)))


@rounds.patch(
    "/{id}", response={200: RoundDetailOut, **ERRORS}, summary="Change a round's settings before approval"
)
def update_round(request, response: HttpResponse, payload: RoundPatch, id: int = Id):
    """With `If-Match: <ETag>`, a change made by someone else since answers 409 (nothing saved)."""
    round_ = _round(request, id)
    data = _round_data(payload) | if_match(request)
    return with_etag(response, services.update_round(user=request.user, round_=round_, data=data))


class ActionOut(Schema):
    action: str
    label: str


@rounds.get(
    "/{id}/actions",
    response={200: list[ActionOut], **ERRORS},
    summary="The steps you may take on the round now (what the round page offers you)",
)
def round_actions(request, id: int = Id):
    round_ = _round(request, id)
    return [
        {"action": a, "label": str(workflow.ROUND_ACTION_LABELS[a])}
        for a in workflow.allowed_actions(request.user, round_)
    ]


# --- rounds: the steps of the life cycle -------------------------------------------------------


class ReasonIn(Input):
    reason: str = Field(..., max_length=2000)


class RetainIn(Input):
    retained: list[int] = Field(
        ..., max_length=10_000, description="Dossier ids retained for the final stage"
    )


def _step(func, summary: str, path: str):
    @rounds.post(path, response={200: RoundDetailOut, **ERRORS}, summary=summary, operation_id=func.__name__)
    def view(request, id: int = Id):
        return func(user=request.user, round_=_round(request, id))

    view.__name__ = func.__name__
    return view


_step(services.open_registration, "Open registration (officers running the round)", "/{id}/open-registration")
_step(services.close_registration, "Close registration: screening follows", "/{id}/close-registration")
_step(
    services.open_scoring,
    "Open scoring (the council formed, every submitted dossier screened); the members are told",
    "/{id}/open-scoring",
)
_step(services.close_scoring, "Close scoring: the results go to the council", "/{id}/close-scoring")
_step(services.approve_results, "Approve the results: scores and results locked", "/{id}/approve")


@rounds.post(
    "/{id}/reopen",
    response={200: RoundDetailOut, **ERRORS},
    summary="Re-open approved results for correction (the reason is recorded)",
)
def reopen_round(request, payload: ReasonIn, id: int = Id):
    return services.reopen_round(user=request.user, round_=_round(request, id), reason=payload.reason)


@rounds.post(
    "/{id}/start-final",
    response={200: RoundDetailOut, **ERRORS},
    summary="Two-stage rounds: keep the retained dossiers and score them again",
)
def start_final(request, payload: RetainIn, id: int = Id):
    return services.start_final_stage(
        user=request.user, round_=_round(request, id), retained_ids=payload.retained
    )


# --- council and assignment --------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(obj):
        return obj.get_full_name() or obj.username


class MemberOut(Schema):
    id: int
    user: PersonOut
    role: str
    scores_dossiers: bool
    assigned: list[int] = Field(..., description="Dossier ids assigned to the member")
    conflicts: list[int] = Field(..., description="Dossier ids the member declared a conflict on")

    @staticmethod
    def resolve_assigned(obj):
        return sorted(a.dossier_id for a in obj.assignments.all())

    @staticmethod
    def resolve_conflicts(obj):
        return sorted(c.dossier_id for c in obj.conflicts.all())


class MemberIn(Input):
    user: int = Field(..., ge=1, le=MAX_INT, description="The person's id (GET …/council/candidates)")
    role: Literal[tuple(CouncilRole.values)] = CouncilRole.MEMBER


class AssignIn(Input):
    group: Literal[("", *ProductGroup.values)] = Field("", description="Only this product group; empty: all")


class AssignedOut(Schema):
    assigned: int = Field(..., description="How many dossiers were newly assigned")
    member: MemberOut


def _council(round_):
    return round_.council.select_related("user").prefetch_related("assignments", "conflicts")


@rounds.get(
    "/{id}/council",
    response={200: list[MemberOut], **ERRORS},
    summary="The council (officers running the round, its chair and secretary)",
)
def list_council(request, id: int = Id):
    round_ = _round(request, id)
    permissions.require(
        permissions.can_follow_council(request.user, round_), _("You may not see this round's council.")
    )
    return list(_council(round_))


@rounds.get(
    "/{id}/council/candidates",
    response={200: list[PersonOut], **ERRORS},
    summary="People who may be seated on the council (officers running the round)",
)
def list_candidates(request, id: int = Id):
    round_ = _round(request, id)
    permissions.require(
        permissions.can_manage_round(request.user, round_),
        _("Only the officers running this round may do this."),
    )
    return list(council_candidates(round_).exclude(council_seats__round=round_).order_by("username"))


@rounds.post(
    "/{id}/council",
    response={201: MemberOut, **ERRORS},
    summary="Seat a person on the council as chair, member or secretary",
)
def add_member(request, payload: MemberIn, id: int = Id):
    round_ = _round(request, id)
    person = get_user_model().objects.filter(pk=payload.user, is_active=True).first()
    if person is None:
        raise ValidationError({"user": [_("No active person with id %(id)s.") % {"id": payload.user}]})
    member = services.add_council_member(
        user=request.user, round_=round_, member_user=person, role=payload.role
    )
    return Status(201, _council(round_).get(pk=member.pk))


@rounds.post(
    "/{id}/council/{member_id}/assign",
    response={200: AssignedOut, **ERRORS},
    summary="Assign a scoring member the round's dossiers (all, or one product group's)",
)
def assign(request, payload: AssignIn, id: int = Id, member_id: int = Path(..., ge=1, le=MAX_INT)):
    round_ = _round(request, id)
    member = get_object_or_404(CouncilMember, round=round_, pk=member_id)
    n = services.assign_dossiers(user=request.user, round_=round_, member=member, group=payload.group)
    return {"assigned": n, "member": _council(round_).get(pk=member.pk)}


class MemberProgressOut(Schema):
    member: int
    user: PersonOut
    assigned: int
    submitted: int
    drafts: int


class DossierProgressOut(Schema):
    dossier: int
    product_name: str
    expected: int
    submitted: int
    conflicts: int


class ScoringProgressOut(Schema):
    stage: str
    members: list[MemberProgressOut]
    dossiers: list[DossierProgressOut]


@rounds.get(
    "/{id}/progress",
    response={200: ScoringProgressOut, **ERRORS},
    summary="Sheets submitted per member and per dossier (counts only, never the points)",
)
def scoring_progress(request, id: int = Id):
    round_ = _round(request, id)
    permissions.require(
        permissions.can_follow_council(request.user, round_), _("You may not follow this round's scoring.")
    )
    data = selectors.progress(round_)
    return {
        "stage": round_.stage,
        "members": [
            {
                "member": row["member"].pk,
                "user": row["member"].user,
                "assigned": row["assigned"],
                "submitted": row["submitted"],
                "drafts": row["drafts"],
            }
            for row in data["members"]
        ],
        "dossiers": [
            {
                "dossier": row["dossier"].pk,
                "product_name": row["dossier"].product.name,
                "expected": row["expected"],
                "submitted": row["submitted"],
                "conflicts": row["conflicts"],
            }
            for row in data["dossiers"]
        ],
    }


# --- results before approval, the selection, the decision ---------------------------------------


class ResultRowOut(Schema):
    dossier: int
    product: int
    product_name: str
    establishment: int
    product_group: str
    totals: list[Decimal] = Field(..., description="The submitted sheets' totals")
    score: Decimal | None = Field(..., description="The mean of the members' totals (the legal result)")
    rank: int | None = Field(..., description="Rank within the product group")
    passed: bool = Field(..., description="Reached the pass mark")
    proposed: bool = Field(..., description="Proposed for certification (pass mark, then the quota)")
    tie: bool = Field(..., description="Tied at the quota's edge: the council decides")
    preliminary: Decimal | None = Field(None, description="Two-stage rounds: the preliminary score")
    selected: bool
    prize: str


class ResultsOut(Schema):
    round: int
    status: str
    stage: str
    pass_mark: Decimal
    quota: int | None
    rows: list[ResultRowOut]


def _results(round_: Round) -> dict:
    rows = selectors.result_rows(round_)
    return {
        "round": round_.pk,
        "status": round_.status,
        "stage": round_.stage,
        "pass_mark": round_.pass_mark,
        "quota": round_.quota,
        "rows": [
            {
                "dossier": r.dossier.pk,
                "product": r.dossier.product_id,
                "product_name": r.dossier.product.name,
                "establishment": r.dossier.establishment_id,
                "product_group": r.dossier.product.group,
                "totals": r.totals,
                "score": r.score,
                "rank": r.rank,
                "passed": r.passed,
                "proposed": r.proposed,
                "tie": r.tie,
                "preliminary": r.preliminary,
                "selected": r.dossier.selected,
                "prize": r.dossier.prize,
            }
            for r in rows
        ],
    }


def _results_round(request, id: int) -> Round:
    round_ = _round(request, id)
    permissions.require(
        selectors.may_see_results(request.user, round_), _("The results are not published yet.")
    )
    if round_.is_historical or round_.status not in (
        RoundStatus.REVIEW,
        RoundStatus.APPROVED,
        RoundStatus.DECIDED,
    ):
        raise ValidationError(
            _(
                "The results are computed from the council's sheets once scoring closes; "
                "recorded results are listed under /api/v1/results/?round=%(id)s."
            )
            % {"id": round_.pk}
        )
    return round_


@rounds.get(
    "/{id}/results",
    response={200: ResultsOut, **ERRORS},
    summary="Results from the sheets: mean, rank, pass mark, proposal (officers and council, once scoring closed)",
)
def round_results(request, id: int = Id):
    return _results(_results_round(request, id))


class ChoiceIn(Input):
    dossier: int = Field(..., ge=1, le=MAX_INT)
    selected: StrictBool
    prize: Literal["", "A", "B", "C"] = ""


class SelectionIn(Input):
    choices: list[ChoiceIn] = Field(..., max_length=10_000)


@rounds.put(
    "/{id}/selection",
    response={200: ResultsOut, **ERRORS},
    summary="Save the council's selection (and prizes) among those who passed",
)
def select(request, payload: SelectionIn, id: int = Id):
    round_ = _round(request, id)
    choices = {c.dossier: {"selected": c.selected, "prize": c.prize} for c in payload.choices}
    services.select_results(user=request.user, round_=round_, choices=choices)
    return _results(_round(request, id))


class DecisionIn(Input):
    decision_no: str = Field(..., max_length=100)
    decision_date: datetime.date = Field(..., strict=False, description="YYYY-MM-DD")
    signer: str = Field(..., max_length=200, description="Who signed the decision")


class DecisionOut(Schema):
    round: RoundDetailOut
    certificates: list[CertificateOut] = Field(..., description="The certificates issued by this decision")


@rounds.post(
    "/{id}/decision",
    response={200: DecisionOut, **ERRORS},
    summary="Record the people's committee's decision: certificates issued to those certified",
)
def record_decision(request, payload: DecisionIn, id: int = Id):
    round_ = _round(request, id)
    issued = services.record_decision(
        user=request.user,
        round_=round_,
        decision_no=payload.decision_no,
        decision_date=payload.decision_date,
        signer=payload.signer,
    )
    certs = Certificate.objects.filter(pk__in=[c.pk for c in issued]).select_related("result__round")
    return {"round": Round.objects.get(pk=round_.pk), "certificates": list(certs.order_by("number"))}


class HistoricalResultIn(Input):
    product: int = Field(..., ge=1, le=MAX_INT)
    score: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2, strict=False)
    certified: StrictBool = False
    prize: Literal["", "A", "B", "C"] = ""
    certificate_no: str = Field("", max_length=100)
    decision_no: str = Field("", max_length=100)
    decision_date: datetime.date | None = AnyDate


@rounds.post(
    "/{id}/historical-results",
    response={201: ResultOut, **ERRORS},
    summary="Record a result of a historical round (held before the system, no dossier)",
)
def historical_result(request, payload: HistoricalResultIn, id: int = Id):
    from khuyencong.registry.selectors import visible_products

    round_ = _round(request, id)
    permissions.require(  # before looking the product up: the service's own rule, said first
        permissions.can_manage_round(request.user, round_),
        _("Only the officers running this round may do this."),
    )
    product = visible_products(request.user).filter(pk=payload.product).first()
    if product is None:
        raise ValidationError({"product": [_("No product with id %(id)s.") % {"id": payload.product}]})
    data = payload.model_dump(exclude={"product"})
    return Status(
        201, services.record_historical_result(user=request.user, round_=round_, product=product, data=data)
    )


# --- nomination ----------------------------------------------------------------------------------


class NominableOut(Schema):
    targets: list[RoundOut] = Field(..., description="Open rounds of the next level")
    results: list[ResultOut] = Field(..., description="Certified results that go on (the round's prize rule)")
    nominated: list[int] = Field(..., description="Result ids already nominated")


@rounds.get(
    "/{id}/nominations",
    response={200: NominableOut, **ERRORS},
    summary="What the round's winners may be nominated to, and who may go (officers who ran it)",
)
def nominable(request, id: int = Id):
    round_ = _round(request, id)
    permissions.require(
        permissions.can_manage_round(request.user, round_),
        _("Only the officers who ran the round may nominate its winners."),
    )
    return {
        "targets": list(selectors.next_level_rounds(round_)),
        "results": list(selectors.nominable_results(round_).select_related("round")),
        "nominated": sorted(round_.results.filter(nominations__isnull=False).values_list("pk", flat=True)),
    }


class NominateIn(Input):
    target: int = Field(..., ge=1, le=MAX_INT, description="An open round of the next level")
    results: list[int] | None = Field(
        None, max_length=10_000, description="Result ids to nominate; omitted: every nominable result"
    )


@rounds.post(
    "/{id}/nominations",
    response={201: list[DossierOut], **ERRORS},
    summary="Nominate certified products to the next level's round, their dossiers carried over",
)
def nominate(request, payload: NominateIn, id: int = Id):
    round_ = _round(request, id)
    target = Round.objects.filter(pk=payload.target).first()
    if target is None:
        raise ValidationError({"target": [_("No round with id %(id)s.") % {"id": payload.target}]})
    return Status(
        201, services.nominate(user=request.user, source=round_, target=target, result_ids=payload.results)
    )


# --- dossiers: checks, documents, screening, conflicts, score sheets, visits ----------------------


class CheckOut(Schema):
    ok: bool
    message: str
    blocking: bool


@dossiers.get(
    "/{id}/checks",
    response={200: list[CheckOut], **ERRORS},
    summary="The regulation's checks on the dossier (place, group, certificate held, required documents)",
)
def dossier_checks(request, id: int = Id):
    dossier = _dossier(request, id)
    return selectors.eligibility(dossier.round, dossier.product, dossier)


class DocumentOut(Schema):
    id: int
    dossier: int = Field(..., alias="dossier_id")
    kind: str
    name: str = Field(..., alias="original_name")
    size: int
    content_type: str
    uploaded_at: datetime.datetime = Field(..., alias="created_at")
    download: str = Field(..., description="Where to download the file (with your token)")

    @staticmethod
    def resolve_download(obj):
        return f"/api/v1/dossiers/{obj.dossier_id}/documents/{obj.pk}"


@dossiers.get(
    "/{id}/documents",
    response={200: list[DocumentOut], **ERRORS},
    summary="The dossier's documents",
)
def list_documents(request, id: int = Id):
    return list(_dossier(request, id).documents.all())


@dossiers.post(
    "/{id}/documents",
    response={201: DocumentOut, **ERRORS},
    summary="Attach a document (multipart: kind, file) to a draft or returned dossier",
)
def add_document(
    request,
    id: int = Id,
    kind: Form[DocumentKind] = None,
    file: File[UploadedFile] = None,
):
    """`kind` is registration_form, photo, quality, licence or other; the registration form and a product photo
    are required before submitting. PDF, PNG, JPEG, DOCX or XLSX; the type is checked from the content."""
    dossier = _dossier(request, id)
    errors = {}
    if not kind:
        errors["kind"] = [_("Choose what the document is.")]
    if file is None:
        errors["file"] = [_("Choose a file to upload.")]
    if errors:
        raise ValidationError(errors)
    return Status(201, services.add_document(user=request.user, dossier=dossier, kind=kind, upload=file))


def _document(request, id: int, document_id: int) -> DossierDocument:
    dossier = _dossier(request, id)
    return get_object_or_404(dossier.documents, pk=document_id)


@dossiers.get(
    "/{id}/documents/{document_id}",
    response={**ERRORS},
    openapi_extra={"responses": FILE_RESPONSE},
    summary="Download a document (to those who may read the dossier)",
)
def download_document(request, id: int = Id, document_id: int = Path(..., ge=1, le=MAX_INT)):
    document = _document(request, id, document_id)
    if not permissions.may_download(request.user, document):
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=not document.opens_inline,
        filename=document.original_name,
        content_type=document.content_type or "application/octet-stream",
    )


@dossiers.delete(
    "/{id}/documents/{document_id}",
    response={204: None, **ERRORS},
    summary="Remove a document from a draft or returned dossier",
)
def remove_document(request, id: int = Id, document_id: int = Path(..., ge=1, le=MAX_INT)):
    services.remove_document(user=request.user, document=_document(request, id, document_id))
    return Status(204, None)


class ScreenIn(Input):
    decision: Literal["eligible", "returned", "rejected"]
    note: str = Field(
        "", max_length=2000, description="Why (required when returned or rejected: the establishment is told)"
    )


class ScreenedOut(DossierOut):
    screening_note: str


@dossiers.post(
    "/{id}/screen",
    response={200: ScreenedOut, **ERRORS},
    summary="Screen a submitted dossier: eligible, returned for completion or rejected (with the reason)",
)
def screen(request, payload: ScreenIn, id: int = Id):
    return services.screen_dossier(
        user=request.user, dossier=_dossier(request, id), decision=payload.decision, note=payload.note
    )


class ConflictIn(Input):
    kind: Literal[tuple(ConflictKind.values)] = Field(
        ..., description="hard: a direct interest (owner, family, employer); soft: an indirect tie"
    )
    reason: str = Field(..., max_length=300)
    member: int | None = Field(
        None, ge=1, le=MAX_INT, description="Officers recording it for a member: the council seat's id"
    )


class ConflictOut(Schema):
    id: int
    dossier: int = Field(..., alias="dossier_id")
    member: int = Field(..., alias="member_id")
    kind: str
    reason: str
    declared_at: datetime.datetime = Field(..., alias="created_at")


@dossiers.post(
    "/{id}/conflict",
    response={201: ConflictOut, **ERRORS},
    summary="Declare a conflict of interest: the member will not score the dossier",
)
def declare_conflict(request, payload: ConflictIn, id: int = Id):
    dossier = _dossier(request, id)
    member = None
    if payload.member is not None:
        member = CouncilMember.objects.filter(round=dossier.round, pk=payload.member).first()
        if member is None:
            raise ValidationError(
                {"member": [_("No seat with id %(id)s on this council.") % {"id": payload.member}]}
            )
    conflict = services.declare_conflict(
        user=request.user, dossier=dossier, reason=payload.reason, kind=payload.kind, member=member
    )
    return Status(201, conflict)


class SheetItemOut(Schema):
    criterion: int
    code: str
    title: str
    max_points: Decimal = Field(..., description="For this product's group")
    points: Decimal | None
    comment: str


class SheetOut(Schema):
    id: int | None
    dossier: int
    member: int
    member_name: str
    stage: str
    total: Decimal
    max_total: Decimal
    comment: str
    submitted_at: datetime.datetime | None
    items: list[SheetItemOut]


def _sheet_out(dossier, member, sheet: Score | None) -> dict:
    items = {i.criterion_id: i for i in sheet.items.all()} if sheet else {}
    group = dossier.product.group
    return {
        "id": sheet.pk if sheet else None,
        "dossier": dossier.pk,
        "member": member.pk,
        "member_name": member.user.get_full_name() or member.user.username,
        "stage": sheet.stage if sheet else dossier.round.stage,
        "total": sheet.total if sheet else Decimal("0"),
        "max_total": dossier.round.rubric.max_total(group),
        "comment": sheet.comment if sheet else "",
        "submitted_at": sheet.submitted_at if sheet else None,
        "items": [
            {
                "criterion": c.pk,
                "code": c.code,
                "title": c.title,
                "max_points": c.max_for(group),
                "points": items[c.pk].points if c.pk in items else None,
                "comment": items[c.pk].comment if c.pk in items else "",
            }
            for c in services.criteria_for(dossier)
        ],
    }


@dossiers.get(
    "/{id}/score",
    response={200: SheetOut, **ERRORS},
    summary="Your score sheet for the dossier (the criteria with their maxima; empty until you save)",
)
def my_sheet(request, id: int = Id):
    dossier = _dossier(request, id)
    member = services.scoring_seat(request.user, dossier)
    sheet = (
        Score.objects.filter(dossier=dossier, member=member, stage=dossier.round.stage)
        .prefetch_related("items")
        .first()
    )
    return _sheet_out(dossier, member, sheet)


Points = int | float | str


class SheetIn(Input):
    points: dict[str, Points] = Field(
        ...,
        max_length=200,
        description='Criterion id → points ("8,5", "8.5" or 8.5; at most two decimals, 0 to the maximum)',
    )
    comments: dict[str, str] = Field(
        default_factory=dict, max_length=200, description="Criterion id → comment"
    )
    comment: str = Field("", max_length=5000)
    submit: StrictBool = Field(
        False, description="true: submit and seal (every criterion scored); false: a draft"
    )


@dossiers.put(
    "/{id}/score",
    response={200: SheetOut, **ERRORS},
    summary="Save your score sheet as a draft, or submit it (sealed: it can no longer change)",
)
def save_sheet(request, payload: SheetIn, id: int = Id):
    dossier = _dossier(request, id)
    points = {k: (v if isinstance(v, str) else str(v)) for k, v in payload.points.items()}
    sheet = services.save_score(
        user=request.user,
        dossier=dossier,
        points=points,
        comments=payload.comments,
        comment=payload.comment,
        submit=payload.submit,
    )
    sheet = Score.objects.prefetch_related("items").select_related("member__user").get(pk=sheet.pk)
    return _sheet_out(dossier, sheet.member, sheet)


@dossiers.get(
    "/{id}/sheets",
    response={200: list[SheetOut], **ERRORS},
    summary="Score sheets you may read: your own; the others' submitted ones once scoring is closed",
)
def list_sheets(request, id: int = Id):
    dossier = _dossier(request, id)
    round_ = dossier.round
    permissions.require(
        bool(permissions.seat(request.user, round_)) or permissions.can_manage_round(request.user, round_),
        _("Only the council and the officers running the round read score sheets."),
    )
    return [_sheet_out(dossier, s.member, s) for s in selectors.visible_sheets(request.user, dossier)]


class VisitOut(Schema):
    id: int
    dossier: int = Field(..., alias="dossier_id")
    visited_on: datetime.date
    visitors: str
    findings: str
    has_file: bool

    @staticmethod
    def resolve_has_file(obj):
        return bool(obj.file)


@dossiers.post(
    "/{id}/visits",
    response={201: VisitOut, **ERRORS},
    summary="Record a visit to the establishment (final stage; multipart, an optional photo or document)",
)
def record_visit(
    request,
    id: int = Id,
    visited_on: Form[datetime.date] = None,
    visitors: Form[str] = "",
    findings: Form[str] = "",
    file: File[UploadedFile] = None,
):
    visit = services.record_visit(
        user=request.user,
        dossier=_dossier(request, id),
        visited_on=visited_on,
        visitors=visitors,
        findings=findings,
        upload=file,
    )
    return Status(201, visit)


# --- certificates: the PDF and revocation ----------------------------------------------------------


def _certificate(request, id: int) -> Certificate:
    cert = get_object_or_404(
        Certificate.objects.select_related("result__round", "result__product__establishment"), pk=id
    )
    if not selectors.may_read_certificate(request.user, cert):
        raise Http404
    return cert


@certificates.get(
    "/{id}/pdf",
    response={**ERRORS},
    openapi_extra={"responses": PDF_RESPONSE},
    summary="The certificate as a PDF (the digitally signed one once signed; with the QR code of its public "
    "verification page)",
)
def certificate_pdf(request, id: int = Id):
    from khuyencong.documents.layout import certificate_pdf as current_certificate_pdf

    cert = _certificate(request, id)
    response = HttpResponse(current_certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-chung-nhan-{cert.number}.pdf"'
    return response


@certificates.post(
    "/{id}/revoke",
    response={200: CertificateOut, **ERRORS},
    summary="Revoke a certificate (officers who ran the round), with the reason",
)
def revoke_certificate(request, payload: ReasonIn, id: int = Id):
    cert = _certificate(request, id)
    return services.revoke_certificate(user=request.user, certificate=cert, reason=payload.reason)


__all__ = ["rubrics", "PermissionDenied"]
