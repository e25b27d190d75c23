"""Certificate PDFs: HTML and CSS through WeasyPrint (DejaVu fonts carry Vietnamese), a QR code to the verify page."""

import segno
from django.conf import settings
from django.template.loader import render_to_string

from khuyencong.core.links import absolute_url
from khuyencong.registry.models import GROUP_LABELS_VI

from .models import LEVEL_LABELS_VI, Certificate


def verify_url(certificate: Certificate) -> str:
    """SITE_URL, or the address the request came in on (core.links)."""
    return absolute_url(f"/verify/{certificate.number}")


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, border=1)


def _full_name(place) -> str:
    """The issuing body's place as a letterhead writes it: "Tỉnh Cà Mau", "Thành phố Cần Thơ"."""
    name = getattr(place, "name", str(place))
    kind = getattr(place, "division_type", "") or ""
    if kind and not name.lower().startswith(("tỉnh", "thành phố")):
        return f"{'Tỉnh' if kind == 'tỉnh' else 'Thành phố'} {name}"
    return name


def render_certificate_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML

    result = certificate.result
    round_ = result.round
    url = verify_url(certificate)
    place = round_.province or round_.region or round_.legacy_province or ""
    place_full = _full_name(place)
    html = render_to_string(
        "selection/certificate_pdf.html",
        {
            "certificate": certificate,
            "result": result,
            "round": round_,
            "product": result.product,
            "establishment": result.product.establishment,
            "level_vi": LEVEL_LABELS_VI.get(round_.level, round_.level),
            "place": place,
            "place_full": place_full,
            "group_vi": GROUP_LABELS_VI.get(result.product.group, ""),
            "verify_url": url,
            "qr": qr_svg(url),
        },
    )
    return HTML(
        string=html, base_url=str(settings.BASE_DIR) if hasattr(settings, "BASE_DIR") else None
    ).write_pdf()
