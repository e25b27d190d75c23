"""Every write of selection: one function per user action, one transaction each, permission checked, audited."""

import datetime
from decimal import Decimal

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from khuyencong.accounts import scoping
from khuyencong.accounts.permissions import (
    can_create_round,
    can_manage_round,
    can_nominate_into,
    may_register_for,
    seat,
)
from khuyencong.accounts.selectors import (
    NOT_ELIGIBLE_FOR_COUNCIL,
    council_candidates,
    national_organisers,
    province_officers,
)
from khuyencong.core.concurrency import check_version
from khuyencong.core.services import apply_fields
from khuyencong.core.uploads import validate_upload
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify

from . import deadlines, scoring, selectors, workflow
from .models import (
    Appeal,
    AppealStatus,
    AppealTransition,
    Assignment,
    BatchStatus,
    BatchTransition,
    Certificate,
    Conflict,
    ConflictKind,
    CouncilMember,
    CouncilRole,
    Criterion,
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierStatus,
    DossierTransition,
    Level,
    NominationBatch,
    NominationLetter,
    Reopening,
    Result,
    Round,
    RoundStatus,
    RoundTransition,
    Score,
    ScoreItem,
    ScoresSealed,
    Stage,
    Visit,
)

ROUND_FIELDS = [
    "code",
    "year",
    "level",
    "title",
    "province",
    "legacy_province",
    "legacy_district",
    "region",
    "commune",
    "is_historical",
    "rubric",
    "product_groups",
    "registration_opens",
    "registration_closes",
    "scoring_opens",
    "scoring_closes",
    "decision_due",
    "pass_mark",
    "quota",
    "two_stage",
    "grades_prizes",
    "advance_prizes",
    "certificate_validity_months",
    "min_sheets",
    "appeal_days",
    "outlier_threshold",
]
DOSSIER_FIELDS = ["summary", "annual_revenue", "annual_output", "markets", "workers"]
EDITABLE_DOSSIER = [DossierStatus.DRAFT, DossierStatus.RETURNED]
PRIZES = ("A", "B", "C")


class ScoringClosed(ValidationError):
    pass


# --- who is told ----------------------------------------------------------------------------


def _reps(dossier: Dossier):
    from khuyencong.accounts.selectors import representatives_of

    users = list(representatives_of(dossier.establishment))
    if dossier.registered_by_id and dossier.registered_by not in users:
        users.append(dossier.registered_by)
    return users


# --- rounds ----------------------------------------------------------------------------------


def check_round_rules(round_: Round) -> None:
    """The round rules every round meets, whoever creates it (a form, the API, an import of history)."""
    errors = {}
    if round_.level == Level.COMMUNE:
        if not round_.commune_id:
            errors["commune"] = _("A commune round needs its commune.")
        elif round_.province_id and round_.commune.province_id != round_.province_id:
            errors["commune"] = _("%(commune)s is not in %(province)s.") % {
                "commune": round_.commune,
                "province": round_.province,
            }
    elif round_.commune_id:
        errors["commune"] = _("Only a commune round names a commune.")
    rules = round_.rule_set
    if rules and not rules.holds(round_.level) and not errors.get("commune"):
        errors["level"] = _("%(level)s rounds are not held under “%(rules)s”: the levels are %(levels)s.") % {
            "level": Level(round_.level).label,
            "rules": rules,
            "levels": ", ".join(str(Level(v).label).lower() for v in rules.levels if v in Level.values),
        }
    if round_.level == Level.PROVINCE and not round_.province_id:
        errors["province"] = _("A province round needs its province.")
    if round_.level == Level.REGION and not round_.region_id:
        errors["region"] = _("A region round needs its region.")
    if round_.level == Level.DISTRICT and not round_.is_historical:
        errors["level"] = _("District rounds ended in 2025: record them as historical rounds.")
    if round_.level == Level.DISTRICT and round_.is_historical and rules and not rules.holds(Level.DISTRICT):
        errors["level"] = _("District rounds ended on 1 July 2025: a later round is a commune round.")
    if not round_.is_historical and not round_.rubric_id:
        errors["rubric"] = _("Choose the rubric version the round scores with.")
    if (
        round_.registration_opens
        and round_.registration_closes
        and round_.registration_closes < round_.registration_opens
    ):
        errors["registration_closes"] = _("Registration closes before it opens.")
    if round_.scoring_closes and round_.scoring_opens and round_.scoring_closes < round_.scoring_opens:
        errors["scoring_closes"] = _("Scoring closes before it opens.")
    if round_.pass_mark is not None and round_.rubric_id and round_.pass_mark > round_.rubric.max_total():
        errors["pass_mark"] = _("The pass mark is above the rubric's maximum of %(max)s.") % {
            "max": round_.rubric.max_total()
        }
    bad = [
        p for p in (round_.advance_prizes or "").upper().replace(" ", "").split(",") if p and p not in PRIZES
    ]
    if bad:
        errors["advance_prizes"] = _("Prizes are A, B or C, separated by commas.")
    if not round_.product_groups:
        errors["product_groups"] = _("Admit at least one product group.")
    if errors:
        raise ValidationError(errors)


def rules_date(round_: Round) -> datetime.date:
    """The day whose rules a round follows: today for a new round; a historical round's own dates."""
    if not round_.is_historical:
        return timezone.localdate()
    return round_.decision_date or round_.registration_opens or datetime.date(round_.year or 2000, 12, 31)


# Round settings whose default the rule set in force gives (round field: rule set field), when the data does
# not name the field (an API client that leaves it out; the form shows these defaults as its initial values,
# and an officer who empties one, e.g. no appeal period, is taken at their word).
RULE_DEFAULTS = {
    "min_sheets": "min_sheets",
    "appeal_days": "appeal_days",
    "certificate_validity_months": "certificate_validity_months",
}


def _take_rule_defaults(round_: Round, data: dict) -> None:
    rules = round_.rule_set
    if rules is None:
        return
    fields = {f.name for f in Round._meta.get_fields()}
    for field, rule_field in RULE_DEFAULTS.items():
        if field in fields and field not in data:
            setattr(round_, field, getattr(rules, rule_field))


@transaction.atomic
def create_round(*, user, data: dict) -> Round:
    round_ = Round()
    apply_fields(round_, data, ROUND_FIELDS)
    if round_.level == Level.COMMUNE and round_.commune_id and not round_.province_id:
        round_.province_id = round_.commune.province_id
    round_.rule_set = selectors.rule_set_in_force(rules_date(round_))
    round_.organiser = round_.rule_set.organiser_of(round_.level) if round_.rule_set else ""
    _take_rule_defaults(round_, data)
    if not can_create_round(user, round_.province_id, round_.level, round_.commune_id, round_.organiser):
        raise PermissionDenied(_("You may not open rounds for this level or place."))
    if Round.objects.filter(code=round_.code).exists():
        raise ValidationError(
            {"code": _("Code %(code)s is already used by another round.") % {"code": round_.code}}
        )
    round_.status = RoundStatus.DECIDED if round_.is_historical else RoundStatus.DRAFT
    check_round_rules(round_)
    with set_actor(user):
        round_.save()
        _record_creation(user, round_, "create")
    return round_


@transaction.atomic
def update_round(*, user, round_: Round, data: dict) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    check_version(round_, data.get("version"))
    if not can_manage_round(user, round_):
        raise PermissionDenied(_("You may not change this round."))
    if round_.scores_locked:
        raise ValidationError(_("The round's results are approved; re-open it (with a reason) to change it."))
    workflow.check_round(user, round_, "edit")
    old_rubric, old_two_stage = round_.rubric_id, round_.two_stage
    apply_fields(round_, data, ROUND_FIELDS)
    if old_rubric and round_.rubric_id != old_rubric and Score.objects.filter(dossier__round=round_).exists():
        raise ValidationError(
            {"rubric": _("Scoring has started: the round keeps the rubric version it started with.")}
        )
    if round_.two_stage != old_two_stage and Score.objects.filter(dossier__round=round_).exists():
        raise ValidationError(
            {"two_stage": _("Scoring has started: the number of stages can no longer change.")}
        )
    if round_.province_id and not can_manage_round(user, round_):
        raise PermissionDenied(_("You may not move a round outside your province."))
    check_round_rules(round_)
    with set_actor(user):
        round_.save()
    return round_


