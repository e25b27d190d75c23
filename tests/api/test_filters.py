"""One FilterSet per list: the page, the API and the selector filter the same way, accents optional."""

import pytest

from khuyencong.registry import selectors
from tests.factories import EstablishmentFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    officer = make_user("admin")
    wanted = EstablishmentFactory(name="Cơ sở Khô mực Năm Căn", kind="household", province_id=96)
    EstablishmentFactory(name="Hợp tác xã Khô mực Sông Đốc", kind="cooperative", province_id=96)
    EstablishmentFactory(name="Cơ sở Khô mực Cần Thơ", kind="household", province_id=92, commune_id=None)
    archived = EstablishmentFactory(name="Cơ sở Khô mực cũ", kind="household", province_id=96)
    archived.mark_archived(officer)
    archived.save()
    return officer, wanted, archived


def test_the_page_the_api_and_the_selector_give_the_same_establishments(client, bearer, places):
    officer, wanted, archived = places
    names = [
        e.name for e in selectors.establishment_list(officer, query="kho muc", kind="household", province=96)
    ]
    assert names == [wanted.name]
    client.force_login(officer)
    page = client.get("/registry/establishments/", {"q": "KHO MUC", "kind": "household", "province": 96})
    assert wanted.name in page.content.decode() and "Cần Thơ" not in page.content.decode()
    api = client.get(
        "/api/v1/establishments/", {"q": "khô mực", "kind": "household", "province": 96}, **bearer(officer)
    ).json()
    assert [item["name"] for item in api["items"]] == [wanted.name]
    archived_only = client.get("/api/v1/establishments/", {"archived": "true"}, **bearer(officer)).json()
    assert [item["name"] for item in archived_only["items"]] == [archived.name]
