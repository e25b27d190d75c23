import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def start_worker(stdout=None):
    """The background-task worker (`khuyencong db_worker`: web imports) as a child process, or None."""
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return None  # tasks run in the request (tests, or TASKS_BACKEND set to the immediate backend)
    worker = subprocess.Popen(
        [sys.executable, "-m", "khuyencong.cli", "db_worker", "--no-reload", "--queue-name", "*"],
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    if stdout:
        stdout.write(f"Background worker started (process {worker.pid}).")
    return worker


def _die_with_parent():
    """In the worker (Linux): receive SIGTERM when the server dies, even killed outright."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _exit_on_sigterm(signum, frame):
    sys.exit(0)  # unwinds through `finally`, which stops the worker


def stop_worker(worker, timeout=15):
    """Ask the worker to finish its task and stop; end it if it does not within `timeout` seconds."""
    if worker is None or worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = ("Serve the site: Django's server in development (DEBUG), gunicorn otherwise; and beside it the "
            "background worker that runs web imports (`db_worker`), stopped with the server.")

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true",
                            help="do not start the background worker (run `khuyencong db_worker` yourself)")

    def handle(self, *args, **options):
        worker = None if options["no_worker"] else start_worker(self.stdout)
        if worker is not None and settings.DEBUG:
            signal.signal(signal.SIGTERM, _exit_on_sigterm)  # gunicorn handles SIGTERM itself
        try:
            self.serve(options)
        finally:
            stop_worker(worker)

    def serve(self, options):
        if settings.DEBUG:
            call_command("runserver", options["addrport"], use_reloader=False)
            return
        from gunicorn.app.wsgiapp import run

        sys.argv = ["gunicorn", "khuyencong.wsgi:application", "--bind", options["addrport"], "--workers",
                    str(options["workers"])]
        run()