def _require_manage(user, round_):
    if not can_manage_round(user, round_):
        raise PermissionDenied(_("Only the officers running this round may do this."))


def _move_round(*, user, round_: Round, action: str, note: str = "", fields: dict | None = None) -> Round:
    """Check the table and the permission, apply `fields`, save, and record the step."""
    workflow.check_round(user, round_, action)
    from_status, target = round_.status, workflow.ROUND_TRANSITIONS[action][1]
    for name, value in (fields or {}).items():
        setattr(round_, name, value)
    round_.status = target
    with set_actor(user):
        round_.save(update_fields=["status", *(fields or {}), "updated_at"])
        RoundTransition.objects.create(
            round=round_,
            action=action,
            from_status=from_status,
            to_status=target,
            user=user,
            note=(note or "").strip(),
        )
    return round_


def _move_dossier(
    *, user, dossier: Dossier, action: str, note: str = "", fields: dict | None = None, message: str = ""
) -> Dossier:
    """Check the table and the permission, apply `fields`, save, and record the step."""
    workflow.check_dossier(user, dossier, action, message=message)
    from_status, target = dossier.status, workflow.DOSSIER_TRANSITIONS[action][1]
    for name, value in (fields or {}).items():
        setattr(dossier, name, value)
    dossier.status = target
    with set_actor(user):
        dossier.save(update_fields=["status", *(fields or {}), "updated_at"])
        DossierTransition.objects.create(
            dossier=dossier,
            action=action,
            from_status=from_status,
            to_status=target,
            user=user,
            note=(note or "").strip(),
        )
    return dossier


def _record_creation(user, obj, action: str, note: str = "") -> None:
    if isinstance(obj, Round):
        RoundTransition.objects.create(
            round=obj, action=action, from_status="", to_status=obj.status, user=user, note=note
        )
    else:
        DossierTransition.objects.create(
            dossier=obj, action=action, from_status="", to_status=obj.status, user=user, note=note
        )


@transaction.atomic
def open_registration(*, user, round_: Round) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_manage(user, round_)
    return _move_round(user=user, round_=round_, action="open_registration")


@transaction.atomic
def close_registration(*, user, round_: Round) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_manage(user, round_)
    return _move_round(user=user, round_=round_, action="close_registration")


@transaction.atomic
def open_scoring(*, user, round_: Round) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_manage(user, round_)
    workflow.check_round(user, round_, "open_scoring")
    members = list(
        round_.council.filter(role__in=[CouncilRole.CHAIR, CouncilRole.MEMBER]).select_related("user")
    )
    if not members:
        raise ValidationError(_("Form the council first: nobody can score yet."))
    eligible = round_.dossiers.filter(status=DossierStatus.ELIGIBLE)
    if not eligible.exists():
        raise ValidationError(_("No dossier has been screened eligible yet."))
    pending = round_.dossiers.filter(status=DossierStatus.SUBMITTED).count()
    if pending:
        raise ValidationError(_("%(n)s submitted dossier(s) still wait for screening.") % {"n": pending})
    with set_actor(user):
        # A dossier nobody was assigned goes to every scoring member; so does everything for a member given nothing.
        idle_members = [m for m in members if not m.assignments.exists()]
        orphans = [d for d in eligible if not d.assignments.exists()]
        pairs = {(m, d) for m in idle_members for d in eligible} | {(m, d) for m in members for d in orphans}
        for member, d in pairs:
            Assignment.objects.get_or_create(member=member, dossier=d)
    _move_round(user=user, round_=round_, action="open_scoring")
    url = reverse("selection:round_detail", args=[round_.pk])
    notify(
        [m.user for m in members],
        kind=NotificationKind.SCORING_OPEN,
        subject=_("Scoring is open: %(round)s") % {"round": round_.title},
        body=_("Dossiers are waiting for your score until %(date)s.")
        % {"date": round_.scoring_closes.strftime("%d/%m/%Y") if round_.scoring_closes else "—"},
        url=url,
        key=f"scoring-open-{round_.pk}-{round_.stage}",
    )
    return round_


@transaction.atomic
def close_scoring(*, user, round_: Round) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_manage(user, round_)
    workflow.check_round(user, round_, "close_scoring")
    if not Score.objects.filter(
        dossier__round=round_, stage=round_.stage, submitted_at__isnull=False
    ).exists():
        raise ValidationError(_("No member has submitted a score sheet yet: scoring cannot close."))
    short = selectors.dossiers_short_of_sheets(round_)
    if short:
        raise ValidationError(
            _(
                "Scoring cannot close: the round requires at least %(min)s submitted sheet(s) per dossier, "
                "and %(n)s dossier(s) have fewer: %(list)s."
            )
            % {
                "min": round_.min_sheets,
                "n": len(short),
                "list": "; ".join(_("“%(p)s” (%(k)s)") % {"p": d.product.name, "k": k} for d, k in short),
            },
            code="too_few_sheets",
        )
    for d in round_.dossiers.filter(status=DossierStatus.ELIGIBLE).select_related("round", "establishment"):
        if d.scores.filter(stage=round_.stage, submitted_at__isnull=False).exists():
            _move_dossier(user=user, dossier=d, action="mark_scored")
    return _move_round(user=user, round_=round_, action="close_scoring")


@transaction.atomic
def start_final_stage(*, user, round_: Round, retained_ids: list[int]) -> Round:
    """Two-stage rounds: keep the dossiers retained after the preliminary stage and score them again.

    The council retains by rank or pass mark and may adjust by hand: any dossier with a preliminary score may be
    retained; the others are not passed.
    """
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_manage(user, round_)
    workflow.check_round(user, round_, "start_final")
    scored = {
        r.dossier.pk for r in selectors.result_rows(round_, stage=Stage.PRELIMINARY) if r.score is not None
    }
    retained = set(retained_ids or []) & scored
    if set(retained_ids or []) - scored:
        raise ValidationError(
            _("Only dossiers with a preliminary score can be retained for the final stage.")
        )
    if not retained:
        raise ValidationError(_("Retain at least one dossier for the final stage."))
    for d in round_.dossiers.filter(status__in=selectors.SCORABLE).select_related("round", "establishment"):
        keep = d.pk in retained
        _move_dossier(
            user=user, dossier=d, action="retain" if keep else "drop", fields={"retained_for_final": keep}
        )
    return _move_round(user=user, round_=round_, action="start_final", fields={"stage": Stage.FINAL})


VISIT_TEXT_MIN = 10


@transaction.atomic
def record_visit(
    *, user, dossier: Dossier, visited_on: datetime.date | None, visitors: str, findings: str, upload=None
) -> Visit:
    """A visit to the establishment of a dossier retained for the final stage; an optional photo or document."""
    dossier = Dossier.objects.select_for_update().select_related("round").get(pk=dossier.pk)
    round_ = dossier.round
    _require_manage(user, round_)
    if not round_.two_stage or round_.stage != Stage.FINAL or not dossier.retained_for_final:
        raise ValidationError(_("Visits are recorded for dossiers retained for the final stage."))
    if round_.scores_locked or "record_visit" not in workflow.round_actions_from(round_):
        raise ValidationError(_("The results are approved: visits can no longer be recorded."))
    errors = {}
    if not visited_on:
        errors["visited_on"] = _("Enter the date of the visit.")
    elif visited_on > timezone.localdate():
        errors["visited_on"] = _("The visit cannot be in the future: record it once it has taken place.")
    if not (visitors or "").strip():
        errors["visitors"] = _("Say who visited the establishment.")
    if len((findings or "").strip()) < VISIT_TEXT_MIN:
        errors["findings"] = _("Write down what the visit found (at least %(n)s characters).") % {
            "n": VISIT_TEXT_MIN
        }
    if upload is not None:
        try:
            validate_upload(upload)
        except ValidationError as exc:
            errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    visit = Visit(
        dossier=dossier,
        visited_on=visited_on,
        visitors=visitors.strip()[:300],
        findings=findings.strip(),
        recorded_by=user,
    )
    with set_actor(user):
        if upload is not None:
            visit.attach(upload, user)
        visit.save()
    return visit


