"""can_configure_signatory: who sets the signer of an organisation's documents."""

import pytest

from khuyencong.accounts.permissions import can_configure_signatory
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_province_officer_sets_their_provinces_signer_only():
    officer = make_user("province_officer", username="sct", province_id=96)
    assert can_configure_signatory(officer, 96)
    assert not can_configure_signatory(officer, 92)
    assert not can_configure_signatory(officer, None)


def test_the_ministrys_agency_is_set_by_the_national_organiser_and_administrators():
    assert can_configure_signatory(make_user("national_organiser", username="n"), None)
    assert can_configure_signatory(make_user("admin", username="a"), 96)
    for role in ("viewer", "judge", "commune_officer"):
        assert not can_configure_signatory(make_user(role, username=role), None)
