"""A province's nominations to a region round, sent as one batch with the people's committee's letter, and
the national organiser's screening of it — through selection.services and selectors, as the pages do."""

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field as InputField

from khuyencong.api.common import ERRORS, MAX_INT, Input, PageParams, if_match, page_of, paginate, with_etag
from khuyencong.selection import selectors, services
from khuyencong.selection.models import BatchStatus

router = Router()

Id = Path(..., ge=1, le=MAX_INT)


class NomineeOut(Schema):
    dossier: int
    product: int
    product_name: str
    establishment: int
    status: str
    score: str | None = None
    certified: bool | None = None


class BatchOut(Schema):
    id: int
    round: int = Field(..., alias="round_id")
    province: int = Field(..., alias="province_id")
    status: str
    letter_no: str
    letter_date: datetime.date | None
    letter_file: str | None = Field(None, description="Download address of the signed letter (PDF)")
    submitted_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    due_on: datetime.date | None = Field(
        None, description="Decision due by: the rule set's working days (30) from the complete submission"
    )
    screening_note: str

    @staticmethod
    def resolve_letter_file(obj):
        letter = obj.letter
        return f"/selection/batch-letters/{letter.pk}/" if letter else None


class BatchDetailOut(BatchOut):
    nominees: list[NomineeOut]

    @staticmethod
    def resolve_nominees(obj):
        return [
            {
                "dossier": row["dossier"].pk,
                "product": row["dossier"].product_id,
                "product_name": row["dossier"].product.name,
                "establishment": row["dossier"].establishment_id,
                "status": row["dossier"].status,
                "score": str(row["result"].score)
                if row["result"] and row["result"].score is not None
                else None,
                "certified": row["result"].certified if row["result"] else None,
            }
            for row in selectors.batch_progress(obj)
        ]


class BatchFilters(PageParams):
    round: int | None = Field(None, ge=0, le=MAX_INT)
    status: BatchStatus | None = None


class LetterIn(Input):
    letter_no: str | None = InputField(None, max_length=100)
    letter_date: datetime.date | None = InputField(None, strict=False, description="YYYY-MM-DD")


class ReturnIn(Input):
    note: str = InputField(..., max_length=2000, description="What is missing (told to the province)")


def _batch(request, id):
    return get_object_or_404(selectors.visible_batches(request.user), pk=id)


@router.get(
    "/", response={200: page_of(BatchOut), **ERRORS}, summary="Provinces' submissions to region rounds"
)
def list_batches(request, filters: Query[BatchFilters]):
    qs = selectors.visible_batches(request.user)
    if filters.round is not None:
        qs = qs.filter(round_id=filters.round)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs.order_by("round_id", "province_id", "pk"), filters)


@router.get(
    "/{id}", response={200: BatchDetailOut, **ERRORS}, summary="A submission with each nominee's progress"
)
def get_batch(request, response: HttpResponse, id: int = Id):
    return with_etag(response, _batch(request, id))


@router.patch(
    "/{id}", response={200: BatchOut, **ERRORS}, summary="Set the letter's number and date (province)"
)
def update_batch(request, response: HttpResponse, payload: LetterIn, id: int = Id):
    """With `If-Match: <ETag of your GET>`, a change made by someone else since answers 409 (nothing saved)."""
    data = payload.model_dump(exclude_unset=True) | if_match(request)
    return with_etag(response, services.update_batch(user=request.user, batch=_batch(request, id), data=data))


@router.post(
    "/{id}/letter", response={200: BatchOut, **ERRORS}, summary="Upload the signed letter (PDF, province)"
)
def upload_letter(request, id: int = Id, letter: File[UploadedFile] = None):
    if letter is None:
        raise ValidationError({"letter": [_("Attach the signed letter (PDF).")]})
    return services.update_batch(user=request.user, batch=_batch(request, id), data={}, letter=letter)


@router.post(
    "/{id}/submit", response={200: BatchOut, **ERRORS}, summary="Submit the batch with its letter (province)"
)
def submit_batch(request, id: int = Id):
    return services.submit_batch(user=request.user, batch=_batch(request, id))


@router.post(
    "/{id}/accept",
    response={200: BatchOut, **ERRORS},
    summary="Accept the submission as complete: the working days to the decision run (national organiser)",
)
def accept_batch(request, id: int = Id):
    return services.accept_batch(user=request.user, batch=_batch(request, id))


@router.post(
    "/{id}/return",
    response={200: BatchOut, **ERRORS},
    summary="Return the submission for completion (national organiser)",
)
def return_batch(request, payload: ReturnIn, id: int = Id):
    return services.return_batch(user=request.user, batch=_batch(request, id), note=payload.note)