@transaction.atomic
def select_results(*, user, round_: Round, choices: dict[int, dict]) -> Round:
    """The council's selection among those who passed: {dossier_id: {"selected": bool, "prize": "A"|...}}."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_manage(user, round_)
    workflow.check_round(user, round_, "select")
    rows = {r.dossier.pk: r for r in selectors.result_rows(round_)}
    errors = []
    chosen = 0
    for dossier_id, choice in choices.items():
        row = rows.get(dossier_id)
        if row is None:
            continue
        if choice.get("selected") and not row.passed:
            errors.append(
                _("“%(p)s” did not reach the pass mark and cannot be selected.")
                % {"p": row.dossier.product.name}
            )
        if choice.get("prize") and not round_.grades_prizes:
            errors.append(_("This round does not grade prizes."))
        if choice.get("prize") and not row.passed:
            errors.append(
                _("“%(p)s” did not reach the pass mark and cannot get a prize.")
                % {"p": row.dossier.product.name}
            )
        elif choice.get("prize") and not choice.get("selected"):
            errors.append(_("“%(p)s”: only selected products get a prize.") % {"p": row.dossier.product.name})
        chosen += bool(choice.get("selected"))
    if round_.quota and chosen > round_.quota:
        errors.append(_("%(n)s selected but the quota is %(q)s.") % {"n": chosen, "q": round_.quota})
    if errors:
        raise ValidationError(sorted(set(errors)))
    with set_actor(user):
        for dossier_id, choice in choices.items():
            if dossier_id in rows:
                d = rows[dossier_id].dossier
                d.selected = bool(choice.get("selected"))
                d.prize = choice.get("prize") or ""
                d.save(update_fields=["selected", "prize", "updated_at"])
    return round_


@transaction.atomic
def approve_results(*, user, round_: Round) -> Round:
    """The council approves: results written, scores and results locked."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_manage(user, round_)
    workflow.check_round(user, round_, "approve")
    rows = selectors.result_rows(round_)
    if not any(r.score is not None for r in rows):
        raise ValidationError(_("No submitted score yet: nothing to approve."))
    use_proposal = not any(r.dossier.selected for r in rows)
    for row in rows:
        d = row.dossier
        d.round = round_
        selected = (row.proposed if use_proposal else d.selected) and row.passed
        _move_dossier(
            user=user,
            dossier=d,
            action="pass" if row.passed else "fail",
            fields={"selected": selected, "prize": d.prize if row.passed else ""},
        )
        with set_actor(user):
            result, _created = Result.objects.get_or_create(
                round=round_, product=d.product, defaults={"dossier": d}
            )
            result.dossier = d
            result.score = row.score
            result.certified = d.selected
            result.prize = d.prize
            result.save()
    _move_round(user=user, round_=round_, action="approve", fields={"scores_locked": True})
    _publish_results(round_, rows)
    return round_


def _publish_results(round_: Round, rows) -> None:
    """Approval publishes the results: each establishment is told its product's score and, when the round takes
    appeals, until when it may appeal."""
    window = selectors.appeal_window(round_)
    approvals = round_.transitions.filter(action="approve").count()
    for row in rows:
        d = row.dossier
        outcome = (
            _("selected for certification")
            if d.selected
            else _("passed, not selected")
            if row.passed
            else _("not passed")
        )
        body = _("“%(p)s”: %(score)s points, %(outcome)s.") % {
            "p": d.product.name,
            "score": _pts(row.score) if row.score is not None else "—",
            "outcome": outcome,
        }
        if window:
            body += " " + _("You may appeal on the dossier's page until %(date)s.") % {
                "date": window.closes.strftime("%d/%m/%Y")
            }
        notify(
            _reps(d),
            kind=NotificationKind.RESULTS,
            subject=_("Results published: %(round)s") % {"round": round_.title},
            body=body,
            url=reverse("selection:dossier_detail", args=[d.pk]),
            key=f"published-{round_.pk}-{d.pk}-{approvals}",
        )


@transaction.atomic
def reopen_round(*, user, round_: Round, reason: str) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_manage(user, round_)
    workflow.check_round(user, round_, "reopen")
    if len((reason or "").strip()) < 10:
        raise ValidationError({"reason": _("Say why the round is re-opened (at least 10 characters).")})
    with set_actor(user):
        Reopening.objects.create(round=round_, reason=reason.strip(), user=user)
    return _move_round(
        user=user, round_=round_, action="reopen", note=reason, fields={"scores_locked": False}
    )


def _check_no_appeal_outstanding(round_: Round) -> None:
    """The decision waits for the appeal period to end and for every appeal to be answered."""
    pending = list(selectors.pending_appeals(round_))
    if pending:
        raise ValidationError(
            _("The decision waits for the council's answer to %(n)s appeal(s): %(list)s.")
            % {"n": len(pending), "list": ", ".join(f"“{a.dossier.product.name}”" for a in pending)},
            code="appeal_pending",
        )
    window = selectors.appeal_window(round_)
    if window and window.is_open():
        raise ValidationError(
            _("The appeal period runs until %(date)s: the decision can be recorded after it ends.")
            % {"date": window.closes.strftime("%d/%m/%Y")},
            code="appeal_period_open",
        )


def _certificate_number(round_: Round, seq: int) -> str:
    return f"{round_.code}-{seq:03d}"


def _publish_dossier_photo(user, result: Result) -> None:
    """The certified product's catalogue page shows the photo sent with its dossier (unless it has one)."""
    from khuyencong.registry.services import adopt_photo

    document = (
        result.dossier.documents.filter(kind=DocumentKind.PHOTO).order_by("-created_at").first()
        if not result.product.photo
        else None
    )
    if document is not None:
        adopt_photo(user=user, product=result.product, document=document)


