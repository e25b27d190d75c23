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


def _resolution(client, h):
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
    return response.json()["id"]


def test_a_resolution_is_corrected_and_withdrawn_through_the_api_by_its_provinces_officers(client, bearer):
    from khuyencong.programme.models import Regulation

    h = bearer(make_user("province_officer", username="cm"))
    pk = _resolution(client, h)
    # only the fields sent change: the ceilings stay
    fixed = client.patch(f"/api/v1/rules/{pk}", {"title": "Mức hỗ trợ"}, content_type="application/json", **h)
    assert fixed.status_code == 200, fixed.content
    assert fixed.json()["title"] == "Mức hỗ trợ" and fixed.json()["ceilings"][0]["max_amount"] == 800_000_000
    etag = fixed["ETag"]
    changed = client.patch(
        f"/api/v1/rules/{pk}",
        {"ceilings": [{"activity": "cleaner", "max_share_percent": 30, "max_amount": 400000000}]},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **h,
    )
    assert changed.status_code == 200, changed.content
    assert [c["activity"] for c in changed.json()["ceilings"]] == ["cleaner"]
    stale = client.patch(
        f"/api/v1/rules/{pk}", {"notes": "x"}, content_type="application/json", HTTP_IF_MATCH=etag, **h
    )
    assert stale.status_code in (409, 412), stale.content
    bad = client.patch(
        f"/api/v1/rules/{pk}", {"effective_from": "2025-09-01"}, content_type="application/json", **h
    )
    assert bad.status_code == 400 and "ban hành" in bad.json()["detail"]
    other = bearer(make_user("province_officer", username="ct", province_id=92))
    refused = client.patch(f"/api/v1/rules/{pk}", {"title": "x"}, content_type="application/json", **other)
    assert refused.status_code == 403
    assert client.post(f"/api/v1/rules/{pk}/archive", **other).status_code == 403
    national = Regulation.objects.get(number="64/2024/TT-BTC").pk
    assert (
        client.patch(
            f"/api/v1/rules/{national}", {"title": "x"}, content_type="application/json", **h
        ).status_code
        == 404
    )
    withdrawn = client.post(f"/api/v1/rules/{pk}/archive", **h)
    assert withdrawn.status_code == 200 and withdrawn.json()["archived"] is True
