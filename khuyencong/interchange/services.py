"""Importing the spec's files: validate the whole file first, then write it all in one transaction, or nothing.

`import_file` is what the CLI, the web pages, the benchmarks and the tests call. The file is read twice,
streaming (validation pass, then write pass), so memory stays flat however long the file is. Every row
is checked by the domain's rules in both passes (`Handler.build` + `Handler.check`); the write pass
writes each chunk of rows at once (`Handler.write`: bulk INSERT/UPDATE, then the audit entries of the
chunk, one per record as a form would leave, in one INSERT).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions
from khuyencong.accounts.permissions import may_import
from khuyencong.core.audit import bulk_log

from . import cells
from .columns import SPECS, match_header
from .importers import HANDLERS, Places
from .readers import FileError, open_sheet

CHUNK = 500
SAMPLES = 10


IMPORT_FILE_TYPES = {
    ".xlsx": b"PK\x03\x04",
    ".csv": b"",
}  # extension → the first bytes its content starts with


def row_label(row: dict) -> str:
    """How the preview names a row: its code, or for a result its product code and round."""
    from .cells import text

    return (
        text(row.get("code"))
        or f"{text(row.get('product'))} · {text(row.get('round'))} · {text(row.get('level'))}"
    )


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(why)s") % {
            "row": self.row,
            "column": self.column,
            "why": self.message,
        }


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # columns of the file the spec does not know: the warning naming them is written when it is read, in the
    # reader's language (a report is kept, and read again later, maybe in the other language)
    unknown_columns: list[str] = field(default_factory=list)
    # the language the row messages were written in (the page's that started the check)
    language: str = ""
    written: bool = False
    rounds_created: int = 0
    # a few of the rows the import would create or change (row number, key, changed fields), for the preview
    samples: dict = field(default_factory=lambda: {"create": [], "update": []})

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def notices(self) -> list[str]:
        """The warnings, in the active language for those written at reading time."""
        unknown = (
            [
                _("Columns not used (unknown): %(names)s.")
                % {"names": ", ".join(f"“{n}”" for n in self.unknown_columns)}
            ]
            if self.unknown_columns
            else []
        )
        return unknown + self.warnings

    def error_rows(self) -> dict[int, list[RowError]]:
        rows: dict[int, list[RowError]] = {}
        for error in self.errors:
            rows.setdefault(error.row, []).append(error)
        return rows

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "written": self.written,
            "rounds_created": self.rounds_created,
            "samples": self.samples,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
            "warnings": self.warnings,
            "unknown_columns": self.unknown_columns,
            "language": self.language,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        data = dict(data)
        errors = [RowError(**e) for e in data.pop("errors", [])]
        return cls(errors=errors, **data)


def start_import(*, user, kind: str, upload):
    """An uploaded file becomes an import job (checked, then imported, by the background task)."""
    from khuyencong.core.uploads import validate_upload

    from .models import ImportJob

    if not may_import(user) or user is None:
        raise PermissionDenied(_("Only province officers and administrators import records."))
    try:
        validate_upload(upload, IMPORT_FILE_TYPES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with set_actor(user):
        return ImportJob.objects.create(user=user, kind=kind, file=upload, original_name=upload.name[:255])


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def import_file(
    *,
    user,
    kind: str,
    path: str,
    name: str | None = None,
    dry_run: bool = False,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> ImportReport:
    """Import one file of `kind` (establishments, products, projects, results) from `path`.

    Every row is checked before anything is written; any error leaves the database untouched.
    `progress(phase, rows_done, total)` is called as rows go by ("validate", then "write").
    """
    if kind not in SPECS:
        raise ValueError(kind)
    if not may_import(user):
        raise PermissionDenied(_("Only province officers and administrators import records."))
    report = ImportReport(kind=kind, dry_run=dry_run, language=translation.get_language() or "")
    try:
        sheet = open_sheet(path, name)
    except FileError as exc:
        report.errors.append(RowError(1, "—", str(exc)))
        return report
    header = match_header(sheet.header, kind)
    report.unknown_columns = list(header.unknown)
    in_vietnamese = (translation.get_language() or "vi").startswith("vi")
    for column in header.missing:  # named as a reader of the language writes it in a header
        name_ = column.label if in_vietnamese else column.key
        report.errors.append(RowError(1, name_, _("required column is missing")))
    for name_ in header.duplicates:
        report.errors.append(RowError(1, name_, _("the column appears twice")))
    if report.errors:
        return report

    places = Places()
    handler = HANDLERS[kind](user, places)
    file_name = name or Path(path).name
    handler.file_name = file_name
    handler.audit_data = {"import": {"kind": kind, "file": file_name}}
    total = sheet.total

    labels = {}

    def rows_of_chunk(chunk):
        parsed = []
        labels.clear()
        for number, values in chunk:
            row = {key: (values[i] if i < len(values) else None) for key, i in header.index.items()}
            row, refused = cells.clean_row(row)
            labels[number] = row_label(row)
            if refused:  # the row is reported on the refused cells alone; nothing of it is parsed
                parsed.append((number, None, {}, refused))
                continue
            key, data, errors = handler.parse(row)
            parsed.append((number, key, data, errors))
        handler.prepare_chunk([(key, data, errors) for _n, key, data, errors in parsed])
        return parsed

    def count(number, obj, changed) -> None:
        """A row that would create or change a record: counted, and kept as a sample."""
        if obj is None:
            report.created += 1
            if len(report.samples["create"]) < SAMPLES:
                report.samples["create"].append({"row": number, "key": labels[number], "fields": []})
        else:
            report.updated += 1
            if len(report.samples["update"]) < SAMPLES:
                report.samples["update"].append({"row": number, "key": labels[number], "fields": changed})

    def validate() -> None:
        """Pass 1: validate everything and count what would change (nothing written)."""
        done = 0
        try:
            with transaction.atomic():  # a read-only pass; the atomic block keeps SQLite reads fast
                handler.start_pass()
                for chunk in _chunks(sheet.rows(), CHUNK):
                    parsed = rows_of_chunk(chunk)
                    good = [(n, k, d) for n, k, d, errs in parsed if not errs]
                    existing = handler.existing([k for _n, k, _d in good])
                    for number, _key, _data, errors in parsed:
                        for column, message in errors:
                            report.errors.append(RowError(number, header.names.get(column, column), message))
                    for number, key, data in good:
                        obj = existing.get(key)
                        if obj is not None and not handler.may_edit_record(obj):
                            report.errors.append(
                                RowError(
                                    number,
                                    header.names.get("code", "code"),
                                    _("you may not import records of this place"),
                                )
                            )
                            continue
                        record, _before, changed = handler.build(key, data, obj)
                        if obj is not None and not changed:
                            report.unchanged += 1
                            continue
                        rule_errors = handler.check(record, data)
                        for column, message in rule_errors:
                            report.errors.append(RowError(number, header.names.get(column, column), message))
                        if rule_errors:
                            continue
                        count(number, obj, changed)
                    done += len(chunk)
                    report.rows = done
                    if progress:
                        progress("validate", done, total)
        except FileError as exc:  # unreadable from some row on: say where, and stop there
            report.errors.append(RowError(exc.row or 1, exc.column or "—", str(exc)))

    def log(pairs):
        bulk_log(pairs, actor=user, additional_data=handler.audit_data)

    if not dry_run and handler.one_pass:
        # Check and write each chunk in one pass (each row read, parsed and checked once). At the first refusal
        # everything written is rolled back and the two passes below run from the start, so the report lists
        # every error against the database as it was, exactly as without this pass.
        if _one_pass(handler, sheet, rows_of_chunk, count, log, report, progress, total):
            return _finished(report, handler)
        report.created = report.updated = report.unchanged = report.rows = 0
        report.samples = {"create": [], "update": []}

    validate()
    if report.errors or dry_run:
        return report

    # Pass 2: write, all or nothing.
    done = 0
    try:
        with transaction.atomic(), set_actor(user):
            handler.start_pass()
            for chunk in _chunks(sheet.rows(), CHUNK):
                parsed = rows_of_chunk(chunk)
                bad = [(n, errs) for n, _k, _d, errs in parsed if errs]
                if bad:  # the file changed between the passes: give up whole
                    transaction.set_rollback(True)
                    for number, errors in bad:
                        for column, message in errors:
                            report.errors.append(RowError(number, header.names.get(column, column), message))
                    return report
                existing = handler.existing([k for _n, k, _d, _e in parsed])
                created, updated = [], []
                for number, key, data, _e in parsed:
                    obj = existing.get(key)
                    refusal = None
                    if obj is not None and not handler.may_edit_record(
                        obj
                    ):  # moved between the passes: give up whole
                        refusal = [("code", _("you may not import records of this place"))]
                    else:
                        record, before, changed = handler.build(key, data, obj, writing=True)
                        if obj is not None and not changed:
                            continue
                        refusal = handler.check(record, data)
                    if refusal:  # the database changed between the passes: give up whole
                        transaction.set_rollback(True)
                        for column, message in refusal:
                            report.errors.append(RowError(number, header.names.get(column, column), message))
                        return report
                    if obj is None:
                        created.append(record)
                    else:
                        updated.append((record, before, changed))
                handler.write(created, updated, log=log)
                done += len(chunk)
                if progress:
                    progress("write", done, total)
    except FileError as exc:  # the file changed between the passes: nothing was written
        report.errors.append(RowError(exc.row or 1, exc.column or "—", str(exc)))
        return report
    return _finished(report, handler)


def _finished(report: ImportReport, handler) -> ImportReport:
    report.written = True
    report.rounds_created = getattr(handler, "rounds_created", 0)
    if report.created or report.updated:
        from khuyencong.core.counts import invalidate

        invalidate()  # bulk writes send no signals: forget the cached counts and reports now and on commit
    return report


class _Refused(Exception):
    """A row of the one-pass import is refused: roll back what was written."""


def _one_pass(handler, sheet, rows_of_chunk, count, log, report, progress, total) -> bool:
    """Check and write the file chunk by chunk in one transaction; False (nothing written) at the first refusal."""
    done = 0
    try:
        with transaction.atomic(), set_actor(handler.user):
            handler.start_pass()
            for chunk in _chunks(sheet.rows(), CHUNK):
                parsed = rows_of_chunk(chunk)
                if any(errors for _n, _k, _d, errors in parsed):
                    raise _Refused
                existing = handler.existing([k for _n, k, _d, _e in parsed])
                created, updated = [], []
                for number, key, data, _e in parsed:
                    obj = existing.get(key)
                    if obj is not None and not handler.may_edit_record(obj):
                        raise _Refused
                    record, before, changed = handler.build(key, data, obj, writing=True)
                    if obj is not None and not changed:
                        report.unchanged += 1
                        continue
                    if handler.check(record, data):
                        raise _Refused
                    count(number, obj, changed)
                    if obj is None:
                        created.append(record)
                    else:
                        updated.append((record, before, changed))
                handler.write(created, updated, log=log)
                done += len(chunk)
                report.rows = done
                if progress:
                    progress("write", done, total)
    except (_Refused, FileError):
        return False
    return True


# ---------------------------------------------------------------------------------------------------------
# The life cycle of an import started from the web (ImportJob.status). A RUNNING job is queued until a
# worker claims it (heartbeat_at set), then renews its lease; a job whose worker died is FAILED, and the
# user who started it (or an officer of the same province) retries or cancels it. Nothing of an import
# that did not finish is saved: it writes in one transaction.

# action: (statuses it may start from, status it leads to)
JOB_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "check": (("uploaded",), "running"),
    "import": (("checked",), "running"),
    "fail": (("running",), "failed"),
    "cancel": (("running", "failed"), "cancelled"),
    "retry": (("failed", "cancelled"), "running"),
}


class JobRefused(ValidationError):
    """A step the job's life cycle does not allow from where it stands."""


