"""Row handlers for the four files: parse a row into model values, and find what it matches in the database.

Each handler turns a row (column key -> raw cell) into `values` (model attribute -> value, foreign
keys as `*_id`) or a list of (column key, reason) errors. Rows are matched by code (results by
round and product), so importing the same file twice changes nothing.

A parsed row then becomes the record it would be (`build`), checked by the same rules as the forms
(the model's field validators and the domain's own checks, `check`), and a chunk of them is written
at once (`write`): `bulk_create`/`bulk_update`, the audit entries and, for projects, the steps of the
programme's transition table, recorded as imported.
"""

import copy
import sqlite3

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import OperationalError, connection, models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import scoping
from khuyencong.accounts.permissions import can_manage_round
from khuyencong.core.money import format_vnd
from khuyencong.core.text import TextRefused, canonical_code, fold
from khuyencong.geo import selectors as geo
from khuyencong.geo.models import Commune, LegacyDistrict, LegacyProvince, Province
from khuyencong.programme.models import (
    ACTIVITY_LABELS_VI,
    PROGRAMME_LABELS_VI,
    STATUS_LABELS_VI,
    Activity,
    Programme,
    Project,
    ProjectStatus,
)
from khuyencong.registry.models import (
    ARTISAN_TITLE_LABELS_VI,
    GROUP_LABELS_VI,
    KIND_LABELS_VI,
    OCOP_LEVEL_LABELS_VI,
    Artisan,
    CraftVillage,
    Establishment,
    EstablishmentKind,
    OcopLevel,
    Product,
    ProductGroup,
    validate_tax_code,
)
from khuyencong.selection.models import LEVEL_LABELS_VI, Level, Result, Round

from . import cells
from .cells import CellError

LEVEL_WORDS = {"district": "HUYEN", "province": "TINH", "region": "VUNG", "national": "QG"}
HISTORICAL_YEAR_LIMIT = 2025  # districts were abolished on 1 July 2025


class Places:
    """Resolves typed places with caches (a file names the same few places thousands of times)."""

    def __init__(self):
        self._province = {}
        self._commune = {}
        self._district = {}
        self._province_raw = BoundedCache()
        self.province_region = dict(Province.objects.values_list("code", "region_id"))
        self.legacy_successor = dict(LegacyProvince.objects.values_list("code", "successor_id"))
        self._communes_of = {}

    def province(self, value):
        """(province_id, legacy_province_id) from today's or a former province, by code or name."""
        if type(value) is str and value in self._province_raw:  # the same cell as before: no folding
            return self._province_raw[value]
        found = self._province_of(value)
        if type(value) is str:
            self._province_raw[value] = found
        return found

    def _province_of(self, value):
        key = fold(cells.text(value))
        if key not in self._province:
            raw = cells.text(value)
            found = None
            today = geo.resolve_province(raw)
            if today:
                found = (today.code, None)
            else:
                legacy = geo.resolve_legacy_province(raw)
                if legacy:
                    found = (legacy.successor_id, legacy.code)
            self._province[key] = found
        return self._province[key]

    def commune(self, value, province_id, legacy_province_id, historical: bool):
        """(commune_id, legacy_district_id, legacy_province_id) or None: a commune of the province, or an abolished district."""  # noqa: E501
        raw = cells.text(value)
        key = (fold(raw), province_id, legacy_province_id, historical)
        if key not in self._commune:
            found = None
            commune = self._known_commune(raw, province_id)
            province = None
            if commune is None:
                province = Province(code=province_id)
                commune = geo.resolve_commune(raw, province)
            if commune:
                found = (commune.code, None, legacy_province_id)
            elif historical:
                district = geo.resolve_legacy_district(
                    raw, LegacyProvince(code=legacy_province_id) if legacy_province_id else None, province
                )
                if district:
                    found = (None, district.code, district.legacy_province_id)
            self._commune[key] = found
        return self._commune[key]

    def _known_commune(self, raw: str, province_id):
        """`geo.resolve_commune(raw, province)` from one read of the province's communes (a file names thousands
        of communes: one query each otherwise, and a scan of the province's communes for each name)."""
        if province_id not in self._communes_of:
            by_code, by_name = {}, {}
            for commune in Commune.objects.filter(province_id=province_id):  # resolve_commune's order
                by_code[commune.code] = commune
                for name in (commune.name, commune.short_name):
                    by_name.setdefault(fold(name), commune)
            self._communes_of[province_id] = (by_code, by_name)
        by_code, by_name = self._communes_of[province_id]
        text = raw.strip()
        if not text:
            return None
        return by_code.get(int(text)) if text.isdigit() else by_name.get(fold(text))

    def district_name(self, district_id) -> str:
        if district_id not in self._district:
            self._district[district_id] = (
                LegacyDistrict.objects.filter(code=district_id).values_list("name", flat=True).first()
            )
        return self._district[district_id]


class SeenKeys:
    """Keys already met earlier in the file, kept by the database (a temporary table), not in memory.

    An import of 400,000 rows would otherwise hold every code and tax code it has read (~200 bytes a
    row). The table lives as long as the connection; `clear` empties it for the next pass or file.
    """

    TABLE = "interchange_seen_keys"

    def clear(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                _temporary_tables_on_disk(cursor)
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.TABLE} "
                "(ns VARCHAR(10) NOT NULL, k TEXT NOT NULL, v TEXT NOT NULL, PRIMARY KEY (ns, k))"
            )
            cursor.execute(f"DELETE FROM {self.TABLE}")

    def first(self, ns: str, pairs: dict[str, str]) -> dict[str, str]:
        """For keys of `pairs` met before, the value first given with them; then remember the new ones."""
        if not pairs:
            return {}
        keys = list(pairs)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT k, v FROM {self.TABLE} WHERE ns = %s AND k IN ({', '.join(['%s'] * len(keys))})",
                [ns, *keys],
            )
            found = dict(cursor.fetchall())
            new = [(ns, k, v) for k, v in pairs.items() if k not in found]
            cursor.executemany(f"INSERT INTO {self.TABLE} (ns, k, v) VALUES (%s, %s, %s)", new)
        return found


