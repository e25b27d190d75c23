"""Issue 16, language: the summary workbook and the journey workbook speak the reader's language; the summary
PDF, an administrative document (Decree 30/2020/NĐ-CP), is Vietnamese whoever prints it."""

import unicodedata
from io import BytesIO

import pytest
from openpyxl import load_workbook

from khuyencong.programme import services as programme
from tests.documents.factories import decided_round
from tests.factories import EstablishmentFactory, make_user

pytestmark = pytest.mark.django_db


def _vietnamese(text):
    text = str(text).replace("đồng", "").replace("Cà Mau", "")
    return any(
        ch in "đĐ" or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", ch)) for ch in text
    )


@pytest.fixture
def officer():
    officer = make_user("province_officer", username="sct96", province_id=96)
    decided_round(officer)
    est = EstablishmentFactory(name="Kho muc Co", code="EST-L", province_id=96)
    programme.propose_project(
        user=officer,
        data={
            "code": "DA-L",
            "year": 2026,
            "title": "Dryer",
            "programme": "local",
            "activity": "machinery",
            "establishment": est,
            "province": officer.province,
            "total_cost": 1_000_000_000,
            "support_requested": 200_000_000,
        },
    )
    return officer


def _labels(wb):
    """The workbook's own words: sheet names, the header rows and the first column (the row labels)."""
    words = list(wb.sheetnames)
    for ws in wb.worksheets:
        for row in ws.iter_rows(max_row=3, values_only=True):
            words += [v for v in row if isinstance(v, str)]
        words += [v for (v,) in ws.iter_rows(min_col=1, max_col=1, values_only=True) if isinstance(v, str)]
    return words


def test_the_summary_workbook_is_english_for_an_english_reader(client, officer):
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    response = client.get("/reports/summary.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    wb = load_workbook(BytesIO(response.getvalue()))
    assert wb.sheetnames[:3] == ["Summary", "By year", "By activity"]
    labels = _labels(wb)
    assert "Products certified: Province" in labels
    assert not [w for w in labels if _vietnamese(w)]


def test_the_summary_workbook_is_vietnamese_for_a_vietnamese_reader(client, officer):
    client.force_login(officer)
    response = client.get("/reports/summary.xlsx", HTTP_ACCEPT_LANGUAGE="vi")
    wb = load_workbook(BytesIO(response.getvalue()))
    assert wb.sheetnames[:3] == ["Tổng hợp", "Theo năm", "Theo nội dung"]
    assert wb["Tổng hợp"]["A1"].value.startswith("Tổng hợp kết quả khuyến công – tỉnh Cà Mau")
    assert wb["Theo ưu tiên"]["A1"].value == "Nhóm ưu tiên (NĐ 235/2025)"
    assert "Sản phẩm được công nhận: Cấp tỉnh" in _labels(wb)


def test_the_summary_pdf_is_vietnamese_when_an_english_reader_prints_it(client, officer, monkeypatch):
    from django.utils import translation

    from khuyencong.reports import rendering
    from khuyencong.reports.selectors import Period, place_for
    from tests.documents.test_layout import _html

    with translation.override("en"):
        rendering.report_data(place_for("96"), Period())  # an English page cached its labels first
        html = _html(monkeypatch, lambda: rendering.as_pdf(place_for("96"), Period()))
    assert "Kinh phí hỗ trợ đã quyết toán theo năm và nguồn" in html and "Cấp tỉnh" in html
    assert "Support settled" not in html and "billion VND" not in html and "Province" not in html


def test_the_journey_workbook_follows_the_reader(client, officer):
    from khuyencong.registry.models import Establishment

    est = Establishment.objects.get(code="EST-L")
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    response = client.get(f"/reports/establishments/{est.pk}/", {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    ws = load_workbook(BytesIO(response.getvalue())).active
    assert ws.title == "Journey"
    assert [c.value for c in ws[2]] == ["Year", "Date", "Event", "Details", "Support (VND)"]
    assert "Applying advanced machinery and technology · Local programme · Proposed" in [
        c.value for c in ws["D"]
    ]
    client.cookies["django_language"] = "vi"
    response = client.get(f"/reports/establishments/{est.pk}/", {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="vi")
    ws = load_workbook(BytesIO(response.getvalue())).active
    assert ws.title == "Hành trình" and ws["A2"].value == "Năm"
    assert "Ứng dụng máy móc thiết bị tiên tiến · Khuyến công địa phương · Đề xuất" in [
        c.value for c in ws["D"]
    ]
