"""Every write to events, trainings and surveys: one function per user action, one transaction each."""

from decimal import Decimal, InvalidOperation

from auditlog.context import set_actor
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions, scoping
from khuyencong.core.concurrency import check_version
from khuyencong.core.services import apply_fields
from khuyencong.core.text import fold
from khuyencong.registry.models import Establishment

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

EVENT_FIELDS = [
    "province",
    "kind",
    "title",
    "scope",
    "host_province",
    "country",
    "venue",
    "start_date",
    "end_date",
    "organiser",
    "project",
    "booths_supported",
    "buyers_met",
    "description",
]
OUTCOME_FIELDS = ["establishment", "kind", "partner", "partner_province", "value", "signed_on", "note"]
TRAINING_FIELDS = [
    "province",
    "commune",
    "topic",
    "audience",
    "start_date",
    "end_date",
    "venue",
    "trainer",
    "project",
    "evaluation",
    "description",
]
TRAINEE_FIELDS = ["user", "name", "role", "place", "establishment", "attended", "score"]
SURVEY_FIELDS = ["province", "commune", "title", "intro", "year", "closes_on"]
QUESTION_FIELDS = ["text", "kind", "choices", "required", "activity", "order"]
NUMBER_FIELDS = {"booths_supported", "buyers_met", "value", "score"}


class AlreadyAnswered(ValidationError):
    """An establishment sends its answers to a survey once."""


def _province_id(instance) -> int | None:
    try:
        return instance.province_id
    except ObjectDoesNotExist:
        return None


# --- events -------------------------------------------------------------------------------------


def may_manage_events(user, province_id) -> bool:
    """Province officers of the organising province (and admins) record events and confirm participants."""
    return scoping.is_officer(user) and scoping.can_edit_place(user, province_id)


def _check_event_not_duplicated(event: Event) -> None:
    twins = Event.objects.filter(
        province_id=event.province_id,
        kind=event.kind,
        archived_at__isnull=True,
        start_date__lte=event.end_date,
        end_date__gte=event.start_date,
    ).exclude(pk=event.pk)
    title = fold(event.title)
    for other in twins:
        if fold(other.title) == title:
            raise ValidationError(
                {
                    "start_date": _(
                        "“%(title)s” is already recorded from %(start)s to %(end)s: the dates overlap. "
                        "Is it the same event?"
                    )
                    % {
                        "title": other.title,
                        "start": other.start_date.strftime("%d/%m/%Y"),
                        "end": other.end_date.strftime("%d/%m/%Y"),
                    }
                }
            )


def _save_event(user, event: Event, data: dict) -> Event:
    apply_fields(event, data, EVENT_FIELDS, not_negative=NUMBER_FIELDS)
    if not may_manage_events(user, _province_id(event)):
        raise PermissionDenied(_("Only an officer of the organising province records its events."))
    event.full_clean()
    _check_event_not_duplicated(event)
    with set_actor(user):
        event.save()
    return event


@transaction.atomic
def create_event(*, user, data: dict) -> Event:
    return _save_event(user, Event(), data)


@transaction.atomic
def update_event(*, user, event: Event, data: dict) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    check_version(event, data.get("version"))
    if not may_manage_events(user, event.province_id):
        raise PermissionDenied(_("Only an officer of the organising province changes its events."))
    if event.is_archived:
        raise ValidationError(_("An archived event cannot be changed."))
    return _save_event(user, event, data)


@transaction.atomic
def archive_event(*, user, event: Event) -> Event:
    if not may_manage_events(user, event.province_id):
        raise PermissionDenied(_("Only an officer of the organising province archives its events."))
    event.mark_archived(user)
    with set_actor(user):
        event.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return event


def _check_products(establishment: Establishment, products) -> list:
    products = list(products or [])
    foreign = [p for p in products if p.establishment_id != establishment.pk]
    if foreign:
        raise ValidationError(
            {
                "products": _("“%(product)s” is not a product of %(establishment)s.")
                % {"product": foreign[0].name, "establishment": establishment.name}
            }
        )
    return products


@transaction.atomic
def register_interest(*, user, event: Event, products=(), note: str = "") -> Participation:
    """An establishment's representative asks to take part; an officer confirms later."""
    if not permissions.may_register_interest(user):
        raise PermissionDenied(_("Only an establishment's representative registers interest."))
    establishment = user.establishment
    if event.is_archived:
        raise ValidationError(_("This event is archived."))
    if event.end_date < timezone.localdate():
        raise ValidationError(_("This event is over: registration is closed."))
    existing = Participation.objects.filter(event=event, establishment=establishment).first()
    if existing:
        raise ValidationError(
            _("%(establishment)s is already registered for this event (%(status)s).")
            % {"establishment": establishment.name, "status": existing.get_status_display()}
        )
    products = _check_products(establishment, products)
    participation = Participation(
        event=event, establishment=establishment, note=note.strip(), registered_by=user
    )
    with set_actor(user):
        participation.save()
        participation.products.set(products)
    return participation


