"""Selection pages: thin shells over selection.services and selection.selectors."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import permissions
from khuyencong.accounts.permissions import (
    can_follow_council,
    can_manage_round,
    may_register_for,
    seat,
)
from khuyencong.core.forms import flash_form_errors, run_action, run_service
from khuyencong.core.selectors import history
from khuyencong.documents.layout import certificate_pdf as current_certificate_pdf
from khuyencong.registry.selectors import visible_products

from . import deadlines, selectors, services, workflow
from .forms import (
    AppealAnswerForm,
    AppealForm,
    BatchLetterForm,
    BatchReturnForm,
    ConflictForm,
    CouncilMemberForm,
    DecisionForm,
    DocumentForm,
    DossierForm,
    HistoricalResultForm,
    ReasonForm,
    RoundForm,
    ScoreSheetForm,
    ScreeningForm,
    VisitForm,
)
from .models import (
    Appeal,
    AppealStatus,
    Certificate,
    CouncilMember,
    DossierDocument,
    DossierStatus,
    Round,
    RoundStatus,
    Score,
    Stage,
)


def _round(request, pk) -> Round:
    return get_object_or_404(selectors.visible_rounds(request.user), pk=pk)


def _dossier(request, pk):
    return get_object_or_404(
        selectors.visible_dossiers(request.user).select_related("round__rubric", "product__establishment"),
        pk=pk,
    )


@login_required
def round_list(request):
    rounds = selectors.visible_rounds(request.user).order_by("-year", "level", "code")
    my_dossiers = to_score = None
    if permissions.has_representative_role(request.user):
        my_dossiers = selectors.visible_dossiers(request.user).order_by("-round__year")
    if permissions.scores_dossiers(request.user) or selectors.my_seats(request.user).exists():
        to_score = selectors.dossiers_to_score(request.user)
    return render(
        request,
        "selection/round_list.html",
        {
            "active": rounds.exclude(status=RoundStatus.DECIDED).exclude(is_historical=True),
            "past": rounds.filter(status=RoundStatus.DECIDED)[:50],
            "my_dossiers": my_dossiers,
            "to_score": to_score,
            "can_create": permissions.opens_rounds(request.user),
        },
    )


@login_required
def round_create(request):
    if not permissions.opens_rounds(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        round_ = run_service(
            request,
            form,
            lambda: services.create_round(user=request.user, data=form.cleaned_data),
            lambda r: _("Round “%(t)s” created.") % {"t": r.title},
        )
        if round_:
            return redirect("selection:round_detail", pk=round_.pk)
    return render(request, "selection/round_form.html", {"form": form})


@login_required
def round_edit(request, pk):
    round_ = _round(request, pk)
    if not can_manage_round(request.user, round_):
        raise PermissionDenied
    form = RoundForm(request.POST or None, instance=round_, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            form,
            lambda: services.update_round(user=request.user, round_=round_, data=form.cleaned_data),
            _("Changes saved."),
        )
    ):
        return redirect("selection:round_detail", pk=pk)
    return render(request, "selection/round_form.html", {"form": form, "round": round_})


@login_required
def round_detail(request, pk):
    round_ = _round(request, pk)
    user = request.user
    manage = can_manage_round(user, round_)
    dossiers = (
        selectors.visible_dossiers(user).filter(round=round_).order_by("product__group", "product__name")
    )
    registrable = []
    if round_.is_registration_open and permissions.may_register_dossiers(user):
        taken = round_.dossiers.values("product_id")
        registrable = [
            p
            for p in visible_products(user)
            .filter(archived_at__isnull=True)
            .exclude(pk__in=taken)
            .select_related("establishment")
            if may_register_for(user, p.establishment)
        ]
    return render(
        request,
        "selection/round_detail.html",
        {
            "round": round_,
            "dossiers": dossiers,
            "manage": manage,
            "seat": seat(user, round_),
            "actions": workflow.allowed_actions(user, round_),
            "follow": can_follow_council(user, round_),
            "registrable": registrable,
            "results_visible": selectors.may_see_results(user, round_),
            "criteria": round_.rubric.criteria.all() if round_.rubric_id else [],
            "max_total": round_.rubric.max_total() if round_.rubric_id else None,
            "progress": selectors.progress(round_)
            if can_follow_council(user, round_) and round_.status in (RoundStatus.SCORING, RoundStatus.REVIEW)
            else None,
            "to_score": selectors.dossiers_to_score(user).filter(round=round_),
            "reason_form": ReasonForm(),
            "next_rounds": selectors.next_level_rounds(round_)
            if round_.status == RoundStatus.DECIDED
            else [],
            "reopenings": round_.reopenings.select_related("user"),
            "batches": selectors.visible_batches(user).filter(round=round_)
            if round_.level == "region"
            else [],
            "history": history(round_) if manage else [],
            "retained_count": round_.dossiers.filter(retained_for_final=True).count()
            if round_.two_stage
            else 0,
        },
    )


ROUND_ACTIONS = {
    "open_registration": (services.open_registration, _("Registration is open.")),
    "close_registration": (services.close_registration, _("Registration closed; screen the dossiers.")),
    "open_scoring": (services.open_scoring, _("Scoring is open; the members have been told.")),
    "close_scoring": (services.close_scoring, _("Scoring closed; the results are ready for the council.")),
    "approve": (services.approve_results, _("Results approved and locked.")),
}


@login_required
@require_POST
def round_action(request, pk, action):
    round_ = _round(request, pk)
    if action in ROUND_ACTIONS:
        func, done = ROUND_ACTIONS[action]
        run_action(request, lambda: func(user=request.user, round_=round_), done)
    elif action == "reopen":
        run_action(
            request,
            lambda: services.reopen_round(
                user=request.user, round_=round_, reason=request.POST.get("reason", "")
            ),
            _("Round re-opened; the reason is recorded."),
        )
    elif action == "start_final":
        ids = [int(i) for i in request.POST.getlist("retained") if i.isdigit()]
        run_action(
            request,
            lambda: services.start_final_stage(user=request.user, round_=round_, retained_ids=ids),
            _("Final stage prepared: open scoring again for the retained dossiers."),
        )
    else:
        raise Http404
    target = (
        "selection:results" if action in ("approve", "close_scoring", "reopen") else "selection:round_detail"
    )
    return redirect(target, pk=pk)


@login_required
def council(request, pk):
    round_ = _round(request, pk)
    manage = can_manage_round(request.user, round_)
    if not (manage or can_follow_council(request.user, round_)):
        raise PermissionDenied
    form = CouncilMemberForm(request.POST or None, round_=round_)
    if request.method == "POST" and manage:
        if request.POST.get("assign"):
            member = get_object_or_404(CouncilMember, round=round_, pk=request.POST["assign"])
            run_action(
                request,
                lambda: services.assign_dossiers(
                    user=request.user, round_=round_, member=member, group=request.POST.get("group", "")
                ),
                lambda n: _("%(n)s dossier(s) assigned to %(m)s.") % {"n": n, "m": member.user},
            )
            return redirect("selection:council", pk=pk)
        if form.is_valid() and run_service(
            request,
            form,
            lambda: services.add_council_member(
                user=request.user,
                round_=round_,
                member_user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            ),
            _("%(u)s added to the council.") % {"u": form.cleaned_data["user"]},
        ):
            return redirect("selection:council", pk=pk)
    members = round_.council.select_related("user").prefetch_related(
        "assignments", "conflicts__dossier__product"
    )
    from khuyencong.registry.models import ProductGroup

    return render(
        request,
        "selection/council.html",
        {
            "round": round_,
            "members": members,
            "form": form,
            "manage": manage,
            "groups": ProductGroup.choices,
            "actions": workflow.allowed_actions(request.user, round_),
        },
    )


@login_required
def dossier_create(request, pk):
    round_ = _round(request, pk)
    products = (
        visible_products(request.user)
        .filter(archived_at__isnull=True)
        .exclude(pk__in=round_.dossiers.values("product_id"))
        .select_related("establishment")
    )
    products = products.filter(
        pk__in=[p.pk for p in products if may_register_for(request.user, p.establishment)]
    )
    chosen = request.POST.get("product") or request.GET.get("product")
    product = products.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else None
    initial, prefill = {}, None
    if product is not None:
        initial["product"] = product.pk
    if request.method == "GET":
        initial, prefill = _dossier_initial(request.GET, product, round_, initial)
    form = DossierForm(request.POST or None, products=products, initial=initial, checks_url=request.path)
    checks = selectors.eligibility(round_, product) if product is not None else []
    if request.method == "POST" and form.is_valid():
        dossier = run_service(
            request,
            form,
            lambda: services.create_dossier(
                user=request.user, round_=round_, product=form.cleaned_data["product"], data=form.cleaned_data
            ),
            _("Dossier created as a draft: attach the documents, then submit."),
        )
        if dossier:
            return redirect("selection:dossier_detail", pk=dossier.pk)
    blocked = [c for c in checks if not c.ok and c.blocking]
    return render(
        request,
        "selection/dossier_form.html",
        {
            "form": form,
            "round": round_,
            "checks": checks,
            "blocked": blocked,
            "prefill": prefill,
            "prefilled_json": json.dumps(prefill.values if prefill else {}, default=str),
        },
    )


def _dossier_initial(params, product, round_, initial):
    """The new dossier's fields: what the user typed stays; a field left empty, or still holding what the
    previous product filled in, takes the chosen product's previous dossier or registry values."""
    prefill = selectors.dossier_prefill(product, exclude_round=round_) if product is not None else None
    try:
        before = json.loads(params.get("prefilled") or "{}")
    except ValueError:
        before = {}
    initial = dict(initial)
    for name in selectors.PREFILL_FIELDS:
        typed = (params.get(name) or "").strip()
        if typed and typed != str(before.get(name, "")).strip():
            initial[name] = typed
        elif prefill is not None and name in prefill.values:
            initial[name] = prefill.values[name]
    return initial, prefill


