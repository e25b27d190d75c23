from django import template
from django.template.loader import render_to_string

from khuyencong.core.extensions import sections_for

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context, page, obj):
    """Render the sections other areas add to this page (see core.extensions)."""
    request = context["request"]
    html = []
    for section in sections_for(page, request, obj):
        ctx = {"request": request, "user": request.user, "object": obj, **section.get("context", {})}
        html.append(render_to_string(section["template"], ctx, request=request))
    from django.utils.safestring import mark_safe

    return mark_safe("".join(html))
