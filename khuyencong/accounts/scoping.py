"""The one place that decides what a user may see and do.

Selectors of every app call `scope_by_place` with the user and the field path to the record's
place; views never re-check places themselves. A permission denied here is final.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import Role

OFFICER_ROLES = {Role.ADMIN, Role.PROVINCE_OFFICER}
STAFF_ROLES = {Role.ADMIN, Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER}
READ_ALL_ROLES = {Role.ADMIN, Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.VIEWER}


def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    return is_authenticated(user) and (user.is_superuser or user.role == Role.ADMIN)


def place_q(user, province_field: str = "province", commune_field: str = "commune") -> Q | None:
    """A Q restricting records to the user's place, or None when the user may see no place-scoped record.

    `province_field` and `commune_field` are the lookups from the scoped model to its today's
    province and commune (e.g. "establishment__province").
    """
    if not is_authenticated(user):
        return None
    if is_admin(user):
        return Q()
    if user.role == Role.PROVINCE_OFFICER:
        return Q(**{province_field: user.province_id}) if user.province_id else None
    if user.role == Role.COMMUNE_OFFICER:
        return Q(**{commune_field: user.commune_id}) if user.commune_id else None
    if user.role == Role.VIEWER:
        if user.province_id:
            return Q(**{province_field: user.province_id})
        if user.region_id:
            return Q(**{f"{province_field}__region": user.region_id})
        return Q()
    return None


def scope_by_place(
    user,
    queryset: QuerySet,
    *,
    province_field: str = "province",
    commune_field: str = "commune",
    establishment_field: str | None = "pk",
) -> QuerySet:
    """Records of `queryset` the user may read, by place; establishment reps see their own only."""
    if is_authenticated(user) and user.role == Role.ESTABLISHMENT:
        if not user.establishment_id or establishment_field is None:
            return queryset.none()
        return queryset.filter(**{establishment_field: user.establishment_id})
    q = place_q(user, province_field, commune_field)
    if q is None:
        return queryset.none()
    return queryset.filter(q)


def can_edit_place(user, province_id, commune_id=None) -> bool:
    """May the user create or change a record placed at (province, commune)?"""
    if not is_authenticated(user):
        return False
    if is_admin(user):
        return True
    if user.role == Role.PROVINCE_OFFICER:
        return user.province_id is not None and user.province_id == province_id
    if user.role == Role.COMMUNE_OFFICER:
        return user.commune_id is not None and user.commune_id == commune_id
    return False


def require(condition: bool, message: str = "") -> None:
    if not condition:
        raise PermissionDenied(message or None)


def is_officer(user) -> bool:
    """Province officers and admins: those who approve, decide and settle."""
    return is_authenticated(user) and (is_admin(user) or user.role == Role.PROVINCE_OFFICER)


def is_staff_role(user) -> bool:
    return is_authenticated(user) and (is_admin(user) or user.role in STAFF_ROLES)


def may_manage_import(user, owner) -> bool:
    """May `user` see, retry or cancel a web import that `owner` started? The owner, an administrator,
    or an officer of the owner's province."""
    if not is_authenticated(user):
        return False
    if is_admin(user) or user.pk == getattr(owner, "pk", None):
        return True
    return is_officer(user) and bool(user.province_id) and user.province_id == getattr(owner, "province_id", None)
