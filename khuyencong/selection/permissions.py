"""Who may do what in selection; places are decided by accounts.scoping, seats by the council table."""

from khuyencong.accounts import scoping

from .models import CouncilMember, CouncilRole, Level, Round


def can_manage_round(user, round_: Round) -> bool:
    """Province officers run their province's rounds; region and national rounds are run by administrators."""
    if not scoping.is_authenticated(user):
        return False
    if scoping.is_admin(user):
        return True
    if round_.level in (Level.PROVINCE, Level.DISTRICT) and user.role == "province_officer":
        return bool(user.province_id) and user.province_id == round_.province_id
    return False


def can_create_round(user, province_id=None, level="province") -> bool:
    if scoping.is_admin(user):
        return True
    return user.role == "province_officer" and level in ("province", "district") and province_id == user.province_id


def seat(user, round_: Round) -> CouncilMember | None:
    if not scoping.is_authenticated(user):
        return None
    return CouncilMember.objects.filter(round=round_, user=user).first()


def can_follow_council(user, round_: Round) -> bool:
    """Managers, the chair and the secretary follow scoring progress."""
    if can_manage_round(user, round_):
        return True
    s = seat(user, round_)
    return bool(s and s.role in (CouncilRole.CHAIR, CouncilRole.SECRETARY))


def may_register_for(user, establishment) -> bool:
    """The establishment's representative, or an officer of its place (on its behalf)."""
    if not scoping.is_authenticated(user):
        return False
    if user.role == "establishment":
        return user.establishment_id == establishment.pk
    return scoping.can_edit_place(user, establishment.province_id, establishment.commune_id)


def can_nominate_into(user, target: Round) -> bool:
    """Province officers send their winners to the region round of their region; admins anywhere."""
    if scoping.is_admin(user):
        return True
    if user.role != "province_officer" or not user.province_id:
        return False
    if target.level == Level.REGION:
        return target.region_id is not None and target.region_id == getattr(user.province, "region_id", None)
    return False
