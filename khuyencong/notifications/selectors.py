from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts.permissions import is_authenticated

from .models import Notification


def unread_count(user) -> int:
    if not is_authenticated(user):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def latest(user, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(user=user)[:limit])


def dashboard_panel(user) -> list[dict]:
    unread = unread_count(user)
    if not unread:
        return []
    return [
        {
            "key": "notifications",
            "label": _("Unread notifications"),
            "icon": "bell",
            "value": unread,
            "url": reverse("notifications:list"),
        }
    ]
