"""Reads of the national plan: whose registrations a user sees, the consolidation across provinces, and
what a province's plan received. Sums by the database."""

from django.db.models import Count, Q, QuerySet, Sum

from khuyencong.accounts import permissions, scoping
from khuyencong.programme.models import Activity

from .models import Allocation, Registration, RegistrationLine


def visible_registrations(user) -> QuerySet[Registration]:
    """The organiser and country-wide readers see every province's; a province's officers and viewers their own."""
    if not permissions.reads_national_registrations(user):
        return Registration.objects.none()
    return scoping.scope_by_place(
        user, Registration.objects.all(), commune_field="province", establishment_field=None
    ).select_related("province")


def registration_totals(registration: Registration) -> dict:
    agg = registration.lines.aggregate(
        lines=Count("pk"),
        requested=Sum("requested"),
        appraised=Sum("appraised"),
        total_cost=Sum("total_cost"),
        counterpart=Sum("counterpart"),
    )
    agg["allocated"] = registration.allocations.aggregate(s=Sum("amount"))["s"]
    return {k: v or 0 for k, v in agg.items()}


def by_activity(registration: Registration) -> list[dict]:
    """Requested, appraised and allocated per activity of one registration."""
    rows = {
        r["activity"]: {
            "lines": r["lines"],
            "requested": r["requested"] or 0,
            "appraised": r["appraised"] or 0,
        }
        for r in registration.lines.order_by()
        .values("activity")
        .annotate(lines=Count("pk"), requested=Sum("requested"), appraised=Sum("appraised"))
    }
    allocated = {a.activity: a.amount for a in registration.allocations.all()}
    out = []
    for activity in Activity.values:
        if activity in rows or activity in allocated:
            r = rows.get(activity, {"lines": 0, "requested": 0, "appraised": 0})
            out.append(
                {
                    "activity": activity,
                    "label": Activity(activity).label,
                    **r,
                    "allocated": allocated.get(activity),
                }
            )
    return out


def consolidation(user, year: int) -> dict:
    """The year's registrations of every province the user sees: per province and per activity, requested,
    appraised and allocated, with the country's totals."""
    regs = visible_registrations(user).filter(year=year)
    lines = (
        RegistrationLine.objects.filter(registration__in=regs)
        .order_by()
        .values("registration_id", "activity")
        .annotate(requested=Sum("requested"), appraised=Sum("appraised"))
    )
    allocs = (
        Allocation.objects.filter(registration__in=regs)
        .order_by()
        .values("registration_id", "activity")
        .annotate(allocated=Sum("amount"))
    )
    cell: dict = {}
    for r in lines:
        cell.setdefault(r["registration_id"], {}).setdefault(r["activity"], {}).update(
            requested=r["requested"] or 0, appraised=r["appraised"] or 0
        )
    for r in allocs:
        cell.setdefault(r["registration_id"], {}).setdefault(r["activity"], {})["allocated"] = r["allocated"]
    provinces = []
    for reg in regs.order_by("province__name"):
        per = cell.get(reg.pk, {})
        provinces.append(
            {
                "registration": reg,
                "requested": sum(v.get("requested", 0) for v in per.values()),
                "appraised": sum(v.get("appraised", 0) for v in per.values()),
                "allocated": sum(v.get("allocated", 0) for v in per.values()),
                "activities": per,
            }
        )
    activities = []
    for activity in Activity.values:
        values = [p["activities"].get(activity, {}) for p in provinces]
        if any(values):
            activities.append(
                {
                    "activity": activity,
                    "label": Activity(activity).label,
                    "requested": sum(v.get("requested", 0) for v in values),
                    "appraised": sum(v.get("appraised", 0) for v in values),
                    "allocated": sum(v.get("allocated", 0) for v in values),
                }
            )
    total = {k: sum(p[k] for p in provinces) for k in ("requested", "appraised", "allocated")}
    return {"year": year, "provinces": provinces, "activities": activities, "total": total}


def plan_allocation(plan) -> Registration | None:
    """The allocated registration behind a province plan's national lines, if the Ministry allocated one."""
    return (
        Registration.objects.filter(province_id=plan.province_id, year=plan.year, status="allocated")
        .prefetch_related("allocations")
        .first()
    )


def pending_for(user) -> QuerySet[Registration]:
    """What waits for the user: submitted registrations for the organiser."""
    if permissions.organises_national_plan(user):
        return visible_registrations(user).filter(Q(status="submitted") | Q(status="appraised"))
    return Registration.objects.none()


def visible_registrations_all() -> QuerySet[Registration]:
    """Every registration with what its pages and the API show (callers have checked who may read it)."""
    return Registration.objects.select_related("province").prefetch_related("lines", "allocations")
