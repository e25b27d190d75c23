"""The home dashboard: counts for the user's place, collected from each area's own selectors.

Each area may register a callable in DASHBOARD_PANELS (app ready()) returning a list of
{"label", "value", "url", "icon", "format"} dicts for the user; the dashboard shows them all.
"""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

DASHBOARD_PANELS: list[Callable] = []


def register_panel(func: Callable) -> Callable:
    if func not in DASHBOARD_PANELS:
        DASHBOARD_PANELS.append(func)
    return func


def dashboard(user) -> dict:
    cards = []
    for panel in DASHBOARD_PANELS:
        cards.extend(panel(user) or [])
    return {"cards": cards, "place": user.place_label}


def history(obj, limit: int = 50):
    """The latest audit entries of a record, newest first, with their actors (for `includes/history.html`)."""
    from auditlog.models import LogEntry

    return LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")[:limit]
