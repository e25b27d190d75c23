"""The product page: its place line, and products whose certificate was revoked."""

import pytest

from khuyencong.geo.models import Commune
from tests.catalogue.factories import certified_product
from tests.factories import EstablishmentFactory

pytestmark = pytest.mark.django_db


def test_the_place_line_names_the_commune_once(client):
    commune = Commune.objects.get(pk=32098)
    est = EstablishmentFactory(address=f"Ấp Cơ Khí, {commune.name.lower()}", commune=commune, province_id=96)
    product, _ = certified_product(name="Mực một nắng Sông Đốc", establishment=est)
    body = client.get(f"/catalogue/{product.pk}/").content.decode()
    assert f"Ấp Cơ Khí, {commune.name.lower()}, Cà Mau" in body
    assert f"{commune.name.lower()}, {commune.name}" not in body


def test_the_place_line_adds_the_commune_when_the_address_does_not_name_it(client):
    commune = Commune.objects.get(pk=32098)
    est = EstablishmentFactory(address="Ấp 1", commune=commune, province_id=96)
    product, _ = certified_product(name="Tôm khô", establishment=est)
    body = client.get(f"/catalogue/{product.pk}/").content.decode()
    assert f"Ấp 1, {commune.name}, Cà Mau" in body


def test_a_revoked_certificate_no_longer_advertises_the_product(client):
    from django.utils import timezone

    product, cert = certified_product(name="Mắm tôm chua Đầm Dơi")
    assert "Mắm tôm chua Đầm Dơi" in client.get("/catalogue/", {"q": "mam tom chua"}).content.decode()
    cert.revoked_at = timezone.now()
    cert.revoked_reason = "Vi phạm an toàn thực phẩm"
    cert.save()
    body = client.get("/catalogue/", {"q": "mam tom chua"}).content.decode()
    assert "Mắm tôm chua Đầm Dơi" not in body
    assert client.get(f"/catalogue/{product.pk}/").status_code == 404
    assert "Đã bị thu hồi" in client.get(f"/verify/{cert.number}").content.decode()
