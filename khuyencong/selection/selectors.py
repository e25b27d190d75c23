"""Every scoped or aggregated read of selection."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions, scoping
from khuyencong.accounts.permissions import can_manage_round

from . import diagnostics, scoring
from .models import (
    LEVEL_BELOW,
    NEXT_LEVEL,
    REQUIRED_DOCUMENTS,
    BatchStatus,
    Certificate,
    CouncilMember,
    CouncilRole,
    Dossier,
    DossierStatus,
    Level,
    NominationBatch,
    Result,
    Round,
    RoundStatus,
    RuleSet,
    Score,
    Stage,
)

SCORABLE = [
    DossierStatus.ELIGIBLE,
    DossierStatus.SCORED,
    DossierStatus.PASSED,
    DossierStatus.NOT_PASSED,
    DossierStatus.CERTIFIED,
]


def visible_rounds(user) -> QuerySet[Round]:
    """Rounds of the user's province, its region and the nation; rounds being prepared only to those running them."""
    qs = Round.objects.select_related("province", "region", "legacy_province", "legacy_district", "rubric")
    if not scoping.is_authenticated(user):
        return qs.none()
    seats = Q(council__user=user)
    if permissions.is_country_wide(user):
        return qs
    province_id = user.province_id
    if permissions.is_representative(user):
        province_id = user.establishment.province_id
    region_id = user.region_id
    if province_id:
        from khuyencong.geo.models import Province

        region_id = Province.objects.filter(pk=province_id).values_list("region_id", flat=True).first()
    place = Q(level=Level.NATIONAL)
    if province_id:
        place |= Q(province_id=province_id)
    if region_id:
        place |= Q(region_id=region_id) | Q(province__region_id=region_id, level=Level.REGION)
    qs = qs.filter(place | seats).distinct()
    if not permissions.is_province_officer(user):
        qs = qs.exclude(Q(status=RoundStatus.DRAFT) & ~seats)
    return qs


def visible_dossiers(user) -> QuerySet[Dossier]:
    """Dossiers by place (establishments see their own); council members those assigned to them."""
    base = Dossier.objects.select_related("round", "product", "establishment", "establishment__province")
    by_place = scoping.scope_by_place(
        user,
        Dossier.objects.all(),
        province_field="establishment__province",
        commune_field="establishment__commune",
        establishment_field="establishment",
    )
    if not scoping.is_authenticated(user):
        return base.none()
    q = Q(pk__in=by_place.values("pk"))
    q |= Q(assignments__member__user=user)
    q |= Q(round__council__user=user, round__council__role__in=[CouncilRole.CHAIR, CouncilRole.SECRETARY])
    if permissions.runs_province_rounds(user):
        q |= Q(round__province_id=user.province_id, round__level__in=[Level.PROVINCE, Level.DISTRICT])
    return base.filter(q).distinct()


def visible_results(user) -> QuerySet[Result]:
    return scoping.scope_by_place(
        user,
        Result.objects.select_related("round", "product", "product__establishment"),
        province_field="product__establishment__province",
        commune_field="product__establishment__commune",
        establishment_field="product__establishment",
    )


def my_seats(user) -> QuerySet[CouncilMember]:
    return CouncilMember.objects.filter(user=user).select_related("round")


def dossiers_to_score(user) -> QuerySet[Dossier]:
    """Assigned dossiers in rounds being scored, with no submitted sheet of this member at this stage."""
    if not scoping.is_authenticated(user):
        return Dossier.objects.none()
    qs = (
        Dossier.objects.filter(
            assignments__member__user=user,
            round__status=RoundStatus.SCORING,
            status__in=SCORABLE,
        )
        .exclude(conflicts__member__user=user)
        .select_related("round", "product", "establishment")
    )
    submitted = Score.objects.filter(member__user=user, submitted_at__isnull=False)
    ids = [
        d.pk
        for d in qs
        if not submitted.filter(dossier=d, stage=d.round.stage).exists()
        and (d.round.stage != Stage.FINAL or d.retained_for_final)
    ]
    return Dossier.objects.filter(pk__in=ids).select_related("round", "product", "establishment")


