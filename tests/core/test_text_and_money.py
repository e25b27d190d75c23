from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.money import MoneyError, format_billions, group_digits, parse_vnd
from khuyencong.core.text import fold, search_terms


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Khô mực", "kho muc"),
        ("Máy cho tôm ăn", "may cho tom an"),
        ("ĐẦM DƠI", "dam doi"),
        ("  Bánh   phồng ", "banh phong"),
    ],
)
def test_fold_drops_diacritics_and_case(text, expected):
    assert fold(text) == expected


def test_search_terms_split_folded_words():
    assert search_terms("Kho  MỰC") == ["kho", "muc"]


@pytest.mark.parametrize(
    "raw",
    [
        "4550000000",
        "4.550.000.000",
        "4,550,000,000",
        "4 550 000 000",
        4550000000,
        4550000000.0,
        Decimal("4550000000"),
    ],
)
def test_every_accepted_form_of_an_amount_parses_to_the_same_dong(raw):
    assert parse_vnd(raw) == 4_550_000_000


@pytest.mark.parametrize(
    "raw,reason",
    [("12,5", "fraction"), ("-100", "negative"), ("abc", "whole"), (0.5, "fraction"), ("", "empty")],
)
def test_bad_amounts_are_errors_with_a_reason_not_zero(raw, reason):
    with pytest.raises(MoneyError, match=reason):
        parse_vnd(raw)


@given(st.integers(min_value=0, max_value=10**15))
def test_grouped_amounts_round_trip(n):
    assert parse_vnd(group_digits(n)) == n
    assert parse_vnd(f"{n:,}") == n
    assert parse_vnd(f"{n:,}".replace(",", " ")) == n


def test_billions_are_shown_the_vietnamese_way():
    assert format_billions(19_510_000_000) == "19,51 tỷ đồng"
    assert format_billions(205_000_000_000) == "205 tỷ đồng"
    assert format_billions(700_000_000) == "700 triệu đồng"
    assert group_digits(1759) == "1.759"


def test_control_characters_never_reach_a_query():
    assert fold("kho\x00 muc") == "kho muc"


def test_a_null_character_in_the_query_is_a_clear_400(client):
    response = client.get("/api/v1/catalogue/products", {"q": "a\x00b"})
    assert response.status_code == 400 and "\\x00" in response.json()["detail"]
    assert client.get("/catalogue/", {"q": "a\x00b"}).status_code == 400


def test_a_null_character_in_a_json_body_is_a_clear_400(client):
    response = client.post(
        "/api/v1/establishments/", data='{"name": "a\\u0000b"}', content_type="application/json"
    )
    assert response.status_code == 400 and "\\x00" in response.json()["detail"]
