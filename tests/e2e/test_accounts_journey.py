"""Accounts in the browser: password reset by e-mail, TOTP enrolment and login, combined lockout, a 429 page."""

import base64
import re
import time

import pytest
from django.core import mail
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def places():
    from khuyencong.geo.services import load_places

    load_places()


def shots(page, screenshot_dir, name):
    """The page at desktop and phone widths."""
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(screenshot_dir / f"accounts-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def code_from_secret(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed from the enrolment page."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def test_a_user_who_forgot_the_password_resets_it_by_e_mail_and_logs_in(page, settings, screenshot_dir):
    settings.SITE_URL = ""
    make_user(
        "province_officer", username="lan", email="lan@camau.gov.vn", last_name="Trần", first_name="Lan"
    )
    mail.outbox.clear()

    page.goto(page.base_url + "/accounts/login/")
    shots(page, screenshot_dir, "login")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt lại mật khẩu")
    shots(page, screenshot_dir, "password-reset")
    page.get_by_label("Địa chỉ email").fill("lan@camau.gov.vn")
    page.get_by_role("button", name="Gửi liên kết đặt lại").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hãy xem hộp thư")
    shots(page, screenshot_dir, "password-reset-sent")

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith(page.base_url), "the link points at the address the request came in on"
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt mật khẩu mới")
    shots(page, screenshot_dir, "password-new")
    page.fill("#id_new_password1", "Bien-Dong-2026!")
    page.fill("#id_new_password2", "Bien-Dong-2026!")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã đổi mật khẩu")

    page.get_by_role("link", name="Đăng nhập").last.click()
    page.fill("#id_username", "lan")
    page.fill("#id_password", "Bien-Dong-2026!")
    page.click("form button.btn-primary")
    page.goto(page.base_url + "/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")

    page.goto(link)
    expect(page.get_by_text("Liên kết này không còn dùng được")).to_be_visible()


def test_an_officer_required_to_use_totp_enrols_then_logs_in_with_a_code(
    page, login, settings, screenshot_dir
):
    settings.OTP_REQUIRED_FOR = ["officers"]
    make_user("province_officer", username="lan")

    login("lan")
    page.goto(page.base_url + "/registry/establishments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thiết lập xác thực hai bước")
    expect(page.get_by_text("Vai trò của bạn bắt buộc xác thực hai bước")).to_be_visible()
    expect(page.get_by_test_id("otp-qr")).to_be_visible()
    shots(page, screenshot_dir, "otp-enrol")
    secret = page.get_by_test_id("otp-secret").inner_text()

    page.get_by_label("Mã xác thực").fill("000000" if code_from_secret(secret) != "000000" else "111111")
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.get_by_text("Mã không đúng")).to_be_visible()
    time.sleep(1.1)  # django-otp makes the next try wait one second after a wrong code
    page.get_by_label("Mã xác thực").fill(code_from_secret(secret))
    page.get_by_role("button", name="Bật xác thực hai bước").click()

    expect(page.get_by_text("Đã bật xác thực hai bước.")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    shots(page, screenshot_dir, "otp-recovery-codes")
    page.get_by_role("link", name="Tôi đã lưu lại, tiếp tục").click()
    expect(page).to_have_url(re.compile("/registry/establishments/$"))

    page.goto(page.base_url + "/accounts/profile/")
    expect(page.get_by_test_id("otp-status")).to_have_text("Đang bật")
    expect(page.get_by_text("Vai trò của bạn bắt buộc: không thể tắt.")).to_be_visible()
    shots(page, screenshot_dir, "profile-otp-on")

    page.get_by_role("button", name=re.compile("lan|Test")).first.click()
    page.get_by_role("button", name="Đăng xuất").click()
    login("lan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai bước")
    shots(page, screenshot_dir, "otp-verify")
    page.get_by_label("Mã xác thực").fill(code_from_secret(secret, steps_ahead=1))
    page.get_by_role("button", name="Xác thực").click()
    page.goto(page.base_url + "/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")


def test_five_wrong_passwords_lock_only_that_user_from_that_address(page, login, settings, screenshot_dir):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    make_user("province_officer", username="lan")
    make_user("province_officer", username="minh")

    for _ in range(5):
        login("lan", "sai-mat-khau")
    response = page.goto(page.base_url + "/accounts/login/")
    login("lan")  # even the right password is refused now
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đăng nhập sai quá nhiều lần")
    expect(page.get_by_text("Bạn có thể thử lại lúc")).to_be_visible()
    shots(page, screenshot_dir, "locked-out")
    assert response.status == 200

    login("minh")  # a colleague at the same address
    page.goto(page.base_url + "/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")
    expect(page.locator("main")).to_contain_text("minh")


def test_a_visitor_guessing_certificate_numbers_gets_a_readable_429_page(page, settings, screenshot_dir):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": "2/m"}
    from django.core.cache import caches

    caches["default"].clear()
    for n in range(2):
        assert page.goto(page.base_url + f"/verify/CM-2026-{n:03d}/").status == 404
    response = page.goto(page.base_url + "/verify/CM-2026-999/")
    assert response.status == 429
    assert int(response.headers["retry-after"]) >= 1
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quá nhiều yêu cầu")
    expect(page.get_by_text("Hãy thử lại sau")).to_be_visible()
    shots(page, screenshot_dir, "rate-limited")
