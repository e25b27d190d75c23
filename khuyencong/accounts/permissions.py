"""Every permission of the platform, as named predicates. The only module that compares roles.

Views, templates (through the `can` context and the `{% allowed %}` tag), the API, the CLI and the
services ask these questions by name ("may this user manage this round?") and never look at
`user.role` themselves. Which records a user may *read* is decided in `accounts.scoping`
(`scope_by_place`), built on the same predicates.

A predicate takes the user first, then the object it is about, and answers True or False; it never
raises. `require(...)` turns a False into a PermissionDenied.
"""

from django.core.exceptions import PermissionDenied

from .models import Role

# The levels of selection rounds (selection.models.Level values) by who runs them: a commune's people's
# committee its commune rounds, a province its province (and, historically, district) rounds, the
# Ministry's agency (the national organiser) the region and national rounds.
COMMUNE_RUN_LEVELS = ("commune",)
PROVINCE_RUN_LEVELS = ("province", "district")
NATIONAL_RUN_LEVELS = ("region", "national")
# Who organises a level when the round's rule set does not say (selection.models.RuleSet.organisers
# names one of these roles per level; the round keeps it as `Round.organiser`).
DEFAULT_ORGANISERS = {
    **dict.fromkeys(COMMUNE_RUN_LEVELS, Role.COMMUNE_OFFICER),
    **dict.fromkeys(PROVINCE_RUN_LEVELS, Role.PROVINCE_OFFICER),
    **dict.fromkeys(NATIONAL_RUN_LEVELS, Role.NATIONAL_ORGANISER),
}


def require(condition: bool, message: str = "") -> None:
    if not condition:
        raise PermissionDenied(message or None)


# --- who the user is ---------------------------------------------------------------------------


def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    """System administrators (superusers count as administrators)."""
    return is_authenticated(user) and (user.is_superuser or user.role == Role.ADMIN)


def may_use_admin_site(user) -> bool:
    """The Django admin (/admin/) is for system administrators only, and only with the staff flag.

    The admin reads and changes every record of every place, so no other role may open it, whatever
    its staff flag or model permissions say (the permission matrix: `accounts.matrix.ADMIN_SITE`).
    """
    return is_admin(user) and bool(user.is_staff)


def is_province_officer(user) -> bool:
    """An officer of one province's Department (not an administrator)."""
    return is_authenticated(user) and user.role == Role.PROVINCE_OFFICER and not user.is_superuser


def is_commune_officer(user) -> bool:
    return is_authenticated(user) and user.role == Role.COMMUNE_OFFICER and not user.is_superuser


def is_officer(user) -> bool:
    """Province officers and admins: those who approve, decide and settle."""
    return is_admin(user) or is_province_officer(user)


def is_staff_role(user) -> bool:
    """Those who keep records of a place: admins, province and commune officers."""
    return is_officer(user) or is_commune_officer(user)


def is_national_organiser(user) -> bool:
    """The Ministry's agency for industrial promotion (Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến
    công): organises the region and national selection rounds, reads the whole country."""
    return is_authenticated(user) and user.role == Role.NATIONAL_ORGANISER and not user.is_superuser


def is_viewer(user) -> bool:
    """Read-only accounts (the Ministry, a region, a province's leadership)."""
    return is_authenticated(user) and user.role == Role.VIEWER and not user.is_superuser


def is_judge(user) -> bool:
    """Council-member accounts: they see the dossiers they score, nothing of the registry."""
    return is_authenticated(user) and user.role == Role.JUDGE and not user.is_superuser


def is_representative(user) -> bool:
    """An establishment's representative (with the establishment it represents)."""
    return (
        is_authenticated(user)
        and user.role == Role.ESTABLISHMENT
        and not user.is_superuser
        and bool(user.establishment_id)
    )


def has_representative_role(user) -> bool:
    """The representative role, even on an account not yet linked to its establishment."""
    return is_authenticated(user) and user.role == Role.ESTABLISHMENT and not user.is_superuser


def acts_for(user, establishment) -> bool:
    """Is the user the representative of this establishment (an Establishment or its id)?"""
    pk = getattr(establishment, "pk", establishment)
    return is_representative(user) and pk is not None and user.establishment_id == pk