@transaction.atomic
def add_participant(
    *,
    user,
    event: Event,
    establishment: Establishment,
    products=(),
    booth_supported: bool = False,
    note: str = "",
) -> Participation:
    """An officer records an establishment at the event directly (confirmed)."""
    if not may_manage_events(user, event.province_id):
        raise PermissionDenied(_("Only an officer of the organising province records participants."))
    if Participation.objects.filter(event=event, establishment=establishment).exists():
        raise ValidationError(
            {
                "establishment": _("%(establishment)s is already a participant of this event.")
                % {"establishment": establishment.name}
            }
        )
    products = _check_products(establishment, products)
    participation = Participation(
        event=event,
        establishment=establishment,
        booth_supported=booth_supported,
        note=note.strip(),
        status=ParticipationStatus.CONFIRMED,
        registered_by=user,
        confirmed_by=user,
        confirmed_at=timezone.now(),
    )
    with set_actor(user):
        participation.save()
        participation.products.set(products)
    return participation


@transaction.atomic
def decide_participation(
    *, user, participation: Participation, confirm: bool = True, booth_supported: bool | None = None
) -> Participation:
    participation = Participation.objects.select_for_update().select_related("event").get(pk=participation.pk)
    if not may_manage_events(user, participation.event.province_id):
        raise PermissionDenied(_("Only an officer of the organising province confirms participants."))
    if (
        not confirm
        and participation.event.outcomes.filter(
            establishment_id=participation.establishment_id, archived_at__isnull=True
        ).exists()
    ):
        raise ValidationError(
            _("This establishment has recorded outcomes at the event: it cannot be declined.")
        )
    participation.status = ParticipationStatus.CONFIRMED if confirm else ParticipationStatus.DECLINED
    participation.confirmed_by = user
    participation.confirmed_at = timezone.now()
    if booth_supported is not None:
        participation.booth_supported = booth_supported
    with set_actor(user):
        participation.save()
    return participation


@transaction.atomic
def add_outcome(*, user, event: Event, data: dict) -> Outcome:
    if not may_manage_events(user, event.province_id):
        raise PermissionDenied(_("Only an officer of the organising province records outcomes."))
    outcome = Outcome(event=event)
    apply_fields(outcome, data, OUTCOME_FIELDS, not_negative=NUMBER_FIELDS)
    if outcome.value is None:
        outcome.value = 0
    errors = {}
    if (
        not outcome.establishment_id
        or not event.participations.filter(
            establishment_id=outcome.establishment_id, status=ParticipationStatus.CONFIRMED
        ).exists()
    ):
        errors["establishment"] = _("Outcomes are recorded for confirmed participants of the event only.")
    if outcome.kind == OutcomeKind.CONTRACT and not outcome.value:
        errors["value"] = _("Give the value of the contract in VND.")
    if outcome.signed_on and outcome.signed_on < event.start_date:
        errors["signed_on"] = _("The date (%(date)s) is before the event started (%(start)s).") % {
            "date": outcome.signed_on.strftime("%d/%m/%Y"),
            "start": event.start_date.strftime("%d/%m/%Y"),
        }
    if outcome.kind == OutcomeKind.AGENT:
        if not outcome.partner_province_id:
            errors["partner_province"] = _("Choose the province where the distributor or agent was opened.")
        elif outcome.establishment_id and outcome.partner_province_id == outcome.establishment.province_id:
            errors["partner_province"] = _(
                "A distributor or agent counts when it is in another province than the establishment's."
            )
    if errors:
        raise ValidationError(errors)
    outcome.full_clean()
    with set_actor(user):
        outcome.save()
    return outcome


@transaction.atomic
def archive_outcome(*, user, outcome: Outcome) -> Outcome:
    if not may_manage_events(user, outcome.event.province_id):
        raise PermissionDenied(_("Only an officer of the organising province changes outcomes."))
    outcome.mark_archived(user)
    with set_actor(user):
        outcome.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return outcome


# --- trainings ----------------------------------------------------------------------------------


