"""National plan pages: thin shells over national.services, national.exchange and national.selectors."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import permissions
from khuyencong.core import exports
from khuyencong.core.forms import run_action
from khuyencong.core.money import MoneyError, parse_vnd
from khuyencong.programme.models import Activity

from . import exchange, report, selectors, services


def _year(request, default=None) -> int:
    try:
        year = int(
            request.GET.get("year") or request.POST.get("year") or default or timezone.localdate().year
        )
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@login_required
def registration_list(request):
    if not permissions.reads_national_registrations(request.user):
        raise PermissionDenied
    registrations = selectors.visible_registrations(request.user).prefetch_related("lines")
    return render(
        request,
        "national/registration_list.html",
        {
            "registrations": registrations,
            "can_register": permissions.can_register_national(request.user, request.user.province_id)
            if request.user.province_id
            else False,
            "organiser": permissions.organises_national_plan(request.user),
            "next_year": timezone.localdate().year + 1,
        },
    )


@login_required
@require_POST
def registration_prepare(request):
    year = _year(request)
    result = run_action(
        request,
        lambda: services.prepare_registration(
            user=request.user, province_id=request.user.province_id, year=year
        ),
        _("The registration lists the province's national-programme proposals of %(year)s.") % {"year": year},
    )
    if result:
        return redirect("national:registration_detail", pk=result.pk)
    return redirect("national:registration_list")


def _visible(request, pk):
    return get_object_or_404(selectors.visible_registrations(request.user), pk=pk)


@login_required
def registration_detail(request, pk):
    registration = _visible(request, pk)
    actions = services.actions_for(request.user, registration)
    appraised = services.appraised_by_activity(registration)
    if registration.status == "allocated":  # amending: start from what was allocated
        appraised = {a.activity: a.amount for a in registration.allocations.all()}
    return render(
        request,
        "national/registration_detail.html",
        {
            "registration": registration,
            "lines": registration.lines.select_related("project"),
            "activities": selectors.by_activity(registration),
            "totals": selectors.registration_totals(registration),
            "transitions": registration.transitions.select_related("user"),
            "actions": [(a, services.ACTION_LABELS[a]) for a in actions],
            "may_refresh": registration.status in ("draft", "returned")
            and permissions.can_register_national(request.user, registration.province_id),
            "may_export": registration.status != "draft"
            and permissions.can_register_national(request.user, registration.province_id),
            "report": services.report_for(registration),
            "may_sign_report": registration.status not in ("draft", "returned")
            and permissions.can_register_national(request.user, registration.province_id),
            "may_export_allocation": registration.status == "allocated"
            and permissions.organises_national_plan(request.user),
            "allocation_defaults": [
                (a, Activity(a).label, appraised.get(a, 0)) for a in Activity.values if a in appraised
            ],
            "today": timezone.localdate(),
        },
    )


def _money(value, label):
    try:
        return parse_vnd(value or "0")
    except MoneyError as exc:
        raise ValidationError(
            _("%(label)s: “%(value)s” is not an amount of đồng.") % {"label": label, "value": value}
        ) from exc


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise ValidationError(_("“%(value)s” is not a date.") % {"value": value}) from exc


@login_required
@require_POST
def registration_action(request, pk, action):
    registration = _visible(request, pk)
    post = request.POST
    user = request.user

    def call():
        if action == "refresh":
            return services.prepare_registration(
                user=user, province_id=registration.province_id, year=registration.year
            )
        if action == "submit":
            return services.submit_registration(
                user=user, registration=registration, note=post.get("note", "")
            )
        if action == "return":
            return services.return_registration(
                user=user, registration=registration, reason=post.get("reason", "")
            )
        if action == "appraise":
            lines = list(registration.lines.all())
            return services.appraise_registration(
                user=user,
                registration=registration,
                amounts={line.code: _money(post.get(f"amount-{line.pk}"), line.code) for line in lines},
                notes={line.code: post.get(f"note-{line.pk}", "") for line in lines},
            )
        if action == "allocate":
            amounts = {
                a: _money(post.get(f"alloc-{a}"), Activity(a).label)
                for a in Activity.values
                if post.get(f"alloc-{a}") not in (None, "")
            }
            return services.allocate_registration(
                user=user,
                registration=registration,
                amounts=amounts,
                decision_no=post.get("decision_no", ""),
                decision_date=_date(post.get("decision_date")),
                note=post.get("note", ""),
            )
        raise ValidationError(_("Unknown step."))

    run_action(request, call, _("Saved."), refusals_as_messages=True)
    return redirect("national:registration_detail", pk=pk)


@login_required
def registration_file(request, pk):
    registration = _visible(request, pk)
    try:
        content = exchange.export_registration(user=request.user, registration=registration)
    except ValidationError as exc:
        from django.contrib import messages

        for message in exc.messages:
            messages.error(request, message)
        return redirect("national:registration_detail", pk=pk)
    name = f"dang-ky-kcqg-{registration.province.code}-{registration.year}-r{registration.revision}.json"
    return exports.bytes_response(content, name, "application/json")


@login_required
def allocation_file(request, pk):
    """The Ministry's signed allocation, for a province that runs its own instance."""
    registration = _visible(request, pk)
    try:
        content = exchange.export_allocation(user=request.user, registration=registration)
    except ValidationError as exc:
        from django.contrib import messages

        for message in exc.messages:
            messages.error(request, message)
        return redirect("national:registration_detail", pk=pk)
    name = (
        f"phan-bo-kcqg-{registration.province.code}-{registration.year}-d{registration.allocation_issue}.json"
    )
    return exports.bytes_response(content, name, "application/json")