def is_country_wide(user) -> bool:
    """Sees the whole country: administrators, the national organiser, and viewers with no province or
    region (the Ministry)."""
    return (
        is_admin(user)
        or is_national_organiser(user)
        or (is_viewer(user) and not user.province_id and not user.region_id)
    )


# --- places ------------------------------------------------------------------------------------


def can_edit_place(user, province_id, commune_id=None) -> bool:
    """May the user create or change a record placed at (province, commune)?"""
    if is_admin(user):
        return True
    if is_province_officer(user):
        return user.province_id is not None and user.province_id == province_id
    if is_commune_officer(user):
        return user.commune_id is not None and user.commune_id == commune_id
    return False


# --- pages a user may open (links are shown only to those who may follow them) ------------------


def _place_readable(user, province_id, commune_id, region_id=None) -> bool:
    """The place rule of `scoping.place_q`, as a yes/no for one record's place."""
    if is_admin(user) or is_national_organiser(user):
        return True
    if is_province_officer(user):
        return user.province_id is not None and user.province_id == province_id
    if is_commune_officer(user):
        return user.commune_id is not None and user.commune_id == commune_id
    if is_viewer(user):
        if user.province_id:
            return user.province_id == province_id
        if user.region_id:
            return region_id is not None and user.region_id == region_id
        return True
    return False


def can_read_establishment(user, establishment) -> bool:
    """May the user open the establishment's page (the registry's scope, `registry.selectors.visible_
    establishments`)? Its place's officers and viewers, administrators, its own representatives; so a page
    listing other establishments (a fair's participants, a training's trainees) links only to those."""
    if not is_authenticated(user) or establishment is None:
        return False
    if has_representative_role(user):
        return user.establishment_id is not None and user.establishment_id == establishment.pk
    region = establishment.province.region_id if user.region_id and not user.province_id else None
    return _place_readable(user, establishment.province_id, establishment.commune_id, region)


def can_read_plan(user, plan) -> bool:
    """May the user open the province's plan (`programme.selectors.visible_plans`)? Plans are province-wide:
    the province's officers (a commune officer too) and viewers, administrators; representatives and
    council members do not read plans."""
    if not is_authenticated(user) or plan is None:
        return False
    if is_commune_officer(user):
        return user.province_id is not None and user.province_id == plan.province_id
    region = plan.province.region_id if user.region_id and not user.province_id else None
    return _place_readable(user, plan.province_id, None, region)


# --- areas a user works in (navigation, dashboards) ---------------------------------------------


def reads_registry(user) -> bool:
    """The registry, programme and market-linkage pages: staff, viewers, the national organiser (reading)
    and representatives."""
    return (
        is_staff_role(user) or is_viewer(user) or is_national_organiser(user) or has_representative_role(user)
    )


def reads_selection(user) -> bool:
    return reads_registry(user) or is_judge(user)


def reads_reports(user) -> bool:
    """The programme summary and its breakdowns: staff, viewers and the national organiser."""
    return is_staff_role(user) or is_viewer(user) or is_national_organiser(user)


def sees_records(user) -> bool:
    """Everyone but council-member accounts: an establishment's journey, the registry's and programme's
    dashboard cards (each scoped by place)."""
    return is_authenticated(user) and not is_judge(user)


def may_export(user) -> bool:
    """The interchange exports (scoped like the list pages they mirror)."""
    return is_authenticated(user) and not is_judge(user)


def may_use_interchange(user) -> bool:
    """Import and the import/export home: officers."""
    return is_officer(user)


def may_import(user) -> bool:
    """Officers of a province and administrators import; the CLI runs as an administrator (or no one: None)."""
    return user is None or is_officer(user)


def may_manage_import(user, owner) -> bool:
    """See, retry or cancel a web import that `owner` started: the owner, an administrator, or an officer
    of the owner's province."""
    if not is_authenticated(user):
        return False
    if is_admin(user) or user.pk == getattr(owner, "pk", None):
        return True
    return (
        is_officer(user)
        and bool(user.province_id)
        and user.province_id == getattr(owner, "province_id", None)
    )


# --- registry ----------------------------------------------------------------------------------


def can_create_establishment(user) -> bool:
    return is_staff_role(user)


