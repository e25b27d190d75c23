"""`/healthz`: JSON for a load balancer; 200 when the database answers, migrations are applied and the
worker's heartbeat is fresh (or no worker is expected), 503 naming the check that failed."""

import time
from unittest import mock

import pytest

from khuyencong.core import health, worker

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _fresh(settings):
    health._migrations_applied = False
    worker._cache().delete(worker.HEARTBEAT_KEY)
    yield
    health._migrations_applied = False


def test_healthy_without_login_or_session(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"]["worker"] == {
        "ok": True,
        "detail": "no worker expected",
    }  # the suite runs tasks at once
    assert not response.cookies  # no session, no CSRF cookie
    assert "no-cache" in response["Cache-Control"]


def test_worker_expected_needs_a_fresh_heartbeat(client, db, settings):
    settings.TASKS = DB_TASKS
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]
    assert response.json()["checks"]["worker"]["detail"] == "no heartbeat from the background worker"

    worker.beat("w1")
    assert worker.heartbeat_fresh()
    assert client.get("/healthz").status_code == 200

    stale = {"at": time.time() - 10 * worker.heartbeat_max_age(), "process": "h:1", "worker_id": "w1"}
    worker._cache().set(worker.HEARTBEAT_KEY, stale)
    assert not worker.heartbeat_fresh()
    response = client.get("/healthz")
    assert response.status_code == 503 and "last heartbeat" in response.json()["checks"]["worker"]["detail"]


def test_unapplied_migrations_fail(client, db):
    class Migration:
        app_label, name = "registry", "0099_future"

    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[(Migration(), False)]
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    assert "registry.0099_future" in response.json()["checks"]["migrations"]["detail"]


def test_database_down_fails_every_check_that_needs_it(client, db):
    with mock.patch.dict(health.CHECKS, {"database": lambda: (False, "OperationalError: gone")}):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database", "migrations", "worker"]


def test_database_check_reports_the_error(db):
    with mock.patch.object(health.connections["default"], "cursor", side_effect=RuntimeError("no route")):
        ok, detail = health.check_database()
    assert not ok and detail == "RuntimeError: no route"
