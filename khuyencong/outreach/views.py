"""Market linkage pages: thin shells over outreach.services and outreach.selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import permissions
from khuyencong.core import exports
from khuyencong.core.forms import flash_form_errors, run_action, run_service
from khuyencong.core.selectors import history
from khuyencong.programme.models import Activity
from khuyencong.registry.selectors import visible_establishments

from . import selectors, services
from .forms import (
    AnswerForm,
    EventFilterForm,
    EventForm,
    InterestForm,
    OutcomeForm,
    ParticipantForm,
    QuestionForm,
    SurveyForm,
    TraineeForm,
    TrainingForm,
)
from .models import (
    Outcome,
    Participation,
    ParticipationStatus,
    Question,
    Response,
    SurveyStatus,
    TrainingParticipant,
)

PAGE_SIZE = 25


# --- events -------------------------------------------------------------------------------------


@login_required
def event_list(request):
    years = selectors.event_years(request.user)
    form = EventFilterForm(request.GET or None, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.event_list(
        request.user,
        year=data.get("year"),
        kind=data.get("kind", ""),
        scope=data.get("scope", ""),
        query=data.get("q", ""),
        host_province=data.get("host_province"),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = services.may_manage_events(request.user, request.user.province_id)
    template = "outreach/_event_rows.html" if request.htmx else "outreach/event_list.html"
    return render(request, template, {"filter_form": form, "page_obj": page, "can_create": can_create})


def _visible_event(request, pk):
    return get_object_or_404(
        selectors.visible_events(request.user)
        .select_related("province", "host_province", "project")
        .distinct(),
        pk=pk,
    )


@login_required
def event_detail(request, pk):
    event = _visible_event(request, pk)
    user = request.user
    can_manage = services.may_manage_events(user, event.province_id) and not event.is_archived
    is_rep = permissions.is_representative(user)
    mine = event.participations.filter(establishment_id=user.establishment_id).first() if is_rep else None
    participations = selectors.event_participations(event)
    if is_rep and not can_manage:
        # a representative sees who takes part, not others' pending requests or notes
        participations = participations.filter(status=ParticipationStatus.CONFIRMED)
    ctx = {
        "event": event,
        "totals": selectors.event_totals(event),
        "participations": participations,
        "outcomes": selectors.event_outcomes(event, user),
        "can_manage": can_manage,
        "mine": mine,
        "can_register": bool(is_rep)
        and mine is None
        and not event.is_archived
        and event.end_date >= timezone.localdate(),
        "history": history(event) if can_manage else None,
    }
    if can_manage:
        establishments = (
            visible_establishments(user)
            .filter(archived_at__isnull=True)
            .exclude(pk__in=event.participations.values("establishment_id"))
        )
        confirmed = visible_establishments(user).filter(
            pk__in=event.participations.filter(status=ParticipationStatus.CONFIRMED).values(
                "establishment_id"
            )
        )
        ctx["participant_form"] = ParticipantForm(
            establishments=establishments,
            products_url=reverse("outreach:participant_products", args=[event.pk]),
        )
        ctx["outcome_form"] = OutcomeForm(establishments=confirmed)
    if ctx["can_register"]:
        ctx["interest_form"] = InterestForm(establishment=user.establishment)
    return render(request, "outreach/event_detail.html", ctx)


@login_required
def event_create(request):
    if not services.may_manage_events(request.user, request.user.province_id):
        raise PermissionDenied
    form = EventForm(
        request.POST or None,
        user=request.user,
        initial={"scope": "in_province", "host_province": request.user.province_id},
    )
    if request.method == "POST" and form.is_valid():
        data = {"province": request.user.province, **form.cleaned_data}
        event = run_service(
            request, form, lambda: services.create_event(user=request.user, data=data), _("Event recorded.")
        )
        if event:
            return redirect("outreach:event_detail", pk=event.pk)
    return render(request, "outreach/event_form.html", {"form": form})


@login_required
def event_edit(request, pk):
    event = _visible_event(request, pk)
    if not services.may_manage_events(request.user, event.province_id):
        raise PermissionDenied
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.update_event(user=request.user, event=event, data=form.cleaned_data),
            _("Changes saved."),
        ):
            return redirect("outreach:event_detail", pk=pk)
    return render(request, "outreach/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_archive(request, pk):
    event = _visible_event(request, pk)
    services.archive_event(user=request.user, event=event)
    messages.success(request, _("Event archived. It stays in reports and history."))
    return redirect("outreach:event_detail", pk=pk)


@login_required
@require_POST
def event_register(request, pk):
    event = _visible_event(request, pk)
    if not permissions.may_register_interest(request.user):
        raise PermissionDenied
    form = InterestForm(request.POST, establishment=request.user.establishment)
    if form.is_valid():
        run_action(
            request,
            lambda: services.register_interest(
                user=request.user,
                event=event,
                products=form.cleaned_data["products"],
                note=form.cleaned_data["note"],
            ),
            _("Your interest is registered. The organiser will confirm your participation."),
        )
    else:
        flash_form_errors(request, form)
    return redirect("outreach:event_detail", pk=pk)


@login_required
def participant_products(request, pk):
    """htmx: the chosen establishment's products, as checkboxes, for the "Add an establishment" form."""
    event = _visible_event(request, pk)
    if not services.may_manage_events(request.user, event.province_id):
        raise PermissionDenied
    establishments = visible_establishments(request.user).filter(archived_at__isnull=True)
    form = ParticipantForm(request.GET, establishments=establishments)
    return render(request, "outreach/_participant_products.html", {"form": form})


