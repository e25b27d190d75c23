"""Users, their role and the place their role covers."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    PROVINCE_OFFICER = "province_officer", _("Province officer")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    NATIONAL_ORGANISER = "national_organiser", _("National organiser")
    JUDGE = "judge", _("Council member")
    ESTABLISHMENT = "establishment", _("Establishment representative")
    VIEWER = "viewer", _("Viewer")


class User(AbstractUser):
    """An account. Its role says what it may do, its place (country, region, province, commune) where.

    A national organiser (the Ministry's agency for industrial promotion) has no place: the country.

    A province officer has `province`; a commune officer has `commune` (and its province); a viewer
    may have a region, a province, or nothing (the whole country); an establishment representative
    has `establishment`. Decisions about what a user may see are taken in `accounts.scoping` only.
    """

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.VIEWER)
    region = models.ForeignKey(
        "geo.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    province = models.ForeignKey(
        "geo.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    commune = models.ForeignKey(
        "geo.Commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune"),
    )
    establishment = models.ForeignKey(
        "registry.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
        verbose_name=_("establishment"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family name first ("Trần Thị Thu")."""
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    @property
    def place_label(self) -> str:
        if self.role == Role.ESTABLISHMENT and self.establishment_id:
            return str(self.establishment)
        if self.commune_id:
            return f"{self.commune}, {self.province}"
        if self.province_id:
            return str(self.province)
        if self.region_id:
            return str(self.region)
        return str(_("Whole country"))
