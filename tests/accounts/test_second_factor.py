"""TOTP second factor (django-otp): enrolment with a QR code, recovery codes, the code step after the password."""

import re
import time

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts import second_factor, services
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def code_for(device, steps_ahead=0):
    """What the phone shows (steps_ahead=1: the next 30-second code, accepted within the tolerance)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrolled(user):
    device = services.start_totp_enrolment(user=user)
    codes = services.confirm_totp_enrolment(user=user, device=device, token=code_for(device))
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def required_for_officers(settings):
    settings.OTP_REQUIRED_FOR = ["officers"]


def test_by_default_nobody_is_asked_for_a_second_factor(client):
    client.force_login(make_user("province_officer"))
    assert client.get("/").status_code == 200


def test_an_officer_who_must_use_it_can_do_nothing_before_enrolling(client, required_for_officers):
    officer = make_user("province_officer")
    client.force_login(officer)
    for path in ("/", "/registry/establishments/", "/accounts/profile/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/two-step/set-up/"
        ), path
    page = client.get("/accounts/two-step/set-up/").content.decode()
    assert "Vai trò của bạn bắt buộc xác thực hai bước" in page


def test_the_admin_site_is_covered_too(client, settings):
    settings.OTP_REQUIRED_FOR = ["admins"]
    admin = make_user("admin", username="root")
    client.force_login(admin)
    assert client.get("/admin/")["Location"].startswith("/accounts/two-step/set-up/")
    enrolled(admin)
    client.force_login(admin)  # a new password login: the code is asked again
    assert client.get("/admin/")["Location"].startswith("/accounts/two-step/?next=/admin/")


def test_viewers_and_judges_are_not_forced_when_officers_are(client, required_for_officers):
    for role in ("viewer", "judge", "establishment", "commune_officer"):
        client.force_login(make_user(role))
        assert client.get("/accounts/profile/").status_code == 200, role


@pytest.mark.parametrize(
    ("groups", "forced"),
    [
        ([], set()),
        (["admins"], {"admin"}),
        (["officers"], {"admin", "province_officer"}),
        (["staff"], {"admin", "province_officer", "commune_officer"}),
        (["everyone"], {"admin", "province_officer", "commune_officer", "viewer", "judge"}),
    ],
)
def test_who_must_use_a_second_factor(settings, groups, forced):
    settings.OTP_REQUIRED_FOR = groups
    roles = ["admin", "province_officer", "commune_officer", "viewer", "judge"]
    assert {role for role in roles if second_factor.requires_second_factor(make_user(role))} == forced


def test_an_unknown_group_in_the_setting_is_a_system_check_error(settings):
    settings.OTP_REQUIRED_FOR = ["officer"]
    with pytest.raises(SystemCheckError, match="OTP_REQUIRED_FOR names unknown group"):
        call_command("check")


def test_enrolment_shows_a_qr_code_and_is_confirmed_by_a_first_code(client, required_for_officers):
    officer = make_user("province_officer", username="lan")
    client.force_login(officer)
    page = client.get("/accounts/two-step/set-up/").content.decode()
    assert 'src="data:image/svg+xml' in page
    assert "Quét mã QR này bằng ứng dụng" in page
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert len(secret.replace(" ", "")) == 32

    wrong = client.post(
        "/accounts/two-step/set-up/", {"token": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code

    done = client.post("/accounts/two-step/set-up/", {"token": code_for(device)})
    html = done.content.decode()
    assert "Đã bật xác thực hai bước" in html
    codes = re.findall(r'user-select-all">([a-z2-7]{8})<', html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)) == sorted(
        codes
    )
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200, "the enrolling session counts as verified"
    assert "Đang bật" in client.get("/accounts/profile/").content.decode()
    assert LogEntry.objects.get_for_object(device).exists(), "the enrolment is audited"


def test_a_wrong_code_makes_the_next_try_wait_and_says_until_when(client, required_for_officers):
    officer = make_user("province_officer")
    client.force_login(officer)
    client.get("/accounts/two-step/set-up/")
    device = TOTPDevice.objects.get(user=officer)
    bad = "123456" if code_for(device) != "123456" else "654321"
    client.post("/accounts/two-step/set-up/", {"token": bad})
    refused = client.post("/accounts/two-step/set-up/", {"token": code_for(device)})
    assert "Nhập sai mã quá nhiều lần. Hãy chờ đến" in refused.content.decode()


def test_after_the_password_an_enrolled_user_must_type_the_code(client):
    user = make_user("viewer", username="an")
    device, _ = enrolled(user)
    client.force_login(user)
    assert client.get("/reports/")["Location"] == "/accounts/two-step/?next=/reports/"
    page = client.get("/accounts/two-step/?next=/reports/").content.decode()
    assert "Mật khẩu đã đúng" in page

    wrong = client.post(
        "/accounts/two-step/", {"token": "12 34 56" if code_for(device, 1) != "123456" else "654321"}
    )
    assert "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()

    ok = client.post("/accounts/two-step/", {"token": code_for(device, 1), "next": "/reports/"})
    assert ok.status_code == 302 and ok["Location"] == "/reports/"
    assert client.get("/accounts/profile/").status_code == 200


def test_a_recovery_code_works_once(client):
    user = make_user("viewer", username="an")
    _, codes = enrolled(user)

    client.force_login(user)
    ok = client.post("/accounts/two-step/", {"token": codes[0].upper()}, follow=True)
    assert "Bạn đã dùng một mã khôi phục; còn lại 9 mã" in ok.content.decode()

    client.logout()
    client.force_login(user)
    again = client.post("/accounts/two-step/", {"token": codes[0]})
    assert "Mã không đúng" in again.content.decode()
    assert client.get("/accounts/profile/").status_code == 302


def test_a_session_owing_a_code_cannot_open_the_enrolment_or_make_recovery_codes(client):
    user = make_user("viewer")
    enrolled(user)
    client.force_login(user)
    assert client.get("/accounts/two-step/set-up/")["Location"].startswith("/accounts/two-step/?")
    assert client.post("/accounts/two-step/recovery-codes/")["Location"].startswith("/accounts/two-step/")
    assert client.post("/accounts/two-step/turn-off/")["Location"].startswith("/accounts/two-step/")
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client):
    user = make_user("viewer")
    device, old = enrolled(user)
    client.force_login(user)
    client.post("/accounts/two-step/", {"token": code_for(device, 1)})
    page = client.post("/accounts/two-step/recovery-codes/").content.decode()
    new = re.findall(r'user-select-all">([a-z2-7]{8})<', page)
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=user).count() == 10


def test_turning_it_off_is_refused_when_the_role_requires_it(client, settings):
    officer = make_user("province_officer")
    device, _ = enrolled(officer)
    client.force_login(officer)
    client.post("/accounts/two-step/", {"token": code_for(device, 1)})

    settings.OTP_REQUIRED_FOR = ["officers"]
    refused = client.post("/accounts/two-step/turn-off/", follow=True)
    assert "Vai trò của bạn bắt buộc xác thực hai bước: không thể tắt" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=officer).exists()

    settings.OTP_REQUIRED_FOR = []
    done = client.post("/accounts/two-step/turn-off/", follow=True)
    assert "Đã tắt xác thực hai bước" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticToken.objects.filter(device__user=officer).exists()


def test_the_api_is_not_affected_tokens_authenticate_on_their_own(client):
    user = make_user("viewer")
    enrolled(user)
    client.force_login(user)
    assert client.get("/api/v1/places/provinces").status_code == 401
