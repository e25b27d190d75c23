"""A decision and its certificates signed from the round's page, and a buyer checking the signed certificate
PDF they were given on the public page (genuine), then a doctored copy (refused)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_signed_certificate_is_verified_on_the_public_page(page, login, tmp_path):
    from khuyencong.geo.services import load_places
    from tests.documents.factories import decided_round
    from tests.factories import make_user

    load_places()
    officer = make_user("province_officer", username="sct")
    round_, cert = decided_round(officer)

    # signing renders and signs the decision and the certificate inside the request (the suite runs tasks
    # at once): give it time on a loaded machine
    page.set_default_timeout(180_000)
    login("sct")
    page.goto(f"{page.base_url}/selection/rounds/{round_.pk}/results/")
    page.get_by_test_id("round-documents").click()
    expect(page.locator("h1")).to_have_text("Quyết định và giấy chứng nhận")
    page.get_by_test_id("sign-all").click()
    # wait for the POST's redirect to land (its message) before reloading: a reload during that navigation
    # fails with "Not attached to an active page"
    expect(page.get_by_text("Đang ký số", exact=False)).to_be_visible()
    page.reload()  # the signing task ran after the commit
    row = page.locator(f'tr[data-number="{cert.number}"]')
    expect(row.get_by_test_id("signed")).to_have_text("Đã ký số")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(tmp_path / "documents-1280.png"), full_page=True)
    signed_url = row.get_by_role("link", name="tệp PDF đã ký").get_attribute("href")
    signed = page.request.get(page.base_url + signed_url).body()
    assert signed.startswith(b"%PDF")
    held = tmp_path / "giay-chung-nhan.pdf"
    held.write_bytes(signed)

    page.context.clear_cookies()
    page.goto(f"{page.base_url}/verify/")
    page.get_by_test_id("verify-pdf-link").click()
    page.set_input_files("#id_file", str(held))
    page.get_by_test_id("verify-pdf").click()
    verdict = page.locator("#pdf-verdict")
    expect(verdict).to_contain_text("Hợp lệ")
    expect(page.locator("#pdf-verification")).to_contain_text(cert.number)
    expect(page.locator("#pdf-verification")).to_contain_text("Còn hiệu lực")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(tmp_path / f"verify-pdf-{width}.png"), full_page=True)

    at = signed.index(b"/Producer")
    doctored = tmp_path / "giay-chung-nhan-sua.pdf"
    doctored.write_bytes(signed[:at] + signed[at:].replace(b"WeasyPrint", b"WeasyPrinX", 1))
    page.set_input_files("#id_file", str(doctored))
    page.get_by_test_id("verify-pdf").click()
    expect(page.locator("#pdf-verdict")).to_contain_text("Không hợp lệ")
    expect(page.locator("#pdf-problems")).to_contain_text("đã bị thay đổi sau khi ký")
