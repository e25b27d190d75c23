"""Writes of programme targets: a programme (national or a province's), its targets per indicator and year.

One function per user action, one transaction each, the permission checked
(`accounts.permissions.can_manage_programme_targets`), every write audited. The rules a programme and a
target must meet are `programme_errors` / `target_errors`, so a form, the API and an import apply the same.
"""

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions
from khuyencong.core.concurrency import check_version
from khuyencong.core.services import apply_fields

from .target_models import Indicator, ProgrammeScope, ProgrammeTarget, TargetProgramme

PROGRAMME_FIELDS = [
    "code",
    "name",
    "scope",
    "province",
    "start_year",
    "end_year",
    "decision_no",
    "decision_date",
    "issued_by",
    "notes",
]
MAX_TARGET = 10**15


def programme_errors(programme: TargetProgramme) -> dict:
    """The rules every programme meets, whoever records it."""
    errors = {}
    if not (programme.code or "").strip():
        errors["code"] = _("Give the programme a code, e.g. CTKC-QG-2026-2030.")
    if not (programme.name or "").strip():
        errors["name"] = _("Give the programme its name.")
    if programme.scope not in ProgrammeScope.values:
        errors["scope"] = _("Choose national or a province's local programme.")
    elif programme.scope == ProgrammeScope.PROVINCE and not programme.province_id:
        errors["province"] = _("A province's local programme names its province.")
    elif programme.scope == ProgrammeScope.NATIONAL and programme.province_id:
        errors["province"] = _("The national programme covers the whole country: leave the province empty.")
    for field in ("start_year", "end_year"):
        value = getattr(programme, field)
        if value is None or not 2000 <= value <= 2100:
            errors[field] = _("Enter a year between 2000 and 2100.")
    if "start_year" not in errors and "end_year" not in errors and programme.end_year < programme.start_year:
        errors["end_year"] = _("The last year is before the first year.")
    return errors


def target_errors(programme: TargetProgramme, *, indicator: str, year, value) -> dict:
    errors = {}
    if indicator not in Indicator.values:
        errors["indicator"] = _("Choose one of the programme's indicators.")
    if year is not None and not (programme.start_year <= year <= programme.end_year):
        errors["year"] = _("%(year)s is outside the programme's period %(start)s–%(end)s.") % {
            "year": year,
            "start": programme.start_year,
            "end": programme.end_year,
        }
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        errors["value"] = _("Enter the target as a whole number.")
    elif value < 0:
        errors["value"] = _("A target cannot be negative.")
    elif value > MAX_TARGET:
        errors["value"] = _("The target is too large.")
    return errors


def _require(user, province_id):
    if not permissions.can_manage_programme_targets(user, province_id):
        raise PermissionDenied(
            _("Only the Ministry's organisers set the national programme's targets.")
            if province_id is None
            else _("Only the province's officers set its programme's targets.")
        )


@transaction.atomic
def create_target_programme(*, user, data: dict) -> TargetProgramme:
    programme = TargetProgramme()
    apply_fields(programme, data, PROGRAMME_FIELDS)
    if programme.scope == ProgrammeScope.NATIONAL:
        programme.province_id = None
    _require(user, programme.province_id)
    errors = programme_errors(programme)
    if TargetProgramme.objects.filter(code=programme.code).exists():
        errors["code"] = _("Code %(code)s is already used by another programme.") % {"code": programme.code}
    if errors:
        raise ValidationError(errors)
    with set_actor(user):
        programme.save()
    return programme


@transaction.atomic
def update_target_programme(*, user, programme: TargetProgramme, data: dict) -> TargetProgramme:
    programme = TargetProgramme.objects.select_for_update().get(pk=programme.pk)
    check_version(programme, data.get("version"))
    _require(user, programme.province_id)
    apply_fields(programme, data, [f for f in PROGRAMME_FIELDS if f not in ("scope", "province")])
    errors = programme_errors(programme)
    if TargetProgramme.objects.filter(code=programme.code).exclude(pk=programme.pk).exists():
        errors["code"] = _("Code %(code)s is already used by another programme.") % {"code": programme.code}
    outside = programme.targets.exclude(year__isnull=True).exclude(
        year__gte=programme.start_year, year__lte=programme.end_year
    )
    if outside.exists():
        errors["end_year"] = _(
            "Targets are set for %(years)s, outside the new period: remove them first."
        ) % {"years": ", ".join(str(y) for y in sorted(set(outside.values_list("year", flat=True))))}
    if errors:
        raise ValidationError(errors)
    with set_actor(user):
        programme.save()
    return programme


@transaction.atomic
def set_targets(*, user, programme: TargetProgramme, targets: list[dict]) -> list[ProgrammeTarget]:
    """Set targets: each {"indicator", "year" (None: the whole period), "value", "note"}; a value of None
    removes that target. Targets not named stay as they are. All or nothing: one bad row refuses the lot,
    its errors keyed `targets.<i>.<field>`."""
    programme = TargetProgramme.objects.select_for_update().get(pk=programme.pk)
    _require(user, programme.province_id)
    errors, seen = {}, set()
    for i, row in enumerate(targets):
        key = (row.get("indicator"), row.get("year"))
        if key in seen:
            errors[f"targets.{i}.year"] = _("The same indicator and year are given twice.")
            continue
        seen.add(key)
        if row.get("value") is None and row.get("indicator") in Indicator.values:
            continue
        for field, message in target_errors(
            programme, indicator=row.get("indicator"), year=row.get("year"), value=row.get("value")
        ).items():
            errors[f"targets.{i}.{field}"] = message
    if errors:
        raise ValidationError(errors)
    saved = []
    with set_actor(user):
        for row in targets:
            lookup = {"programme": programme, "indicator": row["indicator"], "year": row.get("year")}
            if row.get("value") is None:
                for target in ProgrammeTarget.objects.filter(**lookup):
                    target.delete()  # one by one: each deletion audited
                continue
            target = ProgrammeTarget.objects.filter(**lookup).first() or ProgrammeTarget(**lookup)
            target.value = row["value"]
            target.note = (row.get("note") or "").strip()[:300]
            target.save()
            saved.append(target)
    return saved
