import pytest

from khuyencong.geo.models import Commune, LegacyDistrict, LegacyProvince, Province, Region
from khuyencong.geo.selectors import resolve_commune, resolve_legacy_district, resolve_place, resolve_province
from khuyencong.geo.services import load_places

pytestmark = pytest.mark.django_db


def test_places_after_the_2025_reform_are_loaded_from_the_package():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert Commune.objects.filter(province_id=96).count() == 64


def test_former_units_map_to_todays_province():
    assert LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == 696  # as vietnam-provinces 0.6.0 carries them
    assert LegacyProvince.objects.get(code=95).successor_id == 96
    assert LegacyProvince.objects.get(code=94).successor_id == 92
    assert LegacyDistrict.objects.filter(legacy_province_id=96).count() == 9
    assert LegacyDistrict.objects.filter(legacy_province_id=95).count() == 7


def test_every_province_is_in_one_region():
    assert Region.objects.count() == 3
    assert not Province.objects.filter(region__isnull=True).exists()


def test_loading_again_changes_nothing():
    before = (Province.objects.count(), Commune.objects.count(), LegacyDistrict.objects.count())
    load_places()
    assert (Province.objects.count(), Commune.objects.count(), LegacyDistrict.objects.count()) == before


@pytest.mark.parametrize("value", ["96", 96, "Cà Mau", "Tỉnh Cà Mau", "ca mau", "tinh ca mau"])
def test_a_province_resolves_by_code_or_name(value):
    assert resolve_province(value).code == 96


def test_a_former_province_filters_its_own_records_alone():
    place = resolve_place("Bạc Liêu")
    assert place.legacy_province.code == 95 and place.province is None
    assert resolve_place("95").legacy_province.code == 95
    assert resolve_place("96").province.code == 96
    assert resolve_place("Atlantis") is None


def test_commune_names_resolve_within_the_province():
    ca_mau = Province.objects.get(code=96)
    assert resolve_commune("Sông Đốc", ca_mau).code == 32098
    assert resolve_commune("xa song doc", ca_mau).code == 32098
    assert resolve_commune("32098", ca_mau).code == 32098
    assert resolve_commune("Ninh Kiều", ca_mau) is None


def test_abolished_districts_resolve_in_historical_rows():
    ca_mau = Province.objects.get(code=96)
    assert resolve_legacy_district("Huyện Thới Bình", province=ca_mau).code == 967
    assert resolve_legacy_district("thoi binh", province=ca_mau).code == 967


def test_the_places_page_lists_regions_and_former_provinces(client):
    from tests.factories import TEST_PASSWORD, make_user

    make_user("province_officer", username="geo")
    client.login(username="geo", password=TEST_PASSWORD)
    body = client.get("/places/").content.decode()
    assert "Miền Nam" in body and "Bạc Liêu (95, 7 huyện)" in body
    body = client.get("/places/96/", {"q": "song doc"}).content.decode()
    assert "Xã Sông Đốc" in body and "Huyện Thới Bình" in body


def test_the_data_migration_loads_the_places_into_an_empty_schema():
    """What `khuyencong migrate` does on a new database: the places come with the schema (run here on emptied
    tables through the historical models the migration sees)."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    for model in (Region, Commune, LegacyDistrict, LegacyProvince, Province):
        model.objects.all().delete()
    historical = MigrationLoader(connection).project_state(("geo", "0001_initial")).apps
    importlib.import_module("khuyencong.geo.migrations.0002_load_places").load(historical, None)
    assert Province.objects.count() == 34 and Commune.objects.count() == 3321
    assert LegacyProvince.objects.count() == 63 and LegacyDistrict.objects.count() == 696
    assert not Province.objects.filter(region__isnull=True).exists()
    assert resolve_commune("xa song doc", Province.objects.get(code=96)).code == 32098
    assert resolve_province("tinh ca mau").code == 96
    assert resolve_legacy_district("thoi binh", province=Province.objects.get(code=96)).code == 967
