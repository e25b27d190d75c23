"""Rate limits per client address on enumerable public pages and on the API: 429, Retry-After, a readable page."""

import os
import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command

from khuyencong.api.services import create_token
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {"verify": "3/m", "catalogue": "3/m", "open_data": "2/m", "password_reset": "2/h"}
    settings.API_THROTTLE_RATES = {"anon": "3/m", "token": "4/m"}
    caches["default"].clear()


def hit(client, path, times, **extra):
    return [client.get(path, **extra) for _ in range(times)]


def test_certificate_verification_answers_429_with_retry_after_and_a_vietnamese_page(client):
    answers = hit(client, "/verify/KC-2026-0001/", 4)
    assert [a.status_code for a in answers[:3]] == [404, 404, 404]
    limited = answers[3]
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    page = limited.content.decode()
    assert "Quá nhiều yêu cầu" in page and "Hãy thử lại sau" in page
    assert "no-store" in limited["Cache-Control"], "a shared cache must not serve this 429 to others"


def test_guessing_other_numbers_counts_against_the_same_budget(client):
    statuses = [client.get(f"/verify/KC-2026-{n:04d}/").status_code for n in range(5)]
    assert statuses == [404, 404, 404, 429, 429]
    assert client.get("/verify/?key=KC-2026-0009").status_code == 429


def test_the_limit_is_per_client_address(client):
    hit(client, "/verify/X/", 4, REMOTE_ADDR="192.0.2.10")
    assert client.get("/verify/X/", REMOTE_ADDR="192.0.2.10").status_code == 429
    assert client.get("/verify/X/", REMOTE_ADDR="192.0.2.11").status_code == 404


def test_behind_a_proxy_each_client_has_its_own_budget(client, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    hit(client, "/verify/X/", 4, HTTP_X_FORWARDED_FOR="198.51.100.1", **via_proxy)
    assert client.get("/verify/X/", HTTP_X_FORWARDED_FOR="198.51.100.1", **via_proxy).status_code == 429
    assert client.get("/verify/X/", HTTP_X_FORWARDED_FOR="198.51.100.2", **via_proxy).status_code == 404


def test_catalogue_search_is_limited(client):
    answers = hit(client, "/catalogue/?q=mắm", 4)
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[3]["Retry-After"]) >= 1


@pytest.mark.parametrize(
    "path",
    ["/catalogue/export.csv", "/catalogue/export.json", "/catalogue/summary.csv", "/catalogue/summary.json"],
)
def test_open_data_exports_are_limited(client, path):
    answers = hit(client, path, 3)
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(answers[2]["Retry-After"]) >= 1


def test_a_json_export_over_its_limit_answers_json(client):
    limited = hit(client, "/catalogue/export.json", 3)[2]
    assert limited["Content-Type"].startswith("application/json")
    body = limited.json()
    assert body["retry_after"] == int(limited["Retry-After"])
    assert "Có quá nhiều yêu cầu từ địa chỉ của bạn" in body["detail"]


def test_password_reset_requests_are_limited_per_address(client):
    statuses = [
        client.post("/accounts/password-reset/", {"email": "a@example.vn"}).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert client.get("/accounts/password-reset/").status_code == 200, "only asking for mails is counted"


def test_health_checks_are_never_limited(client, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1/m")
    assert all(r.status_code != 429 for r in hit(client, "/healthz", 10))


def test_limits_off_means_no_limit(client, settings):
    settings.RATE_LIMITS_ENABLED = False
    assert all(r.status_code == 404 for r in hit(client, "/verify/X/", 6))


def test_the_api_throttles_anonymous_calls_per_address(client):
    answers = hit(client, "/api/v1/catalogue/products", 4)
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    limited = answers[3]
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Có quá nhiều yêu cầu từ địa chỉ của bạn" in limited.json()["detail"]
    assert client.get("/api/v1/catalogue/products", REMOTE_ADDR="192.0.2.50").status_code == 200


def test_the_api_throttles_per_token_not_per_address(client):
    user = make_user("viewer")
    _, first = create_token(user=user, name="một")
    _, second = create_token(user=user, name="hai")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {first}"}
    answers = hit(client, "/api/v1/places/provinces", 5, **auth)
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert int(answers[4]["Retry-After"]) >= 1
    assert client.get("/api/v1/places/provinces", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    assert client.get("/api/v1/catalogue/products").status_code == 200, (
        "anonymous calls have their own budget"
    )


def reachable_redis() -> str | None:
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        return None
    return url


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """The caches production uses (the suite's own is in memory): the database's table, or Redis."""
    if request.param == "database":
        default = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kc_test_rate_cache"}
    else:
        url = reachable_redis()
        if url is None:
            pytest.skip("no Redis on 127.0.0.1:6379 (set TEST_REDIS_URL)")
        # A fresh prefix instead of clear(): clearing would flush the whole Redis database.
        default = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"kc-test-{uuid.uuid4().hex}",
        }
    settings.CACHES = {**settings.CACHES, "default": default}
    if request.param == "database":
        call_command("createcachetable", verbosity=0)
    yield request.param
    if request.param == "redis":
        import redis

        connection = redis.Redis.from_url(default["LOCATION"])
        for key in connection.scan_iter(f"{default['KEY_PREFIX']}:*"):
            connection.delete(key)


def test_limits_are_counted_in_the_shared_cache_production_uses(client, shared_cache):
    assert [r.status_code for r in hit(client, "/verify/X/", 4)] == [404, 404, 404, 429]
    assert [r.status_code for r in hit(client, "/api/v1/catalogue/products", 4)] == [200, 200, 200, 429]
    if shared_cache == "database":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM kc_test_rate_cache")
            assert cursor.fetchone()[0] >= 2, (
                "the counters live in the database, where every process sees them"
            )
