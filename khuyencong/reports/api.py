"""GET /api/v1/reports/summary: the programme summary as the interchange spec's JSON, scoped like the pages."""

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from . import selectors

router = Router(tags=["reports"])


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


@router.get("/summary", response=SummaryOut, summary="Programme summary of a place and period")
def summary(request, province: str | None = None, from_: int | None = Query(None, alias="from"), to: int | None = None):
    """Figures as the spec defines them: settled projects' support (total, national, local), counterpart and
    jobs; running projects apart; the place's own rounds; distinct products certified per level.
    `province` is today's or a former province (code or name); without it, the user's scope (the country
    for the Ministry)."""
    try:
        place = selectors.allowed_place(getattr(request, "auth", None) or request.user, province)
    except selectors.PlaceNotFound as exc:
        raise HttpError(404, str(exc)) from exc
    return selectors.summary(place, selectors.Period(from_, to))