@login_required
def allocation_import(request):
    """The province's own instance takes the Ministry's signed allocation."""
    if not permissions.can_register_national(request.user, request.user.province_id):
        raise PermissionDenied
    return _import_signed_file(
        request,
        exchange.import_allocation,
        _("Choose the Ministry's signed allocation file."),
        lambda r: (
            {
                "created": _("The Ministry's allocation of %(year)s was received: it is in your plan."),
                "updated": _("The Ministry's amended allocation of %(year)s replaced the earlier one."),
                "unchanged": _("This allocation was already received: nothing changed (%(year)s)."),
            }[r[1]]
            % {"year": r[0].year}
        ),
        "national/allocation_import.html",
    )


def _import_signed_file(request, importer, missing, done_message, template):
    """A signed exchange file uploaded and imported (`importer(user=, content=)` returns (registration, outcome));
    the registration's page on success, the form again with the refusal otherwise."""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            from django.contrib import messages

            messages.error(request, missing)
        else:
            content = upload.read(exchange.MAX_BYTES + 1)
            result = run_action(
                request,
                lambda: importer(user=request.user, content=content),
                done_message,
                refusals_as_messages=True,
            )
            if result:
                return redirect("national:registration_detail", pk=result[0].pk)
    return render(request, template, {})


@login_required
@require_POST
def sign_report(request, pk):
    """Sign the registration report with the organisation's certificate (in the background)."""
    registration = _visible(request, pk)
    run_action(
        request,
        lambda: services.request_report_signing(user=request.user, registration=registration),
        _("The report is being signed; download it again in a moment."),
        refusals_as_messages=True,
    )
    return redirect("national:registration_detail", pk=pk)


@login_required
def registration_pdf(request, pk):
    """The registration report in the state's layout, as the province sends it to the Ministry."""
    registration = _visible(request, pk)
    content = report.current_registration_pdf(registration)
    name = (
        f"bao-cao-dang-ky-kcqg-{registration.province.code}-{registration.year}-r{registration.revision}.pdf"
    )
    return exports.bytes_response(content, name, "application/pdf")


