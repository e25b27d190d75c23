"""What `khuyencong serve` runs: the web server and the background worker as child processes, watched.

The web server (gunicorn, or Django's server in development) runs for as long as `serve` does: if it
exits, `serve` stops the worker and exits with its code (systemd, or the operator, starts it again).
The worker is restarted whenever it dies, after a pause that doubles with each quick death (1 s, 2 s,
4 s … up to a minute; a worker that ran for a while starts again after 1 s), and every death and
restart is written to the log. When the worker died, its running jobs are marked failed at once
(`core.worker.sweep`); every half minute the jobs past their lease are too.
"""

import logging
import os
import signal
import subprocess
import sys
import threading
import time

logger = logging.getLogger("khuyencong.serve")


def _die_with_parent():
    """In a child (Linux): receive SIGTERM when `serve` dies, even killed outright."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


class Child:
    def __init__(self, name: str, argv: list[str]):
        self.name = name
        self.argv = argv
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.argv, preexec_fn=_die_with_parent if sys.platform == "linux" else None
        )
        self.started_at = time.monotonic()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def poll(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self, timeout: float) -> None:
        """Ask the child to stop (SIGTERM: the worker finishes its current task); end it after `timeout`."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            logger.warning("%s (process %s) did not stop within %s s: killed", self.name, self.pid, timeout)
            self.process.kill()
            self.process.wait()


class Supervisor:
    def __init__(
        self,
        web: list[str] | None,
        worker: list[str] | None,
        *,
        on_worker_death=None,
        periodic=None,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        stable_after: float = 30.0,
        periodic_every: float = 30.0,
        poll_every: float = 0.25,
        stop_timeout: float = 20.0,
        handle_signals: bool = True,
    ):
        self.handle_signals = handle_signals
        self.web = Child("web server", web) if web else None
        self.worker = Child("background worker", worker) if worker else None
        self.on_worker_death = on_worker_death
        self.periodic = periodic
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.stable_after = stable_after
        self.periodic_every = periodic_every
        self.poll_every = poll_every
        self.stop_timeout = stop_timeout
        self.quick_deaths = 0
        self.restarts = 0
        self.restart_at: float | None = None
        self._stop = threading.Event()
        self.exit_code = 0

    def stop(self, signum=None, frame=None) -> None:
        self._stop.set()

    def next_delay(self, lived: float) -> float:
        """The pause before restarting a worker that died after running `lived` seconds."""
        self.quick_deaths = self.quick_deaths + 1 if lived < self.stable_after else 1
        return min(self.backoff_max, self.backoff_base * 2 ** (self.quick_deaths - 1))

    def _run_hook(self, hook, *args) -> None:
        if hook is None:
            return
        try:
            hook(*args)
        except Exception:
            logger.exception("serve: %s failed", getattr(hook, "__name__", hook))

    def check_worker(self, now: float) -> None:
        worker = self.worker
        if worker is None:
            return
        if worker.process is not None:
            code = worker.poll()
            if code is None:
                return
            pid = worker.pid
            delay = self.next_delay(now - worker.started_at)
            worker.process = None
            self.restart_at = now + delay
            logger.warning(
                "Background worker (process %s) stopped (%s); restarting it in %g s.",
                pid,
                describe_exit(code),
                delay,
            )
            self._run_hook(self.on_worker_death, pid)
        elif self.restart_at is not None and now >= self.restart_at:
            worker.start()
            self.restarts += 1
            self.restart_at = None
            logger.warning("Background worker restarted (process %s; restart %s).", worker.pid, self.restarts)

    def run(self) -> int:
        if self.handle_signals:  # only possible in the main thread (the tests run it in another)
            for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                signal.signal(signum, self.stop)
        try:
            if self.worker:
                self.worker.start()
                logger.warning("Background worker started (process %s).", self.worker.pid)
            if self.web:
                self.web.start()
                logger.warning("Web server started (process %s).", self.web.pid)
            next_periodic = time.monotonic() + self.periodic_every
            while not self._stop.is_set():
                now = time.monotonic()
                if self.web and (code := self.web.poll()) is not None:
                    logger.warning(
                        "Web server (process %s) stopped (%s); stopping.", self.web.pid, describe_exit(code)
                    )
                    self.exit_code = code if code > 0 else 1
                    break
                self.check_worker(now)
                if now >= next_periodic:
                    self._run_hook(self.periodic)
                    next_periodic = now + self.periodic_every
                self._stop.wait(self.poll_every)
        finally:
            for child in (self.web, self.worker):
                if child:
                    child.stop(self.stop_timeout)
        return self.exit_code


def default_web_workers() -> int:
    """gunicorn's workers: `WEB_CONCURRENCY`, else 2 × cores + 1, at most 8 (each holds a database connection)."""
    value = os.environ.get("WEB_CONCURRENCY", "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"WEB_CONCURRENCY must be a whole number, not {value!r}") from None
    return min(2 * (os.cpu_count() or 1) + 1, 8)
