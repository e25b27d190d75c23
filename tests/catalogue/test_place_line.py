"""The product page's place line does not repeat a commune the typed address already names."""

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
