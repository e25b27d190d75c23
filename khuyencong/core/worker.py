"""The background worker's heartbeat: how the web process (and `/healthz`) knows a worker is alive.

The worker (`khuyencong worker`, which `khuyencong serve` starts and supervises) writes a heartbeat
every `WORKER_HEARTBEAT_SECONDS` from a thread, whatever task it runs. The heartbeat lives in the
"progress" cache, not in the database: on SQLite an import holds the database's write lock for as long
as it writes, and the heartbeat must go on meanwhile.
"""

import os
import socket
import threading
import time

from django.conf import settings
from django.core.cache import caches

HEARTBEAT_KEY = "worker:heartbeat"


def heartbeat_interval() -> float:
    return float(getattr(settings, "WORKER_HEARTBEAT_SECONDS", 10))


def heartbeat_max_age() -> float:
    """How old the last heartbeat may be before the worker counts as gone (three missed beats)."""
    return float(getattr(settings, "WORKER_HEARTBEAT_MAX_AGE", 3 * heartbeat_interval()))


def _cache():
    return caches["progress"]


def process_name() -> str:
    """This process as a job row records it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(worker_id: str = "") -> None:
    """Record that a worker is alive now."""
    _cache().set(
        HEARTBEAT_KEY,
        {"at": time.time(), "process": process_name(), "worker_id": worker_id},
        timeout=24 * 3600,
    )


def last_heartbeat() -> dict | None:
    return _cache().get(HEARTBEAT_KEY)


def worker_expected() -> bool:
    """Is a background worker meant to run? Not when tasks run in the request (tests, the immediate backend)."""
    if not getattr(settings, "WORKER_EXPECTED", True):
        return False
    return "django_tasks_db" in settings.TASKS["default"]["BACKEND"]


def heartbeat_fresh(max_age: float | None = None) -> bool:
    """Has a worker beaten within `max_age` seconds (by default three heartbeat intervals)?"""
    last = last_heartbeat()
    if not last:
        return False
    return time.time() - float(last.get("at", 0)) <= (heartbeat_max_age() if max_age is None else max_age)


def worker_status() -> dict:
    """For `/healthz` and the pages: expected, fresh, and the age of the last heartbeat in seconds."""
    last = last_heartbeat()
    age = round(time.time() - float(last["at"]), 1) if last and "at" in last else None
    return {
        "expected": worker_expected(),
        "fresh": heartbeat_fresh(),
        "age_seconds": age,
        "process": (last or {}).get("process"),
    }


class Heartbeat(threading.Thread):
    """A daemon thread that calls `beat()` every interval (it touches the cache only, never the database)."""

    def __init__(self, worker_id: str = "", interval: float | None = None):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = heartbeat_interval() if interval is None else interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                beat(self.worker_id)
                start_daily_jobs()
            except Exception:  # a full disk must not kill the worker
                import logging

                logging.getLogger(__name__).exception("worker heartbeat failed")
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()


# Clean-ups run when a worker starts (and by `serve` when its worker died): each app registers its own,
# e.g. the imports marks the jobs of a dead worker failed. A sweep takes `process` (host:pid of the dead
# worker, or None for "whatever is past its lease") and returns how many records it changed.
SWEEPS = []


def register_sweep(func) -> None:
    if func not in SWEEPS:
        SWEEPS.append(func)


def sweep(process: str | None = None) -> int:
    changed = 0
    for func in SWEEPS:
        changed += func(process) or 0
    return changed


# Daily jobs (deadline reminders): each app registers `func()`; the running worker starts them once a day, at
# the first beat after DAILY_JOBS_HOUR local time, in a thread of their own (the heartbeat thread never
# touches the database). Several workers agree through the cache: the first to claim the day runs them.
DAILY_JOBS = []


def register_daily(func) -> None:
    if func not in DAILY_JOBS:
        DAILY_JOBS.append(func)


def claim_daily_jobs(now=None) -> bool:
    """True once per day (for the first worker to ask at or after the hour), False otherwise."""
    from django.utils import timezone

    now = timezone.localtime(now)
    if now.hour < int(getattr(settings, "DAILY_JOBS_HOUR", 7)):
        return False
    return _cache().add(f"worker:daily:{now.date().isoformat()}", process_name(), timeout=2 * 24 * 3600)


def run_daily_jobs() -> int:
    """Run every registered daily job now (each failure logged, the others still run); returns how many ran."""
    import logging

    ran = 0
    for func in DAILY_JOBS:
        try:
            func()
            ran += 1
        except Exception:
            logging.getLogger(__name__).exception("daily job %s failed", getattr(func, "__name__", func))
    return ran


def _daily_thread() -> None:
    from django.db import connections

    try:
        run_daily_jobs()
    finally:
        connections.close_all()  # this thread's own connections


def start_daily_jobs(now=None) -> bool:
    if not DAILY_JOBS or not worker_expected() or not claim_daily_jobs(now):
        return False
    threading.Thread(target=_daily_thread, name="worker-daily-jobs", daemon=True).start()
    return True