@transaction.atomic
def record_decision(
    *, user, round_: Round, decision_no: str, decision_date: datetime.date, signer: str
) -> list[Certificate]:
    """The people's committee's decision: recorded on the results; certificates issued to those certified."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_manage(user, round_)
    workflow.check_round(user, round_, "decide")
    _check_no_appeal_outstanding(round_)
    errors = {}
    if not (decision_no or "").strip():
        errors["decision_no"] = _("Enter the decision number.")
    if not decision_date:
        errors["decision_date"] = _("Enter the decision date.")
    if not (signer or "").strip():
        errors["signer"] = _("Enter who signed the decision.")
    if errors:
        raise ValidationError(errors)
    issued = []
    _move_round(
        user=user,
        round_=round_,
        action="decide",
        note=decision_no,
        fields={
            "decision_no": decision_no.strip(),
            "decision_date": decision_date,
            "decision_signer": signer.strip(),
        },
    )
    with set_actor(user):
        results = list(
            round_.results.select_related("product", "dossier").order_by(
                "product__group", "-score", "product__name"
            )
        )
        seq = Certificate.objects.filter(result__round=round_).count()
        for result in results:
            result.decision_no, result.decision_date = round_.decision_no, decision_date
            if result.certified and not hasattr(result, "certificate"):
                seq += 1
                number = _certificate_number(round_, seq)
                while Certificate.objects.filter(number=number).exists():
                    seq += 1
                    number = _certificate_number(round_, seq)
                valid_until = round_.certificate_valid_until(decision_date)
                cert = Certificate.objects.create(
                    result=result,
                    number=number,
                    issued_on=decision_date,
                    valid_until=valid_until,
                    signer=round_.decision_signer,
                )
                result.certificate_no = number
                issued.append(cert)
            result.save()
            if result.dossier_id and result.certified:
                result.dossier.round = round_
                _move_dossier(user=user, dossier=result.dossier, action="certify", note=result.certificate_no)
                _publish_dossier_photo(user, result)
    url = reverse("selection:results", args=[round_.pk])
    for result in results:
        if result.dossier_id:
            notify(
                _reps(result.dossier),
                kind=NotificationKind.RESULTS,
                subject=_("Results decided: %(round)s") % {"round": round_.title},
                body=(
                    _("“%(p)s” is certified (%(no)s).")
                    if result.certified
                    else _("“%(p)s” was not certified this time.")
                )
                % {"p": result.product.name, "no": result.certificate_no},
                url=url,
                key=f"results-{round_.pk}-{result.pk}",
            )
    notify(
        [m.user for m in round_.council.select_related("user")],
        kind=NotificationKind.RESULTS,
        subject=_("Results decided: %(round)s") % {"round": round_.title},
        body=_("Decision %(no)s.") % {"no": round_.decision_no},
        url=url,
        key=f"results-{round_.pk}",
    )
    return issued


@transaction.atomic
def revoke_certificate(*, user, certificate: Certificate, reason: str) -> Certificate:
    certificate = (
        Certificate.objects.select_for_update().select_related("result__round").get(pk=certificate.pk)
    )
    _require_manage(user, certificate.result.round)
    if certificate.revoked_at:
        raise ValidationError(_("This certificate is already revoked."))
    if len((reason or "").strip()) < 5:
        raise ValidationError({"reason": _("Give the reason for the revocation.")})
    with set_actor(user):
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()
        certificate.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
    return certificate


# --- dossiers --------------------------------------------------------------------------------


def _registration_deadline_passed(round_: Round) -> bool:
    return bool(round_.registration_closes and timezone.localdate() > round_.registration_closes)


def _clean_dossier(dossier: Dossier) -> None:
    errors = {}
    if not (dossier.summary or "").strip():
        errors["summary"] = _("Present the product (what it is, how it is made, what makes it typical).")
    if dossier.annual_revenue is not None and dossier.annual_revenue < 0:
        errors["annual_revenue"] = _("Revenue cannot be negative.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_dossier(*, user, round_: Round, product, data: dict) -> Dossier:
    if not may_register_for(user, product.establishment):
        raise PermissionDenied(_("You may not register products of this establishment."))
    if not round_.is_registration_open:
        raise ValidationError(_("Registration for this round is not open."))
    if _registration_deadline_passed(round_):
        raise ValidationError(
            _("Registration closed on %(date)s.") % {"date": round_.registration_closes.strftime("%d/%m/%Y")}
        )
    existing = Dossier.objects.filter(round=round_, product=product).first()
    if existing:
        raise ValidationError(
            {"product": _("“%(p)s” is already registered in this round.") % {"p": product.name}}
        )
    blocking = [c.message for c in selectors.eligibility(round_, product) if not c.ok and c.blocking]
    if blocking:
        raise ValidationError({"product": blocking})
    dossier = Dossier(round=round_, product=product, establishment=product.establishment, registered_by=user)
    apply_fields(dossier, data, DOSSIER_FIELDS)
    _clean_dossier(dossier)
    with set_actor(user):
        dossier.save()
        _record_creation(user, dossier, "register")
    return dossier


def _require_editable(user, dossier: Dossier) -> None:
    if not may_register_for(user, dossier.establishment):
        raise PermissionDenied(_("You may not change this dossier."))
    if dossier.status not in EDITABLE_DOSSIER:
        workflow.check_dossier(
            user,
            dossier,
            "edit",
            message=_("The dossier is %(status)s: it can no longer be changed.")
            % {"status": dossier.get_status_display().lower()},
        )


@transaction.atomic
def update_dossier(*, user, dossier: Dossier, data: dict) -> Dossier:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    check_version(dossier, data.get("version"))
    _require_editable(user, dossier)
    apply_fields(dossier, data, DOSSIER_FIELDS)
    _clean_dossier(dossier)
    with set_actor(user):
        dossier.save()
    return dossier


@transaction.atomic
def add_document(*, user, dossier: Dossier, kind: str, upload) -> DossierDocument:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    _require_editable(user, dossier)
    if kind not in dict(DossierDocument._meta.get_field("kind").choices):
        raise ValidationError({"kind": _("Choose what the document is.")})
    try:
        validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    doc = DossierDocument(dossier=dossier, kind=kind)
    with set_actor(user):
        doc.attach(upload, user)
        doc.save()
    return doc


@transaction.atomic
def remove_document(*, user, document: DossierDocument) -> None:
    dossier = Dossier.objects.select_for_update().get(pk=document.dossier_id)
    _require_editable(user, dossier)
    with set_actor(user):
        document.file.delete(save=False)
        document.delete()


@transaction.atomic
def submit_dossier(*, user, dossier: Dossier) -> Dossier:
    dossier = (
        Dossier.objects.select_for_update()
        .select_related("round", "product__establishment")
        .get(pk=dossier.pk)
    )
    _require_editable(user, dossier)
    round_ = dossier.round
    if dossier.batch_id and dossier.status == DossierStatus.DRAFT:
        raise ValidationError(
            _("This dossier goes with %(province)s's submission: submit the batch with its letter.")
            % {"province": dossier.batch.province}
        )
    _check_submission_open(dossier)
    problems = [
        c.message for c in selectors.eligibility(round_, dossier.product, dossier) if not c.ok and c.blocking
    ]
    _clean_dossier(dossier)
    if problems:
        raise ValidationError(problems)
    dossier = _move_dossier(
        user=user, dossier=dossier, action="submit", fields={"submitted_at": timezone.now()}
    )
    _tell_officers_submitted(dossier)
    return dossier


def _tell_officers_submitted(dossier: Dossier) -> None:
    """The officers running the round learn that a dossier waits for their screening."""
    from khuyencong.accounts.selectors import round_officers

    round_ = dossier.round
    notify(
        round_officers(round_),
        kind=NotificationKind.DOSSIER_SUBMITTED,
        subject=_("Dossier submitted: %(p)s") % {"p": dossier.product.name},
        body=_("%(e)s submitted “%(p)s” to %(round)s. It waits for your screening.")
        % {"e": dossier.establishment.name, "p": dossier.product.name, "round": round_.title},
        url=reverse("selection:dossier_detail", args=[dossier.pk]),
        key=f"submitted-{dossier.pk}-{dossier.submitted_at:%Y%m%d%H%M%S}",
    )


def _check_submission_open(dossier: Dossier) -> None:
    """A new dossier is submitted while registration is open; one returned for completion until screening
    ends (returning it implies the establishment may complete it, even after registration closed)."""
    round_ = dossier.round
    if dossier.status == DossierStatus.RETURNED:
        if round_.status not in (RoundStatus.REGISTRATION, RoundStatus.SCREENING):
            raise ValidationError(
                _("Screening of this round has ended: the returned dossier can no longer be re-submitted.")
            )
        return
    if not round_.is_registration_open:
        raise ValidationError(_("Registration for this round is not open."))
    if _registration_deadline_passed(round_):
        raise ValidationError(
            _("Registration closed on %(date)s: the dossier can no longer be submitted.")
            % {"date": round_.registration_closes.strftime("%d/%m/%Y")}
        )


SCREEN_DECISIONS = workflow.SCREEN_DECISIONS


@transaction.atomic
def screen_dossier(*, user, dossier: Dossier, decision: str, note: str = "") -> Dossier:
    dossier = Dossier.objects.select_for_update().select_related("round").get(pk=dossier.pk)
    _require_manage(user, dossier.round)
    if decision not in SCREEN_DECISIONS:
        raise ValidationError({"decision": _("Choose eligible, returned for completion or rejected.")})
    action = SCREEN_DECISIONS[decision]
    workflow.check_dossier(user, dossier, action, message=_("Only submitted dossiers are screened."))
    if decision != "eligible" and len((note or "").strip()) < 5:
        raise ValidationError({"note": _("Say why, so the establishment knows what to do.")})
    _move_dossier(
        user=user, dossier=dossier, action=action, note=note, fields={"screening_note": (note or "").strip()}
    )
    if decision in ("returned", "rejected"):
        url = reverse("selection:dossier_detail", args=[dossier.pk])
        kind = NotificationKind.DOSSIER_RETURNED if decision == "returned" else NotificationKind.OTHER
        subject = (
            _("Dossier returned for completion: %(p)s")
            if decision == "returned"
            else _("Dossier rejected: %(p)s")
        ) % {"p": dossier.product.name}
        notify(_reps(dossier), kind=kind, subject=subject, body=dossier.screening_note, url=url)
    return dossier


# --- council ---------------------------------------------------------------------------------


@transaction.atomic
def add_council_member(*, user, round_: Round, member_user, role: str) -> CouncilMember:
    _require_manage(user, round_)
    if round_.scores_locked or "council" not in workflow.round_actions_from(round_):
        raise ValidationError(_("The council of a decided round cannot change."))
    if role not in CouncilRole.values:
        raise ValidationError({"role": _("Choose chair, member or secretary.")})
    if (
        role == CouncilRole.CHAIR
        and round_.council.filter(role=CouncilRole.CHAIR).exclude(user=member_user).exists()
    ):
        raise ValidationError({"role": _("The council already has a chair.")})
    if CouncilMember.objects.filter(round=round_, user=member_user).exists():
        raise ValidationError({"user": _("%(u)s already sits on this council.") % {"u": member_user}})
    if not council_candidates(round_).filter(pk=member_user.pk).exists():
        raise ValidationError({"user": NOT_ELIGIBLE_FOR_COUNCIL % {"user": member_user}})
    with set_actor(user):
        return CouncilMember.objects.create(round=round_, user=member_user, role=role)


@transaction.atomic
def assign_dossiers(*, user, round_: Round, member: CouncilMember, group: str = "") -> int:
    """Assign a member all eligible dossiers of the round, or those of one product group."""
    _require_manage(user, round_)
    workflow.check_round(user, round_, "assign")
    if member.round_id != round_.pk or not member.scores_dossiers:
        raise ValidationError(_("Only the chair and members score dossiers."))
    qs = round_.dossiers.filter(status__in=[DossierStatus.ELIGIBLE, DossierStatus.SUBMITTED])
    if group:
        qs = qs.filter(product__group=group)
    n = 0
    with set_actor(user):
        for d in qs:
            n += Assignment.objects.get_or_create(member=member, dossier=d)[1]
    return n


@transaction.atomic
def declare_conflict(
    *, user, dossier: Dossier, reason: str, kind: str = "", member: CouncilMember | None = None
) -> Conflict:
    """A member declares a conflict of interest, hard or soft, with its reason (or the officer records it for them).

    Either kind keeps the member from scoring the dossier, so the dossier's mean is taken over the other members.
    """
    member = member or seat(user, dossier.round)
    if member is None or member.round_id != dossier.round_id:
        raise PermissionDenied(_("You do not sit on this round's council."))
    if member.user_id != user.pk and not can_manage_round(user, dossier.round):
        raise PermissionDenied(_("Only the member or the officers may record a conflict."))
    if "declare_conflict" not in workflow.round_actions_from(dossier.round):
        raise ValidationError(_("The results are approved: a conflict can no longer be declared."))
    errors = {}
    if kind not in ConflictKind.values:
        errors["kind"] = _("Say whether the conflict is hard (a direct interest) or soft (an indirect tie).")
    if len((reason or "").strip()) < 5:
        errors["reason"] = _("Say what the conflict is (e.g. related to the establishment's owner).")
    if errors:
        raise ValidationError(errors)
    if Score.objects.filter(dossier=dossier, member=member, submitted_at__isnull=False).exists():
        raise ValidationError(
            _("A score was already submitted for this dossier: tell the council secretary.")
        )
    with set_actor(user):
        conflict, _created = Conflict.objects.get_or_create(
            member=member, dossier=dossier, defaults={"reason": reason.strip(), "kind": kind}
        )
        Score.objects.filter(dossier=dossier, member=member, submitted_at__isnull=True).delete()
    return conflict


# --- scoring ---------------------------------------------------------------------------------


def scoring_seat(user, dossier: Dossier) -> CouncilMember:
    """The seat the user scores this dossier from, or the reason they may not."""
    round_ = dossier.round
    member = seat(user, round_)
    if member is None or not member.scores_dossiers:
        raise PermissionDenied(_("You do not score in this round."))
    if not Assignment.objects.filter(member=member, dossier=dossier).exists():
        raise PermissionDenied(_("This dossier is not assigned to you."))
    if Conflict.objects.filter(member=member, dossier=dossier).exists():
        raise PermissionDenied(_("You declared a conflict of interest on this dossier: you cannot score it."))
    if round_.status != RoundStatus.SCORING or round_.scores_locked:
        raise ScoringClosed(_("Scoring is not open for this round."))
    if dossier.status not in selectors.SCORABLE or (
        round_.stage == Stage.FINAL and not dossier.retained_for_final
    ):
        raise ScoringClosed(_("This dossier is not being scored."))
    return member


def may_score(user, dossier: Dossier) -> bool:
    try:
        scoring_seat(user, dossier)
    except (PermissionDenied, ValidationError):
        return False
    return True


def criteria_for(dossier: Dossier) -> list[Criterion]:
    return list(dossier.round.rubric.criteria.all())


def _pts(value) -> str:
    """Points as a Vietnamese reader writes them in a message: 15, 8,5 (not 15.00)."""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number_format(value)


def check_points(criterion, raw, maximum, *, submit: bool = False):
    """(message, None) when what was typed for a criterion is refused, else (None, points or None when empty);
    the score form also asks it as the points are typed (htmx), so a slip shows before saving."""
    if raw in (None, ""):
        if submit:
            return _("Score %(code)s before submitting (0 to %(max)s).") % {
                "code": criterion.code,
                "max": _pts(maximum),
            }, None
        return None, None
    try:
        value = scoring.to_points(raw)
    except ValueError:
        return _("%(code)s: “%(raw)s” is not a number of points.") % {
            "code": criterion.code,
            "raw": raw,
        }, None
    if scoring.out_of_bounds(value, maximum):
        return _("%(code)s: %(value)s is outside 0 to %(max)s.") % {
            "code": criterion.code,
            "value": _pts(value),
            "max": _pts(maximum),
        }, None
    return None, value


@transaction.atomic
def save_score(
    *,
    user,
    dossier: Dossier,
    points: dict,
    comments: dict | None = None,
    comment: str = "",
    submit: bool = False,
) -> Score:
    """Save a member's sheet (a draft, or submitted and sealed). `points` maps criterion id to what was typed."""
    dossier = Dossier.objects.select_related("round__rubric", "product").get(pk=dossier.pk)
    member = scoring_seat(user, dossier)
    criteria = criteria_for(dossier)
    comments = comments or {}
    errors, parsed = {}, {}
    for c in criteria:
        raw = points.get(c.pk, points.get(str(c.pk), ""))
        error, value = check_points(c, raw, c.max_for(dossier.product.group), submit=submit)
        if error:
            errors[f"c_{c.pk}"] = error
        elif value is not None:
            parsed[c.pk] = value
    if errors:
        raise ValidationError(errors)
    sheet, _created = Score.objects.select_for_update().get_or_create(
        dossier=dossier, member=member, stage=dossier.round.stage
    )
    if sheet.submitted_at:
        raise ScoresSealed(_("You already submitted this score sheet; it is sealed."))
    with set_actor(user):
        for c in criteria:
            if c.pk in parsed:
                ScoreItem.objects.update_or_create(
                    score=sheet,
                    criterion=c,
                    defaults={
                        "points": parsed[c.pk],
                        "comment": (comments.get(c.pk) or comments.get(str(c.pk)) or "").strip()[:500],
                    },
                )
            else:
                ScoreItem.objects.filter(score=sheet, criterion=c).delete()
        sheet.total = scoring.sheet_total(parsed.values())
        sheet.comment = (comment or "").strip()
        if submit:
            sheet.submitted_at = timezone.now()
        sheet.save()
    return sheet


