"""Programme pages: thin shells over programme.services and programme.selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import permissions, scoping
from khuyencong.core import exports
from khuyencong.core.forms import run_service
from khuyencong.core.selectors import history
from khuyencong.registry.selectors import visible_establishments

from . import selectors, services
from .forms import (
    ACTION_FORMS,
    AppraiseForm,
    BudgetForm,
    DisbursementForm,
    DocumentForm,
    PlanForm,
    PlanLineForm,
    ProjectFilterForm,
    ProjectForm,
)
from .models import Activity, Project, ProjectDocument, ProjectStatus

PAGE_SIZE = 25


@login_required
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.project_list(
        request.user,
        query=data.get("q", ""),
        year=data.get("year"),
        status=data.get("status", ""),
        programme=data.get("programme", ""),
        activity=data.get("activity", ""),
    )
    summary = selectors.totals(qs)
    page = Paginator(qs.order_by("-year", "code"), PAGE_SIZE).get_page(request.GET.get("page"))
    plans = selectors.visible_plans(request.user).select_related("province")[:6]
    return render(
        request,
        "programme/project_list.html",
        {
            "filter_form": form,
            "page_obj": page,
            "summary": summary,
            "plans": plans,
            "can_propose": permissions.can_propose_projects(request.user),
            "can_plan": scoping.is_officer(request.user),
        },
    )


def _visible_project(request, pk) -> Project:
    return get_object_or_404(
        selectors.visible_projects(request.user).select_related(
            "province",
            "commune",
            "establishment",
            "craft_village",
            "artisan",
            "plan",
            "legacy_province",
            "legacy_district",
            "rule_regulation",
        ),
        pk=pk,
    )


def _action_form(action, project, data=None):
    form_class = ACTION_FORMS[action]
    if form_class is AppraiseForm:
        initial = {"amount": project.support_requested}
        return AppraiseForm(data, scheme=services.current_scheme(), initial=initial, prefix=action)
    initial = {}
    today = timezone.localdate()
    if action == "approve":
        initial = {"amount": project.support_appraised, "decision_date": today}
    elif action == "contract":
        initial = {"contract_date": today}
    elif action == "accept":
        initial = {
            "acceptance_date": today,
            "jobs": project.expected_jobs or project.jobs,
            "machines": project.machines,
            "trainees": project.trainees,
            "products_developed": project.products_developed,
        }
    elif action == "settle":
        initial = {"amount": project.support_approved, "settled_date": today}
        initial |= {name: getattr(project, name) for name in Project.BUDGET_FIELDS}
    return form_class(data, initial=initial, prefix=action)


def _detail_context_can_edit(user, project) -> bool:
    return (
        project.status in ("proposed", "appraised")
        and not project.is_archived
        and permissions.can_propose_projects(user)
        and scoping.can_edit_place(user, project.province_id, project.commune_id)
    )


def _detail_context(request, project, forms=None):
    actions = services.actions_for(request.user, project)
    forms = forms or {}
    action_forms = [(a, services.ACTION_LABELS[a], forms.get(a) or _action_form(a, project)) for a in actions]
    ceiling = None
    amount = project.support_approved or project.support_appraised or project.support_requested
    book = services.RuleBook.load()
    used = services.rules_for(project, book=book)
    if amount:
        ceiling = services.check_ceiling(project, amount, book=book)
    is_officer = scoping.is_officer(request.user) and scoping.can_edit_place(
        request.user, project.province_id
    )
    disbursements = project.disbursements.filter(archived_at__isnull=True).select_related("user", "rule")
    paid = sum(d.amount for d in disbursements)
    line = [s for s in ProjectStatus.values if s != ProjectStatus.CANCELLED]
    here = line.index(project.status) if project.status in line else -1
    steps = [
        {"label": ProjectStatus(s).label, "state": "done" if i < here else "current" if i == here else "todo"}
        for i, s in enumerate(line)
    ]
    return {
        "project": project,
        "action_forms": action_forms,
        "steps": steps,
        "open_action": next(iter(forms), None),
        "transitions": project.transitions.select_related("user"),
        "appraisal": project.appraisals.select_related("user", "scheme").first(),
        "ceiling": ceiling,
        "ceiling_rule": used.rule,
        # an approved project names the rule stored with its approval; a proposal the one it would meet
        "rule_text": project.rule_note or used.describe(),
        "rule_stored": bool(project.rule_note),
        "rule_regulation": project.rule_regulation or used.regulation,
        "disbursements": disbursements,
        "paid": paid,
        "documents": selectors.documents(project),
        "history": history(project),
        "can_pay": is_officer and project.status in ("contracted", "in_progress", "accepted"),
        "advance": services.advance_room(project)
        if project.status in ("contracted", "in_progress")
        else None,
        "settle_missing": services.settlement_gaps(project) if "settle" in actions else [],
        "pay_form": forms.get("pay") or DisbursementForm(initial={"paid_on": timezone.localdate()}),
        "can_upload": services.may_add_document(request.user, project) and not project.is_archived,
        "doc_form": forms.get("doc") or DocumentForm(),
        "can_edit": _detail_context_can_edit(request.user, project),
        "can_archive_docs": is_officer,
        "can_classify": is_officer
        and project.status not in ("settled", "cancelled")
        and not project.is_archived,
        "budget_form": forms.get("budget") or BudgetForm(instance=project),
    }


@login_required
def project_detail(request, pk):
    project = _visible_project(request, pk)
    return render(request, "programme/project_detail.html", _detail_context(request, project))


def _beneficiary_choices(user) -> dict:
    """Who the user may name as a project's beneficiary: establishments, craft villages, artisans of their place."""
    from khuyencong.registry.selectors import visible_artisans, visible_craft_villages

    return {
        "establishments": visible_establishments(user).filter(archived_at__isnull=True).order_by("name"),
        "villages": visible_craft_villages(user).filter(archived_at__isnull=True).order_by("name"),
        "artisans": visible_artisans(user).filter(archived_at__isnull=True).order_by("name"),
    }


