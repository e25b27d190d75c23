"""The khuyến công programme: yearly plans and support projects (đề án), their money and outcomes.

Money is integer VND (BigIntegerField), never float.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.core.constraints import between, not_before, not_negative
from khuyencong.core.models import Archivable, PrivateDocument, TimeStamped
from khuyencong.core.text import fold
from khuyencong.registry.models import PlacedModel

BUDGET_CODE_3 = RegexValidator(r"^\d{3}$", _("Three digits, as in the budget classification (e.g. 417)."))
BUDGET_CODE_4 = RegexValidator(r"^\d{4}$", _("Four digits, as in the budget classification (e.g. 7049)."))


class Programme(models.TextChoices):
    NATIONAL = "national", _("National programme")
    LOCAL = "local", _("Local programme")


PROGRAMME_LABELS_VI = {"national": "Khuyến công quốc gia", "local": "Khuyến công địa phương"}


class Activity(models.TextChoices):
    TRAINING = "training", _("Vocational training and skills")
    MANAGEMENT = "management", _("Management capacity of establishments")
    DEMO_MODEL = "demo_model", _("Technical demonstration models")
    MACHINERY = "machinery", _("Applying advanced machinery and technology")
    PRODUCT_DEV = "product_dev", _("Developing typical products")
    FAIR = "fair", _("Trade fairs, exhibitions and showrooms")
    CONSULTING = "consulting", _("Consulting and assistance")
    INFORMATION = "information", _("Information and publicity")
    CLUSTER = "cluster", _("Industrial cluster infrastructure")
    CLEANER = "cleaner", _("Cleaner production")
    COOPERATION = "cooperation", _("Linkage and international cooperation")
    CAPACITY = "capacity", _("Capacity of industrial promotion agencies")
    # added by Decree 235/2025/NĐ-CP (in force 15 Oct 2025): available from that date only, see ActivityPeriod
    DIGITAL = "digital", _("Digital transformation")
    SUSTAINABLE = "sustainable", _("Sustainable production")


ACTIVITY_LABELS_VI = {
    "training": "Đào tạo nghề, truyền nghề",
    "management": "Nâng cao năng lực quản lý",
    "demo_model": "Mô hình trình diễn kỹ thuật",
    "machinery": "Ứng dụng máy móc thiết bị tiên tiến",
    "product_dev": "Phát triển sản phẩm tiêu biểu",
    "fair": "Hội chợ triển lãm",
    "consulting": "Tư vấn, hỗ trợ",
    "information": "Thông tin tuyên truyền",
    "cluster": "Hạ tầng cụm công nghiệp",
    "cleaner": "Sản xuất sạch hơn",
    "cooperation": "Liên kết, hợp tác",
    "capacity": "Nâng cao năng lực tổ chức khuyến công",
    "digital": "Chuyển đổi số",
    "sustainable": "Sản xuất bền vững",
}


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPRAISED = "appraised", _("Appraised")
    APPROVED = "approved", _("Approved")
    CONTRACTED = "contracted", _("Contracted")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTED = "accepted", _("Accepted")
    SETTLED = "settled", _("Settled")
    CANCELLED = "cancelled", _("Cancelled")


STATUS_LABELS_VI = {
    "proposed": "Đề xuất",
    "appraised": "Đã thẩm định",
    "approved": "Đã phê duyệt",
    "contracted": "Đã ký hợp đồng",
    "in_progress": "Đang thực hiện",
    "accepted": "Nghiệm thu",
    "settled": "Quyết toán",
    "cancelled": "Hủy",
}

# Statuses the programme summary reports as still running (interchange spec).
RUNNING_STATUSES = ("approved", "contracted", "in_progress", "accepted")


class Plan(TimeStamped):
    """A province's yearly khuyến công plan, with its budget per programme."""

    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    national_budget = models.BigIntegerField(
        _("national programme budget (VND)"), default=0, validators=[MinValueValidator(0)]
    )
    local_budget = models.BigIntegerField(
        _("local programme budget (VND)"), default=0, validators=[MinValueValidator(0)]
    )
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year", "province_id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="one_plan_per_province_year"),
            models.CheckConstraint(
                condition=not_negative("national_budget", "local_budget"), name="plan_budget_not_negative"
            ),
        ]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.province} {self.year}"


