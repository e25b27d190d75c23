"""The summary as text, XLSX and PDF, in the form a department publishes (19,51 tỷ đồng; 1.759 lao động)."""

from io import BytesIO

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from khuyencong.core import exports
from khuyencong.core.money import format_billions, format_vnd, group_digits
from khuyencong.core.text import choice_label
from khuyencong.programme.models import Activity, Programme
from khuyencong.registry.models import ProductGroup
from khuyencong.selection.models import LEVEL_LABELS_VI, LEVEL_ORDER, Level

from . import selectors


def period_label(summary: dict) -> str:
    a, b = summary["from_year"], summary["to_year"]
    if a and b:
        if a != b:
            return pgettext("report period", "period %(a)s–%(b)s") % {"a": a, "b": b}
        return pgettext("report period", "year %(a)s") % {"a": a}
    if a:
        return pgettext("report period", "from %(a)s") % {"a": a}
    if b:
        return pgettext("report period", "until %(b)s") % {"b": b}
    return pgettext("report period", "all time")


def place_label(summary: dict, place=None) -> str:
    name = summary["place"]["name"]
    if not summary["place"]["province"]:
        return pgettext("report place", "the whole country")
    if place is not None and place.legacy_province:
        return pgettext("report place", "province of %(name)s (former, before 1 July 2025)") % {"name": name}
    return pgettext("report place", "province of %(name)s") % {"name": name}


def as_text(summary: dict, place=None) -> str:
    """The summary in the words of a published report (Vietnamese)."""
    with translation.override("vi"):
        return _as_text(summary, place)


def _as_text(summary: dict, place=None) -> str:
    c = summary["certified"]
    lines = [
        f"Tổng hợp kết quả khuyến công và bình chọn sản phẩm CNNT tiêu biểu – {place_label(summary, place)}, {period_label(summary)}",  # noqa: E501
        "",
        f"Số kỳ bình chọn: {summary['rounds']}",
        "Sản phẩm được công nhận: "
        + "; ".join(f"{LEVEL_LABELS_VI[level].lower()} {group_digits(c[level])}" for level in c),
        f"Kinh phí hỗ trợ (đề án đã quyết toán): {format_billions(summary['support']['total'])} "
        f"({format_vnd(summary['support']['total'])})",
        f"  – Khuyến công quốc gia: {format_billions(summary['support']['national'])}",
        f"  – Khuyến công địa phương: {format_billions(summary['support']['local'])}",
        f"Vốn đối ứng thu hút: {format_billions(summary['counterpart'])}",
        f"Lao động thu hút: {group_digits(summary['jobs'])} lao động",
        f"Đề án đang thực hiện: {group_digits(summary['running']['projects'])} đề án, "
        f"kinh phí được duyệt {format_billions(summary['running']['approved'])}",
    ]
    return "\n".join(lines) + "\n"


REPORT_CACHE_SECONDS = 600


def report_data(place, period) -> dict:
    """Everything the report page, the printable report and the workbook show, labelled in the active language;
    cached per place, period and language in the shared cache until a project, result, round or registry
    record next changes (see reports.signals)."""
    return cached_part(place, period, "data", lambda: _report_data(place, period))


def cached_part(place, period, part: str, compute):
    """`compute()` for this place, period and language (report data, or a rendered part of a page), kept in the
    shared cache until a project, result, round or registry record next changes (see reports.signals)."""
    from django.core.cache import cache

    kind = "L" if place.legacy_province else "P" if place.province else "C"
    key = (
        f"reports:{cache_version()}:{part}:{kind}{place.code or ''}:{period.from_year}:{period.to_year}"
        f":{translation.get_language()}"
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, REPORT_CACHE_SECONDS)
    return value


def cache_version() -> int:
    from khuyencong.core.counts import data_version

    return data_version()


def invalidate() -> None:
    from khuyencong.core.counts import invalidate

    invalidate()


# Row labels of the breakdowns by priority group and by beneficiary (page, workbook, PDF)
PRIORITY_LABELS = {
    "women_owned": gettext_lazy("Establishments owned by women"),
    "ethnic_minority_owned": gettext_lazy("Establishments owned by ethnic minority people"),
    "disadvantaged_commune": gettext_lazy("Establishments in disadvantaged communes"),
    "none": gettext_lazy("Not in a priority group"),
}
BENEFICIARY_LABELS = {
    "establishment": gettext_lazy("Rural industrial establishments"),
    "craft_village": gettext_lazy("Craft villages"),
    "artisan": gettext_lazy("Artisans"),
    "none": gettext_lazy("Beneficiary not specified"),
}


