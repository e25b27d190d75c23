"""Decree 235/2025/NĐ-CP's new activities (digital transformation, sustainable production) exist from
15/10/2025: a registration for national funds of an earlier day cannot propose or allocate them, whether it is
prepared on the page, through the API or received as a signed file."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from khuyencong.national import exchange, services
from khuyencong.national.models import Registration, RegistrationLine
from tests.api.conftest import bearer  # noqa: F401
from tests.factories import make_user
from tests.programme.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return make_user("province_officer", username="sct.cm", province_id=96)


@pytest.fixture
def organiser():
    return make_user("national_organiser", username="cuc")


def test_a_2024_proposal_of_digital_transformation_is_refused_and_nothing_is_registered(province):
    # recorded before the activity periods existed (an old import): the registration must not carry it
    ProjectFactory(code="QG-24", year=2024, programme="national", activity="digital")
    ProjectFactory(code="QG-25", year=2024, programme="national", activity="training")
    with pytest.raises(ValidationError) as exc:
        services.prepare_registration(user=province, province_id=96, year=2024)
    message = exc.value.messages[0]
    assert message.startswith("QG-24: ") and "15/10/2025" in message and "235/2025" in message
    assert not Registration.objects.exists()


def test_a_2026_proposal_of_the_new_activities_is_registered(province):
    ProjectFactory(code="QG-26", year=2026, programme="national", activity="sustainable")
    reg = services.prepare_registration(user=province, province_id=96, year=2026)
    assert list(reg.lines.values_list("code", "activity")) == [("QG-26", "sustainable")]
    assert services.submit_registration(user=province, registration=reg).status == "submitted"


def test_submitting_and_allocating_a_new_activity_before_its_date_are_refused(province, organiser):
    ProjectFactory(code="QG-1", year=2025, programme="national", activity="training")
    reg = services.prepare_registration(user=province, province_id=96, year=2025)
    RegistrationLine.objects.filter(registration=reg).update(activity="digital")
    # a 2025 plan: the day checked is at most 31/12/2025, after 15/10/2025, so it stands
    assert services.submit_registration(user=province, registration=reg).status == "submitted"
    Registration.objects.filter(pk=reg.pk).update(year=2024)
    reg.refresh_from_db()
    reg.status = "appraised"
    reg.save()
    with pytest.raises(ValidationError) as exc:
        services.allocate_registration(
            user=organiser,
            registration=reg,
            amounts={"digital": 100_000_000, "training": 0},
            decision_no="1/QĐ-BCT",
            decision_date=datetime.date(2024, 1, 5),
        )
    assert "15/10/2025" in exc.value.messages[0]
    reg.refresh_from_db()
    assert reg.status == "appraised" and not reg.allocations.exists()


def test_a_signed_file_proposing_digital_transformation_for_2024_is_refused(province, organiser, settings):
    settings.EXCHANGE_KEY = "khoa-chung"
    ProjectFactory(code="QG-1", year=2024, programme="national", activity="training")
    reg = services.prepare_registration(user=province, province_id=96, year=2024)
    RegistrationLine.objects.filter(registration=reg).update(activity="digital")
    Registration.objects.filter(pk=reg.pk).update(status="submitted")
    reg.refresh_from_db()
    content = exchange.export_registration(user=province, registration=reg)
    assert json.loads(content)["lines"][0]["activity"] == "digital"
    Registration.objects.all().delete()
    with pytest.raises(exchange.ExchangeRefused) as exc:
        exchange.import_registration(user=organiser, content=content)
    assert exc.value.messages[0].startswith("QG-1: ") and "15/10/2025" in exc.value.messages[0]
    assert not Registration.objects.exists()


def test_the_api_refuses_a_2024_proposal_of_sustainable_production(client, bearer, province):  # noqa: F811
    ProjectFactory(code="QG-24", year=2024, programme="national", activity="sustainable")
    answer = client.post(
        "/api/v1/national/prepare", {"year": 2024}, content_type="application/json", **bearer(province)
    )
    assert answer.status_code == 400
    assert "QG-24" in answer.content.decode() and "15/10/2025" in answer.content.decode()
    assert not Registration.objects.exists()
