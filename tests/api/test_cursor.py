"""Keyset pagination: `next_cursor` walks a list in its order, as offsets do, without OFFSET."""

import pytest

from tests.catalogue.factories import certified_product
from tests.factories import EstablishmentFactory, make_user

pytestmark = pytest.mark.django_db


def _walk(client, url, headers, limit=2):
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        body = client.get(url, params, **headers).json()
        seen += [item["id"] for item in body["items"]]
        cursor, pages = body["next_cursor"], pages + 1
        if not cursor or pages > 20:
            return seen, body["total"]


def test_establishments_by_cursor_are_the_pages_by_offset(client, bearer):
    for name in ["Cơ sở E", "Cơ sở A", "Cơ sở C", "Cơ sở B", "Cơ sở A", "Cơ sở D"]:
        EstablishmentFactory(name=name, province_id=96)
    headers = bearer(make_user("province_officer"))
    by_offset = [
        item["id"] for item in client.get("/api/v1/establishments/", {"limit": 50}, **headers).json()["items"]
    ]
    by_cursor, total = _walk(client, "/api/v1/establishments/", headers)
    assert by_cursor == by_offset and total == 6


def test_the_public_catalogue_by_cursor(client):
    for year in (2020, 2022, 2021, 2023, 2019):
        certified_product(name=f"Sản phẩm {year}", year=year)
    by_offset = [
        item["id"]
        for item in client.get("/api/v1/catalogue/products", {"limit": 50, "sort": "newest"}).json()["items"]
    ]
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "sort": "newest", **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/catalogue/products", params).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == by_offset and len(seen) == 5


def test_a_cursor_from_elsewhere_is_refused_with_a_message(client, bearer):
    headers = bearer(make_user("province_officer"))
    response = client.get("/api/v1/establishments/", {"cursor": "bm90LWEtY3Vyc29y"}, **headers)
    assert response.status_code in (400, 422)
    assert "cursor" in response.content.decode()
