"""Selection of typical rural industrial products: rounds and their results.

The core here (Round, Result, Certificate) is what reports and the catalogue read; the selection
workflow (rubrics, dossiers, councils, scores) builds on it. Historical results are Results without
dossiers.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.models import PrivateDocument, TimeStamped, private_upload_path
from khuyencong.core.months import add_months
from khuyencong.core.uploads import private_storage


class Level(models.TextChoices):
    COMMUNE = "commune", pgettext_lazy("selection level", "Commune")
    DISTRICT = "district", pgettext_lazy("selection level", "District")
    PROVINCE = "province", pgettext_lazy("selection level", "Province")
    REGION = "region", pgettext_lazy("selection level", "Region")
    NATIONAL = "national", pgettext_lazy("selection level", "National")


LEVEL_LABELS_VI = {
    "commune": "Cấp xã",
    "district": "Cấp huyện",
    "province": "Cấp tỉnh",
    "region": "Cấp khu vực",
    "national": "Cấp quốc gia",
}
LEVEL_ORDER = ["commune", "district", "province", "region", "national"]
# The level whose winners go on to each level (district rounds ended in 2025: their winners went to the
# province, as commune winners do since).
NEXT_LEVEL = {"commune": "province", "district": "province", "province": "region", "region": "national"}
LEVEL_BELOW = {"province": "commune", "region": "province", "national": "region"}


# The selection workflow: rubrics, round settings, dossiers, councils, scores.
# ---------------------------------------------------------------------------------------------


class ScoresSealed(ValidationError):
    """A sealed score (submitted, or in an approved round) was about to change: refused like any other rule."""


class Stage(models.TextChoices):
    """The stage a round scores in: one-stage rounds stay preliminary; two-stage rounds go on to the final."""

    PRELIMINARY = "preliminary", _("Preliminary")
    FINAL = "final", _("Final")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Mean of the members' totals")


class RubricVersion(TimeStamped):
    """A scoring frame (criteria, sub-criteria and their maxima) as published; rounds keep the one they started with."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    effective_from = models.DateField(_("effective from"))
    aggregation = models.CharField(
        _("aggregation"), max_length=20, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("The regulation or annex it follows")
    )

    class Meta:
        ordering = ["-effective_from", "code"]
        verbose_name = _("rubric version")
        verbose_name_plural = _("rubric versions")

    def __str__(self) -> str:
        return self.name

    def max_total(self, product_group: str | None = None) -> Decimal:
        return sum((c.max_for(product_group) for c in self.criteria.all()), Decimal("0"))


class CriterionGroup(models.TextChoices):
    A = "a", _("(a) Market response and capacity to develop production")
    B = "b", _("(b) Economic, technical, social and environmental")
    C = "c", _("(c) Cultural and aesthetic value")
    D = "d", _("(d) Other criteria")


