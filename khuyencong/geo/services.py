"""Loading the administrative units: today's from `vietnam-provinces`, the pre-2025 ones from the shipped file."""

import json
import re
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
_PREFIXES = re.compile(
    r"^(thành phố trung ương|thành phố|tỉnh|thị xã|thị trấn|quận|huyện|phường|xã|đặc khu)\s+", re.IGNORECASE
)


def short_name(name: str) -> str:
    """ "Tỉnh Cà Mau" -> "Cà Mau"; "Phường 1" keeps its prefix, a number alone means nothing."""
    stripped = _PREFIXES.sub("", name).strip()
    return name if stripped.isdigit() else stripped


@transaction.atomic
def load_places(apps=None) -> dict[str, int]:
    """Create or update every unit; repeatable (a second run changes nothing).

    `apps` is a migration's app registry (the data migration loads the places with the schema, through
    the historical models, which have no custom `save()`: search texts are set here, explicitly);
    `khuyencong load_places` calls it with the current models for updates.
    """
    from vietnam_provinces import Province as VP
    from vietnam_provinces import Ward as VW

    from khuyencong.core.text import fold

    if apps is None:
        from django.apps import apps
    Province = apps.get_model("geo", "Province")
    Commune = apps.get_model("geo", "Commune")
    LegacyProvince = apps.get_model("geo", "LegacyProvince")
    LegacyDistrict = apps.get_model("geo", "LegacyDistrict")
    Region = apps.get_model("geo", "Region")

    counts = {"provinces": 0, "communes": 0, "legacy_provinces": 0, "legacy_districts": 0, "regions": 0}
    existing = {p.code: p for p in Province.objects.all()}
    for vp in VP.iter_all():
        code = int(vp.code)
        values = {
            "name": vp.name,
            "short_name": short_name(vp.name),
            "codename": vp.codename,
            "division_type": str(vp.division_type.value),
        }
        values["search_text"] = fold(f"{values['name']} {values['short_name']}")
        current = existing.get(code)
        if current is None or any(getattr(current, k) != v for k, v in values.items()):
            Province(code=code, region_id=current.region_id if current else None, **values).save()
        counts["provinces"] += 1

    have = set(Commune.objects.values_list("code", flat=True))
    new = []
    for w in VW.iter_all():
        code = int(w.code)
        counts["communes"] += 1
        if code in have:
            continue
        name, short = w.name, short_name(w.name)
        new.append(
            Commune(
                code=code,
                name=name,
                short_name=short,
                division_type=str(w.division_type.value),
                province_id=int(w.province_code),
                search_text=fold(f"{name} {short}"),
            )
        )
    Commune.objects.bulk_create(new, batch_size=1000)

    legacy = json.loads((DATA_DIR / "legacy_units.json").read_text(encoding="utf-8"))
    have_lp = set(LegacyProvince.objects.values_list("code", flat=True))
    for p in legacy["provinces"]:
        counts["legacy_provinces"] += 1
        if p["code"] not in have_lp:
            name, short = p["name"], short_name(p["name"])
            LegacyProvince(
                code=p["code"],
                name=name,
                short_name=short,
                successor_id=p["new_province_code"],
                search_text=fold(f"{name} {short}"),
            ).save()
    have_ld = set(LegacyDistrict.objects.values_list("code", flat=True))
    districts = []
    for d in legacy["districts"]:
        counts["legacy_districts"] += 1
        if d["code"] not in have_ld:
            name, short = d["name"], short_name(d["name"])
            districts.append(
                LegacyDistrict(
                    code=d["code"],
                    name=name,
                    short_name=short,
                    legacy_province_id=d["province_code"],
                    search_text=fold(name),
                )
            )
    LegacyDistrict.objects.bulk_create(districts, batch_size=1000)

    regions = json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))
    for r in regions["regions"] if isinstance(regions, dict) else regions:
        region, created = Region.objects.get_or_create(
            code=r["code"], defaults={"name": r["name"], "name_en": r.get("name_en", "")}
        )
        counts["regions"] += 1
        if created:
            Province.objects.filter(code__in=r["province_codes"]).update(region=region)
    return counts
