"""One product from registration to a verified certificate, through the pages the demo users use."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setup():
    from django.utils import timezone

    from khuyencong.geo.services import load_places
    from khuyencong.selection.demo import rubric
    from khuyencong.selection.models import CouncilMember, Round
    from tests.factories import EstablishmentFactory, ProductFactory, make_user

    load_places()
    today = timezone.localdate()
    officer = make_user("province_officer", username="sct", first_name="Thu")
    est = EstablishmentFactory(name="Công ty TNHH Khô mực Sông Đốc")
    product = ProductFactory(establishment=est, name="Mực một nắng Sông Đốc")
    make_user("establishment", username="coso", establishment=est)
    round_ = Round.objects.create(
        code="CM-T-E2E",
        year=today.year,
        level="province",
        province_id=96,
        rubric=rubric(),
        status="registration",
        title="Bình chọn SPCNNT tiêu biểu tỉnh Cà Mau (thử)",
        registration_opens=today - datetime.timedelta(days=5),
        registration_closes=today + datetime.timedelta(days=5),
    )
    for i, role in enumerate(["chair", "member", "member"], start=1):
        CouncilMember.objects.create(
            round=round_, user=make_user("judge", username=f"gk{i}", first_name=f"Giám khảo {i}"), role=role
        )
    return officer, product, round_


def _pdf(tmp_path: Path) -> Path:
    path = tmp_path / "phieu-dang-ky.pdf"
    path.write_bytes(b"%PDF-1.4\n%e2e\n")
    return path


def _png(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "anh.png"
    Image.new("RGB", (40, 40), (200, 100, 0)).save(path)
    return path


def _logout(page):
    page.context.clear_cookies()


def _score(page, login, username, dossier_id, fraction):
    from khuyencong.selection.models import Criterion

    login(username)
    page.goto(f"{page.base_url}/selection/")
    page.get_by_role("link", name=re.compile("Mực một nắng")).first.click()
    expect(page.locator("h1")).to_contain_text("Chấm điểm")
    inputs = page.locator("input.points")
    maxima = [c.max_points for c in Criterion.objects.filter(rubric__code="TN-2023").order_by("order")]
    inputs.first.focus()
    for i, m in enumerate(maxima):
        page.keyboard.type(str(int(float(m) * fraction)))
        if i < len(maxima) - 1:
            page.keyboard.press("Tab")  # comments are skipped: Tab goes criterion to criterion
    expect(inputs.last).to_be_focused()
    expect(page.get_by_test_id("total")).not_to_have_text("0")
    page.keyboard.press("Control+s")
    expect(page.get_by_role("status")).to_contain_text("Đã lưu nháp")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Nộp và niêm phong").click()
    page.wait_for_url(f"**/selection/dossiers/{dossier_id}/")
    expect(page.locator(".alert-success")).to_contain_text("niêm phong")
    page.get_by_role("link", name="Xem phiếu chấm đã niêm phong").click()
    expect(page.get_by_test_id("sealed")).to_contain_text("Đã nộp và niêm phong")
    expect(page.get_by_role("button", name="Lưu nháp")).to_have_count(0)
    _logout(page)


def test_a_product_goes_from_registration_to_a_verified_certificate(page, login, tmp_path, screenshot_dir):
    officer, product, round_ = _setup()

    # The establishment registers its product, attaches the documents and submits.
    login("coso")
    page.goto(f"{page.base_url}/selection/rounds/{round_.pk}/")
    page.get_by_role("link", name=re.compile("Mực một nắng")).click()
    page.fill("#id_summary", "Mực câu Sông Đốc phơi một nắng, đóng gói hút chân không.")
    page.fill("#id_annual_revenue", "1850000000")
    page.get_by_role("button", name="Tạo hồ sơ").click()
    expect(page.locator(".alert-success")).to_contain_text("hồ sơ nháp")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator(".alert-danger").first).to_contain_text("Thiếu tài liệu bắt buộc")
    page.select_option("#id_kind", "registration_form")
    page.set_input_files("#id_file", str(_pdf(tmp_path)))
    page.get_by_role("button", name="Đính kèm").click()
    page.select_option("#id_kind", "photo")
    page.set_input_files("#id_file", str(_png(tmp_path)))
    page.get_by_role("button", name="Đính kèm").click()
    expect(page.locator("#documents li")).to_have_count(2)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã nộp hồ sơ")
    dossier_id = int(page.url.rstrip("/").split("/")[-1])
    _logout(page)

    # The officer screens it eligible and opens scoring.
    login("sct")
    page.goto(f"{page.base_url}/selection/dossiers/{dossier_id}/")
    page.get_by_label("Hợp lệ").check()
    page.get_by_role("button", name="Ghi nhận kết quả thẩm định").click()
    expect(page.locator(".alert-success")).to_contain_text("thẩm định")
    page.goto(f"{page.base_url}/selection/rounds/{round_.pk}/")
    page.get_by_role("button", name="Mở chấm điểm").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã mở chấm điểm")
    _logout(page)

    # The third member declares a conflict; the other two score with the keyboard and submit.
    login("gk3")
    page.goto(f"{page.base_url}/selection/dossiers/{dossier_id}/")
    page.get_by_label("Trực tiếp", exact=False).check()
    page.fill("#id_reason", "Người thân làm việc tại cơ sở")
    page.get_by_role("button", name="Khai báo xung đột lợi ích").click()
    expect(page.locator(".alert-success")).to_contain_text("xung đột lợi ích")
    expect(page.get_by_role("link", name="Chấm điểm")).to_have_count(0)
    page.goto(
        f"{page.base_url}/selection/dossiers/{dossier_id}/score/"
    )  # typed by hand: sent back with the reason
    page.wait_for_url(f"**/selection/dossiers/{dossier_id}/")
    expect(page.locator(".alert-danger")).to_contain_text("xung đột lợi ích")
    _logout(page)
    _score(page, login, "gk1", dossier_id, 0.9)
    _score(page, login, "gk2", dossier_id, 0.8)

    # The officer closes scoring, approves, records the decision: the certificate is issued.
    login("sct")
    page.goto(f"{page.base_url}/selection/rounds/{round_.pk}/")
    page.get_by_role("button", name="Kết thúc chấm điểm").click()
    row = page.locator("#results tbody tr", has_text="Mực một nắng")
    expect(row).to_contain_text("đạt")
    page.get_by_test_id("approve").click()
    expect(page.locator(".alert-success")).to_contain_text("thông qua")
    page.fill("#id_decision_no", "2890/QĐ-UBND")
    page.fill("#id_decision_date", datetime.date.today().isoformat())
    page.fill("#id_signer", "Phó Chủ tịch UBND tỉnh")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.locator(".alert-success")).to_contain_text("cấp 1 giấy chứng nhận")
    number = page.get_by_test_id("cert-number").inner_text().strip()
    assert number == "CM-T-E2E-001"
    page.screenshot(path=str(screenshot_dir / "selection-results.png"), full_page=True)
    pdf = page.request.get(page.base_url + page.get_by_test_id("cert-pdf").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    _logout(page)

    # Anyone scanning the QR lands on the public verification page.
    page.goto(f"{page.base_url}/verify/{number}")
    expect(page.locator("#verification")).to_contain_text(number)
    expect(page.locator("#verification")).to_contain_text("Mực một nắng Sông Đốc")
    expect(page.locator("#verify-status .text-bg-success")).to_have_count(1)