@login_required
def dossier_detail(request, pk):
    dossier = _dossier(request, pk)
    round_ = dossier.round
    user = request.user
    manage = can_manage_round(user, round_)
    member = seat(user, round_)
    actions = workflow.allowed_actions(user, dossier)
    round_actions = workflow.allowed_actions(user, round_)
    editable = "edit" in actions
    can_score = bool(member) and services.may_score(user, dossier)
    my_sheet_sealed = False
    if can_score:
        my_sheet_sealed = Score.objects.filter(
            dossier=dossier, member=member, stage=round_.stage, submitted_at__isnull=False
        ).exists()
    return render(
        request,
        "selection/dossier_detail.html",
        {
            "dossier": dossier,
            "round": round_,
            "manage": manage,
            "seat": member,
            "editable": editable,
            "actions": actions,
            "round_actions": round_actions,
            "show_screening_note": dossier.status in (DossierStatus.RETURNED, DossierStatus.REJECTED),
            "checks": selectors.eligibility(round_, dossier.product, dossier),
            "documents": dossier.documents.all(),
            "doc_form": DocumentForm(),
            "screen_form": ScreeningForm(),
            "conflict_form": ConflictForm(),
            "can_score": can_score,
            "my_sheet_sealed": my_sheet_sealed,
            "conflict": dossier.conflicts.filter(member=member).first() if member else None,
            "scored_by_me": bool(member)
            and Score.objects.filter(dossier=dossier, member=member, submitted_at__isnull=False).exists(),
            "sheets": selectors.visible_sheets(user, dossier) if (member or manage) else [],
            "see_others": selectors.can_see_scores_of_others(user, round_),
            "history": history(dossier) if (manage or editable) else [],
            "visits": dossier.visits.select_related("recorded_by")
            if selectors.can_see_visits(user, round_)
            else None,
            "can_record_visit": "record_visit" in round_actions and dossier.retained_for_final,
            "visit_form": VisitForm(),
            "appeals": _appeal_panel(user, dossier),
            "earlier": (earlier := selectors.earlier_entries(dossier)),
            "earlier_recertification": any(r.round.level == round_.level for r in earlier),
            "today": timezone.localdate(),
        },
    )


