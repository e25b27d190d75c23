"""Every scoped or aggregated read of events, trainings and surveys."""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions, scoping
from khuyencong.core.filters import apply

from .filters import EventFilter
from .models import (
    Answer,
    Event,
    Invitation,
    Outcome,
    OutcomeKind,
    Participation,
    ParticipationStatus,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
    Training,
    TrainingParticipant,
)


def _is_rep(user) -> bool:
    return permissions.is_representative(user)


def visible_events(user) -> QuerySet[Event]:
    """Staff see their place's events (a commune officer, those of the commune's province); a representative
    sees the events of its establishment's province, and those it took part in."""
    if _is_rep(user):
        est = user.establishment
        return Event.objects.filter(
            Q(province_id=est.province_id)
            | Q(pk__in=Participation.objects.filter(establishment_id=est.pk).values("event_id"))
        )
    return scoping.scope_by_place(
        user, Event.objects.all(), commune_field="province__communes", establishment_field=None
    )


def event_list(
    user,
    *,
    year: int | None = None,
    kind: str = "",
    scope: str = "",
    query: str = "",
    host_province=None,
    archived: bool = False,
) -> QuerySet[Event]:
    """The event list of the page (and any export or API of it), filtered by `EventFilter`."""
    qs = visible_events(user).select_related("host_province", "province")
    qs = apply(
        EventFilter,
        qs,
        {
            "q": query,
            "archived": archived,
            "year": year,
            "kind": kind,
            "scope": scope,
            "host_province": host_province,
        },
    )
    return qs.annotate(
        participant_count=Count(
            "participations", filter=Q(participations__status=ParticipationStatus.CONFIRMED), distinct=True
        ),
        contract_value=Subquery(
            Outcome.objects.filter(event=OuterRef("pk"), archived_at__isnull=True, kind=OutcomeKind.CONTRACT)
            .values("event")
            .annotate(v=Sum("value"))
            .values("v")[:1]
        ),
    ).order_by("-start_date", "title")


def event_years(user) -> list[int]:
    return sorted({d.year for d in visible_events(user).dates("start_date", "year")}, reverse=True)


def event_totals(event: Event) -> dict:
    outcomes = event.outcomes.filter(archived_at__isnull=True)
    agg = outcomes.aggregate(
        contracts=Count("pk", filter=Q(kind=OutcomeKind.CONTRACT)),
        mous=Count("pk", filter=Q(kind=OutcomeKind.MOU)),
        agents=Count("pk", filter=Q(kind=OutcomeKind.AGENT)),
        value=Sum("value", filter=Q(kind__in=[OutcomeKind.CONTRACT, OutcomeKind.MOU])),
    )
    agg["value"] = agg["value"] or 0
    agg["participants"] = event.participations.filter(status=ParticipationStatus.CONFIRMED).count()
    agg["booths"] = event.participations.filter(
        status=ParticipationStatus.CONFIRMED, booth_supported=True
    ).count()
    return agg


def event_participations(event: Event) -> QuerySet[Participation]:
    return (
        event.participations.select_related("establishment", "establishment__commune")
        .prefetch_related("products")
        .order_by("status", "establishment__name")
    )


def event_outcomes(event: Event, user) -> QuerySet[Outcome]:
    """The event's outcomes one by one: all of them to officers; a representative, its own (others' contract
    values and partners are theirs; the event's totals are the public aggregate)."""
    qs = event.outcomes.filter(archived_at__isnull=True).select_related("establishment", "partner_province")
    if permissions.has_representative_role(user):
        return qs.filter(establishment_id=user.establishment_id) if user.establishment_id else qs.none()
    return qs


# --- trainings ----------------------------------------------------------------------------------


def visible_trainings(user) -> QuerySet[Training]:
    """Staff by place (a commune officer sees the province's trainings); a representative sees those its
    establishment or its account took part in."""
    if _is_rep(user):
        return Training.objects.filter(
            pk__in=TrainingParticipant.objects.filter(
                Q(establishment_id=user.establishment_id) | Q(user=user)
            ).values("training_id")
        )
    qs = scoping.scope_by_place(
        user, Training.objects.all(), commune_field="province__communes", establishment_field=None
    )
    return qs


