"""Reads of user accounts by what they may do: who is offered in pickers, who is notified."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import Role


def representatives_of(establishment) -> QuerySet:
    """The active representative accounts of an establishment."""
    return get_user_model().objects.filter(
        establishment=establishment, role=Role.ESTABLISHMENT, is_active=True
    )


def trainees_of_province(province_id) -> QuerySet:
    """Accounts that can be recorded as a training's participants: active, of the province, not read-only."""
    return get_user_model().objects.filter(is_active=True, province_id=province_id).exclude(role=Role.VIEWER)


def council_candidates(round_=None) -> QuerySet:
    """People who may be seated on a council: council members, province officers and administrators."""
    return get_user_model().objects.filter(
        is_active=True, role__in=[Role.JUDGE, Role.PROVINCE_OFFICER, Role.ADMIN]
    )
