import pytest
from playwright.sync_api import expect

from tests.factories import ProductFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setup():
    from khuyencong.geo.services import load_places

    load_places()
    return make_user("province_officer", username="sct", first_name="Thu")


def test_an_establishment_registers_for_a_fair_and_an_officer_confirms(page, login, screenshot_dir):
    from tests.outreach.factories import make_event, make_rep

    officer = _setup()
    product = ProductFactory(name="Khô mực câu Sông Đốc", establishment__name="Công ty Khô mực Sông Đốc")
    make_rep(product.establishment, username="khomuc")
    event = make_event(officer, title="Hội chợ CNNT tiêu biểu Cà Mau")

    login("khomuc")
    page.goto(page.base_url + "/outreach/")
    page.get_by_role("link", name="Hội chợ CNNT tiêu biểu Cà Mau").click()
    page.get_by_label("Khô mực câu Sông Đốc").check()
    page.get_by_role("button", name="Đăng ký tham gia").click()
    expect(page.get_by_test_id("my-status")).to_contain_text("chờ xác nhận")
    page.screenshot(path=str(screenshot_dir / "outreach-registered.png"), full_page=True)

    page.context.clear_cookies()
    login("sct")
    page.goto(page.base_url + f"/outreach/events/{event.pk}/")
    row = page.get_by_test_id(f"participant-{product.establishment.code}")
    expect(row).to_contain_text("Khô mực câu Sông Đốc")
    row.get_by_label("gian hàng").check()
    row.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã xác nhận")
    expect(page.get_by_test_id(f"participant-{product.establishment.code}")).to_contain_text("Đã xác nhận")
    expect(page.get_by_test_id("event-totals")).to_contain_text("1")


def test_an_establishment_answers_a_survey_and_the_officer_sees_the_aggregate(page, login, screenshot_dir):
    from tests.outreach.factories import make_rep, make_survey

    officer = _setup()
    make_rep(username="tomsach")
    survey = make_survey(officer, title="Khảo sát nhu cầu hỗ trợ 2026")

    login("tomsach")
    page.goto(page.base_url + "/outreach/surveys/")
    page.get_by_role("link", name="Khảo sát nhu cầu hỗ trợ 2026").first.click()
    page.get_by_label("Hội chợ").check()
    page.get_by_label("Sàn TMĐT").check()
    page.get_by_label("Xuất khẩu").check()
    page.get_by_label("Số lao động cần đào tạo").fill("-5")
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Số không được âm")
    page.get_by_label("Số lao động cần đào tạo").fill("15")
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_test_id("answered")).to_be_visible()

    page.context.clear_cookies()
    login("sct")
    page.goto(page.base_url + f"/outreach/surveys/{survey.pk}/")
    expect(page.get_by_test_id("response-rate")).to_contain_text("1/1 cơ sở đã trả lời (100 %)")
    first = page.get_by_test_id("question-1")
    expect(first.get_by_test_id("count").nth(2)).to_have_text("1")
    # the chart is drawn by the static script (no inline JS under the CSP)
    chart_id = f"chart-q{survey.questions.first().pk}"
    page.wait_for_function(f"() => window.Chart && Chart.getChart('{chart_id}')")
    page.screenshot(path=str(screenshot_dir / "outreach-survey-results.png"), full_page=True)