def may_manage_training(user, province_id, commune_id=None) -> bool:
    """Province officers for their province; commune officers for trainings held in their commune."""
    return scoping.is_staff_role(user) and scoping.can_edit_place(user, province_id, commune_id)


def _save_training(user, training: Training, data: dict) -> Training:
    apply_fields(training, data, TRAINING_FIELDS, not_negative=NUMBER_FIELDS)
    if not may_manage_training(user, _province_id(training), training.commune_id):
        raise PermissionDenied(_("You may not record trainings in this place."))
    training.full_clean()
    with set_actor(user):
        training.save()
    return training


@transaction.atomic
def create_training(*, user, data: dict) -> Training:
    return _save_training(user, Training(), data)


@transaction.atomic
def update_training(*, user, training: Training, data: dict) -> Training:
    training = Training.objects.select_for_update().get(pk=training.pk)
    check_version(training, data.get("version"))
    if not may_manage_training(user, training.province_id, training.commune_id):
        raise PermissionDenied(_("You may not change this training."))
    if training.is_archived:
        raise ValidationError(_("An archived training cannot be changed."))
    training = _save_training(user, training, data)
    clash = _overlapping_trainee(training)
    if clash:
        raise ValidationError({"start_date": clash})
    return training


@transaction.atomic
def archive_training(*, user, training: Training) -> Training:
    if not may_manage_training(user, training.province_id, training.commune_id):
        raise PermissionDenied(_("You may not archive this training."))
    training.mark_archived(user)
    with set_actor(user):
        training.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return training


def _overlapping_trainee(training: Training, user_ids=None) -> str | None:
    """A message when a trainee with an account is already in another training on overlapping dates."""
    user_ids = (
        user_ids
        if user_ids is not None
        else list(training.participants.exclude(user=None).values_list("user_id", flat=True))
    )
    if not user_ids:
        return None
    other = (
        TrainingParticipant.objects.filter(
            user_id__in=user_ids,
            training__archived_at__isnull=True,
            training__start_date__lte=training.end_date,
            training__end_date__gte=training.start_date,
        )
        .exclude(training=training)
        .select_related("training", "user")
        .first()
    )
    if other:
        return _("%(person)s already attends “%(topic)s” from %(start)s to %(end)s: the dates overlap.") % {
            "person": other.user,
            "topic": other.training.topic,
            "start": other.training.start_date.strftime("%d/%m/%Y"),
            "end": other.training.end_date.strftime("%d/%m/%Y"),
        }
    return None


@transaction.atomic
def add_trainee(*, user, training: Training, data: dict) -> TrainingParticipant:
    if not may_manage_training(user, training.province_id, training.commune_id):
        raise PermissionDenied(_("You may not change this training."))
    participant = TrainingParticipant(training=training)
    apply_fields(participant, data, TRAINEE_FIELDS, not_negative=NUMBER_FIELDS)
    if not (participant.user_id or participant.name or participant.establishment_id):
        raise ValidationError({"name": _("Choose a user or an establishment, or type the person's name.")})
    if participant.user_id:
        if training.participants.filter(user_id=participant.user_id).exists():
            raise ValidationError(
                {"user": _("%(person)s is already a participant.") % {"person": participant.user}}
            )
        clash = _overlapping_trainee(training, [participant.user_id])
        if clash:
            raise ValidationError({"user": clash})
        if not participant.role:
            participant.role = participant.user.get_role_display()
        if not participant.place:
            participant.place = participant.user.place_label
    elif (
        participant.name
        and training.participants.filter(
            name__iexact=participant.name, establishment_id=participant.establishment_id
        ).exists()
    ):
        raise ValidationError(
            {"name": _("%(person)s is already a participant.") % {"person": participant.name}}
        )
    participant.full_clean()
    with set_actor(user):
        participant.save()
    return participant


@transaction.atomic
def set_attendance(
    *, user, participant: TrainingParticipant, attended: bool, score: int | None = None
) -> TrainingParticipant:
    training = participant.training
    if not may_manage_training(user, training.province_id, training.commune_id):
        raise PermissionDenied(_("You may not change this training."))
    if score is not None and not 1 <= int(score) <= 5:
        raise ValidationError({"score": _("The evaluation is a mark from 1 to 5.")})
    participant.attended = attended
    participant.score = score
    with set_actor(user):
        participant.save()
    return participant


# --- surveys ------------------------------------------------------------------------------------


def may_manage_surveys(user, province_id) -> bool:
    return scoping.is_officer(user) and scoping.can_edit_place(user, province_id)