@login_required
def registration_xlsx(request, pk):
    """The registration report (báo cáo đăng ký kế hoạch khuyến công quốc gia) as a spreadsheet."""
    registration = _visible(request, pk)
    header = [
        _("Project code"),
        _("Title"),
        _("Activity"),
        _("Beneficiary"),
        _("Commune"),
        _("Total cost (VND)"),
        _("National support requested (VND)"),
        _("Counterpart (VND)"),
        _("Support appraised (VND)"),
        _("Appraisal remark"),
    ]
    rows = [
        [
            line.code,
            line.title,
            str(Activity(line.activity).label),
            line.beneficiary,
            line.place,
            line.total_cost,
            line.requested,
            line.counterpart,
            line.appraised,
            line.appraisal_note,
        ]
        for line in registration.lines.all()
    ]
    totals = selectors.registration_totals(registration)
    rows.append(
        [
            _("Total"),
            "",
            "",
            "",
            "",
            totals["total_cost"],
            totals["requested"],
            totals["counterpart"],
            totals["appraised"],
            "",
        ]
    )
    by_activity = [
        [str(r["label"]), r["lines"], r["requested"], r["appraised"], r["allocated"]]
        for r in selectors.by_activity(registration)
    ]
    return exports.xlsx_response(
        f"dang-ky-kcqg-{registration.province.code}-{registration.year}.xlsx",
        [
            exports.Sheet(_("Registered projects"), rows, header=header),
            exports.Sheet(
                _("By activity"),
                by_activity,
                header=[
                    _("Activity"),
                    _("Projects"),
                    _("Requested (VND)"),
                    _("Appraised (VND)"),
                    _("Allocated (VND)"),
                ],
            ),
        ],
    )


@login_required
def registration_import(request):
    if not permissions.organises_national_plan(request.user):
        raise PermissionDenied
    return _import_signed_file(
        request,
        exchange.import_registration,
        _("Choose the province's signed file."),
        lambda r: (
            {
                "created": _("The registration of %(province)s for %(year)s was received."),
                "updated": _(
                    "The registration of %(province)s for %(year)s was replaced by the later revision."
                ),
                "unchanged": _("This file was already received: nothing changed (%(province)s, %(year)s)."),
            }[r[1]]
            % {"province": r[0].province, "year": r[0].year}
        ),
        "national/registration_import.html",
    )


@login_required
def consolidation(request):
    if not permissions.reads_national_registrations(request.user):
        raise PermissionDenied
    year = _year(request)
    if request.GET.get("format") == "pdf":
        return exports.bytes_response(
            report.render_consolidation_pdf(request.user, year),
            f"tong-hop-kcqg-{year}.pdf",
            "application/pdf",
        )
    data = selectors.consolidation(request.user, year)
    if request.GET.get("format") == "xlsx":
        header = [
            _("Province"),
            _("Status"),
            _("Requested (VND)"),
            _("Appraised (VND)"),
            _("Allocated (VND)"),
        ]
        rows = [
            [
                str(p["registration"].province),
                str(p["registration"].get_status_display()),
                p["requested"],
                p["appraised"],
                p["allocated"],
            ]
            for p in data["provinces"]
        ]
        rows.append(
            [
                _("Total"),
                "",
                data["total"]["requested"],
                data["total"]["appraised"],
                data["total"]["allocated"],
            ]
        )
        activities = [
            [str(a["label"]), a["requested"], a["appraised"], a["allocated"]] for a in data["activities"]
        ]
        return exports.xlsx_response(
            f"tong-hop-kcqg-{data['year']}.xlsx",
            [
                exports.Sheet(_("By province"), rows, header=header),
                exports.Sheet(
                    _("By activity"),
                    activities,
                    header=[_("Activity"), _("Requested (VND)"), _("Appraised (VND)"), _("Allocated (VND)")],
                ),
            ],
        )
    return render(
        request,
        "national/consolidation.html",
        {"data": data, "years": range(timezone.localdate().year + 1, 2014, -1)},
    )