class Project(PlacedModel, Archivable, TimeStamped):
    """A support project (đề án khuyến công) through its life: proposal to settlement."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    year = models.PositiveSmallIntegerField(_("plan year"), db_index=True)
    title = models.CharField(_("title"), max_length=500)
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        verbose_name=_("plan"),
    )
    establishment = models.ForeignKey(
        "registry.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("beneficiary"),
    )
    # Decree 235/2025/NĐ-CP: a craft village or an artisan may be the beneficiary instead of an establishment
    craft_village = models.ForeignKey(
        "registry.CraftVillage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("beneficiary craft village"),
    )
    artisan = models.ForeignKey(
        "registry.Artisan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("beneficiary artisan"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PROPOSED,
        db_index=True,
    )
    total_cost = models.BigIntegerField(
        _("total cost (VND)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    support_requested = models.BigIntegerField(
        _("support requested (VND)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    support_approved = models.BigIntegerField(
        _("support approved (VND)"), default=0, validators=[MinValueValidator(0)]
    )
    support_settled = models.BigIntegerField(
        _("support settled (VND)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    counterpart = models.BigIntegerField(
        _("counterpart investment (VND)"), default=0, validators=[MinValueValidator(0)]
    )
    jobs = models.PositiveIntegerField(_("jobs created"), default=0)
    machines = models.PositiveIntegerField(_("machines applied"), default=0)
    trainees = models.PositiveIntegerField(_("people trained"), default=0)
    products_developed = models.PositiveIntegerField(_("products developed"), default=0)
    expected_jobs = models.PositiveIntegerField(_("expected jobs"), null=True, blank=True)
    decision_no = models.CharField(_("approval decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("approval decision date"), null=True, blank=True)
    contract_no = models.CharField(_("contract number"), max_length=100, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    acceptance_record = models.CharField(_("acceptance record"), max_length=200, blank=True)
    acceptance_date = models.DateField(_("acceptance date"), null=True, blank=True)
    settled_date = models.DateField(_("settlement date"), null=True, blank=True)
    settlement_note = models.TextField(_("reason for settling above the approved amount"), blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(editable=False, default="")
    # Appraisal and ranking (programme app)
    support_appraised = models.BigIntegerField(
        _("support proposed at appraisal (VND)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    technology_line = models.BooleanField(
        _("a whole technology line"),
        default=False,
        help_text=_("The ceiling of a whole line is higher (Circular 28/2018/TT-BTC)."),
    )
    local_materials = models.BooleanField(_("uses the province's own raw materials"), default=False)
    priority_points = models.DecimalField(
        _("priority points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    # The rules the approval was checked against (kept with the approval: a later regulation never
    # changes what an approved project was held to).
    rule_regulation = models.ForeignKey(
        "programme.Regulation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rules applied"),
    )
    rule_ceiling = models.ForeignKey(
        "programme.CeilingRule",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ceiling applied"),
    )
    rule_note = models.CharField(_("rules applied"), max_length=600, blank=True, db_default="")
    # Money the way the treasury sees it: what has been paid (kept by the payment services in the same
    # transaction as each payment row, so the database can hold "a settled project is paid in full").
    support_paid = models.BigIntegerField(_("support paid (VND)"), default=0, editable=False)
    # The budget classification (mục lục ngân sách) the province's yearly settlement report groups by.
    budget_chapter = models.CharField(
        _("budget chapter (chương)"), max_length=3, blank=True, validators=[BUDGET_CODE_3]
    )
    budget_type = models.CharField(
        _("budget type (loại)"), max_length=3, blank=True, validators=[BUDGET_CODE_3]
    )
    budget_item = models.CharField(
        _("budget item (khoản)"), max_length=3, blank=True, validators=[BUDGET_CODE_3]
    )
    budget_section = models.CharField(
        _("budget section (mục)"), max_length=4, blank=True, validators=[BUDGET_CODE_4]
    )
    budget_subsection = models.CharField(
        _("budget sub-section (tiểu mục)"), max_length=4, blank=True, validators=[BUDGET_CODE_4]
    )

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["year", "status"]),
            models.Index(fields=["province", "year"]),
            # Every column the reports read from a project (reports.selectors: the summary, its breakdowns, the
            # summary by province): they are answered from this index alone, a tenth of the table's size,
            # instead of a lookup into the table per project (status and province first: one province's
            # rows are a range, and the country's come grouped by province).
            models.Index(
                fields=[
                    "status",
                    "province",
                    "year",
                    "programme",
                    "activity",
                    "support_settled",
                    "counterpart",
                    "jobs",
                    "support_approved",
                    "archived_at",
                    "establishment",
                    "craft_village",
                    "artisan",
                    "commune",
                    "legacy_district",
                    "legacy_province",
                    "id",
                ],
                name="project_report_figures",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=not_negative(
                    "total_cost",
                    "support_requested",
                    "support_appraised",
                    "support_approved",
                    "support_settled",
                    "counterpart",
                ),
                name="project_money_not_negative",
            ),
            models.CheckConstraint(
                condition=not_before("contract_date", "decision_date")
                & not_before("acceptance_date", "contract_date")
                & not_before("settled_date", "acceptance_date"),
                name="project_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ProjectStatus.values), name="project_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="settled") | models.Q(support_settled__isnull=False),
                name="project_settled_has_amount",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(craft_village__isnull=True, artisan__isnull=True)
                    | models.Q(establishment__isnull=True, artisan__isnull=True)
                    | models.Q(establishment__isnull=True, craft_village__isnull=True)
                ),
                name="project_one_beneficiary",
            ),
            models.CheckConstraint(condition=models.Q(support_paid__gte=0), name="project_paid_not_negative"),
            # the settlement closes with the final payment: what was paid is what was settled
            models.CheckConstraint(
                condition=~models.Q(status="settled") | models.Q(support_paid=models.F("support_settled")),
                name="project_settled_is_paid",
            ),
            # before settlement no more than the approved support is paid
            models.CheckConstraint(
                condition=models.Q(status="settled")
                | models.Q(support_paid__lte=models.F("support_approved")),
                name="project_paid_within_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    BUDGET_FIELDS = ("budget_chapter", "budget_type", "budget_item", "budget_section", "budget_subsection")

    @property
    def budget_classified(self) -> bool:
        return all(getattr(self, f) for f in self.BUDGET_FIELDS)

    def fill_search_text(self) -> None:
        """The folded text searches match (also called by bulk writes, which skip `save`)."""
        self.search_text = fold(" ".join(filter(None, [self.code, self.title])))

    def save(self, *args, **kwargs):
        self.fill_search_text()
        super().save(*args, **kwargs)

    def clean(self):
        self.clean_place()
        self.clean_dates()

    @property
    def beneficiary(self):
        """The establishment (the default), craft village or artisan the project supports, if any."""
        return self.establishment or self.craft_village or self.artisan

    @property
    def beneficiary_kind(self) -> str:
        if self.craft_village_id:
            return "craft_village"
        if self.artisan_id:
            return "artisan"
        return "establishment" if self.establishment_id else ""

    def clean_dates(self) -> None:
        """Each step's date is on or after the previous step's (decision, contract, acceptance, settlement)."""
        steps = [
            ("decision_date", _("approval decision")),
            ("contract_date", _("contract")),
            ("acceptance_date", _("acceptance")),
            ("settled_date", _("settlement")),
        ]
        for (before, before_label), (after, after_label) in zip(steps, steps[1:], strict=False):
            first, then = getattr(self, before), getattr(self, after)
            if first and then and then < first:
                raise ValidationError(
                    {
                        after: _("The %(after)s date (%(then)s) is before the %(before)s date (%(first)s).")
                        % {
                            "after": after_label,
                            "then": then.strftime("%d/%m/%Y"),
                            "before": before_label,
                            "first": first.strftime("%d/%m/%Y"),
                        }
                    }
                )


class TransitionSource(models.TextChoices):
    APP = "app", _("entered")
    IMPORT = "import", _("imported")


class ProjectTransition(models.Model):
    """A recorded step of a project's life: who moved it, when, from which status to which, and why.

    Steps of an imported project are recorded as the same rows, walked through the same table, with
    `source` = import and the importing user as the actor.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=ProjectStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ProjectStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=TransitionSource.choices, default=TransitionSource.APP
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.from_status or '∅'} → {self.to_status}"


