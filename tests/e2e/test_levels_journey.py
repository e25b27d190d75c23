"""A commune round's winner goes to the province round, and the province's winner to the region round in the
province's batch with its signed letter; the national organiser accepts the batch and the deadline shows."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setup():
    from django.utils import timezone

    from khuyencong.geo.models import Province
    from khuyencong.geo.services import load_places
    from khuyencong.selection import official
    from khuyencong.selection.models import Round
    from tests.factories import EstablishmentFactory, ProductFactory, make_user
    from tests.selection.factories import make_dossier, make_round

    load_places()
    official.load()
    today = timezone.localdate()
    make_user("commune_officer", username="xa", first_name="Bình")  # xã Sông Đốc
    make_user("province_officer", username="sct", first_name="Thu")
    make_user("national_organiser", username="cuc", first_name="Quốc")
    est = EstablishmentFactory(name="Công ty TNHH Khô mực Sông Đốc", commune_id=32098)
    product = ProductFactory(establishment=est, name="Chả cá thác lác Sông Đốc")
    commune_round = make_round(
        status="decided",
        level="commune",
        commune_id=32098,
        code="XA-SD-E2E",
        title="Bình chọn SPCNNT tiêu biểu xã Sông Đốc (thử)",
    )
    _certify(commune_round, product, make_dossier)
    province_round = make_round(code="CM-T-E2E", title="Bình chọn SPCNNT tiêu biểu tỉnh Cà Mau (thử)")
    region_round = make_round(
        level="region",
        province_id=None,
        region=Province.objects.get(code=96).region,
        code="KV-NAM-E2E",
        title="Bình chọn SPCNNT tiêu biểu khu vực phía Nam (thử)",
        registration_closes=today + datetime.timedelta(days=20),
    )
    return product, commune_round, province_round, region_round, Round


def _certify(round_, product, make_dossier=None, dossier=None):
    from django.utils import timezone

    from khuyencong.selection.models import Certificate, Result

    if dossier is None:
        dossier = make_dossier(round_, product, status="certified")
    else:
        type(dossier).objects.filter(pk=dossier.pk).update(status="certified", selected=True)
    result = Result.objects.create(
        round=round_,
        product=product,
        dossier=dossier,
        score=Decimal("86.5"),
        certified=True,
        decision_no="9/QĐ",
    )
    Certificate.objects.create(result=result, number=f"{round_.code}-1", issued_on=timezone.localdate())


def _logout(page):
    page.context.clear_cookies()


def _shots(page, screenshot_dir, name):
    page.screenshot(path=str(screenshot_dir / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_commune_winner_goes_to_the_province_then_to_the_region_in_the_provinces_batch(
    page, login, tmp_path: Path, screenshot_dir
):
    product, commune_round, province_round, region_round, Round = _setup()

    # The commune officer sends the commune round's winner to the province round.
    login("xa")
    page.goto(f"{page.base_url}/selection/rounds/{commune_round.pk}/nominate/")
    page.select_option("#id_target", str(province_round.pk))
    page.get_by_role("button", name="Đề cử").click()
    page.wait_for_url(f"**/selection/rounds/{province_round.pk}/")
    expect(page.locator("#dossiers")).to_contain_text("Chả cá thác lác Sông Đốc")
    _logout(page)

    # The province round is held (its council's work is not replayed here) and certifies the product.
    dossier = province_round.dossiers.get(product=product)
    _certify(province_round, product, dossier=dossier)
    Round.objects.filter(pk=province_round.pk).update(status="decided")

    # The province officer nominates it to the region round: it lands in the province's batch.
    login("sct")
    page.goto(f"{page.base_url}/selection/rounds/{province_round.pk}/nominate/")
    page.select_option("#id_target", str(region_round.pk))
    page.get_by_role("button", name="Đề cử").click()
    page.wait_for_url("**/selection/batches/*/")
    expect(page.locator("h1")).to_contain_text("Hồ sơ đề nghị của")
    expect(page.get_by_test_id("batch-problems")).to_contain_text("công văn")
    expect(page.get_by_role("button", name="Nộp hồ sơ đề nghị")).to_be_disabled()
    letter = tmp_path / "cong-van-152.pdf"
    letter.write_bytes(b"%PDF-1.4\n%e2e letter\n")
    page.fill("#id_letter_no", "152/UBND-KT")
    page.fill("#id_letter_date", datetime.date.today().isoformat())
    page.set_input_files("#id_letter", str(letter))
    page.get_by_role("button", name="Lưu công văn").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu công văn")
    expect(page.get_by_test_id("batch-problems")).to_have_count(0)
    _shots(page, screenshot_dir, "batch-province")
    page.get_by_role("button", name="Nộp hồ sơ đề nghị").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã nộp hồ sơ đề nghị")
    expect(page.locator("#nominees")).to_contain_text("Đã nộp")
    batch_url = page.url
    _logout(page)

    # The national organiser screens the batch and accepts it: the 30 working days show as a deadline.
    login("cuc")
    page.goto(f"{page.base_url}/selection/rounds/{region_round.pk}/")
    expect(page.get_by_test_id("batches")).to_contain_text("152/UBND-KT")
    page.goto(batch_url)
    page.get_by_role("button", name="Tiếp nhận: hồ sơ hợp lệ").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tiếp nhận hồ sơ hợp lệ")
    expect(page.get_by_test_id("deadline")).to_contain_text("Hạn ra quyết định")
    expect(page.get_by_test_id("deadline")).to_contain_text("ngày làm việc")
    _shots(page, screenshot_dir, "batch-organiser")
    _logout(page)

    # The province follows its nominee's progress.
    login("sct")
    page.goto(batch_url)
    expect(page.locator("#nominees")).to_contain_text("Chả cá thác lác Sông Đốc")
    expect(page.get_by_test_id("deadline")).to_be_visible()