def can_edit_establishment(user, establishment) -> bool:
    """Officers of its place change every field; its representative the self-service fields."""
    return acts_for(user, establishment) or can_edit_place(
        user, establishment.province_id, establishment.commune_id
    )


def can_archive_establishment(user, establishment) -> bool:
    return can_edit_place(user, establishment.province_id, establishment.commune_id)


def can_create_product(user) -> bool:
    return is_staff_role(user) or is_representative(user)


def can_edit_product(user, establishment) -> bool:
    """A product's description and photos: its establishment's representative or an officer of its place."""
    if has_representative_role(user):
        return acts_for(user, establishment)
    return can_edit_place(user, establishment.province_id, establishment.commune_id)


def can_edit_certified_facts(user, establishment) -> bool:
    """Code, name, group, certifications, archiving: officers of the place only, never the representative."""
    return not has_representative_role(user) and can_edit_place(
        user, establishment.province_id, establishment.commune_id
    )


# --- programme ---------------------------------------------------------------------------------


def can_propose_projects(user) -> bool:
    """Officers, and commune officers for their commune."""
    return is_officer(user) or is_commune_officer(user)


def can_propose_project_at(user, province_id, commune_id) -> bool:
    if is_officer(user):
        return can_edit_place(user, province_id, commune_id)
    if is_commune_officer(user):
        return commune_id is not None and can_edit_place(user, province_id, commune_id)
    return False


def can_record_resolution(user, province_id) -> bool:
    """A province's People's Council resolution on support ceilings (for its local funds) is recorded
    and corrected by the officers of that province (and administrators). National documents are
    edited by administrators only, in the admin site."""
    return province_id is not None and is_officer(user) and can_edit_place(user, province_id)


def records_resolutions(user) -> bool:
    """Officers who may record their province's resolutions see the button (the page checks the province)."""
    return is_officer(user)


def can_record_beneficiaries(user) -> bool:
    """Craft villages and artisans are recorded by officers (province, or commune for their commune)."""
    return is_staff_role(user)


def can_edit_beneficiary(user, record) -> bool:
    """A craft village or an artisan is edited by the officers of its place."""
    return can_record_beneficiaries(user) and can_edit_place(user, record.province_id, record.commune_id)


def can_manage_programme_targets(user, province_id=None) -> bool:
    """A programme's targets: the national programme's (province_id None) by administrators and the national
    organiser (the Ministry's agency); a province's local programme by that province's officers."""
    if is_admin(user):
        return True
    if province_id is None:
        return is_national_organiser(user)
    return is_province_officer(user) and bool(user.province_id) and user.province_id == province_id


def reads_programme_targets(user) -> bool:
    """Programme targets and progress: those who read the reports (staff, viewers, the national organiser)."""
    return reads_reports(user)


def place_is_fixed_to_commune(user) -> bool:
    """Forms of a commune officer: the place is their commune, not a choice."""
    return is_commune_officer(user)


# --- the national plan provinces feed ----------------------------------------------------------


def organises_national_plan(user) -> bool:
    """The national organiser (and administrators) appraise the provinces' registrations for national
    funds, consolidate them and allocate the funds per province and activity."""
    return is_admin(user) or is_national_organiser(user)


def can_register_national(user, province_id) -> bool:
    """A province's officers prepare and submit its yearly registration for national funds."""
    return is_officer(user) and can_edit_place(user, province_id)


def reads_national_registrations(user) -> bool:
    """The registrations page: the organiser, administrators, country-wide viewers, and province officers
    and viewers (their own province's, see `national.selectors`)."""
    return organises_national_plan(user) or is_viewer(user) or is_province_officer(user)


# --- outreach ----------------------------------------------------------------------------------


def may_register_interest(user) -> bool:
    """Asking to take part in an event, answering a survey: representatives."""
    return is_representative(user)


def answers_surveys(user) -> bool:
    """Representatives answer surveys (and see them as questions); others read the results."""
    return has_representative_role(user)


# --- selection ---------------------------------------------------------------------------------


def chooses_any_round_level(user) -> bool:
    """Administrators open rounds of every level; the others the levels they run (see `opens_round_level`)."""
    return is_admin(user)


