"""Programme targets pages: the programmes, their targets, and the progress (achieved vs target per year, the
drill-down to the records, the projection) with its XLSX export. Thin over programme.target_services and
reports.targets."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions
from khuyencong.core.forms import run_service
from khuyencong.core.selectors import history
from khuyencong.programme import target_services
from khuyencong.programme.target_forms import TargetProgrammeForm, grid_rows, parse_cell
from khuyencong.programme.target_selectors import visible_target_programmes

from . import targets


def _programme(request, pk):
    if not permissions.reads_programme_targets(request.user):
        raise PermissionDenied
    return get_object_or_404(visible_target_programmes(request.user), pk=pk)


def _may_create(user) -> bool:
    return permissions.can_manage_programme_targets(user, None) or permissions.can_manage_programme_targets(
        user, user.province_id
    )


def drill_url(progress: targets.Progress, figure: str, from_year: int, to_year: int) -> str:
    """The records behind a figure (the summary's drill-down page), for the programme's place and years."""
    query = {"from": from_year, "to": to_year}
    if progress.place.code:
        query["province"] = progress.place.code
    return reverse("reports:rows", args=[figure]) + "?" + urlencode(query)


@login_required
def target_list(request):
    if not permissions.reads_programme_targets(request.user):
        raise PermissionDenied
    return render(
        request,
        "reports/targets/list.html",
        {"programmes": visible_target_programmes(request.user), "can_create": _may_create(request.user)},
    )


@login_required
def target_create(request):
    if not _may_create(request.user):
        raise PermissionDenied
    form = TargetProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        programme = run_service(
            request,
            form,
            lambda: target_services.create_target_programme(user=request.user, data=form.cleaned_data),
            lambda p: _("Programme “%(name)s” recorded: now set its targets.") % {"name": p.name},
        )
        if programme:
            return redirect("targets:values", pk=programme.pk)
    return render(request, "reports/targets/form.html", {"form": form})


@login_required
def target_edit(request, pk):
    programme = _programme(request, pk)
    if not permissions.can_manage_programme_targets(request.user, programme.province_id):
        raise PermissionDenied
    form = TargetProgrammeForm(request.POST or None, instance=programme, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            form,
            lambda: target_services.update_target_programme(
                user=request.user, programme=programme, data=form.cleaned_data
            ),
            _("Changes saved."),
        )
    ):
        return redirect("targets:progress", pk=pk)
    return render(request, "reports/targets/form.html", {"form": form, "programme": programme})


@login_required
def target_values(request, pk):
    """The grid of targets: one row per indicator, a cell per year and one for the whole period."""
    programme = _programme(request, pk)
    if not permissions.can_manage_programme_targets(request.user, programme.province_id):
        raise PermissionDenied
    errors: dict[str, str] = {}
    rows = grid_rows(programme, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        wanted = []
        for row in rows:
            for cell in row["cells"]:
                try:
                    value = parse_cell(row["indicator"], cell["value"])
                except ValueError as exc:
                    errors[cell["name"]] = str(exc)
                    continue
                wanted.append({"indicator": row["indicator"], "year": cell["year"], "value": value})
        if not errors:
            try:
                target_services.set_targets(user=request.user, programme=programme, targets=wanted)
            except ValidationError as exc:
                for key, messages_ in exc.message_dict.items():
                    index = int(key.split(".")[1]) if key.startswith("targets.") else None
                    name = (
                        f"t_{wanted[index]['indicator']}_{wanted[index]['year'] or 'period'}"
                        if index is not None
                        else "__all__"
                    )
                    errors[name] = " ".join(messages_)
            else:
                messages.success(request, _("Targets saved."))
                return redirect("targets:progress", pk=pk)
        messages.error(request, _("Some targets could not be saved: see the cells marked."))
    for row in rows:
        for cell in row["cells"]:
            cell["error"] = errors.get(cell["name"], "")
    return render(
        request,
        "reports/targets/values.html",
        {"programme": programme, "rows": rows},
    )


@login_required
def progress(request, pk):
    programme = _programme(request, pk)
    data = targets.progress(programme)
    for row in data.rows:
        for cell in row.years:
            cell.url = drill_url(data, cell.figure, cell.year, cell.year) if cell.achieved is not None else ""
        row.url = drill_url(data, row.figure, programme.start_year, min(data.today.year, programme.end_year))
    return render(
        request,
        "reports/targets/progress.html",
        {
            "programme": programme,
            "progress": data,
            "manage": permissions.can_manage_programme_targets(request.user, programme.province_id),
            "history": history(programme)
            if permissions.can_manage_programme_targets(request.user, programme.province_id)
            else [],
        },
    )


def progress_sheets(data: targets.Progress):
    """The progress as one worksheet: a row per indicator, target and achieved per year, then the period."""
    from khuyencong.core.exports import Sheet

    programme = data.programme
    header = [_("Indicator"), _("Unit")]
    for year in programme.years:
        header += [_("Target %(year)s") % {"year": year}, _("Achieved %(year)s") % {"year": year}]
    header += [
        _("Target for the period"),
        _("Achieved to date"),
        _("Achieved to date (%)"),
        _("Projection to %(year)s") % {"year": programme.end_year},
        _("Projection (%)"),
        _("On track"),
    ]

    def rows():
        for row in data.rows:
            line = [row.label, _("VND") if row.money else _("number")]
            for cell in row.years:
                line += [cell.target, cell.achieved]
            line += [
                row.period_target,
                row.achieved_to_date,
                float(row.share_to_date) if row.share_to_date is not None else None,
                row.projection,
                float(row.projected_share) if row.projected_share is not None else None,
                "" if row.on_track is None else (_("yes") if row.on_track else _("no")),
            ]
            yield line
        yield []
        yield [data.method]

    return [Sheet(title=_("Progress"), rows=rows(), header=header, widths={"A": 48})]


@login_required
def progress_xlsx(request, pk):
    from khuyencong.core.exports import xlsx_response

    programme = _programme(request, pk)
    data = targets.progress(programme)
    return xlsx_response(f"tien-do-{programme.code}.xlsx", progress_sheets(data))
