"""What selection adds to shared pages: product and establishment sections, dashboard cards."""

from django.urls import reverse
from django.utils.translation import gettext as _

from khuyencong.accounts import permissions, scoping

from . import selectors
from .models import Result, RoundStatus


def product_section(request, product):
    history = selectors.product_history(request.user, product)
    dossiers = (
        selectors.visible_dossiers(request.user)
        .filter(product=product)
        .exclude(status__in=["certified", "passed", "not_passed"])
    )
    if not history and not dossiers.exists():
        return None
    return {
        "template": "selection/_product_section.html",
        "order": 40,
        "context": {"history": history, "open_dossiers": dossiers},
    }


def establishment_section(request, establishment):
    results = (
        Result.objects.filter(product__establishment=establishment, certified=True)
        .select_related("round", "product", "certificate")
        .order_by("-round__year", "round__level")
    )
    if not results:
        return None
    return {"template": "selection/_establishment_section.html", "order": 40, "context": {"results": results}}


def dashboard_panel(user):
    if not scoping.is_authenticated(user):
        return []
    cards = []
    open_rounds = selectors.visible_rounds(user).filter(status=RoundStatus.REGISTRATION).count()
    if permissions.sees_open_rounds(user):
        cards.append(
            {
                "key": "open_rounds",
                "label": _("Rounds open for registration"),
                "icon": "award",
                "value": open_rounds,
                "url": reverse("selection:round_list"),
            }
        )
    if permissions.scores_dossiers(user) or selectors.my_seats(user).exists():
        cards.append(
            {
                "key": "to_score",
                "label": _("Dossiers to score"),
                "icon": "clipboard-check",
                "value": selectors.dossiers_to_score(user).count(),
                "url": reverse("selection:round_list"),
            }
        )
    if scoping.is_officer(user):
        cards.append(
            {
                "key": "to_screen",
                "label": _("Dossiers to screen"),
                "icon": "inboxes",
                "value": selectors.visible_dossiers(user).filter(status="submitted").count(),
                "url": reverse("selection:round_list"),
            }
        )
    if permissions.has_representative_role(user):
        cards.append(
            {
                "key": "my_dossiers",
                "label": _("My dossiers"),
                "icon": "folder2-open",
                "value": selectors.visible_dossiers(user).count(),
                "url": reverse("selection:round_list"),
            }
        )
    return cards