def _beneficiary_place(request, establishments) -> dict:
    """htmx, when the beneficiary is chosen: the form as typed so far, placed at the establishment's province
    and commune."""
    if request.method != "GET" or not request.GET.get("establishment"):
        return {}
    initial = {key: value for key, value in request.GET.items() if key != "csrfmiddlewaretoken"}
    establishment = (
        establishments.filter(pk=initial["establishment"]).first()
        if initial["establishment"].isdigit()
        else None
    )
    if establishment is not None:
        initial["province"] = establishment.province_id
        initial["commune"] = establishment.commune_id or ""
    return initial


@login_required
def project_create(request):
    if not permissions.can_propose_projects(request.user):
        raise PermissionDenied
    choices = _beneficiary_choices(request.user)
    form = ProjectForm(
        request.POST or None,
        user=request.user,
        initial=_beneficiary_place(request, choices["establishments"]),
        place_url=request.path,
        **choices,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        project = run_service(
            request,
            form,
            lambda: services.propose_project(user=request.user, data=data),
            lambda p: _("Project %(code)s proposed.") % {"code": p.code},
        )
        if project:
            return redirect("programme:project_detail", pk=project.pk)
    return render(request, "programme/project_form.html", {"form": form})


@login_required
def project_edit(request, pk):
    project = _visible_project(request, pk)
    if not _detail_context_can_edit(request.user, project):
        raise PermissionDenied
    choices = _beneficiary_choices(request.user)
    form = ProjectForm(
        request.POST or None,
        instance=project,
        user=request.user,
        initial=_beneficiary_place(request, choices["establishments"]),
        place_url=request.path,
        **choices,
    )
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.update_proposal(user=request.user, project=project, data=form.cleaned_data),
            _("Changes saved."),
        ):
            return redirect("programme:project_detail", pk=pk)
    return render(request, "programme/project_form.html", {"form": form, "project": project})