@transaction.atomic
def create_survey(*, user, data: dict) -> Survey:
    survey = Survey()
    apply_fields(survey, data, SURVEY_FIELDS, not_negative=NUMBER_FIELDS)
    if not may_manage_surveys(user, _province_id(survey)):
        raise PermissionDenied(_("Only an officer of the province designs its surveys."))
    survey.full_clean()
    with set_actor(user):
        survey.save()
    return survey


def _require_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(
            _("The survey has been sent: its questions and recipients can no longer change.")
        )


@transaction.atomic
def update_survey(*, user, survey: Survey, data: dict) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    check_version(survey, data.get("version"))
    if not may_manage_surveys(user, survey.province_id):
        raise PermissionDenied(_("Only an officer of the province changes its surveys."))
    fields = SURVEY_FIELDS if survey.status == SurveyStatus.DRAFT else ["title", "intro", "closes_on"]
    apply_fields(survey, data, fields, not_negative=NUMBER_FIELDS)
    if not may_manage_surveys(user, survey.province_id):
        raise PermissionDenied(_("Only an officer of the province changes its surveys."))
    survey.full_clean()
    with set_actor(user):
        survey.save()
    return survey


@transaction.atomic
def add_question(*, user, survey: Survey, data: dict) -> Question:
    if not may_manage_surveys(user, survey.province_id):
        raise PermissionDenied(_("Only an officer of the province changes its surveys."))
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    question = Question(survey=survey)
    apply_fields(question, data, QUESTION_FIELDS, not_negative=NUMBER_FIELDS)
    if not question.order:
        question.order = survey.questions.count() + 1
    if question.activity:
        from khuyencong.programme.models import Activity

        if question.activity not in Activity.values:
            raise ValidationError(
                {"activity": _("Unknown programme activity “%(code)s”.") % {"code": question.activity}}
            )
    if question.is_choice:
        options = question.options
        if len(options) < 2:
            raise ValidationError(
                {"choices": _("A choice question needs at least two choices, one per line.")}
            )
        if len({fold(o) for o in options}) != len(options):
            raise ValidationError({"choices": _("The same choice is written twice.")})
        question.choices = "\n".join(options)
    else:
        question.choices = ""
    question.full_clean()
    with set_actor(user):
        question.save()
    return question


@transaction.atomic
def remove_question(*, user, question: Question) -> None:
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    if not may_manage_surveys(user, survey.province_id):
        raise PermissionDenied(_("Only an officer of the province changes its surveys."))
    _require_draft(survey)
    with set_actor(user):
        question.delete()


def recipients_for(survey: Survey):
    qs = Establishment.objects.filter(province_id=survey.province_id, archived_at__isnull=True)
    if survey.commune_id:
        qs = qs.filter(commune_id=survey.commune_id)
    return qs


@transaction.atomic
def send_survey(*, user, survey: Survey) -> int:
    """Open the survey to every establishment of its place; returns how many were invited."""
    given, survey = survey, Survey.objects.select_for_update().get(pk=survey.pk)
    if not may_manage_surveys(user, survey.province_id):
        raise PermissionDenied(_("Only an officer of the province sends its surveys."))
    _require_draft(survey)
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question before sending the survey."))
    if survey.closes_on and survey.closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date is already past.")})
    recipients = list(recipients_for(survey))
    if not recipients:
        raise ValidationError(
            _("No establishment is registered in this place: nobody to send the survey to.")
        )
    with set_actor(user):
        for establishment in recipients:
            Invitation.objects.create(survey=survey, establishment=establishment)
        survey.status = SurveyStatus.OPEN
        survey.sent_at = timezone.now()
        survey.save()
    _tell_representatives_of_survey(survey, recipients)
    given.status, given.sent_at = survey.status, survey.sent_at
    return len(recipients)


def _tell_representatives_of_survey(survey: Survey, establishments) -> None:
    """Each invited establishment's representatives learn that a survey waits for their answer."""
    from khuyencong.accounts.selectors import representatives_of_any
    from khuyencong.notifications.models import NotificationKind
    from khuyencong.notifications.services import notify

    body = [
        _("The Department of Industry and Trade asks your establishment to answer “%(title)s”.")
        % {"title": survey.title}
    ]
    if survey.closes_on:
        body.append(_("Answers close on %(date)s.") % {"date": survey.closes_on.strftime("%d/%m/%Y")})
    notify(
        representatives_of_any(establishments),
        kind=NotificationKind.SURVEY,
        subject=_("Survey to answer: %(title)s") % {"title": survey.title},
        body=" ".join(body),
        url=reverse("outreach:survey_detail", args=[survey.pk]),
        key=f"survey-{survey.pk}",
    )


