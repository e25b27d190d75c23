"""An establishment's journey: support projects and their money, machines, fairs, trainings,
certifications at each level and changes of legal form, on one timeline."""

import datetime as dt
import json
from io import BytesIO

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from khuyencong.core import exports
from khuyencong.core.templatetags.vn import num
from khuyencong.core.text import choice_label as _label
from khuyencong.programme.models import Activity, Programme, Project, ProjectStatus
from khuyencong.registry.models import EstablishmentKind
from khuyencong.selection.models import LEVEL_ORDER, Level, Result


def _event(date, year, kind, title, detail="", money=None, icon="circle", url=None):
    return {
        "date": date,
        "year": year or (date.year if date else None),
        "kind": kind,
        "title": title,
        "detail": detail,
        "money": money,
        "icon": icon,
        "url": url,
    }


def timeline(establishment) -> list[dict]:
    events = []
    if establishment.founded:
        events.append(
            _event(
                None,
                establishment.founded,
                "founded",
                _("Founded (%(kind)s)") % {"kind": _label(EstablishmentKind, establishment.kind)},
                icon="flag",
            )
        )
    for p in Project.objects.filter(establishment=establishment, archived_at__isnull=True).order_by(
        "year", "code"
    ):
        detail = [
            _label(Activity, p.activity),
            _label(Programme, p.programme),
            _label(ProjectStatus, p.status),
        ]
        if p.machines:
            detail.append(ngettext("%(n)s machine", "%(n)s machines", p.machines) % {"n": num(p.machines)})
        if p.trainees:
            detail.append(
                ngettext("%(n)s person trained", "%(n)s people trained", p.trainees) % {"n": num(p.trainees)}
            )
        if p.jobs:
            detail.append(ngettext("%(n)s job created", "%(n)s jobs created", p.jobs) % {"n": num(p.jobs)})
        money = p.support_settled if p.status == "settled" else p.support_approved
        events.append(
            _event(
                p.settled_date or p.decision_date,
                p.year,
                "project",
                f"{p.code} · {p.title}",
                " · ".join(detail),
                money,
                "cash-coin",
            )
        )
    results = Result.objects.filter(product__establishment=establishment, certified=True).select_related(
        "round", "product"
    )
    for r in results.order_by("round__year", "round__level"):
        events.append(
            _event(
                r.decision_date,
                r.round.year,
                f"certified-{r.round.level}",
                _("%(product)s: certified, %(level)s")
                % {"product": r.product.name, "level": _label(Level, r.round.level).lower()},
                " · ".join(filter(None, [r.round.title, r.certificate_no])),
                None,
                "patch-check",
            )
        )
    from khuyencong.outreach.models import Participation, TrainingParticipant

    for part in Participation.objects.filter(establishment=establishment).select_related("event"):
        events.append(
            _event(part.event.start_date, None, "event", part.event.title, part.event.venue, None, "shop")
        )
    for tp in TrainingParticipant.objects.filter(establishment=establishment).select_related("training"):
        events.append(
            _event(
                tp.training.start_date,
                None,
                "training",
                tp.training.topic,
                tp.training.venue,
                None,
                "mortarboard",
            )
        )
    events.extend(_form_changes(establishment))
    events.sort(key=lambda e: (e["year"] or 0, e["date"] or dt.date(e["year"] or 1, 1, 1)))
    return events


def _form_changes(establishment) -> list[dict]:
    """Changes of legal form recorded in the audit log (a household that became a company)."""
    from auditlog.models import LogEntry

    changes = []
    for entry in LogEntry.objects.get_for_object(establishment).order_by("timestamp"):
        try:
            diff = entry.changes_dict if hasattr(entry, "changes_dict") else json.loads(entry.changes or "{}")
        except (TypeError, ValueError):
            continue
        if entry.action == LogEntry.Action.UPDATE and "kind" in diff:
            old, new = diff["kind"][:2]
            changes.append(
                _event(
                    entry.timestamp.date(),
                    None,
                    "form",
                    _("Change of legal form: %(old)s → %(new)s")
                    % {"old": _label(EstablishmentKind, old), "new": _label(EstablishmentKind, new)},
                    icon="arrow-up-right-circle",
                )
            )
    return changes


def totals(establishment) -> dict:
    projects = Project.objects.filter(establishment=establishment, archived_at__isnull=True)
    money = projects.aggregate(
        projects=Count("pk"),
        settled=Coalesce(Sum("support_settled", filter=Q(status="settled")), 0),
        counterpart=Coalesce(Sum("counterpart", filter=Q(status="settled")), 0),
        jobs=Coalesce(Sum("jobs", filter=Q(status="settled")), 0),
        machines=Coalesce(Sum("machines"), 0),
    )
    per_level = dict(
        Result.objects.filter(product__establishment=establishment, certified=True)
        .order_by()
        .values_list("round__level")
        .annotate(n=Count("product_id", distinct=True))
    )
    money["certified"] = [(_label(Level, level), per_level.get(level, 0)) for level in LEVEL_ORDER]
    return money


def as_xlsx(establishment, events) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Journey")[:31]
    exports.append_row(ws, [f"{establishment.name} ({establishment.code})"])
    ws["A1"].font = Font(bold=True, size=13)
    exports.append_row(ws, [_("Year"), _("Date"), _("Event"), _("Details"), _("Support (VND)")])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for e in events:
        exports.append_row(
            ws,
            [
                e["year"],
                e["date"].strftime("%d/%m/%Y") if e["date"] else "",
                e["title"],
                e["detail"],
                e["money"],
            ],
        )
        ws.cell(ws.max_row, 5).number_format = "#,##0"
    for col, width in zip("ABCDE", (8, 12, 60, 70, 22), strict=True):
        ws.column_dimensions[col].width = width
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
