"""`{% allowed "manage_round" round as manage %}`: a permission about an object, asked in a template."""

from django import template

from khuyencong.accounts import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, name, *args):
    """`permissions.OBJECT_PREDICATES[name](user, *args)` for the template's user."""
    predicate = permissions.OBJECT_PREDICATES[name]
    return predicate(context.get("user"), *args)
