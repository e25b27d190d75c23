"""Every scoped or aggregated read of the programme. Totals are always database sums of the rows."""

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from khuyencong.accounts import scoping
from khuyencong.core.filters import apply

from .filters import ProjectFilter
from .models import (
    RUNNING_STATUSES,
    Activity,
    Disbursement,
    Plan,
    Programme,
    Project,
    ProjectDocument,
    ProjectStatus,
    Ranking,
)

# Approved and after: the support is committed (settled projects count their settled amount in plan_actuals).
COMMITTED_STATUSES = (*RUNNING_STATUSES, ProjectStatus.SETTLED)


def visible_projects(user) -> QuerySet[Project]:
    """Projects the user may read: their place's; an establishment's representative, their own."""
    return scoping.scope_by_place(user, Project.objects.all(), establishment_field="establishment")


def visible_plans(user) -> QuerySet[Plan]:
    """Plans are province-wide: a commune officer reads their province's plan; representatives none."""
    if scoping.is_commune_officer(user):
        return Plan.objects.filter(province_id=user.province_id) if user.province_id else Plan.objects.none()
    return scoping.scope_by_place(
        user, Plan.objects.all(), commune_field="province", establishment_field=None
    )


def project_list(
    user,
    *,
    query: str = "",
    year=None,
    status: str = "",
    programme: str = "",
    activity: str = "",
    establishment=None,
) -> QuerySet[Project]:
    """The project list of the page and the API, filtered by `ProjectFilter` (status "running" included)."""
    qs = (
        visible_projects(user)
        .filter(archived_at__isnull=True)
        .select_related("province", "commune", "establishment")
    )
    return apply(
        ProjectFilter,
        qs,
        {
            "q": query,
            "year": year,
            "status": status,
            "programme": programme,
            "activity": activity,
            "establishment": establishment,
        },
    )


