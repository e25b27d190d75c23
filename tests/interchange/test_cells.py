"""Cell parsers, and property tests: money in every accepted form parses to the same đồng."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.interchange import cells
from khuyencong.interchange.cells import CellError
from khuyencong.programme.models import STATUS_LABELS_VI


@pytest.mark.parametrize(
    "raw", ["4550000000", "4.550.000.000", "4,550,000,000", "4 550 000 000", 4550000000, 4550000000.0]
)
def test_money_forms(raw):
    assert cells.money(raw) == 4_550_000_000


@pytest.mark.parametrize("raw", ["4.550.000.000,5", "-4550", "bốn tỷ", 12.5, "1.000,000", "1,000.000"])
def test_money_errors(raw):
    with pytest.raises(CellError):
        cells.money(raw)


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from([".", ",", " "]))
def test_money_grouped_round_trip(amount, sep):
    grouped = f"{amount:,}".replace(",", sep)
    assert cells.money(grouped) == amount
    assert cells.money(str(amount)) == amount


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_decimal_marks(whole, frac):
    expected = Decimal(f"{whole}.{frac:02d}")
    assert cells.decimal(f"{whole},{frac:02d}") == expected == cells.decimal(f"{whole}.{frac:02d}")


def test_scores_bounded():
    assert cells.decimal("86,5", low=0, high=100) == Decimal("86.5")
    with pytest.raises(CellError):
        cells.decimal("101", low=0, high=100)


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("có", True),
        ("Không", False),
        ("x", True),
        ("1", True),
        ("0", False),
        ("yes", True),
        ("no", False),
        (1, True),
        (True, True),
    ],
)
def test_yes_no(raw, expected):
    assert cells.yes_no(raw) is expected


def test_dates():
    assert cells.date("05/09/2020") == dt.date(2020, 9, 5) == cells.date("2020-09-05")
    assert cells.date(dt.datetime(2020, 9, 5, 0, 0)) == dt.date(2020, 9, 5)
    with pytest.raises(CellError):
        cells.date("31/02/2020")


def test_years_and_counts():
    assert cells.year("2016") == 2016 and cells.count("1.759") == 1759
    for bad in ("16", "20 16", "abcd"):
        with pytest.raises(CellError):
            cells.year(bad)


@given(st.sampled_from(sorted(STATUS_LABELS_VI.items())))
def test_enums_by_code_or_label(item):
    code, label = item
    assert cells.choice(code, STATUS_LABELS_VI) == code
    assert cells.choice(label.upper(), STATUS_LABELS_VI) == code
    assert cells.choice(f"  {label}  ", STATUS_LABELS_VI) == code


def test_formula_guard_is_stripped_on_import():
    assert cells.text("'=SUM(A1)") == "=SUM(A1)"
    assert cells.text("'bình thường") == "'bình thường"
