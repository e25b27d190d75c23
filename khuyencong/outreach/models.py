"""Market linkage and capacity: events (fairs, supply–demand conferences, business matching),
trainings, and surveys of what establishments need.

Each record belongs to the province that organises it (`province`), which decides who may see
and change it (accounts.scoping). Where an event is held is a separate fact (`scope`, `host_province`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.core.constraints import between, not_before, not_negative
from khuyencong.core.models import Archivable, TimeStamped
from khuyencong.core.text import fold


class EventKind(models.TextChoices):
    FAIR = "fair", _("Trade fair / exhibition")
    CONFERENCE = "conference", _("Supply–demand conference")
    MATCHING = "matching", _("Business matching session")


class EventScope(models.TextChoices):
    IN_PROVINCE = "in_province", _("In the province")
    OUT_OF_PROVINCE = "out_of_province", _("In another province")
    ABROAD = "abroad", _("Abroad")


def check_dates(start, end, start_field="start_date", end_field="end_date") -> None:
    if start and end and end < start:
        raise ValidationError(
            {
                end_field: _("The end date (%(end)s) is before the start date (%(start)s).")
                % {"end": end.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")}
            }
        )


class Event(Archivable, TimeStamped):
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("organising province")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=300)
    scope = models.CharField(
        _("where"), max_length=20, choices=EventScope.choices, default=EventScope.IN_PROVINCE
    )
    host_province = models.ForeignKey(
        "geo.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("held in province"),
        help_text=_("For events in Vietnam"),
    )
    country = models.CharField(_("country"), max_length=100, blank=True, help_text=_("For events abroad"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    organiser = models.CharField(_("organiser"), max_length=300)
    project = models.ForeignKey(
        "programme.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("funding project"),
    )
    booths_supported = models.PositiveIntegerField(_("booths supported"), default=0)
    buyers_met = models.PositiveIntegerField(_("buyers met"), default=0)
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["province", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=not_before("end_date", "start_date"), name="event_dates_in_order"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(scope=EventScope.ABROAD, host_province__isnull=True) & ~models.Q(country="")
                )
                | (~models.Q(scope=EventScope.ABROAD) & models.Q(host_province__isnull=False)),
                name="event_place_matches_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int:
        return self.start_date.year

    def clean(self) -> None:
        check_dates(self.start_date, self.end_date)
        if self.scope == EventScope.ABROAD:
            if not self.country.strip():
                raise ValidationError({"country": _("Name the country of an event abroad.")})
            self.host_province = None
        else:
            if not self.host_province_id:
                raise ValidationError({"host_province": _("Choose the province where the event is held.")})
            if self.scope == EventScope.IN_PROVINCE and self.host_province_id != self.province_id:
                raise ValidationError(
                    {"host_province": _("An event in the province is held in the organising province.")}
                )
            if self.scope == EventScope.OUT_OF_PROVINCE and self.host_province_id == self.province_id:
                raise ValidationError(
                    {
                        "host_province": _(
                            "An event in another province cannot be held in the organising province."
                        )
                    }
                )

    @property
    def place_label(self) -> str:
        if self.scope == EventScope.ABROAD:
            return ", ".join(filter(None, [self.venue, self.country]))
        return ", ".join(filter(None, [self.venue, str(self.host_province) if self.host_province_id else ""]))

    def save(self, *args, **kwargs):
        self.search_text = fold(
            " ".join(filter(None, [self.title, self.organiser, self.venue, self.country]))
        )
        super().save(*args, **kwargs)


class ParticipationStatus(models.TextChoices):
    INTERESTED = "interested", _("Interested (awaiting confirmation)")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Not selected")


class Participation(TimeStamped):
    """An establishment at an event: its interest, the officer's confirmation, its booth and products shown."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="participations", verbose_name=_("event")
    )
    establishment = models.ForeignKey(
        "registry.Establishment",
        on_delete=models.PROTECT,
        related_name="event_participations",
        verbose_name=_("establishment"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.INTERESTED,
    )
    booth_supported = models.BooleanField(_("booth supported"), default=False)
    products = models.ManyToManyField(
        "registry.Product", blank=True, related_name="event_participations", verbose_name=_("products shown")
    )
    note = models.TextField(_("note"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["establishment__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["event", "establishment"], name="outreach_one_participation")
        ]

    def __str__(self) -> str:
        return f"{self.establishment} @ {self.event}"


class OutcomeKind(models.TextChoices):
    CONTRACT = "contract", _("Contract signed")
    MOU = "mou", _("Memorandum of understanding")
    AGENT = "agent", _("Distributor / agent opened")


class Outcome(Archivable, TimeStamped):
    """What an event brought an establishment: a contract or memorandum (with its value), or an agent opened."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("event")
    )
    establishment = models.ForeignKey(
        "registry.Establishment",
        on_delete=models.PROTECT,
        related_name="event_outcomes",
        verbose_name=_("establishment"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OutcomeKind.choices)
    partner = models.CharField(_("partner"), max_length=300)
    partner_province = models.ForeignKey(
        "geo.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("partner's province"),
    )
    value = models.BigIntegerField(_("value (VND)"), default=0, validators=[MinValueValidator(0)])
    signed_on = models.DateField(_("date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["event", "-value"]
        constraints = [
            models.CheckConstraint(condition=not_negative("value"), name="outcome_value_not_negative")
        ]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.partner}"


class TrainingAudience(models.TextChoices):
    OFFICERS = "officers", _("Officers")
    ESTABLISHMENTS = "establishments", _("Establishments")
    MIXED = "mixed", _("Officers and establishments")


class Training(Archivable, TimeStamped):
    """A course or workshop (for commune officers who run khuyến công, or for establishments)."""

    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("organising province")
    )
    commune = models.ForeignKey(
        "geo.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune"),
    )
    topic = models.CharField(_("topic"), max_length=300)
    audience = models.CharField(
        _("audience"), max_length=20, choices=TrainingAudience.choices, default=TrainingAudience.MIXED
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    trainer = models.CharField(_("trainer"), max_length=300)
    project = models.ForeignKey(
        "programme.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("funding project"),
    )
    evaluation = models.TextField(_("evaluation"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-start_date", "topic"]
        constraints = [
            models.CheckConstraint(
                condition=not_before("end_date", "start_date"), name="training_dates_in_order"
            )
        ]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.topic

    @property
    def year(self) -> int:
        return self.start_date.year

    def clean(self) -> None:
        check_dates(self.start_date, self.end_date)
        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            raise ValidationError(
                {
                    "commune": _("%(commune)s is not in %(province)s.")
                    % {"commune": self.commune, "province": self.province}
                }
            )


class TrainingParticipant(TimeStamped):
    """One trainee: a user account, or a named person (role and place), possibly of an establishment."""

    training = models.ForeignKey(
        Training, on_delete=models.PROTECT, related_name="participants", verbose_name=_("training")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    establishment = models.ForeignKey(
        "registry.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_participations",
        verbose_name=_("establishment"),
    )
    attended = models.BooleanField(_("attended"), default=False)
    score = models.PositiveSmallIntegerField(
        _("evaluation (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["training", "pk"]
        constraints = [
            models.CheckConstraint(condition=between("score", 1, 5), name="participant_score_1_to_5")
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.user_id:
            return str(self.user)
        return str(self.establishment) if self.establishment_id else "—"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


class Survey(Archivable, TimeStamped):
    """A short needs survey sent to the establishments of a place."""

    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        "geo.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune"),
        help_text=_("Leave empty to send to every establishment of the province"),
    )
    title = models.CharField(_("title"), max_length=300)
    intro = models.TextField(_("introduction"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    closes_on = models.DateField(_("answers close on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=between("year", 2000, 2100), name="survey_year_in_range"),
            models.CheckConstraint(
                condition=models.Q(status=SurveyStatus.DRAFT) | models.Q(sent_at__isnull=False),
                name="survey_sent_when_open",
            ),
        ]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            raise ValidationError(
                {
                    "commune": _("%(commune)s is not in %(province)s.")
                    % {"commune": self.commune, "province": self.province}
                }
            )


class QuestionKind(models.TextChoices):
    CHOICE = "choice", _("One choice")
    MULTI = "multi", _("Several choices")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Text")


class Question(TimeStamped):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One per line (for choice questions)"))
    required = models.BooleanField(_("required"), default=True)
    activity = models.CharField(
        _("programme activity it measures"),
        max_length=20,
        blank=True,
        help_text=_("Lets the plan show which needs the year's projects address"),
    )

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.CHOICE, QuestionKind.MULTI)


class Invitation(TimeStamped):
    """The survey sent to one establishment: its representative sees it among the surveys to answer."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    establishment = models.ForeignKey(
        "registry.Establishment", on_delete=models.PROTECT, related_name="survey_invitations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "establishment"], name="outreach_one_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} → {self.establishment_id}"


class Response(TimeStamped):
    """One establishment's answers to a survey: at most one per establishment."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    establishment = models.ForeignKey(
        "registry.Establishment", on_delete=models.PROTECT, related_name="survey_responses"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["survey", "establishment"], name="outreach_one_response")
        ]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    selected = models.JSONField(default=list, blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="outreach_one_answer")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.display}"

    @property
    def display(self) -> str:
        if self.selected:
            return "; ".join(self.selected)
        if self.number is not None:
            return format(self.number.normalize(), "f")
        return self.text
