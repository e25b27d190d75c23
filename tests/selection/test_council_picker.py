"""The council picker offers the eligible people of the round's place: never another province's officer,
never the administrator."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from khuyencong.selection import services
from tests.factories import make_user
from tests.selection.factories import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "judge": make_user("judge", username="gk.camau", last_name="Giám khảo Cà Mau", province_id=96),
        "officer": make_user(
            "province_officer", username="sct.camau2", last_name="Cán bộ Cà Mau", province_id=96
        ),
        "other_officer": make_user(
            "province_officer", username="sct.cantho2", last_name="Cán bộ Cần Thơ", province_id=92
        ),
        "other_judge": make_user(
            "judge", username="gk.cantho", last_name="Giám khảo Cần Thơ", province_id=92
        ),
        "admin": make_user("admin", username="quantri", last_name="Quản trị hệ thống"),
    }


def test_the_picker_offers_the_rounds_province_only(client, officer, people):
    round_ = make_round()
    client.force_login(officer)
    page = client.get(reverse("selection:council", args=[round_.pk])).content.decode()
    picker = page[page.index('name="user"') : page.index("</select>", page.index('name="user"'))]
    assert "Giám khảo Cà Mau" in picker and "Cán bộ Cà Mau" in picker
    assert "Cán bộ Cần Thơ" not in picker and "Giám khảo Cần Thơ" not in picker
    assert "Quản trị hệ thống" not in picker


def test_seating_someone_outside_the_rounds_place_is_refused(client, officer, people):
    round_ = make_round()
    for who in ("other_officer", "admin"):
        with pytest.raises(ValidationError) as exc:
            services.add_council_member(user=officer, round_=round_, member_user=people[who], role="member")
        assert "user" in exc.value.message_dict
        client.force_login(officer)
        client.post(
            reverse("selection:council", args=[round_.pk]), {"user": people[who].pk, "role": "member"}
        )
    assert not round_.council.exists()
    services.add_council_member(user=officer, round_=round_, member_user=people["judge"], role="member")
    assert round_.council.count() == 1