def _temporary_tables_on_disk(cursor) -> None:
    """SQLite: keep this connection's temporary tables in a temporary file (`temp_store=FILE`), not in memory.

    The settings keep them in memory (`temp_store=MEMORY`, for the pages' sorts), but the seen keys of an
    import grow with its rows: ~13 MiB of the process's memory per 100,000 rows (the +17.6 % peak memory of
    a 400,000-row import against a 100,000-row one). In a file, only the temporary database's small page cache
    stays in memory. SQLite changes it only while the connection holds no temporary table inside a
    transaction; otherwise the keys stay in memory, as before.
    """
    cursor.execute("PRAGMA temp_store")
    if cursor.fetchone()[0] == 1:  # already FILE
        return
    try:
        cursor.execute("PRAGMA temp_store=FILE")
    except (OperationalError, sqlite3.OperationalError):  # "temporary storage cannot be changed from within a
        # transaction" (from Django's cursor, or from sqlite3's own)
        pass


class BoundedCache(dict):
    """A lookup cache that forgets everything past `limit` entries (memory stays flat however long the file)."""

    def __init__(self, limit: int = 20_000):
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value):
        if len(self) >= self.limit:
            self.clear()
        super().__setitem__(key, value)


def _text_field(raw, model, field: str, *, required: bool = False) -> str:
    value = cells.text(raw)
    if required and not value:
        raise CellError(_("required"))
    limit = model._meta.get_field(field).max_length
    if limit and len(value) > limit:
        raise CellError(_("longer than %(limit)s characters") % {"limit": limit})
    return value


class Handler:
    """Base: parse rows of one file, match them to records, write them."""

    model = None
    label_of_key: dict[str, str] = {}
    # check and write in one pass (services.import_file): only where checking a row cannot depend on what the
    # rows before it in the file wrote, beyond what the duplicate checks already refuse
    one_pass = False

    def __init__(self, user, places: Places | None = None):
        self.user = user
        self.places = places or Places()
        self.seen = SeenKeys()
        # (repr of the key, errors, index, column, message or None, key) waiting for the chunk's duplicate check
        self._pending = []
        self.audit_data = None  # what the audit entries say of where the change came from
        self._excludes = BoundedCache(100)  # the fields `check` leaves out, by the fields a row fills

    def start_pass(self) -> None:
        """Before each pass over the file: nothing seen yet."""
        self.seen.clear()
        self._pending.clear()

    # --- helpers -------------------------------------------------------------------------
    def may_edit(self, province_id, commune_id) -> bool:
        return self.user is None or scoping.can_edit_place(self.user, province_id, commune_id)

    def may_edit_record(self, obj) -> bool:
        """May the user change this existing record (matched by its key) where it is today?"""
        return self.may_edit(obj.province_id, obj.commune_id)

    def place(self, row, values, errors, *, historical: bool = True):
        """Fill province/commune/legacy fields from the row's province and commune cells."""
        if "province" not in row:
            return
        raw = row["province"]
        if cells.is_blank(raw):
            errors.append(("province", _("required")))
            return
        found = self.places.province(raw)
        if not found:
            errors.append(
                ("province", _("no province or former province “%(value)s”") % {"value": cells.text(raw)})
            )
            return
        province_id, legacy_province_id = found
        values["province_id"] = province_id
        values["legacy_province_id"] = legacy_province_id
        if "commune" not in row:
            return
        if cells.is_blank(row["commune"]):
            values["commune_id"] = None
            values["legacy_district_id"] = None
            return
        place = self.places.commune(row["commune"], province_id, legacy_province_id, historical)
        if not place:
            errors.append(
                (
                    "commune",
                    _("no commune or former district “%(value)s” in this province")
                    % {"value": cells.text(row["commune"])},
                )
            )
            return
        commune_id, district_id, legacy_from_district = place
        values["commune_id"] = commune_id
        values["legacy_district_id"] = district_id
        if district_id:
            values["legacy_province_id"] = legacy_from_district

    def optional(self, row, values, errors, key, parse, field=None, blank=None):
        if key not in row:
            return
        raw = row[key]
        if cells.is_blank(raw):
            values[field or key] = blank
            return
        try:
            values[field or key] = parse(raw)
        except CellError as exc:
            errors.append((key, str(exc)))

    def required(self, row, values, errors, key, parse, field=None):
        raw = row.get(key)
        if cells.is_blank(raw):
            errors.append((key, _("required")))
            return
        try:
            values[field or key] = parse(raw)
        except CellError as exc:
            errors.append((key, str(exc)))

    def code(self, row, errors, key="code"):
        try:
            value = _text_field(row.get(key), self.model, "code", required=True)
        except CellError as exc:
            errors.append((key, str(exc)))
            return None
        return value

    def check_duplicate(self, key, errors, column="code", message=None):
        """Refuse a key met earlier in the file (checked for the whole chunk at once, in `prepare_chunk`)."""
        if key is None:
            return
        # the message is written only for a key met twice (a translation per row otherwise)
        self._pending.append((repr(key), errors, len(errors), column, message, key))

    def resolve_duplicates(self) -> None:
        firsts = {}
        for key, _errors, _i, _c, _m, _k in self._pending:
            firsts.setdefault(key, "")
        earlier = self.seen.first("key", firsts)
        met = set(earlier)
        for key, errors, index, column, message, value in self._pending:
            if key in met:
                message = message or _("“%(value)s” appears twice in the file") % {"value": value}
                errors.insert(index, (column, message))
            met.add(key)
        self._pending.clear()

    # --- interface -----------------------------------------------------------------------
    def parse(self, row: dict) -> tuple[object, dict, list]:
        """-> (match key, values, errors)."""
        raise NotImplementedError

    def existing(self, keys: list) -> dict:
        """Records matching `keys`, in one query."""
        return self.model.objects.in_bulk(keys, field_name="code")

    def prepare_chunk(self, parsed: list) -> None:
        """Checks that need the database for a whole chunk at once (a key met earlier, a tax code used elsewhere)."""
        self.resolve_duplicates()

    def new(self, key, values, *, writing: bool = False):
        return self.model(**({"code": key} | values))

    # --- the domain's rules and the bulk write -------------------------------------------
    # A field's validators are the forms' own; foreign keys are resolved by the handler from its
    # caches (a query per row otherwise), so they are not looked up again.
    def build(self, key, values, obj, *, writing: bool = False):
        """-> (record as it would be saved, copy of it before the change or None for a new one, changed fields)."""
        if obj is None:
            return self.new(key, values, writing=writing), None, list(values)
        before = copy.copy(obj)
        changed = changed_fields(obj, values)
        for field in changed:
            setattr(obj, field, values[field])
        return obj, before, changed

    def check(self, obj, values) -> list:
        """(column key, message) for each rule the record breaks."""
        names = tuple(
            values
        )  # the rows of a file fill the same fields: the fields left out are worked out once
        exclude = self._excludes.get(names)
        if exclude is None:
            exclude = self._excludes[names] = [
                f.name
                for f in obj._meta.fields
                if isinstance(f, models.ForeignKey) or f.attname not in values
            ]
        try:
            obj.clean_fields(exclude=exclude)
        except ValidationError as exc:
            return [
                (self.column_of(field), " ".join(messages)) for field, messages in exc.message_dict.items()
            ]
        return []

    @staticmethod
    def column_of(field: str) -> str:
        return field.removesuffix("_id")

    def write(self, created: list, updated: list, *, log) -> None:
        """Write a chunk: `created` records, `updated` (record, copy before, changed fields) triples."""
        for obj in created:
            if hasattr(obj, "fill_search_text"):
                obj.fill_search_text()
        # bulk_create, not core.bulk.fast_insert: on the national dataset fast_insert's one-row INSERTs made the
        # import 4x slower (38 s against 8.9 s for 20,000 rows; faster on the province one). The table's
        # full-text trigger, run once per statement, is the suspect, not yet shown.
        self.model.objects.bulk_create(created)
        if updated:
            now = timezone.now()
            fields = {"updated_at"} if hasattr(self.model, "updated_at") else set()
            for obj, _before, changed in updated:
                fields.update(self.model._meta.get_field(f).name for f in changed)
                if hasattr(obj, "fill_search_text"):
                    obj.fill_search_text()
                    fields.add("search_text")
                if hasattr(obj, "updated_at"):
                    obj.updated_at = now
            self.model.objects.bulk_update([obj for obj, _b, _c in updated], sorted(fields))
        log([(None, obj) for obj in created] + [(before, obj) for obj, before, _c in updated])
        self.written(created, [obj for obj, _b, _c in updated])

    def written(self, created: list, updated: list) -> None:
        """What a save's signals would do beside the audit (bulk writes send none): the catalogue's read model."""


