"""The signed file a province running its own instance sends to the Ministry: its registration for national
funds, the same data on both sides, to the đồng.

The file is JSON (UTF-8): the registration and its lines, their totals, and an integrity signature —
HMAC-SHA256 with the key both sides share (settings.EXCHANGE_KEY), over the canonical JSON of everything but
the signature. The Ministry verifies the signature before reading anything, and refuses a file that was
changed after it was signed (or signed with another key). Importing the same file again changes nothing; a
later revision replaces the proposals while the Ministry has not appraised them.
"""

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
    Registration,
    RegistrationLine,
    RegistrationSource,
    RegistrationStatus,
    RegistrationTransition,
)

FORMAT = "khuyencong.national-registration"
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


def _verified(content: bytes) -> dict:
    if len(content) > MAX_BYTES:
        raise ExchangeRefused(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ExchangeRefused(_("This is not a registration file (not JSON in UTF-8).")) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeRefused(_("This is not a registration file for national funds."))
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
