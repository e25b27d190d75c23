"""`khuyencong serve` supervises real child processes: a killed worker is restarted, after a pause that
grows with each quick death, and the death is logged and handed to the sweep (its jobs fail)."""

import logging
import os
import signal
import sys
import threading
import time
from unittest import mock

import pytest

from khuyencong.core import supervisor as sv
from khuyencong.core.management.commands import serve

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def wait_for(condition, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def run_supervisor():
    started = []

    def start(*args, **kwargs):
        kwargs.setdefault("poll_every", 0.05)
        kwargs.setdefault("stop_timeout", 5)
        s = sv.Supervisor(*args, handle_signals=False, **kwargs)
        thread = threading.Thread(target=s.run, daemon=True)
        thread.start()
        started.append((s, thread))
        return s, thread

    yield start
    for s, thread in started:
        s.stop()
        thread.join(10)


def test_a_killed_worker_is_restarted_logged_and_its_jobs_swept(run_supervisor, caplog):
    caplog.set_level(logging.INFO, logger="khuyencong.serve")
    deaths = []
    s, _thread = run_supervisor(None, SLEEPER, on_worker_death=deaths.append, backoff_base=0.1)
    wait_for(lambda: s.worker.pid is not None, what="worker start")
    first = s.worker.pid
    os.kill(first, signal.SIGKILL)
    wait_for(lambda: s.restarts == 1 and s.worker.pid not in (None, first), what="restart")
    assert deaths == [first]
    log = caplog.text
    assert (
        f"Background worker (process {first}) stopped (killed by signal SIGKILL); restarting it in 0.1 s"
        in log
    )
    assert f"Background worker restarted (process {s.worker.pid}; restart 1)" in log
    second = s.worker.pid
    os.kill(second, signal.SIGKILL)  # dies at once again: the pause doubles
    wait_for(lambda: s.restarts == 2, what="second restart")
    assert deaths == [first, second]
    assert "restarting it in 0.2 s" in caplog.text
    s.stop()
    _thread.join(10)
    assert s.worker.poll() is not None  # stopping serve stops the worker


def test_backoff_doubles_up_to_the_cap_and_resets_after_a_stable_run():
    s = sv.Supervisor(None, None, backoff_base=1, backoff_max=60, stable_after=30)
    assert [s.next_delay(0.5) for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert s.next_delay(300) == 1  # ran for five minutes: back to a short pause


def test_when_the_web_server_exits_serve_stops_the_worker_and_fails(run_supervisor):
    web = [sys.executable, "-c", "import sys, time; time.sleep(0.5); sys.exit(3)"]
    s, thread = run_supervisor(web, SLEEPER)
    thread.join(20)
    assert not thread.is_alive() and s.exit_code == 3
    assert s.worker.poll() is not None and s.restarts == 0


def test_serve_runs_gunicorn_with_workers_from_web_concurrency(settings, monkeypatch):
    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    with mock.patch.object(serve.supervisor, "Supervisor") as supervisor_class:
        supervisor_class.return_value.run.return_value = 0
        serve.Command().handle(addrport="127.0.0.1:18201", workers=None, no_worker=False, no_web=False)
    web, worker = supervisor_class.call_args.args
    assert web[1:4] == ["-m", "gunicorn", "khuyencong.wsgi:application"]
    assert web[web.index("--bind") + 1] == "127.0.0.1:18201" and web[web.index("--workers") + 1] == "3"
    assert worker[2:4] == ["khuyencong.cli", "worker"]


def test_default_workers_are_capped(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    with mock.patch.object(sv.os, "cpu_count", return_value=64):
        assert sv.default_web_workers() == 8
    with mock.patch.object(sv.os, "cpu_count", return_value=1):
        assert sv.default_web_workers() == 3
    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    with pytest.raises(ValueError, match="WEB_CONCURRENCY"):
        sv.default_web_workers()


def test_serve_in_development_runs_django_server_and_no_worker_for_the_immediate_backend(settings):
    settings.DEBUG = True
    with mock.patch.object(serve.supervisor, "Supervisor") as supervisor_class:
        supervisor_class.return_value.run.return_value = 0
        serve.Command().handle(addrport="127.0.0.1:18202", workers=1, no_worker=False, no_web=False)
    web, worker = supervisor_class.call_args.args
    assert web[2:5] == ["khuyencong.cli", "runserver", "127.0.0.1:18202"] and worker is None
