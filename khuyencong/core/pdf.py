"""Documents in the state's format: the layout Decree 30/2020/NĐ-CP prescribes for administrative documents
(Annex I), shared by the selection decision and its annex, each certificate and the programme summary.

One template (`pdf/nd30.html`, with `pdf/nd30.css`) draws the two-column header (issuing body and number
on the left; the national title and the place and date in italics on the right), the title, the body, the
signature block and "Nơi nhận"; each document extends it. WeasyPrint renders it; the serif font is Liberation
Serif (metric-compatible with Times New Roman, Debian's fonts-liberation2, which covers Vietnamese), falling
back to DejaVu Serif when it is not installed.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

PREFERRED_SERIF = "Liberation Serif"
FALLBACK_SERIF = "DejaVu Serif"


@lru_cache(maxsize=1)
def serif_family() -> str:
    """The Times-like font when fontconfig has one covering Vietnamese (ư, ạ, ố), DejaVu Serif otherwise."""
    if not shutil.which("fc-list"):
        return FALLBACK_SERIF
    try:
        out = subprocess.run(
            ["fc-list", ":charset=1b0 1ea1 1ed1", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return FALLBACK_SERIF
    return PREFERRED_SERIF if PREFERRED_SERIF in out else FALLBACK_SERIF


def vn_date(day: datetime.date | None) -> str:
    """ "ngày 05 tháng 01 năm 2026": a day below 10 and the months January and February take a leading zero
    (Decree 30/2020/NĐ-CP, Annex I, II.5), so that a date cannot be altered by adding a digit."""
    if not day:
        return "ngày … tháng … năm …"
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {d} tháng {m} năm {day.year}"


def number_line(number: str, symbol: str) -> str:
    """ "Số: 123/QĐ-UBND": the number as recorded when it already carries its symbol, else number/symbol;
    "Số:      /QĐ-UBND" (left blank for the clerk) when there is no number yet."""
    number = (number or "").strip()
    if not number:
        return f"Số:{chr(0xA0) * 8}/{symbol}" if symbol else "Số:"
    if "/" in number or not symbol:
        return f"Số: {number}"
    return f"Số: {number}/{symbol}"


@dataclass
class Letterhead:
    """The header of Decree 30's layout: the governing body (may be empty), the issuing body, the number
    and symbol, the place and the date."""

    body: str
    superior: str = ""
    number: str = ""
    symbol: str = ""
    place: str = ""
    date: datetime.date | None = None

    @property
    def number_text(self) -> str:
        return number_line(self.number, self.symbol)

    @property
    def place_date(self) -> str:
        return f"{self.place}, {vn_date(self.date)}" if self.place else vn_date(self.date).capitalize()


@dataclass
class SignatureBlock:
    """The signature block (authority "TM."/"KT.", the signer's title, the name) and "Nơi nhận"."""

    title: str
    name: str = ""
    authority: str = ""
    recipients: list[str] = field(default_factory=list)

    @property
    def recipient_lines(self) -> list[str]:
        """Each recipient as Annex I writes them: "- X;" and the last "- Lưu: VT." ending with a full stop."""
        lines = [r.strip().lstrip("-").strip().rstrip(";.") for r in self.recipients if r.strip()]
        return [f"- {r}{'.' if i == len(lines) - 1 else ';'}" for i, r in enumerate(lines)]


def render_pdf(template: str, context: dict) -> bytes:
    """A document of the shared layout as PDF bytes (always in Vietnamese: the state's documents are)."""
    from weasyprint import HTML

    with translation.override("vi"):
        html = render_to_string(template, {"serif": serif_family(), **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