def _appeal_panel(user, dossier) -> dict | None:
    """The dossier's appeals and whether the user may lodge one now (nothing asked of a round without appeals)."""
    round_ = dossier.round
    if not round_.appeal_days:  # a round without an appeal period takes none (and asks nothing here)
        return None
    appeals = list(selectors.visible_appeals(user, round_).filter(dossier=dossier))
    window = selectors.appeal_window(round_)
    may_lodge = (
        window is not None
        and window.is_open()
        and round_.status == RoundStatus.APPROVED
        and dossier.status in (DossierStatus.PASSED, DossierStatus.NOT_PASSED)
        and permissions.may_register_for(user, dossier.establishment)
        and not any(a.status == AppealStatus.LODGED for a in appeals)
    )
    if not (appeals or window or may_lodge):
        return None
    return {
        "window": window,
        "open": bool(window and window.is_open()),
        "may_lodge": may_lodge,
        "rows": [(a, workflow.allowed_actions(user, a)) for a in appeals],
        "form": AppealForm(),
        "answer_form": AppealAnswerForm(),
    }


@login_required
@require_POST
def appeal_lodge(request, pk):
    dossier = _dossier(request, pk)
    form = AppealForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form, labels=False)
    else:
        run_action(
            request,
            lambda: services.lodge_appeal(
                user=request.user, dossier=dossier, grounds=form.cleaned_data["grounds"]
            ),
            _("Appeal lodged: the council will answer it."),
        )
    return redirect("selection:dossier_detail", pk=pk)


