"""Who sets a programme's targets and who reads them (accounts.permissions)."""

import pytest

from khuyencong.accounts import permissions
from tests.factories import EstablishmentFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role,kwargs,national,ca_mau",
    [
        ("admin", {}, True, True),
        ("national_organiser", {}, True, False),
        ("province_officer", {"province_id": 96}, False, True),
        ("province_officer", {"province_id": 92}, False, False),
        ("commune_officer", {"province_id": 96, "commune_id": 32098}, False, False),
        ("viewer", {}, False, False),
        ("judge", {"province_id": 96}, False, False),
    ],
)
def test_who_sets_targets(role, kwargs, national, ca_mau):
    user = make_user(role, **kwargs)
    assert permissions.can_manage_programme_targets(user, None) is national
    assert permissions.can_manage_programme_targets(user, 96) is ca_mau


def test_who_reads_targets():
    readers = [make_user(r) for r in ("admin", "national_organiser", "province_officer", "viewer")]
    readers.append(make_user("commune_officer"))
    assert all(permissions.reads_programme_targets(u) for u in readers)
    others = [make_user("judge"), make_user("establishment", establishment=EstablishmentFactory())]
    assert not any(permissions.reads_programme_targets(u) for u in others)
    assert not permissions.can_manage_programme_targets(None, 96)
