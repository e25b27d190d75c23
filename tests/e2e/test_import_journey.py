"""An officer imports a projects file with one bad row from the web, sees the error, fixes it, imports,
and sees the programme summary change."""

import pytest

from khuyencong.geo.services import load_places
from tests.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "Mã đề án;Năm;Tên đề án;Nguồn kinh phí;Nội dung hoạt động;Tỉnh/Thành phố;Xã/Phường;Kinh phí hỗ trợ được duyệt;Kinh phí hỗ trợ quyết toán;Vốn đối ứng;Lao động thu hút;Trạng thái\n"  # noqa: E501
GOOD = "E2E-1;2024;Máy sấy mực;Khuyến công địa phương;machinery;Cà Mau;Sông Đốc;1.500.000.000;1.500.000.000;6.000.000.000;25;Quyết toán\n"  # noqa: E501
BAD = "E2E-2;2024;Đào tạo nghề đan lác;national;training;Cà Mau;Thới Bình;500.000.000;;;40;settled\n"
FIXED = (
    "E2E-2;2024;Đào tạo nghề đan lác;national;training;Cà Mau;Thới Bình;500.000.000;480.000.000;;40;settled\n"
)


def test_import_with_a_bad_row_then_fixed(page, login, tmp_path):
    load_places()
    make_user("province_officer", username="sct96", province_id=96)
    bad = tmp_path / "de-an-2024.csv"
    bad.write_text(HEADER + GOOD + BAD, encoding="utf-8")
    fixed = tmp_path / "de-an-2024-sua.csv"
    fixed.write_text(HEADER + GOOD + FIXED, encoding="utf-8")

    login("sct96")
    page.goto(page.base_url + "/reports/?from=2024&to=2024")
    assert page.get_by_test_id("figure-support").inner_text().endswith("0 đ")

    page.goto(page.base_url + "/data/")
    page.select_option("#id_kind", "projects")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    refused = page.get_by_test_id("refused")
    refused.wait_for()
    assert "không có gì được lưu" in refused.inner_text().lower()
    errors = page.get_by_test_id("errors").inner_text()
    assert "3" in errors and "Kinh phí hỗ trợ quyết toán" in errors
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp có cột lỗi").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name="Tải lên tệp đã sửa").click()
    page.select_option("#id_kind", "projects")
    page.set_input_files("#id_file", str(fixed))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.get_by_test_id("preview").wait_for()
    assert page.get_by_test_id("to-create").inner_text() == "2"
    page.get_by_test_id("confirm").click()
    page.get_by_test_id("imported").wait_for()
    page.get_by_role("link", name="Xem tổng hợp chương trình").click()

    page.goto(page.base_url + "/reports/?from=2024&to=2024")
    assert page.get_by_test_id("figure-support").inner_text().endswith("1,98 tỷ đồng")
    assert "65" in page.get_by_test_id("figure-jobs").inner_text()