class PlanLine(TimeStamped):
    """The plan's budget for one source (programme) and one activity type."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("plan"))
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    amount = models.BigIntegerField(_("budget (VND)"), validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "activity"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "programme", "activity"], name="one_line_per_source_activity"
            ),
            models.CheckConstraint(condition=not_negative("amount"), name="planline_amount_not_negative"),
        ]
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")

    def __str__(self) -> str:
        return f"{self.plan} · {self.programme} · {self.activity}"


class RegulationKind(models.TextChoices):
    DECREE = "decree", _("Decree")
    CIRCULAR = "circular", _("Circular")
    RESOLUTION = "resolution", _("People's Council resolution")


class Regulation(Archivable, TimeStamped):
    """A legal document that sets the programme's rules, by its issuer and its date.

    National ones (no province): the decree and the finance circular (Circular 28/2018/TT-BTC as
    amended by 64/2024/TT-BTC) that govern national funds. A province's People's Council resolution
    (province set) sets the ceilings of that province's local funds from its effective date.
    """

    kind = models.CharField(_("kind of document"), max_length=20, choices=RegulationKind.choices)
    number = models.CharField(
        _("number"), max_length=100, help_text=_("e.g. 28/2018/TT-BTC, 15/2025/NQ-HĐND")
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    province = models.ForeignKey(
        "geo.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
        help_text=_(
            "Empty for a national document; the province whose People's Council issued a resolution."
        ),
    )
    issued_on = models.DateField(_("date issued"))
    effective_from = models.DateField(_("in force from"))
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("amends"),
    )
    demo = models.BooleanField(
        _("demonstration values"),
        default=False,
        help_text=_("Invented values for the demo, not the text of the published document."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["province_id", "-effective_from", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "province"], name="one_regulation_per_number_province"),
            models.UniqueConstraint(
                fields=["number"],
                condition=models.Q(province__isnull=True),
                name="one_national_regulation_number",
            ),
            models.CheckConstraint(
                condition=not_before("effective_from", "issued_on"), name="regulation_in_force_after_issue"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="resolution") | models.Q(province__isnull=False),
                name="resolution_has_province",
            ),
        ]
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")

    def __str__(self) -> str:
        return self.citation

    @property
    def is_national(self) -> bool:
        return self.province_id is None

    @property
    def citation(self) -> str:
        """How the document is cited in messages: “Thông tư số 64/2024/TT-BTC”, “Nghị quyết số … của HĐND Cà Mau”."""
        from django.utils.translation import gettext

        if self.kind == RegulationKind.RESOLUTION and self.province_id:
            return gettext("Resolution %(number)s of the People's Council of %(province)s") % {
                "number": self.number,
                "province": self.province.name,
            }
        if self.kind == RegulationKind.DECREE:
            return gettext("Decree %(number)s") % {"number": self.number}
        return gettext("Circular %(number)s") % {"number": self.number}


class CeilingRule(TimeStamped):
    """A support ceiling of the regulation for one activity type, in force from a date.

    Versioned data, never constants: when the regulation changes, add a rule with a later
    `effective_from`; a project is checked against the rule in force on its approval date, from its
    source's authority (the national circular for national funds, the province's People's Council
    resolution for local funds, the circular where the province has none).
    """

    regulation = models.ForeignKey(
        Regulation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ceilings",
        verbose_name=_("regulation"),
    )
    province = models.ForeignKey(
        "geo.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
        help_text=_("Copied from the regulation: empty for a national rule."),
    )
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    effective_from = models.DateField(_("in force from"))
    max_share_percent = models.DecimalField(
        _("maximum share of the cost (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_amount = models.BigIntegerField(
        _("maximum amount (VND)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    line_multiplier = models.DecimalField(
        _("multiplier for a whole technology line"),
        max_digits=4,
        decimal_places=2,
        default=1,
        help_text=_("The maximum amount is multiplied by this for a whole technology line."),
    )
    per_establishment_year = models.BooleanField(
        _("maximum per establishment and year"),
        default=False,
        help_text=_(
            "The maximum amount counts the same establishment's other approved projects of this activity that year."
        ),
    )
    citation = models.CharField(_("regulation"), max_length=200, help_text=_("e.g. Circular 28/2018/TT-BTC"))
    wording = models.CharField(_("wording of the rule"), max_length=500, blank=True)
    refuse = models.BooleanField(
        _("refuse amounts above the ceiling"),
        default=True,
        help_text=_("Otherwise the excess is shown as a warning only."),
    )

    class Meta:
        ordering = ["activity", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "effective_from"],
                condition=models.Q(province__isnull=True),
                name="one_national_ceiling_per_activity_date",
            ),
            models.UniqueConstraint(
                fields=["province", "activity", "effective_from"],
                condition=models.Q(province__isnull=False),
                name="one_local_ceiling_per_activity_date",
            ),
            models.CheckConstraint(
                condition=not_negative("max_amount")
                & between("max_share_percent", 0, 100)
                & models.Q(line_multiplier__gte=1),
                name="ceiling_bounds",
            ),
        ]
        verbose_name = _("support ceiling")
        verbose_name_plural = _("support ceilings")

    def __str__(self) -> str:
        return f"{self.activity} · {self.citation} · {self.effective_from}"

    def save(self, *args, **kwargs):
        if self.regulation_id:
            self.province_id = self.regulation.province_id
            if not self.citation:
                self.citation = self.regulation.citation
        super().save(*args, **kwargs)


class ActivityPeriod(TimeStamped):
    """When an activity type exists in the regulation (an activity with no period always exists).

    Decree 235/2025/NĐ-CP added digital transformation and sustainable production from 15 Oct 2025:
    projects of those activities approved earlier are refused.
    """

    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"), null=True, blank=True)
    regulation = models.ForeignKey(
        Regulation, on_delete=models.PROTECT, related_name="activity_periods", verbose_name=_("regulation")
    )

    class Meta:
        ordering = ["activity", "available_from"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "available_from"], name="one_activity_period_start"),
            models.CheckConstraint(
                condition=not_before("available_until", "available_from"), name="activity_period_in_order"
            ),
        ]
        verbose_name = _("activity period")
        verbose_name_plural = _("activity periods")

    def __str__(self) -> str:
        return f"{self.activity} · {self.available_from}"


class CriterionKind(models.TextChoices):
    CHECK = "check", _("Checklist item (must be met)")
    CERTIFIED = "certified", _("Priority: product already certified")
    LOCAL_MATERIALS = "local_materials", _("Priority: uses local raw materials")
    JOBS = "jobs", _("Priority: jobs created")
    COUNTERPART = "counterpart", _("Priority: counterpart share of the cost (%)")
    # Decree 235/2025/NĐ-CP: priority for women-owned and ethnic-minority businesses; the establishment
    # keeps the flags with their evidence (registry)
    WOMEN_OWNED = "women_owned", _("Priority: women-owned establishment")
    ETHNIC_MINORITY = "ethnic_minority", _("Priority: ethnic-minority-owned establishment")
    DISADVANTAGED = "disadvantaged", _("Priority: establishment in a disadvantaged commune")


class AppraisalScheme(TimeStamped):
    """The appraisal checklist and priority points in force from a date (versioned configuration)."""

    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("in force from"), unique=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("appraisal scheme")
        verbose_name_plural = _("appraisal schemes")

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"


class AppraisalCriterion(models.Model):
    """A checklist item, or a priority criterion giving `max_points × min(1, value ÷ full_at)`."""

    scheme = models.ForeignKey(AppraisalScheme, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=CriterionKind.choices)
    label = models.CharField(_("label"), max_length=300)
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2, default=0)
    full_at = models.DecimalField(_("value earning full points"), max_digits=12, decimal_places=2, default=1)

    class Meta:
        ordering = ["scheme", "order", "pk"]
        verbose_name = _("appraisal criterion")
        verbose_name_plural = _("appraisal criteria")

    def __str__(self) -> str:
        return self.label


class Appraisal(models.Model):
    """The appraisal of a project: the scheme used, checklist answers, points and their reasons."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="appraisals")
    scheme = models.ForeignKey(AppraisalScheme, null=True, on_delete=models.PROTECT, related_name="+")
    checks = models.JSONField(default=dict)
    points = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    breakdown = models.JSONField(default=list)
    amount = models.BigIntegerField(validators=[MinValueValidator(0)])
    ceiling_note = models.TextField(blank=True)
    ceiling_rule = models.ForeignKey(
        "programme.CeilingRule", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule_note = models.CharField(max_length=600, blank=True, db_default="")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=not_negative("amount"), name="appraisal_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.points}"


class Ranking(models.Model):
    """A ranking of a plan's proposals, kept with the plan: who ranked, when, and each project's reasons."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="rankings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} · {self.at:%d/%m/%Y %H:%M}"


class RankingEntry(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField()
    points = models.DecimalField(max_digits=6, decimal_places=2)
    amount = models.BigIntegerField()
    cumulative = models.BigIntegerField(help_text="running total of the same source, in rank order")
    fits = models.BooleanField(default=False)
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["ranking", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=not_negative("amount", "cumulative"), name="rankingentry_money_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.project.code}"


class PaymentKind(models.TextChoices):
    ADVANCE = "advance", _("Advance")
    PAYMENT = "payment", _("Payment after acceptance")
    FINAL = "final", _("Final payment at settlement")


class PaymentSource(models.TextChoices):
    APP = "app", _("entered")
    IMPORT = "import", _("imported")
    CARRIED = "carried", _("carried over at the upgrade")


class AdvanceRule(TimeStamped):
    """How much of the approved support may be advanced (tạm ứng) before acceptance, for an activity,
    in force from a date. Versioned data, never constants: a project uses the rule in force on its
    approval decision's date, and each advance names the rule it used."""

    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    effective_from = models.DateField(_("in force from"))
    max_share_percent = models.DecimalField(
        _("maximum advance (percent of the approved support)"), max_digits=5, decimal_places=2
    )
    min_progress_percent = models.DecimalField(
        _("only once the work done is over (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("e.g. 50 for cluster infrastructure: advanced only once over half is built."),
    )
    citation = models.CharField(_("regulation"), max_length=200)
    wording = models.CharField(_("wording of the rule"), max_length=500, blank=True)

    class Meta:
        ordering = ["activity", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "effective_from"], name="one_advance_rule_per_activity_date"
            ),
            models.CheckConstraint(
                condition=between("max_share_percent", 0, 100) & between("min_progress_percent", 0, 100),
                name="advance_rule_bounds",
            ),
        ]
        verbose_name = _("advance rule")
        verbose_name_plural = _("advance rules")

    def __str__(self) -> str:
        return f"{self.activity} · {self.citation} · {self.effective_from}"


