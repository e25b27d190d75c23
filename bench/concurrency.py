"""Concurrent writers against a real server (gunicorn, several worker processes) on one database.

    .venv/bin/python bench/concurrency.py [--seconds 20] [--writers 8] [--port 18150] [--database-url URL]

Creates a fresh database (a temporary SQLite file, or the PostgreSQL database given), an officer with an
API token and a selection round whose results wait for approval; starts `khuyencong serve` (gunicorn, 4
workers, no background worker); then N threads create establishments through the API for the given time
while 3 sessions of the officer approve the same results at once. Reports the answers by status class
(5xx must be 0), the establishments created and the throughput. `bench/run.py` calls `run()`; the test
`tests/core/test_concurrency.py` uses the same functions with a fixed number of requests (no timing).
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
PASSWORD = "pw-concurrency-123"

# Runs in a child process with the server's environment: the schema, the officer, the token, the round.
SETUP = r"""
import datetime, json, os, sys
sys.path.insert(0, os.environ["KC_ROOT"])
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from khuyencong.api.services import create_token
from khuyencong.selection import services
from tests.factories import make_user
from tests.selection.factories import assign, full_points, make_dossier, make_round, seat
officer = make_user("province_officer", username="sct.bench", province_id=96)
officer.set_password(os.environ["KC_PASSWORD"]); officer.save()
_token, raw = create_token(user=officer, name="bench")
round_ = make_round(status="scoring", province_id=96)
members = [seat(round_) for _ in range(3)]
dossiers = [make_dossier(round_, status="eligible") for _ in range(6)]
for m in members:
    for d in dossiers:
        assign(m, d)
        services.save_score(user=m.user, dossier=d, points=full_points(round_), submit=True)
services.close_scoring(user=officer, round_=round_)
print(json.dumps({"token": raw, "username": officer.username, "round": round_.pk, "dossiers": len(dossiers)}))
"""

COUNT = r"""
import json, os, sys
sys.path.insert(0, os.environ["KC_ROOT"])
import django
django.setup()
from khuyencong.registry.models import Establishment
from khuyencong.selection.models import Result, Round
r = Round.objects.get(pk=int(os.environ["KC_ROUND"]))
print(json.dumps({"establishments": Establishment.objects.filter(code__startswith="W").count(),
                  "results": Result.objects.filter(round=r).count(), "round_status": r.status}))
"""


def server_env(database_url: str, workdir: Path) -> dict:
    """A server like production's (DEBUG off, gunicorn, persistent connections) without TLS or collectstatic."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "CONN_MAX_AGE": "60",
        "SECRET_KEY": "bench-concurrency-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "PROGRESS_CACHE_DIR": str(workdir / "progress"),
        "STATIC_ROOT": str(workdir / "static"),
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "AXES_ENABLED": "0",
        "KC_ROOT": str(ROOT),
        "KC_PASSWORD": PASSWORD,
    })
    return env


