"""The grouped selectors give the figures of the per-record definitions (on a synthetic dataset)."""

import pytest
from django.utils import timezone

from khuyencong.core import synth
from khuyencong.geo.models import Province
from khuyencong.geo.selectors import PlaceFilter
from khuyencong.programme.models import RUNNING_STATUSES, Project
from khuyencong.registry.models import Establishment
from khuyencong.reports import selectors
from khuyencong.reports.selectors import Period
from khuyencong.selection.models import LEVEL_ORDER, Result

pytestmark = pytest.mark.django_db


def _outcomes_one_by_one(place, period):
    """The definition, establishment by establishment."""
    counts = {"supported": 0, "unsupported": 0, **{f"{k}_{lv}": 0 for k in "su" for lv in LEVEL_ORDER}}
    for e in Establishment.objects.filter(place.q(), archived_at__isnull=True):
        years = list(
            Project.objects.filter(
                period.q("year"),
                establishment=e,
                archived_at__isnull=True,
                status__in=("settled", *RUNNING_STATUSES),
            ).values_list("year", flat=True)
        )
        certified = list(
            Result.objects.filter(product__establishment=e, certified=True).values_list(
                "round__level", "round__year"
            )
        )
        if years:
            counts["supported"] += 1
            for level in LEVEL_ORDER:
                counts[f"s_{level}"] += any(lv == level and y >= min(years) for lv, y in certified)
        else:
            counts["unsupported"] += 1
            for level in LEVEL_ORDER:
                counts[f"u_{level}"] += any(lv == level for lv, _y in certified)
    return counts


@pytest.fixture
def dataset():
    synth.build(scale="tiny", seed=3)
    # what the synthetic set leaves out and the reports treat apart: priority flags (one, two or three on an
    # establishment) and archived establishments
    ids = list(Establishment.objects.order_by("pk").values_list("pk", flat=True))
    Establishment.objects.filter(pk__in=ids[::5]).update(women_owned=True)
    Establishment.objects.filter(pk__in=ids[::7]).update(ethnic_minority_owned=True)
    Establishment.objects.filter(pk__in=ids[::11]).update(disadvantaged_commune=True)
    Establishment.objects.filter(pk__in=ids[3::13]).update(archived_at=timezone.now())


@pytest.mark.parametrize("period", [Period(None, None), Period(2018, 2022), Period(2024, None)])
def test_establishment_outcomes_match_the_definition(dataset, period):
    for place in (PlaceFilter(), PlaceFilter(province=Province.objects.get(code=1))):
        assert selectors.establishment_outcomes(place, period) == _outcomes_one_by_one(place, period)


def test_summary_by_province_is_the_summary_of_each_province(dataset):
    period = Period(2017, 2024)
    rows = {r["place"]["province"]: r for r in selectors.summary_by_province(period)}
    assert len(rows) == 34
    for province in Province.objects.all():
        assert rows[str(province.code)] == selectors.summary(PlaceFilter(province=province), period)
    assert (
        sum(r["support"]["total"] for r in rows.values())
        == selectors.summary(PlaceFilter(), period)["support"]["total"]
    )


PLACES_AND_PERIODS = [
    (place_code, period)
    for place_code in (None, 1)
    for period in (Period(None, None), Period(2018, 2022), Period(2024, None))
]


def _place(code):
    return PlaceFilter(province=Province.objects.get(code=code)) if code else PlaceFilter()


@pytest.mark.parametrize(("place_code", "period"), PLACES_AND_PERIODS)
def test_the_money_breakdowns_in_one_pass_equal_each_breakdown(dataset, place_code, period):
    place = _place(place_code)
    one_pass = selectors.money_breakdowns(place, period)
    assert one_pass["by_year"] == selectors.by_year(place, period)
    assert one_pass["by_activity"] == selectors.by_activity(place, period)
    assert one_pass["by_programme"] == selectors.by_programme(place, period)
    assert one_pass["by_priority"] == selectors.by_priority(place, period)
    assert one_pass["by_beneficiary"] == selectors.by_beneficiary(place, period)
    assert one_pass["by_year"], "the dataset settles projects in every period tested"
    if place_code is None:
        assert all(row["projects"] for row in one_pass["by_priority"]), "every priority row is exercised"


@pytest.mark.parametrize(("place_code", "period"), PLACES_AND_PERIODS)
def test_the_certification_breakdowns_in_one_pass_equal_each_breakdown(dataset, place_code, period):
    place = _place(place_code)
    one_pass = selectors.certification_breakdowns(place, period)
    assert one_pass["by_group"] == selectors.certified_by_group(place, period)
    assert one_pass["by_round"] == selectors.certified_by_round(place, period)
    assert one_pass["recertified"] == selectors.recertified(place, period)
