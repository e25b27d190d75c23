"""Login lockout by the pair (user name, client address), with the address from the trusted proxy header."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from khuyencong.accounts.clients import client_address
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # every request reaches the application through this reverse proxy
OFFICE = "203.0.113.5"  # the public address of a whole department behind one NAT


@pytest.fixture(autouse=True)
def behind_a_proxy(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXY_COUNT = 1


def log_in(username, password, address, forwarded=None):
    """A login through the proxy: it appends the address it saw to whatever X-Forwarded-For the client sent."""
    chain = f"{forwarded}, {address}" if forwarded else address
    return Client().post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=chain,
    )


def fail_five_times(username, address):
    for _ in range(5):
        log_in(username, "wrong password", address)


def test_five_wrong_logins_from_one_address_do_not_lock_out_other_users_behind_the_same_proxy():
    make_user("province_officer", username="lan")
    make_user("province_officer", username="minh")
    fail_five_times("lan", OFFICE)

    other_user = log_in("minh", TEST_PASSWORD, OFFICE)
    assert other_user.status_code == 302, "a colleague behind the same proxy must still log in"
    assert other_user["Location"] == "/"


def test_the_locked_user_can_still_log_in_from_another_address():
    make_user("province_officer", username="lan")
    fail_five_times("lan", OFFICE)

    assert log_in("lan", TEST_PASSWORD, "198.51.100.7").status_code == 302


def test_the_locked_pair_is_refused_even_with_the_right_password_and_told_when_to_retry(settings):
    settings.AXES_COOLOFF_TIME = __import__("datetime").timedelta(minutes=15)
    make_user("province_officer", username="lan")
    fail_five_times("lan", OFFICE)

    response = log_in("lan", TEST_PASSWORD, OFFICE)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page
    assert "Bạn có thể thử lại lúc" in page
    assert "sau khoảng 15 phút nữa" in page
    last = AccessAttempt.objects.get(username="lan").attempt_time
    from django.utils import timezone

    retry_at = timezone.localtime(last + settings.AXES_COOLOFF_TIME)
    assert retry_at.strftime("%H:%M") in page
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60


def test_four_wrong_logins_do_not_lock():
    make_user("province_officer", username="lan")
    for _ in range(4):
        log_in("lan", "wrong password", OFFICE)
    assert log_in("lan", TEST_PASSWORD, OFFICE).status_code == 302


def test_an_address_the_client_wrote_into_the_header_is_not_trusted():
    """A client sending its own X-Forwarded-For cannot escape the lockout by inventing new addresses."""
    make_user("province_officer", username="lan")
    for n in range(5):
        log_in("lan", "wrong password", OFFICE, forwarded=f"192.0.2.{n}")

    assert log_in("lan", TEST_PASSWORD, OFFICE, forwarded="192.0.2.99").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}


def test_the_client_address_is_the_entry_the_trusted_proxies_added(rf, settings):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5, 10.0.0.9")
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_HEADER = ""
    assert client_address(request) == PROXY, "without a configured proxy the header is ignored"


def test_without_the_header_the_proxy_address_is_used(rf):
    assert client_address(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY
    assert client_address(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not an address")) == PROXY


def test_resetting_the_password_by_e_mail_ends_the_lockout(django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    make_user("province_officer", username="lan", email="lan@camau.gov.vn")
    fail_five_times("lan", OFFICE)
    assert log_in("lan", TEST_PASSWORD, OFFICE).status_code == 429

    browser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OFFICE)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/accounts/password-reset/", {"email": "lan@camau.gov.vn"})
    path = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = browser.get(path, follow=True)
    browser.post(
        form.redirect_chain[-1][0], {"new_password1": "Song-Doc-2026!", "new_password2": "Song-Doc-2026!"}
    )

    assert log_in("lan", "Song-Doc-2026!", OFFICE).status_code == 302