@login_required
@require_POST
def event_add_participant(request, pk):
    event = _visible_event(request, pk)
    if not services.may_manage_events(request.user, event.province_id):
        raise PermissionDenied
    establishments = visible_establishments(request.user).filter(archived_at__isnull=True)
    form = ParticipantForm(request.POST, establishments=establishments)
    if form.is_valid():
        run_action(
            request,
            lambda: services.add_participant(user=request.user, event=event, **form.cleaned_data),
            _("Participant added."),
        )
    else:
        flash_form_errors(request, form)
    return redirect("outreach:event_detail", pk=pk)


@login_required
@require_POST
def participation_decide(request, pk):
    participation = get_object_or_404(
        Participation.objects.filter(event__in=selectors.visible_events(request.user)).select_related(
            "event"
        ),
        pk=pk,
    )
    confirm = request.POST.get("decision") != "decline"
    name = participation.establishment.name
    run_action(
        request,
        lambda: services.decide_participation(
            user=request.user,
            participation=participation,
            confirm=confirm,
            booth_supported=bool(request.POST.get("booth_supported")),
        ),
        _("Participation of %(name)s confirmed.") % {"name": name}
        if confirm
        else _("%(name)s was not selected.") % {"name": name},
    )
    return redirect("outreach:event_detail", pk=participation.event_id)


@login_required
@require_POST
def event_add_outcome(request, pk):
    event = _visible_event(request, pk)
    if not services.may_manage_events(request.user, event.province_id):
        raise PermissionDenied
    establishments = visible_establishments(request.user)
    form = OutcomeForm(request.POST, establishments=establishments)
    if form.is_valid():
        run_service(
            request,
            form,
            lambda: services.add_outcome(user=request.user, event=event, data=form.cleaned_data),
            _("Outcome recorded."),
        )
    flash_form_errors(request, form)
    return redirect("outreach:event_detail", pk=pk)


@login_required
@require_POST
def outcome_archive(request, pk):
    outcome = get_object_or_404(
        Outcome.objects.filter(
            event__in=selectors.visible_events(request.user), archived_at__isnull=True
        ).select_related("event"),
        pk=pk,
    )
    services.archive_outcome(user=request.user, outcome=outcome)
    messages.success(request, _("Outcome withdrawn. It stays in the history."))
    return redirect("outreach:event_detail", pk=outcome.event_id)


# --- trainings ----------------------------------------------------------------------------------


@login_required
def training_list(request):
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    qs = selectors.training_list(request.user, year=year)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/training_list.html",
        {
            "page_obj": page,
            "counts": selectors.training_counts_by_year(request.user),
            "year": year,
            "can_create": services.may_manage_training(
                request.user, request.user.province_id, request.user.commune_id
            ),
        },
    )


def _visible_training(request, pk):
    return get_object_or_404(
        selectors.visible_trainings(request.user).select_related("province", "commune", "project").distinct(),
        pk=pk,
    )


@login_required
def training_detail(request, pk):
    training = _visible_training(request, pk)
    can_manage = (
        services.may_manage_training(request.user, training.province_id, training.commune_id)
        and not training.is_archived
    )
    participants = training.participants.select_related("user", "establishment")
    return render(
        request,
        "outreach/training_detail.html",
        {
            "training": training,
            "participants": participants,
            "can_manage": can_manage,
            "attended": sum(1 for p in participants if p.attended),
            "trainee_form": TraineeForm(province_id=training.province_id) if can_manage else None,
            "history": history(training) if can_manage else None,
        },
    )


