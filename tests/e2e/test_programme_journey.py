"""A province officer takes a machinery project from proposal to settlement and sees the plan move;
on the way an amount above the regulation's ceiling is refused with the rule cited."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import EstablishmentFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def take(page, action, fields=None, checks=False, refused=False):
    """Open the step's panel, fill it, submit, and wait for the answer page."""
    box = page.locator(f"#act-{action}")
    if box.get_attribute("class") and "show" not in box.get_attribute("class").split():
        # after a refusal the step's panel comes back open: clicking its header would fold it away
        page.click(f"button[data-action={action}]")
    # wait for Bootstrap's collapse to finish ("collapsing" → "collapse show") before typing and submitting
    expect(box).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(box).to_be_visible()
    if checks:
        for checkbox in box.locator("input[type=checkbox]").all():
            checkbox.check()
    for name, value in (fields or {}).items():
        box.locator(f"[name='{action}-{name}']").fill(value)
    with page.expect_navigation():
        box.locator("button[name=submit]").click()
    if not refused:
        expect(page.locator(".alert-success")).to_be_visible()


def test_an_officer_walks_a_machinery_project_from_proposal_to_settlement(page, login, screenshot_dir):
    from khuyencong.geo.services import load_places
    from khuyencong.programme.defaults import ensure_defaults
    from khuyencong.programme.models import AppraisalCriterion, AppraisalScheme, CeilingRule, Plan

    page.set_default_timeout(30000)
    load_places()
    ensure_defaults(CeilingRule, AppraisalScheme, AppraisalCriterion)
    make_user("province_officer", username="sct")
    est = EstablishmentFactory(name="Hộ kinh doanh Nguyễn Văn Tài", commune_id=32065)
    plan = Plan.objects.create(
        province_id=96, year=2026, national_budget=3_000_000_000, local_budget=5_000_000_000
    )
    login("sct")

    page.goto(page.base_url + f"/programme/plans/{plan.pk}/")
    expect(page.get_by_test_id("budget-local")).to_have_text("5 tỷ đồng")
    expect(page.get_by_test_id("settled-local")).to_have_text("0 đ")

    page.goto(page.base_url + "/programme/projects/new/")
    page.fill("#id_code", "DA-2026-101")
    page.fill("#id_year", "2026")
    page.fill("#id_title", "Ứng dụng máy cho tôm ăn tự động")
    page.select_option("#id_programme", "local")
    page.select_option("#id_activity", "machinery")
    page.select_option("#id_establishment", str(est.pk))
    page.select_option("#id_commune", "32065")
    page.fill("#id_total_cost", "720.000.000")
    page.fill("#id_support_requested", "350.000.000")
    page.fill("#id_counterpart", "370.000.000")
    page.fill("#id_expected_jobs", "6")
    with page.expect_navigation():
        page.click("form button.btn-primary")
    expect(page.locator("h1")).to_have_text("Ứng dụng máy cho tôm ăn tự động")
    expect(page.get_by_test_id("beneficiary")).to_contain_text("Hộ kinh doanh Nguyễn Văn Tài")

    # 350 million is above the machinery ceiling: refused, the circular cited
    take(page, "appraise", {"amount": "350.000.000"}, checks=True, refused=True)
    refusal = page.locator("#act-appraise .invalid-feedback")
    expect(refusal).to_contain_text("Thông tư số 28/2018/TT-BTC")
    expect(refusal).to_contain_text("300.000.000 đ")
    page.screenshot(path=str(screenshot_dir / "programme-ceiling-refused.png"), full_page=True)
    expect(page.locator("[data-status]").first).to_have_text("Đề xuất")

    take(page, "appraise", {"amount": "300.000.000"}, checks=True)
    expect(page.locator(".alert-success")).to_contain_text("Đã thẩm định")
    take(page, "approve", {"decision_no": "215/QĐ-SCT"})
    expect(page.get_by_test_id("support-approved")).to_contain_text("300.000.000 đ")

    page.goto(page.base_url + f"/programme/plans/{plan.pk}/")
    expect(page.get_by_test_id("committed-local")).to_have_text("300 triệu đồng")
    page.go_back(wait_until="load")

    take(page, "contract", {"contract_no": "12/HĐ-KC"})
    take(page, "start")
    take(page, "accept", {"acceptance_record": "BB-08/NT", "jobs": "6", "machines": "20"})
    budget = {
        "budget_chapter": "417",
        "budget_type": "280",
        "budget_item": "338",
        "budget_section": "7000",
        "budget_subsection": "7049",
    }
    # a machinery project has no advance: it is paid after acceptance
    page.fill("#id_amount", "200.000.000")
    page.fill("#id_reference", "UNC-201")
    with page.expect_navigation():
        page.click("form[action$='/payments/'] button")
    expect(page.get_by_test_id("paid")).to_contain_text("200.000.000 đ")
    # the settlement is refused while the papers are missing, and the page says which
    expect(page.get_by_test_id("settle-missing")).to_contain_text("Biên bản nghiệm thu")
    take(page, "settle", {"amount": "295.000.000", "final_reference": "UNC-QT-9", **budget}, refused=True)
    expect(page.locator(".alert-danger, .invalid-feedback").first).to_contain_text("chưa đính kèm tài liệu")
    page.goto(page.url.rsplit("/settle/", 1)[0] + "/")
    for kind in ("acceptance", "settlement"):
        page.select_option("#id_kind", kind)
        page.set_input_files(
            "#id_file",
            files=[{"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}],
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Đính kèm").click()
    expect(page.get_by_test_id("settle-missing")).to_have_count(0)
    take(page, "settle", {"amount": "295.000.000", "final_reference": "UNC-QT-9", **budget})
    expect(page.locator(".alert-success")).to_contain_text("Quyết toán")
    # the settlement closed with the final payment: paid equals settled
    expect(page.get_by_test_id("paid")).to_contain_text("295.000.000 đ")
    expect(page.locator("#payments tr[data-kind=final]")).to_contain_text("95.000.000 đ")
    expect(page.get_by_test_id("support-settled")).to_contain_text("295.000.000 đ")
    expect(page.locator("#transitions li")).to_have_count(7)
    page.screenshot(path=str(screenshot_dir / "programme-settled.png"), full_page=True)

    page.goto(page.base_url + f"/programme/plans/{plan.pk}/")
    expect(page.get_by_test_id("settled-local")).to_have_text("295 triệu đồng")
    expect(page.get_by_test_id("left-local")).to_have_text("4,71 tỷ đồng")
    page.goto(page.base_url + "/programme/?year=2026")
    expect(page.get_by_test_id("total-settled")).to_have_text("295 triệu đồng")
