"""In the browser: an import whose background worker died shows the reason with Retry and Cancel; the
officer cancels it, retries it (it runs to the preview), and cancels a running one."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from khuyencong.geo.services import load_places
from khuyencong.interchange.models import ImportJob
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = "code;name;kind;province;commune\nE2E-K1;Cơ sở Khô mực;household;96;Sông Đốc\n"


def _job(officer, **fields):
    job = ImportJob(
        user=officer,
        kind="establishments",
        original_name="co-so.csv",
        phase="check",
        attempts=1,
        heartbeat_at=timezone.now(),
        worker="elsewhere:4242",
        **fields,
    )
    job.file.save("co-so.csv", ContentFile(CSV.encode()), save=False)
    job.save()
    return job


def test_failed_import_offers_retry_and_cancel(page, login, screenshot_dir):
    load_places()
    officer = make_user("province_officer", username="sct96f", province_id=96)
    job = _job(officer, status="failed", failure="worker_stopped")
    login("sct96f")
    page.goto(f"{page.base_url}/data/imports/{job.pk}/")
    failed = page.get_by_test_id("failed")
    assert "Tiến trình xử lý nền đã dừng trước khi công việc hoàn tất." in failed.inner_text()
    assert page.get_by_test_id("retry").inner_text().strip() == "Chạy lại"
    assert page.get_by_test_id("cancel").inner_text().strip() == "Hủy"
    page.screenshot(path=str(screenshot_dir / "import-failed-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / "import-failed-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_test_id("cancel").click()
    page.get_by_test_id("cancelled").wait_for()
    assert "Đã hủy lần nhập; không có gì được lưu." in page.content()
    assert page.get_by_test_id("cancel").count() == 0

    page.get_by_test_id("retry").click()  # the suite runs the task at once: the preview follows
    page.get_by_test_id("preview").wait_for()
    assert "Đã chạy lại lần nhập." in page.content()
    job.refresh_from_db()
    assert job.status == "checked" and job.attempts == 2


def test_running_import_can_be_cancelled(page, login):
    load_places()
    officer = make_user("province_officer", username="sct96r", province_id=96)
    job = _job(officer, status="running")
    login("sct96r")
    page.goto(f"{page.base_url}/data/imports/{job.pk}/")
    page.get_by_test_id("progress").wait_for()
    page.get_by_test_id("cancel").click()
    page.get_by_test_id("cancelling").wait_for()
    assert "Đang hủy: lần nhập sẽ dừng trước nhóm dòng tiếp theo; không có gì được lưu." in page.content()
    job.refresh_from_db()
    assert job.cancel_requested and job.status == "running"
