"""Every write of the khuyến công programme: one function per user action, one transaction each.

The project life cycle lives in TRANSITIONS below, the one place that says which step may follow
which and who may take it; every step function goes through `_move`, which checks the table,
the user's permission, records a ProjectTransition and audits the change.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts import permissions, scoping
from khuyencong.core.concurrency import check_version
from khuyencong.core.money import format_vnd
from khuyencong.core.services import apply_fields
from khuyencong.core.uploads import validate_upload

from .models import (
    ACTIVITY_LABELS_VI,
    Activity,
    AdvanceRule,
    Appraisal,
    AppraisalScheme,
    CeilingRule,
    CriterionKind,
    Disbursement,
    DocumentKind,
    PaymentKind,
    Plan,
    PlanLine,
    Project,
    ProjectDocument,
    ProjectStatus,
    ProjectTransition,
    Ranking,
    RankingEntry,
    Regulation,
    RegulationKind,
)
from .rules import RuleBook, RuleUsed, limit_of, rule_date

S = ProjectStatus


class IllegalTransition(ValidationError):
    """A step the life cycle does not allow from the project's current status."""


class CeilingExceeded(ValidationError):
    """A support amount above the regulation's ceiling."""


# action: (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "appraise": ((S.PROPOSED,), S.APPRAISED),
    "approve": ((S.APPRAISED,), S.APPROVED),
    "contract": ((S.APPROVED,), S.CONTRACTED),
    "start": ((S.CONTRACTED,), S.IN_PROGRESS),
    "accept": ((S.IN_PROGRESS,), S.ACCEPTED),
    "settle": ((S.ACCEPTED,), S.SETTLED),
    "cancel": ((S.PROPOSED, S.APPRAISED, S.APPROVED, S.CONTRACTED, S.IN_PROGRESS, S.ACCEPTED), S.CANCELLED),
}


# What must hold of a project, as it is about to be saved, for it to enter a status (besides the step's own
# arguments): the settlement needs its papers and closes with the final payment. Checked by `_move`.
def _settlement_requirements(project: Project) -> list[str]:
    problems = settlement_gaps(project)
    if not project.budget_classified:
        problems.append(
            _("the budget classification (chapter, type, item, section, sub-section) is not complete")
        )
    if project.support_settled is not None and project.support_paid != project.support_settled:
        problems.append(
            _("the payments (%(paid)s) do not equal the settled amount (%(settled)s)")
            % {"paid": format_vnd(project.support_paid), "settled": format_vnd(project.support_settled)}
        )
    return problems


ENTRY_REQUIREMENTS = {S.SETTLED: _settlement_requirements}


def settlement_gaps(project: Project) -> list[str]:
    """What an accepted project still lacks for its settlement (the papers), to say so before the officer
    tries; the classification and the final payment are entered with the settlement itself."""
    problems = []
    if not (project.acceptance_record or "").strip():
        problems.append(_("the acceptance record is not recorded"))
    missing = settlement_papers_missing(project)
    if missing:
        problems.append(
            _("the documents are not attached: %(kinds)s")
            % {"kinds": ", ".join(str(k.label) for k in missing)}
        )
    return problems


# The papers a settlement needs attached (the acceptance record and the settlement dossier).
SETTLEMENT_PAPERS = (DocumentKind.ACCEPTANCE, DocumentKind.SETTLEMENT)


def settlement_papers_missing(project: Project) -> list:
    if not project.pk:
        return list(SETTLEMENT_PAPERS)
    present = set(
        project.documents.filter(archived_at__isnull=True, kind__in=SETTLEMENT_PAPERS).values_list(
            "kind", flat=True
        )
    )
    return [kind for kind in SETTLEMENT_PAPERS if kind not in present]


class SettlementIncomplete(ValidationError):
    """A settlement without its papers, its budget classification or the payments that close it."""


ACTION_LABELS = {
    "appraise": gettext_lazy("Appraise"),
    "approve": gettext_lazy("Approve"),
    "contract": gettext_lazy("Record the contract"),
    "start": gettext_lazy("Start implementation"),
    "accept": gettext_lazy("Record acceptance"),
    "settle": gettext_lazy("Settle"),
    "cancel": gettext_lazy("Cancel"),
}


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]


def path_to(from_status: str, to_status: str) -> list[str] | None:
    """The shortest list of actions of the table leading from `from_status` ("" = not yet proposed) to
    `to_status`, or None when the table allows no way there (e.g. back from settled)."""
    if from_status == to_status:
        return []
    if not from_status:
        rest = path_to(S.PROPOSED, to_status)
        return None if rest is None else ["propose", *rest]
    frontier, seen = [(from_status, [])], {from_status}
    while frontier:
        status, actions = frontier.pop(0)
        for action in allowed_actions(status):
            target = TRANSITIONS[action][1]
            if target == to_status:
                return [*actions, action]
            if target not in seen:
                seen.add(target)
                frontier.append((target, [*actions, action]))
    return None


def path_error(from_status: str, to_status: str) -> str:
    """Why the table refuses to move a project from one status to another, naming the allowed steps."""
    return _("A project that is “%(status)s” cannot become “%(target)s”; allowed from here: %(allowed)s.") % {
        "status": _status_label(from_status),
        "target": _status_label(to_status),
        "allowed": ", ".join(str(ACTION_LABELS[a]) for a in allowed_actions(from_status)) or _("none"),
    }


def steps_of(from_status: str, actions: list[str]) -> list[tuple[str, str]]:
    """(from, to) of each action in turn, starting at `from_status`."""
    steps, status = [], from_status
    for action in actions:
        target = S.PROPOSED if action == "propose" else TRANSITIONS[action][1]
        steps.append((status, target))
        status = target
    return steps


