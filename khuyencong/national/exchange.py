"""The signed file a province running its own instance sends to the Ministry: its registration for national
funds, the same data on both sides, to the đồng.

The file is JSON (UTF-8): the registration and its lines, their totals, and an integrity signature —
HMAC-SHA256 with the key both sides share (settings.EXCHANGE_KEY), over the canonical JSON of everything but
the signature. The Ministry verifies the signature before reading anything, and refuses a file that was
changed after it was signed (or signed with another key). Importing the same file again changes nothing; a
later revision replaces the proposals while the Ministry has not appraised them.
"""

import datetime
import hashlib
import hmac
import json

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions
from khuyencong.geo.models import Province
from khuyencong.programme.models import Activity

from . import services
from .models import (
    Allocation,
    Registration,
    RegistrationLine,
    RegistrationSource,
    RegistrationStatus,
    RegistrationTransition,
)

FORMAT = "khuyencong.national-registration"
ALLOCATION_FORMAT = "khuyencong.national-allocation"
VERSION = 1
MAX_BYTES = 5 * 1024 * 1024
LINE_FIELDS = ("code", "title", "activity", "beneficiary", "place", "total_cost", "requested", "counterpart")
MONEY = ("total_cost", "requested", "counterpart")


class ExchangeRefused(ValidationError):
    """A file the Ministry does not take: unsigned, tampered with, malformed, or too late."""


def _key() -> bytes:
    key = getattr(settings, "EXCHANGE_KEY", "")
    if not key:
        raise ExchangeRefused(
            _("No exchange key is set (KHUYENCONG_EXCHANGE_KEY): files can be neither signed nor verified.")
        )
    return key.encode()


def key_id() -> str:
    """A short fingerprint of the key, written in the file so a file signed with another key says so."""
    return hashlib.sha256(_key()).hexdigest()[:12]


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(payload: dict) -> str:
    return hmac.new(_key(), canonical(payload), hashlib.sha256).hexdigest()


def payload_of(registration: Registration) -> dict:
    lines = [
        {field: getattr(line, field) for field in LINE_FIELDS}
        for line in registration.lines.order_by("activity", "code")
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "province": {"code": registration.province.code, "name": registration.province.name},
        "year": registration.year,
        "revision": registration.revision,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "lines": lines,
        "totals": {
            "lines": len(lines),
            "requested": sum(line["requested"] for line in lines),
            "total_cost": sum(line["total_cost"] for line in lines),
            "counterpart": sum(line["counterpart"] for line in lines),
        },
    }


def export_registration(*, user, registration: Registration) -> bytes:
    """The signed file of the province's registration (its officers, once it is submitted)."""
    if not permissions.can_register_national(user, registration.province_id):
        raise PermissionDenied(_("Only an officer of the province may export its registration."))
    if registration.status == RegistrationStatus.DRAFT:
        raise ValidationError(_("Submit the registration before sending it to the Ministry."))
    payload = payload_of(registration)
    payload["signature"] = {"algorithm": "HMAC-SHA256", "key": key_id(), "value": sign(payload)}
    return json.dumps(payload, ensure_ascii=False, indent=1).encode()


