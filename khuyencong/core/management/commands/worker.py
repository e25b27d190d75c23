"""`khuyencong worker`: django-tasks-db's `db_worker` (all queues, no reloader) with a heartbeat.

`khuyencong serve` starts and supervises it; run it yourself (e.g. as its own systemd unit) beside
`khuyencong serve --no-worker`. On start it first marks failed the jobs of workers that died.
"""

import logging

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from khuyencong.core import worker

logger = logging.getLogger("khuyencong.worker")


class Command(DBWorkerCommand):
    help = "Run the background worker (web imports), with a heartbeat for /healthz and for stale jobs."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args, **options):
        heartbeat = worker.Heartbeat(worker_id=options.get("worker_id") or "")
        heartbeat.start()
        try:
            changed = worker.sweep(None)
            if changed:
                logger.warning("marked %s job(s) of a stopped worker as failed", changed)
        except Exception:  # the database may be briefly busy; the supervisor and the pages sweep too
            logger.exception("could not sweep stale jobs at start")
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
