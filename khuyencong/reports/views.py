"""Reports pages: the summary of a place and period, its drill-downs, charts, XLSX/PDF, an establishment's journey."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions
from khuyencong.core.text import choice_label
from khuyencong.geo.models import LegacyProvince, Province
from khuyencong.programme.models import Activity, Programme
from khuyencong.registry.models import ProductGroup
from khuyencong.registry.selectors import visible_establishments
from khuyencong.selection.models import LEVEL_ORDER, Level

from . import journey, rendering, selectors
from .forms import SummaryForm

FIGURES = {
    "support": gettext_lazy("Settled projects"),
    "support-national": gettext_lazy("Settled projects of the national programme"),
    "support-local": gettext_lazy("Settled projects of the local programme"),
    "running": gettext_lazy("Projects still running"),
    "rounds": gettext_lazy("Selection rounds"),
    **{f"certified-{level}": level for level in LEVEL_ORDER},
}


def _params(request):
    """(place, period, form, query) from the request, within the user's scope."""
    if not permissions.reads_reports(request.user):
        raise PermissionDenied(_("Reports are for officers and viewers."))
    form = SummaryForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        place = selectors.allowed_place(request.user, request.GET.get("province") or None)
    except selectors.PlaceNotFound as exc:
        raise Http404(str(exc)) from exc
    period = selectors.Period(data.get("from_year"), data.get("to_year"))
    query = {"province": place.code or "", "from": period.from_year or "", "to": period.to_year or ""}
    query = {k: v for k, v in query.items() if v != ""}
    return place, period, form, query


def _link(name, query, **extra):
    return reverse(name, kwargs=extra.pop("kwargs", None)) + "?" + urlencode({**query, **extra})


def _period_label(period) -> str:
    a, b = period.from_year, period.to_year
    if a and b:
        return _("%(a)s–%(b)s") % {"a": a, "b": b} if a != b else _("year %(a)s") % {"a": a}
    if a:
        return _("from %(a)s") % {"a": a}
    if b:
        return _("until %(b)s") % {"b": b}
    return _("all years")


@login_required
def summary(request):
    place, period, form, query = _params(request)
    # the figures' part of the page is the same for every reader of this place and period in this language: kept
    # with the figures until the data changes (building its links and rendering its tables was most of the cached
    # page's time)
    body = rendering.cached_part(
        place,
        period,
        "summary-body",
        lambda: render_to_string("reports/_summary_body.html", _summary_body(place, period, query)),
    )
    return render(
        request,
        "reports/summary.html",
        {
            # the page speaks the reader's language (the PDF and XLSX keep the published Vietnamese wording)
            "title_place": place.name if place.code else _("the whole country"),
            "title_period": _period_label(period),
            "form": form,
            "query": query,
            "place": place,
            "xlsx_url": _link("reports:summary_xlsx", query),
            "pdf_url": _link("reports:summary_pdf", query),
            "body": mark_safe(body),  # our own rendered HTML
        },
    )