def lease_seconds() -> float:
    from django.conf import settings

    return float(getattr(settings, "IMPORT_LEASE_SECONDS", 60))


def may_manage_job(user, job) -> bool:
    return permissions.may_manage_import(user, job.user)


def job_actions(user, job) -> list[str]:
    """The buttons the job's page offers this user: "retry", "cancel"."""
    if not may_manage_job(user, job):
        return []
    actions = []
    if job.status in JOB_TRANSITIONS["retry"][0]:
        actions.append("retry")
    if job.status in JOB_TRANSITIONS["cancel"][0] and not job.cancel_requested:
        actions.append("cancel")
    return actions


def _transition(job, action: str, *, user=None, expect: dict | None = None, **fields):
    """Move the job by `action` if it still stands where the table allows (and matches `expect`); None if not."""
    from .models import ImportJob

    sources, target = JOB_TRANSITIONS[action]
    with transaction.atomic():
        current = (
            ImportJob.objects.select_for_update()
            .filter(pk=job.pk, status__in=sources, **(expect or {}))
            .first()
        )
        if current is None:
            return None
        for name, value in fields.items():
            setattr(current, name, value)
        current.status = target
        with set_actor(user):
            current.save(update_fields=[*fields, "status", "updated_at"])
    return current


def _enqueue(job, phase: str, language: str) -> None:
    """Hand the job to the worker once the transaction that moved it commits."""

    def send():
        from .models import ImportJob
        from .tasks import run_import

        result = run_import.enqueue(job.pk, phase, language)
        ImportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])

    transaction.on_commit(send)