def _report_data(place, period) -> dict:
    summary = selectors.summary(place, period)
    money = selectors.money_breakdowns(place, period)
    certification = selectors.certification_breakdowns(place, period)
    return {
        "summary": summary,
        "title_place": place_label(summary, place),
        "title_period": period_label(summary),
        "by_year": money["by_year"],
        "by_activity": [dict(r, label=choice_label(Activity, r["activity"])) for r in money["by_activity"]],
        "by_programme": [
            dict(r, label=choice_label(Programme, r["programme"])) for r in money["by_programme"]
        ],
        "by_commune": selectors.by_commune(place, period)[:15],
        "by_priority": [dict(r, label=str(PRIORITY_LABELS[r["flag"]])) for r in money["by_priority"]],
        "by_beneficiary": [
            dict(r, label=str(BENEFICIARY_LABELS[r["kind"]])) for r in money["by_beneficiary"]
        ],
        "by_group": [
            dict(r, label=choice_label(ProductGroup, r["product__group"])) for r in certification["by_group"]
        ],
        "by_round": certification["by_round"],
        "recertified": certification["recertified"],
        "levels": [
            (level, choice_label(Level, level), count) for level, count in summary["certified"].items()
        ],
        "effectiveness": selectors.effectiveness(
            place, period, summary_=summary, activities=money["by_activity"]
        ),
        "generated": timezone.localtime(),
    }


def as_xlsx(place, period) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    data = report_data(place, period)
    s = data["summary"]
    wb = Workbook()
    ws = wb.active
    ws.title = pgettext("sheet", "Summary")
    bold = Font(bold=True)
    money = "#,##0"
    exports.append_row(
        ws,
        [
            _("Industrial promotion results – %(place)s, %(period)s")
            % {"place": data["title_place"], "period": data["title_period"]}
        ],
    )
    ws["A1"].font = Font(bold=True, size=13)
    exports.append_row(ws, [])
    dong = pgettext("currency unit", "VND")
    rows = [
        (_("Selection rounds"), s["rounds"], pgettext("unit of a count", "rounds")),
        *[
            (
                _("Products certified: %(level)s") % {"level": label},
                n,
                pgettext("unit of a count", "products"),
            )
            for _l, label, n in data["levels"]
        ],
        (_("Support (settled projects)"), s["support"]["total"], dong),
        ("  – " + str(Programme.NATIONAL.label), s["support"]["national"], dong),
        ("  – " + str(Programme.LOCAL.label), s["support"]["local"], dong),
        (_("Counterpart investment attracted"), s["counterpart"], dong),
        (pgettext("summary figure", "Jobs created"), s["jobs"], pgettext("unit of a count", "jobs")),
        (_("Projects still running"), s["running"]["projects"], pgettext("unit of a count", "projects")),
        (_("Approved support of the projects still running"), s["running"]["approved"], dong),
    ]
    exports.append_row(ws, [_("Indicator"), _("Value"), _("Unit")])
    for cell in ws[3]:
        cell.font = bold
    for row in rows:
        exports.append_row(ws, list(row))
        ws.cell(ws.max_row, 2).number_format = money
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions["C"].width = 12

    def sheet(title, header, records):
        sh = wb.create_sheet(title)
        exports.append_row(sh, header)
        for cell in sh[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True)
        for record in records:
            exports.append_row(sh, record)
        for col in "BCDEFG":
            sh.column_dimensions[col].width = 18
        sh.column_dimensions["A"].width = 40
        for row in sh.iter_rows(min_row=2):
            for cell in row[1:]:
                cell.number_format = money

    money_header = [
        _("Projects"),
        _("Support (VND)"),
        _("National programme (VND)"),
        _("Local programme (VND)"),
        _("Counterpart investment (VND)"),
        pgettext("summary figure", "Jobs created"),
    ]
    keys = ("projects", "support", "national", "local", "counterpart", "jobs")
    sheet(
        pgettext("sheet", "By year"),
        [_("Year"), *money_header],
        [[r["year"], *(r[k] for k in keys)] for r in data["by_year"]],
    )
    sheet(
        pgettext("sheet", "By activity"),
        [_("Activity"), *money_header],
        [[r["label"], *(r[k] for k in keys)] for r in data["by_activity"]],
    )
    sheet(
        pgettext("sheet", "By priority"),
        [_("Priority group (Decree 235/2025)"), *money_header],
        [[r["label"], *(r[k] for k in keys)] for r in data["by_priority"]],
    )
    sheet(
        pgettext("sheet", "By beneficiary"),
        [_("Beneficiary"), *money_header],
        [[r["label"], *(r[k] for k in keys)] for r in data["by_beneficiary"]],
    )
    sheet(
        pgettext("sheet", "By source"),
        [_("Source of funds"), *money_header],
        [[r["label"], *(r[k] for k in keys)] for r in data["by_programme"]],
    )
    sheet(
        pgettext("sheet", "By commune"),
        [_("Commune/ward (former district)"), *money_header],
        [
            [r["commune__name"] or r["legacy_district__name"] or "—", *(r[k] for k in keys)]
            for r in selectors.by_commune(place, period)
        ],
    )
    sheet(
        pgettext("sheet", "By product group"),
        [_("Product group"), *[choice_label(Level, level) for level in LEVEL_ORDER]],
        [[r["label"], *(r[level] for level in LEVEL_ORDER)] for r in data["by_group"]],
    )
    eff = data["effectiveness"]
    sheet(
        pgettext("sheet", "Effectiveness"),
        [
            _("Activity"),
            _("Support (VND)"),
            _("Counterpart investment (VND)"),
            pgettext("summary figure", "Jobs created"),
            _("Counterpart per đồng of support (times)"),
            _("Support per job (VND)"),
        ],
        [
            [
                choice_label(Activity, r["activity"]),
                r["support"],
                r["counterpart"],
                r["jobs"],
                float(r["leverage"]) if r["leverage"] is not None else None,
                int(r["per_job"]) if r["per_job"] is not None else None,
            ]
            for r in eff["activities"]
        ],
    )
    _add_charts(wb, data)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _bar_chart(title: str, y_title: str, stacked: bool):
    from openpyxl.chart import BarChart

    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.x_axis.title = _("Year")
    chart.x_axis.delete = chart.y_axis.delete = False  # newer Excel hides axes openpyxl leaves unset
    if stacked:
        chart.grouping, chart.overlap = "stacked", 100
    chart.height, chart.width = 9, 18
    return chart