def keep_recorded_history(obj, values: dict) -> None:
    """Leave alone the former district/province a record holds when the file cannot say it.

    The files carry one province and one commune cell. A record placed in today's commune *and* in
    the former district it belonged to exports as today's commune; re-importing it must not erase
    the former district (an export re-imports unchanged). Only when the row names the same province
    and commune as the record, and no former unit, are the record's former units kept.
    """
    if "province_id" not in values or values["province_id"] != getattr(obj, "province_id", None):
        return
    same_commune = "commune_id" in values and values["commune_id"] == getattr(obj, "commune_id", None)
    if same_commune and values["commune_id"] is not None and values.get("legacy_district_id") is None:
        values.pop("legacy_district_id", None)
        if values.get("legacy_province_id") is None:
            values.pop("legacy_province_id", None)
    elif (
        values.get("legacy_province_id") is None
        and getattr(obj, "legacy_province_id", None) == values["province_id"]
    ):
        values.pop(
            "legacy_province_id", None
        )  # a former province that kept its code is today's province itself


def changed_fields(obj, values: dict) -> list[str]:
    """The fields the row would change (after keeping the former units the file cannot express)."""
    keep_recorded_history(obj, values)
    return [field for field, value in values.items() if getattr(obj, field) != value]


class EstablishmentHandler(Handler):
    model = Establishment
    one_pass = True

    def check(self, obj, values):
        return super().check(obj, values) + _priority_errors(self, obj, values)

    def written(self, created, updated):
        from khuyencong.catalogue import services as catalogue

        if updated:  # a new establishment has no products in the catalogue yet
            catalogue.refresh_establishments([obj.pk for obj in updated])

    def parse(self, row):
        values, errors = {}, []
        code = self.code(row, errors)
        self.check_duplicate(code, errors)
        try:
            values["name"] = _text_field(row.get("name"), Establishment, "name", required=True)
        except CellError as exc:
            errors.append(("name", str(exc)))
        self.required(
            row, values, errors, "kind", lambda v: cells.choice(v, KIND_LABELS_VI, EstablishmentKind)
        )
        if "tax_code" in row:
            tax = cells.text(row["tax_code"]).replace(" ", "")
            if isinstance(row["tax_code"], int | float) and tax.isdigit() and len(tax) < 10:
                tax = tax.zfill(10)  # a number cell drops the leading zero of Hà Nội's 01… codes
            if tax:
                try:
                    validate_tax_code(tax)
                except ValidationError as exc:
                    errors.append(("tax_code", " ".join(exc.messages)))
            values["tax_code"] = tax or None
        self.place(row, values, errors)
        for key in ("address", "phone"):
            if key in row:
                try:
                    values[key] = _text_field(row[key], Establishment, key)
                except CellError as exc:
                    errors.append((key, str(exc)))
        if "email" in row:
            email = cells.text(row["email"])
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    errors.append(("email", _("“%(value)s” is not an email address") % {"value": email}))
            values["email"] = email
        self.optional(row, values, errors, "workers", cells.count)
        self.optional(row, values, errors, "founded", cells.year)
        for flag in Establishment.PRIORITY_FLAGS:
            self.optional(row, values, errors, flag, cells.yes_no, blank=False)
        if "priority_evidence" in row:
            values["priority_evidence"] = cells.text(row["priority_evidence"])
        if (
            not errors
            and "province_id" in values
            and not self.may_edit(values["province_id"], values.get("commune_id"))
        ):
            errors.append(("province", _("you may not import records of this place")))
        return code, values, errors

    def prepare_chunk(self, parsed):
        super().prepare_chunk(parsed)
        taxes = {
            values.get("tax_code"): (code, errors)
            for code, values, errors in parsed
            if values.get("tax_code")
        }
        firsts = {}
        for code, values, _errors in parsed:
            if values.get("tax_code"):
                firsts.setdefault(values["tax_code"], code or "")
        tax_seen = self.seen.first(
            "tax", firsts
        )  # the code each tax code was first given to in earlier chunks
        for code, values, errors in parsed:
            tax = values.get("tax_code")
            if not tax:
                continue
            other = tax_seen.get(tax)
            if other and other != code:
                errors.append(
                    (
                        "tax_code",
                        _("tax code %(tax)s is also given to %(code)s in this file")
                        % {"tax": tax, "code": other},
                    )
                )
            tax_seen.setdefault(tax, code)
        for other in Establishment.objects.filter(tax_code__in=list(taxes)).values(
            "code", "tax_code", "name"
        ):
            code, errors = taxes[other["tax_code"]]
            if other["code"] != code:
                errors.append(
                    (
                        "tax_code",
                        _("tax code %(tax)s is already registered to “%(name)s” (code %(code)s)")
                        % {"tax": other["tax_code"], "name": other["name"], "code": other["code"]},
                    )
                )