def start_job(*, user, job, phase: str, language: str = "vi"):
    """Check (phase "check") or import (phase "import") the job's file in the background. Returns the job."""
    if not may_import(user) or not may_manage_job(user, job):
        raise PermissionDenied(_("Only province officers and administrators import records."))
    moved = _transition(
        job,
        phase,
        user=user,
        phase=phase,
        task_id="",
        heartbeat_at=None,
        worker="",
        cancel_requested=False,
        failure="",
    )
    if moved is not None:
        _enqueue(moved, phase, language)
    job.refresh_from_db()
    return job


def retry_job(*, user, job, language: str = "vi"):
    """Run a failed or cancelled job's step again (its phase: check or import)."""
    if not may_import(user) or not may_manage_job(user, job):
        raise PermissionDenied(
            _("Only the officer who started this import, or an officer of the same province, may retry it.")
        )
    phase = job.phase or ("import" if job.report.get("dry_run") is False else "check")
    moved = _transition(
        job,
        "retry",
        user=user,
        phase=phase,
        task_id="",
        heartbeat_at=None,
        worker="",
        cancel_requested=False,
        failure="",
        report={},
    )
    if moved is None:
        raise JobRefused(_("This import is not stopped: there is nothing to retry."))
    _enqueue(moved, phase, language)
    return moved


