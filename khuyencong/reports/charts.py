"""The summary's charts, drawn server-side as SVG (no browser): the PDF embeds them, the XLSX draws the same
series as native Excel charts (rendering.as_xlsx). One place computes the series both use."""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from khuyencong.core.money import group_digits
from khuyencong.core.text import choice_label
from khuyencong.programme.models import Programme
from khuyencong.selection.models import LEVEL_ORDER, Level

COLOURS = ["#1f5fa8", "#2a9d8f", "#e07b24", "#6f42c1"]


@dataclass
class Series:
    label: str
    values: list[float]


@dataclass
class Chart:
    title: str
    categories: list[str]
    series: list[Series]
    stacked: bool = False
    unit: str = ""  # printed after the axis values ("tỷ đồng", "sản phẩm")

    @property
    def empty(self) -> bool:
        return not self.categories or not any(v for s in self.series for v in s.values)


def funding_chart(data: dict) -> Chart:
    """Support settled by plan year, national and local programmes stacked (billions of đồng)."""
    rows = data["by_year"]
    return Chart(
        title=pgettext("chart title", "Support settled by year and source"),
        categories=[str(r["year"]) for r in rows],
        series=[
            Series(str(Programme.NATIONAL.label), [r["national"] / 1e9 for r in rows]),
            Series(str(Programme.LOCAL.label), [r["local"] / 1e9 for r in rows]),
        ],
        stacked=True,
        unit=pgettext("unit of an amount", "billion VND"),
    )


def certified_chart(data: dict) -> Chart:
    """Products certified by round year and level (distinct products per year and level, as the report's
    footnote defines), levels with no product left out."""
    by_round = data["by_round"]
    years = sorted({r["round__year"] for r in by_round})
    series = []
    for level in LEVEL_ORDER:
        values = [
            sum(r["products"] for r in by_round if r["round__year"] == y and r["round__level"] == level)
            for y in years
        ]
        if any(values):
            series.append(Series(choice_label(Level, level), values))
    return Chart(
        title=_("Products certified by round year and level"),
        categories=[str(y) for y in years],
        series=series,
        unit=pgettext("unit of a count", "products"),
    )


def summary_charts(data: dict) -> list[Chart]:
    return [funding_chart(data), certified_chart(data)]


def _axis(value: float) -> tuple[float, int]:
    """The axis top and the number of steps: a round step (1, 2, 2,5 or 5 × 10ⁿ), four to six steps."""
    if value <= 0:
        return 1, 4
    raw = value / 4
    exp = 10 ** math.floor(math.log10(raw))
    step = next(m * exp for m in (1, 2, 2.5, 5, 10) if raw <= m * exp)
    steps = max(1, math.ceil(value / step - 1e-9))
    return step * steps, steps


def _fmt(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return group_digits(int(round(value)))
    return f"{value:.1f}".replace(".", ",")


def _text(
    x: float, y: float, text: str, anchor: str = "middle", size: int | None = None, extra: str = ""
) -> str:
    font = f' font-size="{size}"' if size else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{font}{extra}>{escape(text)}</text>'


def _line(x1: float, x2: float, y: float, colour: str, width: float) -> str:
    return f'<line x1="{x1}" x2="{x2}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="{width}"/>'


def svg(chart: Chart, width: int = 640, height: int = 260, font: str = "DejaVu Serif") -> str:
    """A bar chart (stacked or grouped) with its axis, grid, values and legend, as an inline <svg>."""
    left, right, top, bottom = 64, 12, 16, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [
        sum(s.values[i] for s in chart.series)
        if chart.stacked
        else max((s.values[i] for s in chart.series), default=0)
        for i in range(len(chart.categories))
    ]
    top_value, steps = _axis(max(totals, default=0))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" font-family="{escape(font)}" font-size="11">'
        f"<title>{escape(chart.title)}</title>"
    ]
    for k in range(steps + 1):
        y = top + plot_h - plot_h * k / steps
        out.append(_line(left, width - right, y, "#ccc", 0.6))
        out.append(_text(left - 6, y + 4, _fmt(top_value * k / steps), anchor="end"))
    mid = top + plot_h / 2
    out.append(_text(12, mid, chart.unit, extra=f' transform="rotate(-90 12 {mid:.1f})"'))
    slot = plot_w / max(len(chart.categories), 1)
    groups = 1 if chart.stacked else max(len(chart.series), 1)
    bar_w = min(slot * 0.7 / groups, 48)
    for i, category in enumerate(chart.categories):
        x0 = left + slot * i + (slot - bar_w * groups) / 2
        base = 0.0
        for j, s in enumerate(chart.series):
            value = s.values[i]
            h = plot_h * value / top_value
            x = x0 if chart.stacked else x0 + j * bar_w
            y = top + plot_h - h - (plot_h * base / top_value if chart.stacked else 0)
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{COLOURS[j % 4]}">'
                f"<title>{escape(s.label)} {escape(category)}: {_fmt(value)}</title></rect>"
            )
            if not chart.stacked and value:
                out.append(_text(x + bar_w / 2, y - 3, _fmt(value), size=9))
            base += value
        if chart.stacked and totals[i]:
            out.append(
                _text(
                    x0 + bar_w / 2, top + plot_h - plot_h * totals[i] / top_value - 3, _fmt(totals[i]), size=9
                )
            )
        out.append(_text(left + slot * (i + 0.5), top + plot_h + 15, category))
    out.append(_line(left, width - right, top + plot_h, "#000", 0.8))
    x = left
    for j, s in enumerate(chart.series):
        y = height - 14
        out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS[j % 4]}"/>')
        out.append(_text(x + 14, y, s.label, anchor="start"))
        x += 24 + 6.2 * len(s.label)
    out.append("</svg>")
    return "".join(out)