def may_take(user, project: Project, action: str) -> bool:
    """Province officers (and admins) of the project's province take every step; a commune officer
    may only withdraw (cancel) a proposal of their own commune."""
    if scoping.is_officer(user):
        return scoping.can_edit_place(user, project.province_id, project.commune_id)
    if action == "cancel" and project.status == S.PROPOSED and scoping.is_staff_role(user):
        return scoping.can_edit_place(user, project.province_id, project.commune_id)
    return False


def actions_for(user, project: Project) -> list[str]:
    if project.is_archived:
        return []
    return [a for a in allowed_actions(project.status) if may_take(user, project, a)]


def _status_label(status: str) -> str:
    return str(S(status).label) if status else "—"


def _move(*, user, project: Project, action: str, note: str = "", fields: dict | None = None) -> Project:
    """Check the table and the permission, apply `fields`, save, and record the step."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _precheck(user, project, action)
    target = TRANSITIONS[action][1]
    if project.is_archived:
        raise ValidationError(_("An archived project cannot change."))
    from_status = project.status
    for name, value in (fields or {}).items():
        setattr(project, name, value)
    project.status = target
    requirement = ENTRY_REQUIREMENTS.get(target)
    problems = requirement(project) if requirement else []
    if problems:
        raise SettlementIncomplete(
            _("The project cannot become “%(target)s”: %(problems)s.")
            % {"target": _status_label(target), "problems": "; ".join(str(p) for p in problems)},
            code="requirements",
        )
    project.full_clean()
    with set_actor(user):
        project.save()
        ProjectTransition.objects.create(
            project=project, from_status=from_status, to_status=target, user=user, note=(note or "").strip()
        )
    return project


# --- ceilings -------------------------------------------------------------------------------


@dataclass
class CeilingCheck:
    rule: CeilingRule | None
    limit: int | None
    exceeded: bool
    message: str
    used: RuleUsed | None = None

    @property
    def refused(self) -> bool:
        return self.exceeded and self.rule is not None and self.rule.refuse

    @property
    def rule_text(self) -> str:
        """Which rule the project was checked against, in one sentence."""
        return self.used.describe() if self.used else ""


def ceiling_rule(
    activity: str, on: datetime.date | None = None, *, programme: str = "national", province_id=None
):
    """The rule in force on `on` for the activity and the source's authority (the latest that started on
    or before it; a province's resolution for its local funds, else the national circular)."""
    on = on or timezone.localdate()
    return (
        RuleBook.load().ceiling(programme=programme, province_id=province_id, activity=activity, on=on).rule
    )


def rules_for(project: Project, on: datetime.date | None = None, book: RuleBook | None = None) -> RuleUsed:
    """The rules the project is held to: those in force at its approval date for the source of its money."""
    return (book or RuleBook.load()).for_project(project, on)


def check_ceiling(
    project: Project, amount: int, on: datetime.date | None = None, book: RuleBook | None = None
) -> CeilingCheck:
    """Check an amount against the ceiling in force on `on` (default: the project's rule date)."""
    used = rules_for(project, on, book)
    rule = used.rule
    if rule is None:
        return CeilingCheck(None, None, False, "", used)
    citation = rule.citation
    if rule.max_share_percent is not None and not project.total_cost:
        return CeilingCheck(
            rule,
            None,
            True,
            _("The total cost is needed to check the ceiling of %(citation)s: %(wording)s.")
            % {"citation": citation, "wording": rule.wording},
            used,
        )
    already = 0
    if rule.max_amount is not None and rule.per_establishment_year and project.establishment_id:
        from .selectors import COMMITTED_STATUSES

        already = (
            Project.objects.filter(
                establishment_id=project.establishment_id,
                activity=project.activity,
                year=project.year,
                status__in=COMMITTED_STATUSES,
                archived_at__isnull=True,
            )
            .exclude(pk=project.pk)
            .aggregate(s=Sum("support_approved"))["s"]
            or 0
        )
    limit = limit_of(
        rule, total_cost=project.total_cost, technology_line=project.technology_line, already=already
    )
    if limit is None or amount <= limit:
        return CeilingCheck(rule, limit, False, "", used)
    return CeilingCheck(rule, limit, True, _ceiling_message(project, amount, limit, used, already), used)


def _ceiling_message(project, amount: int, limit: int, used: RuleUsed, already: int = 0) -> str:
    rule = used.rule
    message = _(
        "Support of %(amount)s is above the ceiling of %(limit)s for “%(activity)s” set by %(citation)s "
        "(in force from %(since)s): %(wording)s."
    ) % {
        "amount": format_vnd(amount),
        "limit": format_vnd(limit),
        "activity": Activity(project.activity).label,
        "citation": rule.citation,
        "since": rule.effective_from.strftime("%d/%m/%Y"),
        "wording": rule.wording,
    }
    message += " " + _("Rules of %(on)s for %(source)s.") % {
        "on": used.on.strftime("%d/%m/%Y"),
        "source": _("national funds") if project.programme == "national" else _("local funds"),
    }
    if used.fallback:
        message += " " + _(
            "No People's Council resolution of the province caps this activity: the national circular applies."
        )
    if already:
        message += " " + _(
            "The establishment already has %(already)s approved for this activity in %(year)s."
        ) % {"already": format_vnd(already), "year": project.year}
    return message


def _enforce_ceiling(
    project: Project, amount: int, field: str, on: datetime.date | None = None
) -> CeilingCheck:
    """Raise CeilingExceeded when the rule refuses (or the activity does not exist on the day);
    return the check (its warning and the rule it used) otherwise."""
    book = RuleBook.load()
    day = on or rule_date(project)
    missing = book.activity_error(project.activity, day)
    if missing:
        raise CeilingExceeded({field: missing}, code="activity_date")
    result = check_ceiling(project, amount, day, book)
    if result.refused:
        raise CeilingExceeded({field: result.message}, code="ceiling")
    return result


# --- priority points ------------------------------------------------------------------------


