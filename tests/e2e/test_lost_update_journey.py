"""No lost update, in two real browsers: two officers of the same province, each logged in in their own
browser context, open the same establishment's edit page; the first saves, the second's save is refused
with who changed it and when, and both versions side by side. The first officer's change stands."""

import pytest
from playwright.sync_api import expect

from khuyencong.registry.models import Establishment
from tests.factories import EstablishmentFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def logged_in_page(browser, base_url, username):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-test-123")
    page.click("form button.btn-primary")
    page.wait_for_load_state()
    expect(page.locator("#id_username")).to_have_count(0)  # logged in: the login form is gone
    return context, page


def test_the_second_officer_sees_the_refusal_and_the_first_change_stands(
    browser, live_server, screenshot_dir
):
    make_user("province_officer", username="lan", first_name="Lan", last_name="Nguyễn", province_id=96)
    make_user("province_officer", username="minh", first_name="Minh", last_name="Trần", province_id=96)
    est = EstablishmentFactory(name="Cơ sở Khô mực Sông Đốc", address="Ấp 1", phone="0290 111 111")
    url = f"{live_server.url}/registry/establishments/{est.pk}/edit/"
    lan_context, lan = logged_in_page(browser, live_server.url, "lan")
    minh_context, minh = logged_in_page(browser, live_server.url, "minh")
    try:
        lan.goto(url)
        minh.goto(url)  # both opened the same version of the record
        assert (
            lan.locator("input[name=version]").input_value()
            == minh.locator("input[name=version]").input_value()
        )

        lan.fill("#id_address", "Ấp 2, Sông Đốc")
        lan.get_by_role("button", name="Lưu").click()
        lan.wait_for_url(f"**/registry/establishments/{est.pk}/")
        expect(lan.locator("body")).to_contain_text("Ấp 2, Sông Đốc")

        minh.fill("#id_phone", "0290 999 999")
        minh.get_by_role("button", name="Lưu").click()
        minh.wait_for_load_state()
        assert minh.url == url  # not saved: still on the form
        alert = minh.locator(".alert-danger")
        expect(alert).to_contain_text("Đã được")
        expect(alert).to_contain_text("sửa lúc")
        expect(alert).to_contain_text("kể từ khi bạn mở: chưa lưu gì")
        assert "Nguyễn Lan" in alert.inner_text() or "Lan Nguyễn" in alert.inner_text()

        diff = minh.get_by_test_id("stale-diff")
        expect(diff).to_be_visible()
        expect(diff.locator("caption")).to_contain_text("Nội dung bạn nhập và nội dung")
        headers = diff.locator("thead th").all_inner_texts()
        assert headers[0] == "Trường" and headers[1] == "Bản của bạn" and headers[2].startswith("Bản ")
        assert "đã lưu" in headers[2]
        rows = {
            row.locator("th").inner_text(): row.locator("td").all_inner_texts()
            for row in diff.locator("tbody tr").all()
        }
        # what Minh typed against what Lan saved, field by field
        assert rows["Địa chỉ"] == ["Ấp 1", "Ấp 2, Sông Đốc"]
        assert [key for key in rows if key.lower() == "điện thoại"], rows
        phone = next(value for key, value in rows.items() if key.lower() == "điện thoại")
        assert phone == ["0290 999 999", "0290 111 111"]
        minh.screenshot(path=str(screenshot_dir / "lost-update-refused.png"), full_page=True)

        current = Establishment.objects.get(pk=est.pk)
        assert current.address == "Ấp 2, Sông Đốc"  # Lan's change stands
        assert current.phone == "0290 111 111"  # Minh's was not saved
    finally:
        lan_context.close()
        minh_context.close()