def _run_action(request, project, action, form):
    d = form.cleaned_data
    user = request.user
    if action == "appraise":
        return services.appraise_project(
            user=user, project=project, amount=d["amount"], checks=form.checklist(), note=d["note"]
        )
    if action == "approve":
        return services.approve_project(
            user=user,
            project=project,
            decision_no=d["decision_no"],
            decision_date=d["decision_date"],
            amount=d["amount"],
            note=d["note"],
        )
    if action == "contract":
        return services.contract_project(
            user=user,
            project=project,
            contract_no=d["contract_no"],
            contract_date=d["contract_date"],
            note=d["note"],
        )
    if action == "start":
        return services.start_project(user=user, project=project, note=d["note"])
    if action == "accept":
        return services.accept_project(
            user=user,
            project=project,
            acceptance_record=d["acceptance_record"],
            acceptance_date=d["acceptance_date"],
            note=d["note"],
            outcomes={k: d.get(k) for k in ("jobs", "machines", "trainees", "products_developed")},
        )
    if action == "settle":
        return services.settle_project(
            user=user,
            project=project,
            amount=d["amount"],
            settled_date=d["settled_date"],
            reason=d["reason"],
            final_reference=d["final_reference"],
            final_paid_on=d["final_paid_on"],
            budget={name: d[name] for name in Project.BUDGET_FIELDS},
        )
    return services.cancel_project(user=user, project=project, reason=d["reason"])


@login_required
@require_POST
def project_action(request, pk, action):
    if action not in services.TRANSITIONS:
        raise Http404
    project = _visible_project(request, pk)
    form = _action_form(action, project, request.POST)

    def done(_result):
        project.refresh_from_db()
        return _("Project %(code)s is now “%(status)s”.") % {
            "code": project.code,
            "status": project.get_status_display(),
        }

    if form.is_valid() and run_service(
        request, form, lambda: _run_action(request, project, action, form), done
    ):
        return redirect("programme:project_detail", pk=pk)
    project.refresh_from_db()
    ctx = _detail_context(request, project, forms={action: form})
    if action not in services.actions_for(request.user, project):
        # refused outright (not allowed from here, or not this user's step): say why at the top
        for e in form.non_field_errors():
            messages.error(request, e)
    return render(request, "programme/project_detail.html", ctx, status=400)


@login_required
@require_POST
def disbursement_add(request, pk):
    project = _visible_project(request, pk)
    form = DisbursementForm(request.POST)
    if form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.record_disbursement(user=request.user, project=project, **form.cleaned_data),
            _("Payment recorded."),
        ):
            return redirect("programme:project_detail", pk=pk)
    return render(
        request,
        "programme/project_detail.html",
        _detail_context(request, project, forms={"pay": form}),
        status=400,
    )


@login_required
@require_POST
def document_add(request, pk):
    project = _visible_project(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.add_document(
                user=request.user,
                project=project,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            ),
            _("Document attached."),
        ):
            return redirect("programme:project_detail", pk=pk)
    return render(
        request,
        "programme/project_detail.html",
        _detail_context(request, project, forms={"doc": form}),
        status=400,
    )


def _visible_document(request, pk) -> ProjectDocument:
    doc = get_object_or_404(
        ProjectDocument.objects.select_related("project"), pk=pk, archived_at__isnull=True
    )
    if not selectors.visible_projects(request.user).filter(pk=doc.project_id).exists():
        raise Http404
    return doc


@login_required
@require_POST
def document_archive(request, pk):
    doc = _visible_document(request, pk)
    services.archive_document(user=request.user, document=doc)
    messages.success(request, _("Document removed from the project (kept in the archive)."))
    return redirect("programme:project_detail", pk=doc.project_id)


# --- plans ----------------------------------------------------------------------------------


@login_required
def plan_list(request):
    plans = selectors.visible_plans(request.user).select_related("province")
    rows = [(plan, selectors.plan_actuals(plan)["total"]) for plan in plans[:50]]
    return render(
        request, "programme/plan_list.html", {"rows": rows, "can_plan": scoping.is_officer(request.user)}
    )


def _visible_plan(request, pk):
    return get_object_or_404(selectors.visible_plans(request.user).select_related("province"), pk=pk)


def plan_needs(plan) -> list[dict]:
    """The needs establishments gave in the plan year's surveys, grouped by question, with the year's
    projects of the activity each question measures (what the plan addresses)."""
    from khuyencong.outreach.selectors import needs_summary

    groups: dict = {}
    for row in needs_summary(plan.province_id, plan.year):
        key = (row["survey"].pk, row["question"])
        if key not in groups:
            activity = row["activity"] or ""
            groups[key] = {
                "survey": row["survey"],
                "question": row["question"],
                "answered": row["answered"],
                "activity": activity,
                "projects": row["projects"],
                "activity_label": Activity(activity).label if activity in Activity.values else "",
                "needs": [],
            }
        groups[key]["needs"].append(row)
    return sorted(groups.values(), key=lambda g: (g["survey"].year, g["survey"].pk))


