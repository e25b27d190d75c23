"""Navigation by area; an area appears once its app provides its URL, and only to users who work in it."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.accounts import permissions


def _everyone(user) -> bool:
    return True


NAV = [
    (
        pgettext_lazy("navigation", "Establishments"),
        "registry:establishment_list",
        "building",
        permissions.reads_registry,
    ),
    (_("Products"), "registry:product_list", "box-seam", permissions.reads_registry),
    (_("Programme"), "programme:project_list", "cash-coin", permissions.reads_registry),
    (_("Selection"), "selection:round_list", "award", permissions.reads_selection),
    (
        pgettext_lazy("navigation", "Market linkage"),
        "outreach:event_list",
        "shop",
        permissions.reads_registry,
    ),
    (_("Reports"), "reports:summary", "bar-chart", permissions.reads_reports),
    (
        pgettext_lazy("navigation", "Import / export"),
        "interchange:home",
        "arrow-left-right",
        permissions.may_use_interchange,
    ),
    (pgettext_lazy("navigation", "Catalogue"), "catalogue:product_list", "grid", _everyone),
]


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    path = request.path
    for label, name, icon, shown_to in NAV:
        if not shown_to(user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        prefix = "/" + url.strip("/").split("/")[0] + "/"
        items.append({"label": label, "url": url, "icon": icon, "active": path.startswith(prefix)})
    return {"nav_items": items, "notifications": _notifications(user)}


def _notifications(user) -> dict | None:
    """The unread count for the bell in the top bar."""
    if user is None or not user.is_authenticated:
        return None
    try:
        from khuyencong.notifications.selectors import unread_count

        return {"unread": unread_count(user), "url": reverse("notifications:list")}
    except (ImportError, NoReverseMatch):
        return None
