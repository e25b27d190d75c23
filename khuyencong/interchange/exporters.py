"""Writing the spec's files from records: the same columns as the import (so an export re-imports unchanged).

Written by the project's one writer (`khuyencong.core.exports`): cells a spreadsheet would run as a
formula are written as text cells in XLSX and behind a leading apostrophe in CSV (which the import strips
again).
"""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from khuyencong.accounts import scoping
from khuyencong.core import exports
from khuyencong.geo.selectors import resolve_place
from khuyencong.programme.models import (
    ACTIVITY_LABELS_VI,
    PROGRAMME_LABELS_VI,
    RUNNING_STATUSES,
    STATUS_LABELS_VI,
    Project,
)
from khuyencong.registry.models import (
    ARTISAN_TITLE_LABELS_VI,
    GROUP_LABELS_VI,
    KIND_LABELS_VI,
    OCOP_LEVEL_LABELS_VI,
    Artisan,
    CraftVillage,
    Establishment,
    Product,
)
from khuyencong.registry.selectors import search
from khuyencong.selection.models import LEVEL_LABELS_VI, Result

from .columns import SPECS


def header(kind: str, language: str = "vi") -> list[str]:
    return [c.label if language == "vi" else c.key for c in SPECS[kind]]


def _province_cell(obj) -> str:
    if obj.legacy_province_id:
        return str(obj.legacy_province_id)
    return str(obj.province_id)


def _commune_cell(obj) -> str:
    if obj.commune_id:
        return str(obj.commune_id)
    if obj.legacy_district_id:
        return obj.legacy_district.name
    return ""


def _enum(code, labels, language):
    if not code:
        return ""
    return labels.get(code, code) if language == "vi" else code


def rows(kind: str, queryset: QuerySet, language: str = "vi") -> Iterator[list]:
    """The records of `queryset` as rows of the file of `kind`, streamed."""
    yes, no = ("có", "không") if language == "vi" else ("yes", "no")
    if kind == "establishments":
        # plain tuples, not model instances: an export of the whole country is 300,000 rows
        columns = ("code", "name", "kind", "tax_code", "province_id", "legacy_province_id", "commune_id")
        columns += ("legacy_district__name", "address", "phone", "email", "workers", "founded")
        # the priority of Decree 235/2025 (docs/interchange-beneficiaries.md)
        columns += ("women_owned", "ethnic_minority_owned", "disadvantaged_commune", "priority_evidence")
        values = queryset.order_by("code").values_list(*columns).iterator(chunk_size=2000)
        for code, name, kind_, tax, province, legacy_province, commune, district, *rest in values:
            *contact, women, ethnic, poor, evidence = rest
            yield [
                code,
                name,
                _enum(kind_, KIND_LABELS_VI, language),
                tax or "",
                str(legacy_province or province),  # as _province_cell
                str(commune) if commune else district or "",  # as _commune_cell
                *contact,
                yes if women else no,
                yes if ethnic else no,
                yes if poor else no,
                evidence,
            ]
    elif kind == "products":
        for p in (
            queryset.select_related("establishment")
            .prefetch_related("ocop_ratings")
            .order_by("code")
            .iterator(chunk_size=1000)
        ):
            # the rating that holds longest (the current one, or the last one held)
            ocop = max(p.ocop_ratings.all(), key=lambda r: (r.valid_until, r.decision_date), default=None)
            yield [
                p.code,
                p.establishment.code,
                p.name,
                _enum(p.group, GROUP_LABELS_VI, language),
                p.description,
                ocop.stars if ocop else "",
                _enum(ocop.level, OCOP_LEVEL_LABELS_VI, language) if ocop else "",
                ocop.decision_no if ocop else "",
                ocop.decision_date.strftime("%d/%m/%Y") if ocop else "",
                ocop.valid_until.strftime("%d/%m/%Y") if ocop else "",
            ]
    elif kind == "projects":
        for p in (
            queryset.select_related("establishment", "legacy_district", "craft_village", "artisan")
            .order_by("year", "code")
            .iterator(chunk_size=1000)
        ):
            yield [
                p.code,
                p.year,
                p.title,
                _enum(p.programme, PROGRAMME_LABELS_VI, language),
                _enum(p.activity, ACTIVITY_LABELS_VI, language),
                p.establishment.code if p.establishment_id else "",
                _province_cell(p),
                _commune_cell(p),
                p.support_approved,
                p.support_settled,
                p.counterpart,
                p.jobs,
                _enum(p.status, STATUS_LABELS_VI, language),
                p.machines,
                p.trainees,
                p.craft_village.code if p.craft_village_id else "",
                p.artisan.code if p.artisan_id else "",
                p.total_cost,
                p.decision_no,
                p.decision_date.strftime("%d/%m/%Y") if p.decision_date else "",
            ]
    elif kind == "results":
        qs = queryset.select_related("round", "product").order_by(
            "round__year", "round__code", "product__code"
        )
        for r in qs.iterator(chunk_size=1000):
            yield [
                r.round.code,
                _enum(r.round.level, LEVEL_LABELS_VI, language),
                r.product.code,
                r.score,
                yes if r.certified else no,
                r.certificate_no,
                r.decision_no,
                r.decision_date.strftime("%d/%m/%Y") if r.decision_date else "",
            ]
    elif kind == "villages":
        qs = queryset.select_related("legacy_district").prefetch_related("establishments").order_by("code")
        for v in qs.iterator(chunk_size=1000):
            yield [
                v.code,
                v.name,
                v.trade,
                v.recognition_no,
                v.recognition_date.strftime("%d/%m/%Y"),
                v.recognised_by,
                v.households,
                v.workers,
                _province_cell(v),
                _commune_cell(v),
                v.address,
                v.description,
                "; ".join(sorted(e.code for e in v.establishments.all())),
            ]
    elif kind == "artisans":
        qs = queryset.select_related("legacy_district", "establishment", "craft_village").order_by("code")
        for a in qs.iterator(chunk_size=1000):
            yield [
                a.code,
                a.name,
                _enum(a.title, ARTISAN_TITLE_LABELS_VI, language),
                a.title_year,
                a.trade,
                a.birth_year,
                a.establishment.code if a.establishment_id else "",
                a.craft_village.code if a.craft_village_id else "",
                _province_cell(a),
                _commune_cell(a),
                a.description,
            ]
    else:
        raise ValueError(kind)


