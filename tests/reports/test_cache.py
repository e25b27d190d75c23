"""The report page is cached per place and period, and a write shows on the very next request: a project settled,
a round's certificates issued (the cache is forgotten by the records' signals, whichever service wrote them)."""

import datetime
from decimal import Decimal

import pytest

from khuyencong.programme import services as programme
from khuyencong.selection import services as selection
from tests.factories import ProductFactory, make_user
from tests.programme.factories import BUDGET, ProjectFactory, attach_settlement_papers
from tests.selection.factories import assign, full_points, make_dossier, make_round, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    from khuyencong.programme.advance_defaults import ensure_advance_rules
    from khuyencong.programme.defaults import ensure_defaults
    from khuyencong.programme.models import AdvanceRule, AppraisalCriterion, AppraisalScheme, CeilingRule

    ensure_defaults(CeilingRule, AppraisalScheme, AppraisalCriterion)
    ensure_advance_rules(AdvanceRule)
    user = make_user("province_officer", username="sct", province_id=96)
    client.force_login(user)
    return user


def figure(client, key, **query) -> str:
    """The value the summary page shows on one figure's card."""
    body = client.get("/reports/", query).content.decode()
    card = body.split(f'data-testid="figure-{key}"', 1)[1].split("</a>", 1)[0]
    return (
        card.split('<div class="fs-4 fw-semibold text-body">', 1)[1]
        .split("</div>", 1)[0]
        .split("<")[0]
        .strip()
    )


def test_a_project_settled_after_the_page_was_cached_shows_on_the_next_request(client, officer):
    project = ProjectFactory(year=2026, status="accepted", support_approved=150_000_000)
    attach_settlement_papers(project, officer)
    assert figure(client, "support", **{"from": 2026, "to": 2026}) == "0 đ"
    assert figure(client, "support", **{"from": 2026, "to": 2026}) == "0 đ"  # now from the cache
    programme.settle_project(
        user=officer,
        project=project,
        amount=150_000_000,
        settled_date=datetime.date(2026, 12, 1),
        final_reference="UNC-01",
        budget=BUDGET,
    )
    assert figure(client, "support", **{"from": 2026, "to": 2026}) == "150 triệu đồng"


def test_a_certificate_issued_after_the_page_was_cached_shows_on_the_next_request(client, officer):
    round_ = make_round(status="scoring")
    year = {"from": round_.year, "to": round_.year}
    dossier = make_dossier(round_, product=ProductFactory(name="Khô cá lóc U Minh"), status="eligible")
    member = seat(round_, role="chair")
    assign(member, dossier)
    selection.save_score(
        user=member.user,
        dossier=dossier,
        points=full_points(round_, lambda c: (c.max_points * Decimal("0.9")).quantize(Decimal("0.01"))),
        submit=True,
    )
    selection.close_scoring(user=officer, round_=round_)
    assert figure(client, "certified-province", **year) == "0"
    assert figure(client, "certified-province", **year) == "0"  # now from the cache
    selection.approve_results(user=officer, round_=round_)
    (certificate,) = selection.record_decision(
        user=officer,
        round_=round_,
        decision_no="15/QĐ-UBND",
        decision_date=datetime.date(round_.year, 11, 30),
        signer="Phó Chủ tịch",
    )
    assert certificate.result.certified
    assert figure(client, "certified-province", **year) == "1"


def test_logging_in_keeps_the_cached_reports(client, db):
    """A login writes the user's last_login, which no cached figure counts: the country's report stays cached."""
    from khuyencong.core import counts
    from tests.factories import TEST_PASSWORD

    make_user("viewer", username="bo")
    before = counts.data_version()
    assert client.login(username="bo", password=TEST_PASSWORD)
    assert counts.data_version() == before


def test_the_cached_figures_speak_each_readers_language(client, officer):
    """The figures' part of the page is kept per language: an English reader after a Vietnamese one reads English."""
    vietnamese = client.get("/reports/").content.decode()
    assert "Theo năm" in vietnamese and ">By year<" not in vietnamese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/reports/").content.decode()
    assert ">By year<" in english and "Theo năm" not in english


def test_the_cached_figures_are_the_asked_places(client, officer, db):
    """A ministry reader's country page, cached, is not what the province's officer reads next, nor the reverse."""
    ProjectFactory(year=2025, status="settled", support_settled=70_000_000)
    country_reader = make_user("viewer", username="bo")
    client.force_login(country_reader)
    country = client.get("/reports/").content.decode()
    assert "cả nước" in country.lower()
    client.force_login(officer)
    province = client.get("/reports/").content.decode()
    assert 'href="/reports/rows/support/?province=96' in province
    assert 'href="/reports/rows/support/?province=96' not in country