@login_required
def plan_detail(request, pk, line_form=None):
    plan = _visible_plan(request, pk)
    can_edit = scoping.is_officer(request.user) and scoping.can_edit_place(request.user, plan.province_id)
    actuals = selectors.plan_actuals(plan)
    ranking = selectors.latest_ranking(plan)
    projects = selectors.plan_projects(plan).select_related("establishment").order_by("code")
    return render(
        request,
        "programme/plan_detail.html",
        {
            "plan": plan,
            "actuals": actuals,
            "ranking": ranking,
            "projects": projects,
            "can_edit": can_edit,
            "line_form": line_form or PlanLineForm(),
            "history": history(plan),
            "appraised_count": projects.filter(status="appraised").count(),
            "needs": plan_needs(plan),
            "national_allocation": _national_allocation(plan),
        },
        status=400 if line_form is not None else 200,
    )


def _national_allocation(plan):
    """The Ministry's allocation behind the plan's national lines (the national plan app), if any."""
    from khuyencong.national.selectors import plan_allocation

    return plan_allocation(plan)


@login_required
def plan_create(request):
    if not scoping.is_officer(request.user):
        raise PermissionDenied
    form = PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        plan = run_service(
            request,
            form,
            lambda: services.create_plan(user=request.user, data=form.cleaned_data),
            lambda p: _("Plan %(year)s created.") % {"year": p.year},
        )
        if plan:
            return redirect("programme:plan_detail", pk=plan.pk)
    return render(request, "programme/plan_form.html", {"form": form})


@login_required
def plan_edit(request, pk):
    plan = _visible_plan(request, pk)
    if not (scoping.is_officer(request.user) and scoping.can_edit_place(request.user, plan.province_id)):
        raise PermissionDenied
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.update_plan(user=request.user, plan=plan, data=form.cleaned_data),
            _("Changes saved."),
        ):
            return redirect("programme:plan_detail", pk=pk)
    return render(request, "programme/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_POST
def plan_line(request, pk):
    plan = _visible_plan(request, pk)
    form = PlanLineForm(request.POST)
    if form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.set_plan_line(user=request.user, plan=plan, **form.cleaned_data),
            _("Budget line saved."),
        ):
            return redirect("programme:plan_detail", pk=pk)
    return plan_detail(request, pk, line_form=form)


@login_required
@require_POST
def plan_rank(request, pk):
    plan = _visible_plan(request, pk)
    try:
        ranking = services.rank_proposals(user=request.user, plan=plan, note=request.POST.get("note", ""))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        messages.success(
            request, _("%(count)s appraised proposals ranked.") % {"count": ranking.entries.count()}
        )
    return redirect("programme:plan_detail", pk=pk)


# --- the yearly settlement report by budget classification ----------------------------------


