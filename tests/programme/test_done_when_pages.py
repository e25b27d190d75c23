"""Issue 15's "Done when", walked through the pages as an officer would (the services have their own tests in
test_rules.py and test_treasury.py): a 2024 and a 2026 project held to different ceilings, each naming its
rule; a local ceiling from the province's resolution recorded on the page, from its date; priority flags
changing the appraisal points the project page shows."""

import pytest
from django.urls import reverse

from khuyencong.programme.models import Project
from tests.factories import TEST_PASSWORD, EstablishmentFactory, make_user

from .conftest import all_checks
from .factories import ProjectFactory

pytestmark = pytest.mark.django_db

BIG = 6_000_000_000  # a demo model's cost: 30 % is 1,8 billion, so the VND cap decides


@pytest.fixture
def officer_client(client):
    officer = make_user("province_officer", username="sct.cm")
    client.login(username=officer.username, password=TEST_PASSWORD)
    return client


def appraised(**kwargs):
    return ProjectFactory(
        activity="demo_model", status="appraised", total_cost=BIG, support_appraised=1_200_000_000, **kwargs
    )


def approve(client, project, day: str, amount: str):
    return client.post(
        reverse("programme:project_action", args=[project.pk, "approve"]),
        {"approve-decision_no": "12/QĐ-SCT", "approve-decision_date": day, "approve-amount": amount},
    )


def page_of(client, project) -> str:
    return client.get(reverse("programme:project_detail", args=[project.pk])).content.decode()


def test_a_2024_and_a_2026_project_are_held_to_different_ceilings_on_the_page_each_naming_its_rule(
    officer_client,
):
    old, new = appraised(year=2024, programme="national"), appraised(year=2026, programme="national")
    refused = approve(officer_client, old, "2024-06-01", "1.200.000.000")
    body = refused.content.decode()
    assert refused.status_code == 400
    # the refusal names the rule of the decision's day (the page's own ceiling box shows the year's end)
    assert "28/2018/TT-BTC" in body and "1.000.000.000" in body and "01/06/2024" in body
    assert approve(officer_client, new, "2026-03-02", "1.200.000.000").status_code == 302
    page = page_of(officer_client, new)
    assert "64/2024/TT-BTC" in page and "1.500.000.000" in page
    assert approve(officer_client, old, "2024-06-01", "900.000.000").status_code == 302
    page = page_of(officer_client, old)
    assert "28/2018/TT-BTC" in page and "1.000.000.000" in page
    assert Project.objects.get(pk=old.pk).rule_regulation.number == "28/2018/TT-BTC"


def test_a_local_ceiling_comes_from_the_resolution_recorded_on_the_page_from_its_date(officer_client):
    recorded = officer_client.post(
        "/programme/rules/new/",
        {
            "province": 96,
            "number": "15/2025/NQ-HĐND",
            "title": "Mức hỗ trợ khuyến công địa phương",
            "issued_on": "2025-09-20",
            "effective_from": "2025-10-01",
            "share_demo_model": "30",
            "cap_demo_model": "800.000.000",
        },
    )
    assert recorded.status_code == 302
    local = appraised(year=2026, programme="local")
    refused = approve(officer_client, local, "2026-03-02", "900.000.000")
    body = refused.content.decode()
    assert refused.status_code == 400 and "15/2025/NQ-HĐND" in body and "800.000.000" in body
    assert approve(officer_client, local, "2026-03-02", "700.000.000").status_code == 302
    assert "15/2025/NQ-HĐND" in page_of(officer_client, local)
    # approved before the resolution took effect: the national circular held
    earlier = appraised(year=2025, programme="local")
    assert approve(officer_client, earlier, "2025-09-15", "900.000.000").status_code == 302
    page = page_of(officer_client, earlier)
    assert "15/2025/NQ-HĐND" not in page and "64/2024/TT-BTC" in page
    # the national funds of the same province are not held to the province's resolution
    national = appraised(year=2026, programme="national")
    assert approve(officer_client, national, "2026-03-02", "900.000.000").status_code == 302


def test_priority_flags_change_the_appraisal_points_the_project_page_shows(officer_client):
    women = EstablishmentFactory(women_owned=True, priority_evidence="CCCD của chủ cơ sở")
    plain = EstablishmentFactory()
    points = {}
    for est in (women, plain):
        project = ProjectFactory(
            establishment=est, activity="machinery", total_cost=800_000_000, expected_jobs=0, counterpart=0
        )
        data = {"appraise-amount": "200.000.000", **{f"appraise-check_{pk}": "on" for pk in all_checks()}}
        response = officer_client.post(
            reverse("programme:project_action", args=[project.pk, "appraise"]), data
        )
        assert response.status_code == 302, response.content.decode()[:500]
        page = page_of(officer_client, project)
        assert "Điểm ưu tiên" in page
        points[est.pk] = Project.objects.get(pk=project.pk).priority_points
        if est is women:
            assert "Cơ sở do phụ nữ làm chủ" in page and "10,00 / 10" in page
    assert points[women.pk] - points[plain.pk] == 10
