"""Several app servers, one database: two `serve` processes (gunicorn) on different ports against the same
PostgreSQL and the same Redis; a user who logs in on one is logged in on the other (sessions in the database,
the cache shared), and logging out on one ends the session on both."""

import importlib.util
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_concurrency", ROOT / "bench" / "concurrency.py")
concurrency = importlib.util.module_from_spec(spec)
spec.loader.exec_module(concurrency)


@pytest.mark.django_db(transaction=True)
def test_a_login_on_one_server_works_on_the_other(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("runs on PostgreSQL (DATABASE_URL=postgres://…): SQLite is one machine's file")
    import redis
    import requests

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/1", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 for the shared cache")
    user = make_user("province_officer", username="sct.haimay")
    # The servers hash with the production hashers (the suite's MD5 hasher is for speed only).
    user.password = PBKDF2PasswordHasher().encode("pw-two-servers-1", PBKDF2PasswordHasher().salt())
    user.save()
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**concurrency.server_env(url, tmp_path), "REDIS_URL": "redis://127.0.0.1:6379/1"}
    with (
        concurrency.server(env, 18161, workers=2, log=tmp_path / "a.log"),
        concurrency.server(env, 18162, workers=2, log=tmp_path / "b.log"),
    ):
        a, b = "http://127.0.0.1:18161", "http://127.0.0.1:18162"
        session = concurrency.login(a, "sct.haimay", "pw-two-servers-1")
        on_b = session.get(f"{b}/registry/establishments/", allow_redirects=False)
        assert on_b.status_code == 200 and "Cơ sở" in on_b.text
        session.post(
            f"{b}/accounts/logout/",
            data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": f"{b}/"},
            allow_redirects=False,
        )
        on_a = session.get(f"{a}/registry/establishments/", allow_redirects=False)
        assert on_a.status_code == 302 and "/accounts/login/" in on_a.headers["Location"]
        stranger = requests.get(f"{b}/registry/establishments/", allow_redirects=False)
        assert stranger.status_code == 302