@transaction.atomic
def close_survey(*, user, survey: Survey) -> Survey:
    if not may_manage_surveys(user, survey.province_id):
        raise PermissionDenied(_("Only an officer of the province closes its surveys."))
    survey.refresh_from_db(fields=["status"])
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = SurveyStatus.CLOSED
    with set_actor(user):
        survey.save()
    return survey


def _parse_answer(question: Question, raw):
    """(selected, number, text) from the raw form value(s); raises ValidationError with a message."""
    if question.kind == QuestionKind.MULTI:
        values = [v.strip() for v in (raw or []) if v and v.strip()]
    elif question.kind == QuestionKind.CHOICE:
        values = [raw.strip()] if raw and raw.strip() else []
    else:
        values = None
    if values is not None:
        unknown = [v for v in values if v not in question.options]
        if unknown:
            raise ValidationError(_("“%(value)s” is not one of the choices.") % {"value": unknown[0]})
        if question.required and not values:
            raise ValidationError(_("This question needs an answer."))
        return values, None, ""
    text = (raw or "").strip() if isinstance(raw, str) else ("" if raw is None else str(raw))
    if question.kind == QuestionKind.NUMBER:
        if not text:
            if question.required:
                raise ValidationError(_("This question needs an answer."))
            return [], None, ""
        try:
            number = Decimal(text.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}) from None
        if not number.is_finite() or number < 0:
            raise ValidationError(_("The number cannot be negative."))
        if number >= Decimal("1e16"):
            raise ValidationError(_("The number is too large."))
        return [], number, ""
    if question.required and not text:
        raise ValidationError(_("This question needs an answer."))
    return [], None, text


@transaction.atomic
def submit_response(*, user, survey: Survey, answers: dict) -> Response:
    """An establishment's representative sends its answers, once. `answers` maps question id → raw value."""
    if not permissions.is_representative(user):
        raise PermissionDenied(_("Only an establishment's representative answers a survey."))
    establishment_id = user.establishment_id
    if not Invitation.objects.filter(survey=survey, establishment_id=establishment_id).exists():
        raise PermissionDenied(_("This survey was not sent to your establishment."))
    previous = Response.objects.filter(survey=survey, establishment_id=establishment_id).first()
    if previous:
        raise AlreadyAnswered(
            _("Your establishment already answered this survey on %(date)s: answers are sent once only.")
            % {"date": timezone.localtime(previous.created_at).strftime("%d/%m/%Y")}
        )
    survey.refresh_from_db(fields=["status", "closes_on"])
    if survey.status != SurveyStatus.OPEN or (survey.closes_on and survey.closes_on < timezone.localdate()):
        raise ValidationError(_("This survey is closed: answers are no longer accepted."))
    errors, parsed = {}, []
    for question in survey.questions.all():
        try:
            parsed.append((question, *_parse_answer(question, answers.get(question.pk))))
        except ValidationError as exc:
            errors[f"q{question.pk}"] = exc.messages
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic(), set_actor(user):
            response = Response.objects.create(
                survey=survey, establishment_id=establishment_id, submitted_by=user
            )
            for q, sel, num, txt in parsed:
                Answer.objects.create(response=response, question=q, selected=sel, number=num, text=txt)
    except IntegrityError:  # a second tab sent the same answers a moment earlier
        raise AlreadyAnswered(
            _("Your establishment already answered this survey: answers are sent once only.")
        ) from None
    return response


def send_survey_reminders(*, today=None, days: int = 3) -> int:  # registered with notifications
    """Answers close soon: the representatives of invited establishments that have not answered yet."""
    import datetime

    from khuyencong.accounts.selectors import representatives_of_any
    from khuyencong.notifications.models import NotificationKind
    from khuyencong.notifications.services import notify

    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days)
    sent = 0
    for survey in Survey.objects.filter(
        status=SurveyStatus.OPEN, archived_at__isnull=True, closes_on__range=(today, horizon)
    ):
        waiting = survey.invitations.exclude(
            establishment_id__in=survey.responses.values("establishment_id")
        ).values("establishment_id")
        sent += notify(
            representatives_of_any(waiting),
            kind=NotificationKind.DEADLINE,
            subject=_("Answers close on %(date)s: %(title)s")
            % {"date": survey.closes_on.strftime("%d/%m/%Y"), "title": survey.title},
            body=_("Your establishment has not answered yet."),
            url=reverse("outreach:survey_detail", args=[survey.pk]),
            key=f"deadline-survey-{survey.pk}-{survey.closes_on}",
        )
    return sent
