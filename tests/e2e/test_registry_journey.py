import pytest
from playwright.sync_api import expect

from tests.factories import EstablishmentFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_officer_logs_in_and_finds_kho_muc_without_accents(page, login, screenshot_dir):
    from khuyencong.geo.services import load_places

    load_places()
    make_user("province_officer", username="sct")
    EstablishmentFactory(name="Công ty TNHH Khô mực Sông Đốc")
    EstablishmentFactory(name="Hợp tác xã Tôm sạch Đầm Dơi")
    login("sct")
    page.goto(page.base_url + "/registry/establishments/")
    page.fill("input[name=q]", "kho muc")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=kho+muc**")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    assert "Khô mực Sông Đốc" in rows.first.inner_text()
    page.screenshot(path=str(screenshot_dir / "registry-search.png"), full_page=True)
    rows.first.locator("a").click()
    assert page.locator("h1").inner_text() == "Công ty TNHH Khô mực Sông Đốc"