def training_list(user, *, year: int | None = None, archived: bool = False) -> QuerySet[Training]:
    qs = (
        visible_trainings(user).filter(archived_at__isnull=not archived).select_related("province", "commune")
    )
    if year:
        qs = qs.filter(start_date__year=year)
    return qs.annotate(
        participant_count=Count("participants", distinct=True),
        attended_count=Count("participants", filter=Q(participants__attended=True), distinct=True),
    ).order_by("-start_date", "topic")


def training_counts_by_year(user) -> list[dict]:
    """Per year: trainings held, participants, those who attended, officers and establishments reached."""
    rows = {}
    trainings = visible_trainings(user).filter(archived_at__isnull=True)
    for t in trainings.values("start_date__year").annotate(n=Count("pk")):
        rows[t["start_date__year"]] = {
            "year": t["start_date__year"],
            "trainings": t["n"],
            "participants": 0,
            "attended": 0,
            "establishments": 0,
        }
    people = (
        TrainingParticipant.objects.filter(training__in=trainings)
        .values("training__start_date__year")
        .annotate(
            n=Count("pk"),
            attended=Count("pk", filter=Q(attended=True)),
            establishments=Count("establishment", distinct=True),
        )
    )
    for p in people:
        row = rows[p["training__start_date__year"]]
        row.update(participants=p["n"], attended=p["attended"], establishments=p["establishments"])
    return [rows[y] for y in sorted(rows, reverse=True)]


# --- surveys ------------------------------------------------------------------------------------


def visible_surveys(user) -> QuerySet[Survey]:
    """Staff by place; a representative sees the surveys sent to its establishment (not drafts)."""
    if _is_rep(user):
        return Survey.objects.filter(invitations__establishment_id=user.establishment_id).exclude(
            status=SurveyStatus.DRAFT
        )
    return scoping.scope_by_place(
        user, Survey.objects.all(), establishment_field=None, commune_field="province__communes"
    )


def survey_list(user, *, year: int | None = None) -> QuerySet[Survey]:
    qs = visible_surveys(user).filter(archived_at__isnull=True).select_related("province", "commune")
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("responses", distinct=True),
    ).order_by("-year", "-created_at")


def pending_surveys(user) -> QuerySet[Survey]:
    """Open surveys the representative's establishment has not answered yet."""
    if not _is_rep(user):
        return Survey.objects.none()
    today = timezone.localdate()
    return (
        Survey.objects.filter(
            invitations__establishment_id=user.establishment_id,
            status=SurveyStatus.OPEN,
            archived_at__isnull=True,
        )
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .exclude(responses__establishment_id=user.establishment_id)
    )


def response_of(survey: Survey, establishment_id) -> Response | None:
    if not establishment_id:
        return None
    return (
        Response.objects.filter(survey=survey, establishment_id=establishment_id)
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("question")))
        .first()
    )


def _fmt(number: Decimal | None):
    if number is None:
        return None
    number = Decimal(number)
    return int(number) if number == number.to_integral_value() else float(round(number, 2))


def _of_readers_place(user, queryset: QuerySet) -> QuerySet:
    """Invitations, responses or answers (by `establishment` / `response__establishment`) of the user's place."""
    prefix = "response__establishment" if queryset.model is Answer else "establishment"
    return scoping.scope_by_place(
        user,
        queryset,
        province_field=f"{prefix}__province",
        commune_field=f"{prefix}__commune",
        establishment_field=prefix,
    )


def survey_responses(survey: Survey, user) -> QuerySet[Response]:
    """The responses the user may read: those of establishments of their place (a commune officer, the
    commune's; a province officer, all of the province)."""
    return _of_readers_place(user, survey.responses.all())


