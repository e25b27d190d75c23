"""Reading places, and resolving what users and files type into them."""

from dataclasses import dataclass

from django.db.models import Q

from khuyencong.core.text import fold

from .models import Commune, LegacyDistrict, LegacyProvince, Province


@dataclass(frozen=True)
class PlaceFilter:
    """A place a report or list is restricted to: today's province, or one former province alone; a
    commune officer's reports add their commune (records of the province placed elsewhere are left out)."""

    province: Province | None = None
    legacy_province: LegacyProvince | None = None
    commune: Commune | None = None

    @property
    def code(self) -> str | None:
        if self.legacy_province:
            return str(self.legacy_province.code)
        return str(self.province.code) if self.province else None

    @property
    def name(self) -> str:
        if self.legacy_province:
            return self.legacy_province.short_name
        if self.commune:
            return f"{self.commune.name}, {self.province.short_name}" if self.province else self.commune.name
        return self.province.short_name if self.province else "Việt Nam"

    def q(self, prefix: str = "") -> Q:
        """A Q object for records with `province`/`legacy_province` (and `commune`) fields (prefix for related
        lookups)."""
        if self.commune:
            return self.province_q(prefix) & Q(**{f"{prefix}commune": self.commune})
        return self.province_q(prefix)

    def province_q(self, prefix: str = "") -> Q:
        """The province part alone, for records placed no lower than a province (rounds)."""
        if self.legacy_province:
            return Q(**{f"{prefix}legacy_province": self.legacy_province})
        if self.province:
            return Q(**{f"{prefix}province": self.province})
        return Q()


def _strip_prefix(folded: str) -> str:
    for prefix in (
        "thanh pho trung uong ",
        "thanh pho ",
        "tinh ",
        "tp. ",
        "tp ",
        "huyen ",
        "quan ",
        "thi xa ",
    ):
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def resolve_province(value) -> Province | None:
    """Today's province by code (`96`, `"08"`) or by name with or without prefix (`Cà Mau`, `tinh ca mau`)."""
    text = str(value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return Province.objects.filter(code=int(text)).first()
    key = _strip_prefix(fold(text))
    for p in Province.objects.all():
        if _strip_prefix(fold(p.short_name)) == key or fold(p.name) == fold(text):
            return p
    return None


def resolve_legacy_province(value) -> LegacyProvince | None:
    text = str(value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return LegacyProvince.objects.filter(code=int(text)).first()
    key = _strip_prefix(fold(text))
    for p in LegacyProvince.objects.all():
        if _strip_prefix(fold(p.short_name)) == key or fold(p.name) == fold(text):
            return p
    return None


def resolve_place(value) -> PlaceFilter | None:
    """A report's `--province`: today's province first; else a former province (its records alone)."""
    if value in (None, ""):
        return PlaceFilter()
    text = str(value).strip()
    if text.isdigit():
        province = Province.objects.filter(code=int(text)).first()
        if province:
            return PlaceFilter(province=province)
        legacy = LegacyProvince.objects.filter(code=int(text)).first()
        return PlaceFilter(legacy_province=legacy) if legacy else None
    province = resolve_province(text)
    if province:
        return PlaceFilter(province=province)
    legacy = resolve_legacy_province(text)
    return PlaceFilter(legacy_province=legacy) if legacy else None


def resolve_commune(value, province: Province | None) -> Commune | None:
    """A commune by code, or by name within `province` (with or without Xã/Phường prefix)."""
    text = str(value or "").strip()
    if not text:
        return None
    if text.isdigit():
        qs = Commune.objects.filter(code=int(text))
        if province:
            qs = qs.filter(province=province)
        return qs.first()
    if province is None:
        return None
    folded = fold(text)
    for c in Commune.objects.filter(province=province):
        if fold(c.name) == folded or fold(c.short_name) == folded:
            return c
    return None


def resolve_legacy_district(
    value, legacy_province: LegacyProvince | None = None, province: Province | None = None
):
    text = str(value or "").strip()
    if not text:
        return None
    qs = LegacyDistrict.objects.select_related("legacy_province")
    if legacy_province:
        qs = qs.filter(legacy_province=legacy_province)
    elif province:
        qs = qs.filter(legacy_province__successor=province)
    if text.isdigit():
        return qs.filter(code=int(text)).first()
    folded = fold(text)
    for d in qs:
        if fold(d.name) == folded or fold(d.short_name) == folded:
            return d
    return None


def _as_id(value):
    value = getattr(value, "pk", value)
    return int(value) if value not in (None, "") and str(value).isdigit() else None


def legacy_provinces_of(province_id=None):
    """The former provinces that became part of this province (all 63 when none is chosen)."""
    qs = LegacyProvince.objects.order_by("short_name")
    province_id = _as_id(province_id)
    return qs.filter(successor_id=province_id) if province_id else qs


def legacy_districts_of(province_id=None, legacy_province_id=None):
    """The former districts of the chosen former province, else of every former province of the chosen
    province (a former province that did not become part of the province is ignored)."""
    qs = LegacyDistrict.objects.select_related("legacy_province").order_by(
        "legacy_province__short_name", "short_name"
    )
    province_id, legacy_province_id = _as_id(province_id), _as_id(legacy_province_id)
    if legacy_province_id and (
        not province_id
        or LegacyProvince.objects.filter(pk=legacy_province_id, successor_id=province_id).exists()
    ):
        return qs.filter(legacy_province_id=legacy_province_id)
    if province_id:
        return qs.filter(legacy_province__successor_id=province_id)
    return qs
