"""Accessibility: axe-core (vendored from npm, tests/e2e/axe) runs in the real browser on each key page:
the main page of each area, the score form, the catalogue and the verification page. No serious or
critical violation."""

from pathlib import Path

import pytest

from tests.factories import make_user

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

AXE = Path(__file__).parent / "axe" / "axe.min.js"


@pytest.fixture
def page(browser, live_server):
    """A page whose context may inject axe although the site's CSP forbids inline scripts (it should)."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(60000)
    page.base_url = live_server.url
    yield page
    context.close()


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.id} (${v.impact}): ${v.help} — `
                + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }""")
    return found


def check(page, path) -> list[str]:
    page.goto(page.base_url + path)
    page.wait_for_load_state("networkidle")
    return [f"{path}: {v}" for v in violations(page)]


def test_public_pages_have_no_serious_violation(page):
    from khuyencong.geo.services import load_places
    from tests.catalogue.factories import certified_product

    load_places()
    _product, cert = certified_product(name="Bánh phồng tôm Năm Căn", number="CM-A11Y-1")
    problems = []
    for path in (
        "/catalogue/",
        f"/catalogue/{_product.pk}/",
        f"/verify/{cert.token}/",
        "/accounts/login/",
        "/help/",
        "/help/province-officer/",
    ):
        problems += check(page, path)
    assert problems == []


def test_officer_pages_have_no_serious_violation(page, login):
    from khuyencong.geo.services import load_places
    from tests.factories import EstablishmentFactory

    load_places()
    make_user("province_officer", username="sct96", province_id=96)
    est = EstablishmentFactory(name="Cơ sở Khô mực", province_id=96)
    login("sct96")
    problems = []
    for path in (
        "/",
        "/registry/establishments/",
        f"/registry/establishments/{est.pk}/edit/",
        "/registry/products/",
        "/programme/",
        "/selection/",
        "/outreach/",
        "/reports/",
        "/data/",
        "/places/",
    ):
        problems += check(page, path)
    assert problems == []


def test_the_score_form_has_no_serious_violation(page, login):
    from khuyencong.geo.services import load_places
    from tests.selection.factories import assign, make_dossier, make_round, seat

    load_places()
    round_ = make_round(status="scoring")
    dossier = make_dossier(round_, status="eligible")
    member = seat(round_, username="giamkhao")
    assign(member, dossier)
    login("giamkhao")
    assert check(page, f"/selection/dossiers/{dossier.pk}/score/") == []
