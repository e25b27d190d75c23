"""The programme summary and its breakdowns, computed by aggregate queries in the database.

The counting rules are those of the interchange spec ("What the programme summary counts"):
support, counterpart and jobs of the *settled* projects of the period (by plan year); running
projects (approved … accepted) apart; rounds held at the place's own level; distinct products of
the place certified per level. Nothing here loops over records in Python.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions
from khuyencong.geo.models import Province
from khuyencong.geo.selectors import PlaceFilter, resolve_place
from khuyencong.programme.models import RUNNING_STATUSES, Project
from khuyencong.registry.models import Establishment
from khuyencong.selection.models import LEVEL_ORDER, Result, Round

SETTLED = "settled"
ZERO = Value(0, output_field=IntegerField())


@dataclass(frozen=True)
class Period:
    from_year: int | None = None
    to_year: int | None = None

    def q(self, field: str) -> Q:
        q = Q()
        if self.from_year is not None:
            q &= Q(**{f"{field}__gte": self.from_year})
        if self.to_year is not None:
            q &= Q(**{f"{field}__lte": self.to_year})
        return q


class PlaceNotFound(ValueError):
    pass


def place_for(value) -> PlaceFilter:
    """`--province` as typed (code or name, today's or former); the whole country when empty."""
    place = resolve_place(value)
    if place is None:
        raise PlaceNotFound(_("No province or former province “%(value)s”.") % {"value": value})
    return place


def allowed_place(user, value) -> PlaceFilter:
    """The place a user may report on: the one asked for if their scope covers it, else their own.

    The Ministry (admins, viewers without a place) sees the country; a province's officers and
    viewers their province (or one of its former provinces); a region's viewers a province of it.
    """
    if not permissions.reads_reports(user):
        raise PermissionDenied(_("Reports are for officers and viewers."))
    wanted = place_for(value) if value not in (None, "") else None
    if permissions.is_country_wide(user):
        return wanted or PlaceFilter()
    if permissions.is_commune_officer(user):
        # their commune: the province's other communes are not theirs to read, in totals or rows
        if not user.commune_id or (
            wanted and (wanted.province is None or wanted.province.code != user.province_id)
        ):
            raise PermissionDenied(_("You may only see the reports of %(place)s.") % {"place": user.commune})
        return PlaceFilter(province=user.commune.province, commune=user.commune)
    if user.province_id:
        own = Province.objects.get(code=user.province_id)
        if wanted and wanted.province and wanted.province.code == own.code:
            return wanted
        if wanted and wanted.legacy_province and wanted.legacy_province.successor_id == own.code:
            return wanted
        if wanted:
            raise PermissionDenied(_("You may only see the reports of %(place)s.") % {"place": own})
        return PlaceFilter(province=own)
    if user.region_id:
        if wanted:
            province_id = (
                wanted.province.code
                if wanted.province
                else wanted.legacy_province.successor_id
                if wanted.legacy_province
                else None
            )
            if province_id and Province.objects.filter(code=province_id, region_id=user.region_id).exists():
                return wanted
            raise PermissionDenied(_("You may only see the reports of your region's provinces."))
        first = Province.objects.filter(region_id=user.region_id).order_by("short_name").first()
        return PlaceFilter(province=first)
    raise PermissionDenied(_("Your account covers no place."))


# --- the rows behind each figure -------------------------------------------------------------------
def projects(place: PlaceFilter, period: Period) -> QuerySet[Project]:
    return Project.objects.filter(place.q(), period.q("year"), archived_at__isnull=True)


def settled_projects(place, period, programme: str | None = None) -> QuerySet[Project]:
    qs = projects(place, period).filter(status=SETTLED)
    return qs.filter(programme=programme) if programme else qs


def running_projects(place, period) -> QuerySet[Project]:
    return projects(place, period).filter(status__in=RUNNING_STATUSES)


def own_level(place: PlaceFilter) -> str:
    return "province" if (place.province or place.legacy_province) else "national"


def rounds(place: PlaceFilter, period: Period) -> QuerySet[Round]:
    """The place's own rounds: a province's province-level rounds (the country's national ones)."""
    return Round.objects.filter(place.province_q(), period.q("year"), level=own_level(place))


def provinces_own_rounds(period: Period) -> int:
    """Province-level rounds of the period across the country (the whole-country summary counts national
    rounds as its own; this says how many the provinces held)."""
    return Round.objects.filter(period.q("year"), level="province").count()


def certified_results(place, period, level: str | None = None) -> QuerySet[Result]:
    qs = Result.objects.filter(place.q("product__establishment__"), period.q("round__year"), certified=True)
    return qs.filter(round__level=level) if level else qs


def certified_products(place, period, level: str):
    from khuyencong.registry.models import Product

    return Product.objects.filter(
        pk__in=certified_results(place, period, level).values("product_id")
    ).select_related("establishment")


# --- the summary ------------------------------------------------------------------------------------
def summary_levels() -> list[str]:
    """The levels the summary's `certified` carries: the spec's four, and `commune` once commune rounds exist
    (interchange spec: "0 before July 2025"), so a database of history alone answers the spec's shape."""
    if Round.objects.filter(level="commune").exists():
        return list(LEVEL_ORDER)
    return [level for level in LEVEL_ORDER if level != "commune"]


def summary(place: PlaceFilter, period: Period) -> dict:
    """The spec's summary object (amounts in VND)."""
    money = settled_projects(place, period).aggregate(
        total=Coalesce(Sum("support_settled"), ZERO),
        national=Coalesce(Sum("support_settled", filter=Q(programme="national")), ZERO),
        local=Coalesce(Sum("support_settled", filter=Q(programme="local")), ZERO),
        counterpart=Coalesce(Sum("counterpart"), ZERO),
        jobs=Coalesce(Sum("jobs"), ZERO),
        projects=Count("pk"),
    )
    running = running_projects(place, period).aggregate(
        projects=Count("pk"), approved=Coalesce(Sum("support_approved"), ZERO)
    )
    per_level = dict(
        certified_results(place, period)
        .order_by()
        .values_list("round__level")
        .annotate(n=Count("product_id", distinct=True))
    )
    return {
        "place": {"province": place.code, "name": place.name},
        "from_year": period.from_year,
        "to_year": period.to_year,
        "rounds": rounds(place, period).count(),
        "certified": {level: per_level.get(level, 0) for level in summary_levels()},
        "support": {"total": money["total"], "national": money["national"], "local": money["local"]},
        "counterpart": money["counterpart"],
        "jobs": money["jobs"],
        "running": {"projects": running["projects"], "approved": running["approved"]},
        "settled_projects": money["projects"],
    }


# --- breakdowns -------------------------------------------------------------------------------------
_MONEY_AGG = {
    "projects": Count("pk"),
    "support": Coalesce(Sum("support_settled"), ZERO),
    "national": Coalesce(Sum("support_settled", filter=Q(programme="national")), ZERO),
    "local": Coalesce(Sum("support_settled", filter=Q(programme="local")), ZERO),
    "counterpart": Coalesce(Sum("counterpart"), ZERO),
    "jobs": Coalesce(Sum("jobs"), ZERO),
}


def by_year(place, period) -> list[dict]:
    return list(
        settled_projects(place, period).order_by().values("year").annotate(**_MONEY_AGG).order_by("year")
    )


def by_activity(place, period) -> list[dict]:
    return list(
        settled_projects(place, period)
        .order_by()
        .values("activity")
        .annotate(**_MONEY_AGG)
        .order_by("-support")
    )


def by_programme(place, period) -> list[dict]:
    return list(
        settled_projects(place, period)
        .order_by()
        .values("programme")
        .annotate(**_MONEY_AGG)
        .order_by("programme")
    )


# The beneficiary's priority of Decree 235/2025/NĐ-CP, as the establishment records it
PRIORITY_FLAGS = ("women_owned", "ethnic_minority_owned", "disadvantaged_commune")


def priority_q(flag: str) -> Q:
    """The settled projects whose beneficiary establishment carries `flag` ("none": no flag, or no establishment)."""
    if flag == "none":
        any_flag = Q()
        for f in PRIORITY_FLAGS:
            any_flag |= Q(**{f"establishment__{f}": True})
        return Q(establishment__isnull=True) | ~any_flag
    if flag not in PRIORITY_FLAGS:
        raise ValueError(flag)
    return Q(**{f"establishment__{flag}": True})


def by_priority(place, period) -> list[dict]:
    """Support of the settled projects by the beneficiary establishment's priority flags: one row per flag
    (a project of an establishment with two flags counts in both rows), then the projects with none. The
    flag rows are overlapping groups, so only "none" plus the projects with any flag add up to the total."""
    qs = settled_projects(place, period)
    return [
        {"flag": flag, **qs.filter(priority_q(flag)).aggregate(**_MONEY_AGG)}
        for flag in (*PRIORITY_FLAGS, "none")
    ]


BENEFICIARY_KINDS = ("establishment", "craft_village", "artisan", "none")


def beneficiary_q(kind: str) -> Q:
    if kind == "establishment":
        return Q(establishment__isnull=False)
    if kind == "craft_village":
        return Q(craft_village__isnull=False)
    if kind == "artisan":
        return Q(artisan__isnull=False)
    if kind == "none":
        return Q(establishment__isnull=True, craft_village__isnull=True, artisan__isnull=True)
    raise ValueError(kind)


def by_beneficiary(place, period) -> list[dict]:
    """Support of the settled projects by kind of beneficiary (Decree 235/2025): establishments, craft
    villages, artisans, and projects with none named (e.g. fairs, the agency's own capacity). The rows add
    up to the summary's total: a project names one beneficiary at most (a database constraint)."""
    qs = settled_projects(place, period)
    rows = [
        {"kind": kind, **qs.filter(beneficiary_q(kind)).aggregate(**_MONEY_AGG)} for kind in BENEFICIARY_KINDS
    ]
    return [r for r in rows if r["projects"] or r["kind"] == "establishment"]


def by_commune(place, period) -> list[dict]:
    """Ranked list of communes (or former districts for records placed only there) by support."""
    return list(
        settled_projects(place, period)
        .order_by()
        .values("commune_id", "commune__name", "legacy_district_id", "legacy_district__name")
        .annotate(**_MONEY_AGG)
        .order_by("-support", "commune__name")
    )


def certified_by_group(place, period) -> list[dict]:
    aggregates = {
        level: Count("product_id", distinct=True, filter=Q(round__level=level)) for level in LEVEL_ORDER
    }
    return list(
        certified_results(place, period)
        .order_by()
        .values("product__group")
        .annotate(**aggregates)
        .order_by("product__group")
    )


def _earlier_certification(period):
    """A certified result of the same product at the same level in an earlier year of the period."""
    return Result.objects.filter(
        period.q("round__year"),
        product_id=OuterRef("product_id"),
        round__level=OuterRef("round__level"),
        round__year__lt=OuterRef("round__year"),
        certified=True,
    )


def certified_by_round(place, period) -> list[dict]:
    """Products certified per level and round year, each product counted once per level: in the year of its
    first certificate at that level in the period. The bars then add up to the summary's `certified` figures;
    a product certified again later is counted by `recertified` instead."""
    return list(
        certified_results(place, period)
        .filter(~Exists(_earlier_certification(period)))
        .order_by()
        .values("round__year", "round__level")
        .annotate(products=Count("product_id", distinct=True))
        .order_by("round__year", "round__level")
    )


def recertified(place, period) -> int:
    """Certificates of the period given to a product already certified at that level in an earlier year (they
    are not counted again in the certified figures)."""
    return (
        certified_results(place, period)
        .filter(Exists(_earlier_certification(period)))
        .order_by()
        .values("product_id", "round__level", "round__year")
        .distinct()
        .count()
    )


# --- the page's breakdowns in single grouped passes ---------------------------------------------------
_MONEY_KEYS = tuple(_MONEY_AGG)


def _add(totals: dict, row: dict) -> None:
    for key in _MONEY_KEYS:
        totals[key] += row[key]


def _empty_money() -> dict:
    return dict.fromkeys(_MONEY_KEYS, 0)


def money_breakdowns(place, period) -> dict:
    """`by_year`, `by_activity`, `by_programme`, `by_beneficiary` and `by_priority` in two grouped passes over the
    settled projects, read from the projects' report index alone: one grouped by year, activity and programme (a
    few hundred groups at most) with each kind of beneficiary's sums, added up here; one over the projects of a
    flagged establishment only, grouped by the flags (the only rows joined to the registry), "none" being the
    rest. The sums are integers, so each list equals its own selector's, row for row
    (tests/reports/test_scale_selectors.py holds them to it)."""
    settled = settled_projects(place, period).order_by()
    # the kinds of beneficiary as conditional sums within the groups (grouping by the kind as well made
    # PostgreSQL expect a group per row and sort them all, on disk)
    per_kind = {}
    for k in BENEFICIARY_KINDS:
        q = beneficiary_q(k)
        per_kind[f"{k}_projects"] = Count("pk", filter=q)
        for key, field in (("support", "support_settled"), ("counterpart", "counterpart"), ("jobs", "jobs")):
            per_kind[f"{k}_{key}"] = Coalesce(Sum(field, filter=q), ZERO)
    total = _empty_money()
    years, activities, programmes = {}, {}, {}
    kinds = {k: _empty_money() for k in BENEFICIARY_KINDS}
    for row in settled.values("year", "activity", "programme").annotate(**per_kind, **_MONEY_AGG):
        for totals in (
            total,
            years.setdefault(row["year"], _empty_money()),
            activities.setdefault(row["activity"], _empty_money()),
            programmes.setdefault(row["programme"], _empty_money()),
        ):
            _add(totals, row)
        for k, totals in kinds.items():
            for key in ("projects", "support", "counterpart", "jobs"):
                totals[key] += row[f"{k}_{key}"]
            if row["programme"] in ("national", "local"):
                totals[row["programme"]] += row[f"{k}_support"]
    any_flag = Q()
    for flag in PRIORITY_FLAGS:
        any_flag |= Q(**{flag: True})
    flagged = settled.filter(establishment__in=Establishment.objects.filter(any_flag).values("pk"))
    priority = {flag: _empty_money() for flag in PRIORITY_FLAGS}
    none = dict(total)
    for row in flagged.values(*(f"establishment__{flag}" for flag in PRIORITY_FLAGS)).annotate(**_MONEY_AGG):
        for flag in PRIORITY_FLAGS:
            if row[f"establishment__{flag}"]:
                _add(priority[flag], row)
        for key in _MONEY_KEYS:
            none[key] -= row[key]
    priority["none"] = none
    return {
        "by_year": [{"year": y, **years[y]} for y in sorted(years)],
        "by_activity": [
            {"activity": a, **t}
            for a, t in sorted(activities.items(), key=lambda item: (-item[1]["support"], item[0]))
        ],
        "by_programme": [{"programme": p, **programmes[p]} for p in sorted(programmes)],
        "by_priority": [{"flag": flag, **totals} for flag, totals in priority.items()],
        "by_beneficiary": [
            {"kind": k, **t} for k, t in kinds.items() if t["projects"] or k == "establishment"
        ],
    }


def certification_breakdowns(place, period) -> dict:
    """`certified_by_group`, `certified_by_round` and `recertified` from one pass: the distinct (product, level,
    year) of the period's certified results (a product's certificates, tens of thousands for the whole country),
    each product's first year per level taken here instead of a correlated `NOT EXISTS` per result."""
    rows = (
        certified_results(place, period)
        .order_by()
        .values_list("product_id", "round__level", "round__year", "product__group")
        .distinct()
    )
    first: dict[tuple, int] = {}
    groups: dict[str, dict[str, set]] = {}
    triples = 0
    for product, level, year, group in rows:
        triples += 1
        key = (product, level)
        if key not in first or year < first[key]:
            first[key] = year
        groups.setdefault(group, {}).setdefault(level, set()).add(product)
    by_round: dict[tuple, int] = {}
    for (_product, level), year in first.items():
        by_round[(year, level)] = by_round.get((year, level), 0) + 1
    return {
        "by_group": [
            {"product__group": g, **{level: len(groups[g].get(level, ())) for level in LEVEL_ORDER}}
            for g in sorted(groups)
        ],
        # ordered as the database orders (year, level): the level by its code
        "by_round": [
            {"round__year": y, "round__level": level, "products": n}
            for (y, level), n in sorted(by_round.items())
        ],
        "recertified": triples - len(first),
    }


def ratio(numerator, denominator, places: int = 2) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )


