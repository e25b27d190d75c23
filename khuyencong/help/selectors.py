"""Which page each of the guide's screens is, for a given reader.

A screen is a fixed address, or a record of the kind the step talks about that the reader can see (a round
open for registration, a project under way, ...), found with the areas' own scoped selectors, so that the
screenshot shows what that role really sees; a `#fragment` scrolls the screenshot to the part the task is
about. `None` when the database holds no such record.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse


def _first(qs, url_name: str, suffix: str = "") -> str | None:
    obj = qs.order_by("-pk").first()
    return reverse(url_name, args=[obj.pk]) + suffix if obj else None


def _rounds(user, **filters):
    from khuyencong.selection.selectors import visible_rounds

    return visible_rounds(user).filter(**filters)


def _round_open(user) -> str | None:
    from khuyencong.accounts.permissions import can_manage_round

    rounds = list(_rounds(user, status="registration").order_by("-pk"))
    # the reader's own round when they manage one (the officer's buttons show), else any open round
    own = [r for r in rounds if can_manage_round(user, r)]
    chosen = (own or rounds or [None])[0]
    return reverse("selection:round_detail", args=[chosen.pk]) if chosen else None


def _council(user) -> str | None:
    url = _round_open(user)
    return url + "council/" if url else None


def _dossier_register(user) -> str | None:
    url = _round_open(user)
    return url + "register/" if url else None


def _round_approved(user) -> str | None:
    return _first(_rounds(user, status="approved"), "selection:round_detail")


def _results_approved(user) -> str | None:
    return _first(_rounds(user, status="approved"), "selection:results", "#decision")


def _documents_decided(user) -> str | None:
    certified = _rounds(user, status="decided", level="province", results__certificate__isnull=False)
    return _first(certified.distinct(), "documents:round_documents")


def _round_commune_decided(user) -> str | None:
    return _first(_rounds(user, status="decided", level="commune"), "selection:round_detail")


def _nominate_commune(user) -> str | None:
    return _first(_rounds(user, status="decided", level="commune"), "selection:nominate")


def _round_region_open(user) -> str | None:
    return _first(_rounds(user, status="registration", level="region"), "selection:round_detail")


def _project_running(user) -> str | None:
    from khuyencong.programme.selectors import visible_projects

    return _first(visible_projects(user).filter(status="in_progress"), "programme:project_detail")


def _dossiers(user, **filters):
    from khuyencong.selection.selectors import visible_dossiers

    return visible_dossiers(user).filter(**filters)


def _dossier_draft(user) -> str | None:
    return _first(_dossiers(user, status="draft"), "selection:dossier_detail")


def _dossier_appealed(user) -> str | None:
    return _first(_dossiers(user, appeals__isnull=False).distinct(), "selection:dossier_detail", "#appeal")


def _judge_dossier(user) -> str | None:
    return _first(_dossiers(user, round__council__user=user).distinct(), "selection:dossier_detail")


def _judge_score(user) -> str | None:
    """The score sheet of a dossier waiting for the reader's score, else the selection page that lists them."""
    from khuyencong.selection.selectors import dossiers_to_score

    return _first(dossiers_to_score(user), "selection:score_form") or "/selection/"


def _survey_answer(user) -> str | None:
    from khuyencong.outreach.selectors import visible_surveys

    if not getattr(user, "establishment_id", None):
        return None
    surveys = visible_surveys(user).filter(invitations__establishment_id=user.establishment_id).distinct()
    return _first(surveys, "outreach:survey_answer")


def _batch(user) -> str | None:
    from khuyencong.selection.selectors import visible_batches

    return _first(visible_batches(user), "selection:batch_detail")


def _registration(user) -> str | None:
    from khuyencong.national.selectors import visible_registrations

    return _first(visible_registrations(user), "national:registration_detail")


def _verify(user) -> str | None:
    from khuyencong.selection.models import Certificate

    cert = Certificate.objects.filter(revoked_at__isnull=True).order_by("pk").first()
    return reverse("catalogue:verify", kwargs={"key": cert.number}) if cert else None


def _fixed(path: str) -> Callable[[object], str]:
    return lambda user: path


SCREENS: dict[str, Callable[[object], str | None]] = {
    "home": _fixed("/"),
    "login": _fixed("/accounts/login/"),
    "profile": _fixed("/accounts/profile/"),
    "establishments": _fixed("/registry/establishments/"),
    "establishment_new": _fixed("/registry/establishments/new/"),
    "selection": _fixed("/selection/"),
    "round_new": _fixed("/selection/rounds/new/"),
    "round_open": _round_open,
    "council": _council,
    "dossier_register": _dossier_register,
    "round_approved": _round_approved,
    "results_approved": _results_approved,
    "documents_decided": _documents_decided,
    "round_commune_decided": _round_commune_decided,
    "nominate_commune": _nominate_commune,
    "round_region_open": _round_region_open,
    "programme": _fixed("/programme/"),
    "project_new": _fixed("/programme/projects/new/"),
    "project_running": _project_running,
    "reports": _fixed("/reports/"),
    "data": _fixed("/data/"),
    "targets": _fixed("/programme/targets/"),
    "dossier_draft": _dossier_draft,
    "dossier_appealed": _dossier_appealed,
    "judge_dossier": _judge_dossier,
    "judge_score": _judge_score,
    "surveys": _fixed("/outreach/surveys/"),
    "survey_answer": _survey_answer,
    "batch": _batch,
    "national": _fixed("/national/"),
    "registration": _registration,
    "admin_users": _fixed("/admin/accounts/user/"),
    "signatories": _fixed("/documents/signatories/"),
    "catalogue": _fixed("/catalogue/"),
    "verify_lookup": _fixed("/verify/"),
    "verify": _verify,
}


# Pages for visitors: a signed-in reader is sent on from them, so they are opened without logging in.
ANONYMOUS_SCREENS = {"login"}


def screen_path(screen: str, user=None) -> str | None:
    """The address of `screen` for `user` (anonymous when None)."""
    return SCREENS[screen](user or AnonymousUser())
