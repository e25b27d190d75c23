"""The reports: money sums, edge cases, the API's input checks (the pages over the imported Cà Mau history:
test_reports_history.py)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khuyencong.programme.models import Project
from khuyencong.reports import selectors
from khuyencong.reports.selectors import Period, place_for
from tests.factories import make_user


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 10**12),
            st.sampled_from(["national", "local"]),
            st.sampled_from(["settled", "approved", "proposed", "cancelled"]),
        ),
        max_size=12,
    )
)
def test_money_sums_property(db, amounts):
    """Whatever the projects, support = national + local = the sum of the settled amounts, to the đồng."""
    from django.db import transaction

    with transaction.atomic():
        for i, (amount, programme, status) in enumerate(amounts):
            Project.objects.create(
                code=f"HP-{i}",
                year=2030,
                title="x",
                programme=programme,
                activity="training",
                province_id=96,
                support_approved=amount,
                support_settled=amount,
                support_paid=amount if status == "settled" else 0,
                counterpart=amount,
                jobs=1,
                status=status,
            )
        s = selectors.summary(place_for("96"), Period(2030, 2030))
        settled = [a for a, _p, st_ in amounts if st_ == "settled"]
        assert s["support"]["total"] == sum(settled) == s["support"]["national"] + s["support"]["local"]
        assert s["support"]["national"] == sum(
            a for a, p, st_ in amounts if st_ == "settled" and p == "national"
        )
        assert s["counterpart"] == sum(settled) and s["jobs"] == len(settled)
        assert s["running"]["approved"] == sum(a for a, _p, st_ in amounts if st_ == "approved")
        transaction.set_rollback(True)


def test_journey_shows_a_change_of_legal_form(client, db, tmp_path):
    from khuyencong.interchange.services import import_file
    from khuyencong.registry.models import Establishment

    admin = make_user("admin", username="root2")
    path = tmp_path / "e.csv"
    path.write_text("code;name;kind;province;founded\nJ-1;Cơ sở J;Hộ kinh doanh;96;2005\n", encoding="utf-8")
    import_file(user=admin, kind="establishments", path=str(path))
    path.write_text(
        "code;name;kind;province;founded\nJ-1;Công ty Cổ phần J;Doanh nghiệp;96;2005\n", encoding="utf-8"
    )
    import_file(user=admin, kind="establishments", path=str(path))
    client.force_login(admin)
    est = Establishment.objects.get(code="J-1")
    text = client.get(f"/reports/establishments/{est.pk}/").content.decode()
    assert "Chuyển đổi loại hình: Hộ kinh doanh → Doanh nghiệp" in text


def test_summary_page_with_a_project_placed_in_no_commune(client, db):
    """A settled project recorded for the province only (no commune, no former district) is listed, not a crash."""
    Project.objects.create(
        code="NC-1",
        year=2031,
        title="x",
        programme="local",
        activity="training",
        province_id=96,
        support_approved=2_500_000_000,
        support_settled=2_500_000_000,
        support_paid=2_500_000_000,
        counterpart=0,
        jobs=3,
        status="settled",
    )
    client.force_login(make_user("province_officer", username="cm-nc", province_id=96))
    response = client.get("/reports/", {"from": 2031, "to": 2031})
    assert response.status_code == 200
    assert "2,5 tỷ đồng" in response.content.decode()
    rows = client.get("/reports/rows/support/", {"from": 2031, "to": 2031, "commune": "", "district": ""})
    assert rows.status_code == 200 and "NC-1" in rows.content.decode()


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"from": "-5"}, 422, "from"),
        ({"from": "abc"}, 422, "from"),
        ({"to": "0"}, 422, "to"),
        ({"from": "2023", "to": "2016"}, 400, "to"),
        ({"province": "99"}, 400, "province"),
        ({"province": "Không Có"}, 400, "province"),
        ({"provnce": "96"}, 422, "provnce"),
    ],
)
def test_api_summary_refuses_invalid_input_with_field_messages(client, db, query, status, field):
    from khuyencong.api.services import create_token

    _token, raw = create_token(user=make_user("viewer", username="bo-bad"), name="t")
    response = client.get("/api/v1/reports/summary", query, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"] and body["errors"][field]
    if field == "province":
        assert "Không có tỉnh hoặc tỉnh cũ" in body["detail"]
    if field == "to" and status == 400:
        assert body["errors"]["to"] == ["Năm bắt đầu sau năm kết thúc."]