def _place_sql(place: PlaceFilter, alias: str) -> tuple[str, list]:
    if place.commune:
        return f" AND {alias}.commune_id = %s", [place.commune.code]
    if place.legacy_province:
        return f" AND {alias}.legacy_province_id = %s", [place.legacy_province.code]
    if place.province:
        return f" AND {alias}.province_id = %s", [place.province.code]
    return "", []


def _live_establishments(place: PlaceFilter, alias: str) -> tuple[str, list]:
    """`IN`/`NOT IN` the place's establishments not archived, for an establishment id column: for the whole
    country the few archived ones are left out (a set read from an index), for a place its own are looked up,
    instead of joining each row to the registry's table."""
    from django.db import connection

    table = connection.ops.quote_name(Establishment._meta.db_table)
    if not place.code and not place.commune:
        return f"NOT IN (SELECT {alias}.id FROM {table} {alias} WHERE {alias}.archived_at IS NOT NULL)", []
    place_sql, params = _place_sql(place, alias)
    return f"IN (SELECT {alias}.id FROM {table} {alias} WHERE {alias}.archived_at IS NULL{place_sql})", params


def establishment_outcomes(place: PlaceFilter, period: Period) -> dict:
    """Establishments of the place supported in the period (a settled or running project) and not, and how many of
    each had a product certified at each level: the supported ones in or after their first supported year, the
    others ever. One query over the two small sets, never the whole registry: the supported establishments
    with their first supported year, and the establishments with a certified product with, per level, the
    latest year (both grouped once); the unsupported are the place's establishments (counted from an index)
    less the supported."""
    from django.db import connection

    from khuyencong.registry.models import Product

    qn = connection.ops.quote_name
    est, proj = Establishment._meta.db_table, Project._meta.db_table
    res, rnd, prod = Result._meta.db_table, Round._meta.db_table, Product._meta.db_table
    place_e, params_e = _place_sql(place, "e")
    live_e2, params_e2 = _live_establishments(place, "e2")
    live_e3, params_e3 = _live_establishments(place, "e3")
    statuses = (SETTLED, *RUNNING_STATUSES)
    years, year_params = "", []
    if period.from_year is not None:
        years, year_params = years + " AND pj.year >= %s", [*year_params, period.from_year]
    if period.to_year is not None:
        years, year_params = years + " AND pj.year <= %s", [*year_params, period.to_year]
    last = ", ".join(
        f"MAX(CASE WHEN r.level = '{level}' THEN r.year END) AS last_{level}" for level in LEVEL_ORDER
    )
    counts = ", ".join(
        f"SUM(CASE WHEN s.first_year IS NOT NULL AND c.last_{level} >= s.first_year THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN s.first_year IS NULL AND c.last_{level} IS NOT NULL THEN 1 ELSE 0 END)"
        for level in LEVEL_ORDER
    )
    sql = f"""
        WITH s AS (
            SELECT pj.establishment_id, MIN(pj.year) AS first_year
            FROM {qn(proj)} pj
            WHERE pj.archived_at IS NULL AND pj.establishment_id IS NOT NULL
              AND pj.status IN ({", ".join(["%s"] * len(statuses))}){years}
              AND pj.establishment_id {live_e2}
            GROUP BY pj.establishment_id
        ), c AS (
            SELECT p.establishment_id, {last}
            FROM {qn(res)} x JOIN {qn(rnd)} r ON r.id = x.round_id
            JOIN {qn(prod)} p ON p.id = x.product_id
            WHERE x.certified = %s AND p.establishment_id {live_e3}
            GROUP BY p.establishment_id
        )
        SELECT (SELECT COUNT(*) FROM s),
               (SELECT COUNT(*) FROM {qn(est)} e WHERE e.archived_at IS NULL{place_e}) - (SELECT COUNT(*) FROM s),
               {counts}
        FROM c LEFT JOIN s ON s.establishment_id = c.establishment_id"""
    params = [*statuses, *year_params, *params_e2, True, *params_e3, *params_e]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = [int(v or 0) for v in cur.fetchone()]
    out = {"supported": row[0], "unsupported": row[1]}
    for i, level in enumerate(LEVEL_ORDER):
        out[f"s_{level}"], out[f"u_{level}"] = row[2 + 2 * i], row[3 + 2 * i]
    return out


