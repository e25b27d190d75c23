"""GET /api/v1/reports/summary: the programme summary as the interchange spec's JSON, scoped like the pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from . import selectors

router = Router(tags=["reports"])
# Query parameters the operation does not take (a typo such as "provnce=96") are refused with 422.
REJECT_UNKNOWN_QUERY = True
YEAR_MIN, YEAR_MAX = 1990, 2100  # as the summary page's form


class Place(Schema):
    province: str | None
    name: str


class Certified(Schema):
    district: int
    province: int
    region: int
    national: int


class Support(Schema):
    total: int
    national: int
    local: int


class Running(Schema):
    projects: int
    approved: int


class SummaryOut(Schema):
    place: Place
    from_year: int | None
    to_year: int | None
    rounds: int
    certified: Certified
    support: Support
    counterpart: int
    jobs: int
    running: Running


class SummaryQuery(Schema):
    province: str | None = Field(
        None, max_length=100, description="Today's or a former province: code or name"
    )
    from_: int | None = Field(None, alias="from", ge=YEAR_MIN, le=YEAR_MAX, description="First plan year")
    to: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX, description="Last plan year")


@router.get("/summary", response=SummaryOut, summary="Programme summary of a place and period")
def summary(request, query: Query[SummaryQuery]):
    """Figures as the spec defines them: settled projects' support (total, national, local), counterpart and
    jobs; running projects apart; the place's own rounds; distinct products certified per level.
    `province` is today's or a former province (code or name); without it, the user's scope (the country
    for the Ministry). `from`/`to` are plan years (1990–2100), `from` not after `to`; a wrong value is
    answered 422 (or 400 for an unknown province or a reversed period) with the field's message."""
    if query.from_ is not None and query.to is not None and query.from_ > query.to:
        raise ValidationError({"to": [_("The first year is after the last year.")]})
    try:
        place = selectors.allowed_place(getattr(request, "auth", None) or request.user, query.province)
    except selectors.PlaceNotFound as exc:
        raise ValidationError({"province": [str(exc)]}) from exc
    return selectors.summary(place, selectors.Period(query.from_, query.to))