def _priority_errors(handler, obj, values) -> list:
    """The establishment's own rule (a priority flag needs its evidence), as the forms apply it."""
    if not obj.priority_flags or (obj.priority_evidence or "").strip():
        return []
    if obj.pk and obj.documents.filter(archived_at__isnull=True).exists():
        return []
    return [("priority_evidence", _("Say what shows the priority (or attach the document that does)."))]


OCOP_KEY = "_ocop"  # the parsed OCOP rating travels in the row's values under this key
OCOP_CHANGE = "ocop_stars"  # and a changed rating is reported under its first column


class ProductHandler(Handler):
    model = Product

    def written(self, created, updated):
        from khuyencong.catalogue import services as catalogue

        catalogue.refresh_products([obj.pk for obj in [*created, *updated]])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._establishments = BoundedCache()

    def may_edit_record(self, obj) -> bool:
        est = obj.establishment
        return self.may_edit(est.province_id, est.commune_id)

    def establishment(self, code):
        if code not in self._establishments:
            self._establishments[code] = (
                Establishment.objects.filter(code=code).values("pk", "province_id", "commune_id").first()
            )
        return self._establishments[code]

    def parse(self, row):
        values, errors = {}, []
        code = self.code(row, errors)
        self.check_duplicate(code, errors)
        est_code = cells.text(row.get("establishment"))
        if not est_code:
            errors.append(("establishment", _("required")))
        else:
            est = self.establishment(est_code)
            if not est:
                errors.append(
                    ("establishment", _("no establishment with code “%(code)s”") % {"code": est_code})
                )
            elif not self.may_edit(est["province_id"], est["commune_id"]):
                errors.append(("establishment", _("you may not import records of this place")))
            else:
                values["establishment_id"] = est["pk"]
        try:
            values["name"] = _text_field(row.get("name"), Product, "name", required=True)
        except CellError as exc:
            errors.append(("name", str(exc)))
        self.required(row, values, errors, "group", lambda v: cells.choice(v, GROUP_LABELS_VI, ProductGroup))
        if "description" in row:
            values["description"] = cells.text(row["description"])
        ocop = self.parse_ocop(row, errors)
        if ocop:
            values[OCOP_KEY] = ocop
        return code, values, errors

    def parse_ocop(self, row, errors) -> dict | None:
        """The row's OCOP rating (columns ocop_*), completed and checked by the registry's rule; None when empty."""
        from khuyencong.registry import services as registry

        keys = ["ocop_stars", "ocop_level", "ocop_decision_no", "ocop_decision_date", "ocop_valid_until"]
        if all(cells.is_blank(row.get(k)) for k in keys):
            return None
        ocop, bad = {}, []
        self.required(row, ocop, bad, "ocop_stars", lambda v: cells.count(v), field="stars")
        self.optional(
            row,
            ocop,
            bad,
            "ocop_level",
            lambda v: cells.choice(v, OCOP_LEVEL_LABELS_VI, OcopLevel),
            field="level",
        )
        self.required(row, ocop, bad, "ocop_decision_no", cells.text, field="decision_no")
        self.required(row, ocop, bad, "ocop_decision_date", cells.date, field="decision_date")
        self.optional(row, ocop, bad, "ocop_valid_until", cells.date, field="valid_until")
        if not bad:
            ocop = registry.complete_ocop_values({"score": None, **ocop})
            columns = {
                "stars": "ocop_stars",
                "level": "ocop_level",
                "score": "ocop_stars",
                "decision_no": "ocop_decision_no",
                "decision_date": "ocop_decision_date",
                "valid_until": "ocop_valid_until",
            }
            bad = [(columns[f], m) for f, m in registry.ocop_rating_errors(**ocop).items()]
        errors.extend(bad)
        return None if bad else ocop

    def build(self, key, values, obj, *, writing: bool = False):
        """The product as any other record; its OCOP rating rides along (`_ocop`), a change of its own."""
        values = dict(values)
        ocop = values.pop(OCOP_KEY, None)
        record, before, changed = super().build(key, values, obj, writing=writing)
        record._ocop = ocop
        if ocop and (obj is None or self._ocop_differs(obj, ocop)):
            changed = [*changed, OCOP_CHANGE]
        return record, before, changed

    @staticmethod
    def _ocop_differs(product, ocop: dict) -> bool:
        from khuyencong.registry.models import OcopRating

        stored = OcopRating.objects.filter(product=product, decision_no=ocop["decision_no"]).first()
        return stored is None or any(getattr(stored, f) != v for f, v in ocop.items() if f != "score")

    def write(self, created, updated, *, log):
        """Products in bulk, as the base does; then their OCOP ratings one by one (saved with the audit entry and the
        catalogue refresh their signals make)."""
        from khuyencong.registry.models import OcopRating

        with_ocop = [r for r in created if getattr(r, "_ocop", None)]
        with_ocop += [r for r, _b, changed in updated if OCOP_CHANGE in changed]
        plain = [(r, b, [f for f in changed if f != OCOP_CHANGE]) for r, b, changed in updated]
        super().write(created, [(r, b, c) for r, b, c in plain if c], log=log)
        for product in with_ocop:
            ocop = dict(product._ocop)
            ocop.pop("score", None)
            number = ocop.pop("decision_no")
            OcopRating.objects.update_or_create(
                product=product, decision_no=number, defaults={**ocop, "recorded_by": self.user}
            )


