"""Which records a user may read, by place: the querysets built on `accounts.permissions`.

Selectors of every app call `scope_by_place` with the user and the field path to the record's
place; views never re-check places themselves. The yes/no questions ("may this user edit this
place?") are in `accounts.permissions`; the most used are re-exported here. A permission denied
here is final.
"""

from django.db.models import Q, QuerySet

from .permissions import (  # noqa: F401 (re-exported: callers ask scoping.is_officer(...))
    can_edit_place,
    is_admin,
    is_authenticated,
    is_commune_officer,
    is_national_organiser,
    is_officer,
    is_province_officer,
    is_staff_role,
    is_viewer,
    require,
)
from .permissions import has_representative_role as _has_representative_role


def place_q(user, province_field: str = "province", commune_field: str = "commune") -> Q | None:
    """A Q restricting records to the user's place, or None when the user may see no place-scoped record.

    `province_field` and `commune_field` are the lookups from the scoped model to its today's
    province and commune (e.g. "establishment__province").
    """
    if not is_authenticated(user):
        return None
    if is_admin(user) or is_national_organiser(user):
        return Q()
    if is_province_officer(user):
        return Q(**{province_field: user.province_id}) if user.province_id else None
    if is_commune_officer(user):
        return Q(**{commune_field: user.commune_id}) if user.commune_id else None
    if is_viewer(user):
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
    if _has_representative_role(user):
        if not user.establishment_id or establishment_field is None:
            return queryset.none()
        return queryset.filter(**{establishment_field: user.establishment_id})
    q = place_q(user, province_field, commune_field)
    if q is None:
        return queryset.none()
    return queryset.filter(q)
