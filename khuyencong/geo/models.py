"""Vietnam's administrative units: today's (after the 2025 reform) and the pre-2025 ones that old records name."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from khuyencong.core.text import fold


class Region(models.Model):
    """A grouping of provinces used for regional selection rounds (editable)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    """One of the 34 provinces and centrally-run cities since 1 July 2025."""

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100)
    codename = models.CharField(max_length=100)
    division_type = models.CharField(_("type"), max_length=40)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provinces",
        verbose_name=_("region"),
    )
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.short_name


class Commune(models.Model):
    """A commune, ward or special zone (xã / phường / đặc khu) after the 2025 reform."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100)
    division_type = models.CharField(_("type"), max_length=40)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["province_id", "short_name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name


class LegacyProvince(models.Model):
    """One of the 63 provinces before 1 July 2025, with the province it became part of."""

    code = models.PositiveSmallIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100)
    successor = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="legacy_provinces",
        verbose_name=_("today's province"),
    )
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("former province")
        verbose_name_plural = _("former provinces")

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(models.Model):
    """A district (huyện, quận, thị xã, thành phố thuộc tỉnh) abolished in 2025."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100)
    legacy_province = models.ForeignKey(
        LegacyProvince, on_delete=models.PROTECT, related_name="districts", verbose_name=_("former province")
    )
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["legacy_province_id", "short_name"]
        verbose_name = _("former district")
        verbose_name_plural = _("former districts")

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.name}, {self.legacy_province.short_name}"
