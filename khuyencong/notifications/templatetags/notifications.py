"""`{% load notifications %}{% mail_preference user as by_email %}`: the user's choice, for My account."""

from django import template

from khuyencong.notifications.models import Preference

register = template.Library()


@register.simple_tag
def mail_preference(user) -> bool:
    return not Preference.objects.filter(user=user, by_email=False).exists()
