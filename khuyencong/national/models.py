"""The national plan provinces feed: each year a province registers its proposals for national khuyến công
funds (đăng ký kế hoạch khuyến công quốc gia), the national organiser appraises and consolidates them across
provinces and allocates the funds per province and activity; the allocation becomes the province's national
lines in its yearly plan. Money is integer VND."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.core.constraints import not_negative
from khuyencong.core.models import TimeStamped
from khuyencong.core.uploads import RandomUploadPath, private_storage
from khuyencong.documents.models import SignatureStatus
from khuyencong.programme.models import Activity


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("Submitted to the Ministry")
    RETURNED = "returned", _("Returned for completion")
    APPRAISED = "appraised", _("Appraised")
    ALLOCATED = "allocated", _("Funds allocated")


class RegistrationSource(models.TextChoices):
    APP = "app", _("entered here")
    FILE = "file", _("received as a signed file")


class Registration(TimeStamped):
    """A province's registration of its proposals for national funds for one year."""

    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    year = models.PositiveSmallIntegerField(_("plan year"))
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT
    )
    source = models.CharField(
        _("source"), max_length=10, choices=RegistrationSource.choices, default=RegistrationSource.APP
    )
    revision = models.PositiveIntegerField(
        _("revision"), default=1, help_text=_("Raised each time the province changes its proposals.")
    )
    file_digest = models.CharField(_("digest of the last file received"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    decision_no = models.CharField(_("allocation decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("allocation decision date"), null=True, blank=True)
    allocation_issue = models.PositiveIntegerField(
        _("allocation issue"),
        default=0,
        help_text=_(
            "Raised each time the Ministry allocates or amends the allocation; the allocation file carries it."
        ),
    )

    class Meta:
        ordering = ["-year", "province_id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="one_registration_per_province_year"),
            models.CheckConstraint(
                condition=models.Q(status__in=RegistrationStatus.values), name="registration_status_known"
            ),
        ]
        verbose_name = _("registration for national funds")
        verbose_name_plural = _("registrations for national funds")

    def __str__(self) -> str:
        return f"{self.province} {self.year}"


class RegistrationLine(TimeStamped):
    """One proposed project of the registration, as the province registered it, and its appraisal."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="lines", verbose_name=_("registration")
    )
    project = models.ForeignKey(
        "programme.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("project"),
        help_text=_("The project itself when the province works in this deployment."),
    )
    code = models.CharField(_("project code"), max_length=50)
    title = models.CharField(_("title"), max_length=500)
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    beneficiary = models.CharField(_("beneficiary"), max_length=255, blank=True)
    place = models.CharField(_("commune"), max_length=255, blank=True)
    total_cost = models.BigIntegerField(_("total cost (VND)"), default=0, validators=[MinValueValidator(0)])
    requested = models.BigIntegerField(
        _("national support requested (VND)"), validators=[MinValueValidator(0)]
    )
    counterpart = models.BigIntegerField(_("counterpart (VND)"), default=0, validators=[MinValueValidator(0)])
    appraised = models.BigIntegerField(
        _("support appraised (VND)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    appraisal_note = models.CharField(_("appraisal remark"), max_length=500, blank=True)

    class Meta:
        ordering = ["registration", "activity", "code"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "code"], name="one_line_per_registration_code"),
            models.CheckConstraint(
                condition=not_negative("total_cost", "requested", "counterpart", "appraised"),
                name="registration_line_money_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(appraised__isnull=True) | models.Q(appraised__lte=models.F("requested")),
                name="registration_line_appraised_within_requested",
            ),
        ]
        verbose_name = _("registered project")
        verbose_name_plural = _("registered projects")

    def __str__(self) -> str:
        return f"{self.registration} · {self.code}"


class Allocation(TimeStamped):
    """National funds allocated to the province for one activity (the province's approved national line)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("registration")
    )
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    amount = models.BigIntegerField(_("allocated (VND)"), validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["registration", "activity"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "activity"], name="one_allocation_per_activity"),
            models.CheckConstraint(condition=not_negative("amount"), name="allocation_not_negative"),
        ]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")

    def __str__(self) -> str:
        return f"{self.registration} · {self.activity} · {self.amount}"


class RegistrationTransition(models.Model):
    """A recorded step of a registration's life: who, when, from which status to which, and why."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=RegistrationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.registration}: {self.from_status or '∅'} → {self.to_status}"


class RegistrationReport(TimeStamped):
    """The registration report of one revision as issued (its PDF frozen, with its SHA-256) and, once signed
    with the organisation's certificate, the signed PDF — as the documents app keeps a round's decision."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="reports", verbose_name=_("registration")
    )
    revision = models.PositiveIntegerField(_("revision"))
    issued_on = models.DateField(_("date of the report"))
    original = models.FileField(
        _("PDF as issued"),
        upload_to=RandomUploadPath("national"),
        storage=private_storage,
        max_length=300,
        blank=True,
    )
    original_sha256 = models.CharField(_("SHA-256 of the PDF as issued"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SignatureStatus.choices, default=SignatureStatus.ISSUED
    )
    signed = models.FileField(
        _("signed PDF"),
        upload_to=RandomUploadPath("national"),
        storage=private_storage,
        max_length=300,
        blank=True,
    )
    signed_sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, blank=True)
    signer_name = models.CharField(_("signer (certificate subject)"), max_length=300, blank=True)
    signer_issuer = models.CharField(_("certificate issued by"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signing requested by"),
    )
    failure = models.TextField(_("why signing failed"), blank=True)

    class Meta:
        ordering = ["registration", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "revision"], name="one_report_per_revision"),
            models.CheckConstraint(
                condition=~models.Q(status="signed")
                | (~models.Q(signed_sha256="") & models.Q(signed_at__isnull=False)),
                name="registration_report_signed_has_hash",
            ),
        ]
        verbose_name = _("registration report")
        verbose_name_plural = _("registration reports")

    def __str__(self) -> str:
        return f"{self.registration} · r{self.revision}"

    @property
    def is_signed(self) -> bool:
        return self.status == SignatureStatus.SIGNED
