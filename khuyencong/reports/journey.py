"""An establishment's journey: support projects and their money, machines, fairs, trainings,
certifications at each level and changes of legal form, on one timeline."""

import datetime as dt
import json
from io import BytesIO

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from khuyencong.core import exports
from khuyencong.programme.models import ACTIVITY_LABELS_VI, PROGRAMME_LABELS_VI, STATUS_LABELS_VI, Project
from khuyencong.registry.models import KIND_LABELS_VI
from khuyencong.selection.models import LEVEL_LABELS_VI, LEVEL_ORDER, Result


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
                f"Thành lập ({KIND_LABELS_VI.get(establishment.kind, '')})",
                icon="flag",
            )
        )
    for p in Project.objects.filter(establishment=establishment, archived_at__isnull=True).order_by(
        "year", "code"
    ):
        detail = [
            ACTIVITY_LABELS_VI.get(p.activity, p.activity),
            PROGRAMME_LABELS_VI.get(p.programme, p.programme),
            STATUS_LABELS_VI.get(p.status, p.status),
        ]
        if p.machines:
            detail.append(f"{p.machines} máy móc thiết bị")
        if p.trainees:
            detail.append(f"{p.trainees} người được đào tạo")
        if p.jobs:
            detail.append(f"{p.jobs} lao động thu hút")
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
                f"{r.product.name}: {LEVEL_LABELS_VI[r.round.level].lower()}",
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
                    f"Chuyển đổi loại hình: {KIND_LABELS_VI.get(old, old)} → {KIND_LABELS_VI.get(new, new)}",
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
    money["certified"] = [(LEVEL_LABELS_VI[level], per_level.get(level, 0)) for level in LEVEL_ORDER]
    return money


def as_xlsx(establishment, events) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Hành trình"
    exports.append_row(ws, [f"{establishment.name} ({establishment.code})"])
    ws["A1"].font = Font(bold=True, size=13)
    exports.append_row(ws, ["Năm", "Ngày", "Sự kiện", "Chi tiết", "Kinh phí hỗ trợ (đồng)"])
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