def cancel_job(*, user, job):
    """Cancel a queued, running or failed job. A running import stops before its next chunk; nothing is saved."""
    from django.core.cache import caches

    from .models import ImportJob

    if not may_manage_job(user, job):
        raise PermissionDenied(
            _("Only the officer who started this import, or an officer of the same province, may cancel it.")
        )
    job.refresh_from_db()
    if job.status not in JOB_TRANSITIONS["cancel"][0]:
        raise JobRefused(_("This import has already finished: it can no longer be cancelled."))
    # waiting in the queue, or failed: cancelled at once (a worker that claims it later skips it)
    moved = _transition(
        job,
        "cancel",
        user=user,
        expect={"heartbeat_at__isnull": True},
        failure=ImportJob.Failure.CANCELLED,
        phase=job.phase,
    )
    if moved is None:
        moved = _transition(
            job, "cancel", user=user, expect={"status": "failed"}, failure=ImportJob.Failure.CANCELLED
        )
    if moved is not None:
        return moved
    # running: ask the task, through the progress cache first (on SQLite the import's write transaction
    # holds the database until it stops), then on the row (what a worker on another machine reads)
    caches["progress"].set(job.cancel_key(), True, timeout=24 * 3600)
    with set_actor(user):
        ImportJob.objects.filter(pk=job.pk, status="running").update(cancel_requested=True)
    job.refresh_from_db()
    return job


def last_beat(job):
    """The last sign of life of the job's task: its lease on the row, or the beat in the progress cache."""
    import datetime

    from django.core.cache import caches

    beats = [job.heartbeat_at] if job.heartbeat_at else []
    cached = caches["progress"].get(job.beat_key())
    if cached:
        beats.append(datetime.datetime.fromtimestamp(cached, tz=datetime.UTC))
    return max(beats) if beats else None


def is_stale(job, now=None) -> bool:
    """Started by a worker, and silent for longer than the lease."""
    import datetime

    from django.utils import timezone

    if job.status != "running" or job.heartbeat_at is None:
        return False
    now = now or timezone.now()
    return last_beat(job) < now - datetime.timedelta(seconds=lease_seconds())


def _fail(job, reason: str) -> bool:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    # one transaction: nobody sees the job failed while its task still shows running
    with transaction.atomic():
        moved = _transition(
            job,
            "fail",
            expect={"attempts": job.attempts, "worker": job.worker},
            failure=reason,
            phase=job.phase,
        )
        if moved is None:
            return False
        try:
            task_id = uuid.UUID(job.task_id)
        except ValueError:
            return True  # another backend's id (tests' dummy backend)
        # the worker died in the middle of it: django-tasks-db would show the task running for ever
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED", finished_at=timezone.now()
        )
    return True


def fail_if_stale(job) -> bool:
    """Mark the job failed if its worker stopped (silent past the lease). True if it did."""
    from .models import ImportJob

    if not is_stale(job):
        return False
    changed = _fail(job, ImportJob.Failure.WORKER_STOPPED)
    job.refresh_from_db()
    return changed


def fail_stale_jobs(process: str | None = None) -> int:
    """Mark failed the running jobs of the worker `process` (host:pid, known dead), or all past their lease."""
    from .models import ImportJob

    running = ImportJob.objects.filter(status="running", heartbeat_at__isnull=False)
    if process:
        running = running.filter(worker=process)
        candidates = list(running)
    else:
        candidates = [job for job in running if is_stale(job)]
    return sum(_fail(job, ImportJob.Failure.WORKER_STOPPED) for job in candidates)
