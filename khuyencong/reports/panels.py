"""The home dashboard's cards (this year's figures of the user's place) and the link to an establishment's journey."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts import permissions

from . import selectors


def dashboard_panel(user):
    if not permissions.reads_reports(user):
        return []
    try:
        place = selectors.allowed_place(user, None)
    except PermissionDenied:
        return []
    year = dt.date.today().year
    s = selectors.summary(place, selectors.Period(year, year))
    query = {"from": year, "to": year, **({"province": place.code} if place.code else {})}

    def url(figure=None):
        name, kwargs = ("reports:rows", {"figure": figure}) if figure else ("reports:summary", None)
        return reverse(name, kwargs=kwargs) + "?" + urlencode(query)

    certified = sum(s["certified"].values())
    return [
        {
            "key": "report_support",
            "label": _("Support settled this year"),
            "icon": "cash-stack",
            "value": s["support"]["total"],
            "format": "money",
            "url": url("support"),
        },
        {
            "key": "report_jobs",
            "label": _("Jobs created this year"),
            "icon": "people",
            "value": s["jobs"],
            "url": url("support"),
        },
        {
            "key": "report_certified",
            "label": _("Certifications this year"),
            "icon": "patch-check",
            "value": certified,
            "url": url(),
        },
    ]


def journey_section(request, establishment):
    if not permissions.sees_records(request.user):
        return None
    return {
        "template": "reports/_journey_link.html",
        "context": {"establishment": establishment},
        "order": 90,
    }