def valid_certificate_at_level(product, level: str, on=None) -> Certificate | None:
    on = on or timezone.localdate()
    return (
        Certificate.objects.filter(
            result__product=product, result__round__level=level, revoked_at__isnull=True
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("result__round")
        .first()
    )


@dataclass
class Check:
    ok: bool
    message: str
    blocking: bool = True


def eligibility(round_: Round, product, dossier: Dossier | None = None) -> list[Check]:
    """The regulation's checks that data allows, each with its reason, for registration and screening."""
    est = product.establishment
    checks = []
    if round_.level == Level.COMMUNE:
        ok = est.commune_id is not None and est.commune_id == round_.commune_id
        checks.append(
            Check(
                ok,
                _("Establishment located in %(place)s") % {"place": round_.commune}
                if ok
                else _("The establishment is not in %(place)s.") % {"place": round_.commune},
            )
        )
    elif round_.level == Level.PROVINCE:
        ok = est.province_id == round_.province_id
        checks.append(
            Check(
                ok,
                _("Establishment located in %(place)s") % {"place": round_.province}
                if ok
                else _("The establishment is in %(theirs)s, not in %(place)s.")
                % {"theirs": est.province, "place": round_.province},
            )
        )
    elif round_.level == Level.REGION and round_.region_id:
        ok = est.province.region_id == round_.region_id
        checks.append(
            Check(
                ok,
                _("Establishment located in the region %(region)s") % {"region": round_.region}
                if ok
                else _("The establishment is not in the region %(region)s.") % {"region": round_.region},
            )
        )
    admitted = product.group in (round_.product_groups or [])
    label = product.get_group_display()
    checks.append(
        Check(
            admitted,
            _("Product group admitted: %(group)s") % {"group": label}
            if admitted
            else _("The product group “%(group)s” is not admitted in this round.") % {"group": label},
        )
    )
    held = valid_certificate_at_level(product, round_.level)
    if held and held.result.round_id != round_.pk:
        checks.append(
            Check(
                False,
                _(
                    "The product already holds a valid certificate at this level (%(no)s, valid until %(until)s)."
                )
                % {
                    "no": held.number,
                    "until": held.valid_until.strftime("%d/%m/%Y") if held.valid_until else "—",
                },
            )
        )
    else:
        checks.append(Check(True, _("No valid certificate at this level yet")))
    checks.append(
        Check(
            not product.is_archived,
            _("Product active") if not product.is_archived else _("The product is archived."),
        )
    )
    if round_.level in (Level.REGION, Level.NATIONAL):
        lower = LEVEL_BELOW[round_.level]
        won = Result.objects.filter(product=product, round__level=lower, certified=True).exists()
        direct = bool(round_.rule_set_id and round_.rule_set.direct_entry)
        if won:
            message = _("Certified at the level below")
        elif direct:
            message = _("Not certified at the level below: this round's rules allow direct entry.")
        else:
            message = _(
                "The product was not certified at the %(level)s level: this round's rules admit only "
                "products certified at the level below."
            ) % {"level": str(Level(lower).label).lower()}
        checks.append(Check(won, message, blocking=not direct))
    if dossier is not None:
        kinds = set(dossier.documents.values_list("kind", flat=True))
        for kind in REQUIRED_DOCUMENTS:
            present = kind in kinds
            checks.append(
                Check(
                    present,
                    _("Document attached: %(doc)s") % {"doc": kind.label}
                    if present
                    else _("Missing required document: %(doc)s.") % {"doc": kind.label},
                )
            )
    return checks


@dataclass
class ResultRow:
    dossier: Dossier
    totals: list = field(default_factory=list)
    score: Decimal | None = None
    rank: int | None = None
    passed: bool = False
    proposed: bool = False
    tie: bool = False
    preliminary: Decimal | None = None


def scoring_stage_for_results(round_: Round) -> str:
    """The stage whose scores the results page shows: the current one of a two-stage round (final once it started)."""
    return round_.stage if round_.two_stage else Stage.PRELIMINARY


def _stage_totals(round_: Round, stage: str) -> dict[int, list[Decimal]]:
    totals: dict[int, list[Decimal]] = {}
    sheets = Score.objects.filter(dossier__round=round_, stage=stage, submitted_at__isnull=False)
    for dossier_id, total in sheets.values_list("dossier_id", "total"):
        totals.setdefault(dossier_id, []).append(total)
    return totals


def result_rows(round_: Round, stage: str | None = None) -> list[ResultRow]:
    """Aggregate per dossier (the rubric's method), rank within product group, pass mark, quota proposal.

    In the final stage of a two-stage round only the retained dossiers count, scored on their final sheets; each row
    also carries its preliminary aggregate.
    """
    stage = stage or scoring_stage_for_results(round_)
    dossiers = list(
        round_.dossiers.filter(status__in=SCORABLE)
        .select_related("product", "establishment")
        .prefetch_related("conflicts")
    )
    if round_.two_stage and stage == Stage.FINAL:
        dossiers = [d for d in dossiers if d.retained_for_final]
    totals = _stage_totals(round_, stage)
    method = round_.rubric.aggregation if round_.rubric_id else "mean"
    rows = [
        ResultRow(d, totals.get(d.pk, []), scoring.aggregate(totals.get(d.pk, []), method)) for d in dossiers
    ]
    if round_.two_stage and stage == Stage.FINAL:
        first = _stage_totals(round_, Stage.PRELIMINARY)
        for row in rows:
            row.preliminary = scoring.aggregate(first.get(row.dossier.pk, []), method)
    by_group: dict[str, list[ResultRow]] = {}
    for row in rows:
        row.passed = row.score is not None and row.score >= round_.pass_mark
        by_group.setdefault(row.dossier.product.group, []).append(row)
    for group_rows in by_group.values():
        ordered = sorted([r for r in group_rows if r.score is not None], key=lambda r: -r.score)
        for i, row in enumerate(ordered):
            row.rank = 1 + sum(1 for other in ordered[:i] if other.score > row.score)
    passed = sorted([r for r in rows if r.passed], key=lambda r: (-r.score, r.dossier.product.name))
    cut = round_.quota if round_.quota else len(passed)
    for i, row in enumerate(passed):
        row.proposed = i < cut
    if round_.quota and len(passed) > cut and cut > 0:
        edge = passed[cut - 1].score
        for row in passed:
            if row.score == edge:
                row.tie = True
    rows.sort(key=lambda r: (r.dossier.product.group, r.rank or 10**6, r.dossier.product.name))
    return rows


def retention_proposal(rows: list[ResultRow], top: int | None = None) -> set[int]:
    """Dossiers proposed for the final stage: the best `top` of each product group by rank, else those who passed."""
    if top:
        return {r.dossier.pk for r in rows if r.rank is not None and r.rank <= top}
    return {r.dossier.pk for r in rows if r.passed}


def can_see_visits(user, round_: Round) -> bool:
    return can_manage_round(user, round_) or CouncilMember.objects.filter(round=round_, user=user).exists()


def progress(round_: Round) -> dict:
    """Sheets submitted per member and per dossier (counts only, never the points while scoring is open)."""
    stage = round_.stage
    members = list(
        round_.council.filter(role__in=[CouncilRole.CHAIR, CouncilRole.MEMBER]).select_related("user")
    )
    dossiers = list(round_.dossiers.filter(status__in=SCORABLE).select_related("product"))
    if stage == Stage.FINAL:
        dossiers = [d for d in dossiers if d.retained_for_final]
    assigned = set(round_.dossiers.values_list("assignments__member_id", "pk"))
    conflicts = set(round_.dossiers.values_list("conflicts__member_id", "pk"))
    sheets = {
        (m, d): s
        for m, d, s in Score.objects.filter(dossier__round=round_, stage=stage).values_list(
            "member_id", "dossier_id", "submitted_at"
        )
    }
    per_member = []
    for m in members:
        mine = [d for d in dossiers if (m.pk, d.pk) in assigned and (m.pk, d.pk) not in conflicts]
        done = sum(1 for d in mine if sheets.get((m.pk, d.pk)))
        drafts = sum(1 for d in mine if (m.pk, d.pk) in sheets and not sheets[(m.pk, d.pk)])
        per_member.append({"member": m, "assigned": len(mine), "submitted": done, "drafts": drafts})
    per_dossier = []
    for d in dossiers:
        expected = [m for m in members if (m.pk, d.pk) in assigned and (m.pk, d.pk) not in conflicts]
        done = sum(1 for m in expected if sheets.get((m.pk, d.pk)))
        per_dossier.append(
            {
                "dossier": d,
                "expected": len(expected),
                "submitted": done,
                "conflicts": sum(1 for m in members if (m.pk, d.pk) in conflicts),
            }
        )
    return {"members": per_member, "dossiers": per_dossier}


def dossiers_short_of_sheets(round_: Round) -> list[tuple[Dossier, int]]:
    """Dossiers being scored at the round's stage with fewer submitted sheets than the round's minimum, and how many
    they have (empty when the round sets no minimum)."""
    if not round_.min_sheets:
        return []
    qs = round_.dossiers.filter(status=DossierStatus.ELIGIBLE).select_related("product")
    if round_.two_stage and round_.stage == Stage.FINAL:
        qs = qs.filter(retained_for_final=True)
    counts = dict(
        Score.objects.filter(dossier__round=round_, stage=round_.stage, submitted_at__isnull=False)
        .values("dossier_id")
        .annotate(n=Count("id"))
        .values_list("dossier_id", "n")
    )
    short = [(d, counts.get(d.pk, 0)) for d in qs]
    return sorted(
        [(d, n) for d, n in short if n < round_.min_sheets], key=lambda pair: (pair[1], pair[0].product.name)
    )


def can_see_scores_of_others(user, round_: Round) -> bool:
    return round_.status in (RoundStatus.REVIEW, RoundStatus.APPROVED, RoundStatus.DECIDED) and (
        can_manage_round(user, round_) or CouncilMember.objects.filter(round=round_, user=user).exists()
    )


def may_see_results(user, round_: Round) -> bool:
    """Decided (and historical) results are read by all who see the round; before that, the officers and the council."""
    if round_.status == RoundStatus.DECIDED or round_.is_historical or can_manage_round(user, round_):
        return True
    return can_see_scores_of_others(user, round_)


def may_read_certificate(user, certificate: Certificate) -> bool:
    """A certificate's PDF: the officers who ran its round, those who may read its result, and its council."""
    round_ = certificate.result.round
    return (
        can_manage_round(user, round_)
        or visible_results(user).filter(pk=certificate.result_id).exists()
        or permissions.seat(user, round_) is not None
    )


def visible_sheets(user, dossier: Dossier) -> QuerySet[Score]:
    """A member's own sheet always; others' submitted sheets only once scoring is closed."""
    qs = (
        Score.objects.filter(dossier=dossier)
        .select_related("member__user")
        .prefetch_related("items__criterion")
    )
    if can_see_scores_of_others(user, dossier.round):
        return qs.filter(Q(submitted_at__isnull=False) | Q(member__user=user))
    return qs.filter(member__user=user)


def product_history(user, product) -> list[Result]:
    """Results of the product across levels, oldest first (what the product's page shows)."""
    return list(
        Result.objects.filter(product=product)
        .select_related("round", "certificate", "round__province", "round__region")
        .order_by("round__year", "round__level")
    )


def nominable_results(round_: Round) -> QuerySet[Result]:
    """Certified results of a round that go on to the next level (the round's prize rule)."""
    qs = Result.objects.filter(round=round_, certified=True).select_related(
        "product", "product__establishment"
    )
    prizes = round_.advance_prize_list
    if prizes:
        qs = qs.filter(prize__in=prizes)
    return qs


def next_level_rounds(round_: Round) -> QuerySet[Round]:
    """Open rounds of the next level that the round's winners go to: a commune's to its province's round,
    a province's to its region's, a region's to the national round."""
    nxt = NEXT_LEVEL.get(round_.level)
    if not nxt:
        return Round.objects.none()
    qs = Round.objects.filter(level=nxt, status=RoundStatus.REGISTRATION, is_historical=False)
    if nxt == Level.PROVINCE:
        qs = qs.filter(province_id=round_.province_id)
    if nxt == Level.REGION and round_.province_id:
        qs = qs.filter(region_id=round_.province.region_id)
    return qs


# --- rules in force ---------------------------------------------------------------------------


def rule_set_in_force(on) -> RuleSet | None:
    """The selection rules in force on a day (the latest version effective by then)."""
    return RuleSet.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


# --- provinces' submissions to region rounds ---------------------------------------------------


def visible_batches(user) -> QuerySet[NominationBatch]:
    """Batches a user may follow: their province's, every batch of the rounds they run, or the country's."""
    qs = NominationBatch.objects.select_related("round", "province")
    if permissions.is_country_wide(user):
        return qs
    if permissions.is_province_officer(user) and user.province_id:
        return qs.filter(province_id=user.province_id)
    return qs.none()


def batch_progress(batch: NominationBatch) -> list[dict]:
    """Each nominee of a batch with its dossier's status and, once decided, its result."""
    rows = []
    for dossier in batch.dossiers.select_related("product", "establishment").order_by("product__name"):
        result = Result.objects.filter(dossier=dossier).first()
        rows.append({"dossier": dossier, "result": result})
    return rows


def batch_problems(batch: NominationBatch) -> list[str]:
    """What keeps a batch from being submitted (letter, dossiers and their papers), each said plainly."""
    problems = []
    if not batch.letter_no.strip():
        problems.append(_("Give the number of the people's committee's letter."))
    if not batch.letter_date:
        problems.append(_("Give the date of the people's committee's letter."))
    if not batch.letters.exists():
        problems.append(_("Attach the signed letter (PDF)."))
    dossiers = list(batch.dossiers.select_related("product", "round__rule_set"))
    if not dossiers:
        problems.append(_("The batch has no dossier: nominate the province's winners first."))
    for dossier in dossiers:
        for check in eligibility(dossier.round, dossier.product, dossier):
            if not check.ok and check.blocking:
                problems.append(f"{dossier.product.name}: {check.message}")
    return problems


def open_batches_due(today, horizon) -> QuerySet[NominationBatch]:
    """Complete batches whose decision is due between two days, in rounds not yet decided."""
    return NominationBatch.objects.filter(
        status=BatchStatus.COMPLETE, due_on__range=(today, horizon)
    ).exclude(round__status=RoundStatus.DECIDED)


# --- the judging diagnostic (never the legal result) -----------------------------------------


def may_see_diagnostic(user, round_: Round) -> bool:
    """Once scoring is closed, the officers running the round, the chair and the secretary read the diagnostic."""
    return (
        not round_.is_historical
        and round_.status in (RoundStatus.REVIEW, RoundStatus.APPROVED, RoundStatus.DECIDED)
        and permissions.can_follow_council(user, round_)
    )


@dataclass
class DiagnosticRow:
    dossier: Dossier
    legal_score: Decimal | None
    legal_rank: int | None
    normalised: float | None
    normalised_rank: int | None

    @property
    def shift(self) -> int:
        if self.legal_rank is None or self.normalised_rank is None:
            return 0
        return self.legal_rank - self.normalised_rank


@dataclass
class JudgingDiagnostic:
    stage: str
    threshold: Decimal
    result: diagnostics.Diagnostic
    members: list  # (CouncilMember, MemberProfile)
    rows: list[DiagnosticRow]
    moves: list[DiagnosticRow]
    outliers: list  # (CouncilMember, Dossier, Outlier)
    conflicts: list  # Conflict, with member.user and dossier.product

    @property
    def reliability(self):
        return self.result.reliability


def judging_diagnostic(round_: Round, stage: str | None = None) -> JudgingDiagnostic:
    """The diagnostic of the stage the results come from: members' scales, normalised ranking beside the legal one,
    outlier sheets (the round's threshold) and the inter-rater reliability. Reads only; the legal result is
    `result_rows`, untouched."""
    from .models import Conflict

    stage = stage or scoring_stage_for_results(round_)
    rows = result_rows(round_, stage=stage)
    dossiers = {r.dossier.pk: r.dossier for r in rows}
    sheets = list(
        Score.objects.filter(
            dossier__round=round_, stage=stage, submitted_at__isnull=False, dossier_id__in=list(dossiers)
        ).values_list("member_id", "dossier_id", "total")
    )
    members = {
        m.pk: m
        for m in CouncilMember.objects.filter(pk__in={m for m, _d, _t in sheets}).select_related("user")
    }
    legal_ranks = {r.dossier.pk: r.rank for r in rows if r.rank is not None}
    result = diagnostics.diagnose(
        [diagnostics.Sheet(m, d, t) for m, d, t in sheets],
        threshold=float(round_.outlier_threshold),
        legal_ranks=legal_ranks,
        groups={r.dossier.pk: r.dossier.product.group for r in rows},
    )
    table = [
        DiagnosticRow(
            r.dossier,
            r.score,
            r.rank,
            result.normalised.get(r.dossier.pk),
            result.normalised_ranks.get(r.dossier.pk),
        )
        for r in rows
    ]
    return JudgingDiagnostic(
        stage=stage,
        threshold=round_.outlier_threshold,
        result=result,
        members=sorted([(members[p.member], p) for p in result.members], key=lambda pair: str(pair[0].user)),
        rows=table,
        moves=sorted(
            [row for row in table if row.shift], key=lambda row: (-abs(row.shift), row.legal_rank or 0)
        ),
        outliers=[(members[o.member], dossiers[o.dossier], o) for o in result.outliers],
        conflicts=list(
            Conflict.objects.filter(dossier_id__in=list(dossiers))
            .select_related("member__user", "dossier__product")
            .order_by("dossier__product__name", "member__user__username")
        ),
    )


# --- appeals ---------------------------------------------------------------------------------


@dataclass
class AppealWindow:
    """When a round's published results may be appealed: from the publication day to `closes`, both included."""

    published_on: datetime.date
    closes: datetime.date

    def is_open(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) <= self.closes


def results_published_on(round_: Round) -> datetime.date | None:
    """The day the council's approval published the results (the latest approval, after a re-opening)."""
    if round_.status not in (RoundStatus.APPROVED, RoundStatus.DECIDED):
        return None
    at = (
        round_.transitions.filter(action="approve")
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(at) if at else None


def appeal_window(round_: Round) -> AppealWindow | None:
    """None when the round takes no appeals (no period set) or its results are not published."""
    if not round_.appeal_days or round_.is_historical:
        return None
    published = results_published_on(round_)
    if published is None:
        return None
    return AppealWindow(published, published + datetime.timedelta(days=round_.appeal_days))


def visible_appeals(user, round_: Round) -> QuerySet:
    """The officers running the round, its chair and secretary see every appeal; a representative their own."""
    from .models import Appeal

    qs = Appeal.objects.filter(dossier__round=round_).select_related(
        "dossier__product", "dossier__establishment", "lodged_by", "answered_by", "reopening"
    )
    if permissions.can_follow_council(user, round_):
        return qs
    return qs.filter(dossier__in=visible_dossiers(user).filter(round=round_))


def pending_appeals(round_: Round) -> QuerySet:
    from .models import Appeal, AppealStatus

    return Appeal.objects.filter(dossier__round=round_, status=AppealStatus.LODGED).select_related(
        "dossier__product"
    )


# --- re-certification: a product's earlier rounds ---------------------------------------------


def earlier_entries(dossier: Dossier) -> list[Result]:
    """The product's results in other rounds (oldest first), with their certificates: what a dossier registering
    again, for a higher level or for re-certification, shows of its history."""
    return list(
        Result.objects.filter(product_id=dossier.product_id)
        .exclude(round_id=dossier.round_id)
        .select_related("round", "certificate")
        .order_by("round__year", "round__level", "pk")
    )


PREFILL_FIELDS = ["summary", "annual_revenue", "annual_output", "markets", "workers"]


@dataclass
class Prefill:
    """What a new dossier can start from, and where each value came from (said on the form)."""

    values: dict
    source: str = ""


def dossier_prefill(product, *, exclude_round=None) -> Prefill:
    """A new dossier starts from the product's previous dossier (its presentation, revenue, output, markets and
    workers) and, for what that leaves empty, from the registry (the establishment's markets and workers)."""
    previous = (
        Dossier.objects.filter(product=product).exclude(round=exclude_round).select_related("round")
        if product is not None
        else Dossier.objects.none()
    )
    previous = previous.order_by("-round__year", "-created_at").first()
    values, sources = {}, []
    if previous is not None:
        values = {f: getattr(previous, f) for f in PREFILL_FIELDS if getattr(previous, f) not in (None, "")}
        if values:
            sources.append(_("the dossier of %(round)s") % {"round": previous.round.title})
    if product is not None:
        establishment = product.establishment
        registry = {}
        if "markets" not in values and establishment.markets:
            registry["markets"] = establishment.markets
        if "workers" not in values and establishment.workers is not None:
            registry["workers"] = establishment.workers
        if registry:
            values.update(registry)
            sources.append(_("the registry"))
    if len(sources) == 2:
        source = _("%(first)s and %(second)s") % {"first": sources[0], "second": sources[1]}
    else:
        source = "".join(sources)
    return Prefill(values=values, source=source)