# --- nomination and history ------------------------------------------------------------------


@transaction.atomic
def nominate(*, user, source: Round, target: Round, result_ids: list[int] | None = None) -> list[Dossier]:
    """Carry certified products into the next level's round with their dossier (no retyping)."""
    if not (can_manage_round(user, source) or scoping.is_admin(user)):
        raise PermissionDenied(_("Only the officers who ran the round may nominate its winners."))
    if not can_nominate_into(user, target):
        raise PermissionDenied(_("You may not nominate into this round."))
    if target not in selectors.next_level_rounds(source):
        raise ValidationError(_("“%(t)s” is not an open round of the next level.") % {"t": target.title})
    results = selectors.nominable_results(source)
    if result_ids is not None:
        results = results.filter(pk__in=result_ids)
    # a province's winners go to a region round in its people's committee's batch, sent with the letter
    batch = None
    if target.level == Level.REGION and source.province_id:
        batch = _batch_for(user, target, source.province_id)
    created = []
    with set_actor(user):
        for result in results:
            if Dossier.objects.filter(round=target, product=result.product).exists():
                continue
            old = result.dossier
            dossier = Dossier.objects.create(
                round=target,
                product=result.product,
                establishment=result.product.establishment,
                registered_by=user,
                status=DossierStatus.DRAFT if batch else DossierStatus.SUBMITTED,
                submitted_at=None if batch else timezone.now(),
                batch=batch,
                nominated_from=result,
                summary=old.summary if old else result.product.description or result.product.name,
                annual_revenue=old.annual_revenue if old else None,
                annual_output=old.annual_output if old else "",
                markets=old.markets if old else "",
                workers=old.workers if old else None,
            )
            _record_creation(user, dossier, "nominate", note=source.code)
            if old:
                for doc in old.documents.all():
                    DossierDocument.objects.create(
                        dossier=dossier,
                        kind=doc.kind,
                        file=doc.file.name,
                        original_name=doc.original_name,
                        size=doc.size,
                        uploaded_by=doc.uploaded_by,
                    )
            created.append(dossier)
    if result_ids and not created:
        raise ValidationError(
            _("Nothing to nominate: the products are already registered there or did not qualify.")
        )
    return created