def _summary_body(place, period, query) -> dict:
    """What the figures' part of the summary page shows: cards, charts and breakdowns with their drill-down links."""
    data = rendering.report_data(place, period)
    s = data["summary"]
    rows = lambda figure, **kw: _link("reports:rows", query, kwargs={"figure": figure}, **kw)  # noqa: E731
    if selectors.own_level(place) == "province":
        rounds_label, rounds_note = _("Province-level selection rounds"), _("held by the province itself")
    else:
        rounds_label = _("National selection rounds")
        rounds_note = _("the provinces held %(n)s rounds of their own") % {
            "n": number_format(selectors.provinces_own_rounds(period), force_grouping=True)
        }
    cards = [
        {
            "key": "rounds",
            "label": rounds_label,
            "note": rounds_note,
            "value": s["rounds"],
            "url": rows("rounds"),
            "icon": "award",
        },
        *[
            {
                "key": f"certified-{level}",
                "label": _("Products certified: %(level)s") % {"level": Level(level).label},
                "value": s["certified"][level],
                "url": rows(f"certified-{level}"),
                "icon": "patch-check",
            }
            for level in s["certified"]
        ],
        {
            "key": "support",
            "label": _("Support (settled projects)"),
            "value": s["support"]["total"],
            "money": True,
            "url": rows("support"),
            "icon": "cash-coin",
        },
        {
            "key": "support-national",
            "label": _("National programme"),
            "value": s["support"]["national"],
            "money": True,
            "url": rows("support-national"),
            "icon": "flag",
        },
        {
            "key": "support-local",
            "label": _("Local programme"),
            "value": s["support"]["local"],
            "money": True,
            "url": rows("support-local"),
            "icon": "geo-alt",
        },
        {
            "key": "counterpart",
            "label": _("Counterpart investment attracted"),
            "value": s["counterpart"],
            "money": True,
            "url": rows("support"),
            "icon": "piggy-bank",
        },
        {
            "key": "jobs",
            "label": pgettext("summary figure", "Jobs created"),
            "value": s["jobs"],
            "unit": pgettext("unit of a count", "jobs"),
            "url": rows("support"),
            "icon": "people",
        },
        {
            "key": "running",
            "label": _("Projects still running"),
            "value": s["running"]["projects"],
            "extra": s["running"]["approved"],
            "url": rows("running"),
            "icon": "hourglass-split",
        },
    ]
    communes = data["by_commune"]
    top = max((c["support"] for c in communes), default=0) or 1
    for c in communes:
        c["share"] = round(100 * c["support"] / top)
        c["url"] = rows(
            "support",
            commune=c["commune_id"] or "",
            district=(c["legacy_district_id"] or "") if not c["commune_id"] else "",
        )
    for r in data["by_year"]:
        r["url"] = rows("support", year=r["year"])
    for r in data["by_activity"]:
        r["url"] = rows("support", activity=r["activity"])
    for r in data["by_programme"]:
        r["url"] = rows(f"support-{r['programme']}")
    for r in data["by_priority"]:
        r["url"] = rows("support", priority=r["flag"])
    for r in data["by_beneficiary"]:
        r["url"] = rows("support", beneficiary=r["kind"])
    for r in data["effectiveness"]["activities"]:
        r["label"] = choice_label(Activity, r["activity"])
    for r in data["effectiveness"]["certification_shares"]:
        r["label"] = Level(r["level"]).label
    by_round = data["by_round"]
    years = sorted({r["round__year"] for r in by_round})
    chart = {
        # the axis's numbers and unit in the reader's language (19,51 tỷ / 19.51 bn)
        "locale": "vi-VN" if (get_language() or "vi").startswith("vi") else "en-GB",
        "billions": pgettext("short unit on a chart axis", "bn"),
        "funding": {
            "years": [r["year"] for r in data["by_year"]],
            "national": [r["national"] for r in data["by_year"]],
            "local": [r["local"] for r in data["by_year"]],
            "labels": {"national": str(Programme.NATIONAL.label), "local": str(Programme.LOCAL.label)},
        },
        "levels": {
            "labels": [str(Level(level).label) for level in s["certified"]],
            "values": list(s["certified"].values()),
        },
        "rounds": {
            "years": years,
            "series": [
                {
                    "label": str(Level(level).label),
                    "values": [
                        next(
                            (
                                r["products"]
                                for r in by_round
                                if r["round__year"] == y and r["round__level"] == level
                            ),
                            0,
                        )
                        for y in years
                    ],
                }
                for level in LEVEL_ORDER
            ],
        },
    }
    return {
        **data,
        "levels": [(level, Level(level).label, n) for level, _label, n in data["levels"]],
        "cards": cards,
        "chart": chart,
        "query": query,
        "place": place,
        "groups": [
            dict(r, url=rows("certified-province", group=r["product__group"])) for r in data["by_group"]
        ],
    }