def current_scheme(on: datetime.date | None = None) -> AppraisalScheme | None:
    on = on or timezone.localdate()
    return AppraisalScheme.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def establishment_has_certified_product(establishment_id) -> bool:
    if not establishment_id:
        return False
    from khuyencong.selection.models import Result

    return Result.objects.filter(product__establishment_id=establishment_id, certified=True).exists()


# the establishment's flag each priority criterion of Decree 235/2025/NĐ-CP reads
PRIORITY_FLAG_OF = {
    CriterionKind.WOMEN_OWNED: "women_owned",
    CriterionKind.ETHNIC_MINORITY: "ethnic_minority_owned",
    CriterionKind.DISADVANTAGED: "disadvantaged_commune",
}


def priority_points(project: Project, scheme: AppraisalScheme | None) -> tuple[Decimal, list[dict]]:
    """Points and the reasons for each, by the scheme's criteria (max × min(1, value ÷ full_at))."""
    if scheme is None:
        return Decimal(0), []
    total = Decimal(0)
    reasons = []
    for c in scheme.criteria.exclude(kind=CriterionKind.CHECK):
        if c.kind == CriterionKind.CERTIFIED:
            value = Decimal(1 if establishment_has_certified_product(project.establishment_id) else 0)
        elif c.kind == CriterionKind.LOCAL_MATERIALS:
            value = Decimal(1 if project.local_materials else 0)
        elif c.kind in PRIORITY_FLAG_OF:
            establishment = project.establishment
            value = Decimal(
                1 if establishment is not None and getattr(establishment, PRIORITY_FLAG_OF[c.kind]) else 0
            )
        elif c.kind == CriterionKind.JOBS:
            value = Decimal(project.expected_jobs or 0)
        else:  # counterpart share of the cost, in %
            value = (
                (Decimal(project.counterpart) * 100 / Decimal(project.total_cost))
                if project.total_cost
                else Decimal(0)
            )
        ratio = min(Decimal(1), value / c.full_at) if c.full_at > 0 else Decimal(0)
        points = (c.max_points * ratio).quantize(Decimal("0.01"), ROUND_HALF_UP)
        total += points
        reasons.append(
            {
                "label": c.label,
                "value": str(value.quantize(Decimal("0.01"))),
                "points": str(points),
                "max": str(c.max_points),
            }
        )
    return total, reasons


# --- plans ----------------------------------------------------------------------------------


def _require_officer_of(user, province_id) -> None:
    if not (scoping.is_officer(user) and scoping.can_edit_place(user, province_id)):
        raise PermissionDenied(_("Only a province officer of this province may change its plan."))


@transaction.atomic
def create_plan(*, user, data: dict) -> Plan:
    province_id = getattr(data["province"], "pk", data["province"])
    _require_officer_of(user, province_id)
    plan = Plan(
        province_id=province_id,
        year=data["year"],
        title=(data.get("title") or "").strip(),
        national_budget=data.get("national_budget") or 0,
        local_budget=data.get("local_budget") or 0,
        decision_no=(data.get("decision_no") or "").strip(),
        decision_date=data.get("decision_date"),
    )
    if Plan.objects.filter(province_id=province_id, year=plan.year).exists():
        raise ValidationError(
            {
                "year": _("%(province)s already has a plan for %(year)s.")
                % {"province": plan.province, "year": plan.year}
            }
        )
    plan.full_clean()
    with set_actor(user):
        plan.save()
    return plan


@transaction.atomic
def update_plan(*, user, plan: Plan, data: dict) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    check_version(plan, data.get("version"))
    _require_officer_of(user, plan.province_id)
    for field in ["title", "national_budget", "local_budget", "decision_no", "decision_date", "notes"]:
        if field not in data:
            continue
        value = data[field]
        if isinstance(value, str):
            value = value.strip()
        elif value is None and field.endswith("budget"):
            value = 0
        setattr(plan, field, value)
    plan.full_clean()
    _check_lines_fit(plan)
    with set_actor(user):
        plan.save()
    return plan


def _check_lines_fit(plan: Plan, extra: PlanLine | None = None) -> None:
    """The activity lines of a source may not add up to more than the source's budget."""
    for programme, budget in (("national", plan.national_budget), ("local", plan.local_budget)):
        lines = plan.lines.filter(programme=programme)
        if extra is not None and extra.pk:
            lines = lines.exclude(pk=extra.pk)
        total = lines.aggregate(s=Sum("amount"))["s"] or 0
        if extra is not None and extra.programme == programme:
            total += extra.amount
        if total > budget:
            raise ValidationError(
                {
                    "amount": _(
                        "The activity lines of the %(programme)s add up to %(total)s, more than its budget of %(budget)s."  # noqa: E501
                    )
                    % {
                        "programme": _("national programme")
                        if programme == "national"
                        else _("local programme"),
                        "total": format_vnd(total),
                        "budget": format_vnd(budget),
                    }
                }
            )


@transaction.atomic
def set_plan_line(
    *, user, plan: Plan, programme: str, activity: str, amount: int, note: str = ""
) -> PlanLine:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_officer_of(user, plan.province_id)
    line = PlanLine.objects.filter(plan=plan, programme=programme, activity=activity).first() or PlanLine(
        plan=plan, programme=programme, activity=activity
    )
    line.amount = amount
    line.note = (note or "").strip()
    line.full_clean()
    _check_lines_fit(plan, line)
    with set_actor(user):
        line.save()
    return line


