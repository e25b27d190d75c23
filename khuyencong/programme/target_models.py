"""Programme targets: what a programme (the national 2026–2030 programme of Decision 2646/QĐ-BCT, or a
province's local programme) promised per indicator and period. What was achieved is never stored: it is
computed from the records by `programme.target_selectors` with the reports' own selectors."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from khuyencong.core.constraints import between, not_negative
from khuyencong.core.models import TimeStamped


class Indicator(models.TextChoices):
    """What a programme promises (the indicators of Decision 2646/QĐ-BCT's objectives)."""

    PROJECTS = "projects", _("Projects completed (settled)")
    SUPPORT_NATIONAL = "support_national", _("Support from national funds (VND)")
    SUPPORT_LOCAL = "support_local", _("Support from local funds (VND)")
    COUNTERPART = "counterpart", _("Funds mobilised from establishments (VND)")
    ESTABLISHMENTS = "establishments", _("Establishments supported")
    CERTIFIED_PROVINCE = "certified_province", _("Products certified at province level")
    CERTIFIED_REGION = "certified_region", _("Products certified at region level")
    CERTIFIED_NATIONAL = "certified_national", _("Products certified at national level")
    JOBS = "jobs", _("Jobs created")
    TRAINEES = "trainees", _("People trained")
    MACHINES = "machines", _("Machines and technology lines applied")


MONEY_INDICATORS = (Indicator.SUPPORT_NATIONAL, Indicator.SUPPORT_LOCAL, Indicator.COUNTERPART)


class ProgrammeScope(models.TextChoices):
    NATIONAL = "national", _("National programme")
    PROVINCE = "province", _("Province's local programme")


class TargetProgramme(TimeStamped):
    """A programme over a period of years, with the decision that adopted it and its targets."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    scope = models.CharField(_("scope"), max_length=20, choices=ProgrammeScope.choices)
    province = models.ForeignKey(
        "geo.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-start_year", "scope", "province_id", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="target_programme_end_not_before_start",
                violation_error_message=_("The last year is before the first year."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=2000, start_year__lte=2100) & Q(end_year__lte=2100),
                name="target_programme_years_2000_2100",
                violation_error_message=_("The years are between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(scope="national", province__isnull=True)
                | Q(scope="province", province__isnull=False),
                name="target_programme_province_iff_local",
                violation_error_message=_(
                    "A province's programme names its province; the national one none."
                ),
            ),
        ]
        verbose_name = _("programme with targets")
        verbose_name_plural = _("programmes with targets")

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class ProgrammeTarget(TimeStamped):
    """A target of one indicator, for one year of the programme or (year empty) for the whole period."""

    programme = models.ForeignKey(
        TargetProgramme, on_delete=models.CASCADE, related_name="targets", verbose_name=_("programme")
    )
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Empty: the target for the whole period")
    )
    value = models.BigIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "indicator", F("year").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "indicator", "year"],
                name="one_target_per_indicator_year",
                violation_error_message=_("This indicator already has a target for that year."),
            ),
            models.UniqueConstraint(
                fields=["programme", "indicator"],
                condition=Q(year__isnull=True),
                name="one_period_target_per_indicator",
                violation_error_message=_("This indicator already has a target for the whole period."),
            ),
            models.CheckConstraint(
                condition=not_negative("value"),
                name="programme_target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
            models.CheckConstraint(
                condition=between("year", 2000, 2100),
                name="programme_target_year_2000_2100",
                violation_error_message=_("The year is between 2000 and 2100."),
            ),
        ]
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.year or '∑'}: {self.value}"
