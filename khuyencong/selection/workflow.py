"""The life cycles of a selection round and of a dossier: the one place that says which step may follow which.

Shaped like the programme's table (`programme.services.TRANSITIONS`): an action maps to the statuses it
may start from and the status it leads to. Services move a round or a dossier only through
`services._move_round` / `services._move_dossier`, which check this table, the user's permission and
write a RoundTransition / DossierTransition row (who, when, note). `STEPS` says in which statuses the
actions that do not change the status (editing, forming the council, selecting, ...) are possible.

Pages ask `allowed_actions(user, obj)` which buttons to show; they never compare statuses themselves.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.accounts.permissions import can_manage_round, can_submit_batch, may_register_for, seat

from .models import (
    Appeal,
    AppealStatus,
    BatchStatus,
    Dossier,
    DossierStatus,
    NominationBatch,
    Round,
    RoundStatus,
    Stage,
)

R = RoundStatus
D = DossierStatus


class IllegalTransition(ValidationError):
    """A step the life cycle does not allow from the record's current status."""


# --- rounds ---------------------------------------------------------------------------------

# action: (statuses it may start from, status it leads to)
ROUND_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "open_registration": ((R.DRAFT,), R.REGISTRATION),
    "close_registration": ((R.REGISTRATION,), R.SCREENING),
    "open_scoring": ((R.REGISTRATION, R.SCREENING), R.SCORING),
    "close_scoring": ((R.SCORING,), R.REVIEW),
    "start_final": ((R.REVIEW,), R.SCREENING),
    "approve": ((R.REVIEW,), R.APPROVED),
    "reopen": ((R.APPROVED,), R.REVIEW),
    "decide": ((R.APPROVED,), R.DECIDED),
}

_BEFORE_APPROVAL = (R.DRAFT, R.REGISTRATION, R.SCREENING, R.SCORING, R.REVIEW)

# actions that keep the round's status: the statuses they are possible in
ROUND_STEPS: dict[str, tuple[str, ...]] = {
    "edit": _BEFORE_APPROVAL,
    "council": _BEFORE_APPROVAL,
    "assign": _BEFORE_APPROVAL,
    "declare_conflict": _BEFORE_APPROVAL,
    "select": (R.REVIEW,),
    "record_visit": (R.SCREENING, R.SCORING, R.REVIEW),
    "nominate": (R.DECIDED,),
}

ROUND_ACTION_LABELS = {
    "open_registration": gettext_lazy("Open registration"),
    "close_registration": gettext_lazy("Close registration"),
    "open_scoring": gettext_lazy("Open scoring"),
    "close_scoring": gettext_lazy("Close scoring"),
    "start_final": gettext_lazy("Start the final stage"),
    "approve": gettext_lazy("Approve the results"),
    "reopen": gettext_lazy("Re-open"),
    "decide": gettext_lazy("Record the decision"),
    "edit": gettext_lazy("Edit"),
    "council": gettext_lazy("Change the council"),
    "assign": gettext_lazy("Assign dossiers"),
    "declare_conflict": gettext_lazy("Declare a conflict"),
    "select": gettext_lazy("Save the selection"),
    "record_visit": gettext_lazy("Record a visit"),
    "nominate": gettext_lazy("Nominate winners to the next level"),
}

# the steps a historical round (results only, recorded as decided) still takes
HISTORICAL_STEPS = ("edit", "nominate")
# steps taken by whoever sits on the council, not only by the officers running the round
COUNCIL_STEPS = ("declare_conflict",)


def _in_preliminary_of_two(round_: Round) -> bool:
    return round_.two_stage and round_.stage == Stage.PRELIMINARY


