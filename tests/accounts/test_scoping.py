import pytest

from khuyencong.registry.selectors import visible_establishments, visible_products
from tests.factories import EstablishmentFactory, ProductFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    return {
        "songdoc": EstablishmentFactory(name="Sông Đốc", province_id=96, commune_id=32098),
        "damdoi": EstablishmentFactory(name="Đầm Dơi", province_id=96, commune_id=32152),
        "cantho": EstablishmentFactory(name="Ninh Kiều", province_id=92, commune_id=31135),
    }


def names(qs):
    return sorted(e.name for e in qs)


def test_a_province_officer_sees_their_province(places):
    assert names(visible_establishments(make_user("province_officer", province_id=96))) == [
        "Sông Đốc",
        "Đầm Dơi",
    ]


def test_a_commune_officer_sees_their_commune(places):
    assert names(visible_establishments(make_user("commune_officer"))) == ["Sông Đốc"]


def test_an_establishment_sees_its_own(places):
    rep = make_user("establishment", establishment=places["damdoi"])
    assert names(visible_establishments(rep)) == ["Đầm Dơi"]
    ProductFactory(establishment=places["songdoc"])
    mine = ProductFactory(establishment=places["damdoi"])
    assert list(visible_products(rep)) == [mine]


def test_a_judge_sees_no_registry_records(places):
    assert not visible_establishments(make_user("judge")).exists()


def test_the_ministry_viewer_sees_the_whole_country(places):
    assert visible_establishments(make_user("viewer")).count() == 3


def test_a_region_viewer_sees_their_region(places):
    from khuyencong.geo.models import Region

    south = Region.objects.get(code="south")
    assert visible_establishments(make_user("viewer", region=south)).count() == 3
    north = Region.objects.get(code="north")
    assert visible_establishments(make_user("viewer", region=north)).count() == 0


def test_anonymous_sees_nothing(places):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_establishments(AnonymousUser()).exists()


def test_the_national_organiser_sees_the_whole_country(places):
    assert visible_establishments(make_user("national_organiser")).count() == 3
