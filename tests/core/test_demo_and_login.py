import pytest
from django.apps import apps
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_repeated_wrong_passwords_lock_the_account(client, settings):
    from tests.factories import make_user

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    make_user("province_officer", username="victim")
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "victim", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "victim", "password": "pw-test-123"})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


def test_passwords_are_hashed_with_argon2_in_the_real_settings():
    from khuyencong import settings as real

    assert real.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_the_production_settings_are_secure(monkeypatch):
    import importlib

    monkeypatch.setenv("DJANGO_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    from khuyencong import settings as real

    prod = importlib.reload(real)
    try:
        assert prod.DEBUG is False and prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
        assert prod.SECURE_HSTS_SECONDS > 0
    finally:
        monkeypatch.delenv("DJANGO_ENV")
        importlib.reload(real)


def test_a_system_admin_reaches_every_model_in_the_admin(client):
    from django.contrib import admin

    from tests.factories import TEST_PASSWORD, make_user

    make_user("admin", username="root")
    client.login(username="root", password=TEST_PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200
    project_models = [m for m in apps.get_models() if m.__module__.startswith("khuyencong.")]
    assert [m for m in project_models if m not in admin.site._registry] == []
    for model in project_models:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Log in" in body
