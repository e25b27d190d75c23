"""Every write endpoint for every role: the API applies the registry services' rules, nothing else."""

import io

import pytest
from PIL import Image

from khuyencong.registry.models import Establishment, Product
from tests.factories import EstablishmentFactory, ProductFactory, make_user

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "admin",
    "province_officer",
    "other_province_officer",
    "commune_officer",
    "judge",
    "own_rep",
    "other_rep",
    "viewer",
]


@pytest.fixture
def world():
    establishment = EstablishmentFactory(province_id=96, commune_id=32098)
    product = ProductFactory(establishment=establishment)
    return {"establishment": establishment, "product": product}


def user_for(who, world):
    if who == "anonymous":
        return None
    if who == "other_province_officer":
        return make_user("province_officer", province_id=92)
    if who == "own_rep":
        return make_user("establishment", establishment=world["establishment"])
    if who == "other_rep":
        return make_user("establishment", establishment=EstablishmentFactory())
    return make_user(who)


def call(client, bearer, role, world, method, url, **kwargs):
    user = user_for(role, world)
    headers = bearer(user) if user else {}
    return getattr(client, method)(url, **kwargs, **headers)


def png_bytes():
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buf, format="PNG")
    buf.seek(0)
    buf.name = "p.png"
    return buf


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 401),
        ("admin", 201),
        ("province_officer", 201),
        ("other_province_officer", 403),
        ("commune_officer", 201),
        ("judge", 403),
        ("own_rep", 403),
        ("other_rep", 403),
        ("viewer", 403),
    ],
)
def test_create_establishment(client, bearer, world, role, expected):
    payload = {"code": "NEW-1", "name": "Cơ sở Mới", "kind": "household", "province": 96, "commune": 32098}
    response = call(
        client,
        bearer,
        role,
        world,
        "post",
        "/api/v1/establishments/",
        data=payload,
        content_type="application/json",
    )
    assert response.status_code == expected, response.content
    assert Establishment.objects.filter(code="NEW-1").exists() == (expected == 201)


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 401),
        ("admin", 200),
        ("province_officer", 200),
        ("other_province_officer", 404),
        ("commune_officer", 200),
        ("judge", 404),
        ("own_rep", 200),
        ("other_rep", 404),
        ("viewer", 403),
    ],
)
def test_update_establishment(client, bearer, world, role, expected):
    est = world["establishment"]
    response = call(
        client,
        bearer,
        role,
        world,
        "patch",
        f"/api/v1/establishments/{est.pk}",
        data={"phone": "0911 000 111"},
        content_type="application/json",
    )
    assert response.status_code == expected, response.content
    est.refresh_from_db()
    assert (est.phone == "0911 000 111") == (expected == 200)


def test_a_representative_cannot_change_certified_facts(client, bearer, world):
    est = world["establishment"]
    old_name = est.name
    response = call(
        client,
        bearer,
        "own_rep",
        world,
        "patch",
        f"/api/v1/establishments/{est.pk}",
        data={"name": "Tên khác", "markets": "Co.opmart"},
        content_type="application/json",
    )
    assert response.status_code == 200
    est.refresh_from_db()
    assert est.name == old_name and est.markets == "Co.opmart"


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 401),
        ("admin", 200),
        ("province_officer", 200),
        ("other_province_officer", 404),
        ("commune_officer", 200),
        ("judge", 404),
        ("own_rep", 403),
        ("other_rep", 404),
        ("viewer", 403),
    ],
)
def test_archive_establishment(client, bearer, world, role, expected):
    est = world["establishment"]
    response = call(client, bearer, role, world, "post", f"/api/v1/establishments/{est.pk}/archive")
    assert response.status_code == expected, response.content
    est.refresh_from_db()
    assert est.is_archived == (expected == 200)


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 401),
        ("admin", 201),
        ("province_officer", 201),
        ("other_province_officer", 403),
        ("commune_officer", 201),
        ("judge", 403),
        ("own_rep", 201),
        ("other_rep", 403),
        ("viewer", 403),
    ],
)
def test_create_product(client, bearer, world, role, expected):
    payload = {
        "code": "SP-NEW",
        "establishment": world["establishment"].pk,
        "name": "Khô cá lóc",
        "group": "agro_processing",
    }
    response = call(
        client,
        bearer,
        role,
        world,
        "post",
        "/api/v1/products/",
        data=payload,
        content_type="application/json",
    )
    assert response.status_code == expected, response.content
    assert Product.objects.filter(code="SP-NEW").exists() == (expected == 201)


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 401),
        ("admin", 200),
        ("province_officer", 200),
        ("other_province_officer", 404),
        ("commune_officer", 200),
        ("judge", 404),
        ("own_rep", 200),
        ("other_rep", 404),
        ("viewer", 403),
    ],
)
def test_update_product(client, bearer, world, role, expected):
    product = world["product"]
    response = call(
        client,
        bearer,
        role,
        world,
        "patch",
        f"/api/v1/products/{product.pk}",
        data={"description": "Mô tả mới"},
        content_type="application/json",
    )
    assert response.status_code == expected, response.content
    product.refresh_from_db()
    assert (product.description == "Mô tả mới") == (expected == 200)


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 401),
        ("admin", 200),
        ("province_officer", 200),
        ("other_province_officer", 404),
        ("commune_officer", 200),
        ("judge", 404),
        ("own_rep", 403),
        ("other_rep", 404),
        ("viewer", 403),
    ],
)
def test_archive_product(client, bearer, world, role, expected):
    product = world["product"]
    response = call(client, bearer, role, world, "post", f"/api/v1/products/{product.pk}/archive")
    assert response.status_code == expected, response.content
    product.refresh_from_db()
    assert product.is_archived == (expected == 200)


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 401),
        ("admin", 201),
        ("province_officer", 201),
        ("other_province_officer", 404),
        ("commune_officer", 201),
        ("judge", 404),
        ("own_rep", 201),
        ("other_rep", 404),
        ("viewer", 403),
    ],
)
def test_add_product_photo(client, bearer, world, role, expected):
    product = world["product"]
    response = call(
        client,
        bearer,
        role,
        world,
        "post",
        f"/api/v1/products/{product.pk}/photos",
        data={"image": png_bytes(), "caption": "Mặt trước"},
    )
    assert response.status_code == expected, response.content
    assert product.photos.exists() == (expected == 201)
    if expected == 201:
        assert response.json()["thumbnail"]


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 401),
        ("admin", 200),
        ("province_officer", 200),
        ("other_province_officer", 404),
        ("commune_officer", 200),
        ("judge", 404),
        ("own_rep", 200),
        ("other_rep", 404),
        ("viewer", 403),
    ],
)
def test_replace_main_photo(client, bearer, world, role, expected):
    from django.test.client import encode_multipart

    product = world["product"]
    body = encode_multipart("BoUnDaRy", {"image": png_bytes()})
    response = call(
        client,
        bearer,
        role,
        world,
        "post",
        f"/api/v1/products/{product.pk}/photo",
        data=body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )
    assert response.status_code == expected, response.content
    product.refresh_from_db()
    assert bool(product.thumbnail) == (expected == 200)
