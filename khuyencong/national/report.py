"""The registration report (báo cáo đăng ký kế hoạch khuyến công quốc gia) a province sends each year, and the
organiser's consolidated allocation, in Decree 30's layout (core.pdf, documents.layout): the letterhead and
signer of the province's reports (documents.Signatory, kind "report"), the proposals by activity with their
amounts in whole đồng, subtotals and totals, "Nơi nhận"."""

from __future__ import annotations

import datetime

from django.utils import timezone

from khuyencong.core.pdf import render_pdf, vn_date
from khuyencong.documents.layout import full_name, issuer_for, legal_basis
from khuyencong.documents.models import SignatoryKind
from khuyencong.programme.models import Activity

from . import selectors
from .models import Registration

# The Ministry's agency as a sentence names it (documents.layout.AGENCY is the letterhead's capitals).
AGENCY_NAME = "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def _sentence_body(body: str) -> str:
    """ "SỞ CÔNG THƯƠNG" as a sentence writes it: "Sở Công Thương" (a body typed in capitals for the letterhead)."""
    text = " ".join(body.split())
    return text.title() if text.isupper() else text


def registration_context(registration: Registration, *, on: datetime.date | None = None) -> dict:
    """Everything the report shows: groups of proposals by activity (in the activities' order), each with its
    subtotals, and the totals, all from the registration's lines."""
    on = on or timezone.localdate()
    province = registration.province
    issuer = issuer_for(SignatoryKind.REPORT, province=province)
    lines = list(registration.lines.order_by("activity", "code"))
    order = {code: i for i, code in enumerate(Activity.values)}
    lines.sort(key=lambda line: (order.get(line.activity, 99), line.code))
    groups: list[dict] = []
    for line in lines:
        if not groups or groups[-1]["activity"] != line.activity:
            groups.append(
                {
                    "activity": line.activity,
                    "label": Activity(line.activity).label,
                    "roman": ROMAN[len(groups)] if len(groups) < len(ROMAN) else str(len(groups) + 1),
                    "lines": [],
                    "total_cost": 0,
                    "requested": 0,
                    "counterpart": 0,
                }
            )
        group = groups[-1]
        group["lines"].append(line)
        for key in ("total_cost", "requested", "counterpart"):
            group[key] += getattr(line, key)
    totals = {key: sum(g[key] for g in groups) for key in ("total_cost", "requested", "counterpart")}
    place = full_name(province)
    return {
        "registration": registration,
        "issuer": issuer,
        "letterhead": issuer.letterhead("", on),
        "signature": issuer.signature(),
        "body_text": _sentence_body(issuer.body),
        "place": place[:1].lower() + place[1:],
        "agency": AGENCY_NAME,
        "basis": legal_basis(on, local_government=False)[:1],
        "groups": groups,
        "count": len(lines),
        "totals": totals,
        "on": vn_date(on),
    }


def render_registration_pdf(registration: Registration, *, on: datetime.date | None = None) -> bytes:
    return render_pdf("national/registration_pdf.html", registration_context(registration, on=on))


def consolidation_context(user, year: int, *, on: datetime.date | None = None) -> dict:
    on = on or timezone.localdate()
    issuer = issuer_for(SignatoryKind.REPORT, province=None)
    data = selectors.consolidation(user, year)
    return {
        "data": data,
        "issuer": issuer,
        "letterhead": issuer.letterhead("", on),
        "signature": issuer.signature(),
        "year": year,
    }


def render_consolidation_pdf(user, year: int, *, on: datetime.date | None = None) -> bytes:
    return render_pdf("national/consolidation_pdf.html", consolidation_context(user, year, on=on))


def current_registration_pdf(registration: Registration) -> bytes:
    """The report to hand out: the signed one once the current revision's report is signed, else the one issued
    (being signed), else rendered from the registration as it stands."""
    issued = registration.reports.filter(revision=registration.revision).first()
    if issued is not None and issued.is_signed and issued.signed:
        return issued.signed.open("rb").read()
    if issued is not None and issued.original:
        return issued.original.open("rb").read()
    return render_registration_pdf(registration)
