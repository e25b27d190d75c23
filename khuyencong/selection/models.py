"""Selection of typical rural industrial products: rounds and their results.

The core here (Round, Result, Certificate) is what reports and the catalogue read; the selection
workflow (rubrics, dossiers, councils, scores) builds on it. Historical results are Results without
dossiers.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import TimeStamped


class Level(models.TextChoices):
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    REGION = "region", _("Region")
    NATIONAL = "national", _("National")


LEVEL_LABELS_VI = {"district": "Cấp huyện", "province": "Cấp tỉnh", "region": "Cấp khu vực", "national": "Cấp quốc gia"}
LEVEL_ORDER = ["district", "province", "region", "national"]


class Round(TimeStamped):
    """A selection round (kỳ bình chọn) at one level, in one year, for one place.

    A district round names its former district; a province round its province (today's, and the
    former one when the round predates 2025); a region round its region; a national round no place.
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    title = models.CharField(_("title"), max_length=300)
    province = models.ForeignKey("geo.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    legacy_province = models.ForeignKey(
        "geo.LegacyProvince", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("former province")
    )
    legacy_district = models.ForeignKey(
        "geo.LegacyDistrict", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("former district")
    )
    region = models.ForeignKey("geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    is_historical = models.BooleanField(_("historical (results only)"), default=False)

    class Meta:
        ordering = ["-year", "level", "code"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return self.title


class Result(TimeStamped):
    """A product's result in a round: score, whether it was certified, the decision."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="results", verbose_name=_("round"))
    product = models.ForeignKey("registry.Product", on_delete=models.PROTECT, related_name="results", verbose_name=_("product"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    certified = models.BooleanField(_("certified"), default=False)
    prize = models.CharField(_("prize"), max_length=5, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=100, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    class Meta:
        ordering = ["round", "-score"]
        constraints = [models.UniqueConstraint(fields=["round", "product"], name="one_result_per_product_round")]
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
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number
