"""The named predicates of accounts.permissions and how templates ask them."""

import pytest
from django.template import Context, Template

from khuyencong.accounts import permissions
from khuyencong.accounts.context_processors import Can, UnknownPermission
from tests.factories import EstablishmentFactory, make_user

pytestmark = pytest.mark.django_db


def test_the_ministry_and_admins_see_the_whole_country_a_region_or_province_viewer_does_not():
    assert permissions.is_country_wide(make_user("viewer"))
    assert permissions.is_country_wide(make_user("admin"))
    assert not permissions.is_country_wide(make_user("viewer", province_id=96))
    assert not permissions.is_country_wide(make_user("province_officer"))


def test_a_representative_acts_for_its_own_establishment_only():
    own, other = EstablishmentFactory(), EstablishmentFactory()
    rep = make_user("establishment", establishment=own)
    assert permissions.acts_for(rep, own) and permissions.acts_for(rep, own.pk)
    assert not permissions.acts_for(rep, other)
    assert not permissions.acts_for(make_user("province_officer"), own)
    assert not permissions.acts_for(make_user("establishment"), own)  # an account not yet linked


def test_an_inactive_officer_may_do_nothing():
    officer = make_user("province_officer")
    officer.is_active = False
    assert not permissions.is_officer(officer) and not permissions.can_edit_place(officer, 96)


def test_templates_ask_by_name_through_can_and_the_allowed_tag():
    est = EstablishmentFactory()
    rep = make_user("establishment", establishment=est)
    template = Template(
        "{% if can.answers_surveys %}answers{% endif %}"
        '{% allowed "edit_establishment" est as may_edit %}{% if may_edit %} edits{% endif %}'
    )
    assert template.render(Context({"can": Can(rep), "user": rep, "est": est})) == "answers edits"
    officer = make_user("province_officer", province_id=92)
    assert template.render(Context({"can": Can(officer), "user": officer, "est": est})) == ""


def test_a_misspelt_permission_in_a_template_is_an_error_not_a_silent_no():
    viewer = make_user("viewer")
    with pytest.raises(UnknownPermission):
        Template("{% if can.answer_survey %}yes{% endif %}").render(
            Context({"can": Can(viewer), "user": viewer})
        )


# --- the national organiser (the Ministry's agency: region and national rounds) ----------------------


def _round(level, **kwargs):
    from types import SimpleNamespace

    return SimpleNamespace(
        level=level, province_id=kwargs.get("province_id"), commune_id=kwargs.get("commune_id")
    )


def test_the_national_organiser_reads_the_whole_country_and_changes_no_record_of_a_place():
    organiser = make_user("national_organiser")
    assert permissions.is_national_organiser(organiser)
    assert permissions.is_country_wide(organiser)
    assert permissions.reads_registry(organiser) and permissions.reads_reports(organiser)
    assert not permissions.is_officer(organiser) and not permissions.is_staff_role(organiser)
    assert not permissions.can_edit_place(organiser, 96, 32098)
    assert not permissions.can_edit_establishment(organiser, EstablishmentFactory())
    assert not permissions.may_register_dossiers(organiser)
    assert not permissions.is_national_organiser(make_user("viewer"))
    assert not permissions.is_national_organiser(make_user("admin"))  # a superuser is an administrator


def test_the_national_organiser_opens_and_runs_region_and_national_rounds_only():
    organiser = make_user("national_organiser")
    assert permissions.opens_round_level(organiser, "region")
    assert permissions.opens_round_level(organiser, "national")
    assert not permissions.opens_round_level(organiser, "province")
    assert not permissions.opens_round_level(organiser, "commune")
    assert permissions.can_create_round(organiser, None, "region")
    assert not permissions.can_create_round(organiser, 96, "province")
    assert permissions.can_manage_round(organiser, _round("region"))
    assert permissions.can_manage_round(organiser, _round("national"))
    assert not permissions.can_manage_round(organiser, _round("province", province_id=96))
    assert permissions.organises_national_rounds(organiser)
    assert not permissions.organises_national_rounds(make_user("province_officer"))
    # region winners go on to the national round; province winners are the provinces' to send
    assert permissions.can_nominate_into(organiser, _round("national"))
    assert not permissions.can_nominate_into(organiser, _round("region"))


def test_province_officers_no_longer_run_region_rounds_and_commune_officers_run_their_commune_rounds():
    officer = make_user("province_officer")
    assert not permissions.can_create_round(officer, 96, "region")
    assert not permissions.can_manage_round(officer, _round("region"))
    assert permissions.can_create_round(officer, 96, "province")
    commune = make_user("commune_officer")  # xã Sông Đốc (32098), Cà Mau
    assert permissions.can_create_round(commune, 96, "commune", commune_id=32098)
    assert not permissions.can_create_round(commune, 96, "commune", commune_id=32152)
    assert not permissions.can_create_round(commune, 96, "province")
    assert permissions.can_manage_round(commune, _round("commune", province_id=96, commune_id=32098))
    assert not permissions.can_manage_round(commune, _round("commune", province_id=96, commune_id=32152))
    assert not permissions.can_manage_round(officer, _round("commune", province_id=96, commune_id=32098))
    # commune winners go to their province's round
    assert permissions.can_nominate_into(commune, _round("province", province_id=96))
    assert not permissions.can_nominate_into(commune, _round("province", province_id=92))
