"""Template filters that show numbers and money the Vietnamese way in the Vietnamese UI."""

from django import template
from django.utils.translation import get_language

from khuyencong.core.money import format_billions, format_vnd, group_digits

register = template.Library()


def _is_vi() -> bool:
    return (get_language() or "vi").startswith("vi")


@register.filter
def num(value):
    """1759 -> 1.759 (vi) / 1,759 (en)."""
    if value in (None, ""):
        return "—"
    try:
        n = int(value)
    except (TypeError, ValueError):
        return value
    text = group_digits(n)
    return text if _is_vi() else text.replace(".", ",")


@register.filter
def vnd(value):
    """Integer đồng -> 4.550.000.000 đ."""
    if value in (None, ""):
        return "—"
    text = format_vnd(int(value))
    return text if _is_vi() else text.replace(".", ",").replace(" đ", " VND")


@register.filter
def billions(value):
    """Integer đồng -> 19,51 tỷ đồng (vi) / 19.51 billion VND (en)."""
    if value in (None, ""):
        return "—"
    text = format_billions(int(value))
    if _is_vi():
        return text
    number, _, unit = text.partition(" ")
    number = number.replace(".", "\0").replace(",", ".").replace("\0", ",")
    unit = {"tỷ đồng": "billion VND", "triệu đồng": "million VND"}.get(unit, unit.replace("đ", "VND"))
    return f"{number} {unit}"


@register.filter
def dec(value, places=1):
    """Decimal score -> 86,5 (vi) / 86.5 (en)."""
    if value in (None, ""):
        return "—"
    text = f"{float(value):.{int(places)}f}" if not hasattr(value, "quantize") else f"{value:.{int(places)}f}"
    return text.replace(".", ",") if _is_vi() else text


@register.simple_tag(takes_context=True)
def querystring_with(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and sorting)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
