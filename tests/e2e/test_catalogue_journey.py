import pytest
from playwright.sync_api import expect

from tests.catalogue.factories import certified_product
from tests.factories import EstablishmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_buyer_without_an_account_finds_a_product_and_checks_its_certificate(page, screenshot_dir):
    from khuyencong.geo.services import load_places

    load_places()
    est = EstablishmentFactory(
        name="Cơ sở Bánh phồng tôm Năm Căn",
        phone="0290 3877 111",
        markets="Siêu thị Co.opmart; chợ đầu mối Bình Điền",
    )
    certified_product(name="Bánh phồng tôm Năm Căn", establishment=est, number="CM-T-2024-004")
    certified_product(name="Khô mực câu Sông Đốc")

    page.goto(page.base_url + "/catalogue/")
    page.get_by_role("searchbox").fill("banh phong tom")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator("#result-count")).to_contain_text("1 sản phẩm")
    expect(page.get_by_text("Khô mực câu Sông Đốc")).to_have_count(0)
    page.get_by_role("link", name="Bánh phồng tôm Năm Căn").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bánh phồng tôm Năm Căn")
    expect(page.get_by_text("Siêu thị Co.opmart; chợ đầu mối Bình Điền")).to_be_visible()
    expect(page.locator("#share-link")).to_have_value(page.url)
    page.screenshot(path=str(screenshot_dir / "catalogue-product.png"), full_page=True)

    page.get_by_role("link", name="Xác minh giấy chứng nhận").last.click()
    expect(page.locator("#verify-status")).to_contain_text("Còn hiệu lực")
    expect(page.locator("#verification")).to_contain_text("CM-T-2024-004")
    page.screenshot(path=str(screenshot_dir / "catalogue-verified.png"), full_page=True)