def _organiser(level, organiser="") -> str:
    return organiser or DEFAULT_ORGANISERS.get(level, "")


def _is_organiser_kind(user, organiser) -> bool:
    if organiser == Role.NATIONAL_ORGANISER:
        return is_national_organiser(user)
    if organiser == Role.PROVINCE_OFFICER:
        return is_province_officer(user) and bool(user.province_id)
    if organiser == Role.COMMUNE_OFFICER:
        return is_commune_officer(user) and bool(user.commune_id)
    return False


def _organises_at(user, organiser, province_id, commune_id) -> bool:
    """Is the user the organiser `organiser` (a Role value) of a round placed at (province, commune)?"""
    if not _is_organiser_kind(user, organiser):
        return False
    if organiser == Role.PROVINCE_OFFICER:
        return user.province_id == province_id
    if organiser == Role.COMMUNE_OFFICER:
        return commune_id is not None and user.commune_id == commune_id
    return True  # the national organiser's scope is the country


def opens_round_level(user, level, organiser="") -> bool:
    """May the user open rounds of this level somewhere? Its organiser (the rule set's, else by default:
    a commune officer commune rounds, a province officer province and historical district rounds, the
    national organiser region and national rounds) and administrators."""
    return is_admin(user) or _is_organiser_kind(user, _organiser(level, organiser))


def opens_rounds(user) -> bool:
    """Opens rounds of some level (the "New round" page): administrators and each level's organisers."""
    return any(opens_round_level(user, level) for level in DEFAULT_ORGANISERS)


def can_create_round(user, province_id=None, level="province", commune_id=None, organiser="") -> bool:
    """A round of `level` at (province, commune): administrators, or that level's organiser of that place."""
    return is_admin(user) or _organises_at(user, _organiser(level, organiser), province_id, commune_id)


def can_manage_round(user, round_) -> bool:
    """The round's organiser runs it: commune officers their commune's rounds, province officers their
    province's, the national organiser (the Ministry's agency) region and national rounds — or whom the
    round's rule set named; administrators every round."""
    if is_admin(user):
        return True
    organiser = _organiser(round_.level, getattr(round_, "organiser", ""))
    return _organises_at(user, organiser, round_.province_id, getattr(round_, "commune_id", None))


def can_submit_batch(user, batch) -> bool:
    """A province's nominations to a region round are sent by that province's officers (for the
    people's committee) and administrators."""
    if is_admin(user):
        return True
    return is_province_officer(user) and bool(user.province_id) and user.province_id == batch.province_id


def may_see_batch(user, batch) -> bool:
    """A province's submission: its province's officers, those running the round, the country-wide."""
    return can_submit_batch(user, batch) or can_manage_round(user, batch.round) or is_country_wide(user)


def organises_national_rounds(user) -> bool:
    """Opens and runs region and national rounds: the national organiser (and administrators)."""
    return is_admin(user) or is_national_organiser(user)


def can_configure_signatory(user, province_id) -> bool:
    """Sets who signs an organisation's documents (the decision's and the report's signatory, place,
    "Nơi nhận"): the province's officers for their province, the national organiser for the Ministry's
    agency (no province), administrators for any."""
    if is_admin(user):
        return True
    if province_id is None:
        return is_national_organiser(user)
    return is_province_officer(user) and user.province_id == province_id


def runs_province_rounds(user) -> bool:
    """Sees the rounds being prepared in their province and every dossier of them."""
    return is_province_officer(user) and bool(user.province_id)


def seat(user, round_):
    """The user's seat on the round's council, or None."""
    if not is_authenticated(user):
        return None
    from khuyencong.selection.models import CouncilMember

    return CouncilMember.objects.filter(round=round_, user=user).first()


def can_follow_council(user, round_) -> bool:
    """Managers, the chair and the secretary follow scoring progress."""
    if can_manage_round(user, round_):
        return True
    from khuyencong.selection.models import CouncilRole

    s = seat(user, round_)
    followers = (CouncilRole.CHAIR, CouncilRole.SECRETARY)
    return bool(s and s.role in followers)


