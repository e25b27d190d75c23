"""The web import's background task: check or import an uploaded file, outside the request.

The worker (`khuyencong db_worker`, started by `khuyencong serve`) runs it; the page polls the
progress, which the task writes to the "progress" cache (files: the web process can read it while
the import's write transaction holds SQLite).
"""

import logging

from auditlog.context import set_actor
from django.core.cache import caches
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from khuyencong.core.uploads import local_path

from .services import ImportReport, RowError, import_file

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


def _run(job_id: int, phase: str) -> str:
    from .models import ImportJob

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportJob.Status.RUNNING:
        return job.status  # already finished (a task enqueued twice)
    key = job.progress_key()
    cache = progress_cache()

    def progress(step, done, total):
        cache.set(key, {"phase": step, "done": done, "total": total})

    progress("validate", 0, None)
    try:
        with local_path(job.file) as path:  # a temporary copy when the file is in object storage
            report = import_file(user=job.user, kind=job.kind, path=path, name=job.original_name,
                                 dry_run=(phase == "check"), progress=progress)
    except Exception:
        logger.exception("import job %s failed", job_id)
        report = ImportReport(kind=job.kind, dry_run=(phase == "check"))
        report.errors.append(RowError(1, "—", _("The import stopped on an unexpected error; nothing was saved.")))
    if report.errors:
        job.status = ImportJob.Status.REFUSED
    elif phase == "check":
        job.status = ImportJob.Status.CHECKED
    else:
        job.status = ImportJob.Status.DONE
    job.report = report.as_dict()
    job.phase = ""
    with set_actor(job.user):
        job.save(update_fields=["status", "report", "phase", "updated_at"])
    cache.delete(key)
    return job.status