class ProjectHandler(Handler):
    """Projects go through the programme's rules and transition table: a row's status is reached by
    the table's steps from where the record stands (from a proposal for a new one), each step
    recorded as a ProjectTransition marked imported, by the importing user."""

    model = Project

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._establishments = BoundedCache()
        self._beneficiaries = BoundedCache()
        self._others = BoundedCache()  # craft villages and artisans by code
        self._others_pk = BoundedCache()  # and by primary key
        self._book = None
        self.file_name = ""

    @property
    def book(self):
        """Every rule by date and authority, read once per import (programme.rules.RuleBook)."""
        if self._book is None:
            from khuyencong.programme.rules import RuleBook

            self._book = RuleBook.load()
        return self._book

    def other_by_pk(self, model_name, pk):
        """The craft village or artisan a row names (from the parse's cache; a query for one already stored)."""
        if (model_name, pk) in self._others_pk:
            return self._others_pk[(model_name, pk)]
        from khuyencong.registry import models as registry

        return getattr(registry, model_name).objects.filter(pk=pk).only("pk", "name", "province_id").first()

    def other_beneficiary(self, model, code):
        key = (model.__name__, code)
        if key not in self._others:
            self._others[key] = model.objects.filter(code=code).only("pk", "name", "province_id").first()
            if self._others[key] is not None:
                self._others_pk[(model.__name__, self._others[key].pk)] = self._others[key]
        return self._others[key]

    def beneficiary(self, pk):
        """The establishment's name and province (what the programme's rule compares), cached."""
        if pk not in self._beneficiaries:
            self._beneficiaries[pk] = Establishment.objects.filter(pk=pk).only("name", "province_id").first()
        return self._beneficiaries[pk]

    def build(self, key, values, obj, *, writing=False):
        from_status = obj.status if obj is not None else ""
        record, before, changed = super().build(key, values, obj, writing=writing)
        record._from_status = from_status
        if record.decision_date and record.support_approved:
            # the rule the approval is held to, kept with it as the forms keep it
            used = self.book.for_project(record)
            stored = {
                "rule_regulation_id": used.regulation.pk if used.regulation else None,
                "rule_ceiling_id": used.rule.pk if used.rule else None,
                "rule_note": used.describe()[:600],
            }
            for field, value in stored.items():
                if getattr(record, field) != value:
                    setattr(record, field, value)
                    if obj is not None and field not in changed:
                        changed.append(field)
        self.close_payments(record, changed)
        return record, before, changed

    @staticmethod
    def close_payments(record, changed) -> None:
        """History files carry the settled amount but no payments. A settled project is paid in full (the
        settlement closes with the final payment), so an imported settled project gets its final payment
        recorded as an imported payment (source "import", no date: the file does not say when) for what
        the payments entered in the application leave open; `write` stores it. Re-importing the same row
        finds the amounts equal and changes nothing."""
        from khuyencong.programme.models import Disbursement, PaymentSource

        record._entered_paid = 0
        record._imported_final = None
        if record.status != "settled" or record.support_settled is None:
            return
        entered = 0
        if record.pk:
            entered = (
                Disbursement.objects.filter(project_id=record.pk, archived_at__isnull=True)
                .exclude(source=PaymentSource.IMPORT)
                .aggregate(s=Sum("amount"))["s"]
                or 0
            )
        record._entered_paid = entered
        record._imported_final = record.support_settled - entered
        if record.support_paid != record.support_settled and entered <= record.support_settled:
            record.support_paid = record.support_settled
            if "support_paid" not in changed:
                changed.append("support_paid")

    def check(self, obj, values):
        from khuyencong.programme import services as programme

        errors = super().check(obj, values)
        establishment = self.beneficiary(obj.establishment_id) if obj.establishment_id else None
        field = "establishment"
        if obj.craft_village_id:
            establishment, field = self.other_by_pk("CraftVillage", obj.craft_village_id), "craft_village"
        elif obj.artisan_id:
            establishment, field = self.other_by_pk("Artisan", obj.artisan_id), "artisan"
        if sum(bool(x) for x in (obj.establishment_id, obj.craft_village_id, obj.artisan_id)) > 1:
            errors.append(
                (
                    "establishment",
                    _(
                        "A project has one beneficiary: an establishment, a craft village or an artisan, not several."
                    ),
                )
            )
        rules = programme.project_errors(obj, establishment, book=self.book, beneficiary_field=field)
        try:
            obj.clean_dates()
        except ValidationError as exc:
            rules |= exc.message_dict
        errors += [
            (self.column_of(field), " ".join(m) if isinstance(m, list) else str(m))
            for field, m in rules.items()
        ]
        if programme.path_to(obj._from_status, obj.status) is None:
            errors.append(("status", programme.path_error(obj._from_status, obj.status)))
        if obj._imported_final is not None and obj._imported_final < 0:
            errors.append(
                (
                    "support_settled",
                    _("%(paid)s has already been paid to this project, more than the settled amount")
                    % {"paid": format_vnd(obj._entered_paid)},
                )
            )
        return errors

    def write(self, created, updated, *, log):
        from khuyencong.programme import services as programme
        from khuyencong.programme.models import Plan, ProjectTransition, TransitionSource

        plans = {}
        for obj in created:
            place_year = (obj.province_id, obj.year)
            if place_year not in plans:
                plans[place_year] = (
                    Plan.objects.filter(province_id=obj.province_id, year=obj.year)
                    .values_list("pk", flat=True)
                    .first()
                )
            obj.plan_id = plans[place_year]
        super().write(created, updated, log=log)
        note = _("Imported from %(file)s") % {"file": self.file_name} if self.file_name else _("Imported")
        steps = []
        for obj in [*created, *(o for o, _b, _c in updated)]:
            for from_status, to_status in programme.steps_of(
                obj._from_status, programme.path_to(obj._from_status, obj.status)
            ):
                steps.append(
                    ProjectTransition(
                        project=obj,
                        from_status=from_status,
                        to_status=to_status,
                        user=self.user,
                        note=note,
                        source=TransitionSource.IMPORT,
                    )
                )
        ProjectTransition.objects.bulk_create(steps)
        log([(None, step) for step in steps])
        self.write_final_payments([*created, *(o for o, _b, _c in updated)], note, log)

    def write_final_payments(self, projects, note, log) -> None:
        """Bring each settled project's imported final payment to what `close_payments` found open."""
        from khuyencong.programme.models import Disbursement, PaymentKind, PaymentSource

        settled = [p for p in projects if getattr(p, "_imported_final", None) is not None]
        if not settled:
            return
        existing = {
            d.project_id: d
            for d in Disbursement.objects.filter(
                project_id__in=[p.pk for p in settled if p._from_status],
                source=PaymentSource.IMPORT,
                kind=PaymentKind.FINAL,
                archived_at__isnull=True,
            )
        }
        new, changed, archived = [], [], []
        for project in settled:
            amount = project._imported_final
            row = existing.get(project.pk)
            if row is None:
                if amount > 0:
                    new.append(
                        Disbursement(
                            project=project,
                            kind=PaymentKind.FINAL,
                            source=PaymentSource.IMPORT,
                            paid_on=project.settled_date,
                            amount=amount,
                            note=note,
                            user=self.user,
                        )
                    )
            elif amount <= 0:
                before = copy.copy(row)
                row.archived_at = timezone.now()
                archived.append((before, row))
            elif row.amount != amount:
                before = copy.copy(row)
                row.amount = amount
                changed.append((before, row))
        Disbursement.objects.bulk_create(new)
        if changed:
            Disbursement.objects.bulk_update([r for _b, r in changed], ["amount"])
        if archived:
            Disbursement.objects.bulk_update([r for _b, r in archived], ["archived_at"])
        log([(None, d) for d in new] + changed + archived)

    def parse(self, row):
        values, errors = {}, []
        code = self.code(row, errors)
        self.check_duplicate(code, errors)
        self.required(row, values, errors, "year", cells.year)
        try:
            values["title"] = _text_field(row.get("title"), Project, "title", required=True)
        except CellError as exc:
            errors.append(("title", str(exc)))
        self.required(
            row, values, errors, "programme", lambda v: cells.choice(v, PROGRAMME_LABELS_VI, Programme)
        )
        self.required(
            row, values, errors, "activity", lambda v: cells.choice(v, ACTIVITY_LABELS_VI, Activity)
        )
        if "establishment" in row:
            est_code = cells.text(row["establishment"])
            if not est_code:
                values["establishment_id"] = None
            else:
                if est_code not in self._establishments:
                    self._establishments[est_code] = (
                        Establishment.objects.filter(code=est_code).values_list("pk", flat=True).first()
                    )
                pk = self._establishments[est_code]
                if pk is None:
                    errors.append(
                        ("establishment", _("no establishment with code “%(code)s”") % {"code": est_code})
                    )
                values["establishment_id"] = pk
        from khuyencong.registry.models import Artisan, CraftVillage

        for key, model in (("craft_village", CraftVillage), ("artisan", Artisan)):
            if key in row:
                other_code = cells.text(row[key])
                values[f"{key}_id"] = None
                if other_code:
                    other = self.other_beneficiary(model, other_code)
                    if other is None:
                        errors.append((key, _("no record with code “%(code)s”") % {"code": other_code}))
                    else:
                        values[f"{key}_id"] = other.pk
        self.optional(row, values, errors, "total_cost", cells.money)
        if "decision_no" in row:
            values["decision_no"] = cells.text(row["decision_no"])[:100]
        self.optional(row, values, errors, "decision_date", cells.date)
        historical = values.get("year", 0) <= HISTORICAL_YEAR_LIMIT
        self.place(row, values, errors, historical=historical)
        self.required(row, values, errors, "support_approved", cells.money)
        self.optional(row, values, errors, "support_settled", cells.money)
        self.optional(row, values, errors, "counterpart", cells.money, blank=0)
        self.optional(row, values, errors, "jobs", cells.count, blank=0)
        self.optional(row, values, errors, "machines", cells.count, blank=0)
        self.optional(row, values, errors, "trainees", cells.count, blank=0)
        self.required(
            row, values, errors, "status", lambda v: cells.choice(v, STATUS_LABELS_VI, ProjectStatus)
        )
        if (
            values.get("status") == "settled"
            and values.get("support_settled") is None
            and not any(k == "support_settled" for k, _m in errors)
        ):
            errors.append(("support_settled", _("required when the status is settled (quyết toán)")))
        if not errors and not self.may_edit(values["province_id"], values.get("commune_id")):
            errors.append(("province", _("you may not import records of this place")))
        return code, values, errors


