"""A province's national proposals flow to the organiser, are appraised and allocated, and appear in the
province's plan — through the pages, as each side sees them."""

import pytest
from playwright.sync_api import expect

from tests.factories import EstablishmentFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def as_user(page, login, username):
    page.context.clear_cookies()
    login(username)


def test_province_to_organiser_to_allocation_to_plan(page, login, screenshot_dir):
    from khuyencong.geo.services import load_places
    from khuyencong.programme.models import Plan, Project

    page.set_default_timeout(30000)
    load_places()
    make_user("province_officer", username="sct", province_id=96)
    make_user("national_organiser", username="cuc", email="cuc@moit.gov.vn")
    est = EstablishmentFactory(name="Hợp tác xã Tôm sạch Đầm Dơi")
    for code, activity, requested in (("QG-1", "machinery", 450_000_000), ("QG-2", "training", 280_000_000)):
        Project.objects.create(
            code=code,
            year=2026,
            title=f"Đề án {code}",
            programme="national",
            activity=activity,
            establishment=est,
            province_id=96,
            commune_id=est.commune_id,
            support_requested=requested,
            total_cost=requested * 2,
        )
    plan = Plan.objects.create(province_id=96, year=2026, national_budget=0, local_budget=2_000_000_000)

    # the province prepares and submits its registration
    as_user(page, login, "sct")
    page.goto(page.base_url + "/national/")
    page.fill("#reg-year", "2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Lập hồ sơ đăng ký").click()
    expect(page.get_by_test_id("total-requested")).to_have_text("730.000.000 đ")
    with page.expect_navigation():
        page.locator("[data-action=submit] button[name=submit]").click()
    expect(page.get_by_test_id("registration-status")).to_have_text("Đã gửi Bộ")

    # the organiser sees it in the consolidation, appraises and allocates
    as_user(page, login, "cuc")
    page.goto(page.base_url + "/national/consolidation/?year=2026")
    expect(page.locator("#by-province")).to_contain_text("Cà Mau")
    page.locator("#by-province a").first.click()
    box = page.locator("[data-action=appraise]")
    # the lines come in activity code order: machinery (QG-1) first; the machinery line is cut to 400 million
    box.locator("input[name^=amount-]").first.fill("400.000.000")
    with page.expect_navigation():
        box.locator("button[name=submit]").click()
    page.screenshot(path=str(screenshot_dir / "national-appraised.png"), full_page=True)
    expect(page.get_by_test_id("total-appraised")).to_have_text("680.000.000 đ")
    allocate = page.locator("[data-action=allocate]")
    allocate.locator("#decision_no").fill("2718/QĐ-BCT")
    with page.expect_navigation():
        allocate.locator("button[name=submit]").click()
    expect(page.get_by_test_id("registration-status")).to_have_text("Đã giao kinh phí")
    expect(page.get_by_test_id("total-allocated")).to_have_text("680.000.000 đ")
    page.screenshot(path=str(screenshot_dir / "national-allocated.png"), full_page=True)

    # the province sees its approved national line in its plan
    as_user(page, login, "sct")
    page.goto(page.base_url + f"/programme/plans/{plan.pk}/")
    expect(page.get_by_test_id("national-allocation")).to_contain_text("2718/QĐ-BCT")
    expect(page.get_by_test_id("budget-national")).to_have_text("680 triệu đồng")
    expect(page.locator("[data-source=national]")).to_contain_text("Ứng dụng máy móc thiết bị tiên tiến")
    page.screenshot(path=str(screenshot_dir / "national-in-plan.png"), full_page=True)
