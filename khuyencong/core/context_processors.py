"""Navigation by area; an area appears once its app provides its URL, and only to roles that use it."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ALL = None
STAFF = {"admin", "province_officer", "commune_officer", "viewer"}

NAV = [
    (pgettext_lazy("navigation", "Establishments"), "registry:establishment_list", "building", STAFF | {"establishment"}),
    (_("Products"), "registry:product_list", "box-seam", STAFF | {"establishment"}),
    (_("Programme"), "programme:project_list", "cash-coin", STAFF | {"establishment"}),
    (_("Selection"), "selection:round_list", "award", STAFF | {"judge", "establishment"}),
    (pgettext_lazy("navigation", "Market linkage"), "outreach:event_list", "shop", STAFF | {"establishment"}),
    (_("Reports"), "reports:summary", "bar-chart", STAFF),
    (pgettext_lazy("navigation", "Import / export"), "interchange:home", "arrow-left-right", {"admin", "province_officer"}),
    (pgettext_lazy("navigation", "Catalogue"), "catalogue:product_list", "grid", ALL),
]


def navigation(request):
    user = getattr(request, "user", None)
    role = None
    if user is not None and user.is_authenticated:
        role = "admin" if user.is_superuser else user.role
    items = []
    path = request.path
    for label, name, icon, roles in NAV:
        if roles is not ALL and (role is None or role not in roles):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        prefix = "/" + url.strip("/").split("/")[0] + "/"
        items.append({"label": label, "url": url, "icon": icon, "active": path.startswith(prefix)})
    return {"nav_items": items, "notifications": _notifications(user)}


def _notifications(user) -> dict | None:
    """The unread count for the bell in the top bar, where the selection area provides notifications."""
    if user is None or not user.is_authenticated:
        return None
    try:
        from khuyencong.selection.selectors import unread_notifications

        return {"unread": unread_notifications(user), "url": reverse("selection:notifications")}
    except (ImportError, NoReverseMatch):
        return None