def _appeal(request, pk) -> Appeal:
    appeal = get_object_or_404(Appeal.objects.select_related("dossier__round"), pk=pk)
    if not selectors.visible_appeals(request.user, appeal.dossier.round).filter(pk=pk).exists():
        raise Http404
    return appeal


@login_required
@require_POST
def appeal_answer(request, pk):
    appeal = _appeal(request, pk)
    form = AppealAnswerForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form, labels=False)
    else:
        upheld = form.cleaned_data["decision"] == "uphold"
        run_action(
            request,
            lambda: services.answer_appeal(
                user=request.user, appeal=appeal, upheld=upheld, answer=form.cleaned_data["answer"]
            ),
            _("Appeal upheld: the round is re-opened for correction, the reason recorded.")
            if upheld
            else _("Appeal dismissed; the answer is recorded and sent."),
        )
    if request.POST.get("next") == "dossier":
        return redirect("selection:dossier_detail", pk=appeal.dossier_id)
    return redirect(reverse("selection:results", args=[appeal.dossier.round_id]) + "#appeals")


@login_required
@require_POST
def appeal_withdraw(request, pk):
    appeal = _appeal(request, pk)
    run_action(
        request,
        lambda: services.withdraw_appeal(user=request.user, appeal=appeal),
        _("Appeal withdrawn."),
    )
    return redirect("selection:dossier_detail", pk=appeal.dossier_id)


@login_required
@require_POST
def visit_record(request, pk):
    dossier = _dossier(request, pk)
    form = VisitForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_form_errors(request, form, labels=False)
    else:
        run_action(
            request,
            lambda: services.record_visit(
                user=request.user,
                dossier=dossier,
                visited_on=form.cleaned_data["visited_on"],
                visitors=form.cleaned_data["visitors"],
                findings=form.cleaned_data["findings"],
                upload=form.cleaned_data.get("file"),
            ),
            _("Visit recorded."),
            refusals_as_messages=True,
        )
    return redirect("selection:dossier_detail", pk=pk)


@login_required
def dossier_edit(request, pk):
    dossier = _dossier(request, pk)
    form = DossierForm(request.POST or None, instance=dossier)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            form,
            lambda: services.update_dossier(user=request.user, dossier=dossier, data=form.cleaned_data),
            _("Changes saved."),
        )
    ):
        return redirect("selection:dossier_detail", pk=pk)
    return render(
        request, "selection/dossier_form.html", {"form": form, "round": dossier.round, "dossier": dossier}
    )


@login_required
@require_POST
def dossier_submit(request, pk):
    dossier = _dossier(request, pk)
    run_action(
        request,
        lambda: services.submit_dossier(user=request.user, dossier=dossier),
        _("Dossier submitted. The officers will screen it."),
    )
    return redirect("selection:dossier_detail", pk=pk)


@login_required
@require_POST
def dossier_screen(request, pk):
    dossier = _dossier(request, pk)
    form = ScreeningForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a screening decision."))
    else:
        run_action(
            request,
            lambda: services.screen_dossier(user=request.user, dossier=dossier, **form.cleaned_data),
            _("Screening recorded."),
        )
    return redirect("selection:dossier_detail", pk=pk)