def prepare(env: dict) -> dict:
    out = subprocess.run([PYTHON, "-c", SETUP], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if out.returncode:
        raise RuntimeError(f"setting up the database failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def counts(env: dict, round_id: int) -> dict:
    out = subprocess.run([PYTHON, "-c", COUNT], env={**env, "KC_ROUND": str(round_id)}, cwd=ROOT,
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _wait_for(port: int, proc, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer on port {port}")


@contextmanager
def server(env: dict, port: int, workers: int = 4, log: Path | None = None):
    """`khuyencong serve` (gunicorn) on 127.0.0.1:port in its own process group, stopped on exit."""
    out = open(log, "wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [PYTHON, "-m", "khuyencong.cli", "serve", f"127.0.0.1:{port}", "--workers", str(workers), "--no-worker"],
        env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        _wait_for(port, proc)
        warm_up(f"http://127.0.0.1:{port}", proc)
        yield proc
    finally:
        import signal

        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        if log:
            out.close()


def warm_up(base: str, proc, timeout: float = 180) -> None:
    """Gunicorn listens before its workers have imported Django: wait until pages answer, then load
    every worker once (concurrent requests spread over them)."""
    import requests

    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode})")
        try:
            if requests.get(f"{base}/accounts/login/", timeout=30).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not answer")
        time.sleep(0.5)
    threads = [threading.Thread(target=lambda: requests.get(f"{base}/api/v1/openapi.json", timeout=120))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _status_class(code: int) -> str:
    return f"{code // 100}xx"


def writers(base: str, token: str, n: int, *, seconds: float | None = None, requests_each: int | None = None,
            start: threading.Barrier | None = None) -> dict:
    """n threads POST establishments until `seconds` pass or each made `requests_each` requests."""
    import requests

    statuses: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    go = threading.Barrier(n + 1)
    stop_at = [0.0]

    def work(i: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        go.wait()
        k = 0
        while True:
            if requests_each is not None and k >= requests_each:
                break
            if seconds and time.monotonic() >= stop_at[0]:
                break
            payload = {"code": f"W{i}-{k}", "name": f"Cơ sở đồng thời {i}-{k}", "kind": "household", "province": 96}
            try:
                r = session.post(f"{base}/api/v1/establishments/", json=payload, timeout=60)
                code = r.status_code
                if code >= 500:
                    with lock:
                        errors.append(r.text[:300])
            except requests.RequestException as exc:
                code = 0
                with lock:
                    errors.append(repr(exc))
            with lock:
                statuses[_status_class(code) if code else "failed"] += 1
            k += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    if start:
        start.wait()
    started = time.monotonic()
    stop_at[0] = started + (seconds or 0)
    go.wait()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"statuses": dict(statuses), "errors": errors[:5], "elapsed": elapsed}


def login(base: str, username: str, password: str):
    import requests

    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = session.post(f"{base}/accounts/login/", data={"username": username, "password": password,
                                                      "csrfmiddlewaretoken": token},
                     headers={"Referer": f"{base}/accounts/login/"}, timeout=60, allow_redirects=False)
    if r.status_code != 302:
        raise RuntimeError(f"login as {username} answered {r.status_code}")
    return session


def approvals(base: str, username: str, round_id: int, n: int = 3) -> dict:
    """n sessions of the same officer approve the same round's results at the same moment."""
    sessions = [login(base, username, PASSWORD) for _ in range(n)]
    barrier = threading.Barrier(n)
    statuses: Counter = Counter()
    lock = threading.Lock()

    def approve(session) -> None:
        token = session.cookies.get("csrftoken")
        barrier.wait()
        r = session.post(f"{base}/selection/rounds/{round_id}/do/approve/", data={"csrfmiddlewaretoken": token},
                         headers={"Referer": f"{base}/selection/rounds/{round_id}/"}, timeout=60,
                         allow_redirects=False)
        with lock:
            statuses[_status_class(r.status_code)] += 1

    threads = [threading.Thread(target=approve, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"statuses": dict(statuses)}


def scenario(database_url: str, port: int, *, writers_n: int = 8, seconds: float | None = None,
             requests_each: int | None = None, workdir: Path | None = None) -> dict:
    """The whole run: prepare, serve, writers and approvals together, count what the database holds."""
    tmp = None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory(prefix="kc-concurrency-")
        workdir = Path(tmp.name)
    env = server_env(database_url, workdir)
    data = prepare(env)
    base = f"http://127.0.0.1:{port}"
    with server(env, port, log=workdir / "server.log"):
        approval_result: dict = {}
        writing = threading.Barrier(2)

        def run_approvals():
            writing.wait()  # the writers are under way when the three approvals start together
            approval_result.update(approvals(base, data["username"], data["round"]))

        approver = threading.Thread(target=run_approvals)
        approver.start()
        write_result = writers(base, data["token"], writers_n, seconds=seconds, requests_each=requests_each,
                               start=writing)
        approver.join()
    stored = counts(env, data["round"])
    server_errors = [line for line in (workdir / "server.log").read_text(errors="replace").splitlines()
                     if "Traceback" in line or "database is locked" in line]
    if tmp:
        tmp.cleanup()
    return {"writes": write_result, "approvals": approval_result, "stored": stored, "dossiers": data["dossiers"],
            "server_errors": server_errors[:5]}


def postgres_answers(url: str) -> bool:
    """The server answers (the database itself may not exist yet: it is made afresh)."""
    try:
        import psycopg

        base = url.replace("postgres://", "postgresql://", 1).rpartition("/")[0]
        psycopg.connect(f"{base}/postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


def report(label: str, result: dict, seconds: float) -> None:
    w = result["writes"]
    created = result["stored"]["establishments"]
    five = w["statuses"].get("5xx", 0) + result["approvals"]["statuses"].get("5xx", 0)
    print(f"{label}: {sum(w['statuses'].values())} API writes in {w['elapsed']:.1f} s by 8 writers "
          f"({w['statuses']}), {created} establishments created = {created / w['elapsed']:.0f}/s; "
          f"3 concurrent approvals {result['approvals']['statuses']}; 5xx answers: {five}")
    for e in w["errors"]:
        print(f"   5xx: {e}")


def run(seconds: float = 20, port: int = 18150, postgres_url: str | None = None) -> None:
    """Called by bench/run.py: SQLite always, PostgreSQL when it answers."""
    print(f"\nConcurrency: 8 API writers for {seconds:.0f} s + 3 concurrent approvals, gunicorn with 4 workers")
    with tempfile.TemporaryDirectory(prefix="kc-concurrency-") as tmp:
        result = scenario(f"sqlite:///{tmp}/bench.sqlite3", port, seconds=seconds, workdir=Path(tmp))
        report("  SQLite", result, seconds)
    url = postgres_url or os.environ.get("BENCH_POSTGRES_URL")
    if url and postgres_answers(url):
        _recreate_postgres(url)
        with tempfile.TemporaryDirectory(prefix="kc-concurrency-") as tmp:
            result = scenario(url, port + 1, seconds=seconds, workdir=Path(tmp))
            report("  PostgreSQL", result, seconds)
    else:
        print("  PostgreSQL: not answering (set BENCH_POSTGRES_URL): skipped")


def _recreate_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base.replace('postgres://', 'postgresql://', 1)}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=18150)
    parser.add_argument("--postgres-url", default=None, help="a database the benchmark may drop and create")
    args = parser.parse_args()
    run(args.seconds, args.port, args.postgres_url)


if __name__ == "__main__":
    main()
