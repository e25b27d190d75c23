import datetime

import pytest
from django.utils import timezone

from tests.catalogue.factories import ResultFactory, RoundFactory, certified_product
from tests.factories import EstablishmentFactory, ProductFactory, make_user

pytestmark = pytest.mark.django_db


def test_a_buyer_finds_a_product_typing_without_accents(client):
    certified_product(name="Bánh phồng tôm Năm Căn")
    certified_product(name="Khô mực câu Sông Đốc")
    response = client.get("/catalogue/", {"q": "banh phong tom"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bánh phồng tôm Năm Căn" in body
    assert "Khô mực câu" not in body
    assert "1 sản phẩm" in body


def test_only_certified_products_are_listed(client):
    certified_product(name="Tôm khô Đầm Dơi")
    ProductFactory(name="Chưa được chứng nhận")
    ResultFactory(product=ProductFactory(name="Không đạt"), certified=False)
    body = client.get("/catalogue/").content.decode()
    assert "Tôm khô Đầm Dơi" in body
    assert "Chưa được chứng nhận" not in body
    assert "Không đạt" not in body


def test_the_highest_level_is_shown(client):
    product, _ = certified_product(name="Muối tôm", level="province", year=2024)
    ResultFactory(product=product, round=RoundFactory(level="region", year=2025, province_id=None))
    body = client.get("/catalogue/").content.decode()
    assert "Cấp khu vực 2025" in body


def test_filters_by_province_group_level_and_year(client):
    certified_product(name="Sản phẩm Cà Mau")
    certified_product(
        name="Sản phẩm Cần Thơ", establishment=EstablishmentFactory(province_id=92, commune_id=None)
    )
    certified_product(name="Giỏ lác", group="handicraft", year=2023)
    body = client.get("/catalogue/", {"province": 92}).content.decode()
    assert "Sản phẩm Cần Thơ" in body and "Sản phẩm Cà Mau" not in body
    body = client.get("/catalogue/", {"group": "handicraft"}).content.decode()
    assert "Giỏ lác" in body and "Sản phẩm Cà Mau" not in body
    body = client.get("/catalogue/", {"year": 2023}).content.decode()
    assert "Giỏ lác" in body and "Sản phẩm Cà Mau" not in body
    body = client.get("/catalogue/", {"level": "national"}).content.decode()
    assert "Không có sản phẩm" in body


def test_list_page_is_public_cacheable_and_uses_few_queries(client, django_assert_max_num_queries):
    for i in range(30):
        certified_product(name=f"Sản phẩm {i}")
    with django_assert_max_num_queries(6):
        response = client.get("/catalogue/", {"sort": "newest"})
    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert response.content.decode().count('class="card h-100') == 24


def test_product_page_shows_contacts_markets_share_link_and_certificate(
    client, django_assert_max_num_queries
):
    est = EstablishmentFactory(phone="0290 3877 111", markets="Siêu thị Co.opmart")
    product, cert = certified_product(name="Bánh phồng tôm Năm Căn", establishment=est)
    with django_assert_max_num_queries(4):
        response = client.get(f"/catalogue/{product.pk}/")
    body = response.content.decode()
    assert "0290 3877 111" in body and "Siêu thị Co.opmart" in body
    assert f"http://testserver/catalogue/{product.pk}/" in body
    assert f"/verify/{cert.token}" in body
    assert "max-age=300" in response["Cache-Control"]


def test_uncertified_product_page_is_not_found(client):
    product = ProductFactory()
    assert client.get(f"/catalogue/{product.pk}/").status_code == 404


@pytest.mark.parametrize("by", ["token", "number", "number_lower"])
def test_verification_by_token_or_number_says_valid(client, by):
    product, cert = certified_product(name="Khô mực", number="GCN-12/2024")
    key = {"token": str(cert.token), "number": cert.number, "number_lower": "gcn-12/2024"}[by]
    response = client.get(f"/verify/{key}/".replace("/2024/", "%2F2024/"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Còn hiệu lực" in body and "Khô mực" in body and "Cấp tỉnh" in body
    assert cert.result.decision_no in body


def test_verification_without_trailing_slash(client):
    _, cert = certified_product()
    assert client.get(f"/verify/{cert.token}").status_code == 200


def test_expired_and_revoked_certificates(client):
    _, expired = certified_product(name="A")
    expired.valid_until = datetime.date(2020, 1, 1)
    expired.save()
    _, revoked = certified_product(name="B")
    revoked.revoked_at = timezone.now()
    revoked.revoked_reason = "Vi phạm an toàn thực phẩm"
    revoked.save()
    assert "Hết hiệu lực" in client.get(f"/verify/{expired.token}/").content.decode()
    body = client.get(f"/verify/{revoked.token}/").content.decode()
    assert "Đã bị thu hồi" in body and "Vi phạm an toàn thực phẩm" in body


def test_unknown_certificate_is_not_genuine_with_404(client):
    certified_product()
    response = client.get("/verify/GCN-9999-FAKE/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_verification_shows_nothing_beyond_the_certificate(client):
    est = EstablishmentFactory(phone="0999 888 777", tax_code=None)
    product, cert = certified_product(establishment=est)
    cert.result.score = "87.35"
    cert.result.save()
    body = client.get(f"/verify/{cert.token}/").content.decode()
    assert "0999 888 777" not in body
    assert "87.35" not in body and "87,35" not in body  # the score is not on the certificate


@pytest.mark.parametrize("typed", ["45%2FGCN-2019", "45%2Fgcn-2019"])
def test_historical_certificate_number_is_on_record(client, typed):
    ResultFactory(product=ProductFactory(name="Khô cá"), certificate_no="45/GCN-2019")
    body = client.get(f"/verify/{typed}/").content.decode()
    assert "Khô cá" in body


def test_exports_csv_and_json(client):
    certified_product(name="Bánh phồng tôm Năm Căn")
    response = client.get("/catalogue/export.csv", {"q": "banh phong"})
    text = response.getvalue().decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Bánh phồng tôm Năm Căn" in text and text.startswith("code,name,group")
    data = client.get("/catalogue/export.json").json()
    assert data["count"] == 1 and data["products"][0]["level"] == "province"
    summary = client.get("/catalogue/summary.json").json()
    assert summary["rows"][0]["certified_products"] == 1
    assert "certified_products" in client.get("/catalogue/summary.csv").getvalue().decode("utf-8-sig")


def test_the_representative_sees_edit_links_on_their_product_page(client):
    product, _ = certified_product()
    rep = make_user("establishment", establishment=product.establishment)
    client.force_login(rep)
    response = client.get(f"/catalogue/{product.pk}/")
    body = response.content.decode()
    assert f"/registry/establishments/{product.establishment.pk}/edit/" in body
    assert "private" in response["Cache-Control"]
    assert client.get("/catalogue/my-profile/").status_code == 200


def test_other_people_do_not_see_edit_links_and_my_profile_is_for_reps(client):
    product, _ = certified_product()
    other = make_user("establishment", establishment=EstablishmentFactory())
    client.force_login(other)
    assert "/edit/" not in client.get(f"/catalogue/{product.pk}/").content.decode()
    client.force_login(make_user("viewer"))
    assert client.get("/catalogue/my-profile/").status_code == 403


def test_verification_page_uses_few_queries(client, django_assert_max_num_queries):
    _, cert = certified_product()
    with django_assert_max_num_queries(3):
        assert client.get(f"/verify/{cert.token}").status_code == 200


def test_registry_pages_say_whether_the_product_is_public(client):
    product, _ = certified_product(name="Muối tôm")
    rep = make_user("establishment", establishment=product.establishment)
    client.force_login(rep)
    body = client.get(f"/registry/products/{product.pk}/").content.decode()
    assert f"/catalogue/{product.pk}/" in body
    body = client.get(f"/registry/establishments/{product.establishment.pk}/").content.decode()
    assert "/catalogue/my-profile/" in body
    other = ProductFactory(establishment=product.establishment)
    assert (
        "Chưa có trong danh mục công khai" in client.get(f"/registry/products/{other.pk}/").content.decode()
    )


def test_open_data_counts_leave_out_revoked_certificates_and_archived_products(client):
    certified_product(name="Khô mực")
    _product, revoked = certified_product(name="Tôm khô")
    revoked.revoked_at = timezone.now()
    revoked.save()
    archived, _cert = certified_product(name="Muối tôm")
    archived.archived_at = timezone.now()
    archived.save(update_fields=["archived_at"])
    rows = client.get("/catalogue/summary.json").json()["rows"]
    assert sum(r["certified_products"] for r in rows) == 1
