"""Reads of user accounts by what they may do: who is offered in pickers, who is notified."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Role


def representatives_of(establishment) -> QuerySet:
    """The active representative accounts of an establishment."""
    return get_user_model().objects.filter(
        establishment=establishment, role=Role.ESTABLISHMENT, is_active=True
    )


def representatives_of_any(establishments) -> QuerySet:
    """The active representative accounts of several establishments (told of a survey sent to them)."""
    return get_user_model().objects.filter(
        establishment__in=establishments, role=Role.ESTABLISHMENT, is_active=True
    )


def trainees_of_province(province_id) -> QuerySet:
    """Accounts that can be recorded as a training's participants: active, of the province, not read-only."""
    return get_user_model().objects.filter(is_active=True, province_id=province_id).exclude(role=Role.VIEWER)


NOT_ELIGIBLE_FOR_COUNCIL = _(
    "%(user)s may not sit on this council: choose a council member or an officer of the round's place."
)


def council_candidates(round_) -> QuerySet:
    """People who may be seated on a round's council: active council members and province officers of the
    round's place (its province; for a region round, the region's provinces; for a national round, any);
    a commune round also its commune's officers; region and national rounds also the national organiser's
    staff (their secretariat). Administrators run the platform, they do not judge."""
    from django.db.models import Q

    users = get_user_model().objects.filter(is_active=True, is_superuser=False)
    members = Q(role__in=[Role.JUDGE, Role.PROVINCE_OFFICER])
    organisers = Q(role=Role.NATIONAL_ORGANISER)
    if getattr(round_, "commune_id", None):
        return users.filter(
            (members & Q(province_id=round_.province_id))
            | Q(role=Role.COMMUNE_OFFICER, commune_id=round_.commune_id)
        )
    if round_.province_id:
        return users.filter(members, province_id=round_.province_id)
    if round_.region_id:  # an OR of Q objects: the join on the province stays outer for the organisers
        return users.filter((members & Q(province__region_id=round_.region_id)) | organisers)
    return users.filter(members | organisers)


def national_organisers() -> QuerySet:
    """The accounts told of a province's registration for national funds: active national organisers."""
    return get_user_model().objects.filter(is_active=True, role=Role.NATIONAL_ORGANISER)


def round_officers(round_) -> QuerySet:
    """The officers running a round (told of its appeals and its certificates' expiry): the commune's officers
    for a commune round, the province's for a province (or historical district) round, the national organisers
    for region and national rounds."""
    from .permissions import COMMUNE_RUN_LEVELS, NATIONAL_RUN_LEVELS, PROVINCE_RUN_LEVELS

    qs = get_user_model().objects.filter(is_active=True, is_superuser=False)
    if round_.level in NATIONAL_RUN_LEVELS:
        return qs.filter(role=Role.NATIONAL_ORGANISER)
    if round_.level in PROVINCE_RUN_LEVELS and round_.province_id:
        return qs.filter(role=Role.PROVINCE_OFFICER, province_id=round_.province_id)
    commune_id = getattr(round_, "commune_id", None)
    if round_.level in COMMUNE_RUN_LEVELS and commune_id:
        return qs.filter(role=Role.COMMUNE_OFFICER, commune_id=commune_id)
    return qs.none()


def province_officers(province_id) -> QuerySet:
    """The active officers of a province's Department."""
    return get_user_model().objects.filter(
        is_active=True, is_superuser=False, role=Role.PROVINCE_OFFICER, province_id=province_id
    )


def guide_role(user) -> str:
    """The role whose user guide a reader sees first: the user's role, "public" for a visitor."""
    if user is None or not user.is_authenticated:
        return "public"
    return user.role