@transaction.atomic
def rank_proposals(*, user, plan: Plan, note: str = "") -> Ranking:
    """Rank the plan year's appraised proposals by priority points and keep the ranking with the plan.

    Within each source, in rank order, a proposal fits when the running total of appraised amounts
    stays within what is left of the source's budget after the projects already approved.
    """
    _require_officer_of(user, plan.province_id)
    from .selectors import plan_actuals

    candidates = list(
        Project.objects.filter(
            province=plan.province_id, year=plan.year, status=S.APPRAISED, archived_at__isnull=True
        ).select_related("establishment")
    )
    actual = plan_actuals(plan)
    left = {
        p: plan_budget(plan, p) - actual["by_programme"].get(p, {}).get("committed", 0)
        for p in ("national", "local")
    }
    scheme = current_scheme()
    scored = []
    for project in candidates:
        points, reasons = priority_points(project, scheme)
        scored.append((points, project, reasons))
    scored.sort(key=lambda t: (-t[0], -(t[1].counterpart or 0), t[1].code))
    ranking = Ranking(plan=plan, user=user, note=(note or "").strip())
    with set_actor(user):
        ranking.save()
        running = {"national": 0, "local": 0}
        entries = []
        for rank, (points, project, reasons) in enumerate(scored, start=1):
            amount = project.support_appraised or project.support_requested or 0
            running[project.programme] += amount
            entries.append(
                RankingEntry(
                    ranking=ranking,
                    project=project,
                    rank=rank,
                    points=points,
                    amount=amount,
                    cumulative=running[project.programme],
                    fits=running[project.programme] <= left[project.programme],
                    reasons=reasons,
                )
            )
            if project.priority_points != points:
                project.priority_points = points
                project.save(update_fields=["priority_points", "updated_at"])
        RankingEntry.objects.bulk_create(entries)
    return ranking


def plan_budget(plan: Plan, programme: str) -> int:
    return plan.national_budget if programme == "national" else plan.local_budget


# --- projects -------------------------------------------------------------------------------

PROJECT_FIELDS = [
    "code",
    "year",
    "title",
    "programme",
    "activity",
    "establishment",
    "craft_village",
    "artisan",
    "province",
    "commune",
    "description",
    "total_cost",
    "support_requested",
    "counterpart",
    "expected_jobs",
    "technology_line",
    "local_materials",
]


def project_errors(
    project: Project, establishment=None, book: RuleBook | None = None, beneficiary_field=None
) -> dict:
    """The rules of a project's own values, without a query per project (the import checks thousands at
    once with one `RuleBook`).

    `establishment` is the beneficiary (anything with `name` and `province_id`: an establishment, a craft
    village or an artisan), when there is one; `beneficiary_field` names its field for the message.
    The activity must exist, and an approved amount keep within the ceiling, by the rules in force on the
    approval date for the source of the money (`rules.RuleBook`).
    """
    errors = {}
    if establishment is not None and establishment.province_id != project.province_id:
        errors[beneficiary_field or "establishment"] = _("%(name)s is not in %(province)s.") % {
            "name": establishment.name,
            "province": project.province,
        }
    if project.activity and (project.year or project.decision_date):
        book = book or RuleBook.load()
        day = rule_date(project)
        missing = book.activity_error(project.activity, day)
        if missing:
            errors["activity"] = missing
        elif project.decision_date and project.support_approved:
            # an approval is held to the rules of its decision's date (an import records approvals too)
            used = book.for_project(project, day)
            if used.rule is not None and used.rule.refuse:
                limit = limit_of(
                    used.rule, total_cost=project.total_cost, technology_line=project.technology_line
                )
                if limit is not None and project.support_approved > limit:
                    errors["support_approved"] = _ceiling_message(
                        project, project.support_approved, limit, used
                    )
    if (
        project.total_cost is not None
        and project.support_requested is not None
        and project.support_requested > project.total_cost
    ):
        errors["support_requested"] = _(
            "The support requested (%(req)s) is more than the total cost (%(cost)s)."
        ) % {"req": format_vnd(project.support_requested), "cost": format_vnd(project.total_cost)}
    if (
        project.status == S.SETTLED
        and project.support_settled is not None
        and project.support_settled > project.support_approved
        and not (project.settlement_note or "").strip()
    ):
        errors["support_settled"] = _(
            "The settled amount %(settled)s is more than the approved %(approved)s: record the reason to settle it."
        ) % {"settled": format_vnd(project.support_settled), "approved": format_vnd(project.support_approved)}
    return errors


def _check_project(project: Project) -> None:
    errors = {}
    other = Project.objects.filter(code=project.code).exclude(pk=project.pk).first()
    if other:
        errors["code"] = _("Code %(code)s is already used by “%(title)s”.") % {
            "code": project.code,
            "title": other.title,
        }
    if sum(bool(x) for x in (project.establishment_id, project.craft_village_id, project.artisan_id)) > 1:
        errors["establishment"] = _(
            "A project has one beneficiary: an establishment, a craft village or an artisan, not several."
        )
    beneficiary_field = (
        "craft_village" if project.craft_village_id else "artisan" if project.artisan_id else "establishment"
    )
    errors |= project_errors(project, project.beneficiary, beneficiary_field=beneficiary_field)
    if errors:
        raise ValidationError(errors)


def _place_at_beneficiary(project: Project) -> None:
    """A project placed only at a province takes its beneficiary's commune there (and the province when none)."""
    est = project.establishment if project.establishment_id else None
    if est is None or project.commune_id:
        return
    if not project.province_id:
        project.province_id = est.province_id
    if est.commune_id and est.province_id == project.province_id:
        project.commune_id = est.commune_id


@transaction.atomic
def propose_project(*, user, data: dict) -> Project:
    """A commune officer (for their commune) or a province officer proposes a project."""
    project = Project()
    apply_fields(project, data, PROJECT_FIELDS)
    if project.commune_id and not project.province_id:
        project.province_id = project.commune.province_id
    _place_at_beneficiary(project)
    if not permissions.can_propose_project_at(user, project.province_id, project.commune_id):
        raise PermissionDenied(_("You may not propose projects in this place."))
    project.status = S.PROPOSED
    project.plan = Plan.objects.filter(province_id=project.province_id, year=project.year).first()
    _check_project(project)
    project.full_clean()
    with set_actor(user):
        project.save()
        ProjectTransition.objects.create(
            project=project,
            from_status="",
            to_status=S.PROPOSED,
            user=user,
            note=(data.get("note") or "").strip(),
        )
    return project


