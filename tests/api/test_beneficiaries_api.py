"""The API over craft villages, artisans and the rules: the same services as the pages."""

import pytest

from khuyencong.registry.models import CraftVillage
from tests.factories import EstablishmentFactory, make_user

pytestmark = pytest.mark.django_db


def test_an_officer_records_and_reads_a_craft_village_and_an_artisan(client, bearer):
    h = bearer(make_user("province_officer", username="cm"))
    est = EstablishmentFactory()
    response = client.post(
        "/api/v1/craft-villages/",
        {
            "code": "LN-API",
            "name": "Làng nghề mộc",
            "trade": "Mộc",
            "recognition_no": "9/QĐ-UBND",
            "recognition_date": "2018-04-02",
            "households": 80,
            "province": 96,
            "establishments": [est.pk],
        },
        content_type="application/json",
        **h,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["establishments"] == [est.pk] and body["recognition_no"] == "9/QĐ-UBND"
    village = CraftVillage.objects.get(code="LN-API")
    response = client.post(
        "/api/v1/artisans/",
        {
            "code": "NN-API",
            "name": "Lê Văn Mộc",
            "title": "folk",
            "title_year": 2015,
            "trade": "Mộc",
            "province": 96,
            "craft_village": village.pk,
        },
        content_type="application/json",
        **h,
    )
    assert response.status_code == 201, response.content
    listing = client.get("/api/v1/artisans/", {"title": "folk"}, **h).json()
    assert [a["code"] for a in listing["items"]] == ["NN-API"]
    found = client.get("/api/v1/craft-villages/", {"q": "lang nghe moc"}, **h).json()["items"]
    assert [v["code"] for v in found] == ["LN-API"]


def test_the_api_refuses_a_viewer_and_other_provinces(client, bearer):
    h = bearer(make_user("viewer", username="v"))
    response = client.post(
        "/api/v1/craft-villages/",
        {
            "code": "LN-X",
            "name": "X",
            "trade": "X",
            "recognition_no": "1",
            "recognition_date": "2018-04-02",
            "households": 1,
            "province": 96,
        },
        content_type="application/json",
        **h,
    )
    assert response.status_code == 403


def test_the_rules_endpoint_lists_the_national_documents_and_records_a_resolution(client, bearer):
    h = bearer(make_user("province_officer", username="cm"))
    numbers = {r["number"] for r in client.get("/api/v1/rules/", **h).json()}
    assert {"28/2018/TT-BTC", "64/2024/TT-BTC"} <= numbers
    response = client.post(
        "/api/v1/rules/",
        {
            "province": 96,
            "number": "15/2025/NQ-HĐND",
            "issued_on": "2025-09-20",
            "effective_from": "2025-10-01",
            "ceilings": [{"activity": "demo_model", "max_share_percent": 30, "max_amount": 800000000}],
        },
        content_type="application/json",
        **h,
    )
    assert response.status_code == 201, response.content
    assert response.json()["ceilings"][0]["max_amount"] == 800_000_000
    assert "HĐND" in response.json()["citation"]
