"""The national plan through the API: the same services, the same refusals."""

import pytest

from khuyencong.programme.models import PlanLine
from tests.api.conftest import bearer  # noqa: F401
from tests.factories import make_user
from tests.programme.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_province_submits_and_the_organiser_allocates_through_the_api(client, bearer, settings):  # noqa: F811
    settings.EXCHANGE_KEY = "khoa-chung"
    province = bearer(make_user("province_officer", username="sct.cm", province_id=96))
    organiser = bearer(make_user("national_organiser", username="cuc"))
    ProjectFactory(code="QG-1", programme="national", activity="training", support_requested=300_000_000)
    reg = client.post("/api/v1/national/prepare", {"year": 2026}, content_type="application/json", **province)
    assert reg.status_code == 200, reg.content
    pk = reg.json()["id"]
    assert reg.json()["requested"] == 300_000_000
    refused = client.post(
        f"/api/v1/national/{pk}/appraise",
        {"amounts": {"QG-1": 1}},
        content_type="application/json",
        **organiser,
    )
    assert refused.status_code == 400  # still a draft: the table refuses
    assert (
        client.post(
            f"/api/v1/national/{pk}/submit", {}, content_type="application/json", **province
        ).status_code
        == 200
    )
    forbidden = client.post(
        f"/api/v1/national/{pk}/appraise",
        {"amounts": {"QG-1": 1}},
        content_type="application/json",
        **province,
    )
    assert forbidden.status_code == 403
    ok = client.post(
        f"/api/v1/national/{pk}/appraise",
        {"amounts": {"QG-1": 250_000_000}},
        content_type="application/json",
        **organiser,
    )
    assert ok.status_code == 200 and ok.json()["appraised"] == 250_000_000
    done = client.post(
        f"/api/v1/national/{pk}/allocate",
        {"amounts": {"training": 250_000_000}, "decision_no": "15/QĐ-BCT", "decision_date": "2026-01-20"},
        content_type="application/json",
        **organiser,
    )
    assert done.status_code == 200 and done.json()["allocated"] == 250_000_000
    assert (
        PlanLine.objects.get(plan__province_id=96, plan__year=2026, programme="national").amount
        == 250_000_000
    )
    signed = client.get(f"/api/v1/national/{pk}/file", **province)
    assert signed.status_code == 200
    again = client.post(
        "/api/v1/national/import", signed.content, content_type="application/json", **organiser
    )
    assert again.status_code == 400  # already allocated: a file cannot replace it
    assert "giao kinh phí" in again.json()["detail"] or again.json()
