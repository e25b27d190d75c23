"""The one write of the guide's capture: in the throwaway demo database of `make guide`, a round is brought into
scoring so that the council member's score sheet can be photographed. The demo itself keeps its rounds where
they are (its other readers and the tests count on them); this runs after the other roles are photographed.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from khuyencong.accounts.permissions import can_manage_round

# Screens that show a dossier being scored: the roles whose tasks name one are photographed after `open_scoring`.
SCORING_SCREENS = frozenset({"judge_score"})

SCREENING_NOTE = "Hồ sơ đủ điều kiện (dữ liệu minh hoạ cho hướng dẫn sử dụng)."


@transaction.atomic
def open_scoring_for(judge):
    """Open scoring, through the selection services the pages use, in a round where `judge` scores a dossier
    screened eligible and registration or screening is still going on: the round's officer screens the dossiers
    still waiting as eligible, then opens scoring. The round, or None when there is no such round."""
    from khuyencong.selection import services
    from khuyencong.selection.models import Dossier, DossierStatus, Round, RoundStatus

    round_ = (
        Round.objects.filter(
            status__in=[RoundStatus.REGISTRATION, RoundStatus.SCREENING],
            dossiers__status=DossierStatus.ELIGIBLE,
            dossiers__assignments__member__user=judge,
        )
        .order_by("pk")
        .first()
    )
    if round_ is None:
        return None
    officers = get_user_model().objects.filter(is_active=True, is_superuser=False).order_by("pk")
    officer = next((u for u in officers if can_manage_round(u, round_)), None)
    if officer is None:
        return None
    for dossier in Dossier.objects.filter(round=round_, status=DossierStatus.SUBMITTED).order_by("pk"):
        services.screen_dossier(user=officer, dossier=dossier, decision="eligible", note=SCREENING_NOTE)
    return services.open_scoring(user=officer, round_=round_)