def _settlement_context(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    year = min(max(year, 2000), 2100)
    province_id = request.GET.get("province") or None
    if province_id and not str(province_id).isdigit():
        province_id = None
    return selectors.settlement_report(request.user, year=year, province_id=province_id)


@login_required
def settlement_report(request):
    if not permissions.reads_reports(request.user):
        raise PermissionDenied
    report = _settlement_context(request)
    return render(
        request,
        "programme/settlement_report.html",
        {"report": report, "years": range(timezone.localdate().year, 2014, -1)},
    )


@login_required
def settlement_report_xlsx(request):
    if not permissions.reads_reports(request.user):
        raise PermissionDenied
    report = _settlement_context(request)
    header = [
        _("Chapter (chương)"),
        _("Type–item (loại–khoản)"),
        _("Section–sub-section (mục–tiểu mục)"),
        _("Programme"),
        _("Projects"),
        _("Approved (VND)"),
        _("Advanced (VND)"),
        _("Paid after acceptance (VND)"),
        _("Final payment (VND)"),
        _("Paid in all (VND)"),
        _("Settled (VND)"),
    ]
    rows = [
        [
            r["budget_chapter"],
            r["type_item"],
            r["section_sub"],
            str(r["programme_label"]),
            r["projects"],
            r["approved"],
            r["advanced"],
            r["paid_after"],
            r["final"],
            r["paid"],
            r["settled"],
        ]
        for r in report["rows"]
    ]
    t = report["total"]
    rows.append(
        [
            _("Total"),
            "",
            "",
            "",
            t["projects"],
            t["approved"],
            t["advanced"],
            t["paid_after"],
            t["final"],
            t["paid"],
            t["settled"],
        ]
    )
    return exports.xlsx_response(
        f"quyet-toan-{report['year']}.xlsx",
        [exports.Sheet(_("Settlement %(year)s") % {"year": report["year"]}, rows, header=header)],
    )


@login_required
@require_POST
def project_budget(request, pk):
    project = _visible_project(request, pk)
    form = BudgetForm(request.POST, instance=Project.objects.get(pk=pk))
    if form.is_valid() and run_service(
        request,
        form,
        lambda: services.set_budget_classification(
            user=request.user, project=project, data=form.cleaned_data
        ),
        _("Budget classification saved."),
    ):
        return redirect("programme:project_detail", pk=pk)
    return render(
        request,
        "programme/project_detail.html",
        _detail_context(request, project, forms={"budget": form}),
        status=400,
    )


# --- rules: national documents and the provinces' People's Council resolutions --------------


@login_required
def rule_list(request):
    province = request.GET.get("province") or ""
    regulations = selectors.regulations(request.user, province=province)
    return render(
        request,
        "programme/rule_list.html",
        {
            "national": [r for r in regulations if r.province_id is None],
            "resolutions": [r for r in regulations if r.province_id is not None],
            "can_record": permissions.records_resolutions(request.user),
            "province": province,
            "provinces": selectors.provinces_with_resolutions(),
        },
    )


def _visible_regulation(request, pk):
    return get_object_or_404(selectors.regulations(request.user, archived=True), pk=pk)


@login_required
def rule_detail(request, pk):
    regulation = _visible_regulation(request, pk)
    return render(
        request,
        "programme/rule_detail.html",
        {
            "regulation": regulation,
            "ceilings": regulation.ceilings.order_by("activity"),
            "periods": regulation.activity_periods.all(),
            "projects": selectors.projects_under(request.user, regulation)[:50],
            "in_use": services.regulation_in_use(regulation),
            "can_edit": not regulation.is_archived
            and permissions.can_record_resolution(request.user, regulation.province_id),
            "history": history(regulation),
        },
    )


@login_required
def rule_create(request):
    if not permissions.records_resolutions(request.user):
        raise PermissionDenied
    from .forms import ResolutionForm

    form = ResolutionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        regulation = run_service(
            request,
            form,
            lambda: services.record_resolution(
                user=request.user, province=data["province"], data=data, ceilings=form.ceilings()
            ),
            lambda r: (
                _("Resolution %(number)s recorded: from %(since)s the province's local funds are held to it.")
                % {"number": r.number, "since": r.effective_from.strftime("%d/%m/%Y")}
            ),
        )
        if regulation:
            return redirect("programme:rule_detail", pk=regulation.pk)
    return render(request, "programme/rule_form.html", {"form": form})


@login_required
def rule_edit(request, pk):
    regulation = _visible_regulation(request, pk)
    if regulation.is_archived or not permissions.can_record_resolution(request.user, regulation.province_id):
        raise PermissionDenied
    from .forms import ResolutionForm

    form = ResolutionForm(request.POST or None, instance=regulation, user=request.user)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.update_resolution(
                user=request.user, regulation=regulation, data=form.cleaned_data, ceilings=form.ceilings()
            ),
            _("Changes saved."),
        ):
            return redirect("programme:rule_detail", pk=pk)
    return render(request, "programme/rule_form.html", {"form": form, "regulation": regulation})


@login_required
@require_POST
def rule_archive(request, pk):
    from khuyencong.core.forms import run_action

    regulation = _visible_regulation(request, pk)
    run_action(
        request,
        lambda: services.archive_resolution(user=request.user, regulation=regulation),
        _("The resolution is withdrawn: it no longer holds."),
    )
    return redirect("programme:rule_detail", pk=pk)