def certified_with_ocop(place, period, today=None) -> dict:
    """CNNT-certified products of the place and period that also hold OCOP stars valid today (the sister
    programme): how many, their share, and how many at 3, 4 and 5 stars (a product counted at its best rating)."""
    from django.db.models import Max
    from django.utils import timezone

    from khuyencong.registry.models import OcopRating

    today = today or timezone.localdate()
    certified = certified_results(place, period).order_by().values("product_id")
    # from the ratings valid today of the certified products (a few thousand), never a subquery per product
    best = (
        OcopRating.objects.filter(decision_date__lte=today, valid_until__gte=today, product_id__in=certified)
        .order_by()
        .values("product_id")
        .annotate(best=Max("stars"))
        .values_list("best", flat=True)
    )
    by_stars = {stars: 0 for stars in (1, 2, 3, 4, 5)}
    for stars in best:  # one row per product with valid stars
        by_stars[stars] += 1
    total = certified.distinct().count()
    with_ocop = sum(by_stars.values())
    return {
        "certified": total,
        "with_ocop": with_ocop,
        "share": ratio(100 * with_ocop, total, 1),
        "by_stars": [
            {"stars": stars, "products": n} for stars, n in sorted(by_stars.items()) if stars >= 3 or n
        ],
    }


def effectiveness(
    place, period, *, summary_: dict | None = None, activities: list[dict] | None = None
) -> dict:
    """Leverage (counterpart ÷ support), support per job, and the share of supported establishments
    later certified at each level against establishments never supported."""
    s = summary_ or summary(place, period)
    activities = [
        {
            **row,
            "leverage": ratio(row["counterpart"], row["support"]),
            "per_job": ratio(row["support"], row["jobs"], 0),
        }
        for row in (by_activity(place, period) if activities is None else activities)
    ]
    counts = establishment_outcomes(place, period)
    shares = [
        {
            "level": level,
            "supported": counts[f"s_{level}"],
            "supported_share": ratio(100 * counts[f"s_{level}"], counts["supported"], 1),
            "unsupported": counts[f"u_{level}"],
            "unsupported_share": ratio(100 * counts[f"u_{level}"], counts["unsupported"], 1),
        }
        for level in LEVEL_ORDER
    ]
    return {
        "leverage": ratio(s["counterpart"], s["support"]["total"]),
        "support_per_job": ratio(s["support"]["total"], s["jobs"], 0),
        "activities": activities,
        "establishments_supported": counts["supported"],
        "establishments_unsupported": counts["unsupported"],
        "certification_shares": shares,
        "ocop": certified_with_ocop(place, period),
    }


