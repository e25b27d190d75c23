import logging
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.crypto import get_random_string

from khuyencong.core import supervisor
from khuyencong.core import worker as worker_module


def web_command(addrport: str, workers: int) -> list[str]:
    """gunicorn with `workers` processes when DEBUG is off; Django's server in development."""
    if settings.DEBUG:
        return [sys.executable, "-m", "khuyencong.cli", "runserver", addrport, "--noreload"]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "khuyencong.wsgi:application",
        "--bind",
        addrport,
        "--workers",
        str(workers),
        "--no-control-socket",
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "khuyencong.cli", "worker", "--worker-id", get_random_string(24)]


def worker_needed() -> bool:
    """Tasks run in a worker only with the database backend (the immediate backend runs them in the request)."""
    return "django_tasks_db" in settings.TASKS["default"]["BACKEND"]


def _sweep(pid=None):
    """Mark failed the jobs of the worker that died (or, with no pid, every job past its lease)."""
    process = f"{worker_module.process_name().rsplit(':', 1)[0]}:{pid}" if pid else None
    try:
        changed = worker_module.sweep(process)
        if changed:
            supervisor.logger.warning("Marked %s job(s) of the stopped worker as failed.", changed)
    finally:
        connections.close_all()  # hold no connection between sweeps


class Command(BaseCommand):
    help = (
        "Serve the site: gunicorn (several workers) when DEBUG is off, Django's server in development; "
        "and beside it the background worker (`khuyencong worker`: web imports), restarted when it dies."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="gunicorn worker processes (default: WEB_CONCURRENCY, else 2 × cores + 1, at most 8)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background worker (run `khuyencong worker` yourself)",
        )
        parser.add_argument("--no-web", action="store_true", help="run only the supervised background worker")

    def handle(self, *args, **options):
        if not supervisor.logger.level:
            supervisor.logger.setLevel(logging.INFO)
        if not logging.getLogger().handlers and not supervisor.logger.handlers:
            supervisor.logger.addHandler(logging.StreamHandler(sys.stderr))
        try:
            workers = options["workers"] or supervisor.default_web_workers()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        web = None if options["no_web"] else web_command(options["addrport"], workers)
        run_worker = not options["no_worker"] and worker_needed()
        if options["no_web"] and not run_worker:
            raise CommandError("nothing to serve: --no-web, and no background worker is needed")
        connections.close_all()  # the children open their own
        code = supervisor.Supervisor(
            web,
            worker_command() if run_worker else None,
            on_worker_death=_sweep,
            periodic=_sweep if run_worker else None,
        ).run()
        if code:
            sys.exit(code)