class ResultHandler(Handler):
    """Results are matched by (round, product). A round given by its year is found or created
    (historical) at the product's place: one per (year, level, place)."""

    model = Result

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._products = BoundedCache()
        self._rounds_by_code = {}
        self._rounds_by_place = {}
        self.rounds_created = 0

    def product(self, code):
        if code not in self._products:
            self._products[code] = (
                Product.objects.filter(code=code)
                .values(
                    "pk",
                    "establishment__province_id",
                    "establishment__commune_id",
                    "establishment__legacy_province_id",
                    "establishment__legacy_district_id",
                )
                .first()
            )
        return self._products[code]

    def round_place(self, level, product):
        """The place fields of a historical round at `level` for the product's establishment, or a reason it has none."""  # noqa: E501
        province_id = product["establishment__province_id"]
        if level == "district":
            district = product["establishment__legacy_district_id"]
            if not district:
                return None, _(
                    "the product's establishment has no former district, so no district round can be placed"
                )
            return {
                "legacy_district_id": district,
                "legacy_province_id": product["establishment__legacy_province_id"],
                "province_id": province_id,
            }, None
        if level == "province":
            legacy = product["establishment__legacy_province_id"]
            if legacy == province_id:  # a former province that kept its code is today's province itself
                legacy = None
            return {"province_id": province_id, "legacy_province_id": legacy}, None
        if level == "region":
            region = self.places.province_region.get(province_id)
            if not region:
                return None, _("the product's province belongs to no region")
            return {"region_id": region}, None
        return {}, None

    def parse(self, row):
        values, errors = {}, []
        self.required(row, values, errors, "level", lambda v: cells.choice(v, LEVEL_LABELS_VI, Level))
        product = None
        product_code = cells.text(row.get("product"))
        if not product_code:
            errors.append(("product", _("required")))
        else:
            product = self.product(product_code)
            if not product:
                errors.append(("product", _("no product with code “%(code)s”") % {"code": product_code}))
            elif not self.may_edit(
                product["establishment__province_id"], product["establishment__commune_id"]
            ):
                errors.append(("product", _("you may not import records of this place")))
            else:
                values["product_id"] = product["pk"]
        round_raw = cells.text(row.get("round"))
        round_key = None
        if not round_raw:
            errors.append(("round", _("required")))
        elif "level" in values:
            level = values["level"]
            if round_raw.isdigit() and len(round_raw) == 4:
                if product:
                    place, why = self.round_place(level, product)
                    if why:
                        errors.append(("level", why))
                    else:
                        round_key = ("year", int(round_raw), level, tuple(sorted(place.items())))
            else:
                if round_raw not in self._rounds_by_code:
                    self._rounds_by_code[round_raw] = Round.objects.filter(code=round_raw).first()
                found = self._rounds_by_code[round_raw]
                if not found:
                    errors.append(
                        (
                            "round",
                            _("no round with code “%(code)s” (give the year for a historical round)")
                            % {"code": round_raw},
                        )
                    )
                elif found.level != level:
                    errors.append(
                        (
                            "level",
                            _("round %(code)s is at level %(level)s")
                            % {"code": round_raw, "level": found.level},
                        )
                    )
                else:
                    round_key = ("code", found.pk)
        if round_key is not None:
            found = self.resolve_round(round_key, create=False)
            if found is not None and not self.may_use_round(found):
                errors.append(("round", _("you may not import records of this place")))
                round_key = None
        self.optional(row, values, errors, "score", lambda v: cells.decimal(v, low=0, high=100))
        self.required(row, values, errors, "certified", cells.yes_no)
        for key in ("certificate_no", "decision_no"):
            if key in row:
                try:
                    values[key] = _text_field(row[key], Result, key)
                except CellError as exc:
                    errors.append((key, str(exc)))
        self.optional(row, values, errors, "decision_date", cells.date)
        values.pop("level", None)
        key = (round_key, values.get("product_id")) if round_key and "product_id" in values else None
        self.check_duplicate(
            key, errors, "product", _("this product appears twice for the same round in the file")
        )
        return key, values, errors

    def resolve_round(self, round_key, create: bool):
        """The Round of a key; None for a historical round not yet created (unless create)."""
        if round_key[0] == "code":
            return Round.objects.get(pk=round_key[1])
        if round_key in self._rounds_by_place and (self._rounds_by_place[round_key] or not create):
            return self._rounds_by_place[round_key]
        _kind, year, level, place = round_key
        place = dict(place)
        found = (
            Round.objects.filter(year=year, level=level, **self._place_filter(level, place))
            .order_by("pk")
            .first()
        )
        if found is None and create:
            found = self._create_round(year, level, place)
        self._rounds_by_place[round_key] = found
        return found

    @staticmethod
    def _place_filter(level, place):
        if level == "district":
            return {"legacy_district_id": place["legacy_district_id"]}
        if level == "province":
            return {"province_id": place["province_id"], "legacy_province_id": place["legacy_province_id"]}
        if level == "region":
            return {"region_id": place["region_id"]}
        return {}

    def _create_round(self, year, level, place):
        from khuyencong.geo.models import Region

        if level == "district":
            where_code, where = (
                str(place["legacy_district_id"]),
                self.places.district_name(place["legacy_district_id"]),
            )
        elif level == "province":
            legacy = place.get("legacy_province_id")
            where_code = f"{place['province_id']}-{legacy}" if legacy else str(place["province_id"])
            where = str(
                LegacyProvince.objects.get(code=legacy)
                if legacy
                else Province.objects.get(code=place["province_id"]).name
            )
        elif level == "region":
            region = Region.objects.get(pk=place["region_id"])
            where_code, where = region.code.upper(), region.name
        else:
            where_code, where = "", ""
        code = "-".join(filter(None, ["LS", str(year), LEVEL_WORDS[level], where_code]))
        base, n = code, 1
        while Round.objects.filter(code=code).exists():
            n += 1
            code = f"{base}-{n}"
        title = f"Bình chọn sản phẩm CNNT tiêu biểu {LEVEL_LABELS_VI[level].lower()} năm {year}"
        if where:
            title += f" – {where}"
        from khuyencong.selection.models import RoundStatus, RoundTransition
        from khuyencong.selection.services import check_round_rules

        # a history round as `create_round` makes one: decided, through the same round rules, audited
        round_ = Round(
            code=code,
            year=year,
            level=level,
            title=title,
            is_historical=True,
            status=RoundStatus.DECIDED,
            **place,
        )
        check_round_rules(round_)
        round_.save()  # audited by its signal (the import runs under the importing user)
        # its life recorded as a step of the transition table, as create_round records a round made by hand
        RoundTransition.objects.create(
            round=round_,
            action="import",
            from_status="",
            to_status=round_.status,
            user=self.user,
            note=_("Imported from %(file)s") % {"file": name}
            if (name := getattr(self, "file_name", ""))
            else _("Imported"),
        )
        self.rounds_created += 1
        return round_

    def may_edit_record(self, obj) -> bool:
        return True  # matched by (round, product): the product's place is checked when the row is parsed

    def may_use_round(self, round_) -> bool:
        """Results go into a round through the officers running it; history rounds above the province are shared."""
        if self.user is None or can_manage_round(self.user, round_):
            return True
        return round_.is_historical and round_.level in (Level.REGION, Level.NATIONAL)

    def existing(self, keys):
        found = {}
        for key in keys:
            round_obj = self.resolve_round(key[0], create=False)
            if round_obj is None:
                continue
            result = Result.objects.filter(round=round_obj, product_id=key[1]).first()
            if result:
                found[key] = result
        return found

    def new(self, key, values, *, writing=False):
        return Result(round=self.resolve_round(key[0], create=writing), **values)

    def written(self, created, updated):
        from khuyencong.catalogue import services as catalogue

        catalogue.refresh_products([obj.product_id for obj in [*created, *updated]])

    def check(self, obj, values):
        from khuyencong.selection.services import historical_result_errors

        errors = super().check(obj, values)
        rules = historical_result_errors(
            score=obj.score, certified=obj.certified, decision_no=obj.decision_no
        )
        return errors + [(self.column_of(field), str(message)) for field, message in rules.items()]


