"""Issue 16, language: codes and amounts read as labels and formatted money in every history."""

import pytest

from tests.factories import make_user
from tests.selection.factories import make_round

pytestmark = pytest.mark.django_db


def test_the_round_history_shows_group_labels_and_formatted_money(client):
    from khuyencong.selection import services

    officer = make_user("province_officer", username="sct")
    round_ = make_round(status="draft", product_groups=["handicraft"])
    services.update_round(
        user=officer, round_=round_, data={"product_groups": ["handicraft", "agro_processing"]}
    )
    client.force_login(officer)
    html = client.get(f"/selection/rounds/{round_.pk}/").content.decode()
    assert "handicraft, agro_processing" not in html
    assert "Thủ công mỹ nghệ, Chế biến nông, lâm, thủy sản và thực phẩm" in html


def test_a_project_history_shows_money_as_dong(client):
    from khuyencong.programme import services
    from tests.factories import EstablishmentFactory

    officer = make_user("province_officer", username="sct")
    project = services.propose_project(
        user=officer,
        data={
            "code": "DA-H-1",
            "year": 2026,
            "title": "Máy sấy",
            "programme": "local",
            "activity": "machinery",
            "establishment": EstablishmentFactory(),
            "province": officer.province,
            "total_cost": 1_000_000_000,
            "support_requested": 200_000_000,
        },
    )
    client.force_login(officer)
    html = client.get(f"/programme/projects/{project.pk}/").content.decode()
    assert "200000000" not in html and "200.000.000" in html