def _round_condition(round_: Round, action: str) -> str:
    """Why an action the table allows from this status does not apply to this round ("" when it does)."""
    if round_.is_historical and action not in HISTORICAL_STEPS:
        return _("A historical round records results only.")
    if action == "start_final" and not _in_preliminary_of_two(round_):
        return _("The final stage starts after the preliminary scoring of a two-stage round.")
    if action in ("approve", "select") and _in_preliminary_of_two(round_):
        return _("This round scores in two stages: the selection is made on the final stage's results.")
    if action == "record_visit" and not (round_.two_stage and round_.stage == Stage.FINAL):
        return _("Visits are recorded for dossiers retained for the final stage.")
    return ""


def round_sources(action: str) -> tuple[str, ...]:
    if action in ROUND_TRANSITIONS:
        return ROUND_TRANSITIONS[action][0]
    return ROUND_STEPS[action]


def round_actions_from(round_: Round) -> list[str]:
    """What the table (and the round's kind) allows from its current status, whoever asks."""
    return [
        a
        for a in [*ROUND_TRANSITIONS, *ROUND_STEPS]
        if round_.status in round_sources(a) and not _round_condition(round_, a)
    ]


def _may_take_round(user, round_: Round, action: str) -> bool:
    if action in COUNCIL_STEPS:
        member = seat(user, round_)
        return bool(member and member.scores_dossiers) or can_manage_round(user, round_)
    return can_manage_round(user, round_)


def _status_label(status: str, choices) -> str:
    return str(choices(status).label) if status else "—"


def check_round(user, round_: Round, action: str) -> None:
    """Raise IllegalTransition (naming what is allowed) or PermissionDenied unless the user may take the step now."""
    reason = _round_condition(round_, action)
    if round_.status not in round_sources(action) or reason:
        allowed = ", ".join(
            str(ROUND_ACTION_LABELS[a]) for a in round_actions_from(round_) if a in ROUND_TRANSITIONS
        ) or _("none")
        message = _(
            "A round that is “%(status)s” cannot take the step “%(action)s”; allowed from here: %(allowed)s."
        ) % {
            "status": _status_label(round_.status, RoundStatus),
            "action": ROUND_ACTION_LABELS[action],
            "allowed": allowed,
        }
        raise IllegalTransition(f"{reason} {message}" if reason else message, code="illegal_transition")
    if not _may_take_round(user, round_, action):
        raise PermissionDenied(_("Only the officers running this round may do this."))


# --- dossiers -------------------------------------------------------------------------------

SCORABLE = (D.ELIGIBLE, D.SCORED, D.PASSED, D.NOT_PASSED, D.CERTIFIED)
_REVIEWED = (D.ELIGIBLE, D.SCORED, D.PASSED, D.NOT_PASSED)

DOSSIER_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((D.DRAFT, D.RETURNED), D.SUBMITTED),
    "declare_eligible": ((D.SUBMITTED,), D.ELIGIBLE),
    "return": ((D.SUBMITTED,), D.RETURNED),
    "reject": ((D.SUBMITTED,), D.REJECTED),
    # taken by the round's steps (closing scoring, the final stage, approval, the decision)
    "mark_scored": ((D.ELIGIBLE,), D.SCORED),
    "retain": ((D.ELIGIBLE, D.SCORED), D.ELIGIBLE),
    "drop": ((D.ELIGIBLE, D.SCORED), D.NOT_PASSED),
    "pass": (_REVIEWED, D.PASSED),
    "fail": (_REVIEWED, D.NOT_PASSED),
    "certify": ((D.PASSED,), D.CERTIFIED),
}

DOSSIER_STEPS: dict[str, tuple[str, ...]] = {
    "edit": (D.DRAFT, D.RETURNED),
}

# the steps a round's step takes on its dossiers, never offered on a dossier's own page
ROUND_DRIVEN = ("mark_scored", "retain", "drop", "pass", "fail", "certify")
SCREENING_ACTIONS = ("declare_eligible", "return", "reject")
# how the screening form names its decisions
SCREEN_DECISIONS = {"eligible": "declare_eligible", "returned": "return", "rejected": "reject"}