def historical_result_errors(*, score, certified, decision_no) -> dict:
    """The rules of a result recorded without a dossier (by hand or imported), without the database."""
    errors = {}
    if score is not None and not (Decimal("0") <= score <= Decimal("100")):
        errors["score"] = _("A score is between 0 and 100.")
    if certified and not (decision_no or "").strip():
        errors["decision_no"] = _("A certified result needs its decision number.")
    return errors


@transaction.atomic
def record_historical_result(*, user, round_: Round, product, data: dict) -> Result:
    """A result of a round held before the system (no dossier): reports cover the earlier years."""
    _require_manage(user, round_)
    if not round_.is_historical:
        raise ValidationError(_("Results without dossiers are recorded on historical rounds only."))
    score = data.get("score")
    errors = historical_result_errors(
        score=score, certified=data.get("certified"), decision_no=data.get("decision_no")
    )
    if Result.objects.filter(round=round_, product=product).exists():
        errors["product"] = _("“%(p)s” already has a result in this round.") % {"p": product.name}
    if errors:
        raise ValidationError(errors)
    with set_actor(user):
        return Result.objects.create(
            round=round_,
            product=product,
            score=score,
            certified=bool(data.get("certified")),
            prize=(data.get("prize") or "").strip(),
            certificate_no=(data.get("certificate_no") or "").strip(),
            decision_no=(data.get("decision_no") or "").strip(),
            decision_date=data.get("decision_date"),
        )


# --- reminders -------------------------------------------------------------------------------


def send_reminders(
    *, today: datetime.date | None = None, days: int = 3
) -> int:  # registered with notifications
    """Deadline near: establishments with unsubmitted dossiers, members with unsubmitted sheets."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days)
    sent = 0
    for round_ in Round.objects.filter(
        status=RoundStatus.REGISTRATION, registration_closes__range=(today, horizon)
    ):
        for d in round_.dossiers.filter(status__in=EDITABLE_DOSSIER).select_related(
            "product", "establishment"
        ):
            sent += notify(
                _reps(d),
                kind=NotificationKind.DEADLINE,
                subject=_("Registration closes on %(date)s: %(p)s")
                % {"date": round_.registration_closes.strftime("%d/%m/%Y"), "p": d.product.name},
                body=_("The dossier is not submitted yet."),
                url=reverse("selection:dossier_detail", args=[d.pk]),
                key=f"deadline-reg-{d.pk}-{round_.registration_closes}",
            )
    for round_ in Round.objects.filter(status=RoundStatus.SCORING, scoring_closes__range=(today, horizon)):
        for member in round_.council.filter(role__in=[CouncilRole.CHAIR, CouncilRole.MEMBER]).select_related(
            "user"
        ):
            missing = selectors.dossiers_to_score(member.user).filter(round=round_).count()
            if missing:
                sent += notify(
                    [member.user],
                    kind=NotificationKind.DEADLINE,
                    subject=_("Scoring closes on %(date)s: %(n)s dossier(s) to score")
                    % {"date": round_.scoring_closes.strftime("%d/%m/%Y"), "n": missing},
                    url=reverse("selection:round_detail", args=[round_.pk]),
                    key=f"deadline-score-{round_.pk}-{member.pk}-{round_.scoring_closes}",
                )
    return sent


# --- appeals -----------------------------------------------------------------------------------

APPEAL_TEXT_MIN = 20
ANSWER_TEXT_MIN = 10


def _move_appeal(*, user, appeal: Appeal, action: str, note: str = "", fields: dict | None = None) -> Appeal:
    """Check the table and the permission, apply `fields`, save, and record the step."""
    workflow.check_appeal(user, appeal, action)
    from_status, target = appeal.status, workflow.APPEAL_TRANSITIONS[action][1]
    for name, value in (fields or {}).items():
        setattr(appeal, name, value)
    appeal.status = target
    with set_actor(user):
        appeal.save()
        AppealTransition.objects.create(
            appeal=appeal,
            action=action,
            from_status=from_status,
            to_status=target,
            user=user,
            note=(note or "").strip(),
        )
    return appeal


def _appeal_audience(appeal: Appeal) -> list:
    """Who hears of an appeal's steps: the officers running the round, the chair and the secretary."""
    from khuyencong.accounts.selectors import round_officers

    round_ = appeal.dossier.round
    users = list(round_officers(round_))
    for member in round_.council.filter(role__in=[CouncilRole.CHAIR, CouncilRole.SECRETARY]).select_related(
        "user"
    ):
        if member.user not in users:
            users.append(member.user)
    return users