@transaction.atomic
def update_proposal(*, user, project: Project, data: dict) -> Project:
    """A proposal (or an appraised one, before approval) may still be corrected by who may propose it."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_version(project, data.get("version"))
    if project.status not in (S.PROPOSED, S.APPRAISED):
        raise ValidationError(
            _("Only a proposal can be changed; this project is “%(status)s”.")
            % {"status": _status_label(project.status)}
        )
    if not permissions.can_propose_project_at(user, project.province_id, project.commune_id):
        raise PermissionDenied(_("You may not change this project."))
    apply_fields(project, data, PROJECT_FIELDS)
    if not permissions.can_propose_project_at(user, project.province_id, project.commune_id):
        raise PermissionDenied(_("You may not move a project outside your place."))
    project.plan = Plan.objects.filter(province_id=project.province_id, year=project.year).first()
    _check_project(project)
    project.full_clean()
    with set_actor(user):
        project.save()
    return project


@transaction.atomic
def appraise_project(
    *, user, project: Project, amount: int, checks: dict | None = None, note: str = ""
) -> Project:
    """Appraise on the scheme's checklist, score the priority points and check the ceiling."""
    scheme = current_scheme()
    checks = checks or {}
    project = Project.objects.get(pk=project.pk)
    # permission and table first, so a refused user or an illegal step is reported as such
    _precheck(user, project, "appraise")
    if scheme is not None:
        missing = [
            c.label for c in scheme.criteria.filter(kind=CriterionKind.CHECK) if not checks.get(str(c.pk))
        ]
        if missing:
            raise ValidationError(
                _("The appraisal checklist is not met: %(items)s. Correct the proposal or cancel it.")
                % {"items": "; ".join(missing)}
            )
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("Enter the support amount proposed at appraisal.")})
    if project.total_cost is not None and amount > project.total_cost:
        raise ValidationError(
            {
                "amount": _("The support (%(amount)s) cannot be more than the total cost (%(cost)s).")
                % {"amount": format_vnd(amount), "cost": format_vnd(project.total_cost)}
            }
        )
    checked = _enforce_ceiling(project, amount, "amount")
    warning = checked.message
    points, reasons = priority_points(project, scheme)
    project = _move(
        user=user,
        project=project,
        action="appraise",
        note=note,
        fields={"support_appraised": amount, "priority_points": points},
    )
    with set_actor(user):
        Appraisal.objects.create(
            project=project,
            scheme=scheme,
            checks={k: bool(v) for k, v in checks.items()},
            points=points,
            breakdown=reasons,
            amount=amount,
            ceiling_note=warning,
            ceiling_rule=checked.rule,
            rule_note=checked.rule_text[:600],
            user=user,
        )
    return project


def _precheck(user, project: Project, action: str) -> None:
    sources, target = TRANSITIONS[action]
    if project.status not in sources:
        raise IllegalTransition(
            _(
                "A project that is “%(status)s” cannot be moved to “%(target)s” (%(action)s); allowed from here: %(allowed)s."  # noqa: E501
            )
            % {
                "status": _status_label(project.status),
                "target": _status_label(target),
                "action": ACTION_LABELS[action],
                "allowed": ", ".join(str(ACTION_LABELS[a]) for a in allowed_actions(project.status))
                or _("none"),
            },
            code="illegal_transition",
        )
    if not may_take(user, project, action):
        raise PermissionDenied(
            _("Only a province officer of %(province)s may %(action)s this project.")
            % {"province": project.province, "action": str(ACTION_LABELS[action]).lower()}
        )


@transaction.atomic
def approve_project(
    *,
    user,
    project: Project,
    decision_no: str,
    decision_date: datetime.date,
    amount: int | None = None,
    note: str = "",
) -> Project:
    project = Project.objects.get(pk=project.pk)
    _precheck(user, project, "approve")
    errors = {}
    if not (decision_no or "").strip():
        errors["decision_no"] = _("Enter the number of the approval decision.")
    if not decision_date:
        errors["decision_date"] = _("Enter the date of the approval decision.")
    if amount is None:
        amount = project.support_appraised or 0
    if amount <= 0:
        errors["amount"] = _("Enter the approved support amount.")
    if errors:
        raise ValidationError(errors)
    # held to the rules in force on the decision's date, for the source of its money; kept with the approval
    checked = _enforce_ceiling(project, amount, "amount", on=decision_date)
    return _move(
        user=user,
        project=project,
        action="approve",
        note=note,
        fields={
            "decision_no": decision_no.strip(),
            "decision_date": decision_date,
            "support_approved": amount,
            "rule_regulation": checked.used.regulation if checked.used else None,
            "rule_ceiling": checked.rule,
            "rule_note": checked.rule_text[:600],
        },
    )


@transaction.atomic
def contract_project(
    *, user, project: Project, contract_no: str, contract_date: datetime.date, note: str = ""
) -> Project:
    project = Project.objects.get(pk=project.pk)
    _precheck(user, project, "contract")
    if not (contract_no or "").strip() or not contract_date:
        raise ValidationError({"contract_no": _("Enter the contract number and date.")})
    return _move(
        user=user,
        project=project,
        action="contract",
        note=note,
        fields={"contract_no": contract_no.strip(), "contract_date": contract_date},
    )


@transaction.atomic
def start_project(*, user, project: Project, note: str = "") -> Project:
    return _move(user=user, project=project, action="start", note=note)


