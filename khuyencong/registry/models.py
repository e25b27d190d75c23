"""Rural industrial establishments (cơ sở CNNT) and their products."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.core.constraints import between, not_before
from khuyencong.core.models import Archivable, PrivateDocument, TimeStamped
from khuyencong.core.text import fold
from khuyencong.core.uploads import RandomUploadPath

TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def validate_tax_code(value: str) -> None:
    """Vietnamese tax code: 10 digits (the 10th a check digit), or 10-3 for a branch."""
    if not TAX_CODE_RE.match(value or ""):
        raise ValidationError(
            _("Tax code “%(value)s” must be 10 digits, or 10 digits, a hyphen and 3 digits for a branch."),
            code="format",
            params={"value": value},
        )
    digits = [int(ch) for ch in value[:10]]
    check = 10 - sum(d * w for d, w in zip(digits[:9], _TAX_WEIGHTS, strict=True)) % 11
    if check != digits[9]:
        raise ValidationError(
            _("Tax code “%(value)s” is not valid: its check digit does not match."),
            code="checksum",
            params={"value": value},
        )


class EstablishmentKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
    HOUSEHOLD = "household", _("Household business")


# Vietnamese labels accepted in files (interchange spec); the UI translates the English labels.
KIND_LABELS_VI = {
    "enterprise": "Doanh nghiệp",
    "cooperative": "Hợp tác xã",
    "cooperative_group": "Tổ hợp tác",
    "household": "Hộ kinh doanh",
}


class ProductGroup(models.TextChoices):
    HANDICRAFT = "handicraft", _("Handicraft and fine-art goods")
    AGRO_PROCESSING = "agro_processing", _("Processed agricultural, forestry, fishery products and food")
    MACHINERY = "machinery", _("Equipment, machinery, tools and mechanical parts")
    OTHER = "other", _("Other products")


GROUP_LABELS_VI = {
    "handicraft": "Thủ công mỹ nghệ",
    "agro_processing": "Chế biến nông, lâm, thủy sản và thực phẩm",
    "machinery": "Thiết bị, máy móc, dụng cụ và phụ tùng cơ khí",
    "other": "Sản phẩm khác",
}


class PlacedModel(models.Model):
    """A record placed at today's province/commune, and at the former units it was recorded in."""

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
    )
    legacy_province = models.ForeignKey(
        "geo.LegacyProvince",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("former province (before 2025)"),
    )
    legacy_district = models.ForeignKey(
        "geo.LegacyDistrict",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("former district (before 2025)"),
    )

    class Meta:
        abstract = True

    def clean_place(self) -> None:
        errors = {}
        if self.commune_id and self.province_id and self.commune.province_id != self.province_id:
            errors["commune"] = _("%(commune)s is not in %(province)s.") % {
                "commune": self.commune,
                "province": self.province,
            }
        if (
            self.legacy_province_id
            and self.province_id
            and self.legacy_province.successor_id != self.province_id
        ):
            errors["legacy_province"] = _("%(old)s did not become part of %(province)s.") % {
                "old": self.legacy_province,
                "province": self.province,
            }
        if self.legacy_district_id:
            if self.legacy_province_id and self.legacy_district.legacy_province_id != self.legacy_province_id:
                errors["legacy_district"] = _("%(district)s was not in %(old)s.") % {
                    "district": self.legacy_district.name,
                    "old": self.legacy_province,
                }
        if errors:
            raise ValidationError(errors)