@login_required
def rows(request, figure):
    """The records behind one figure of the summary."""
    if figure not in FIGURES:
        raise Http404
    place, period, form, query = _params(request)
    g = request.GET
    title = FIGURES[figure]
    context = {
        "figure": figure,
        "query": query,
        "place": place,
        "period": period,
        "back": _link("reports:summary", query),
    }
    if figure.startswith("support") or figure == "running":
        if figure == "running":
            qs = selectors.running_projects(place, period)
        else:
            qs = selectors.settled_projects(place, period, figure.partition("-")[2] or None)
        for key in ("year", "activity", "commune"):
            if g.get(key):
                qs = qs.filter(**{key: g[key]})
        if g.get("district"):
            qs = qs.filter(legacy_district=g["district"], commune__isnull=True)
        if g.get("priority") in (*selectors.PRIORITY_FLAGS, "none"):
            qs = qs.filter(selectors.priority_q(g["priority"]))
        if g.get("beneficiary") in selectors.BENEFICIARY_KINDS:
            qs = qs.filter(selectors.beneficiary_q(g["beneficiary"]))
        from django.db.models import Count, Sum

        totals = qs.aggregate(
            n=Count("pk"),
            support=Sum("support_settled"),
            approved=Sum("support_approved"),
            counterpart=Sum("counterpart"),
            jobs=Sum("jobs"),
        )
        qs = qs.select_related("establishment", "commune", "legacy_district").order_by("-year", "code")
        context.update(
            kind="projects",
            totals=totals,
            export_kind="projects",
            export_query={
                **query,
                "status": "settled" if figure != "running" else "",
                "programme": figure.partition("-")[2],
            },
        )
    elif figure == "rounds":
        qs = selectors.rounds(place, period).select_related("province", "legacy_province").order_by("-year")
        context.update(kind="rounds")
    else:
        level = figure.partition("-")[2]
        title = _("Products certified: %(level)s") % {"level": Level(level).label}
        qs = selectors.certified_products(place, period, level)
        if g.get("group"):
            qs = qs.filter(group=g["group"])
        qs = qs.order_by("code")
        context.update(
            kind="products", export_kind="results", export_query={**query, "level": level, "certified": "1"}
        )
    if context.get("export_kind"):
        context["export_xlsx"] = (
            reverse("interchange:export", args=[context["export_kind"], "xlsx"])
            + "?"
            + urlencode({k: v for k, v in context["export_query"].items() if v})
        )
    page = Paginator(qs, 50).get_page(g.get("page"))
    context.update(title=title, page_obj=page, groups={g.value: g.label for g in ProductGroup})
    return render(request, "reports/rows.html", context)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_name(place, period, ext):
    parts = ["tong-hop-khuyen-cong", str(place.code or "ca-nuoc")]
    if period.from_year or period.to_year:
        parts.append(f"{period.from_year or ''}-{period.to_year or ''}")
    return "-".join(parts) + f".{ext}"


@login_required
def summary_xlsx(request):
    place, period, _form, _q = _params(request)
    return _download(
        rendering.as_xlsx(place, period),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _file_name(place, period, "xlsx"),
    )


@login_required
def summary_pdf(request):
    place, period, _form, _q = _params(request)
    return _download(rendering.as_pdf(place, period), "application/pdf", _file_name(place, period, "pdf"))


@login_required
def establishment_journey(request, pk):
    establishment = get_object_or_404(
        visible_establishments(request.user).select_related(
            "province", "commune", "legacy_province", "legacy_district"
        ),
        pk=pk,
    )
    events = journey.timeline(establishment)
    if request.GET.get("format") == "xlsx":
        return _download(
            journey.as_xlsx(establishment, events),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"hanh-trinh-{establishment.code}.xlsx",
        )
    return render(
        request,
        "reports/journey.html",
        {
            "establishment": establishment,
            "events": events,
            "totals": journey.totals(establishment),
        },
    )


def province_choices(user):
    """(value, label) groups for the place select: today's provinces and former provinces the user may see."""
    provinces = Province.objects.order_by("short_name")
    legacy = LegacyProvince.objects.select_related("successor").order_by("short_name")
    country = permissions.is_country_wide(user)
    if not country:
        if user.province_id:
            provinces = provinces.filter(code=user.province_id)
            legacy = legacy.filter(successor_id=user.province_id)
        elif user.region_id:
            provinces = provinces.filter(region_id=user.region_id)
            legacy = legacy.filter(successor__region_id=user.region_id)
    today = [(str(p.code), p.short_name) for p in provinces]
    former = [
        (
            str(p.code),
            _("%(name)s (former, now part of %(successor)s)")
            % {"name": p.short_name, "successor": p.successor.short_name},
        )
        for p in legacy
        if p.code != p.successor_id
    ]
    choices = [("", _("Whole country"))] if country else []
    return [*choices, (_("Provinces"), today), (_("Former provinces (before 1 July 2025)"), former)]
