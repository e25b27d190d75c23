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
