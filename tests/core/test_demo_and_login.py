import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"sessions", "auditlog", "axes"}
    }


def test_the_demo_loads_and_a_second_run_changes_nothing():
    call_command("demo", "--no-serve", stdout=open("/dev/null", "w"))
    first = _counts()
    assert first["registry.Establishment"] >= 6 and first["accounts.User"] >= 9
    call_command("demo", "--no-serve", stdout=open("/dev/null", "w"))
    assert _counts() == first


def test_every_demo_role_can_log_in_and_sees_the_dashboard(client):
    from khuyencong.core.demo import DEMO_PASSWORD, DEMO_USERS, load_demo

    load_demo()
    for username, *_ in DEMO_USERS:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        assert client.get(reverse("core:home")).status_code == 200
        client.logout()


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


def test_the_top_bar_shows_unread_notifications(client):
    from khuyencong.core.demo import DEMO_PASSWORD, load_demo
    from khuyencong.notifications.models import Notification

    ctx = load_demo()
    user = ctx["users"]["coso.khomuc"]
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    client.login(username="coso.khomuc", password=DEMO_PASSWORD)
    body = client.get(reverse("core:home")).content.decode()
    assert 'title="Thông báo"' in body
    if unread:
        assert f'data-testid="unread">{unread}<' in body


def test_each_demo_role_sees_exactly_the_establishments_of_its_place(client):
    from khuyencong.core.demo import DEMO_PASSWORD, load_demo
    from khuyencong.registry.models import Establishment

    load_demo()
    live = Establishment.objects.filter(archived_at__isnull=True)
    expected = {
        "admin": live.count(),
        "bo.cuc": live.count(),
        "sct.camau": live.filter(province_id=96).count(),
        "sct.cantho": live.filter(province_id=92).count(),
        "xa.songdoc": live.filter(commune_id=32098).count(),
        "coso.khomuc": 1,
    }
    assert expected["sct.camau"] < expected["bo.cuc"] and 0 < expected["xa.songdoc"] < expected["sct.camau"]
    for username, count in expected.items():
        client.login(username=username, password=DEMO_PASSWORD)
        body = client.get(reverse("registry:establishment_list")).content.decode()
        assert f"{count} cơ sở" in body, username
        client.logout()
    client.login(username="giamkhao1", password=DEMO_PASSWORD)
    assert "0 cơ sở" in client.get(reverse("registry:establishment_list")).content.decode()


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