# --- beyond the spec: the beneficiaries of Decree 235/2025/NĐ-CP (docs/interchange-beneficiaries.md) ------

LINKS_KEY = "_establishments"  # a craft village's establishments (primary keys) travel in its values here


class BeneficiaryHandler(Handler):
    """Craft villages and artisans: recorded by officers in their place, checked by the rules the forms use
    (the model's fields and `clean`, and `registry.services.beneficiary_link_errors` for what they are linked
    to); an archived record is not changed by a file, as the forms refuse to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._establishments = BoundedCache()

    def may_edit(self, province_id, commune_id) -> bool:
        from khuyencong.accounts.permissions import can_record_beneficiaries

        return self.user is None or (
            can_record_beneficiaries(self.user) and super().may_edit(province_id, commune_id)
        )

    def visible(self, model):
        from khuyencong.registry import selectors

        if model is Establishment:
            qs = (
                Establishment.objects.all()
                if self.user is None
                else selectors.visible_establishments(self.user)
            )
        else:
            qs = model.objects.all() if self.user is None else selectors.visible_craft_villages(self.user)
        return qs  # an archived record may still be named, as the forms let it stay linked

    def establishment(self, code):
        """(pk, name, province_id) of the establishment the user may link, by its code; None if none."""
        if code not in self._establishments:
            self._establishments[code] = (
                self.visible(Establishment).filter(code=code).values("pk", "name", "province_id").first()
            )
        return self._establishments[code]

    @staticmethod
    def reference(value, errors, key):
        """A code naming another record, in the codes' canonical form ("" when blank)."""
        try:
            return canonical_code(cells.text(value))
        except TextRefused as exc:
            errors.append((key, str(exc)))
            return ""

    def common(self, row, values, errors, fields):
        for field in fields:
            if field in row:
                try:
                    values[field] = _text_field(
                        row[field], self.model, field, required=not self.model._meta.get_field(field).blank
                    )
                except CellError as exc:
                    errors.append((field, str(exc)))
        if "description" in row:
            values["description"] = cells.text(row["description"])
        self.place(row, values, errors)
        if (
            not errors
            and "province_id" in values
            and not self.may_edit(values["province_id"], values.get("commune_id"))
        ):
            errors.append(("province", _("you may not import records of this place")))

    def check(self, obj, values):
        from khuyencong.registry.services import beneficiary_link_errors

        errors = super().check(obj, values)
        if obj.pk and obj.archived_at:
            errors.append(("code", _("An archived record cannot be changed.")))
        try:
            obj.clean()
        except ValidationError as exc:
            errors += [(self.column_of(f), " ".join(m)) for f, m in exc.message_dict.items()]
        links = beneficiary_link_errors(obj, **self.links(obj, values))
        return errors + [(self.column_of(field), str(message)) for field, message in links.items()]

    def links(self, obj, values) -> dict:
        return {}