@transaction.atomic
def lodge_appeal(*, user, dossier: Dossier, grounds: str) -> Appeal:
    """A representative appeals against the dossier's published result, within the round's appeal period."""
    dossier = (
        Dossier.objects.select_for_update()
        .select_related("round", "product", "establishment")
        .get(pk=dossier.pk)
    )
    round_ = dossier.round
    appeal = Appeal(dossier=dossier, status="", lodged_by=user)
    workflow.check_appeal(user, appeal, "lodge")
    if not round_.appeal_days:
        raise ValidationError(_("This round takes no appeals."), code="no_appeals")
    window = selectors.appeal_window(round_)
    if window is None or round_.status != RoundStatus.APPROVED:
        raise ValidationError(
            _("An appeal can be lodged once the results are published and before the decision."),
            code="not_published",
        )
    if not window.is_open():
        raise ValidationError(
            _("The appeal period ended on %(date)s (%(n)s days after the results were published on %(pub)s).")
            % {
                "date": window.closes.strftime("%d/%m/%Y"),
                "n": round_.appeal_days,
                "pub": window.published_on.strftime("%d/%m/%Y"),
            },
            code="appeal_period_over",
        )
    if dossier.status not in (DossierStatus.PASSED, DossierStatus.NOT_PASSED):
        raise ValidationError(_("Only a dossier with a published result can be appealed."), code="no_result")
    if Appeal.objects.filter(dossier=dossier, status=AppealStatus.LODGED).exists():
        raise ValidationError(_("This dossier already has an appeal awaiting an answer."), code="pending")
    if len((grounds or "").strip()) < APPEAL_TEXT_MIN:
        raise ValidationError(
            {
                "grounds": _("Say what is contested and why (at least %(n)s characters).")
                % {"n": APPEAL_TEXT_MIN}
            }
        )
    appeal.grounds = grounds.strip()
    appeal.lodged_at = timezone.now()
    _move_appeal(user=user, appeal=appeal, action="lodge", note=appeal.grounds)
    url = reverse("selection:results", args=[round_.pk]) + "#appeals"
    notify(
        _appeal_audience(appeal),
        kind=NotificationKind.APPEAL,
        subject=_("Appeal lodged: %(p)s") % {"p": dossier.product.name},
        body=appeal.grounds,
        url=url,
        key=f"appeal-lodged-{appeal.pk}",
    )
    notify(
        _reps(dossier),
        kind=NotificationKind.APPEAL,
        subject=_("Your appeal is recorded: %(p)s") % {"p": dossier.product.name},
        body=_("The council will answer it; the decision waits for the answer."),
        url=reverse("selection:dossier_detail", args=[dossier.pk]),
        key=f"appeal-recorded-{appeal.pk}",
    )
    return appeal


@transaction.atomic
def answer_appeal(*, user, appeal: Appeal, upheld: bool, answer: str) -> Appeal:
    """The officer records the council's answer. Upheld: the round goes through the recorded re-opening, so the
    results can be corrected and approved again."""
    appeal = (
        Appeal.objects.select_for_update()
        .select_related("dossier__round", "dossier__product")
        .get(pk=appeal.pk)
    )
    action = "uphold" if upheld else "dismiss"
    workflow.check_appeal(user, appeal, action)
    if len((answer or "").strip()) < ANSWER_TEXT_MIN:
        raise ValidationError(
            {"answer": _("Write the council's answer (at least %(n)s characters).") % {"n": ANSWER_TEXT_MIN}}
        )
    round_ = appeal.dossier.round
    fields = {"answer": answer.strip(), "answered_by": user, "answered_at": timezone.now()}
    if upheld:
        if round_.status == RoundStatus.APPROVED:
            reason = _("Appeal on “%(p)s” upheld: %(answer)s") % {
                "p": appeal.dossier.product.name,
                "answer": answer.strip(),
            }
            reopen_round(user=user, round_=round_, reason=reason)
            fields["reopening"] = round_.reopenings.order_by("-created_at", "-pk").first()
        elif round_.status == RoundStatus.REVIEW and round_.reopenings.exists():
            # already re-opened (another appeal, a correction): this appeal rides on that re-opening
            fields["reopening"] = round_.reopenings.order_by("-created_at", "-pk").first()
        else:
            raise ValidationError(_("The round can no longer be re-opened: it is decided."), code="decided")
    _move_appeal(user=user, appeal=appeal, action=action, note=answer, fields=fields)
    subject = (_("Appeal upheld: %(p)s") if upheld else _("Appeal dismissed: %(p)s")) % {
        "p": appeal.dossier.product.name
    }
    appellants = _reps(appeal.dossier)
    if appeal.lodged_by not in appellants:
        appellants.append(appeal.lodged_by)
    notify(
        appellants,
        kind=NotificationKind.APPEAL,
        subject=subject,
        body=appeal.answer,
        url=reverse("selection:dossier_detail", args=[appeal.dossier_id]),
        key=f"appeal-answered-{appeal.pk}",
    )
    notify(
        _appeal_audience(appeal),
        kind=NotificationKind.APPEAL,
        subject=subject,
        body=appeal.answer,
        url=reverse("selection:results", args=[round_.pk]) + "#appeals",
        key=f"appeal-answered-{appeal.pk}",
    )
    return appeal


@transaction.atomic
def withdraw_appeal(*, user, appeal: Appeal) -> Appeal:
    appeal = (
        Appeal.objects.select_for_update()
        .select_related("dossier__round", "dossier__product")
        .get(pk=appeal.pk)
    )
    _move_appeal(user=user, appeal=appeal, action="withdraw")
    notify(
        _appeal_audience(appeal),
        kind=NotificationKind.APPEAL,
        subject=_("Appeal withdrawn: %(p)s") % {"p": appeal.dossier.product.name},
        url=reverse("selection:results", args=[appeal.dossier.round_id]) + "#appeals",
        key=f"appeal-withdrawn-{appeal.pk}",
    )
    return appeal


# --- certificate expiry ---------------------------------------------------------------------------


def expiry_notice_days() -> int:
    """How long before expiry holders are told (30 days, as for OCOP certificates; the setting changes it)."""
    from django.conf import settings

    return int(getattr(settings, "CERTIFICATE_EXPIRY_NOTICE_DAYS", 30))


def send_expiry_reminders(*, today: datetime.date | None = None, days: int = 3) -> int:  # registered
    """Certificates expiring within the notice period: the establishment's representatives, the officers who ran
    the round and those of the establishment's province are told once per certificate and expiry date, so they can
    register the product again. `days` (the general deadline horizon) does not apply: the notice period does."""
    from khuyencong.accounts.selectors import province_officers, representatives_of, round_officers

    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=expiry_notice_days())
    sent = 0
    expiring = Certificate.objects.filter(
        revoked_at__isnull=True, valid_until__range=(today, horizon)
    ).select_related("result__round", "result__product__establishment")
    for cert in expiring:
        product, round_ = cert.result.product, cert.result.round
        renewed = Certificate.objects.filter(
            result__product=product,
            result__round__level=round_.level,
            revoked_at__isnull=True,
            valid_until__gt=cert.valid_until,
        ).exists()
        if renewed:
            continue
        users = list(representatives_of(product.establishment))
        for officer in [*round_officers(round_), *province_officers(product.establishment.province_id)]:
            if officer not in users:
                users.append(officer)
        sent += notify(
            users,
            kind=NotificationKind.EXPIRY,
            subject=_("Certificate %(no)s expires on %(date)s: %(p)s")
            % {"no": cert.number, "date": cert.valid_until.strftime("%d/%m/%Y"), "p": product.name},
            body=_(
                "“%(p)s” (%(est)s) was certified in “%(round)s”. To keep the certification, register the product "
                "again in a round of the same level before the certificate expires."
            )
            % {"p": product.name, "est": product.establishment.name, "round": round_.title},
            url=reverse("registry:product_detail", args=[product.pk]),
            key=f"certificate-expiry-{cert.pk}-{cert.valid_until}",
        )
    return sent


# --- a province's submission to a region round: one batch, with its people's committee's letter -------

BATCH_FIELDS = ["letter_no", "letter_date"]


def _batch_for(user, round_: Round, province_id) -> NominationBatch:
    """The province's batch for the round, opened (as a draft) on its first nomination."""
    batch = NominationBatch.objects.select_for_update().filter(round=round_, province_id=province_id).first()
    if batch is None:
        with set_actor(user):
            batch = NominationBatch.objects.create(round=round_, province_id=province_id)
            BatchTransition.objects.create(
                batch=batch, action="open", from_status="", to_status=batch.status, user=user
            )
    elif batch.status not in workflow.batch_sources("edit"):
        raise ValidationError(
            _("%(province)s's submission is already sent (%(status)s): no nominee can be added now.")
            % {"province": batch.province, "status": batch.get_status_display().lower()}
        )
    return batch


