"""A programme's progress: achieved against target per indicator and year, computed from the records with
the summary's own selectors (`reports.selectors`: settled projects of the plan year, distinct products
certified per level), never stored; and a projection to the period's end.

The projection is linear from the years elapsed: what was achieved from the first year to today, divided
by the years elapsed (whole years past plus the share of the current year gone by), times the years of
the period. Once the period is over, the projection is what was achieved.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.geo.selectors import PlaceFilter
from khuyencong.programme.target_models import MONEY_INDICATORS, Indicator, TargetProgramme

from . import selectors
from .selectors import Period

ZERO = Value(0, output_field=IntegerField())

# indicator → the summary's figure whose records it counts (the drill-down page /reports/rows/<figure>/)
FIGURE = {
    Indicator.PROJECTS: "support",
    Indicator.SUPPORT_NATIONAL: "support-national",
    Indicator.SUPPORT_LOCAL: "support-local",
    Indicator.COUNTERPART: "support",
    Indicator.ESTABLISHMENTS: "support",
    Indicator.CERTIFIED_PROVINCE: "certified-province",
    Indicator.CERTIFIED_REGION: "certified-region",
    Indicator.CERTIFIED_NATIONAL: "certified-national",
    Indicator.JOBS: "support",
    Indicator.TRAINEES: "support",
    Indicator.MACHINES: "support",
}
_PROJECT_SUMS = {
    Indicator.SUPPORT_NATIONAL: ("support_settled", "national"),
    Indicator.SUPPORT_LOCAL: ("support_settled", "local"),
    Indicator.COUNTERPART: ("counterpart", None),
    Indicator.JOBS: ("jobs", None),
    Indicator.TRAINEES: ("trainees", None),
    Indicator.MACHINES: ("machines", None),
}
_LEVEL = {
    Indicator.CERTIFIED_PROVINCE: "province",
    Indicator.CERTIFIED_REGION: "region",
    Indicator.CERTIFIED_NATIONAL: "national",
}


def place_of(programme: TargetProgramme) -> PlaceFilter:
    """The national programme counts the whole country; a province's programme its province."""
    return PlaceFilter(province=programme.province) if programme.province_id else PlaceFilter()


def achieved(indicator: str, place: PlaceFilter, period: Period) -> int:
    """One indicator over one period, from the records (the same rows the summary counts)."""
    if indicator in _LEVEL:
        return (
            selectors.certified_results(place, period, _LEVEL[indicator])
            .order_by()
            .aggregate(n=Count("product_id", distinct=True))["n"]
        )
    if indicator == Indicator.PROJECTS:
        return selectors.settled_projects(place, period).count()
    if indicator == Indicator.ESTABLISHMENTS:
        return (
            selectors.settled_projects(place, period)
            .filter(establishment__isnull=False)
            .order_by()
            .aggregate(n=Count("establishment_id", distinct=True))["n"]
        )
    column, programme = _PROJECT_SUMS[indicator]
    return selectors.settled_projects(place, period, programme).aggregate(n=Coalesce(Sum(column), ZERO))["n"]


def elapsed_years(programme: TargetProgramme, today: datetime.date) -> Decimal:
    """Years of the period gone by on `today`: whole years past plus the share of the current year."""
    if today.year < programme.start_year:
        return Decimal(0)
    if today.year > programme.end_year:
        return Decimal(len(programme.years))
    start_of_year = datetime.date(today.year, 1, 1)
    days_in_year = (datetime.date(today.year + 1, 1, 1) - start_of_year).days
    share = Decimal((today - start_of_year).days + 1) / Decimal(days_in_year)
    return Decimal(today.year - programme.start_year) + share


def projection(achieved_to_date: int, elapsed: Decimal, total_years: int) -> int | None:
    """Linear from the years elapsed; None before the period starts."""
    if elapsed <= 0:
        return None
    if elapsed >= total_years:
        return achieved_to_date
    value = Decimal(achieved_to_date) * Decimal(total_years) / elapsed
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def share(numerator: int | None, target: int | None) -> Decimal | None:
    if numerator is None or not target:
        return None
    return (Decimal(100) * Decimal(numerator) / Decimal(target)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass
class YearCell:
    year: int
    target: int | None
    achieved: int | None  # None for a year not begun
    share: Decimal | None
    figure: str


@dataclass
class IndicatorRow:
    indicator: str
    label: str
    money: bool
    years: list[YearCell] = field(default_factory=list)
    period_target: int | None = None
    period_target_from_years: bool = False
    achieved_to_date: int = 0
    share_to_date: Decimal | None = None
    projection: int | None = None
    projected_share: Decimal | None = None
    on_track: bool | None = None
    figure: str = ""


@dataclass
class Progress:
    programme: TargetProgramme
    place: PlaceFilter
    today: datetime.date
    elapsed: Decimal
    rows: list[IndicatorRow]
    method: str


def progress(programme: TargetProgramme, today: datetime.date | None = None) -> Progress:
    """Every indicator the programme has a target for: per year target and achieved, the period's target,
    achieved to date, the projection to the period's end and whether it reaches the target."""
    today = today or timezone.localdate()
    place = place_of(programme)
    targets = {(t.indicator, t.year): t.value for t in programme.targets.all()}
    indicators = [i for i in Indicator.values if any(key[0] == i for key in targets)]
    elapsed = elapsed_years(programme, today)
    last_year = min(today.year, programme.end_year)
    rows = []
    for indicator in indicators:
        row = IndicatorRow(
            indicator=indicator,
            label=str(Indicator(indicator).label),
            money=indicator in MONEY_INDICATORS,
            figure=FIGURE[indicator],
        )
        for year in programme.years:
            value = achieved(indicator, place, Period(year, year)) if year <= last_year else None
            target = targets.get((indicator, year))
            row.years.append(YearCell(year, target, value, share(value, target), FIGURE[indicator]))
        yearly = [c.target for c in row.years if c.target is not None]
        if (indicator, None) in targets:
            row.period_target = targets[(indicator, None)]
        elif yearly:
            row.period_target, row.period_target_from_years = sum(yearly), True
        if last_year >= programme.start_year:
            row.achieved_to_date = achieved(indicator, place, Period(programme.start_year, last_year))
        row.share_to_date = share(row.achieved_to_date, row.period_target)
        row.projection = projection(row.achieved_to_date, elapsed, len(programme.years))
        row.projected_share = share(row.projection, row.period_target)
        if row.projection is not None and row.period_target is not None:
            row.on_track = row.projection >= row.period_target
        rows.append(row)
    method = _(
        "Projection: linear from the years elapsed — achieved from %(start)s to today, divided by the years "
        "elapsed (%(elapsed)s of %(years)s, the current year counted by the share of its days gone by), "
        "times %(years)s. Achieved figures are computed from the records as the programme summary counts "
        "them: settled projects by plan year, products certified per level counted once."
    ) % {
        "start": programme.start_year,
        "elapsed": str(elapsed.quantize(Decimal("0.01"))).replace(".", ","),
        "years": len(programme.years),
    }
    return Progress(programme=programme, place=place, today=today, elapsed=elapsed, rows=rows, method=method)