def may_register_for(user, establishment) -> bool:
    """The establishment's representative, or an officer of its place (on its behalf)."""
    if has_representative_role(user):
        return acts_for(user, establishment)
    return can_edit_place(user, establishment.province_id, establishment.commune_id)


def may_register_dossiers(user) -> bool:
    """Judges score and the national organiser runs rounds; neither registers products into a round."""
    return is_authenticated(user) and not is_judge(user) and not is_national_organiser(user)


def can_nominate_into(user, target) -> bool:
    """Winners go up one level: a commune officer sends their commune's winners to their province's round,
    province officers theirs to the region round of their region, the national organiser the region
    winners to the national round; admins anywhere."""
    if is_admin(user):
        return True
    if is_national_organiser(user):
        return target.level == "national"
    if is_commune_officer(user) and user.commune_id:
        return target.level == "province" and target.province_id == user.province_id
    if not is_province_officer(user) or not user.province_id:
        return False
    if target.level == "region":
        return target.region_id is not None and target.region_id == getattr(user.province, "region_id", None)
    return False


def scores_dossiers(user) -> bool:
    """Judge accounts (others score only where they hold a seat: see selection.selectors.my_seats)."""
    return is_judge(user)


def sees_open_rounds(user) -> bool:
    """The dashboard's "rounds open for registration": everyone who may take part or run one."""
    return is_authenticated(user) and not is_viewer(user)


# --- by name, for templates (`can.<name>`, `{% allowed "<name>" obj %}`) ---------------------------

USER_PREDICATES = {
    f.__name__: f
    for f in (
        organises_national_plan,
        reads_national_registrations,
        is_authenticated,
        is_admin,
        may_use_admin_site,
        is_officer,
        is_province_officer,
        is_commune_officer,
        is_staff_role,
        is_viewer,
        is_national_organiser,
        organises_national_rounds,
        is_judge,
        is_representative,
        is_country_wide,
        reads_registry,
        reads_selection,
        reads_reports,
        sees_records,
        may_export,
        may_use_interchange,
        can_create_establishment,
        can_create_product,
        can_propose_projects,
        reads_programme_targets,
        records_resolutions,
        can_record_beneficiaries,
        may_register_interest,
        answers_surveys,
        chooses_any_round_level,
        opens_rounds,
        may_register_dossiers,
        scores_dossiers,
        sees_open_rounds,
    )
}

OBJECT_PREDICATES = {
    f.__name__.removeprefix("can_"): f
    for f in (
        acts_for,
        can_read_establishment,
        can_read_plan,
        can_edit_establishment,
        can_archive_establishment,
        can_edit_product,
        can_edit_certified_facts,
        can_edit_beneficiary,
        can_manage_round,
        can_follow_council,
        may_register_for,
        can_nominate_into,
        can_submit_batch,
        may_see_batch,
    )
}


# --- private documents -------------------------------------------------------------------------


def may_download(user, document) -> bool:
    """A private file (a `core.models.PrivateDocument`) is served to those who may read its record:
    a dossier's papers to who may read the dossier; a visit's photo also only to the round's
    officers and council; a province's letter of submission to who may see its batch; a project's
    papers, while not archived, to who may read the project; an establishment's priority evidence to the
    officers of its place and its representatives."""
    if not is_authenticated(user) or not document.file:
        return False
    label = document._meta.label
    if label in ("selection.DossierDocument", "selection.Visit"):
        from khuyencong.selection.selectors import can_see_visits, visible_dossiers

        if not visible_dossiers(user).filter(pk=document.dossier_id).exists():
            return False
        return label == "selection.DossierDocument" or can_see_visits(user, document.dossier.round)
    if label == "selection.NominationLetter":
        return may_see_batch(user, document.batch)
    if label == "programme.ProjectDocument":
        from khuyencong.programme.selectors import visible_projects

        return not document.is_archived and visible_projects(user).filter(pk=document.project_id).exists()
    if label == "registry.EstablishmentDocument":
        # the evidence of a priority flag (an owner's identity paper): the officers of the establishment's
        # place and its own representatives, while not archived
        establishment = document.establishment
        return not document.is_archived and (
            acts_for(user, establishment)
            or (
                is_staff_role(user)
                and can_edit_place(user, establishment.province_id, establishment.commune_id)
            )
        )
    return False