def write_csv(stream, kind: str, records: Iterable[list], language: str = "vi") -> None:
    """`stream` is a text stream; write it with encoding utf-8-sig so Excel reads the Vietnamese."""
    exports.write_csv(stream, records, header=header(kind, language))


def write_xlsx(target, kind: str, records: Iterable[list], language: str = "vi") -> None:
    """Write an XLSX workbook (write-only, streamed) to `target` (a path or a binary stream)."""
    exports.write_xlsx(target, [exports.Sheet(kind, records, header=header(kind, language))])


def queryset_for(kind: str, user, params: dict | None = None) -> QuerySet:
    """The records of `kind` the user may read, filtered as a list page filters them.

    params: province (code or name, today's or former), from / to (year), year, q (search), status,
    programme, activity, group, level, kind (legal form), title (artisans), archived.
    """
    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    place = resolve_place(params.get("province")) if params.get("province") else None
    if kind == "establishments":
        qs = Establishment.objects.all()
        qs = qs if user is None else scoping.scope_by_place(user, qs)
        if place:
            qs = qs.filter(place.q())
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
    elif kind == "products":
        qs = Product.objects.all()
        if user is not None:
            qs = scoping.scope_by_place(
                user,
                qs,
                province_field="establishment__province",
                commune_field="establishment__commune",
                establishment_field="establishment",
            )
        if place:
            qs = qs.filter(place.q("establishment__"))
        if params.get("group"):
            qs = qs.filter(group=params["group"])
    elif kind == "projects":
        qs = Project.objects.all()
        if user is not None:
            qs = scoping.scope_by_place(user, qs, establishment_field="establishment")
        if place:
            qs = qs.filter(place.q())
        if params.get("status") == "running":  # the project list's "still running" filter
            qs = qs.filter(status__in=RUNNING_STATUSES)
        elif params.get("status"):
            qs = qs.filter(status=params["status"])
        for field in ("programme", "activity"):
            if params.get(field):
                qs = qs.filter(**{field: params[field]})
        year_field = "year"
    elif kind == "results":
        qs = Result.objects.all()
        if user is not None:
            qs = scoping.scope_by_place(
                user,
                qs,
                province_field="product__establishment__province",
                commune_field="product__establishment__commune",
                establishment_field="product__establishment",
            )
        if place:
            qs = qs.filter(place.q("product__establishment__"))
        if params.get("level"):
            qs = qs.filter(round__level=params["level"])
        if params.get("certified") in ("1", "true", "yes", True):
            qs = qs.filter(certified=True)
        year_field = "round__year"
    elif kind in ("villages", "artisans"):
        from khuyencong.registry import selectors as registry

        if kind == "villages":
            qs = CraftVillage.objects.all() if user is None else registry.visible_craft_villages(user)
        else:
            qs = Artisan.objects.all() if user is None else registry.visible_artisans(user)
            if params.get("title"):
                qs = qs.filter(title=params["title"])
        if place:
            qs = qs.filter(place.q())
    else:
        raise ValueError(kind)
    if place is None and params.get("province"):
        return qs.none()
    if kind in ("projects", "results"):
        if params.get("year"):
            qs = qs.filter(**{year_field: _int(params["year"])})
        if params.get("from"):
            qs = qs.filter(**{f"{year_field}__gte": _int(params["from"])})
        if params.get("to"):
            qs = qs.filter(**{f"{year_field}__lte": _int(params["to"])})
    if kind != "results" and not params.get("archived"):
        qs = qs.filter(archived_at__isnull=True)
    if params.get("q") and kind != "results":
        qs = search(qs, params["q"])
    return qs


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def export(kind: str, queryset: QuerySet, target, fmt: str, language: str = "vi") -> None:
    """Write `queryset` as `fmt` ("xlsx" or "csv") to `target` (binary stream or path)."""
    records = rows(kind, queryset, language)
    if fmt == "xlsx":
        write_xlsx(target, kind, records, language)
    elif fmt == "csv":
        import io

        if isinstance(target, str):
            with open(target, "w", encoding="utf-8-sig", newline="") as fh:
                write_csv(fh, kind, records, language)
        else:
            wrapper = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=True)
            write_csv(wrapper, kind, records, language)
            wrapper.detach()
    else:
        raise ValueError(fmt)