def _verified(content: bytes, expected: str = FORMAT) -> dict:
    if len(content) > MAX_BYTES:
        raise ExchangeRefused(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ExchangeRefused(_("This is not a registration file (not JSON in UTF-8).")) from exc
    if isinstance(data, dict) and expected == ALLOCATION_FORMAT and data.get("format") == FORMAT:
        raise ExchangeRefused(
            _(
                "This is the province's registration file, not the Ministry's allocation: import it at the Ministry."
            )
        )
    if isinstance(data, dict) and expected == FORMAT and data.get("format") == ALLOCATION_FORMAT:
        raise ExchangeRefused(
            _("This is the Ministry's allocation file: the province imports it on its own instance.")
        )
    if not isinstance(data, dict) or data.get("format") != expected:
        raise ExchangeRefused(
            _("This is not a registration file for national funds.")
            if expected == FORMAT
            else _("This is not an allocation file of national funds.")
        )
    if data.get("version") != VERSION:
        raise ExchangeRefused(
            _("The file's format version %(version)s is not supported.") % {"version": data.get("version")}
        )
    signature = data.pop("signature", None)
    if not isinstance(signature, dict) or not signature.get("value"):
        raise ExchangeRefused(_("The file is not signed: it cannot be trusted."))
    if signature.get("key") != key_id():
        raise ExchangeRefused(
            _("The file was signed with another exchange key (%(key)s): ask the province which key it uses.")
            % {"key": signature.get("key")}
        )
    if not hmac.compare_digest(str(signature["value"]), sign(data)):
        raise ExchangeRefused(
            _(
                "The file's signature does not match its content: it was changed after the province signed it. "
                "Nothing was imported."
            )
            if expected == FORMAT
            else _(
                "The file's signature does not match its content: it was changed after the Ministry signed it. "
                "Nothing was imported."
            )
        )
    return data


def _lines(data: dict) -> list[dict]:
    lines = data.get("lines")
    if not isinstance(lines, list):
        raise ExchangeRefused(_("The file has no list of projects."))
    out, codes = [], set()
    for n, raw in enumerate(lines, start=1):
        if not isinstance(raw, dict) or any(field not in raw for field in LINE_FIELDS):
            raise ExchangeRefused(_("Project %(n)s of the file is incomplete.") % {"n": n})
        line = {field: raw[field] for field in LINE_FIELDS}
        if any(not isinstance(line[f], int) or isinstance(line[f], bool) or line[f] < 0 for f in MONEY):
            raise ExchangeRefused(_("Project %(n)s: amounts must be whole đồng, not negative.") % {"n": n})
        if line["activity"] not in Activity.values:
            raise ExchangeRefused(
                _("Project %(n)s: unknown activity “%(a)s”.") % {"n": n, "a": line["activity"]}
            )
        if line["code"] in codes:
            raise ExchangeRefused(_("Project code %(code)s appears twice.") % {"code": line["code"]})
        codes.add(line["code"])
        out.append(line)
    totals = data.get("totals") or {}
    if totals.get("requested") != sum(line["requested"] for line in out) or totals.get("lines") != len(out):
        raise ExchangeRefused(_("The file's totals do not add up to its projects."))
    return out


@transaction.atomic
def import_registration(*, user, content: bytes) -> tuple[Registration, str]:
    """Take a province's signed file at the Ministry. Returns the registration and what happened:
    "created", "updated" (a later revision while not yet appraised) or "unchanged" (the same file again)."""
    if not permissions.organises_national_plan(user):
        raise PermissionDenied(_("Only the national organiser imports the provinces' registrations."))
    data = _verified(content)
    lines = _lines(data)
    province = Province.objects.filter(code=str((data.get("province") or {}).get("code") or "")).first()
    if province is None:
        raise ExchangeRefused(_("The file's province is not a province of today's list."))
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ExchangeRefused(_("The file's year is not a plan year."))
    try:
        services.check_activities_in_force(
            year=year, items=[(line["code"], line["activity"]) for line in lines]
        )
    except ValidationError as exc:
        raise ExchangeRefused(exc.messages) from exc
    revision = data.get("revision")
    if not isinstance(revision, int) or revision < 1:
        raise ExchangeRefused(_("The file's revision is not a positive whole number."))
    digest = hashlib.sha256(canonical({k: v for k, v in data.items() if k != "exported_at"})).hexdigest()
    registration = Registration.objects.select_for_update().filter(province=province, year=year).first()
    if registration is not None and registration.file_digest == digest:
        return registration, "unchanged"
    if registration is not None:
        if registration.status not in (RegistrationStatus.SUBMITTED, RegistrationStatus.RETURNED):
            raise ExchangeRefused(
                _(
                    "The Ministry has already %(status)s the registration of %(province)s for %(year)s: a new file "
                    "cannot replace it."
                )
                % {"status": services._label(registration.status).lower(), "province": province, "year": year}
            )
        if revision <= registration.revision and registration.file_digest:
            raise ExchangeRefused(
                _("The file is revision %(file)s, not later than the revision %(have)s already received.")
                % {"file": revision, "have": registration.revision}
            )
    outcome = "updated" if registration is not None else "created"
    with set_actor(user):
        if registration is None:
            registration = Registration(province=province, year=year, source=RegistrationSource.FILE)
        from_status = registration.status if registration.pk else ""
        registration.revision = revision
        registration.file_digest = digest
        registration.source = RegistrationSource.FILE
        registration.status = RegistrationStatus.SUBMITTED
        registration.save()
        registration.lines.exclude(code__in=[line["code"] for line in lines]).delete()
        existing = {line.code: line for line in registration.lines.all()}
        for values in lines:
            line = existing.get(values["code"]) or RegistrationLine(registration=registration)
            for field, value in values.items():
                setattr(line, field, value)
            line.full_clean(exclude=["registration", "project"])
            line.save()
        RegistrationTransition.objects.create(
            registration=registration,
            from_status=from_status,
            to_status=RegistrationStatus.SUBMITTED,
            user=user,
            note=_("Received as a signed file (revision %(revision)s)") % {"revision": revision},
        )
    return registration, outcome


# --- the way back: the Ministry's allocation to the province's own instance ----------------------------------

ALLOCATION_LINE_FIELDS = ("code", "activity", "requested", "appraised", "appraisal_note")


def allocation_payload_of(registration: Registration) -> dict:
    lines = [
        {field: getattr(line, field) for field in ALLOCATION_LINE_FIELDS}
        for line in registration.lines.order_by("activity", "code")
    ]
    allocations = [
        {"activity": a.activity, "amount": a.amount} for a in registration.allocations.order_by("activity")
    ]
    return {
        "format": ALLOCATION_FORMAT,
        "version": VERSION,
        "province": {"code": registration.province.code, "name": registration.province.name},
        "year": registration.year,
        "revision": registration.revision,
        "issue": registration.allocation_issue,
        "decision": {
            "number": registration.decision_no,
            "date": registration.decision_date.isoformat() if registration.decision_date else None,
        },
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "lines": lines,
        "allocations": allocations,
        "totals": {
            "lines": len(lines),
            "requested": sum(line["requested"] for line in lines),
            "appraised": sum(line["appraised"] or 0 for line in lines),
            "allocated": sum(a["amount"] for a in allocations),
        },
    }


def export_allocation(*, user, registration: Registration) -> bytes:
    """The signed allocation file the Ministry sends back to a province running its own instance: each
    registered project's appraisal, the funds allocated per activity and the decision (the national organiser,
    once the registration is allocated)."""
    if not permissions.organises_national_plan(user):
        raise PermissionDenied(_("Only the national organiser exports the allocation."))
    if registration.status != RegistrationStatus.ALLOCATED:
        raise ValidationError(_("Allocate the national funds before sending the allocation to the province."))
    payload = allocation_payload_of(registration)
    payload["signature"] = {"algorithm": "HMAC-SHA256", "key": key_id(), "value": sign(payload)}
    return json.dumps(payload, ensure_ascii=False, indent=1).encode()


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _allocation_parts(data: dict) -> tuple[list[dict], dict[str, int], str, datetime.date]:
    """The file's lines, allocations and decision, checked for shape and sums (before any lookup)."""
    lines, codes = data.get("lines"), set()
    if not isinstance(lines, list):
        raise ExchangeRefused(_("The file has no list of projects."))
    out = []
    for n, raw in enumerate(lines, start=1):
        if not isinstance(raw, dict) or any(field not in raw for field in ALLOCATION_LINE_FIELDS):
            raise ExchangeRefused(_("Project %(n)s of the file is incomplete.") % {"n": n})
        line = {field: raw[field] for field in ALLOCATION_LINE_FIELDS}
        if not _whole(line["requested"]) or not (line["appraised"] is None or _whole(line["appraised"])):
            raise ExchangeRefused(_("Project %(n)s: amounts must be whole đồng, not negative.") % {"n": n})
        if line["code"] in codes:
            raise ExchangeRefused(_("Project code %(code)s appears twice.") % {"code": line["code"]})
        codes.add(line["code"])
        line["appraisal_note"] = str(line["appraisal_note"] or "")
        out.append(line)
    raw_allocations = data.get("allocations")
    if not isinstance(raw_allocations, list):
        raise ExchangeRefused(_("The file has no allocation per activity."))
    allocations: dict[str, int] = {}
    for raw in raw_allocations:
        activity = raw.get("activity") if isinstance(raw, dict) else None
        if activity not in Activity.values or activity in allocations:
            raise ExchangeRefused(
                _("The file allocates to an unknown or repeated activity “%(a)s”.") % {"a": activity}
            )
        if not _whole(raw.get("amount")):
            raise ExchangeRefused(
                _("The allocation to %(a)s must be whole đồng, not negative.") % {"a": activity}
            )
        allocations[activity] = raw["amount"]
    totals = data.get("totals") or {}
    if (
        totals.get("lines") != len(out)
        or totals.get("requested") != sum(line["requested"] for line in out)
        or totals.get("appraised") != sum(line["appraised"] or 0 for line in out)
        or totals.get("allocated") != sum(allocations.values())
    ):
        raise ExchangeRefused(_("The file's totals do not add up to its projects and allocations."))
    decision = data.get("decision") or {}
    number = str(decision.get("number") or "").strip()
    try:
        day = datetime.date.fromisoformat(str(decision.get("date") or ""))
    except ValueError:
        day = None
    if not number or day is None:
        raise ExchangeRefused(_("The file does not name the allocation decision (number and date)."))
    return out, allocations, number, day


@transaction.atomic
def import_allocation(*, user, content: bytes) -> tuple[Registration, str]:
    """Take the Ministry's signed allocation on the province's own instance: the appraisal of each registered
    project, the allocation per activity and the decision become the province's, and its plan of the year
    receives the national lines exactly as when both sides share one deployment. Returns the registration and
    "created" (first allocation received), "updated" (a later issue) or "unchanged" (the same file again)."""
    data = _verified(content, ALLOCATION_FORMAT)
    lines, allocations, decision_no, decision_date = _allocation_parts(data)
    province = Province.objects.filter(code=str((data.get("province") or {}).get("code") or "")).first()
    if province is None:
        raise ExchangeRefused(_("The file's province is not a province of today's list."))
    if not permissions.can_register_national(user, province.pk):
        raise ExchangeRefused(
            _("This allocation is for %(province)s: only that province's officers import it.")
            % {"province": province}
        )
    year, revision, issue = data.get("year"), data.get("revision"), data.get("issue")
    if not isinstance(year, int) or not isinstance(revision, int) or not isinstance(issue, int) or issue < 1:
        raise ExchangeRefused(_("The file's year, revision or issue is not a whole number."))
    registration = (
        Registration.objects.select_for_update()
        .select_related("province")
        .filter(province=province, year=year)
        .first()
    )
    if registration is None:
        raise ExchangeRefused(
            _(
                "%(province)s has no registration for %(year)s on this instance: the allocation answers none of "
                "its files."
            )
            % {"province": province, "year": year}
        )
    if registration.revision != revision:
        raise ExchangeRefused(
            _(
                "The allocation answers revision %(file)s of the registration of %(year)s, but this instance holds "
                "revision %(have)s: send the Ministry the current registration first."
            )
            % {"file": revision, "have": registration.revision, "year": year}
        )
    if registration.status not in (
        RegistrationStatus.SUBMITTED,
        RegistrationStatus.APPRAISED,
        RegistrationStatus.ALLOCATED,
    ):
        raise ExchangeRefused(
            _(
                "The registration of %(year)s is “%(status)s” here: it was not sent to the Ministry as it stands."
            )
            % {"year": year, "status": services._label(registration.status)}
        )
    have = {line.code: line for line in registration.lines.all()}
    unknown = sorted(line["code"] for line in lines if line["code"] not in have)
    if unknown:
        raise ExchangeRefused(
            _("The allocation names projects this registration does not have: %(codes)s.")
            % {"codes": ", ".join(unknown)}
        )
    missing = sorted(set(have) - {line["code"] for line in lines})
    if missing:
        raise ExchangeRefused(
            _("The allocation leaves out projects of this registration: %(codes)s.")
            % {"codes": ", ".join(missing)}
        )
    differ = sorted(line["code"] for line in lines if have[line["code"]].requested != line["requested"])
    if differ:
        raise ExchangeRefused(
            _(
                "The Ministry's figures requested for %(codes)s differ from this registration's: nothing was imported."
            )
            % {"codes": ", ".join(differ)}
        )
    if any(line["appraised"] is not None and line["appraised"] > line["requested"] for line in lines):
        raise ExchangeRefused(_("The file appraises a project above what was requested."))
    try:
        services.check_activities_in_force(year=year, items=[("", a) for a, v in allocations.items() if v])
    except ValidationError as exc:
        raise ExchangeRefused(exc.messages) from exc
    current = {a.activity: a.amount for a in registration.allocations.all()}
    same = (
        registration.status == RegistrationStatus.ALLOCATED
        and registration.decision_no == decision_no
        and registration.decision_date == decision_date
        and current == allocations
        and all(
            (have[line["code"]].appraised, have[line["code"]].appraisal_note)
            == (line["appraised"], line["appraisal_note"])
            for line in lines
        )
    )
    if same and issue <= registration.allocation_issue:
        return registration, "unchanged"
    if issue <= registration.allocation_issue:
        raise ExchangeRefused(
            _("The file is issue %(file)s of the allocation, not later than issue %(have)s already received.")
            % {"file": issue, "have": registration.allocation_issue}
        )
    outcome = "updated" if registration.allocation_issue else "created"
    from_status = registration.status
    with set_actor(user):
        for values in lines:
            line = have[values["code"]]
            if (line.appraised, line.appraisal_note) != (values["appraised"], values["appraisal_note"]):
                line.appraised, line.appraisal_note = values["appraised"], values["appraisal_note"]
                line.full_clean(exclude=["registration", "project"])
                line.save(update_fields=["appraised", "appraisal_note", "updated_at"])
        registration.allocations.exclude(activity__in=list(allocations)).delete()
        for activity, amount in allocations.items():
            Allocation.objects.update_or_create(
                registration=registration, activity=activity, defaults={"amount": amount}
            )
        registration.decision_no = decision_no
        registration.decision_date = decision_date
        registration.allocation_issue = issue
        registration.status = RegistrationStatus.ALLOCATED
        registration.save()
        services._write_plan(registration)
        RegistrationTransition.objects.create(
            registration=registration,
            from_status=from_status,
            to_status=RegistrationStatus.ALLOCATED,
            user=user,
            note=_(
                "Allocation received as the Ministry's signed file (issue %(issue)s, decision %(decision)s)"
            )
            % {"issue": issue, "decision": decision_no},
        )
    return registration, outcome
