"""The fault itself: `khuyencong serve` runs a real worker; the worker is killed (SIGKILL) in the middle of
an import. The job is marked failed with the reason at once, `serve` restarts the worker (and says so in
its log), and a retry runs on the new worker to the end."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection

from khuyencong.interchange.models import ImportJob
from khuyencong.interchange.tasks import run_import
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def wait_for(condition, what, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_a_failed_retryable_job_and_is_restarted(settings, tmp_path):
    settings.TASKS = DB_TASKS
    officer = make_user("province_officer", username="sct96kill", province_id=96)
    imports = Path(settings.PRIVATE_MEDIA_ROOT) / "imports"
    imports.mkdir(parents=True, exist_ok=True)
    fifo = imports / "blocked.csv"
    os.mkfifo(fifo)  # the worker's read blocks here, mid-task, until the test says otherwise
    job = ImportJob.objects.create(
        user=officer,
        kind="establishments",
        file="imports/blocked.csv",
        original_name="co-so.csv",
        status="running",
        phase="check",
    )
    result = run_import.enqueue(job.pk, "check", "vi")
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))

    if connection.vendor == "sqlite":  # the suite's database is in memory: the worker gets a copy on disk
        database = tmp_path / "db.sqlite3"
        destination = sqlite3.connect(database)
        connection.connection.backup(destination)
        destination.close()
        url = f"sqlite:///{database}"

        def query(sql, *params):
            with sqlite3.connect(database) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchone()
    else:
        params = connection.settings_dict
        url = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"

        def query(sql, *params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()

    def row():
        return query(
            "SELECT status, failure, worker, attempts FROM interchange_importjob WHERE id = %s", job.pk
        )

    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "REDIS_URL"))}
    env.update(
        DATABASE_URL=url,
        PROGRESS_CACHE_DIR=str(tmp_path / "progress"),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
        WORKER_HEARTBEAT_SECONDS="0.5",
        IMPORT_LEASE_SECONDS="600",
        DJANGO_SETTINGS_MODULE="khuyencong.settings",
    )
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115 - read while the process runs
    serve = subprocess.Popen(
        [sys.executable, "-m", "khuyencong.cli", "serve", "--no-web"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # the worker claimed the job and is blocked reading its file
        status, failure, worker, attempts = wait_for(
            lambda: (r := row()) and r[2] and r, "the worker to start the job"
        )
        assert status == "running" and attempts == 1
        pid = int(worker.rsplit(":", 1)[1])
        os.kill(pid, signal.SIGKILL)

        status, failure, *_ = wait_for(
            lambda: (r := row()) and r[0] != "running" and r, "the job to be failed"
        )
        assert (status, failure) == ("failed", "worker_stopped")
        task_status = query(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s",
            str(result.id).replace("-", "") if connection.vendor == "sqlite" else str(result.id),
        )
        assert task_status == ("FAILED",)

        text = wait_for(
            lambda: "Background worker restarted" in (t := Path(log.name).read_text()) and t,
            "serve to restart the worker",
        )
        assert f"Background worker (process {pid}) stopped (killed by signal SIGKILL)" in text
        assert "Marked 1 job(s) of the stopped worker as failed." in text
        heartbeats = FileBasedCache(str(tmp_path / "progress"), {})
        beat = wait_for(
            lambda: (h := heartbeats.get("worker:heartbeat")) and not h["process"].endswith(f":{pid}") and h,
            "a heartbeat from the new worker",
        )
        assert time.time() - beat["at"] < 60

        # retry (as the page's button does), on a file that can now be read: the new worker finishes it
        fifo.unlink()
        fifo.write_text("code;name;kind;province;commune\nK-1;Cơ sở K;household;96;\n", encoding="utf-8")
        retry = (
            "import django; django.setup()\n"
            "from khuyencong.interchange.models import ImportJob\n"
            "from khuyencong.interchange.services import retry_job\n"
            f"job = ImportJob.objects.get(pk={job.pk}); retry_job(user=job.user, job=job)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", retry], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        status, failure, worker, attempts = wait_for(
            lambda: (r := row()) and r[0] not in ("running", "failed") and r, "the retried job to finish"
        )
        assert status in ("checked", "refused") and attempts == 2 and failure == ""
        assert not worker.endswith(f":{pid}")
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            serve.kill()
        log.close()
