"""Factories for test data. Places come from the loaded reference data (Cà Mau 96, Cần Thơ 92)."""

import factory
import pytest
from django.contrib.auth import get_user_model

from khuyencong.core.demo import tax_code
from khuyencong.registry.models import Establishment, Product

TEST_PASSWORD = "pw-test-123"

__all__ = [
    "UserFactory",
    "EstablishmentFactory",
    "ProductFactory",
    "make_user",
    "TEST_PASSWORD",
    "officer",
    "commune_officer",
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    role = "viewer"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    code = factory.Sequence(lambda n: f"EST-{n:04d}")
    name = factory.Sequence(lambda n: f"Cơ sở sản xuất số {n}")
    kind = "household"
    tax_code = factory.Sequence(lambda n: tax_code(str(300000000 + n * 7)))
    province_id = 96
    commune_id = 32098


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    code = factory.Sequence(lambda n: f"PRD-{n:04d}")
    establishment = factory.SubFactory(EstablishmentFactory)
    name = factory.Sequence(lambda n: f"Sản phẩm {n}")
    group = "agro_processing"


def make_user(role: str, **kwargs):
    defaults = {
        "province_officer": {"province_id": 96},
        "commune_officer": {"province_id": 96, "commune_id": 32098},
        "judge": {"province_id": 96},
        "viewer": {},
        "admin": {"is_superuser": True, "is_staff": True},
    }.get(role, {})
    return UserFactory(role=role, **{**defaults, **kwargs})


@pytest.fixture
def officer(db):
    return make_user("province_officer", username="officer")


@pytest.fixture
def commune_officer(db):
    return make_user("commune_officer", username="communeofficer")