@login_required
@require_POST
def document_upload(request, pk):
    dossier = _dossier(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_form_errors(request, form, labels=False)
    else:
        run_action(
            request,
            lambda: services.add_document(
                user=request.user,
                dossier=dossier,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            ),
            _("Document attached."),
        )
    return redirect("selection:dossier_detail", pk=pk)


@login_required
@require_POST
def document_remove(request, pk):
    document = get_object_or_404(DossierDocument, pk=pk, dossier__in=selectors.visible_dossiers(request.user))
    run_action(
        request,
        lambda: services.remove_document(user=request.user, document=document),
        _("Document removed."),
    )
    return redirect("selection:dossier_detail", pk=document.dossier_id)


@login_required
@require_POST
def conflict_declare(request, pk):
    dossier = _dossier(request, pk)
    kind, reason = request.POST.get("kind", ""), request.POST.get("reason", "")
    run_action(
        request,
        lambda: services.declare_conflict(user=request.user, dossier=dossier, kind=kind, reason=reason),
        _("Conflict of interest recorded: you will not score this dossier."),
    )
    return redirect("selection:dossier_detail", pk=pk)


@login_required
def score_form(request, pk):
    dossier = _dossier(request, pk)
    # The user may read the dossier (a conflict, not assigned): say why on its page rather than a bare 403.
    member = run_action(
        request, lambda: services.scoring_seat(request.user, dossier), None, refusals_as_messages=True
    )
    if member is None:
        return redirect("selection:dossier_detail", pk=pk)
    criteria = services.criteria_for(dossier)
    sheet = (
        Score.objects.filter(dossier=dossier, member=member, stage=dossier.round.stage)
        .prefetch_related("items")
        .first()
    )
    errors = {}
    values = {c.pk: "" for c in criteria}
    notes = {c.pk: "" for c in criteria}
    comment = sheet.comment if sheet else ""
    if sheet:
        for item in sheet.items.all():
            values[item.criterion_id] = item.points
            notes[item.criterion_id] = item.comment
    saved = None
    sealed = bool(sheet and sheet.submitted_at)
    if request.method == "POST" and sealed:
        errors = {"__all__": [_("This score sheet is sealed and cannot change.")]}
    elif request.method == "POST":
        submit = request.POST.get("action") == "submit"
        values = {c.pk: request.POST.get(f"c_{c.pk}", "").strip() for c in criteria}
        notes = {c.pk: request.POST.get(f"n_{c.pk}", "") for c in criteria}
        comment = request.POST.get("comment", "")
        form = ScoreSheetForm(request.POST, criteria=criteria)
        form.is_valid()  # the points are parsed and bounded by the service, which names the criterion
        result = run_service(
            request,
            form,
            lambda: services.save_score(
                user=request.user,
                dossier=dossier,
                points=values,
                comments=notes,
                comment=comment,
                submit=submit,
            ),
        )
        errors = {field: list(messages_) for field, messages_ in form.errors.items()}
        if result:
            sheet = result
            if submit:
                messages.success(
                    request,
                    _("Score submitted and sealed: %(total)s points.")
                    % {"total": number_format(sheet.total, 2)},
                )
                if request.htmx:
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = request.build_absolute_uri(f"/selection/dossiers/{pk}/")
                    return response
                return redirect("selection:dossier_detail", pk=pk)
            saved = sheet
    rows = [
        {
            "c": c,
            "max": c.max_for(dossier.product.group),
            "value": values.get(c.pk, ""),
            "note": notes.get(c.pk, ""),
            "error": (errors.get(f"c_{c.pk}") or [None])[0],
        }
        for c in criteria
    ]
    context = {
        "dossier": dossier,
        "rows": rows,
        "comment": comment,
        "sheet": sheet,
        "saved": saved,
        "sealed": sealed,
        "general_errors": errors.get("__all__", []),
        "max_total": dossier.round.rubric.max_total(dossier.product.group),
    }
    template = "selection/_score_form.html" if request.htmx else "selection/score_form.html"
    return render(request, template, context)


@login_required
def score_check(request, pk):
    """htmx, as the points are typed: the service's message for one criterion (empty when acceptable)."""
    dossier = _dossier(request, pk)
    try:
        services.scoring_seat(request.user, dossier)
    except ValidationError as exc:  # not (or no longer) scoring this dossier
        raise PermissionDenied(" ".join(exc.messages)) from exc
    wanted = request.GET.get("criterion", "")
    criterion = next((c for c in services.criteria_for(dossier) if str(c.pk) == wanted), None)
    if criterion is None:
        raise Http404
    raw = request.GET.get(f"c_{criterion.pk}", "").strip()
    error, _value = services.check_points(criterion, raw, criterion.max_for(dossier.product.group))
    return render(request, "selection/_score_error.html", {"pk": criterion.pk, "error": error})


@login_required
def results(request, pk):
    round_ = _round(request, pk)
    manage = can_manage_round(request.user, round_)
    if not selectors.may_see_results(request.user, round_):
        raise PermissionDenied
    retention = round_.two_stage and round_.stage == Stage.PRELIMINARY and round_.status == RoundStatus.REVIEW
    if request.method == "POST" and manage and retention:
        return redirect("selection:results", pk=pk)
    if request.method == "POST" and manage:
        choices = {}
        for key in request.POST:
            if key.startswith("row_") and key[4:].isdigit():
                did = int(key[4:])
                choices[did] = {
                    "selected": bool(request.POST.get(f"sel_{did}")),
                    "prize": request.POST.get(f"prize_{did}", ""),
                }
        run_action(
            request,
            lambda: services.select_results(user=request.user, round_=round_, choices=choices),
            _("Selection saved."),
        )
        return redirect("selection:results", pk=pk)
    rows = (
        selectors.result_rows(round_)
        if not round_.is_historical and round_.status in (RoundStatus.REVIEW, RoundStatus.APPROVED)
        else None
    )
    top = request.GET.get("top", "")
    top = int(top) if top.isdigit() and int(top) > 0 else None
    proposal = selectors.retention_proposal(rows, top) if retention and rows is not None else set()
    stored = None
    if rows is None:
        stored = (
            selectors.visible_results(request.user).filter(round=round_)
            if not manage
            else round_.results.all()
        )
        stored = stored.select_related("product", "product__establishment", "certificate").order_by(
            "-certified", "-score", "product__name"
        )
    appeals = [
        (a, workflow.allowed_actions(request.user, a))
        for a in selectors.visible_appeals(request.user, round_)
    ]
    if not appeals and not round_.appeal_days:
        appeals = None  # a round without an appeal period and without appeals shows no section
    return render(
        request,
        "selection/results.html",
        {
            "diagnostic": selectors.judging_diagnostic(round_)
            if selectors.may_see_diagnostic(request.user, round_)
            else None,
            "appeals": appeals,
            "appeal_window": selectors.appeal_window(round_),
            "answer_form": AppealAnswerForm(),
            "retention": retention,
            "proposal": proposal,
            "top": top or "",
            "final_stage": round_.two_stage and round_.stage == Stage.FINAL,
            "round": round_,
            "rows": rows,
            "actions": workflow.allowed_actions(request.user, round_),
            "stored": stored,
            "any_selected": any(r.dossier.selected for r in rows or []),
            "manage": manage,
            "decision_form": DecisionForm(initial={"signer": round_.decision_signer}),
            "reason_form": ReasonForm(),
            "next_rounds": selectors.next_level_rounds(round_)
            if manage and round_.status == RoundStatus.DECIDED
            else [],
            "historical_form": HistoricalResultForm(products=visible_products(request.user))
            if manage and round_.is_historical
            else None,
        },
    )


@login_required
@require_POST
def decision(request, pk):
    round_ = _round(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form, labels=False)
    else:
        run_action(
            request,
            lambda: services.record_decision(
                user=request.user,
                round_=round_,
                decision_no=form.cleaned_data["decision_no"],
                decision_date=form.cleaned_data["decision_date"],
                signer=form.cleaned_data["signer"],
            ),
            lambda certs: _("Decision recorded: %(n)s certificate(s) issued.") % {"n": len(certs)},
        )
    return redirect("selection:results", pk=pk)


@login_required
@require_POST
def historical_result(request, pk):
    round_ = _round(request, pk)
    form = HistoricalResultForm(request.POST, products=visible_products(request.user))
    if not form.is_valid():
        flash_form_errors(request, form, labels=False)
    else:
        run_action(
            request,
            lambda: services.record_historical_result(
                user=request.user, round_=round_, product=form.cleaned_data["product"], data=form.cleaned_data
            ),
            _("Result recorded."),
        )
    return redirect("selection:results", pk=pk)


def _visible_certificate(request, pk) -> Certificate:
    cert = get_object_or_404(
        Certificate.objects.select_related("result__round", "result__product__establishment"), pk=pk
    )
    if not selectors.may_read_certificate(request.user, cert):
        raise PermissionDenied
    return cert


@login_required
def certificate_pdf(request, pk):
    cert = _visible_certificate(request, pk)
    response = HttpResponse(current_certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-chung-nhan-{cert.number}.pdf"'
    return response


@login_required
@require_POST
def certificate_revoke(request, pk):
    cert = _visible_certificate(request, pk)
    run_action(
        request,
        lambda: services.revoke_certificate(
            user=request.user, certificate=cert, reason=request.POST.get("reason", "")
        ),
        _("Certificate %(no)s revoked; the verification page now says so.") % {"no": cert.number},
    )
    return redirect("selection:results", pk=cert.result.round_id)


@login_required
def nominate(request, pk):
    round_ = _round(request, pk)
    if not can_manage_round(request.user, round_):
        raise PermissionDenied
    targets = selectors.next_level_rounds(round_)
    candidates = selectors.nominable_results(round_)
    if request.method == "POST":
        target = targets.filter(pk=request.POST.get("target")).first()
        ids = [int(i) for i in request.POST.getlist("result") if i.isdigit()]
        if target is None:
            messages.error(request, _("Choose the round to nominate into."))
        elif not ids:
            messages.error(request, _("Tick at least one product."))
        elif run_action(
            request,
            lambda: services.nominate(user=request.user, source=round_, target=target, result_ids=ids),
            lambda created: (
                _("%(n)s product(s) nominated to “%(t)s”, their dossiers carried over.")
                % {"n": len(created), "t": target.title}
            ),
            refusals_as_messages=True,
        ):
            batch = (
                target.batches.filter(province_id=round_.province_id).first() if round_.province_id else None
            )
            if batch:
                return redirect("selection:batch_detail", pk=batch.pk)
            return redirect("selection:round_detail", pk=target.pk)
    nominated = set(round_.results.filter(nominations__isnull=False).values_list("pk", flat=True))
    return render(
        request,
        "selection/nominate.html",
        {"round": round_, "targets": targets, "candidates": candidates, "nominated": nominated},
    )


# --- a province's submission to a region round -------------------------------------------------


def _batch(request, pk):
    return get_object_or_404(
        selectors.visible_batches(request.user).select_related("round__rule_set", "province"), pk=pk
    )


@login_required
def batch_detail(request, pk):
    """The province's submission: its letter, its nominees and each one's progress, the deadline once complete."""
    batch = _batch(request, pk)
    user = request.user
    actions = workflow.allowed_actions(user, batch)
    form = BatchLetterForm(request.POST or None, request.FILES or None, instance=batch)
    if request.method == "POST":
        if "edit" not in actions:
            raise PermissionDenied
        if form.is_valid() and run_service(
            request,
            form,
            lambda: services.update_batch(
                user=user, batch=batch, data=form.cleaned_data, letter=form.cleaned_data.get("letter")
            ),
            _("The letter is saved."),
        ):
            return redirect("selection:batch_detail", pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "selection/batch_detail.html",
        {
            "batch": batch,
            "round": batch.round,
            "form": form,
            "return_form": BatchReturnForm(),
            "actions": actions,
            "rows": selectors.batch_progress(batch),
            "problems": selectors.batch_problems(batch) if "submit" in actions else [],
            "letter": batch.letter,
            "days_left": deadlines.working_days_left(today, batch.due_on) if batch.due_on else None,
            "working_days": batch.round.rule_set.region_working_days if batch.round.rule_set_id else 30,
            "steps": batch.transitions.select_related("user"),
        },
    )


@login_required
@require_POST
def batch_action(request, pk, action):
    batch = _batch(request, pk)
    user = request.user
    if action == "submit":
        run_action(
            request,
            lambda: services.submit_batch(user=user, batch=batch),
            _("The batch is submitted with its letter; the organiser has been told."),
        )
    elif action == "accept":
        run_action(
            request,
            lambda: services.accept_batch(user=user, batch=batch),
            lambda b: (
                _("Accepted as complete: the decision is due by %(date)s.")
                % {"date": b.due_on.strftime("%d/%m/%Y")}
            ),
        )
    elif action == "return":
        run_action(
            request,
            lambda: services.return_batch(user=user, batch=batch, note=request.POST.get("note", "")),
            _("Returned to the province; it has been told what is missing."),
        )
    else:
        raise Http404
    return redirect("selection:batch_detail", pk=pk)


@login_required
@require_POST
def batch_remove(request, pk, dossier_pk):
    batch = _batch(request, pk)
    dossier = get_object_or_404(batch.dossiers.all(), pk=dossier_pk)
    run_action(
        request,
        lambda: services.remove_from_batch(user=request.user, batch=batch, dossier=dossier),
        _("“%(p)s” is taken out of the batch.") % {"p": dossier.product.name},
    )
    return redirect("selection:batch_detail", pk=pk)


__all__ = ["DossierStatus"]