class Disbursement(Archivable, TimeStamped):
    """A tranche of support paid to a project: an advance, a payment after acceptance, or the final
    payment that closes the settlement."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("project")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=PaymentKind.choices, default=PaymentKind.PAYMENT
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount (VND)"), validators=[MinValueValidator(1)])
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    progress_percent = models.DecimalField(
        _("work done when advanced (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rule = models.ForeignKey(
        AdvanceRule,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("advance rule"),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=PaymentSource.choices, default=PaymentSource.APP
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = [models.F("paid_on").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="disbursement_amount_positive"),
            # a payment entered in the application has its date; imported history may not know it
            models.CheckConstraint(
                condition=models.Q(paid_on__isnull=False) | ~models.Q(source="app"), name="disbursement_dated"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["advance", "payment", "final"]), name="disbursement_kind_known"
            ),
            models.CheckConstraint(
                condition=between("progress_percent", 0, 100), name="disbursement_progress_bounds"
            ),
        ]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        return f"{self.project.code} · {self.paid_on} · {self.amount}"


class DocumentKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    APPRAISAL = "appraisal", _("Appraisal record")
    DECISION = "decision", _("Approval decision")
    CONTRACT = "contract", _("Contract")
    ACCEPTANCE = "acceptance", _("Acceptance record")
    SETTLEMENT = "settlement", _("Settlement")
    OTHER = "other", _("Other")


class ProjectDocument(Archivable, PrivateDocument):
    """A paper of a project (proposal, appraisal, contract, acceptance record), stored privately."""

    upload_folder = "projects"
    download_inline = False

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="documents", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)

    class Meta:
        ordering = ["kind", "-created_at"]
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")

    def __str__(self) -> str:
        return self.original_name


# Programme targets (Decision 2646/QĐ-BCT, provinces' local programmes): their own module.
from .target_models import Indicator, ProgrammeScope, ProgrammeTarget, TargetProgramme  # noqa: E402, F401
