"""Reads of programme targets, scoped by place (accounts.scoping). The achieved figures are computed by
`reports.targets` from the records, with the reports' own selectors, and never stored."""

from django.db.models import Q, QuerySet

from khuyencong.accounts import permissions, scoping

from .target_models import ProgrammeScope, TargetProgramme


def visible_target_programmes(user) -> QuerySet[TargetProgramme]:
    """As the reports are read: the national programme (the whole country's figures) by the country-wide (the
    Ministry, administrators, the national organiser); a province's local programme by the users of that
    province (a commune officer: their commune's province), its region's viewers and the country-wide."""
    qs = TargetProgramme.objects.select_related("province").prefetch_related("targets")
    if not permissions.reads_programme_targets(user):
        return qs.none()
    if permissions.is_commune_officer(user):
        local = Q(province_id=user.province_id) if user.province_id else None
    else:
        local = scoping.place_q(user, province_field="province", commune_field="province")
    if local is None:
        return qs.none()
    if permissions.is_country_wide(user):
        return qs
    # the national programme's figures are the whole country's, read like the country's reports
    return qs.filter(scope=ProgrammeScope.PROVINCE).filter(local)
