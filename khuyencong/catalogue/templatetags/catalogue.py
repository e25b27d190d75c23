from django import template
from django.utils.translation import get_language

from khuyencong.selection.models import LEVEL_LABELS_VI, Level

register = template.Library()


@register.filter
def level_label(value) -> str:
    """ "Cấp tỉnh" in Vietnamese (the regulation's words), the English label otherwise."""
    if not value:
        return ""
    if (get_language() or "vi").startswith("vi"):
        return LEVEL_LABELS_VI.get(value, value)
    return str(dict(Level.choices).get(value, value))
