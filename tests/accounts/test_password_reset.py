"""Password reset by e-mail: Django's views, a mail sent after commit, and no way to learn who has an account."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def reset_link(message) -> str:
    return re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)


def ask_for_reset(client, email, capture):
    with capture(execute=True) as callbacks:
        response = client.post("/accounts/password-reset/", {"email": email}, follow=True)
    return response, callbacks


def test_the_login_page_links_to_the_reset_page(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in page
    assert "Quên mật khẩu?" in page


def test_a_known_address_gets_a_mail_with_an_absolute_link_that_sets_a_new_password(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://khuyencong.camau.gov.vn"
    make_user(
        "province_officer", username="lan", email="lan@camau.gov.vn", last_name="Trần", first_name="Lan"
    )

    response, _ = ask_for_reset(client, "LAN@camau.gov.vn", django_capture_on_commit_callbacks)
    assert "Hãy xem hộp thư" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lan@camau.gov.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    assert "Xin chào Trần Lan" in message.body
    link = reset_link(message)
    assert link.startswith("https://khuyencong.camau.gov.vn/accounts/reset/")

    form = client.get(link.removeprefix("https://khuyencong.camau.gov.vn"), follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
        follow=True,
    )
    assert "Đã đổi mật khẩu" in done.content.decode()
    assert get_user_model().objects.get(username="lan").check_password("Mat-khau-moi-2026")

    again = client.get(link.removeprefix("https://khuyencong.camau.gov.vn"), follow=True)
    assert "Liên kết này không còn dùng được" in again.content.decode(), "a reset link works once"


def test_an_unknown_address_reads_exactly_like_a_known_one(client, django_capture_on_commit_callbacks):
    make_user("province_officer", username="lan", email="lan@camau.gov.vn")
    known, _ = ask_for_reset(client, "lan@camau.gov.vn", django_capture_on_commit_callbacks)
    unknown, _ = ask_for_reset(client, "nobody@camau.gov.vn", django_capture_on_commit_callbacks)

    assert known.redirect_chain == unknown.redirect_chain == [("/accounts/password-reset/sent/", 302)]
    strip = lambda page: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", page)  # noqa: E731
    assert strip(known.content.decode()) == strip(unknown.content.decode())
    assert len(mail.outbox) == 1


def test_without_site_url_the_link_uses_the_address_the_request_came_in_on(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    make_user("viewer", username="an", email="an@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "an@example.vn"}, HTTP_HOST="127.0.0.1:18100")
    assert reset_link(mail.outbox[0]).startswith("http://127.0.0.1:18100/accounts/reset/")


def test_the_mail_leaves_only_after_the_transaction_commits(client, django_capture_on_commit_callbacks):
    make_user("viewer", username="an", email="an@example.vn")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post("/accounts/password-reset/", {"email": "an@example.vn"})
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_inactive_users_and_users_without_a_usable_password_get_no_mail(
    client, django_capture_on_commit_callbacks
):
    make_user("viewer", username="gone", email="gone@example.vn", is_active=False)
    nopass = make_user("viewer", username="nopass", email="nopass@example.vn")
    nopass.set_unusable_password()
    nopass.save()
    for email in ("gone@example.vn", "nopass@example.vn"):
        response, _ = ask_for_reset(client, email, django_capture_on_commit_callbacks)
        assert response.status_code == 200
    assert mail.outbox == []


def test_a_malformed_address_is_refused_with_a_clear_message(client):
    response = client.post("/accounts/password-reset/", {"email": "not-an-address"})
    assert response.status_code == 200
    assert "Nhập địa chỉ email" in response.content.decode()