def totals(qs: QuerySet[Project]) -> dict:
    """Counts and amounts of a set of projects, summed by the database."""
    agg = qs.aggregate(
        projects=Count("pk"),
        approved=Sum("support_approved", filter=Q(status__in=COMMITTED_STATUSES)),
        settled=Sum("support_settled", filter=Q(status=ProjectStatus.SETTLED)),
        counterpart=Sum("counterpart", filter=Q(status__in=COMMITTED_STATUSES)),
        jobs=Sum("jobs", filter=Q(status=ProjectStatus.SETTLED)),
        running=Count("pk", filter=Q(status__in=RUNNING_STATUSES)),
    )
    agg["disbursed"] = (
        Disbursement.objects.filter(project__in=qs.values("pk"), archived_at__isnull=True).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    return {k: v or 0 for k, v in agg.items()}


def totals_by(qs: QuerySet[Project], *fields: str) -> list[dict]:
    """Approved and settled support grouped by `fields` (programme, activity, year, province, commune)."""
    rows = (
        qs.order_by()
        .values(*fields)
        .annotate(
            projects=Count("pk"),
            approved=Sum("support_approved", filter=Q(status__in=COMMITTED_STATUSES)),
            settled=Sum("support_settled", filter=Q(status=ProjectStatus.SETTLED)),
        )
        .order_by(*fields)
    )
    return [{**r, "approved": r["approved"] or 0, "settled": r["settled"] or 0} for r in rows]


def plan_projects(plan: Plan) -> QuerySet[Project]:
    return Project.objects.filter(province_id=plan.province_id, year=plan.year, archived_at__isnull=True)


def plan_actuals(plan: Plan) -> dict:
    """Plan vs. actual per source and per activity line.

    committed: approved support of projects approved and after (settled ones count their settled amount);
    settled: settled support; disbursed: tranches paid.
    """
    projects = plan_projects(plan)
    committed_q = Q(status__in=[s for s in COMMITTED_STATUSES if s != ProjectStatus.SETTLED])
    rows = (
        projects.order_by()
        .values("programme", "activity")
        .annotate(
            committed_open=Sum("support_approved", filter=committed_q),
            settled=Sum("support_settled", filter=Q(status=ProjectStatus.SETTLED)),
            proposed=Sum("support_requested", filter=Q(status=ProjectStatus.PROPOSED)),
            appraised=Sum("support_appraised", filter=Q(status=ProjectStatus.APPRAISED)),
            count=Count("pk", filter=~Q(status=ProjectStatus.CANCELLED)),
        )
    )
    paid = {
        (r["project__programme"], r["project__activity"]): r["s"]
        for r in Disbursement.objects.filter(project__in=projects, archived_at__isnull=True)
        .order_by()
        .values("project__programme", "project__activity")
        .annotate(s=Sum("amount"))
    }
    lines = {(line.programme, line.activity): line for line in plan.lines.all()}
    by_key = {}
    for r in rows:
        key = (r["programme"], r["activity"])
        by_key[key] = {
            "committed": (r["committed_open"] or 0) + (r["settled"] or 0),
            "settled": r["settled"] or 0,
            "proposed": r["proposed"] or 0,
            "appraised": r["appraised"] or 0,
            "count": r["count"],
            "disbursed": paid.get(key) or 0,
        }
    empty = {"committed": 0, "settled": 0, "proposed": 0, "appraised": 0, "count": 0, "disbursed": 0}
    by_programme = {}
    for programme in Programme.values:
        budget = plan.national_budget if programme == "national" else plan.local_budget
        keys = sorted(
            {k for k in [*by_key, *lines] if k[0] == programme}, key=lambda k: Activity.values.index(k[1])
        )
        line_rows = []
        for key in keys:
            actual = by_key.get(key, empty)
            planned = lines[key].amount if key in lines else None
            line_rows.append(
                {
                    "activity": key[1],
                    "label": Activity(key[1]).label,
                    "planned": planned,
                    **actual,
                    "left": (planned - actual["committed"]) if planned is not None else None,
                    "over": planned is not None and actual["committed"] > planned,
                }
            )
        total = {k: sum(r[k] for r in line_rows) for k in empty}
        by_programme[programme] = {
            "label": Programme(programme).label,
            "budget": budget,
            "lines": line_rows,
            **total,
            "left": budget - total["committed"],
            "over": total["committed"] > budget,
            "used_pct": round(100 * total["committed"] / budget) if budget else 0,
        }
    grand = {k: sum(p[k] for p in by_programme.values()) for k in [*empty, "budget"]}
    grand["left"] = grand["budget"] - grand["committed"]
    return {"by_programme": by_programme, "total": grand}


def latest_ranking(plan: Plan) -> Ranking | None:
    return plan.rankings.select_related("user").prefetch_related("entries__project__establishment").first()


def documents(project: Project) -> QuerySet[ProjectDocument]:
    return project.documents.filter(archived_at__isnull=True).select_related("uploaded_by")


def establishment_support(establishment) -> dict:
    """What an establishment received (its projects and amounts) and the products it later got certified."""
    projects = list(
        Project.objects.filter(establishment=establishment, archived_at__isnull=True)
        .exclude(status=ProjectStatus.CANCELLED)
        .order_by("-year", "code")
    )
    agg = totals(Project.objects.filter(establishment=establishment, archived_at__isnull=True))
    certified = []
    if projects:
        from khuyencong.selection.models import Result

        first_year = min(p.year for p in projects)
        certified = list(
            Result.objects.filter(
                product__establishment=establishment, certified=True, round__year__gte=first_year
            )
            .select_related("product", "round")
            .order_by("round__year", "product__name")
        )
    return {"projects": projects, "totals": agg, "certified": certified}


def dashboard_numbers(user) -> dict:
    year = timezone.localdate().year
    qs = visible_projects(user).filter(archived_at__isnull=True)
    agg = qs.filter(year=year).aggregate(
        approved=Sum("support_approved", filter=Q(status__in=COMMITTED_STATUSES))
    )
    return {
        "year": year,
        "approved": agg["approved"] or 0,
        "running": qs.filter(status__in=RUNNING_STATUSES).count(),
    }


# --- rules ------------------------------------------------------------------------------------


def regulations(user, *, province="", archived=False):
    """The programme's rules are public documents: every signed-in user reads the national ones and
    every province's resolutions (a province filter narrows the list)."""
    from .models import Regulation

    qs = Regulation.objects.select_related("province", "amends").prefetch_related("ceilings")
    if not archived:
        qs = qs.filter(archived_at__isnull=True)
    if province:
        qs = qs.filter(Q(province__isnull=True) | Q(province_id=province))
    return qs.order_by("province__name", "-effective_from", "number")


def provinces_with_resolutions():
    from khuyencong.geo.models import Province

    from .models import Regulation

    ids = Regulation.objects.filter(province__isnull=False, archived_at__isnull=True).values("province_id")
    return Province.objects.filter(pk__in=ids).order_by("name")


def projects_under(user, regulation):
    """The visible projects whose approval was checked against this document."""
    return (
        visible_projects(user)
        .filter(Q(rule_regulation=regulation) | Q(rule_ceiling__regulation=regulation))
        .distinct()
        .order_by("-decision_date", "code")
    )


def settlement_report(user, *, year: int, province_id=None) -> dict:
    """The yearly settlement report a province sends, by budget classification: for each chương, loại–khoản
    and mục–tiểu mục (and programme), the settled projects of the plan year, their approved support, what was
    advanced, paid after acceptance, paid at settlement, and settled. Projects imported without a
    classification are grouped under a blank one. Sums by the database."""
    from .models import PaymentKind

    projects = visible_projects(user).filter(
        archived_at__isnull=True, status=ProjectStatus.SETTLED, year=year
    )
    if province_id:
        projects = projects.filter(province_id=province_id)
    keys = ("programme", *Project.BUDGET_FIELDS)
    rows = list(
        projects.order_by()
        .values(*keys)
        .annotate(
            projects=Count("pk"),
            approved=Sum("support_approved"),
            settled=Sum("support_settled"),
        )
        .order_by(*Project.BUDGET_FIELDS, "programme")
    )
    paid = {}
    for r in (
        Disbursement.objects.filter(project__in=projects, archived_at__isnull=True)
        .order_by()
        .values(*(f"project__{k}" for k in keys), "kind")
        .annotate(s=Sum("amount"))
    ):
        key = tuple(r[f"project__{k}"] for k in keys)
        paid.setdefault(key, {})[r["kind"]] = r["s"]
    out = []
    for r in rows:
        by_kind = paid.get(tuple(r[k] for k in keys), {})
        out.append(
            {
                **r,
                "programme_label": Programme(r["programme"]).label,
                "type_item": "-".join(filter(None, (r["budget_type"], r["budget_item"]))),
                "section_sub": "-".join(filter(None, (r["budget_section"], r["budget_subsection"]))),
                "advanced": by_kind.get(PaymentKind.ADVANCE, 0),
                "paid_after": by_kind.get(PaymentKind.PAYMENT, 0),
                "final": by_kind.get(PaymentKind.FINAL, 0),
                "paid": sum(by_kind.values()),
            }
        )
    total_keys = ("projects", "approved", "settled", "advanced", "paid_after", "final", "paid")
    total = {k: sum(r[k] for r in out) for k in total_keys}
    return {"year": year, "rows": out, "total": total}
