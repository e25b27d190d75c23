"""Import and export pages: upload, check (with a live progress bar), preview, confirm; error sheet; exports."""

import os
from contextlib import ExitStack

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import permissions
from khuyencong.core import exports
from khuyencong.core.forms import run_action, run_service
from khuyencong.core.uploads import local_path
from khuyencong.core.worker import worker_status

from . import exporters, services
from .columns import KINDS, SPECS, kind_label
from .forms import UploadForm
from .models import ImportJob
from .services import ImportReport, may_import, start_import
from .tasks import progress_cache


def _require_importer(user):
    if not may_import(user) or user is None or not user.is_authenticated:
        raise PermissionDenied(_("Only province officers and administrators import records."))


def _job(request, pk) -> ImportJob:
    """The job, for the user who started it, an administrator or an officer of the same province; a job
    whose worker stopped is marked failed on the way (its page then offers Retry and Cancel)."""
    job = get_object_or_404(ImportJob.objects.select_related("user"), pk=pk)
    if not services.may_manage_job(request.user, job):
        raise Http404
    services.fail_if_stale(job)
    return job


def _context(request, job, **extra):
    report = ImportReport.from_dict(job.report) if job.report else None
    return {
        "job": job,
        "report": report,
        "kind_label": kind_label(job.kind),
        "actions": services.job_actions(request.user, job),
        "worker": worker_status(),
        **extra,
    }


@login_required
def home(request):
    can_import = may_import(request.user)
    # "Upload a corrected file" comes back here with the refused file's kind, so it stays chosen
    kind = request.GET.get("kind")
    form = UploadForm(initial={"kind": kind} if kind in KINDS else None)
    if request.method == "POST":
        _require_importer(request.user)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = run_service(
                request,
                form,
                lambda: start_import(
                    user=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
                ),
            )
            if job:
                return redirect("interchange:job", pk=job.pk)
    jobs = ImportJob.objects.filter(user=request.user)[:10] if can_import else []
    kinds = [{"key": k, "label": kind_label(k), "columns": SPECS[k]} for k in KINDS]
    return render(
        request,
        "interchange/home.html",
        {"form": form, "jobs": jobs, "kinds": kinds, "can_import": can_import},
    )


@login_required
def job_detail(request, pk):
    job = _job(request, pk)
    return render(request, "interchange/job.html", _context(request, job))


def _finished(request, job):
    """The report fragment of a finished task (and, after an import, the message the next page shows)."""
    report = ImportReport.from_dict(job.report) if job.report else None
    if job.status == ImportJob.Status.DONE and report:
        messages.success(
            request,
            _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
        )
    return render(request, "interchange/_report.html", _context(request, job))


def _progress(request, job):
    state = progress_cache().get(job.progress_key())
    total = (state or {}).get("total") or 0
    percent = min(100, int(100 * state["done"] / total)) if total else 0
    return render(
        request, "interchange/_progress.html", _context(request, job, state=state, percent=percent, poll=True)
    )


@login_required
def job_progress(request, pk):
    """Polled by the page every half second: the bar while the task runs, then the report in its place."""
    job = _job(request, pk)
    if job.status == ImportJob.Status.RUNNING:
        return _progress(request, job)
    return _finished(request, job)


@login_required
@require_POST
def job_run(request, pk):
    """Start checking the file (phase "check") or importing it (phase "import") as a background task."""
    job = _job(request, pk)
    _require_importer(request.user)
    phase = "import" if request.POST.get("phase") == "import" else "check"
    if job.status == ImportJob.Status.RUNNING:
        return _progress(request, job)  # already started (a second tab, a double click)
    if phase == "import" and job.status != ImportJob.Status.CHECKED:
        if job.status == ImportJob.Status.DONE:
            return _finished(request, job)
        raise PermissionDenied(_("Check the file before importing it."))
    if phase == "check" and job.status != ImportJob.Status.UPLOADED:
        return _finished(request, job)
    # claim the job (only one request starts it), then hand it to the worker once that commits
    job = services.start_job(
        user=request.user, job=job, phase=phase, language=translation.get_language() or "vi"
    )
    if job.status == ImportJob.Status.RUNNING:
        return _progress(request, job)
    return _finished(request, job)  # the task ran at once (tests run tasks in the request)