class Criterion(models.Model):
    """A sub-criterion with its maximum points; `max_by_group` overrides the maximum per product group."""

    rubric = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="criteria")
    group = models.CharField(_("criteria group"), max_length=1, choices=CriterionGroup.choices)
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("criterion"), max_length=300)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    max_by_group = models.JSONField(_("maximum by product group"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rubric", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="criterion_code_per_rubric"),
            models.CheckConstraint(
                condition=Q(max_points__gte=0),
                name="criterion_max_points_not_negative",
                violation_error_message=_("Maximum points cannot be negative."),
            ),
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def max_for(self, product_group: str | None = None) -> Decimal:
        if product_group and product_group in (self.max_by_group or {}):
            return Decimal(str(self.max_by_group[product_group]))
        return self.max_points


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    REGISTRATION = "registration", _("Registration open")
    SCREENING = "screening", _("Screening dossiers")
    SCORING = "scoring", _("Scoring")
    REVIEW = "review", _("Scoring closed: council review")
    APPROVED = "approved", _("Results approved")
    DECIDED = "decided", _("Decided, certificates issued")


def _default_groups():
    return ["handicraft", "agro_processing", "machinery", "other"]


class RuleSet(TimeStamped):
    """The selection rules in force from a date (levels held, who organises each, entry and deadlines).

    Shipped as data (migration `0009_rule_sets`: Circular 26/2014/TT-BCT, then as amended by
    38/2025/TT-BCT from 1 July 2025), editable in the admin until a round uses it; a round keeps the
    rule set in force when it was created (`Round.rule_set`), so a later version changes no running round.
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    effective_from = models.DateField(_("effective from"), unique=True)
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("The regulation it follows")
    )
    levels = models.JSONField(
        _("levels held"), default=list, help_text=_("e.g. commune, province, region, national")
    )
    organisers = models.JSONField(
        _("who organises each level"),
        default=dict,
        help_text=_("level → commune_officer, province_officer or national_organiser"),
    )
    direct_entry = models.BooleanField(
        _("direct entry allowed"),
        default=False,
        help_text=_("A product not certified at the level below may still register"),
    )
    min_sheets = models.PositiveSmallIntegerField(
        _("minimum submitted sheets per dossier"), null=True, blank=True, help_text=_("Empty: no minimum")
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"), default=36
    )
    appeal_days = models.PositiveSmallIntegerField(_("appeal window (days)"), default=10)
    region_working_days = models.PositiveSmallIntegerField(
        _("working days for a region round"),
        default=30,
        help_text=_("From a province's complete submission to the decision"),
    )

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region_working_days__gte=1),
                name="ruleset_region_working_days_positive",
                violation_error_message=_("A region round has at least one working day."),
            ),
            models.CheckConstraint(
                condition=Q(certificate_validity_months__gte=1),
                name="ruleset_validity_positive",
                violation_error_message=_("A certificate is valid for at least one month."),
            ),
            models.CheckConstraint(
                condition=Q(min_sheets__isnull=True) | Q(min_sheets__gte=1),
                name="ruleset_min_sheets_positive",
                violation_error_message=_("A minimum number of sheets is at least 1 (or empty: none)."),
            ),
        ]
        verbose_name = _("selection rule set")
        verbose_name_plural = _("selection rule sets")

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"

    def holds(self, level: str) -> bool:
        return level in (self.levels or [])

    def organiser_of(self, level: str) -> str:
        return (self.organisers or {}).get(level, "")

    def clean(self):
        errors = {}
        known = set(Level.values)
        bad = [level for level in self.levels or [] if level not in known]
        if not isinstance(self.levels, list) or not self.levels or bad:
            errors["levels"] = _("Levels are a list of: %(levels)s.") % {"levels": ", ".join(Level.values)}
        kinds = set(ORGANISER_KINDS)
        organisers = self.organisers if isinstance(self.organisers, dict) else {}
        if not isinstance(self.organisers, dict) or any(v not in kinds for v in organisers.values()):
            errors["organisers"] = _("Each level's organiser is one of: %(kinds)s.") % {
                "kinds": ", ".join(kinds)
            }
        elif not errors.get("levels") and set(organisers) != set(self.levels):
            errors["organisers"] = _("Name the organiser of each level held, and of those only.")
        if errors:
            raise ValidationError(errors)


# who may organise a level (accounts.models.Role values), as a rule set names them
ORGANISER_KINDS = ("commune_officer", "province_officer", "national_organiser")


class Round(TimeStamped):
    """A selection round (kỳ bình chọn) at one level, in one year, for one place.

    A commune round names its commune (and province); a district round its former district; a
    province round its province (today's, and the former one when the round predates 2025); a region
    round its region; a national round no place.
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    title = models.CharField(_("title"), max_length=300)
    province = models.ForeignKey(
        "geo.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    legacy_province = models.ForeignKey(
        "geo.LegacyProvince",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("former province"),
    )
    legacy_district = models.ForeignKey(
        "geo.LegacyDistrict",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("former district"),
    )
    region = models.ForeignKey(
        "geo.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    commune = models.ForeignKey(
        "geo.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune"),
    )
    rule_set = models.ForeignKey(
        RuleSet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("rule set"),
        help_text=_("The rules in force when the round was created; it keeps them"),
    )
    organiser = models.CharField(
        _("organised by"),
        max_length=30,
        blank=True,
        editable=False,
        help_text=_("Who runs the round, as its rule set says (empty: by its level)"),
    )
    is_historical = models.BooleanField(_("historical (results only)"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    rubric = models.ForeignKey(
        RubricVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("rubric version"),
    )
    product_groups = models.JSONField(_("product groups admitted"), default=_default_groups, blank=True)
    registration_opens = models.DateField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateField(_("registration closes"), null=True, blank=True)
    scoring_opens = models.DateField(_("scoring opens"), null=True, blank=True)
    scoring_closes = models.DateField(_("scoring closes"), null=True, blank=True)
    decision_due = models.DateField(_("decision expected"), null=True, blank=True)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=2, default=Decimal("70"))
    quota = models.PositiveIntegerField(_("quota (products certified at most)"), null=True, blank=True)
    two_stage = models.BooleanField(_("two stages (preliminary, then final)"), default=False)
    stage = models.CharField(
        _("current stage"), max_length=20, default=Stage.PRELIMINARY, choices=Stage.choices
    )
    grades_prizes = models.BooleanField(_("grades winners into prizes A/B/C"), default=False)
    advance_prizes = models.CharField(
        _("prizes that go on to the next level"),
        max_length=20,
        blank=True,
        help_text=_("e.g. A,B; empty: every certified product"),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        default=36,
        help_text=_("A certificate is valid this many months from the decision date"),
    )
    min_sheets = models.PositiveSmallIntegerField(
        _("minimum submitted score sheets per dossier"),
        null=True,
        blank=True,
        help_text=_("Scoring cannot close while a dossier has fewer; empty: no minimum"),
    )
    appeal_days = models.PositiveSmallIntegerField(
        _("appeal period (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Days after the results are published during which a representative may appeal; "
            "empty: no appeal period"
        ),
    )
    outlier_threshold = models.DecimalField(
        _("outlier threshold (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15"),
        help_text=_(
            "The judging diagnostic flags a sheet whose total is this far from the median of the dossier's sheets"
        ),
    )
    decision_signer = models.CharField(_("decision signed by"), max_length=200, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    scores_locked = models.BooleanField(_("scores and results locked"), default=False, editable=False)

    class Meta:
        ordering = ["-year", "level", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0, pass_mark__lte=100),
                name="round_pass_mark_0_100",
                violation_error_message=_("The pass mark is between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gte=F("registration_opens")),
                name="round_registration_closes_after_it_opens",
                violation_error_message=_("Registration closes before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(scoring_opens__isnull=True)
                | Q(scoring_closes__isnull=True)
                | Q(scoring_closes__gte=F("scoring_opens")),
                name="round_scoring_closes_after_it_opens",
                violation_error_message=_("Scoring closes before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(certificate_validity_months__gte=1, certificate_validity_months__lte=240),
                name="round_certificate_validity_1_240_months",
                violation_error_message=_("A certificate is valid between 1 and 240 months."),
            ),
            models.CheckConstraint(
                condition=Q(min_sheets__isnull=True) | Q(min_sheets__gte=1, min_sheets__lte=50),
                name="round_min_sheets_1_50",
                violation_error_message=_("The minimum number of sheets is between 1 and 50."),
            ),
            models.CheckConstraint(
                condition=Q(appeal_days__isnull=True) | Q(appeal_days__gte=1, appeal_days__lte=365),
                name="round_appeal_days_1_365",
                violation_error_message=_("The appeal period is between 1 and 365 days."),
            ),
            models.CheckConstraint(
                condition=Q(outlier_threshold__gt=0, outlier_threshold__lte=100),
                name="round_outlier_threshold_0_100",
                violation_error_message=_("The outlier threshold is above 0 and at most 100 points."),
            ),
        ]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return self.title

    @property
    def is_registration_open(self) -> bool:
        return self.status == RoundStatus.REGISTRATION

    def certificate_valid_until(self, issued_on):
        """The last day a certificate issued on `issued_on` is valid: the same day `certificate_validity_months`
        later (the month's last day when that day does not exist, as 31/1 + 1 month = 28/2 or 29/2)."""
        return add_months(issued_on, self.certificate_validity_months)

    @property
    def advance_prize_list(self) -> list[str]:
        return [p.strip().upper() for p in self.advance_prizes.split(",") if p.strip()]


class Result(TimeStamped):
    """A product's result in a round: score, whether it was certified, the decision."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="results", verbose_name=_("round")
    )
    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="results", verbose_name=_("product")
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    certified = models.BooleanField(_("certified"), default=False)
    prize = models.CharField(_("prize"), max_length=5, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=100, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    dossier = models.OneToOneField(
        "selection.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result",
        verbose_name=_("dossier"),
    )

    class Meta:
        ordering = ["round", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["round", "product"], name="one_result_per_product_round"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="result_score_0_100",
                violation_error_message=_("A score is between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(prize__in=["", "A", "B", "C"]),
                name="result_prize_a_b_c",
                violation_error_message=_("A prize is A, B or C."),
            ),
        ]
        # the verification page finds a recorded number whatever its case (catalogue.selectors.verify)
        indexes = [models.Index(Upper("certificate_no"), name="result_certificate_no_upper")]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.product} · {self.round}"


class Certificate(TimeStamped):
    """A certificate (giấy chứng nhận) issued for a certified result; verifiable by number or token."""

    result = models.OneToOneField(Result, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("certificate number"), max_length=100, unique=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        # the verification page finds a number whatever its case (catalogue.selectors.verify)
        indexes = [models.Index(Upper("number"), name="certificate_number_upper")]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for completion")
    REJECTED = "rejected", _("Rejected")
    ELIGIBLE = "eligible", _("Eligible")
    SCORED = "scored", _("Scored")
    PASSED = "passed", _("Passed")
    NOT_PASSED = "not_passed", _("Not passed")
    CERTIFIED = "certified", _("Certified")


class Dossier(TimeStamped):
    """A registration dossier (hồ sơ đăng ký) of one product (or product set) in one round."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("round")
    )
    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("product")
    )
    establishment = models.ForeignKey(
        "registry.Establishment",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("establishment"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT
    )
    summary = models.TextField(
        _("product presentation"), help_text=_("What the product is, how it is made, what makes it typical")
    )
    annual_revenue = models.BigIntegerField(_("annual revenue (VND)"), null=True, blank=True)
    annual_output = models.CharField(_("annual output"), max_length=200, blank=True)
    markets = models.TextField(_("markets reached"), blank=True)
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    screening_note = models.TextField(_("screening note"), blank=True)
    retained_for_final = models.BooleanField(_("retained for the final stage"), default=False)
    selected = models.BooleanField(_("selected for certification"), default=False)
    prize = models.CharField(
        _("prize"), max_length=1, blank=True, choices=[("A", "A"), ("B", "B"), ("C", "C")]
    )
    nominated_from = models.ForeignKey(
        Result,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("nominated from"),
    )
    batch = models.ForeignKey(
        "selection.NominationBatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("province's submission"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        ordering = ["round", "product__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "product"], name="one_dossier_per_product_round"),
            models.CheckConstraint(
                condition=Q(prize__in=["", "A", "B", "C"]),
                name="dossier_prize_a_b_c",
                violation_error_message=_("A prize is A, B or C."),
            ),
        ]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self) -> str:
        return f"{self.product} · {self.round}"

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(
            _("Dossiers are kept; a withdrawn dossier is rejected, never deleted."), {self}
        )


class DocumentKind(models.TextChoices):
    REGISTRATION_FORM = "registration_form", _("Registration form")
    PHOTO = "photo", _("Product photo")
    QUALITY = "quality", _("Quality or food-safety certificate")
    LICENCE = "licence", _("Business licence")
    OTHER = "other", _("Other document")


REQUIRED_DOCUMENTS = [DocumentKind.REGISTRATION_FORM, DocumentKind.PHOTO]


class DossierDocument(PrivateDocument):
    upload_folder = "dossiers"

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("document"), max_length=30, choices=DocumentKind.choices)

    class Meta:
        ordering = ["kind", "created_at"]
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")

    def __str__(self) -> str:
        return self.original_name


class Visit(PrivateDocument):
    """A visit to the establishment of a dossier retained for the final stage: who went, when, what they found."""

    upload_folder = "visits"

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="visits", verbose_name=_("dossier")
    )
    visited_on = models.DateField(_("date of the visit"))
    visitors = models.CharField(
        _("visited by"), max_length=300, help_text=_("Names of the council members or officers who went")
    )
    findings = models.TextField(_("findings"))
    # the visit's photo or document is optional
    file = models.FileField(
        _("photo or document"),
        storage=private_storage,
        upload_to=private_upload_path,
        max_length=300,
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["dossier", "-visited_on", "-created_at"]
        verbose_name = _("visit to the establishment")
        verbose_name_plural = _("visits to the establishment")

    def __str__(self) -> str:
        return f"{self.dossier} · {self.visited_on:%d/%m/%Y}"


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


SCORING_SEATS = (CouncilRole.CHAIR, CouncilRole.MEMBER)  # the secretary keeps the minutes, never scores


class CouncilMember(TimeStamped):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="council")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="council_seats",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role in the council"), max_length=20, choices=CouncilRole.choices, default=CouncilRole.MEMBER
    )

    class Meta:
        ordering = ["round", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="one_seat_per_round"),
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(role="chair"),
                name="one_chair_per_round",
                violation_error_message=_("The council already has a chair."),
            ),
        ]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def scores_dossiers(self) -> bool:
        return self.role in SCORING_SEATS


