"""Issue 16, layout: the summary's charts fit a phone (390 px) and a desktop, each inside its card, none cut."""

import pytest
from playwright.sync_api import expect

from tests.factories import EstablishmentFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OVERFLOWS = """() => [...document.querySelectorAll('.chart-box canvas')].map(canvas => {
    const box = canvas.closest('.chart-box').getBoundingClientRect();
    const card = canvas.closest('.card').getBoundingClientRect();
    const own = canvas.getBoundingClientRect();
    const width = document.documentElement.clientWidth;
    return {
        id: canvas.id,
        drawn: canvas.width > 0 && own.width > 0,
        overflow: Math.max(own.right - box.right, box.right - card.right, card.right - width, -own.left, -card.left),
    };
})"""


def _settled_years(officer):
    from khuyencong.programme.models import Project

    est = EstablishmentFactory(name="Cơ sở Khô mực", province_id=96)
    for year in range(2016, 2026):  # ten years of bars: the widest the funding chart gets in the demo
        Project.objects.create(
            code=f"DA-{year}",
            year=year,
            title="Máy sấy",
            programme="local" if year % 2 else "national",
            activity="machinery",
            establishment=est,
            province_id=96,
            total_cost=2_000_000_000,
            support_requested=500_000_000,
            support_approved=500_000_000,
            support_settled=450_000_000 + year,
            support_paid=450_000_000 + year,
            counterpart=1_500_000_000,
            jobs=12,
            status="settled",
        )


@pytest.mark.parametrize("width", [390, 1280])
def test_no_report_chart_overflows_its_card(page, login, screenshot_dir, width):
    from khuyencong.geo.services import load_places

    load_places()
    officer = make_user("province_officer", username="sct", province_id=96)
    _settled_years(officer)
    page.set_viewport_size({"width": width, "height": 900})
    login("sct")
    page.goto(page.base_url + "/reports/")
    expect(page.locator("#chart-funding")).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart-box canvas')].every(c => c.width > 0)"
    )
    page.screenshot(path=str(screenshot_dir / f"reports-charts-{width}.png"), full_page=True)
    charts = page.evaluate(OVERFLOWS)
    assert [c["id"] for c in charts] == ["chart-funding", "chart-rounds"]
    assert all(c["drawn"] for c in charts), charts
    assert [c for c in charts if c["overflow"] > 1] == [], charts