def survey_results(survey: Survey, user) -> dict:
    """Response rate and, per question, the aggregate: counts per choice, number statistics, or the texts;
    over the establishments of the user's place only."""
    invited = _of_readers_place(user, survey.invitations.all()).count()
    answered = survey_responses(survey, user).count()
    questions = list(survey.questions.all())
    answers = _of_readers_place(user, Answer.objects.filter(response__survey=survey)).select_related(
        "response__establishment"
    )
    by_question: dict[int, list[Answer]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    items = []
    for q in questions:
        given = by_question.get(q.pk, [])
        item = {"question": q, "answered": 0}
        if q.is_choice:
            counts = Counter(v for a in given for v in a.selected)
            item["answered"] = sum(1 for a in given if a.selected)
            item["counts"] = [
                {
                    "label": o,
                    "count": counts.get(o, 0),
                    "share": round(100 * counts.get(o, 0) / answered) if answered else 0,
                }
                for o in q.options
            ]
            item["chart"] = {
                "labels": q.options,
                "counts": [counts.get(o, 0) for o in q.options],
                "horizontal": q.kind == QuestionKind.MULTI
                or len(q.options) > 4
                or max(len(o) for o in q.options) > 16,
            }
        elif q.kind == QuestionKind.NUMBER:
            numbers = [a.number for a in given if a.number is not None]
            item["answered"] = len(numbers)
            if numbers:
                total = sum(numbers)
                item["stats"] = {
                    "sum": _fmt(total),
                    "mean": _fmt(total / len(numbers)),
                    "min": _fmt(min(numbers)),
                    "max": _fmt(max(numbers)),
                }
        else:
            texts = [(a.response.establishment, a.text) for a in given if a.text]
            item["answered"] = len(texts)
            item["texts"] = texts
        items.append(item)
    return {
        "invited": invited,
        "answered": answered,
        "rate": round(100 * answered / invited) if invited else 0,
        "questions": items,
    }


def export_rows(survey: Survey, user) -> tuple[list[str], list[list]]:
    """A header and one row per responding establishment the user may read, one column per question."""
    questions = list(survey.questions.all())
    header = [_("Establishment code"), _("Establishment"), _("Answered at")] + [q.text for q in questions]
    rows = []
    responses = (
        survey_responses(survey, user)
        .select_related("establishment")
        .prefetch_related("answers")
        .order_by("establishment__code")
    )
    for response in responses:
        by_q = {a.question_id: a for a in response.answers.all()}
        row = [
            response.establishment.code,
            response.establishment.name,
            timezone.localtime(response.created_at).strftime("%d/%m/%Y %H:%M"),
        ]
        for q in questions:
            a = by_q.get(q.pk)
            if a is None:
                row.append("")
            elif q.kind == QuestionKind.NUMBER:
                row.append(_fmt(a.number) if a.number is not None else "")
            else:
                row.append(a.display)
        rows.append(row)
    return header, rows


def needs_summary(province, year: int) -> list[dict]:
    """What establishments of a province said they need in a year's surveys, for the plan page.

    One row per choice of every choice question: how many establishments chose it, of how many
    that answered; when the question names a programme activity, how many of the year's projects
    in the province carry that activity, cancelled ones left out (the needs the plan addresses).
    """
    province_id = getattr(province, "pk", province)
    questions = (
        Question.objects.filter(
            survey__province_id=province_id,
            survey__year=year,
            survey__archived_at__isnull=True,
            kind__in=[QuestionKind.CHOICE, QuestionKind.MULTI],
        )
        .exclude(survey__status=SurveyStatus.DRAFT)
        .select_related("survey")
    )
    questions = list(questions)
    if not questions:
        return []
    answers = Answer.objects.filter(question__in=questions).values_list("question_id", "selected")
    counts: dict[int, Counter] = {}
    answered: Counter = Counter()
    for qid, selected in answers:
        counts.setdefault(qid, Counter()).update(selected or [])
        if selected:
            answered[qid] += 1
    projects = {}
    activities = {q.activity for q in questions if q.activity}
    if activities:
        from khuyencong.programme.models import Project

        projects = dict(
            Project.objects.filter(
                province_id=province_id, year=year, activity__in=activities, archived_at__isnull=True
            )
            .exclude(status="cancelled")
            .order_by()
            .values_list("activity")
            .annotate(n=Count("pk"))
        )
    rows = []
    for q in questions:
        for option in q.options:
            rows.append(
                {
                    "survey": q.survey,
                    "question": q.text,
                    "need": option,
                    "count": counts.get(q.pk, Counter()).get(option, 0),
                    "answered": answered[q.pk],
                    "activity": q.activity,
                    "projects": projects.get(q.activity, 0) if q.activity else None,
                }
            )
    return sorted(rows, key=lambda r: (-r["count"], r["need"]))


# --- shared pages -------------------------------------------------------------------------------


def establishment_outreach(establishment) -> dict:
    participations = (
        Participation.objects.filter(establishment=establishment)
        .exclude(event__archived_at__isnull=False)
        .select_related("event", "event__host_province")
        .order_by("-event__start_date")
    )
    outcomes = (
        Outcome.objects.filter(establishment=establishment, archived_at__isnull=True)
        .values("event_id")
        .annotate(value=Sum("value"), n=Count("pk"))
    )
    by_event = {o["event_id"]: o for o in outcomes}
    events = [
        {"participation": p, "event": p.event, "outcomes": by_event.get(p.event_id)} for p in participations
    ]
    trainings = (
        TrainingParticipant.objects.filter(establishment=establishment, training__archived_at__isnull=True)
        .select_related("training")
        .order_by("-training__start_date")
    )
    responses = (
        Response.objects.filter(establishment=establishment, survey__archived_at__isnull=True)
        .select_related("survey")
        .order_by("-created_at")
    )
    pending = (
        Invitation.objects.filter(
            establishment=establishment, survey__status=SurveyStatus.OPEN, survey__archived_at__isnull=True
        )
        .exclude(survey__responses__establishment=establishment)
        .select_related("survey")
    )
    return {"events": events, "trainings": trainings, "responses": responses, "pending": pending}


def establishment_section(request, establishment):
    data = establishment_outreach(establishment)
    if not any([data["events"], data["trainings"], data["responses"], data["pending"]]):
        data = {**data, "empty": True}
    user = request.user
    data["is_rep"] = _is_rep(user) and user.establishment_id == establishment.pk
    return {"template": "outreach/_establishment_section.html", "context": data, "order": 60}


def dashboard_panel(user) -> list[dict]:
    from django.urls import reverse

    if not permissions.sees_records(user):
        return []
    year = timezone.localdate().year
    if _is_rep(user):
        return [
            {
                "key": "surveys_pending",
                "label": _("Surveys to answer"),
                "icon": "ui-checks",
                "value": pending_surveys(user).count(),
                "url": reverse("outreach:survey_list"),
            }
        ]
    events = visible_events(user).filter(archived_at__isnull=True, start_date__year=year)
    value = (
        Outcome.objects.filter(
            event__in=events, archived_at__isnull=True, kind=OutcomeKind.CONTRACT
        ).aggregate(v=Sum("value"))["v"]
        or 0
    )
    return [
        {
            "key": "events_year",
            "label": _("Events in %(year)s") % {"year": year},
            "icon": "shop",
            "value": events.count(),
            "url": reverse("outreach:event_list") + f"?year={year}",
        },
        {
            "key": "contracts_year",
            "label": _("Contracts signed at events, %(year)s") % {"year": year},
            "icon": "file-earmark-check",
            "value": value,
            "format": "money",
            "url": reverse("outreach:event_list") + f"?year={year}",
        },
        {
            "key": "trainings_year",
            "label": _("Trainings in %(year)s") % {"year": year},
            "icon": "mortarboard",
            "value": visible_trainings(user).filter(archived_at__isnull=True, start_date__year=year).count(),
            "url": reverse("outreach:training_list"),
        },
    ]
