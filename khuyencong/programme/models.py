"""The khuyến công programme: yearly plans and support projects (đề án), their money and outcomes.

Money is integer VND (BigIntegerField), never float.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import Archivable, TimeStamped
from khuyencong.core.text import fold
from khuyencong.registry.models import PlacedModel


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

    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    national_budget = models.BigIntegerField(_("national programme budget (VND)"), default=0, validators=[MinValueValidator(0)])
    local_budget = models.BigIntegerField(_("local programme budget (VND)"), default=0, validators=[MinValueValidator(0)])
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year", "province_id"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="one_plan_per_province_year")]
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
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects", verbose_name=_("plan"))
    establishment = models.ForeignKey(
        "registry.Establishment", null=True, blank=True, on_delete=models.PROTECT, related_name="projects",
        verbose_name=_("beneficiary"),
    )
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED, db_index=True)
    total_cost = models.BigIntegerField(_("total cost (VND)"), null=True, blank=True, validators=[MinValueValidator(0)])
    support_requested = models.BigIntegerField(_("support requested (VND)"), null=True, blank=True, validators=[MinValueValidator(0)])
    support_approved = models.BigIntegerField(_("support approved (VND)"), default=0, validators=[MinValueValidator(0)])
    support_settled = models.BigIntegerField(_("support settled (VND)"), null=True, blank=True, validators=[MinValueValidator(0)])
    counterpart = models.BigIntegerField(_("counterpart investment (VND)"), default=0, validators=[MinValueValidator(0)])
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

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["year", "status"]), models.Index(fields=["province", "year"])]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join(filter(None, [self.code, self.title])))
        super().save(*args, **kwargs)

    def clean(self):
        self.clean_place()


class ProjectTransition(models.Model):
    """A recorded step of a project's life: who moved it, when, from which status to which, and why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=ProjectStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ProjectStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