@transaction.atomic
def accept_project(
    *,
    user,
    project: Project,
    acceptance_record: str,
    acceptance_date: datetime.date,
    outcomes: dict | None = None,
    note: str = "",
) -> Project:
    project = Project.objects.get(pk=project.pk)
    _precheck(user, project, "accept")
    if not (acceptance_record or "").strip() or not acceptance_date:
        raise ValidationError({"acceptance_record": _("Enter the acceptance record (number) and its date.")})
    fields = {"acceptance_record": acceptance_record.strip(), "acceptance_date": acceptance_date}
    for key in ("jobs", "machines", "trainees", "products_developed"):
        if outcomes and outcomes.get(key) is not None:
            fields[key] = outcomes[key]
    return _move(user=user, project=project, action="accept", note=note, fields=fields)


@transaction.atomic
def settle_project(
    *,
    user,
    project: Project,
    amount: int,
    settled_date: datetime.date,
    reason: str = "",
    note: str = "",
    final_reference: str = "",
    final_paid_on: datetime.date | None = None,
    budget: dict | None = None,
) -> Project:
    """Settle, closing with the final payment (the settled amount less what was paid), once the acceptance
    record and the settlement papers are attached and the budget classification is complete; more than
    the approved amount only with a recorded reason."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _precheck(user, project, "settle")
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("Enter the settled support amount.")})
    if not settled_date:
        raise ValidationError({"settled_date": _("Enter the settlement date.")})
    reason = (reason or "").strip()
    if amount > project.support_approved and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "The settled amount %(settled)s is more than the approved %(approved)s: record the reason to settle it."  # noqa: E501
                )
                % {"settled": format_vnd(amount), "approved": format_vnd(project.support_approved)}
            }
        )
    paid = _paid(project)
    if amount < paid:
        raise ValidationError(
            {
                "amount": _(
                    "%(paid)s has already been paid, more than the settled amount of %(amount)s: the excess "
                    "must be recovered from the beneficiary before the settlement."
                )
                % {"paid": format_vnd(paid), "amount": format_vnd(amount)}
            }
        )
    final = amount - paid
    final_reference = (final_reference or "").strip()
    final_paid_on = final_paid_on or settled_date
    if final and not final_reference:
        raise ValidationError(
            {
                "final_reference": _(
                    "The settlement closes with the final payment of %(final)s: enter its payment order (reference)."
                )
                % {"final": format_vnd(final)}
            }
        )
    fields = {
        "support_settled": amount,
        "settled_date": settled_date,
        "settlement_note": reason,
        "support_paid": amount,
    }
    for name in Project.BUDGET_FIELDS:
        if budget and budget.get(name) not in (None, ""):
            fields[name] = str(budget[name]).strip()
    project = _move(user=user, project=project, action="settle", note=note, fields=fields)
    if final:
        payment = Disbursement(
            project=project,
            kind=PaymentKind.FINAL,
            amount=final,
            paid_on=final_paid_on,
            reference=final_reference,
            note=_("Final payment at settlement"),
            user=user,
        )
        payment.full_clean()
        with set_actor(user):
            payment.save()
    return project


@transaction.atomic
def cancel_project(*, user, project: Project, reason: str) -> Project:
    project = Project.objects.get(pk=project.pk)
    _precheck(user, project, "cancel")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    return _move(
        user=user, project=project, action="cancel", note=reason, fields={"cancel_reason": reason.strip()}
    )


# --- money and papers -----------------------------------------------------------------------


def _paid(project: Project) -> int:
    return project.disbursements.filter(archived_at__isnull=True).aggregate(s=Sum("amount"))["s"] or 0


def advance_rule(project: Project) -> AdvanceRule | None:
    """The advance rule of the project's activity in force on its approval decision's date (a project
    keeps the rules in force when it was approved), or today's for a project not yet approved."""
    on = project.decision_date or timezone.localdate()
    return (
        AdvanceRule.objects.filter(activity=project.activity, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


@dataclass
class AdvanceRoom:
    """What may still be advanced to a project, and why."""

    rule: AdvanceRule | None
    limit: int  # the most that may be advanced in all
    advanced: int  # advanced so far
    message: str  # the rule in words, or why no advance is possible

    @property
    def left(self) -> int:
        return max(0, self.limit - self.advanced)


def advance_room(project: Project) -> AdvanceRoom:
    rule = advance_rule(project)
    advanced = (
        project.disbursements.filter(archived_at__isnull=True, kind=PaymentKind.ADVANCE).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    if rule is None:
        return AdvanceRoom(
            None,
            0,
            advanced,
            _("No advance rule for “%(activity)s” is in force: it is paid after acceptance.")
            % {"activity": Activity(project.activity).label},
        )
    limit = int(
        (Decimal(project.support_approved) * rule.max_share_percent / 100).to_integral_value(ROUND_HALF_UP)
    )
    message = _("%(citation)s (in force from %(since)s): %(wording)s.") % {
        "citation": rule.citation,
        "since": rule.effective_from.strftime("%d/%m/%Y"),
        "wording": rule.wording,
    }
    return AdvanceRoom(rule, limit, advanced, message)


@transaction.atomic
def record_disbursement(
    *,
    user,
    project: Project,
    amount: int,
    paid_on: datetime.date,
    reference: str = "",
    note: str = "",
    progress_percent: Decimal | None = None,
) -> Disbursement:
    """A tranche paid. Before acceptance it is an advance, within the advance rule in force when the
    project was approved; after acceptance a payment, within the approved support. The settlement itself
    records the final payment, so a settled project takes no more payments."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not (scoping.is_officer(user) and scoping.can_edit_place(user, project.province_id)):
        raise PermissionDenied(_("Only a province officer may record payments."))
    if project.is_archived:
        raise ValidationError(_("An archived project cannot change."))
    if project.status == S.SETTLED:
        raise ValidationError(
            _(
                "The project is settled: its settlement closed with the final payment, no further payment is recorded."
            )
        )
    if project.status not in (S.CONTRACTED, S.IN_PROGRESS, S.ACCEPTED):
        raise ValidationError(
            _("Payments are recorded once the contract is signed; this project is “%(status)s”.")
            % {"status": _status_label(project.status)}
        )
    if not amount or amount <= 0:
        raise ValidationError({"amount": _("Enter a positive amount.")})
    if not paid_on:
        raise ValidationError({"paid_on": _("Enter the payment date.")})
    paid = _paid(project)
    kind, rule = PaymentKind.PAYMENT, None
    if project.status in (S.CONTRACTED, S.IN_PROGRESS):
        kind = PaymentKind.ADVANCE
        room = advance_room(project)
        rule = room.rule
        if rule is None:
            raise ValidationError({"amount": room.message})
        if rule.min_progress_percent is not None:
            if progress_percent is None:
                raise ValidationError(
                    {
                        "progress_percent": _(
                            "Enter the share of the work done: %(citation)s allows an advance only once it is over %(min)s %%."  # noqa: E501
                        )
                        % {"citation": rule.citation, "min": _pct(rule.min_progress_percent)}
                    }
                )
            if progress_percent <= rule.min_progress_percent:
                raise ValidationError(
                    {
                        "progress_percent": _(
                            "%(done)s %% of the work is done: %(citation)s allows an advance only once it is over %(min)s %%."  # noqa: E501
                        )
                        % {
                            "done": _pct(progress_percent),
                            "citation": rule.citation,
                            "min": _pct(rule.min_progress_percent),
                        }
                    }
                )
        if room.advanced + amount > room.limit:
            raise ValidationError(
                {
                    "amount": _(
                        "With this advance the project would have %(total)s advanced, more than the %(share)s %% "
                        "of its approved support (%(limit)s) allowed by %(citation)s; already advanced: %(advanced)s."
                    )
                    % {
                        "total": format_vnd(room.advanced + amount),
                        "share": _pct(rule.max_share_percent),
                        "limit": format_vnd(room.limit),
                        "citation": rule.citation,
                        "advanced": format_vnd(room.advanced),
                    }
                }
            )
    if paid + amount > project.support_approved:
        raise ValidationError(
            {
                "amount": _(
                    "With this payment the project would receive %(total)s, more than its approved support of %(cap)s "  # noqa: E501
                    "(already paid: %(paid)s)."
                )
                % {
                    "total": format_vnd(paid + amount),
                    "cap": format_vnd(project.support_approved),
                    "paid": format_vnd(paid),
                }
            }
        )
    d = Disbursement(
        project=project,
        kind=kind,
        rule=rule,
        amount=amount,
        paid_on=paid_on,
        progress_percent=progress_percent,
        reference=(reference or "").strip(),
        note=(note or "").strip(),
        user=user,
    )
    d.full_clean()
    project.support_paid = paid + amount
    with set_actor(user):
        d.save()
        project.save(update_fields=["support_paid", "updated_at"])
    return d


def _pct(value) -> str:
    """52,5 / 50 — a percentage as Vietnamese reads it."""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


@transaction.atomic
def set_budget_classification(*, user, project: Project, data: dict) -> Project:
    """The project's budget classification (chương, loại, khoản, mục, tiểu mục), until it is settled."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_version(project, data.get("version"))
    if not (scoping.is_officer(user) and scoping.can_edit_place(user, project.province_id)):
        raise PermissionDenied(_("Only a province officer may classify a project's budget."))
    if project.status in (S.SETTLED, S.CANCELLED) or project.is_archived:
        raise ValidationError(
            _("The budget classification of a project that is “%(status)s” cannot change.")
            % {"status": _status_label(project.status)}
        )
    changed = apply_fields(project, data, list(Project.BUDGET_FIELDS))
    project.full_clean()
    if changed:
        with set_actor(user):
            project.save()
    return project


def may_add_document(user, project: Project) -> bool:
    if scoping.is_officer(user):
        return scoping.can_edit_place(user, project.province_id, project.commune_id)
    return (
        permissions.can_propose_project_at(user, project.province_id, project.commune_id)
        and project.status == S.PROPOSED
    )


@transaction.atomic
def add_document(*, user, project: Project, kind: str, upload) -> ProjectDocument:
    if not may_add_document(user, project):
        raise PermissionDenied(_("You may not attach documents to this project."))
    try:
        validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    doc = ProjectDocument(project=project, kind=kind)
    doc.full_clean(exclude=["file"])
    with set_actor(user):
        doc.attach(upload, user)
        doc.save()
    return doc


@transaction.atomic
def archive_document(*, user, document: ProjectDocument) -> ProjectDocument:
    if not (scoping.is_officer(user) and scoping.can_edit_place(user, document.project.province_id)):
        raise PermissionDenied(_("Only a province officer may remove a document."))
    document.mark_archived(user)
    with set_actor(user):
        document.save(update_fields=["archived_at", "archived_by", "updated_at"])
    return document


# --- rules: a province's People's Council resolution ---------------------------------------


RESOLUTION_FIELDS = ["number", "title", "issued_on", "effective_from", "notes"]


def _clean_ceilings(ceilings: list[dict]) -> list[dict]:
    """The resolution's ceilings: one per activity, a share (0–100 %) and/or a VND amount."""
    rows, errors, seen = [], {}, set()
    for row in ceilings:
        activity = row.get("activity")
        share, amount = row.get("max_share_percent"), row.get("max_amount")
        if share in (None, "") and amount in (None, ""):
            continue
        if activity not in Activity.values:
            errors["ceilings"] = _("Unknown activity “%(activity)s”.") % {"activity": activity}
            continue
        label = Activity(activity).label
        if activity in seen:
            errors["ceilings"] = _("“%(activity)s” is given twice.") % {"activity": label}
            continue
        seen.add(activity)
        if share not in (None, "") and not (0 <= Decimal(share) <= 100):
            errors[f"share_{activity}"] = _(
                "The share of the cost for “%(activity)s” must be between 0 and 100 %%."
            ) % {"activity": label}
        if amount not in (None, "") and int(amount) < 0:
            errors[f"cap_{activity}"] = _("The amount for “%(activity)s” cannot be negative.") % {
                "activity": label
            }
        rows.append(
            {
                "activity": activity,
                "max_share_percent": None if share in (None, "") else Decimal(share),
                "max_amount": None if amount in (None, "") else int(amount),
                "wording": (row.get("wording") or "").strip(),
                "per_establishment_year": bool(row.get("per_establishment_year")),
            }
        )
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(
            {"ceilings": _("Give the ceiling of at least one activity (a share, an amount or both).")}
        )
    return rows


def _write_ceilings(regulation: Regulation, rows: list[dict]) -> None:
    regulation.ceilings.all().delete()
    for row in rows:
        parts = []
        if row["max_share_percent"] is not None:
            parts.append(f"tối đa {row['max_share_percent'].normalize():f} % chi phí".replace(".", ","))
        if row["max_amount"] is not None:
            parts.append(f"không quá {format_vnd(row['max_amount'])}")
        rule = CeilingRule(
            regulation=regulation,
            province_id=regulation.province_id,
            activity=row["activity"],
            effective_from=regulation.effective_from,
            max_share_percent=row["max_share_percent"],
            max_amount=row["max_amount"],
            per_establishment_year=row["per_establishment_year"],
            citation=regulation.citation,
            wording=(
                row["wording"]
                or f"{ACTIVITY_LABELS_VI.get(row['activity'], row['activity'])}: {', '.join(parts)}"
            )[:500],
            refuse=True,
        )
        rule.full_clean(exclude=["regulation", "province"])
        rule.save()


def regulation_in_use(regulation: Regulation) -> bool:
    """An approval or an appraisal was checked against one of its ceilings: they are then kept as they were."""
    return (
        Project.objects.filter(rule_ceiling__regulation=regulation).exists()
        or Project.objects.filter(rule_regulation=regulation).exists()
        or Appraisal.objects.filter(ceiling_rule__regulation=regulation).exists()
    )


@transaction.atomic
def record_resolution(*, user, province, data: dict, ceilings: list[dict]) -> Regulation:
    """A province officer records the People's Council resolution setting the local funds' ceilings;
    from its effective date, the province's local-fund projects are held to it."""
    province_id = getattr(province, "pk", province)
    if not permissions.can_record_resolution(user, province_id):
        raise PermissionDenied(
            _("Only an officer of the province may record its People's Council resolutions.")
        )
    regulation = Regulation(kind=RegulationKind.RESOLUTION, province_id=province_id)
    apply_fields(regulation, data, RESOLUTION_FIELDS)
    _check_resolution(regulation)
    rows = _clean_ceilings(ceilings)
    with set_actor(user):
        regulation.save()
        _write_ceilings(regulation, rows)
    return regulation


@transaction.atomic
def update_resolution(*, user, regulation: Regulation, data: dict, ceilings: list[dict]) -> Regulation:
    regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
    check_version(regulation, data.get("version"))
    if regulation.province_id is None or not permissions.can_record_resolution(user, regulation.province_id):
        raise PermissionDenied(
            _("Only an officer of the province may correct its People's Council resolutions.")
        )
    rows = _clean_ceilings(ceilings)
    before_from = regulation.effective_from
    apply_fields(regulation, data, RESOLUTION_FIELDS)
    _check_resolution(regulation)
    if regulation_in_use(regulation):
        old = {
            (r.activity, r.max_share_percent, r.max_amount, r.per_establishment_year)
            for r in regulation.ceilings.all()
        }
        new = {
            (r["activity"], r["max_share_percent"], r["max_amount"], r["per_establishment_year"])
            for r in rows
        }
        if old != new or before_from != regulation.effective_from:
            raise ValidationError(
                _(
                    "Projects were approved or appraised under this resolution: its ceilings and date are kept as "
                    "they were. Record the amending resolution as a new one."
                )
            )
    with set_actor(user):
        regulation.save()
        if not regulation_in_use(regulation):
            _write_ceilings(regulation, rows)
        else:
            for rule in regulation.ceilings.all():
                wording = next((r["wording"] for r in rows if r["activity"] == rule.activity), "")
                if wording and wording != rule.wording:
                    rule.wording = wording[:500]
                    rule.save(update_fields=["wording", "updated_at"])
    return regulation


@transaction.atomic
def archive_resolution(*, user, regulation: Regulation) -> Regulation:
    """Withdraw a resolution recorded by mistake (an archived one no longer holds); one in use is kept."""
    regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
    if regulation.province_id is None or not permissions.can_record_resolution(user, regulation.province_id):
        raise PermissionDenied(
            _("Only an officer of the province may withdraw its People's Council resolutions.")
        )
    if regulation_in_use(regulation):
        raise ValidationError(
            _("Projects were approved or appraised under this resolution: it cannot be withdrawn.")
        )
    regulation.mark_archived(user)
    with set_actor(user):
        regulation.save()
    return regulation


def _check_resolution(regulation: Regulation) -> None:
    errors = {}
    if not regulation.number:
        errors["number"] = _("Enter the resolution's number.")
    if not regulation.issued_on:
        errors["issued_on"] = _("Enter the date the resolution was issued.")
    if not regulation.effective_from:
        errors["effective_from"] = _("Enter the date the resolution is in force from.")
    elif regulation.issued_on and regulation.effective_from < regulation.issued_on:
        errors["effective_from"] = _("A resolution cannot be in force before it is issued (%(issued)s).") % {
            "issued": regulation.issued_on.strftime("%d/%m/%Y")
        }
    if regulation.number and (
        Regulation.objects.filter(number=regulation.number, province_id=regulation.province_id)
        .exclude(pk=regulation.pk)
        .exists()
    ):
        errors["number"] = _("Resolution %(number)s of this province is already recorded.") % {
            "number": regulation.number
        }
    if errors:
        raise ValidationError(errors)
    regulation.full_clean()
