"""Decree 30/2020/NĐ-CP layout: dates, numbers, header, signatory, recipients, charts in the summary."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.pdf import SignatureBlock, number_line, render_pdf, vn_date
from khuyencong.documents import layout
from khuyencong.documents.models import Signatory, SignatoryKind
from khuyencong.reports import charts
from tests.factories import make_user

from .factories import decided_round

pytestmark = pytest.mark.django_db


def test_dates_take_the_leading_zero_decree_30_asks_for():
    assert vn_date(datetime.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert vn_date(datetime.date(2026, 2, 28)) == "ngày 28 tháng 02 năm 2026"
    assert vn_date(datetime.date(2026, 12, 20)) == "ngày 20 tháng 12 năm 2026"
    assert vn_date(datetime.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"


def test_the_number_line_keeps_a_recorded_symbol_and_leaves_a_blank_for_the_clerk():
    assert number_line("15/QĐ-UBND", "QĐ-UBND") == "Số: 15/QĐ-UBND"
    assert number_line("15", "QĐ-UBND") == "Số: 15/QĐ-UBND"
    assert number_line("", "BC-SCT").startswith("Số:\xa0") and number_line("", "BC-SCT").endswith("/BC-SCT")


def test_recipients_end_with_semicolons_and_the_last_with_a_full_stop():
    block = SignatureBlock(title="GIÁM ĐỐC", recipients=["Như trên;", "- UBND tỉnh", "Lưu: VT"])
    assert block.recipient_lines == ["- Như trên;", "- UBND tỉnh;", "- Lưu: VT."]


def _html(monkeypatch, call):
    """The HTML a render produced (WeasyPrint skipped: the layout is what is asserted)."""
    seen = {}

    def fake(self, *a, **k):
        return b"%PDF-1.7"

    import weasyprint

    real_init = weasyprint.HTML.__init__

    def init(self, *args, string=None, **kwargs):
        seen["html"] = string
        real_init(self, *args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "__init__", init)
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", fake)
    call()
    return seen["html"]


def test_the_decision_has_the_header_number_place_date_signer_recipients_and_the_annex(monkeypatch):
    officer = make_user("province_officer")
    round_, cert = decided_round(officer)
    html = _html(monkeypatch, lambda: layout.render_decision_pdf(round_))
    assert "ỦY BAN NHÂN DÂN<br>TỈNH CÀ MAU" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Độc lập - Tự do - Hạnh phúc" in html
    assert "Số: 15/QĐ-UBND" in html
    assert "Cà Mau, ngày 20 tháng 12 năm 2026" in html
    assert "KT. CHỦ TỊCH" in html and "PHÓ CHỦ TỊCH" in html and "Lâm Văn Bi" in html
    assert "Nơi nhận:" in html and "- Như Điều 3;" in html and "- Lưu: VT." in html
    assert "DANH SÁCH SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU CẤP TỈNH" in html
    assert cert.number in html and cert.result.product.name in html
    assert f"có giá trị {layout.validity_words(round_.certificate_validity_months)} kể từ ngày ký" in html


def test_a_signatory_configured_for_the_round_wins_over_the_province_and_the_defaults(monkeypatch):
    officer = make_user("province_officer")
    round_, _cert = decided_round(officer)
    Signatory.objects.create(
        kind=SignatoryKind.DECISION,
        province_id=96,
        issuing_body="UBND TỈNH",
        place_name="Cà Mau",
        title="CHỦ TỊCH",
        name="Người ký tỉnh",
        recipients="Sở Công Thương\nLưu: VT",
    )
    assert layout.issuer_for(SignatoryKind.DECISION, round_=round_).name == "Người ký tỉnh"
    Signatory.objects.create(
        kind=SignatoryKind.DECISION,
        province_id=96,
        round=round_,
        issuing_body="UBND TỈNH",
        place_name="Cà Mau",
        title="PHÓ CHỦ TỊCH",
        name="Người ký kỳ này",
    )
    html = _html(monkeypatch, lambda: layout.render_decision_pdf(round_))
    assert "Người ký kỳ này" in html and "Người ký tỉnh" not in html


def test_the_summary_pdf_has_its_charts_place_date_signer_and_recipients(monkeypatch):
    from khuyencong.reports import rendering
    from khuyencong.reports.selectors import Period, place_for

    Signatory.objects.create(
        kind=SignatoryKind.REPORT,
        province_id=96,
        superior_body="ỦY BAN NHÂN DÂN\nTỈNH CÀ MAU",
        issuing_body="SỞ CÔNG THƯƠNG",
        symbol="BC-SCT",
        place_name="Cà Mau",
        title="GIÁM ĐỐC",
        name="Nguyễn Văn Đức",
        recipients="UBND tỉnh\nLưu: VT",
    )
    html = _html(monkeypatch, lambda: rendering.as_pdf(place_for("96"), Period()))
    assert html.count("<svg") >= 2 and "Biểu đồ 1." in html and "Biểu đồ 2." in html
    assert "Cà Mau, ngày" in html and "GIÁM ĐỐC" in html and "Nguyễn Văn Đức" in html
    assert "Nơi nhận:" in html and "- Lưu: VT." in html
    # the signature block is kept with the closing note, never alone on a page
    assert html.index('class="closing"') < html.index("GIÁM ĐỐC")


def test_documents_are_set_in_a_times_like_serif_with_vietnamese_glyphs(monkeypatch):
    import shutil
    import subprocess

    from khuyencong.core import pdf

    pdf.serif_family.cache_clear()
    listed = subprocess.run(["fc-list", ":charset=1b0 1ea1", "family"], capture_output=True, text=True).stdout
    if shutil.which("fc-list") and "Liberation Serif" in listed:
        assert pdf.serif_family() == "Liberation Serif"
    html = _html(monkeypatch, lambda: render_pdf("pdf/nd30.html", {}))
    assert f'font-family: "{pdf.serif_family()}", "DejaVu Serif", serif' in html
    monkeypatch.setattr(
        shutil, "which", lambda name: None
    )  # no fontconfig: the fallback that covers Vietnamese
    pdf.serif_family.cache_clear()
    assert pdf.serif_family() == "DejaVu Serif"
    pdf.serif_family.cache_clear()


@given(st.floats(min_value=0.01, max_value=1e6))
def test_the_chart_axis_covers_the_highest_bar_with_a_round_step(value):
    top, steps = charts._axis(value)
    assert top >= value * (1 - 1e-9) and 1 <= steps <= 5
    step = top / steps
    mantissa = step / 10 ** __import__("math").floor(__import__("math").log10(step))
    assert round(mantissa, 6) in (1, 2, 2.5, 5, 10)


def test_a_chart_draws_one_bar_per_value_and_its_legend():
    chart = charts.Chart(
        "T", ["2024", "2025"], [charts.Series("Cấp tỉnh", [3, 0]), charts.Series("Khu vực", [1, 2])]
    )
    svg = charts.svg(chart)
    assert svg.count("<rect") == 4 + 2  # bars + legend swatches
    assert "Cấp tỉnh" in svg and "Khu vực" in svg


def test_the_summary_workbook_carries_the_charts_as_native_excel_charts():
    import zipfile
    from io import BytesIO

    from openpyxl import load_workbook

    from khuyencong.reports import rendering
    from khuyencong.reports.selectors import Period, place_for

    officer = make_user("province_officer")
    decided_round(officer)
    from django.utils import translation

    # the workbook speaks the reader's language, and an earlier test's request may leave English active
    with translation.override("vi"):
        data = rendering.as_xlsx(place_for("96"), Period())
    wb = load_workbook(BytesIO(data))
    assert "Biểu đồ" in wb.sheetnames and "Công nhận theo năm" in wb.sheetnames
    table = wb["Công nhận theo năm"]
    assert table["A1"].value == "Năm" and table["B1"].value == "Cấp tỉnh" and table["B2"].value == 1
    names = zipfile.ZipFile(BytesIO(data)).namelist()
    assert sum(n.startswith("xl/charts/chart") for n in names) == 1  # no settled project: no funding chart


def test_validity_is_written_in_years_when_whole():
    assert layout.validity_words(36) == "3 năm" and layout.validity_words(18) == "18 tháng"


def test_a_decision_cites_the_texts_in_force_on_its_date():
    before = layout.legal_basis(datetime.date(2024, 10, 15))
    after = layout.legal_basis(datetime.date(2026, 1, 5))
    assert any("19 tháng 6 năm 2015" in line for line in before)
    assert not any("38/2025/TT-BCT" in line or "235/2025/NĐ-CP" in line for line in before)
    assert any("38/2025/TT-BCT" in line for line in after) and any("235/2025/NĐ-CP" in line for line in after)