DOSSIER_ACTION_LABELS = {
    "submit": gettext_lazy("Submit the dossier"),
    "declare_eligible": gettext_lazy("Eligible"),
    "return": gettext_lazy("Return for completion"),
    "reject": gettext_lazy("Reject"),
    "mark_scored": gettext_lazy("Scored"),
    "retain": gettext_lazy("Retain for the final stage"),
    "drop": gettext_lazy("Not retained for the final stage"),
    "pass": gettext_lazy("Passed"),
    "fail": gettext_lazy("Not passed"),
    "certify": gettext_lazy("Certify"),
    "edit": gettext_lazy("Edit"),
}


def dossier_sources(action: str) -> tuple[str, ...]:
    if action in DOSSIER_TRANSITIONS:
        return DOSSIER_TRANSITIONS[action][0]
    return DOSSIER_STEPS[action]


def dossier_actions_from(dossier: Dossier) -> list[str]:
    return [a for a in [*DOSSIER_TRANSITIONS, *DOSSIER_STEPS] if dossier.status in dossier_sources(a)]


def _may_take_dossier(user, dossier: Dossier, action: str) -> bool:
    if action in ("submit", "edit"):
        return may_register_for(user, dossier.establishment)
    return can_manage_round(user, dossier.round)


def check_dossier(user, dossier: Dossier, action: str, *, message: str = "") -> None:
    """Raise IllegalTransition (naming what is allowed) or PermissionDenied unless the user may take the step now."""
    if dossier.status not in dossier_sources(action):
        allowed = ", ".join(
            str(DOSSIER_ACTION_LABELS[a])
            for a in dossier_actions_from(dossier)
            if a in DOSSIER_TRANSITIONS and a not in ROUND_DRIVEN
        ) or _("none")
        text = _(
            "A dossier that is “%(status)s” cannot take the step “%(action)s”; allowed from here: %(allowed)s."
        ) % {
            "status": _status_label(dossier.status, DossierStatus),
            "action": DOSSIER_ACTION_LABELS[action],
            "allowed": allowed,
        }
        raise IllegalTransition(f"{message} {text}" if message else text, code="illegal_transition")
    if not _may_take_dossier(user, dossier, action):
        if action in ("submit", "edit"):
            raise PermissionDenied(_("You may not change this dossier."))
        raise PermissionDenied(_("Only the officers running this round may do this."))


# --- appeals --------------------------------------------------------------------------------

A = AppealStatus

# Lodging creates the appeal (from no status); the council's answer, recorded by the officers, ends it. Upholding
# goes through the round's recorded re-opening (`services.answer_appeal` calls `reopen_round`).
APPEAL_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "lodge": (("",), A.LODGED),
    "uphold": ((A.LODGED,), A.UPHELD),
    "dismiss": ((A.LODGED,), A.DISMISSED),
    "withdraw": ((A.LODGED,), A.WITHDRAWN),
}

APPEAL_ACTION_LABELS = {
    "lodge": gettext_lazy("Lodge an appeal"),
    "uphold": gettext_lazy("Uphold (re-open the round)"),
    "dismiss": gettext_lazy("Dismiss"),
    "withdraw": gettext_lazy("Withdraw the appeal"),
}

# the steps the establishment's side takes; the others are the officers'
APPELLANT_STEPS = ("lodge", "withdraw")


def appeal_actions_from(appeal: Appeal) -> list[str]:
    return [a for a, (sources, _target) in APPEAL_TRANSITIONS.items() if appeal.status in sources]


def _may_take_appeal(user, appeal: Appeal, action: str) -> bool:
    if action in APPELLANT_STEPS:
        return may_register_for(user, appeal.dossier.establishment)
    return can_manage_round(user, appeal.dossier.round)