class Assignment(TimeStamped):
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="assignments")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="assignments")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "dossier"], name="one_assignment")]


class ConflictKind(models.TextChoices):
    """How close the tie is: both keep the member from scoring; the kind is recorded for the council's minutes."""

    HARD = "hard", _("Hard (direct interest: owner, family, employer, adviser)")
    SOFT = "soft", _("Soft (indirect tie: acquaintance, past work, same association)")


class Conflict(TimeStamped):
    """A member's declared conflict of interest on a dossier: that member cannot score it."""

    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="conflicts")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="conflicts")
    kind = models.CharField(
        _("kind of conflict"), max_length=10, choices=ConflictKind.choices, default=ConflictKind.HARD
    )
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "dossier"], name="one_conflict"),
            models.CheckConstraint(
                condition=Q(kind__in=["hard", "soft"]),
                name="conflict_kind_hard_soft",
                violation_error_message=_("A conflict is hard or soft."),
            ),
        ]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")


class Score(TimeStamped):
    """One member's score sheet for one dossier at one stage; sealed once submitted."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="scores")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="scores")
    stage = models.CharField(_("stage"), max_length=20, default=Stage.PRELIMINARY, choices=Stage.choices)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2, default=Decimal("0"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "member", "stage"], name="one_sheet_per_stage"),
            models.CheckConstraint(
                condition=Q(total__gte=0),
                name="score_total_not_negative",
                violation_error_message=_("Points cannot be negative."),
            ),
        ]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self) -> str:
        return f"{self.member} · {self.dossier}"

    @property
    def is_sealed(self) -> bool:
        return self.submitted_at is not None or self.dossier.round.scores_locked

    def save(self, *args, **kwargs):
        if self.pk and not getattr(self, "_allow_sealed_write", False):
            stored = Score.objects.filter(pk=self.pk).select_related("dossier__round").first()
            if stored and stored.is_sealed:
                raise ScoresSealed(str(_("This score sheet is sealed and cannot change.")))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_sealed:
            raise ScoresSealed(str(_("This score sheet is sealed and cannot change.")))
        return super().delete(*args, **kwargs)


class ScoreItem(models.Model):
    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="items")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        ordering = ["criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["score", "criterion"], name="one_item_per_criterion"),
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="score_item_points_not_negative",
                violation_error_message=_("Points cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"

    def save(self, *args, **kwargs):
        if Score.objects.get(pk=self.score_id).is_sealed:
            raise ScoresSealed(str(_("This score sheet is sealed and cannot change.")))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.score.is_sealed:
            raise ScoresSealed(str(_("This score sheet is sealed and cannot change.")))
        return super().delete(*args, **kwargs)


class Reopening(TimeStamped):
    """An approved round re-opened for correction: who, why (kept for the audit)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="reopenings")
    reason = models.TextField(_("reason"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class RoundTransition(models.Model):
    """A recorded step of a round's life: who moved it, when, from which status to which, and why."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=RoundStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RoundStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.round.code}: {self.from_status or '∅'} → {self.to_status}"


class DossierTransition(models.Model):
    """A recorded step of a dossier's life: who moved it, when, from which status to which, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=DossierStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DossierStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.from_status or '∅'} → {self.to_status}"


class AppealStatus(models.TextChoices):
    LODGED = "lodged", _("Lodged, awaiting the council's answer")
    UPHELD = "upheld", _("Upheld: the round is re-opened")
    DISMISSED = "dismissed", _("Dismissed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Appeal(TimeStamped):
    """A representative's appeal (khiếu nại) against a dossier's published result, and the council's answer."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("dossier")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AppealStatus.choices, default=AppealStatus.LODGED
    )
    grounds = models.TextField(_("grounds of the appeal"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lodged by")
    )
    lodged_at = models.DateTimeField(_("lodged at"))
    answer = models.TextField(_("the council's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answer recorded by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reopening = models.OneToOneField(
        Reopening,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeal",
        verbose_name=_("re-opening"),
    )

    class Meta:
        ordering = ["-lodged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(status="lodged"),
                name="one_pending_appeal_per_dossier",
                violation_error_message=_("This dossier already has an appeal awaiting an answer."),
            ),
            models.CheckConstraint(
                condition=Q(status="lodged") | Q(status="withdrawn") | ~Q(answer=""),
                name="appeal_answered_with_text",
                violation_error_message=_("An answered appeal keeps the council's answer."),
            ),
        ]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.dossier} · {self.lodged_at:%d/%m/%Y}"


class AppealTransition(models.Model):
    """A recorded step of an appeal's life: who, when, from which status to which, and the note."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=AppealStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=AppealStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.from_status or '∅'} → {self.to_status}"


# A province's nominations to a region round, submitted as one batch with the people's committee's letter.
# ---------------------------------------------------------------------------------------------


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared by the province")
    SUBMITTED = "submitted", _("Submitted, awaiting screening")
    RETURNED = "returned", _("Returned to the province for completion")
    COMPLETE = "complete", _("Complete: the working days run")


class NominationBatch(TimeStamped):
    """A province's nominations to a region round (hồ sơ đề nghị của UBND tỉnh), sent as one batch.

    The province's people's committee sends its winners' dossiers with a letter (number, date, signed
    PDF); the national organiser screens the batch, returns it for completion or accepts it as
    complete, and from the complete submission the rule set's working days (30) run to the decision.
    """

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="batches", verbose_name=_("round")
    )
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    letter_no = models.CharField(_("letter number"), max_length=100, blank=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("accepted as complete at"), null=True, blank=True)
    due_on = models.DateField(_("decision due by"), null=True, blank=True)
    screening_note = models.TextField(_("screening note"), blank=True)

    class Meta:
        ordering = ["round", "province__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "province"], name="one_batch_per_province_round"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="batch_submitted_has_date",
                violation_error_message=_("A submitted batch has its submission date."),
            ),
        ]
        verbose_name = _("province's submission")
        verbose_name_plural = _("provinces' submissions")

    def __str__(self) -> str:
        return f"{self.province} · {self.round}"

    @property
    def letter(self):
        return self.letters.order_by("-created_at", "-pk").first()


class NominationLetter(PrivateDocument):
    """The people's committee's signed letter that sends a province's batch (PDF)."""

    upload_folder = "batches"

    batch = models.ForeignKey(NominationBatch, on_delete=models.PROTECT, related_name="letters")

    class Meta:
        ordering = ["batch", "-created_at"]
        verbose_name = _("letter of submission")
        verbose_name_plural = _("letters of submission")


class BatchTransition(models.Model):
    """One step of a batch's life cycle: who, when, from which status to which, and why."""

    batch = models.ForeignKey(NominationBatch, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=BatchStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=BatchStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.batch}: {self.from_status or '∅'} → {self.to_status}"
