"""Every write of the national plan: one function per user action, one transaction each.

The registration's life lives in TRANSITIONS (like `programme.services.TRANSITIONS`): which step may follow
which; `_move` checks the table and records a RegistrationTransition. Who may take a step is asked of
`accounts.permissions` (the province's officers prepare and submit; the national organiser returns,
appraises and allocates).
"""

import datetime

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts import permissions
from khuyencong.accounts import selectors as people
from khuyencong.core.money import format_vnd
from khuyencong.notifications.services import notify
from khuyencong.programme.models import Activity, Plan, PlanLine, Project, ProjectStatus
from khuyencong.programme.rules import RuleBook

from .models import Allocation, Registration, RegistrationLine, RegistrationStatus, RegistrationTransition

S = RegistrationStatus

# action: (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((S.DRAFT, S.RETURNED), S.SUBMITTED),
    "return": ((S.SUBMITTED,), S.RETURNED),
    "appraise": ((S.SUBMITTED,), S.APPRAISED),
    "allocate": ((S.APPRAISED, S.ALLOCATED), S.ALLOCATED),  # from allocated: an amended decision
}

ACTION_LABELS = {
    "submit": gettext_lazy("Submit to the Ministry"),
    "return": gettext_lazy("Return for completion"),
    "appraise": gettext_lazy("Appraise"),
    "allocate": gettext_lazy("Allocate national funds"),
}

# Steps the province takes; the others are the national organiser's.
PROVINCE_ACTIONS = ("submit",)

# The proposals a registration carries: the province's national-programme projects of the year not yet
# decided locally (a project approved, running or cancelled is not a proposal any more).
PROPOSAL_STATUSES = (ProjectStatus.PROPOSED, ProjectStatus.APPRAISED)


class IllegalTransition(ValidationError):
    """A step the registration's life cycle does not allow from its current status."""


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]


def may_take(user, registration: Registration, action: str) -> bool:
    if action in PROVINCE_ACTIONS:
        return permissions.can_register_national(user, registration.province_id)
    return permissions.organises_national_plan(user)


def actions_for(user, registration: Registration) -> list[str]:
    return [a for a in allowed_actions(registration.status) if may_take(user, registration, a)]


def proposal_day(year: int) -> datetime.date:
    """The day whose rules a proposal of the plan year is held to: like a project not yet approved, the day
    of the check, but not after the end of its year (`programme.rules.rule_date`)."""
    return min(timezone.localdate(), datetime.date(int(year), 12, 31))


def check_activities_in_force(*, year: int, items) -> None:
    """Refuse proposals (or allocations) of an activity that does not exist yet on the registration's day:
    digital transformation and sustainable production only from Decree 235/2025/NĐ-CP's date. `items` are
    (project code or "", activity) pairs. Called by the pages, the API and the signed file's import alike."""
    book = RuleBook.load()
    day = proposal_day(year)
    errors = []
    for code, activity in items:
        why = book.activity_error(activity, day)
        if why:
            errors.append(f"{code}: {why}" if code else why)
    if errors:
        raise ValidationError(errors, code="activity_date")


def _label(status: str) -> str:
    return str(S(status).label) if status else "—"


def _move(*, user, registration: Registration, action: str, note: str = "") -> Registration:
    sources, target = TRANSITIONS[action]
    if registration.status not in sources:
        raise IllegalTransition(
            _(
                "A registration that is “%(status)s” cannot be moved to “%(target)s”; allowed from here: %(allowed)s."
            )
            % {
                "status": _label(registration.status),
                "target": _label(target),
                "allowed": ", ".join(str(ACTION_LABELS[a]) for a in allowed_actions(registration.status))
                or _("none"),
            },
            code="illegal_transition",
        )
    if not may_take(user, registration, action):
        raise PermissionDenied(
            _("Only an officer of %(province)s may do this.") % {"province": registration.province}
            if action in PROVINCE_ACTIONS
            else _("Only the national organiser may do this.")
        )
    from_status = registration.status
    registration.status = target
    with set_actor(user):
        registration.save()
        RegistrationTransition.objects.create(
            registration=registration,
            from_status=from_status,
            to_status=target,
            user=user,
            note=(note or "").strip(),
        )
    return registration


