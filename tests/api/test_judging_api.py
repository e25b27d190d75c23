"""The judging diagnostic, appeals and OCOP ratings through the API, as the pages offer them (same services)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from khuyencong.registry.models import OcopRating
from khuyencong.selection import services
from khuyencong.selection.models import Appeal, Round
from tests.factories import ProductFactory, make_user
from tests.selection.factories import assign, full_points, make_dossier, make_round, seat

pytestmark = pytest.mark.django_db


def _points(round_, fraction):
    return full_points(round_, lambda c: (c.max_points * Decimal(fraction)).quantize(Decimal("0.01")))


@pytest.fixture
def officer():
    return make_user("province_officer", username="sct")


def _approved(officer):
    round_ = make_round(status="scoring", appeal_days=7)
    product = ProductFactory(name="Khô cá sặc rằn")
    rep = make_user("establishment", establishment=product.establishment)
    dossiers = [
        make_dossier(round_, product=product, status="eligible"),
        make_dossier(round_, status="eligible"),
    ]
    members = [seat(round_, role="chair"), seat(round_), seat(round_)]
    for m, fractions in zip(members, [("0.9", "0.6"), ("0.8", "0.7"), ("0.5", "0.95")], strict=True):
        assign(m, *dossiers)
        for d, f in zip(dossiers, fractions, strict=True):
            services.save_score(user=m.user, dossier=d, points=_points(round_, f), submit=True)
    services.close_scoring(user=officer, round_=round_)
    return Round.objects.get(pk=round_.pk), dossiers[0], rep, members


def test_the_diagnostic_is_read_by_the_officer_and_refused_to_a_plain_member(client, bearer, officer):
    round_, _dossier, _rep, members = _approved(officer)
    response = client.get(f"/api/v1/rounds/{round_.pk}/diagnostic", **bearer(officer))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["reliability"]["form"] == "ICC(2,1)" and data["reliability"]["complete"] is True
    assert len(data["members"]) == 3 and len(data["ranking"]) == 2
    assert {r["legal_score"] for r in data["ranking"]} == {"73.33", "75.00"}  # the legal means, unchanged
    assert client.get(f"/api/v1/rounds/{round_.pk}/diagnostic", **bearer(members[1].user)).status_code == 403


def test_an_appeal_through_the_api(client, bearer, officer):
    round_, dossier, rep, _members = _approved(officer)
    services.approve_results(user=officer, round_=round_)
    response = client.post(
        f"/api/v1/dossiers/{dossier.pk}/appeal",
        {"grounds": "Điểm tiêu chí thẩm mỹ chưa xét bao bì mới."},
        content_type="application/json",
        **bearer(rep),
    )
    assert response.status_code == 201, response.content
    appeal = response.json()
    assert appeal["status"] == "lodged" and appeal["actions"] == ["withdraw"]
    listing = client.get(f"/api/v1/rounds/{round_.pk}/appeals", **bearer(officer)).json()
    assert listing["open"] is True and listing["closes"] == str(
        timezone.localdate() + datetime.timedelta(days=7)
    )
    # the officer answers; as for a paper letter, they may also record a withdrawal on the establishment's behalf
    assert listing["items"][0]["actions"] == ["uphold", "dismiss", "withdraw"]
    refused = client.post(
        f"/api/v1/appeals/{appeal['id']}/answer",
        {"upheld": True, "answer": "Chấp nhận"},
        content_type="application/json",
        **bearer(rep),
    )
    assert refused.status_code == 403
    response = client.post(
        f"/api/v1/appeals/{appeal['id']}/answer",
        {"upheld": True, "answer": "Hội đồng chấm lại tiêu chí c."},
        content_type="application/json",
        **bearer(officer),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "upheld" and response.json()["reopening"]
    assert Round.objects.get(pk=round_.pk).status == "review"
    assert Appeal.objects.get().answered_by == officer


def test_ocop_ratings_through_the_api(client, bearer, officer):
    product = ProductFactory(establishment__province_id=96)
    body = {"stars": 5, "decision_no": "77/QĐ-BNN", "decision_date": "2025-04-30"}
    response = client.post(
        f"/api/v1/products/{product.pk}/ocop", body, content_type="application/json", **bearer(officer)
    )
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "central" and response.json()["valid_until"] == "2028-04-30"
    bad = client.post(
        f"/api/v1/products/{product.pk}/ocop",
        {**body, "decision_no": "78/QĐ", "level": "province"},
        content_type="application/json",
        **bearer(officer),
    )
    assert bad.status_code == 400 and "level" in bad.json()["errors"]
    listing = client.get(f"/api/v1/products/{product.pk}/ocop", **bearer(officer)).json()
    assert [r["decision_no"] for r in listing] == ["77/QĐ-BNN"]
    rep = make_user("establishment", establishment=product.establishment)
    refused = client.post(
        f"/api/v1/products/{product.pk}/ocop",
        {**body, "decision_no": "79/QĐ"},
        content_type="application/json",
        **bearer(rep),
    )
    assert refused.status_code == 403 and OcopRating.objects.count() == 1
