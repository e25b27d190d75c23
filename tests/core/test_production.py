"""Production behaviour that the test settings do not switch on by themselves: absolute links, the deploy
checks, the shared cache, structured request logs, errors e-mailed to the administrators."""

import datetime
import json
import logging

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import path

from khuyencong.core.links import absolute_url, current_request
from khuyencong.core.logs import JsonFormatter
from khuyencong.settings import caches
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _certificate(officer):
    from khuyencong.selection.models import Certificate
    from tests.selection.test_views import _approved_round

    round_, _d, _m = _approved_round(officer)
    from khuyencong.selection import services

    services.record_decision(
        user=officer,
        round_=round_,
        decision_no="15/QĐ-UBND",
        decision_date=datetime.date(2026, 12, 20),
        signer="Phó Chủ tịch",
    )
    return Certificate.objects.get()


def test_the_certificate_qr_code_points_at_the_address_the_request_came_in_on(client, settings, monkeypatch):
    from khuyencong.documents import layout as certificates

    encoded = []
    real_qr = certificates.qr_svg
    monkeypatch.setattr(certificates, "qr_svg", lambda url: encoded.append(url) or real_qr(url))
    monkeypatch.setattr(
        "weasyprint.HTML.write_pdf", lambda self, *a, **k: b"%PDF-1.7"
    )  # the QR is what counts
    officer = make_user("province_officer", username="sct")
    cert = _certificate(officer)
    client.force_login(officer)
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert (
        client.get(f"/selection/certificates/{cert.pk}/pdf/", HTTP_HOST="127.0.0.1:18100").status_code == 200
    )
    assert encoded[-1] == f"http://127.0.0.1:18100/verify/{cert.number}"
    settings.SITE_URL = "https://khuyencong.camau.gov.vn"
    client.get(f"/selection/certificates/{cert.pk}/pdf/", HTTP_HOST="127.0.0.1:18100")
    assert encoded[-1] == f"https://khuyencong.camau.gov.vn/verify/{cert.number}"


def test_links_made_outside_a_request_fall_back_to_the_first_allowed_host(settings):
    settings.SITE_URL = ""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [".gov.vn", "khuyencong.camau.gov.vn", "10.0.0.5"]
    assert absolute_url("/verify/KC-1") == "https://khuyencong.camau.gov.vn/verify/KC-1"
    request = RequestFactory().get("/", HTTP_HOST="10.0.0.5:8080", secure=True)
    with current_request(request):
        assert absolute_url("/verify/KC-1") == "https://10.0.0.5:8080/verify/KC-1"


def test_an_e_mail_link_uses_the_request_address(settings, django_capture_on_commit_callbacks):
    from khuyencong.notifications.services import notify

    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    user = make_user("province_officer", email="officer@example.vn")
    with (
        current_request(RequestFactory().get("/", HTTP_HOST="127.0.0.1:18100")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify([user], kind="round", subject="Kỳ bình chọn", body="Mở đăng ký", url="/selection/")
    assert "http://127.0.0.1:18100/selection/" in mail.outbox[-1].body


def _deploy_warnings():
    return {
        m.id for m in run_checks(include_deployment_checks=True) if m.id and m.id.startswith("khuyencong.")
    }


def test_check_deploy_warns_in_production_when_site_url_or_a_shared_cache_is_missing(settings):
    settings.PRODUCTION = True
    settings.SITE_URL = ""
    assert _deploy_warnings() == {"khuyencong.W001", "khuyencong.W002"}  # the test suite's memory cache
    settings.SITE_URL = "https://khuyencong.camau.gov.vn"
    settings.CACHES = caches("", testing=False)
    assert _deploy_warnings() == set()
    settings.PRODUCTION = False
    settings.SITE_URL = ""
    assert _deploy_warnings() == set()


def test_the_cache_is_redis_when_configured_and_the_database_otherwise():
    redis = caches("redis://127.0.0.1:6379/1", testing=False)
    assert redis["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    database = caches("", testing=False)
    assert database["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert not any("locmem" in c["BACKEND"] for c in (*redis.values(), *database.values()))


def test_migrate_makes_the_database_cache_table_and_two_cache_connections_agree(settings):
    from django.core.cache import caches as cache_handler
    from django.db import connection

    settings.CACHES = caches("", testing=False)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS khuyencong_cache")
    call_command("migrate", verbosity=0)
    assert "khuyencong_cache" in connection.introspection.table_names()
    cache_handler["default"].set("k", "from one process", 60)
    assert cache_handler.create_connection("default").get("k") == "from one process"


def test_the_redis_cache_is_shared(settings):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/1", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from django.core.cache import caches as cache_handler

    settings.CACHES = caches("redis://127.0.0.1:6379/1", testing=False)
    one, two = cache_handler.create_connection("default"), cache_handler.create_connection("default")
    one.set("shared-test", 42, 30)
    assert two.get("shared-test") == 42
    two.delete("shared-test")


def test_one_json_line_per_request_with_status_duration_and_user(client, settings, caplog):
    settings.REQUEST_LOG = True
    user = make_user("province_officer")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="khuyencong.request"):
        client.get("/registry/establishments/?q=kho")
        client.get("/no-such-page/")
    first, second = (json.loads(JsonFormatter().format(r)) for r in caplog.records)
    assert (
        first["method"] == "GET" and first["path"] == "/registry/establishments/" and first["status"] == 200
    )
    assert first["user_id"] == user.pk and isinstance(first["duration_ms"], float)
    assert first["logger"] == "khuyencong.request" and first["level"] == "INFO"
    assert second["status"] == 404


def _boom(request):
    raise RuntimeError("the disk is full")


urlpatterns = [path("boom/", _boom)]


def test_a_server_error_is_e_mailed_to_the_administrators(client, settings):
    settings.ADMINS = [("Quản trị", "quantri@example.vn")]
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__):
        assert client.get("/boom/").status_code == 500
    (message,) = mail.outbox
    assert message.to == ["quantri@example.vn"] and "the disk is full" in message.body