def check_appeal(user, appeal: Appeal, action: str) -> None:
    """Raise IllegalTransition (naming what is allowed) or PermissionDenied unless the user may take the step now."""
    if appeal.status not in APPEAL_TRANSITIONS[action][0]:
        allowed = ", ".join(str(APPEAL_ACTION_LABELS[a]) for a in appeal_actions_from(appeal)) or _("none")
        raise IllegalTransition(
            _(
                "An appeal that is “%(status)s” cannot take the step “%(action)s”; allowed from here: %(allowed)s."
            )
            % {
                "status": _status_label(appeal.status, AppealStatus),
                "action": APPEAL_ACTION_LABELS[action],
                "allowed": allowed,
            },
            code="illegal_transition",
        )
    if not _may_take_appeal(user, appeal, action):
        if action in APPELLANT_STEPS:
            raise PermissionDenied(_("Only the establishment's representatives may do this."))
        raise PermissionDenied(_("Only the officers running this round may do this."))


# --- a province's submission to a region round (a batch) ----------------------------------------

B = BatchStatus

BATCH_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((B.DRAFT, B.RETURNED), B.SUBMITTED),
    "accept": ((B.SUBMITTED,), B.COMPLETE),
    "return": ((B.SUBMITTED,), B.RETURNED),
}
# the steps that keep the batch's status: changing the letter, adding or removing nominees
BATCH_STEPS: dict[str, tuple[str, ...]] = {"edit": (B.DRAFT, B.RETURNED)}
BATCH_ACTION_LABELS = {
    "submit": gettext_lazy("Submit the batch"),
    "accept": gettext_lazy("Accept as complete"),
    "return": gettext_lazy("Return to the province"),
    "edit": gettext_lazy("Edit"),
}
# taken by the province (for its people's committee); the others by those running the round
PROVINCE_BATCH_STEPS = ("submit", "edit")


def batch_sources(action: str) -> tuple[str, ...]:
    if action in BATCH_TRANSITIONS:
        return BATCH_TRANSITIONS[action][0]
    return BATCH_STEPS[action]


def batch_actions_from(batch: NominationBatch) -> list[str]:
    return [a for a in [*BATCH_TRANSITIONS, *BATCH_STEPS] if batch.status in batch_sources(a)]


def _may_take_batch(user, batch: NominationBatch, action: str) -> bool:
    if action in PROVINCE_BATCH_STEPS:
        return can_submit_batch(user, batch)
    return can_manage_round(user, batch.round)


def check_batch(user, batch: NominationBatch, action: str) -> None:
    """Raise IllegalTransition (naming what is allowed) or PermissionDenied unless the user may take the step now."""
    if batch.status not in batch_sources(action):
        allowed = ", ".join(
            str(BATCH_ACTION_LABELS[a]) for a in batch_actions_from(batch) if a in BATCH_TRANSITIONS
        ) or _("none")
        raise IllegalTransition(
            _(
                "A batch that is “%(status)s” cannot take the step “%(action)s”; allowed from here: %(allowed)s."
            )
            % {
                "status": _status_label(batch.status, BatchStatus),
                "action": BATCH_ACTION_LABELS[action],
                "allowed": allowed,
            },
            code="illegal_transition",
        )
    if not _may_take_batch(user, batch, action):
        if action in PROVINCE_BATCH_STEPS:
            raise PermissionDenied(_("Only the province's officers send its nominations."))
        raise PermissionDenied(_("Only the officers running this round may do this."))


# --- what pages ask -------------------------------------------------------------------------


def allowed_actions(user, obj) -> list[str]:
    """The actions this user may take on this round, dossier, appeal or batch now (the buttons a page shows)."""
    if isinstance(obj, NominationBatch):
        return [a for a in batch_actions_from(obj) if _may_take_batch(user, obj, a)]
    if isinstance(obj, Round):
        return [a for a in round_actions_from(obj) if _may_take_round(user, obj, a)]
    if isinstance(obj, Dossier):
        return [
            a for a in dossier_actions_from(obj) if a not in ROUND_DRIVEN and _may_take_dossier(user, obj, a)
        ]
    if isinstance(obj, Appeal):
        return [a for a in appeal_actions_from(obj) if _may_take_appeal(user, obj, a)]
    raise TypeError(f"no life cycle for {type(obj).__name__}")