@login_required
def training_create(request):
    user = request.user
    if not services.may_manage_training(user, user.province_id, user.commune_id):
        raise PermissionDenied
    form = TrainingForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = {"province": user.province, **form.cleaned_data}
        training = run_service(
            request, form, lambda: services.create_training(user=user, data=data), _("Training recorded.")
        )
        if training:
            return redirect("outreach:training_detail", pk=training.pk)
    return render(request, "outreach/training_form.html", {"form": form})


@login_required
def training_edit(request, pk):
    training = _visible_training(request, pk)
    if not services.may_manage_training(request.user, training.province_id, training.commune_id):
        raise PermissionDenied
    form = TrainingForm(request.POST or None, instance=training, user=request.user)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.update_training(user=request.user, training=training, data=form.cleaned_data),
            _("Changes saved."),
        ):
            return redirect("outreach:training_detail", pk=pk)
    return render(request, "outreach/training_form.html", {"form": form, "training": training})


@login_required
@require_POST
def training_archive(request, pk):
    training = _visible_training(request, pk)
    services.archive_training(user=request.user, training=training)
    messages.success(request, _("Training archived. It stays in reports and history."))
    return redirect("outreach:training_detail", pk=pk)


@login_required
@require_POST
def training_add_participant(request, pk):
    training = _visible_training(request, pk)
    if not services.may_manage_training(request.user, training.province_id, training.commune_id):
        raise PermissionDenied
    form = TraineeForm(request.POST, province_id=training.province_id)
    if form.is_valid():
        run_service(
            request,
            form,
            lambda: services.add_trainee(user=request.user, training=training, data=form.cleaned_data),
            _("Participant added."),
        )
    flash_form_errors(request, form)
    return redirect("outreach:training_detail", pk=pk)


@login_required
@require_POST
def trainee_attendance(request, pk):
    participant = get_object_or_404(
        TrainingParticipant.objects.filter(
            training__in=selectors.visible_trainings(request.user)
        ).select_related("training"),
        pk=pk,
    )
    score = request.POST.get("score") or None
    run_action(
        request,
        lambda: services.set_attendance(
            user=request.user,
            participant=participant,
            attended=bool(request.POST.get("attended")),
            score=int(score) if score and score.isdigit() else None,
        ),
        _("Attendance saved."),
    )
    return redirect("outreach:training_detail", pk=participant.training_id)


# --- surveys ------------------------------------------------------------------------------------


@login_required
def survey_list(request):
    user = request.user
    years = sorted(
        set(
            selectors.visible_surveys(user).exclude(status=SurveyStatus.DRAFT).values_list("year", flat=True)
        ),
        reverse=True,
    )
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else (years[0] if years else None)
    needs = (
        selectors.needs_summary(user.province_id, year)
        if user.province_id and year and not permissions.answers_surveys(user)
        else []
    )
    for row in needs:
        row["activity_label"] = Activity(row["activity"]).label if row["activity"] in Activity.values else ""
    answered_ids = (
        set(
            Response.objects.filter(establishment_id=user.establishment_id).values_list(
                "survey_id", flat=True
            )
        )
        if permissions.is_representative(user)
        else set()
    )
    return render(
        request,
        "outreach/survey_list.html",
        {
            "surveys": selectors.survey_list(user),
            "pending": selectors.pending_surveys(user),
            "can_create": services.may_manage_surveys(user, user.province_id),
            "needs": needs[:12],
            "needs_year": year,
            "years": years,
            "answered_ids": answered_ids,
        },
    )


def _visible_survey(request, pk):
    return get_object_or_404(
        selectors.visible_surveys(request.user).select_related("province", "commune").distinct(), pk=pk
    )


@login_required
def survey_create(request):
    user = request.user
    if not services.may_manage_surveys(user, user.province_id):
        raise PermissionDenied
    form = SurveyForm(
        request.POST or None,
        province_id=user.province_id,
        user=user,
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        data = {"province": user.province, **form.cleaned_data}
        survey = run_service(
            request,
            form,
            lambda: services.create_survey(user=user, data=data),
            _("Survey created. Now add its questions."),
        )
        if survey:
            return redirect("outreach:survey_detail", pk=survey.pk)
    return render(request, "outreach/survey_form.html", {"form": form})


@login_required
def survey_edit(request, pk):
    survey = _visible_survey(request, pk)
    if not services.may_manage_surveys(request.user, survey.province_id):
        raise PermissionDenied
    form = SurveyForm(request.POST or None, instance=survey, province_id=survey.province_id)
    if survey.status != SurveyStatus.DRAFT:
        for name in ("year", "commune"):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            form,
            lambda: services.update_survey(user=request.user, survey=survey, data=form.cleaned_data),
            _("Changes saved."),
        ):
            return redirect("outreach:survey_detail", pk=pk)
    return render(request, "outreach/survey_form.html", {"form": form, "survey": survey})


