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
