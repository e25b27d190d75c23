"""The reports pages, exports, API and scoping, over the imported Cà Mau history (imported once for the
module's tests, ~4 s an import; what a test writes is undone after it)."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from khuyencong.interchange.history import PUBLISHED
from khuyencong.programme.models import Project
from khuyencong.reports import selectors
from khuyencong.reports.selectors import Period, allowed_place, place_for, summary
from tests.conftest import shared_data
from tests.factories import make_user
from tests.interchange.conftest import import_history

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("reports-history")]


def _import_history():
    admin = make_user("admin", username="root")
    import_history(admin)
    return admin


history = shared_data("history", _import_history)


def test_scopes(history):
    officer_ct = make_user("province_officer", username="ct", province_id=92)
    with pytest.raises(PermissionDenied):
        allowed_place(officer_ct, "96")
    assert allowed_place(officer_ct, None).province.code == 92
    officer_cm = make_user("province_officer", username="cm", province_id=96)
    assert allowed_place(officer_cm, "95").legacy_province.code == 95  # a former province inside their own
    ministry = make_user("viewer", username="bo")
    assert allowed_place(ministry, None).province is None
    assert allowed_place(ministry, "96").province.code == 96
    with pytest.raises(PermissionDenied):
        allowed_place(make_user("judge", username="gk"), None)


def test_summary_page_shows_vietnamese_figures(client, history):
    client.force_login(make_user("province_officer", username="cm", province_id=96))
    response = client.get("/reports/", {"from": 2016, "to": 2023})
    text = response.content.decode()
    assert response.status_code == 200
    assert "19,51 tỷ đồng" in text and "1.759" in text and "205 tỷ đồng" in text
    assert 'id="report-data"' in text and "<script>" not in text.replace(
        '<script type="application/json"', ""
    )


def test_drill_down_rows_add_up_to_the_figure(client, history):
    client.force_login(history)
    response = client.get("/reports/rows/support/", {"province": "96", "from": 2016, "to": 2023})
    assert response.status_code == 200
    assert response.context["totals"]["support"] == PUBLISHED["support"]["total"]
    assert "19.510.000.000 đ" in response.content.decode()
    response = client.get("/reports/rows/certified-province/", {"province": "96", "from": 2016, "to": 2023})
    assert response.context["page_obj"].paginator.count == 73
    response = client.get("/reports/rows/rounds/", {"province": "96", "from": 2016, "to": 2023})
    assert response.context["page_obj"].paginator.count == 5


def test_officer_cannot_drill_into_another_province(client, history):
    client.force_login(make_user("province_officer", username="ct", province_id=92))
    assert client.get("/reports/rows/support/", {"province": "96"}).status_code == 403


def test_xlsx_and_pdf_exports(client, history):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(history)
    response = client.get("/reports/summary.xlsx", {"province": "96", "from": 2016, "to": 2023})
    wb = load_workbook(BytesIO(response.content))
    values = {row[0]: row[1] for row in wb["Tổng hợp"].iter_rows(min_row=4, values_only=True)}
    assert values["Kinh phí hỗ trợ (đã quyết toán)"] == 19_510_000_000
    assert values["Lao động thu hút"] == 1759
    response = client.get("/reports/summary.pdf", {"province": "96", "from": 2016, "to": 2023})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_report_command_json(history, capsys):
    from django.core.management import call_command

    call_command(
        "report", "summary", "--province", "96", "--from", "2016", "--to", "2023", "--format", "json"
    )
    assert json.loads(capsys.readouterr().out) == PUBLISHED
    call_command(
        "report", "summary", "--province", "Cà Mau", "--from", "2016", "--to", "2023", "--format", "text"
    )
    out = capsys.readouterr().out
    assert "19,51 tỷ đồng" in out and "1.759 lao động" in out


def test_api_summary(client, history):
    client.force_login(make_user("viewer", username="bo"))
    response = client.get("/api/v1/reports/summary", {"province": "96", "from": 2016, "to": 2023})
    if response.status_code == 401:  # the API may accept tokens only
        from khuyencong.api.services import create_token

        _token, raw = create_token(user=make_user("viewer", username="bo2"), name="t")
        response = client.get(
            "/api/v1/reports/summary",
            {"province": "96", "from": 2016, "to": 2023},
            headers={"Authorization": f"Bearer {raw}"},
        )
    assert response.status_code == 200, response.content
    assert response.json() == PUBLISHED


def test_journey_page(client, history):
    client.force_login(history)
    from khuyencong.registry.models import Establishment

    est = Establishment.objects.get(code="CMH-002")
    response = client.get(f"/reports/establishments/{est.pk}/")
    assert response.status_code == 200
    events = response.context["events"]
    assert any(e["kind"] == "project" for e in events) and any(
        e["kind"] == "certified-national" for e in events
    )
    assert client.get(f"/reports/establishments/{est.pk}/", {"format": "xlsx"}).status_code == 200


def test_dashboard_cards(client, history):
    client.force_login(make_user("province_officer", username="cm", province_id=96))
    response = client.get("/")
    assert 'data-testid="stat-report_support"' in response.content.decode()


def test_summary_uses_a_fixed_number_of_queries(history, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        summary(place_for("96"), Period(2016, 2023))


def test_support_is_broken_down_by_priority_and_beneficiary(client, history):
    from khuyencong.registry.models import CraftVillage, Establishment

    settled = Project.objects.filter(
        status="settled", province_id=96, establishment__isnull=False, year__gte=2016, year__lte=2023
    )
    first = settled.order_by("code").first()
    Establishment.objects.filter(pk=first.establishment_id).update(
        women_owned=True, priority_evidence="CCCD chủ cơ sở"
    )
    same = settled.filter(establishment_id=first.establishment_id)
    expected = sum(p.support_settled for p in same)
    place, period = place_for("96"), Period(2016, 2023)
    rows = {r["flag"]: r for r in selectors.by_priority(place, period)}
    assert rows["women_owned"]["support"] == expected and rows["women_owned"]["projects"] == same.count()
    assert rows["ethnic_minority_owned"]["projects"] == 0
    total = PUBLISHED["support"]["total"]
    assert rows["none"]["support"] == total - expected
    # a craft village as a project's beneficiary: the kinds add up to the published total, to the đồng
    village = CraftVillage.objects.create(
        code="LN-1",
        name="Làng nghề thử",
        trade="Đan",
        recognition_no="1/QĐ",
        recognition_date=__import__("datetime").date(2019, 1, 1),
        households=50,
        province_id=96,
    )
    moved = settled.exclude(establishment_id=first.establishment_id).order_by("code").first()
    Project.objects.filter(pk=moved.pk).update(establishment=None, craft_village=village)
    kinds = {r["kind"]: r for r in selectors.by_beneficiary(place, period)}
    assert kinds["craft_village"]["support"] == moved.support_settled
    assert sum(r["support"] for r in kinds.values()) == total
    assert summary(place, period)["support"]["total"] == total
    client.force_login(make_user("province_officer", username="cm", province_id=96))
    page = client.get("/reports/", {"from": 2016, "to": 2023}).content.decode()
    assert "Cơ sở do phụ nữ làm chủ" in page and "Làng nghề" in page
    drill = client.get(
        "/reports/rows/support/", {"province": "96", "from": 2016, "to": 2023, "priority": "women_owned"}
    )
    assert drill.context["totals"]["support"] == expected


def test_certified_carries_commune_once_commune_rounds_exist(history, capsys):
    """The spec's shape on history alone; `commune` (0 before July 2025) appears once a commune round exists."""
    from django.core.management import call_command

    from tests.catalogue.factories import RoundFactory

    args = ("report", "summary", "--province", "96", "--from", "2016", "--to", "2023", "--format", "json")
    call_command(*args)
    assert "commune" not in json.loads(capsys.readouterr().out)["certified"]
    RoundFactory(level="commune", year=2026, code="XA-SD-2026")
    call_command(*args)
    assert json.loads(capsys.readouterr().out) == {
        **PUBLISHED,
        "certified": {**PUBLISHED["certified"], "commune": 0},
    }