def summary_by_province(period: Period) -> list[dict]:
    """The summary of every province in one pass per figure (GROUP BY province), in the shape of `summary`."""
    money = (
        Project.objects.filter(period.q("year"), archived_at__isnull=True, status=SETTLED)
        .order_by()
        .values("province_id")
        .annotate(
            total=Coalesce(Sum("support_settled"), ZERO),
            national=Coalesce(Sum("support_settled", filter=Q(programme="national")), ZERO),
            local=Coalesce(Sum("support_settled", filter=Q(programme="local")), ZERO),
            counterpart=Coalesce(Sum("counterpart"), ZERO),
            jobs=Coalesce(Sum("jobs"), ZERO),
            projects=Count("pk"),
        )
    )
    money = {r["province_id"]: r for r in money}
    running = {
        r["province_id"]: r
        for r in Project.objects.filter(
            period.q("year"), archived_at__isnull=True, status__in=RUNNING_STATUSES
        )
        .order_by()
        .values("province_id")
        .annotate(projects=Count("pk"), approved=Coalesce(Sum("support_approved"), ZERO))
    }
    rounds_ = dict(
        Round.objects.filter(period.q("year"), level="province", province__isnull=False)
        .order_by()
        .values_list("province_id")
        .annotate(n=Count("pk"))
    )
    certified: dict[int, dict[str, int]] = {}
    for province_id, level, n in (
        Result.objects.filter(period.q("round__year"), certified=True)
        .order_by()
        .values_list("product__establishment__province_id", "round__level")
        .annotate(n=Count("product_id", distinct=True))
    ):
        certified.setdefault(province_id, {})[level] = n
    out = []
    levels = summary_levels()
    for province in Province.objects.order_by("code"):
        m, r, c = (
            money.get(province.code, {}),
            running.get(province.code, {}),
            certified.get(province.code, {}),
        )
        out.append(
            {
                "place": {"province": str(province.code), "name": province.short_name},
                "from_year": period.from_year,
                "to_year": period.to_year,
                "rounds": rounds_.get(province.code, 0),
                "certified": {level: c.get(level, 0) for level in levels},
                "support": {
                    "total": m.get("total", 0),
                    "national": m.get("national", 0),
                    "local": m.get("local", 0),
                },
                "counterpart": m.get("counterpart", 0),
                "jobs": m.get("jobs", 0),
                "running": {"projects": r.get("projects", 0), "approved": r.get("approved", 0)},
                "settled_projects": m.get("projects", 0),
            }
        )
    return out