def _add_charts(wb, data) -> None:
    """The PDF's two charts as native Excel charts (openpyxl.chart) over the workbook's own figures: support
    by year stacked by source (sheet "Theo năm"), products certified by year and level (sheet "Công nhận
    theo năm", written here from the same series the PDF draws)."""
    from openpyxl.chart import Reference

    from . import charts

    sheet = wb.create_sheet(pgettext("sheet", "Charts"))
    years = wb[pgettext("sheet", "By year")]
    rows = years.max_row
    funding = charts.funding_chart(data)
    if rows > 1:
        chart = _bar_chart(funding.title, pgettext("currency unit", "VND"), stacked=True)
        chart.add_data(Reference(years, min_col=4, max_col=5, min_row=1, max_row=rows), titles_from_data=True)
        chart.set_categories(Reference(years, min_col=1, min_row=2, max_row=rows))
        sheet.add_chart(chart, "A1")
    certified = charts.certified_chart(data)
    table = wb.create_sheet(pgettext("sheet", "Certified by year"))
    exports.append_row(table, [_("Year"), *(s.label for s in certified.series)])
    for i, year in enumerate(certified.categories):
        exports.append_row(table, [int(year), *(int(s.values[i]) for s in certified.series)])
    if certified.categories and certified.series:
        chart = _bar_chart(certified.title, pgettext("unit of a count", "products"), stacked=False)
        chart.add_data(
            Reference(table, min_col=2, max_col=1 + len(certified.series), min_row=1, max_row=table.max_row),
            titles_from_data=True,
        )
        chart.set_categories(Reference(table, min_col=1, min_row=2, max_row=table.max_row))
        sheet.add_chart(chart, "A20")


def as_pdf(place, period) -> bytes:
    """The summary as a department sends it (Decree 30/2020/NĐ-CP layout): the letterhead of the
    department (or the Ministry's agency for the country), place and date, the charts, the signatory
    configured for the province (documents.Signatory, kind "report") with "Nơi nhận"."""
    from khuyencong.core.pdf import render_pdf, serif_family
    from khuyencong.documents.layout import issuer_for
    from khuyencong.documents.models import SignatoryKind

    from . import charts

    with translation.override("vi"):  # an administrative document is Vietnamese whoever prints it
        data = report_data(place, period)
        charts_ = [
            {"title": c.title, "empty": c.empty, "svg": charts.svg(c, font=serif_family())}
            for c in charts.summary_charts(data)
        ]
    issuer = issuer_for(SignatoryKind.REPORT, province=place.province)
    return render_pdf(
        "reports/summary_pdf.html",
        {
            **data,
            "letterhead": issuer.letterhead("", timezone.localdate()),
            "signature": issuer.signature(),
            "charts": charts_,
        },
    )