@login_required
@require_POST
def job_retry(request, pk):
    """Run a failed or cancelled import's step again."""
    job = _job(request, pk)
    run_action(
        request,
        lambda: services.retry_job(user=request.user, job=job, language=translation.get_language() or "vi"),
        _("The import was started again."),
    )
    return redirect("interchange:job", pk=job.pk)


@login_required
@require_POST
def job_cancel(request, pk):
    """Cancel a queued, running or failed import; a running one stops before its next chunk, saving nothing."""
    job = _job(request, pk)

    def message(job):
        if job.status == ImportJob.Status.RUNNING:
            return _("Cancelling: the import stops before its next chunk of rows; nothing of it is saved.")
        return _("The import was cancelled; nothing of it was saved.")

    run_action(request, lambda: services.cancel_job(user=request.user, job=job), message)
    return redirect("interchange:job", pk=job.pk)


@login_required
def job_errors(request, pk):
    """The user's file with an error column added, as XLSX. Always downloads: a file that cannot be read
    to its end gives the rows read so far and, last, why the rest could not be read."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import PatternFill

    from .readers import FileError, open_sheet

    job = _job(request, pk)
    report = ImportReport.from_dict(job.report) if job.report else None
    if not report or not report.errors:
        raise Http404
    by_row = report.error_rows()
    header_errors = by_row.pop(1, [])
    red = PatternFill("solid", fgColor="FDE2E1")
    stored = ExitStack()  # a local copy of the user's file when it lives in object storage
    try:
        sheet = open_sheet(stored.enter_context(local_path(job.file)), job.original_name)
        file_header, rows = sheet.header, sheet.rows()
    except (FileError, OSError):
        file_header, rows = [], iter(())
    width = len(file_header)

    def row_values():
        try:
            for number, values in rows:
                values = (list(values) + [None] * width)[:width]
                errors = by_row.pop(number, None)
                yield values, "; ".join(f"{e.column}: {e.message}" for e in errors) if errors else None
        except FileError:
            pass  # the report already says why (its errors hold the row where reading stopped)
        for errors in by_row.values():  # rows the file no longer yields (unreadable past a point)
            yield [None] * width, "; ".join(f"{e.column}: {e.message}" for e in errors)
        if header_errors:
            yield [], None
            yield ["; ".join(f"{e.column}: {e.message}" for e in header_errors)], None

    def styler(ws, cells_and_message):
        *cells, message = cells_and_message
        if message:
            cell = WriteOnlyCell(ws, value=exports.xlsx_text(message))
            cell.data_type = "s"
            cell.fill = red
            cells.append(cell)
        return cells

    def rows_with_message():
        for values, message in row_values():
            yield [*values, message]

    sheet_spec = exports.Sheet(
        job.kind, rows_with_message(), header=[*file_header, _("Errors")], styler=styler
    )
    name = slugify(os.path.splitext(job.original_name)[0]) or job.kind
    with stored:  # the workbook is written before the response leaves, so the local copy may go
        return exports.xlsx_response(f"{name}-loi.xlsx", [sheet_spec])


@login_required
def export(request, kind, fmt):
    """/data/export/<kind>.xlsx|.csv?filters — what the list page shows, in the import's columns."""
    if kind not in KINDS or fmt not in ("xlsx", "csv"):
        raise Http404
    if not permissions.may_export(request.user):
        raise PermissionDenied
    params = request.GET.dict()
    language = "en" if params.pop("columns", "") == "en" else "vi"
    qs = exporters.queryset_for(kind, request.user, params)
    records = exporters.rows(kind, qs, language)
    if fmt == "csv":
        return exports.csv_response(f"{kind}.csv", records, header=exporters.header(kind, language))
    return exports.xlsx_response(
        f"{kind}.xlsx", [exports.Sheet(kind, records, header=exporters.header(kind, language))]
    )