class _Named:
    """What the link rule reads of a record named in a file (its name and province), without a query."""

    def __init__(self, name, province_id):
        self.name, self.province_id = name, province_id


class VillageHandler(BeneficiaryHandler):
    model = CraftVillage

    def parse(self, row):
        values, errors = {}, []
        code = self.code(row, errors)
        self.check_duplicate(code, errors)
        self.common(row, values, errors, ("name", "trade", "recognition_no", "recognised_by", "address"))
        self.required(row, values, errors, "recognition_date", cells.date)
        self.required(row, values, errors, "households", cells.count)
        self.optional(row, values, errors, "workers", cells.count)
        if "establishments" in row:
            try:
                codes = cells.code_list(row["establishments"])
            except CellError as exc:
                errors.append(("establishments", str(exc)))
                codes = []
            found = {code: self.establishment(code) for code in codes}
            missing = [code for code, est in found.items() if est is None]
            if missing:
                errors.append(
                    (
                        "establishments",
                        _("no establishment with code “%(code)s”") % {"code": ", ".join(missing)},
                    )
                )
            values[LINKS_KEY] = sorted((e for e in found.values() if e), key=lambda e: e["pk"])
        return code, values, errors

    def links(self, obj, values):
        named = [_Named(e["name"], e["province_id"]) for e in values.get(LINKS_KEY) or []]
        return {"establishments": named}

    def build(self, key, values, obj, *, writing: bool = False):
        """The village as any other record; its establishments ride along (`_establishments`), a change of
        their own when the file names others than the village holds."""
        values = dict(values)
        links = values.pop(LINKS_KEY, None)
        record, before, changed = super().build(key, values, obj, writing=writing)
        record._links = None if links is None else [e["pk"] for e in links]
        if record._links is not None:
            held = [] if obj is None else sorted(obj.establishments.values_list("pk", flat=True))
            if record._links != held:
                changed = [*changed, "establishments"]
        return record, before, changed

    def write(self, created, updated, *, log):
        """Villages in bulk, as the base does; then the establishments of those whose links the file changes."""
        relinked = [r for r in created if r._links]
        relinked += [r for r, _b, changed in updated if "establishments" in changed]
        plain = [(r, b, [f for f in changed if f != "establishments"]) for r, b, changed in updated]
        super().write(created, [(r, b, c) for r, b, c in plain if c], log=log)
        for village in relinked:
            village.establishments.set(village._links)


class ArtisanHandler(BeneficiaryHandler):
    model = Artisan

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._villages = BoundedCache()
        self._named = BoundedCache()  # (column, pk) -> what the link rule reads of the record named

    def village(self, code):
        if code not in self._villages:
            self._villages[code] = (
                self.visible(CraftVillage).filter(code=code).values("pk", "name", "province_id").first()
            )
        return self._villages[code]

    def parse(self, row):
        values, errors = {}, []
        code = self.code(row, errors)
        self.check_duplicate(code, errors)
        self.common(row, values, errors, ("name", "trade"))
        self.required(row, values, errors, "title", lambda v: cells.choice(v, ARTISAN_TITLE_LABELS_VI))
        self.required(row, values, errors, "title_year", cells.year)
        self.optional(row, values, errors, "birth_year", cells.year)
        for key, find, field, message in (
            (
                "establishment",
                self.establishment,
                "establishment_id",
                _("no establishment with code “%(code)s”"),
            ),
            ("craft_village", self.village, "craft_village_id", _("no craft village with code “%(code)s”")),
        ):
            if key not in row:
                continue
            ref = self.reference(row[key], errors, key)
            found = find(ref) if ref else None
            if ref and found is None:
                errors.append((key, message % {"code": ref}))
            values[field] = found["pk"] if found else None
            if found:
                self._named[(key, found["pk"])] = _Named(found["name"], found["province_id"])
        return code, values, errors

    def links(self, obj, values):
        named, out = self._named, {}
        for key, field in (("establishment", "establishment_id"), ("craft_village", "craft_village_id")):
            pk = getattr(obj, field)
            if pk:
                out[key] = named.get((key, pk)) or getattr(obj, key)  # a query only past the cache's size
        return out


HANDLERS = {
    "establishments": EstablishmentHandler,
    "products": ProductHandler,
    "projects": ProjectHandler,
    "results": ResultHandler,
    "villages": VillageHandler,
    "artisans": ArtisanHandler,
}