def _move_batch(*, user, batch: NominationBatch, action: str, note: str = "", fields: dict | None = None):
    """Check the table and the permission, apply `fields`, save, and record the step."""
    workflow.check_batch(user, batch, action)
    from_status, target = batch.status, workflow.BATCH_TRANSITIONS[action][1]
    for name, value in (fields or {}).items():
        setattr(batch, name, value)
    batch.status = target
    with set_actor(user):
        batch.save(update_fields=["status", *(fields or {}), "updated_at"])
        BatchTransition.objects.create(
            batch=batch,
            action=action,
            from_status=from_status,
            to_status=target,
            user=user,
            note=(note or "").strip(),
        )
    return batch


def _batch_url(batch: NominationBatch) -> str:
    return reverse("selection:batch_detail", args=[batch.pk])


@transaction.atomic
def update_batch(*, user, batch: NominationBatch, data: dict, letter=None) -> NominationBatch:
    """The letter that sends the batch: its number and date, and the signed PDF (replacing an earlier one)."""
    batch = NominationBatch.objects.select_for_update().select_related("round", "province").get(pk=batch.pk)
    check_version(batch, data.get("version"))
    workflow.check_batch(user, batch, "edit")
    if "letter_no" in data and data["letter_no"] is None:
        data = {**data, "letter_no": ""}  # an API client's null clears the number
    apply_fields(batch, data, BATCH_FIELDS)
    errors = {}
    if batch.letter_date and batch.letter_date > timezone.localdate():
        errors["letter_date"] = _("The letter cannot be dated in the future.")
    if letter is not None:
        try:
            validate_upload(letter)
        except ValidationError as exc:
            errors["letter"] = exc.messages
        else:
            if not letter.name.lower().endswith(".pdf"):
                errors["letter"] = _("The signed letter is a PDF file.")
    if errors:
        raise ValidationError(errors)
    with set_actor(user):
        batch.save()
        if letter is not None:
            doc = NominationLetter(batch=batch)
            doc.attach(letter, user)
            doc.save()
    return batch


@transaction.atomic
def remove_from_batch(*, user, batch: NominationBatch, dossier: Dossier) -> None:
    """Take a nominee out of a batch still being prepared: its draft dossier is rejected (kept), never deleted."""
    batch = NominationBatch.objects.select_for_update().get(pk=batch.pk)
    workflow.check_batch(user, batch, "edit")
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk, batch=batch)
    if dossier.status != DossierStatus.DRAFT:
        raise ValidationError(_("Only a nominee not yet sent can be taken out of the batch."))
    with set_actor(user):
        dossier.batch = None
        dossier.status = DossierStatus.REJECTED
        dossier.screening_note = _("Withdrawn by the province before submission.")
        dossier.save(update_fields=["batch", "status", "screening_note", "updated_at"])
        DossierTransition.objects.create(
            dossier=dossier,
            action="withdraw",
            from_status=DossierStatus.DRAFT,
            to_status=DossierStatus.REJECTED,
            user=user,
            note=dossier.screening_note,
        )


@transaction.atomic
def submit_batch(*, user, batch: NominationBatch) -> NominationBatch:
    """The province sends its nominees in one batch with the letter; every dossier not yet sent is submitted."""
    batch = NominationBatch.objects.select_for_update().select_related("round", "province").get(pk=batch.pk)
    workflow.check_batch(user, batch, "submit")
    round_ = batch.round
    if batch.status == BatchStatus.RETURNED:
        if round_.status not in (RoundStatus.REGISTRATION, RoundStatus.SCREENING):
            raise ValidationError(
                _("Screening of this round has ended: the batch can no longer be re-submitted.")
            )
    elif not round_.is_registration_open or _registration_deadline_passed(round_):
        raise ValidationError(
            _("Registration for this round is not open: the batch can no longer be submitted.")
        )
    problems = selectors.batch_problems(batch)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    for dossier in batch.dossiers.select_for_update().filter(
        status__in=[DossierStatus.DRAFT, DossierStatus.RETURNED]
    ):
        _move_dossier(
            user=user, dossier=dossier, action="submit", note=batch.letter_no, fields={"submitted_at": now}
        )
    _move_batch(user=user, batch=batch, action="submit", note=batch.letter_no, fields={"submitted_at": now})
    count = batch.dossiers.exclude(status=DossierStatus.REJECTED).count()
    notify(
        list(national_organisers()),
        kind=NotificationKind.OTHER,
        subject=_("%(province)s submitted %(n)s nomination(s) to %(round)s")
        % {"province": batch.province, "n": count, "round": round_.title},
        body=_("Letter %(no)s of %(date)s.")
        % {"no": batch.letter_no, "date": batch.letter_date.strftime("%d/%m/%Y")},
        url=_batch_url(batch),
        key=f"batch-submitted-{batch.pk}-{now.isoformat()}",
    )
    return batch


@transaction.atomic
def accept_batch(*, user, batch: NominationBatch, note: str = "") -> NominationBatch:
    """The organiser finds the submission complete: the round's working days (30) run from its submission."""
    batch = (
        NominationBatch.objects.select_for_update(of=("self", "round"))  # the rule set may be null
        .select_related("round__rule_set", "province")
        .get(pk=batch.pk)
    )
    workflow.check_batch(user, batch, "accept")
    days = batch.round.rule_set.region_working_days if batch.round.rule_set_id else 30
    due = deadlines.add_working_days(timezone.localtime(batch.submitted_at).date(), days)
    _move_batch(
        user=user,
        batch=batch,
        action="accept",
        note=note,
        fields={"completed_at": timezone.now(), "due_on": due},
    )
    notify(
        list(province_officers(batch.province_id)),
        kind=NotificationKind.OTHER,
        subject=_("Your submission to %(round)s is complete: decision due by %(date)s")
        % {"round": batch.round.title, "date": due.strftime("%d/%m/%Y")},
        body=_(
            "%(n)s working days from the submission of %(submitted)s, weekends and public holidays excluded."
        )
        % {"n": days, "submitted": timezone.localtime(batch.submitted_at).strftime("%d/%m/%Y")},
        url=_batch_url(batch),
        key=f"batch-complete-{batch.pk}",
    )
    return batch


@transaction.atomic
def return_batch(*, user, batch: NominationBatch, note: str) -> NominationBatch:
    """The organiser returns the submission for completion, saying what is missing; the days do not run."""
    batch = NominationBatch.objects.select_for_update().select_related("round", "province").get(pk=batch.pk)
    workflow.check_batch(user, batch, "return")
    if len((note or "").strip()) < 5:
        raise ValidationError({"note": _("Say what is missing, so the province knows what to do.")})
    _move_batch(user=user, batch=batch, action="return", note=note, fields={"screening_note": note.strip()})
    notify(
        list(province_officers(batch.province_id)),
        kind=NotificationKind.DOSSIER_RETURNED,
        subject=_("Your submission to %(round)s was returned for completion") % {"round": batch.round.title},
        body=batch.screening_note,
        url=_batch_url(batch),
        key=f"batch-returned-{batch.pk}-{batch.transitions.count()}",
    )
    return batch


def send_batch_reminders(
    *, today: datetime.date | None = None, days: int = 3
) -> int:  # registered with notifications
    """A region round's decision due within `days`: the organisers are told, per province's submission."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days)
    organisers = list(national_organisers())
    sent = 0
    for batch in selectors.open_batches_due(today, horizon).select_related("round", "province"):
        sent += notify(
            organisers,
            kind=NotificationKind.DEADLINE,
            subject=_("%(round)s: decision on %(province)s's submission due by %(date)s")
            % {
                "round": batch.round.title,
                "province": batch.province,
                "date": batch.due_on.strftime("%d/%m/%Y"),
            },
            body=_("%(n)s working day(s) left.") % {"n": deadlines.working_days_left(today, batch.due_on)},
            url=_batch_url(batch),
            key=f"deadline-batch-{batch.pk}-{batch.due_on}",
        )
    return sent
