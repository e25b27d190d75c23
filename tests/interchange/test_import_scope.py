"""An officer's import may not take over, by its code, a record of another province."""

from khuyencong.interchange.services import import_file
from khuyencong.registry.models import Establishment, Product
from tests.factories import EstablishmentFactory, ProductFactory, make_user

HEADER = "code;name;kind;tax_code;province;commune;workers;founded\n"


def write(tmp_path, text, name="f.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def test_officer_cannot_move_another_provinces_establishment_into_theirs(tmp_path, db):
    theirs = EstablishmentFactory(
        code="CM-1", name="Cơ sở Cà Mau", province_id=96, commune_id=32098, tax_code=None
    )
    officer = make_user("province_officer", username="ct", province_id=92)
    report = import_file(
        user=officer,
        kind="establishments",
        path=write(tmp_path, HEADER + "CM-1;Đã bị chiếm;household;;92;;1;2001\n"),
    )
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(2, "code")]
    assert "không được nhập dữ liệu của địa bàn này" in str(report.errors[0])
    theirs.refresh_from_db()
    assert (theirs.name, theirs.province_id) == ("Cơ sở Cà Mau", 96)


def test_officer_cannot_move_another_provinces_product_to_their_establishment(tmp_path, db):
    product = ProductFactory(code="SP-CM", name="Sản phẩm Cà Mau")
    ours = EstablishmentFactory(code="CT-1", province_id=92, commune_id=None)
    officer = make_user("province_officer", username="ct", province_id=92)
    report = import_file(
        user=officer,
        kind="products",
        path=write(tmp_path, "code;establishment;name;group\nSP-CM;CT-1;Đã bị chiếm;agro_processing\n"),
    )
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(2, "code")]
    product.refresh_from_db()
    assert (product.name, product.establishment_id) == (
        "Sản phẩm Cà Mau",
        Establishment.objects.get(code=product.establishment.code).pk,
    )
    assert Product.objects.filter(establishment=ours).count() == 0


def test_officer_cannot_take_over_another_provinces_project(tmp_path, db):
    from tests.programme.factories import ProjectFactory

    project = ProjectFactory(code="DA-CM", title="Đề án Cà Mau")
    officer = make_user("province_officer", username="ct", province_id=92)
    head = "code;year;title;programme;activity;province;support_approved;status\n"
    report = import_file(
        user=officer,
        kind="projects",
        path=write(tmp_path, head + "DA-CM;2026;Đã bị chiếm;local;training;92;1000000;proposed\n"),
    )
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(2, "code")]
    project.refresh_from_db()
    assert (project.title, project.province_id) == ("Đề án Cà Mau", 96)


RESULTS = "round;level;product;score;certified\n"


def test_officer_cannot_put_results_into_a_round_they_do_not_run(tmp_path, db):
    from khuyencong.selection.models import Result
    from tests.selection.factories import make_round

    ProductFactory(code="SP-CT", establishment=EstablishmentFactory(province_id=92, commune_id=None))
    other_province = make_round(code="VONG-CM", province_id=96, status="scoring")
    national = make_round(code="VONG-QG", level="national", province=None, status="scoring")
    officer = make_user("province_officer", username="ct", province_id=92)
    report = import_file(
        user=officer,
        kind="results",
        path=write(tmp_path, RESULTS + "VONG-CM;province;SP-CT;90;có\nVONG-QG;national;SP-CT;95;có\n"),
    )
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(2, "round"), (3, "round")]
    assert "không được nhập dữ liệu của địa bàn này" in str(report.errors[0])
    assert not Result.objects.filter(round__in=[other_province, national]).exists()
