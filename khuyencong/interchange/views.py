"""Import and export pages: upload, check (with a live progress bar), preview, confirm; error sheet; exports."""

import os
from io import BytesIO

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import scoping
from khuyencong.core.uploads import validate_upload

from . import exporters
from .columns import KINDS, SPECS, kind_label
from .forms import UploadForm
from .models import ImportJob
from .services import ImportReport, import_file, may_import

FILE_TYPES = {".xlsx": b"PK\x03\x04", ".csv": b""}


def _require_importer(user):
    if not may_import(user) or user is None or not user.is_authenticated:
        raise PermissionDenied(_("Only province officers and administrators import records."))


def _progress_key(job) -> str:
    return f"interchange:job:{job.pk}:progress"


def _job(request, pk) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=pk)
    if job.user_id != request.user.pk and not scoping.is_admin(request.user):
        raise Http404
    return job


@login_required
def home(request):
    can_import = may_import(request.user)
    form = UploadForm()
    if request.method == "POST":
        _require_importer(request.user)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                validate_upload(upload, FILE_TYPES)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                with set_actor(request.user):
                    job = ImportJob.objects.create(
                        user=request.user, kind=form.cleaned_data["kind"], file=upload, original_name=upload.name[:255]
                    )
                return redirect("interchange:job", pk=job.pk)
    jobs = ImportJob.objects.filter(user=request.user)[:10] if can_import else []
    kinds = [{"key": k, "label": kind_label(k), "columns": SPECS[k]} for k in KINDS]
    return render(request, "interchange/home.html", {"form": form, "jobs": jobs, "kinds": kinds, "can_import": can_import})


@login_required
def job_detail(request, pk):
    job = _job(request, pk)
    report = ImportReport.from_dict(job.report) if job.report else None
    return render(request, "interchange/job.html", {"job": job, "report": report, "kind_label": kind_label(job.kind)})


@login_required
def job_progress(request, pk):
    job = _job(request, pk)
    state = cache.get(_progress_key(job)) or {"phase": "validate", "done": 0, "total": None}
    total = state.get("total") or 0
    percent = min(100, int(100 * state["done"] / total)) if total else 0
    return render(request, "interchange/_progress.html", {"job": job, "state": state, "percent": percent})


@login_required
@require_POST
def job_run(request, pk):
    """Check the file (phase "check") or import it (phase "import"), synchronously; the page polls the progress."""
    job = _job(request, pk)
    _require_importer(request.user)
    phase = request.POST.get("phase", "check")
    if phase == "import" and job.status != ImportJob.Status.CHECKED:
        raise PermissionDenied(_("Check the file before importing it."))
    if job.status == ImportJob.Status.DONE:
        return redirect("interchange:job", pk=job.pk)
    key = _progress_key(job)

    def progress(step, done, total):
        cache.set(key, {"phase": step, "done": done, "total": total}, 3600)

    report = import_file(user=request.user, kind=job.kind, path=job.file.path, name=job.original_name,
                         dry_run=(phase == "check"), progress=progress)
    if report.errors:
        job.status = ImportJob.Status.REFUSED
    elif phase == "check":
        job.status = ImportJob.Status.CHECKED
    else:
        job.status = ImportJob.Status.DONE
    job.report = report.as_dict()
    with set_actor(request.user):
        job.save(update_fields=["status", "report", "updated_at"])
    cache.delete(key)
    context = {"job": job, "report": report, "kind_label": kind_label(job.kind)}
    if job.status == ImportJob.Status.DONE:
        messages.success(request, _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                         % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged})
    return render(request, "interchange/_report.html", context)


@login_required
def job_errors(request, pk):
    """The user's file with an error column added, as XLSX."""
    from .readers import open_sheet

    job = _job(request, pk)
    report = ImportReport.from_dict(job.report) if job.report else None
    if not report or not report.errors:
        raise Http404
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    by_row = report.error_rows()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(job.kind)
    sheet = open_sheet(job.file.path, job.original_name)
    red = PatternFill("solid", fgColor="FDE2E1")
    from openpyxl.cell import WriteOnlyCell

    head = [exporters.text_cell(ws, h) for h in sheet.header]
    err_head = WriteOnlyCell(ws, value=_("Errors"))
    err_head.font = Font(bold=True, color="B42318")
    ws.append([*head, err_head])
    header_errors = by_row.pop(1, [])
    for number, values in sheet.rows():
        values = list(values) + [None] * (len(sheet.header) - len(values))
        errors = by_row.get(number)
        cells = [exporters.text_cell(ws, v) if not hasattr(v, "year") else v for v in values[: len(sheet.header)]]
        if errors:
            message = WriteOnlyCell(ws, value="; ".join(f"{e.column}: {e.message}" for e in errors))
            message.fill = red
            cells.append(message)
        ws.append(cells)
    if header_errors:
        ws.append([])
        ws.append([exporters.text_cell(ws, "; ".join(f"{e.column}: {e.message}" for e in header_errors))])
    buffer = BytesIO()
    wb.save(buffer)
    name = slugify(os.path.splitext(job.original_name)[0]) or job.kind
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}-loi.xlsx"'
    return response


class _Echo:
    def write(self, value):
        return value


@login_required
def export(request, kind, fmt):
    """/data/export/<kind>.xlsx|.csv?filters — what the list page shows, in the import's columns."""
    if kind not in KINDS or fmt not in ("xlsx", "csv"):
        raise Http404
    if not scoping.is_authenticated(request.user) or request.user.role in ("judge",):
        raise PermissionDenied
    params = request.GET.dict()
    language = "en" if params.pop("columns", "") == "en" else "vi"
    qs = exporters.queryset_for(kind, request.user, params)
    filename = f"{kind}.{fmt}"
    if fmt == "csv":
        import csv

        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"
            yield writer.writerow(exporters.header(kind, language))
            for row in exporters.rows(kind, qs, language):
                yield writer.writerow([exporters._csv_safe(v) for v in row])

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    else:
        buffer = BytesIO()
        exporters.export(kind, qs, buffer, "xlsx", language)
        response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
