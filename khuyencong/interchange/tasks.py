"""The web import's background task: check or import an uploaded file, outside the request.

The worker (`khuyencong db_worker`, started by `khuyencong serve`) runs it; the page polls the
progress, which the task writes to the "progress" cache (files: the web process can read it while
the import's write transaction holds SQLite).
"""

import logging
import threading
import time

from auditlog.context import set_actor
from django.core.cache import caches
from django.db import transaction
from django.db.models import F
from django.db.utils import OperationalError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from khuyencong.core.uploads import local_path
from khuyencong.core.worker import process_name, worker_expected

from .services import ImportReport, RowError, import_file, lease_seconds

logger = logging.getLogger(__name__)


def progress_cache():
    return caches["progress"]


@task()
def run_import(job_id: int, phase: str, language: str = "vi") -> str:
    """Check (phase "check": nothing written) or import (phase "import") the file of an ImportJob.

    Messages are written in `language`, the one of the page that started the task.
    """
    _keep_sqlite_readable()
    with translation.override(language):
        return _run(job_id, phase)


# Pages of the import's write transaction SQLite keeps in memory (KiB; 128 MiB) before spilling to the file.
SQLITE_CACHE_KIB = 131072


def _keep_sqlite_readable():
    """On SQLite, let the web process read (the progress poll, every page) while the import writes.

    In SQLite's default journal mode a writer blocks readers only once its changes no longer fit in
    its page cache (and briefly at commit). With the default 2 MiB cache a few thousand rows spill,
    the pages polling the progress wait for the lock, and both slow down. A larger cache for the
    worker's connection keeps an import of tens of thousands of rows in memory until it commits.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


class Stopped(Exception):
    """Raised between chunks: the job was cancelled, or is no longer this task's (failed, retried)."""

    def __init__(self, cancelled: bool):
        super().__init__("cancelled" if cancelled else "lost")
        self.cancelled = cancelled


class Lease(threading.Thread):
    """Renews the job's lease while the task runs: in the progress cache, and on the row when the database
    lets it (on SQLite the import's own write transaction holds the database: the cache beat then counts)."""

    def __init__(self, job):
        super().__init__(name=f"import-lease-{job.pk}", daemon=True)
        self.job_pk, self.attempts, self.beat_key = job.pk, job.attempts, job.beat_key()
        self.interval = max(0.2, lease_seconds() / 4)
        self.stopped = threading.Event()

    def beat(self) -> None:
        progress_cache().set(self.beat_key, time.time(), timeout=24 * 3600)

    def run(self) -> None:
        from django.db import connection

        from .models import ImportJob

        try:
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:  # wait briefly for the lock, then beat in the cache
                    cursor.execute("PRAGMA busy_timeout = 2000")
            while not self.stopped.wait(self.interval):
                self.beat()
                try:
                    ImportJob.objects.filter(pk=self.job_pk, attempts=self.attempts, status="running").update(
                        heartbeat_at=timezone.now()
                    )
                except OperationalError:
                    pass
        except Exception:
            logger.exception("lease of import job %s", self.job_pk)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()


def _claim(job_id: int):
    """Take the queued job for this task (only one task may run it). None if it is not waiting."""
    from .models import ImportJob

    claimed = ImportJob.objects.filter(pk=job_id, status="running", heartbeat_at__isnull=True).update(
        heartbeat_at=timezone.now(), worker=process_name(), attempts=F("attempts") + 1
    )
    return ImportJob.objects.select_related("user").get(pk=job_id) if claimed else None


def _run(job_id: int, phase: str) -> str:
    from .models import ImportJob

    job = _claim(job_id)
    if job is None:  # finished, cancelled while queued, or run by another task (enqueued twice)
        return ImportJob.objects.get(pk=job_id).status
    key = job.progress_key()
    cache = progress_cache()
    lease = Lease(job)
    lease.beat()
    if worker_expected():  # in the request (the immediate backend) nothing can die apart from the request
        lease.start()

    def progress(step, done, total):
        cache.set(key, {"phase": step, "done": done, "total": total})
        lease.beat()
        if cache.get(job.cancel_key()):
            raise Stopped(cancelled=True)
        flags = (
            ImportJob.objects.filter(pk=job.pk, status="running", attempts=job.attempts)
            .values_list("cancel_requested", flat=True)
            .first()
        )
        if flags is None:
            raise Stopped(cancelled=False)
        if flags:
            raise Stopped(cancelled=True)

    final = {}
    try:
        progress("validate", 0, None)
        with local_path(job.file) as path:  # a temporary copy when the file is in object storage
            report = import_file(
                user=job.user,
                kind=job.kind,
                path=path,
                name=job.original_name,
                dry_run=(phase == "check"),
                progress=progress,
            )
    except Stopped as stop:
        if not stop.cancelled:
            return "lost"  # failed (its lease ran out) or retried meanwhile: the row is no longer ours
        report = None
        final = {"status": ImportJob.Status.CANCELLED, "failure": ImportJob.Failure.CANCELLED}
    except Exception:
        logger.exception("import job %s failed", job_id)
        report = ImportReport(kind=job.kind, dry_run=(phase == "check"))
        report.errors.append(
            RowError(1, "—", _("The import stopped on an unexpected error; nothing was saved."))
        )
    finally:
        lease.stop()
        cache.delete(key)
        cache.delete(job.beat_key())
        cache.delete(job.cancel_key())
    if not final:
        if report.errors:
            final = {"status": ImportJob.Status.REFUSED}
        elif phase == "check":
            final = {"status": ImportJob.Status.CHECKED}
        else:
            final = {"status": ImportJob.Status.DONE}
        final.update(report=report.as_dict(), phase="")
    with transaction.atomic():
        current = (
            ImportJob.objects.select_for_update()
            .filter(pk=job.pk, status="running", attempts=job.attempts)
            .first()
        )
        if current is None:
            return "lost"
        for name, value in final.items():
            setattr(current, name, value)
        with set_actor(job.user):
            current.save(update_fields=[*final, "updated_at"])
    return current.status