def _locked(registration: Registration) -> Registration:
    return Registration.objects.select_for_update().select_related("province").get(pk=registration.pk)


def _url(registration) -> str:
    return reverse("national:registration_detail", args=[registration.pk])


# --- the province's side ----------------------------------------------------------------------


def _line_values(project: Project) -> dict:
    return {
        "project": project,
        "title": project.title,
        "activity": project.activity,
        "beneficiary": project.establishment.name if project.establishment_id else "",
        "place": str(project.commune) if project.commune_id else "",
        "total_cost": project.total_cost or 0,
        "requested": project.support_appraised
        if project.support_appraised is not None
        else (project.support_requested or 0),
        "counterpart": project.counterpart or 0,
    }


@transaction.atomic
def prepare_registration(*, user, province_id, year: int) -> Registration:
    """Create (or bring up to date, while it is the province's to change) the province's registration of the
    year from its national-programme proposals of that year."""
    if not permissions.can_register_national(user, province_id):
        raise PermissionDenied(
            _("Only an officer of the province may register its proposals for national funds.")
        )
    projects = list(
        Project.objects.filter(
            province_id=province_id,
            year=year,
            programme="national",
            status__in=PROPOSAL_STATUSES,
            archived_at__isnull=True,
        ).select_related("establishment", "commune")
    )
    check_activities_in_force(year=year, items=[(p.code, p.activity) for p in projects])
    registration = Registration.objects.filter(province_id=province_id, year=year).first()
    if registration is None:
        registration = Registration(province_id=province_id, year=year)
        with set_actor(user):
            registration.save()
            RegistrationTransition.objects.create(
                registration=registration, from_status="", to_status=S.DRAFT, user=user
            )
    registration = _locked(registration)
    if registration.status not in (S.DRAFT, S.RETURNED):
        raise ValidationError(
            _("The registration of %(year)s is “%(status)s”: it can no longer be changed.")
            % {"year": year, "status": _label(registration.status)}
        )
    existing = {line.code: line for line in registration.lines.all()}
    changed = False
    with set_actor(user):
        for project in projects:
            values = _line_values(project)
            line = existing.pop(project.code, None) or RegistrationLine(
                registration=registration, code=project.code
            )
            if line.pk is None or any(getattr(line, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(line, k, v)
                line.full_clean(exclude=["registration"])
                line.save()
                changed = True
        for line in existing.values():  # withdrawn, approved locally or cancelled since
            line.delete()
            changed = True
        if (
            changed
            and registration.lines.exists()
            and registration.transitions.exclude(to_status=S.DRAFT).exists()
        ):
            registration.revision += 1
            registration.save(update_fields=["revision", "updated_at"])
    return registration


@transaction.atomic
def submit_registration(*, user, registration: Registration, note: str = "") -> Registration:
    registration = _locked(registration)
    if not registration.lines.exists():
        raise ValidationError(
            _(
                "The registration has no proposal: propose the province's national-programme projects of %(year)s first."  # noqa: E501
            )
            % {"year": registration.year}
        )
    check_activities_in_force(
        year=registration.year, items=registration.lines.order_by("code").values_list("code", "activity")
    )
    registration = _move(user=user, registration=registration, action="submit", note=note)
    notify(
        people.national_organisers(),
        kind="national",
        subject=_("%(province)s registered its proposals for national funds %(year)s")
        % {"province": registration.province, "year": registration.year},
        body=_("%(count)s projects, %(amount)s requested.")
        % {"count": registration.lines.count(), "amount": format_vnd(requested_total(registration))},
        url=_url(registration),
        key=f"national-submit-{registration.pk}-{registration.revision}",
    )
    return registration


def requested_total(registration: Registration) -> int:
    return registration.lines.aggregate(s=Sum("requested"))["s"] or 0


# --- the national organiser's side ------------------------------------------------------------


@transaction.atomic
def return_registration(*, user, registration: Registration, reason: str) -> Registration:
    registration = _locked(registration)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what the province must complete.")})
    registration = _move(user=user, registration=registration, action="return", note=reason)
    _tell_province(registration, _("Your registration for national funds %(year)s was returned"), reason)
    return registration


@transaction.atomic
def appraise_registration(
    *, user, registration: Registration, amounts: dict, notes: dict | None = None
) -> Registration:
    """Appraise every registered project: the national support the organiser accepts (0 refuses it), at most
    what was requested, with a remark."""
    registration = _locked(registration)
    if not may_take(user, registration, "appraise"):
        raise PermissionDenied(_("Only the national organiser may do this."))
    notes = notes or {}
    lines = list(registration.lines.all())
    errors = []
    for line in lines:
        amount = amounts.get(line.code, amounts.get(str(line.pk)))
        if amount is None:
            errors.append(_("%(code)s: enter the appraised amount.") % {"code": line.code})
        elif amount < 0 or amount > line.requested:
            errors.append(
                _(
                    "%(code)s: the appraised amount %(amount)s must be between 0 and the %(requested)s requested."
                )
                % {"code": line.code, "amount": format_vnd(amount), "requested": format_vnd(line.requested)}
            )
    if errors:
        raise ValidationError(errors)
    registration = _move(user=user, registration=registration, action="appraise")
    with set_actor(user):
        for line in lines:
            line.appraised = amounts.get(line.code, amounts.get(str(line.pk)))
            line.appraisal_note = (notes.get(line.code) or notes.get(str(line.pk)) or "").strip()
            line.save(update_fields=["appraised", "appraisal_note", "updated_at"])
    return registration


def appraised_by_activity(registration: Registration) -> dict[str, int]:
    return {
        r["activity"]: r["s"] or 0
        for r in registration.lines.order_by().values("activity").annotate(s=Sum("appraised"))
    }


@transaction.atomic
def allocate_registration(
    *,
    user,
    registration: Registration,
    amounts: dict[str, int],
    decision_no: str,
    decision_date: datetime.date,
    note: str = "",
) -> Registration:
    """Allocate national funds per activity (by default what was appraised), under the Ministry's decision;
    the allocation becomes the province's national budget and national lines in its plan of the year."""
    registration = _locked(registration)
    if not may_take(user, registration, "allocate"):
        raise PermissionDenied(_("Only the national organiser may do this."))
    errors = {}
    if not (decision_no or "").strip():
        errors["decision_no"] = _("Enter the number of the allocation decision.")
    if not decision_date:
        errors["decision_date"] = _("Enter the date of the allocation decision.")
    unknown = [a for a in amounts if a not in Activity.values]
    if unknown:
        errors["amounts"] = _("Unknown activity: %(codes)s.") % {"codes": ", ".join(unknown)}
    elif any(v is None or v < 0 for v in amounts.values()):
        errors["amounts"] = _("An allocated amount cannot be negative.")
    if errors:
        raise ValidationError(errors)
    check_activities_in_force(year=registration.year, items=[("", a) for a, v in amounts.items() if v])
    registration.decision_no = decision_no.strip()
    registration.decision_date = decision_date
    registration.allocation_issue += 1
    registration = _move(user=user, registration=registration, action="allocate", note=note)
    with set_actor(user):
        for gone in registration.allocations.exclude(activity__in=list(amounts)):
            gone.delete()  # an amended decision that no longer funds the activity
        for activity, amount in amounts.items():
            Allocation.objects.update_or_create(
                registration=registration, activity=activity, defaults={"amount": amount}
            )
        _write_plan(registration)
    _tell_province(
        registration,
        _("National funds %(year)s allocated to your province"),
        _("%(amount)s under decision %(decision)s.")
        % {"amount": format_vnd(sum(amounts.values())), "decision": registration.decision_no},
    )
    return registration


def _write_plan(registration: Registration) -> Plan:
    """The province's plan of the year carries the allocation as its national budget and national lines
    (activities not allocated keep no national budget)."""
    allocations = {a.activity: a.amount for a in registration.allocations.all()}
    plan, _created = Plan.objects.get_or_create(
        province_id=registration.province_id,
        year=registration.year,
        defaults={"title": _("Industrial promotion plan %(year)s") % {"year": registration.year}},
    )
    plan.national_budget = sum(allocations.values())
    plan.save(update_fields=["national_budget", "updated_at"])
    note = _("National allocation, decision %(decision)s") % {"decision": registration.decision_no}
    for line in plan.lines.filter(programme="national").exclude(activity__in=list(allocations)):
        line.amount = 0
        line.note = note
        line.save(update_fields=["amount", "note", "updated_at"])
    for activity, amount in allocations.items():
        PlanLine.objects.update_or_create(
            plan=plan, programme="national", activity=activity, defaults={"amount": amount, "note": note}
        )
    return plan


def _tell_province(registration: Registration, subject, body) -> None:
    notify(
        people.province_officers(registration.province_id),
        kind="national",
        subject=str(subject) % {"year": registration.year},
        body=str(body),
        url=_url(registration),
        key=f"national-{registration.status}-{registration.pk}-{registration.revision}-{registration.allocation_issue}",
    )


# --- the registration report, signed with the organisation's certificate ------------------------------


def report_for(registration: Registration):
    """The report issued for the registration's current revision, if any."""
    return registration.reports.filter(revision=registration.revision).first()


@transaction.atomic
def request_report_signing(*, user, registration: Registration):
    """Sign the registration report of the current revision with the organisation's certificate (pyHanko): the
    report is marked "being signed" now; the task renders, freezes and signs it after the commit."""
    from khuyencong.documents import signing
    from khuyencong.documents.models import SignatureStatus

    from .models import RegistrationReport
    from .tasks import sign_registration_report

    registration = _locked(registration)
    if not permissions.can_register_national(user, registration.province_id):
        raise PermissionDenied(_("Only an officer of the province signs its registration report."))
    if registration.status in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("Submit the registration first: the report signed is the one sent."))
    try:
        signing.signing_key()
    except signing.SigningNotConfigured as exc:
        raise ValidationError(str(exc)) from exc
    report, _created = RegistrationReport.objects.get_or_create(
        registration=registration,
        revision=registration.revision,
        defaults={"issued_on": timezone.localdate()},
    )
    if report.is_signed:
        raise ValidationError(_("The report of this revision is already signed."))
    with set_actor(user):
        report.status = SignatureStatus.SIGNING
        report.failure = ""
        report.signed_by = user
        report.save()
    transaction.on_commit(lambda: sign_registration_report.enqueue(report.pk, user.pk))
    return report


def sign_report(report_id: int, user) -> bool:
    """The task's work: render the report once (frozen with its SHA-256), then sign it; a failure is recorded
    on the report. Returns whether it was signed."""
    from django.core.files.base import ContentFile

    from khuyencong.documents import signing
    from khuyencong.documents.models import SignatureStatus

    from .models import RegistrationReport
    from .report import render_registration_pdf

    try:
        with transaction.atomic(), set_actor(user):
            report = (
                RegistrationReport.objects.select_for_update()
                .select_related("registration__province")
                .get(pk=report_id)
            )
            if report.is_signed:
                return False
            reg = report.registration
            stem = f"bao-cao-dang-ky-kcqg-{reg.province.code}-{reg.year}-r{report.revision}"
            if not report.original:
                data = render_registration_pdf(report.registration, on=report.issued_on)
                report.original.save(f"{stem}.pdf", ContentFile(data), save=False)
                report.original_sha256 = signing.sha256(data)
            result = signing.sign_pdf(
                report.original.open("rb").read(),
                reason=f"Báo cáo đăng ký kế hoạch khuyến công quốc gia năm {report.registration.year}",
                location=report.registration.province.name,
            )
            report.signed.save(f"{stem}-da-ky.pdf", ContentFile(result.data), save=False)
            report.signed_sha256 = signing.sha256(result.data)
            report.signer_name, report.signer_issuer = result.signer_name[:300], result.signer_issuer[:300]
            report.signed_at = timezone.now()
            report.status = SignatureStatus.SIGNED
            report.failure = ""
            report.save()
            return True
    except (signing.SigningNotConfigured, OSError, ValueError) as exc:
        RegistrationReport.objects.filter(pk=report_id).update(
            status=SignatureStatus.FAILED, failure=str(exc)
        )
        return False
