import pytest
from django.core.management import call_command

from khuyencong.api.models import ApiToken
from khuyencong.api.services import create_token, revoke_token
from tests.catalogue.factories import certified_product
from tests.factories import EstablishmentFactory, make_user

pytestmark = pytest.mark.django_db


def test_reads_need_a_token_and_errors_are_json(client):
    response = client.get("/api/v1/establishments/")
    assert response.status_code == 401
    assert "detail" in response.json()
    bad = client.get("/api/v1/establishments/", HTTP_AUTHORIZATION="Bearer kc_not-a-token")
    assert bad.status_code == 401


def test_lists_are_scoped_paginated_and_filtered(client, bearer):
    for _ in range(3):
        EstablishmentFactory(province_id=96)
    EstablishmentFactory(province_id=92, commune_id=None, name="Cơ sở Cần Thơ")
    headers = bearer(make_user("province_officer"))
    data = client.get("/api/v1/establishments/", {"limit": 2, "offset": 1}, **headers).json()
    assert data["total"] == 3 and data["limit"] == 2 and data["offset"] == 1 and len(data["items"]) == 2
    assert all(item["province"] == 96 for item in data["items"])
    assert client.get("/api/v1/establishments/", {"q": "can tho"}, **headers).json()["total"] == 0


def test_validation_errors_carry_field_messages(client, bearer):
    EstablishmentFactory(code="DUP-1")
    headers = bearer(make_user("province_officer"))
    response = client.post(
        "/api/v1/establishments/",
        {"code": "DUP-1", "name": "X", "kind": "household", "province": 96},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert "code" in response.json()["errors"]
    response = client.post(
        "/api/v1/establishments/", {"name": "X"}, content_type="application/json", **headers
    )
    assert response.status_code == 422
    assert "code" in response.json()["errors"]
    response = client.post(
        "/api/v1/establishments/",
        {"code": "T-1", "name": "X", "kind": "household", "province": 96, "tax_code": "123"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400 and "tax_code" in response.json()["errors"]


def test_selection_reads_are_scoped(client, bearer):
    product, cert = certified_product(name="Khô mực")
    certified_product(name="Ở Cần Thơ", establishment=EstablishmentFactory(province_id=92, commune_id=None))
    headers = bearer(make_user("province_officer"))
    results = client.get("/api/v1/results/", {"certified": True}, **headers).json()
    assert [r["product_name"] for r in results["items"]] == ["Khô mực"]
    certs = client.get("/api/v1/certificates/", {"number": cert.number}, **headers).json()
    assert certs["items"][0]["status"] == "valid" and certs["items"][0]["token"] == str(cert.token)
    rep = bearer(make_user("establishment", establishment=product.establishment))
    assert client.get("/api/v1/results/", **rep).json()["total"] == 1


def test_public_catalogue_and_verification_need_no_token(client):
    product, cert = certified_product(name="Bánh phồng tôm Năm Căn")
    response = client.get("/api/v1/catalogue/products", {"q": "banh phong tom"})
    assert "max-age=300" in response["Cache-Control"]
    data = response.json()
    assert data["total"] == 1 and data["items"][0]["establishment"]["place"]["province_code"] == 96
    assert data["items"][0]["level"] == "province" and data["items"][0]["year"] == 2024
    assert client.get(f"/api/v1/catalogue/products/{product.pk}").status_code == 200
    verified = client.get("/api/v1/catalogue/verify", {"key": str(cert.token)}).json()
    assert verified["status"] == "valid" and verified["product"] == "Bánh phồng tôm Năm Căn"
    missing = client.get("/api/v1/catalogue/verify", {"key": "nope"})
    assert missing.status_code == 404 and missing.json()["detail"]
    assert client.get("/api/v1/catalogue/summary").json()[0]["certified_products"] == 1


def test_openapi_and_offline_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/catalogue/verify" in schema["paths"] and "/api/v1/establishments/" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/api/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


def test_tokens_are_hashed_revocable_and_note_their_last_use(client):
    user = make_user("province_officer")
    token, raw = create_token(user=user, name="portal")
    assert raw not in token.key_hash and raw.startswith(token.prefix)
    assert client.get("/api/v1/places/provinces", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    revoke_token(user=user, token=token)
    assert client.get("/api/v1/places/provinces", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_inactive_users_tokens_do_not_work(client):
    user = make_user("province_officer")
    _token, raw = create_token(user=user, name="x")
    user.is_active = False
    user.save()
    assert client.get("/api/v1/places/provinces", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_token_page_creates_shows_once_and_revokes(client):
    user = make_user("viewer")
    client.force_login(user)
    response = client.post("/api/tokens/", {"name": "Cổng tỉnh"})
    body = response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert "kc_" in body and "Sao chép" in body
    assert "kc_" not in client.get("/api/tokens/").content.decode().replace(token.prefix, "")
    assert client.post("/api/tokens/", {"name": ""}).status_code == 200
    client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_else_cannot_revoke_my_token(client):
    token, _raw = create_token(user=make_user("viewer"), name="x")
    client.force_login(make_user("viewer"))
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 404


def test_management_command_prints_a_working_token(client, capsys):
    make_user("province_officer", username="sct")
    call_command("api_token", "sct", "--name", "cli")
    raw = capsys.readouterr().out.strip()
    assert client.get("/api/v1/places/provinces", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    call_command("api_token", "sct", "--revoke", raw[:10])
    assert client.get("/api/v1/places/provinces", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_list_endpoints_use_a_fixed_number_of_queries(client, bearer, django_assert_max_num_queries):
    for i in range(25):
        certified_product(name=f"Sản phẩm {i}")
    with django_assert_max_num_queries(3):
        data = client.get("/api/v1/catalogue/products", {"limit": 25}).json()
    assert data["total"] == 25 and len(data["items"]) == 25
    headers = bearer(make_user("province_officer"))
    with django_assert_max_num_queries(5):  # token, last-used note, count, page
        assert client.get("/api/v1/products/", {"limit": 25}, **headers).json()["total"] == 25
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/certificates/", {"limit": 25}, **headers).json()["total"] == 25


def test_unknown_query_parameters_are_refused(client):
    response = client.get("/api/v1/catalogue/products", {"provnce": 96})
    assert response.status_code == 422 and "provnce" in response.json()["errors"]
