"""The optional columns of docs/interchange-beneficiaries.md: priority flags of establishments, a craft
village or an artisan as a project's beneficiary, and the approval date that decides a project's rules,
checked by the same rule functions as the forms (programme.services.project_errors)."""

import datetime

import pytest

from khuyencong.interchange.services import import_file
from khuyencong.programme.models import Project
from khuyencong.registry.models import CraftVillage, Establishment
from tests.factories import EstablishmentFactory, make_user

pytestmark = pytest.mark.django_db

PROJECTS = (
    "Mã đề án,Năm,Tên đề án,Nguồn kinh phí,Nội dung hoạt động,Mã cơ sở,Mã làng nghề,Tỉnh/Thành phố,"
    "Kinh phí hỗ trợ được duyệt,Trạng thái,Tổng kinh phí,Số quyết định phê duyệt,Ngày quyết định phê duyệt\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def village():
    return CraftVillage.objects.create(
        code="LN-7",
        name="Làng nghề bánh phồng tôm",
        trade="Chế biến",
        recognition_no="7/QĐ-UBND",
        recognition_date=datetime.date(2015, 3, 1),
        households=60,
        province_id=96,
    )


def test_a_craft_village_is_imported_as_a_projects_beneficiary(tmp_path, village):
    path = write(
        tmp_path,
        "p.csv",
        PROJECTS
        + "DA-LN-1,2026,Hội chợ làng nghề,Khuyến công địa phương,fair,,LN-7,Cà Mau,80000000,approved,,,\n",
    )
    report = import_file(user=make_user("province_officer"), kind="projects", path=path)
    assert report.ok, [str(e) for e in report.errors]
    assert Project.objects.get(code="DA-LN-1").craft_village == village


def test_an_imported_approval_is_held_to_the_rules_of_its_date_and_keeps_them(tmp_path):
    EstablishmentFactory(code="CS-9")
    rows = (
        "DA-OLD,2024,Mô hình trình diễn,Khuyến công quốc gia,demo_model,CS-9,,Cà Mau,1200000000,approved,"
        "6000000000,12/QĐ-SCT,01/06/2024\n"
        "DA-NEW,2026,Mô hình trình diễn,Khuyến công quốc gia,demo_model,CS-9,,Cà Mau,1200000000,approved,"
        "6000000000,13/QĐ-SCT,02/03/2026\n"
        "DA-DIG,2024,Chuyển đổi số,Khuyến công địa phương,digital,CS-9,,Cà Mau,100000000,proposed,,,\n"
    )
    path = write(tmp_path, "p.csv", PROJECTS + rows)
    report = import_file(user=make_user("province_officer"), kind="projects", path=path)
    messages = " ".join(str(e) for e in report.errors)
    assert not report.ok
    assert "DA-NEW" not in messages or "1.500.000.000" not in messages
    assert "28/2018/TT-BTC" in messages and "1.000.000.000" in messages  # DA-OLD: the 2024 ceiling
    assert "15/10/2025" in messages  # DA-DIG: no digital transformation before Decree 235/2025
    path = write(tmp_path, "q.csv", PROJECTS + rows.splitlines()[1] + "\n")
    report = import_file(user=make_user("province_officer", username="o2"), kind="projects", path=path)
    assert report.ok, [str(e) for e in report.errors]
    project = Project.objects.get(code="DA-NEW")
    assert project.rule_regulation.number == "64/2024/TT-BTC" and "64/2024/TT-BTC" in project.rule_note


def test_priority_flags_are_imported_with_their_evidence(tmp_path):
    header = "Mã cơ sở,Tên cơ sở,Loại hình,Tỉnh/Thành phố,Do phụ nữ làm chủ,Căn cứ ưu tiên\n"
    path = write(
        tmp_path,
        "e.csv",
        header
        + "CS-P1,Cơ sở bà Hoa,Hộ kinh doanh,Cà Mau,có,CCCD chủ hộ\nCS-P2,Cơ sở ông Tư,Hộ kinh doanh,Cà Mau,có,\n",
    )
    report = import_file(user=make_user("province_officer"), kind="establishments", path=path)
    assert not report.ok
    assert "căn cứ" in " ".join(str(e) for e in report.errors).lower()
    path = write(tmp_path, "f.csv", header + "CS-P1,Cơ sở bà Hoa,Hộ kinh doanh,Cà Mau,có,CCCD chủ hộ\n")
    assert import_file(user=make_user("province_officer", username="o3"), kind="establishments", path=path).ok
    assert Establishment.objects.get(code="CS-P1").women_owned