@login_required
def survey_detail(request, pk):
    survey = _visible_survey(request, pk)
    user = request.user
    if permissions.answers_surveys(user):
        return redirect("outreach:survey_answer", pk=pk)
    can_manage = services.may_manage_surveys(user, survey.province_id) and not survey.is_archived
    results = selectors.survey_results(survey, user)
    charts = [
        {"id": f"chart-q{item['question'].pk}", **item["chart"]}
        for item in results["questions"]
        if item.get("chart")
    ]
    return render(
        request,
        "outreach/survey_detail.html",
        {
            "survey": survey,
            "results": results,
            "charts": charts,
            "can_manage": can_manage,
            "question_form": QuestionForm() if can_manage and survey.status == SurveyStatus.DRAFT else None,
            "recipient_count": services.recipients_for(survey).count()
            if survey.status == SurveyStatus.DRAFT
            else None,
            "responses": selectors.survey_responses(survey, user)
            .select_related("establishment", "submitted_by")
            .order_by("-created_at"),
            "history": history(survey) if can_manage else None,
        },
    )


@login_required
@require_POST
def survey_add_question(request, pk):
    survey = _visible_survey(request, pk)
    if not services.may_manage_surveys(request.user, survey.province_id):
        raise PermissionDenied
    form = QuestionForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            form,
            lambda: services.add_question(user=request.user, survey=survey, data=form.cleaned_data),
            _("Question added."),
        )
    flash_form_errors(request, form)
    return redirect("outreach:survey_detail", pk=pk)


@login_required
@require_POST
def question_remove(request, pk):
    question = get_object_or_404(
        Question.objects.filter(survey__in=selectors.visible_surveys(request.user)), pk=pk
    )
    run_action(
        request,
        lambda: services.remove_question(user=request.user, question=question),
        _("Question removed."),
    )
    return redirect("outreach:survey_detail", pk=question.survey_id)


@login_required
@require_POST
def survey_send(request, pk):
    survey = _visible_survey(request, pk)
    run_action(
        request,
        lambda: services.send_survey(user=request.user, survey=survey),
        lambda n: _("Survey sent to %(n)s establishments: each answers through its account.") % {"n": n},
    )
    return redirect("outreach:survey_detail", pk=pk)


@login_required
@require_POST
def survey_close(request, pk):
    survey = _visible_survey(request, pk)
    run_action(request, lambda: services.close_survey(user=request.user, survey=survey), _("Survey closed."))
    return redirect("outreach:survey_detail", pk=pk)


@login_required
def survey_answer(request, pk):
    """The link each establishment opens with its account: the questions, or its answers if already sent."""
    survey = _visible_survey(request, pk)
    user = request.user
    if not permissions.answers_surveys(user):
        return redirect("outreach:survey_detail", pk=pk)
    previous = selectors.response_of(survey, user.establishment_id)
    form = None
    if previous is None:
        form = AnswerForm(request.POST or None, survey=survey)
        if request.method == "POST" and form.is_valid():
            if run_service(
                request,
                form,
                lambda: services.submit_response(user=user, survey=survey, answers=form.answers()),
                _("Thank you: your answers were sent."),
            ):
                return redirect("outreach:survey_answer", pk=pk)
            if selectors.response_of(survey, user.establishment_id) is not None:
                # answered meanwhile (from another tab): show the answers sent, with the refusal on top
                flash_form_errors(request, form)
                return redirect("outreach:survey_answer", pk=pk)
    elif request.method == "POST":
        messages.error(
            request,
            _("Your establishment already answered this survey on %(date)s: answers are sent once only.")
            % {"date": timezone.localtime(previous.created_at).strftime("%d/%m/%Y")},
        )
    is_open = survey.status == SurveyStatus.OPEN and not (
        survey.closes_on and survey.closes_on < timezone.localdate()
    )
    return render(
        request,
        "outreach/survey_answer.html",
        {
            "survey": survey,
            "form": form,
            "previous": previous,
            "is_open": is_open,
            "questions": survey.questions.all(),
        },
    )


@login_required
def survey_export(request, pk, fmt):
    survey = _visible_survey(request, pk)
    if permissions.answers_surveys(request.user):
        raise PermissionDenied
    header, rows = selectors.export_rows(survey, request.user)
    name = slugify(survey.title)[:60] or f"survey-{survey.pk}"
    if fmt == "csv":
        return exports.csv_response(f"{name}.csv", rows, header=header)
    return exports.xlsx_response(f"{name}.xlsx", [exports.Sheet(_("Answers"), rows, header=header)])