class Establishment(PlacedModel, Archivable, TimeStamped):
    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("The province's own code"))
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("legal form"), max_length=30, choices=EstablishmentKind.choices)
    tax_code = models.CharField(
        _("tax code"), max_length=14, null=True, blank=True, unique=True, validators=[validate_tax_code]
    )
    industry = models.CharField(_("branch of industry"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    representative = models.CharField(_("legal representative"), max_length=150, blank=True)
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    description = models.TextField(_("public profile"), blank=True)
    markets = models.TextField(
        _("where products sell"), blank=True, help_text=_("Supermarket chains, export markets, agents")
    )
    search_text = models.TextField(editable=False, default="")
    # Priority of Decree 235/2025/NĐ-CP, kept with their evidence (the appraisal's priority points read them)
    women_owned = models.BooleanField(_("women-owned"), default=False, db_default=False)
    ethnic_minority_owned = models.BooleanField(_("ethnic-minority-owned"), default=False, db_default=False)
    disadvantaged_commune = models.BooleanField(
        _("in a disadvantaged commune"), default=False, db_default=False
    )
    priority_evidence = models.TextField(
        _("evidence of the priority"),
        blank=True,
        db_default="",  # rows written in bulk by raw SQL (core.synth) leave it out
        help_text=_(
            "What shows it: e.g. the owner's ID card, the decision listing the disadvantaged commune."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        indexes = [
            models.Index(fields=["province", "commune"]),
            # the lists' order (name, pk): a page without a search walks it instead of sorting the country
            models.Index(fields=["name", "id"], name="establishment_name_order"),
            # the reports count a place's establishments and find the flagged ones (reports.selectors) from
            # this index alone, without reading the registry's rows
            models.Index(
                fields=[
                    "province",
                    "archived_at",
                    "women_owned",
                    "ethnic_minority_owned",
                    "disadvantaged_commune",
                ],
                name="establishment_report_figures",
            ),
            # the few archived ones, which the whole country's reports leave out
            models.Index(
                fields=["id"], condition=models.Q(archived_at__isnull=False), name="establishment_archived"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=between("founded", 1800, 2100), name="establishment_founded_year"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def fill_search_text(self) -> None:
        """The folded text searches match (also called by bulk writes, which skip `save`)."""
        self.search_text = fold(
            " ".join(filter(None, [self.name, self.code, self.tax_code, self.address, self.industry]))
        )

    def save(self, *args, **kwargs):
        self.fill_search_text()
        super().save(*args, **kwargs)

    def clean(self):
        self.clean_place()
        if (
            self.priority_flags
            and not (self.priority_evidence or "").strip()
            and not self._has_evidence_file()
        ):
            raise ValidationError(
                {"priority_evidence": _("Say what shows the priority (or attach the document that does).")}
            )

    PRIORITY_FLAGS = ("women_owned", "ethnic_minority_owned", "disadvantaged_commune")

    @property
    def priority_flags(self) -> list[str]:
        return [flag for flag in self.PRIORITY_FLAGS if getattr(self, flag)]

    def _has_evidence_file(self) -> bool:
        return bool(self.pk) and self.documents.filter(archived_at__isnull=True).exists()


class EstablishmentDocument(Archivable, PrivateDocument):
    """A private paper of an establishment: the evidence of its priority flags."""

    upload_folder = "establishments"
    download_inline = False

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="documents", verbose_name=_("establishment")
    )
    note = models.CharField(_("what it shows"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("establishment document")
        verbose_name_plural = _("establishment documents")

    def __str__(self) -> str:
        return self.original_name


class CraftVillage(PlacedModel, Archivable, TimeStamped):
    """A craft village (làng nghề) recognised by the province, a beneficiary of Decree 235/2025/NĐ-CP."""

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("The province's own code"))
    name = models.CharField(_("name"), max_length=255)
    trade = models.CharField(_("trade"), max_length=200)
    recognition_no = models.CharField(_("recognition decision number"), max_length=100)
    recognition_date = models.DateField(_("recognition decision date"))
    recognised_by = models.CharField(
        _("recognised by"), max_length=200, blank=True, help_text=_("e.g. the province's People's Committee")
    )
    households = models.PositiveIntegerField(_("households"))
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    address = models.CharField(_("place (hamlet, village)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    establishments = models.ManyToManyField(
        Establishment, blank=True, related_name="craft_villages", verbose_name=_("establishments")
    )
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("craft village")
        verbose_name_plural = _("craft villages")

    def __str__(self) -> str:
        return self.name

    def fill_search_text(self) -> None:
        self.search_text = fold(
            " ".join(filter(None, [self.name, self.code, self.trade, self.recognition_no]))
        )

    def save(self, *args, **kwargs):
        self.fill_search_text()
        super().save(*args, **kwargs)

    def clean(self):
        self.clean_place()


class ArtisanTitle(models.TextChoices):
    FOLK = "folk", _("People's Artisan")
    OUTSTANDING = "outstanding", _("Outstanding Artisan")


ARTISAN_TITLE_LABELS_VI = {"folk": "Nghệ nhân nhân dân", "outstanding": "Nghệ nhân ưu tú"}


class Artisan(PlacedModel, Archivable, TimeStamped):
    """A folk or outstanding artisan (Nghệ nhân nhân dân / Nghệ nhân ưu tú) of a trade."""

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("The province's own code"))
    name = models.CharField(_("full name"), max_length=150)
    title = models.CharField(_("artisan title"), max_length=20, choices=ArtisanTitle.choices)
    title_year = models.PositiveSmallIntegerField(_("year of the title"))
    trade = models.CharField(_("trade"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    establishment = models.ForeignKey(
        Establishment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="artisans",
        verbose_name=_("establishment"),
    )
    craft_village = models.ForeignKey(
        CraftVillage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="artisans",
        verbose_name=_("craft village"),
    )
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("artisan")
        verbose_name_plural = _("artisans")
        constraints = [
            models.CheckConstraint(condition=between("title_year", 1945, 2100), name="artisan_title_year"),
            models.CheckConstraint(condition=between("birth_year", 1900, 2100), name="artisan_birth_year"),
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.name}"

    def fill_search_text(self) -> None:
        self.search_text = fold(" ".join(filter(None, [self.name, self.code, self.trade])))

    def save(self, *args, **kwargs):
        self.fill_search_text()
        super().save(*args, **kwargs)

    def clean(self):
        self.clean_place()
        if self.birth_year and self.title_year and self.title_year < self.birth_year:
            raise ValidationError(
                {"title_year": _("The title cannot be awarded before the artisan's birth.")}
            )


class Product(Archivable, TimeStamped):
    code = models.CharField(_("code"), max_length=40, unique=True)
    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="products", verbose_name=_("establishment")
    )
    name = models.CharField(_("name"), max_length=255)
    group = models.CharField(_("product group"), max_length=30, choices=ProductGroup.choices)
    description = models.TextField(_("description"), blank=True)
    is_set = models.BooleanField(
        _("product set"), default=False, help_text=_("A set of products registered as one")
    )
    photo = models.ImageField(_("photo"), upload_to=RandomUploadPath("products"), blank=True)
    thumbnail = models.ImageField(upload_to=RandomUploadPath("products/thumbs"), blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [models.Index(fields=["name", "id"], name="product_name_order")]

    def __str__(self) -> str:
        return self.name

    def fill_search_text(self) -> None:
        """The folded text searches match (also called by bulk writes, which skip `save`)."""
        self.search_text = fold(" ".join(filter(None, [self.name, self.code, self.description[:500]])))

    def save(self, *args, **kwargs):
        self.fill_search_text()
        super().save(*args, **kwargs)


class CertificationKind(models.TextChoices):
    OCOP = "ocop", _("OCOP stars")
    QUALITY = "quality", _("Quality standard")
    FOOD_SAFETY = "food_safety", _("Food safety")
    TRADEMARK = "trademark", _("Trademark")
    OTHER = "other", _("Other")


class ProductCertification(TimeStamped):
    """A certification the product already holds from elsewhere (OCOP, ISO, VietGAP, trademark ...)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="certifications")
    kind = models.CharField(_("kind"), max_length=20, choices=CertificationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    stars = models.PositiveSmallIntegerField(
        _("stars"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=between("stars", 1, 5), name="certification_stars_1_to_5"),
            models.CheckConstraint(
                condition=~models.Q(kind=CertificationKind.OCOP) | models.Q(stars__isnull=False),
                name="certification_ocop_has_stars",
            ),
            models.CheckConstraint(
                condition=not_before("valid_until", "valid_from"), name="certification_validity_in_order"
            ),
        ]
        verbose_name = _("certification held")
        verbose_name_plural = _("certifications held")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Validity ends before it starts.")})
        if self.kind == CertificationKind.OCOP and not self.stars:
            raise ValidationError({"stars": _("An OCOP certification needs its number of stars (1–5).")})


class OcopLevel(models.TextChoices):
    """Who rates (Decision 148/QĐ-TTg, amended by 1489/QĐ-TTg): the province 3★ and 4★, the central level 5★."""

    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")


OCOP_LEVEL_LABELS_VI = {"province": "Tỉnh", "central": "Trung ương"}

# The 100-point sheet's bands: 3★ from 50, 4★ from 70, 5★ from 90 (below 50: 1★ or 2★, not recognised).
OCOP_STAR_FLOORS = {5: 90, 4: 70, 3: 50, 2: 30, 1: 0}
OCOP_RECOGNISED_STARS = 3


def ocop_level_for(stars: int) -> str:
    return OcopLevel.CENTRAL if stars == 5 else OcopLevel.PROVINCE


class OcopRating(TimeStamped):
    """An OCOP rating (One Commune One Product): its stars, who rated it, the decision and how long it holds.

    A certificate is valid 36 months from the decision (the setting OCOP_VALIDITY_MONTHS); the holder is told
    before it expires and a product not re-rated loses it.
    """

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="ocop_ratings", verbose_name=_("product")
    )
    stars = models.PositiveSmallIntegerField(
        _("OCOP stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    level = models.CharField(_("rated at"), max_length=20, choices=OcopLevel.choices)
    score = models.DecimalField(
        _("score (out of 100)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    decision_no = models.CharField(_("decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5),
                name="ocop_stars_1_to_5",
                violation_error_message=_("OCOP stars are 1 to 5."),
            ),
            models.CheckConstraint(
                condition=models.Q(stars=5, level="central") | models.Q(stars__lte=4, level="province"),
                name="ocop_level_matches_stars",
                violation_error_message=_(
                    "5 stars are rated by the central level, 1 to 4 stars by the province."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("decision_date")),
                name="ocop_valid_after_decision",
                violation_error_message=_("An OCOP rating is valid until a date after its decision."),
            ),
            models.CheckConstraint(
                condition=between("score", 0, 100),
                name="ocop_score_0_100",
                violation_error_message=_("An OCOP score is between 0 and 100."),
            ),
            models.UniqueConstraint(
                fields=["product", "decision_no"],
                name="one_ocop_rating_per_product_decision",
                violation_error_message=_("This product already has a rating under this decision."),
            ),
        ]
        verbose_name = _("OCOP rating")
        verbose_name_plural = _("OCOP ratings")

    def __str__(self) -> str:
        return f"{self.product} · {self.stars}★ · {self.decision_no}"

    def is_valid_on(self, day) -> bool:
        return self.decision_date <= day <= self.valid_until

    @property
    def star_text(self) -> str:
        return "★" * self.stars


class ProductPhoto(TimeStamped):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to=RandomUploadPath("products/photos"))
    thumbnail = models.ImageField(upload_to=RandomUploadPath("products/thumbs"), blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
