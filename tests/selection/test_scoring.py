"""Scoring arithmetic is exact and bounded: property tests over the pure functions."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.selection import scoring

points = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(
    st.lists(
        st.tuples(st.decimals(min_value=0, max_value=40, places=2), st.integers(0, 100)),
        min_size=1,
        max_size=14,
    )
)
def test_a_sheet_total_stays_within_zero_and_the_sum_of_maxima(items):
    maxima = [Decimal(40)] * len(items)
    values = [min(v, m) for (v, _), m in zip(items, maxima, strict=True)]
    total = scoring.sheet_total(values)
    assert Decimal(0) <= total <= sum(maxima)
    assert total == sum(values)


@given(st.lists(points, min_size=1, max_size=9), st.randoms())
def test_the_aggregate_does_not_depend_on_the_order_of_the_members(totals, rnd):
    shuffled = list(totals)
    rnd.shuffle(shuffled)
    assert scoring.aggregate(totals) == scoring.aggregate(shuffled)


@given(st.lists(points, min_size=1, max_size=9))
def test_the_mean_lies_between_the_lowest_and_highest_totals(totals):
    mean = scoring.aggregate(totals)
    assert min(totals) <= mean <= max(totals)
    assert mean == mean.quantize(Decimal("0.01"))


@settings(max_examples=50)
@given(points, points)
def test_out_of_bounds_is_exactly_outside_zero_to_max(value, maximum):
    assert scoring.out_of_bounds(value, maximum) == (value > maximum)
    assert scoring.out_of_bounds(-value - Decimal("0.01"), maximum)


def test_mean_is_exact_where_floats_are_not():
    assert scoring.aggregate([Decimal("70.1"), Decimal("70.2")]) == Decimal("70.15")
    assert scoring.aggregate([Decimal("80"), Decimal("85"), Decimal("90.5")]) == Decimal("85.17")
    assert scoring.aggregate([]) is None


@pytest.mark.parametrize(
    "typed,expected", [("8,5", Decimal("8.5")), (" 10 ", Decimal("10")), ("0.25", Decimal("0.25"))]
)
def test_points_accept_a_comma_or_a_dot(typed, expected):
    assert scoring.to_points(typed) == expected


@pytest.mark.parametrize("typed", ["", "abc", "1.234", "NaN", "Infinity"])
def test_points_refuse_what_is_not_a_number_of_points(typed):
    with pytest.raises(ValueError):
        scoring.to_points(typed)


@pytest.mark.django_db
def test_the_demo_rubric_sums_to_100_in_groups_40_40_10_10():
    from khuyencong.selection.demo import rubric

    version = rubric()
    assert version.max_total() == 100
    by_group = {}
    for c in version.criteria.all():
        by_group[c.group] = by_group.get(c.group, 0) + c.max_points
    assert by_group == {"a": 40, "b": 40, "c": 10, "d": 10}


@pytest.mark.django_db
@settings(max_examples=15, deadline=None)
@given(st.data())
def test_a_saved_sheet_total_is_the_exact_sum_and_never_exceeds_the_rubric(data):
    from khuyencong.selection import services
    from khuyencong.selection.models import Score

    from .factories import assign, make_dossier, make_round, seat

    round_ = make_round(status="scoring")
    dossier = make_dossier(round_, status="eligible", with_documents=False)
    member = seat(round_)
    assign(member, dossier)
    criteria = list(round_.rubric.criteria.all())
    points = {c.pk: data.draw(st.decimals(min_value=0, max_value=c.max_points, places=2)) for c in criteria}
    sheet = services.save_score(
        user=member.user, dossier=dossier, points={k: str(v) for k, v in points.items()}, submit=True
    )
    assert sheet.total == sum(points.values())
    assert Decimal(0) <= Score.objects.get(pk=sheet.pk).total <= round_.rubric.max_total()
