"""A file with bad rows is refused whole, every bad row named as `row N, column C: why`."""

import io

import pytest
from django.core.management import call_command

from khuyencong.interchange.services import import_file
from khuyencong.programme.models import Project
from khuyencong.registry.models import Establishment
from tests.factories import EstablishmentFactory, make_user

HEADER = "code;name;kind;tax_code;province;commune;workers;founded\n"


def write(tmp_path, text, name="f.csv", bom=False):
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return str(path)


@pytest.fixture
def admin(db):
    return make_user("admin", username="root")


def test_every_bad_row_is_named_and_nothing_is_written(tmp_path, admin):
    path = write(
        tmp_path,
        HEADER
        + "A-1;Cơ sở một;household;;Cà Mau;Sông Đốc;10;2001\n"  # row 2 ok
        + "A-2;Cơ sở hai;household;123;Cà Mau;;5;2001\n"  # row 3 tax code
        + "A-3;Cơ sở ba;hộ kinh doanh;;Atlantis;;5;2001\n"  # row 4 province
        + "A-4;Cơ sở bốn;household;;96;Ninh Kiều;5;2001\n"  # row 5 commune not in the province
        + "A-5;Cơ sở năm;household;;96;;-3;2001\n"  # row 6 negative count
        + "A-1;Trùng mã;household;;96;;1;2001\n",
    )  # row 7 duplicate code
    report = import_file(user=admin, kind="establishments", path=path)
    assert not report.written
    assert sorted(report.error_rows()) == [3, 4, 5, 6, 7]
    assert {(e.row, e.column) for e in report.errors} >= {
        (3, "tax_code"),
        (4, "province"),
        (5, "commune"),
        (6, "workers"),
        (7, "code"),
    }
    assert not Establishment.objects.filter(code__startswith="A-").exists()


def test_message_format(tmp_path, admin):
    from django.utils import translation

    path = write(tmp_path, HEADER + "A-1;X;nonsense;;96;;1;2001\n")
    with translation.override("en"):
        report = import_file(user=admin, kind="establishments", path=path)
        assert str(report.errors[0]).startswith("row 2, column kind: “nonsense” is not one of")


def test_money_errors_are_errors_not_zero(tmp_path, admin):
    EstablishmentFactory(code="E-1")
    head = (
        "code,year,title,programme,activity,establishment,province,support_approved,support_settled,status\n"
    )
    rows = [
        'P-1,2020,Một,national,machinery,E-1,96,"1.000.000,5",,approved',  # fraction
        "P-2,2020,Hai,local,training,,96,-5000,,approved",  # negative
        "P-3,2020,Ba,local,training,,96,nhiều,,approved",  # text
        "P-4,2020,Bốn,local,training,,96,5000000,,settled",  # settled without settled amount
        'P-5,20,Năm,vùng,machinery,E-9,96,"4 550 000 000",,done',  # year, programme, establishment, status
    ]
    report = import_file(user=admin, kind="projects", path=write(tmp_path, head + "\n".join(rows) + "\n"))
    cells = {(e.row, e.column) for e in report.errors}
    assert {
        (2, "support_approved"),
        (3, "support_approved"),
        (4, "support_approved"),
        (5, "support_settled"),
    } <= cells
    assert {(6, "year"), (6, "programme"), (6, "establishment"), (6, "status")} <= cells
    assert not Project.objects.exists()


def test_headers_in_vietnamese_any_case_and_unknown_columns_warn(tmp_path, admin):
    text = "MÃ CƠ SỞ,ten_co_so,Loai Hinh,Tỉnh / Thành phố,Ghi chú\nB-1,Cơ sở B,Hợp tác xã,tinh ca mau,xyz\n"
    report = import_file(user=admin, kind="establishments", path=write(tmp_path, text, bom=True))
    assert report.ok and report.created == 1
    assert "Ghi chú" in report.notices[0]
    assert Establishment.objects.get(code="B-1").kind == "cooperative"


def test_missing_required_column_is_a_header_error(tmp_path, admin):
    from django.utils import translation

    with translation.override("en"):
        report = import_file(user=admin, kind="establishments", path=write(tmp_path, "code,name\nC-1,X\n"))
    assert {e.row for e in report.errors} == {1}
    assert any("kind" in e.column for e in report.errors) and any(
        "province" in e.column for e in report.errors
    )


def test_dry_run_writes_nothing(tmp_path, admin):
    report = import_file(
        user=admin,
        kind="establishments",
        path=write(tmp_path, HEADER + "D-1;X;household;;96;;1;2001\n"),
        dry_run=True,
    )
    assert report.ok and report.created == 1 and not report.written
    assert not Establishment.objects.filter(code="D-1").exists()


def test_officer_cannot_import_another_province(tmp_path, db):
    officer = make_user("province_officer", username="ct", province_id=92)
    report = import_file(
        user=officer, kind="establishments", path=write(tmp_path, HEADER + "D-1;X;household;;96;;1;2001\n")
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "province")]


def test_commune_officer_may_not_import(tmp_path, db):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_file(
            user=make_user("commune_officer", username="cx"),
            kind="establishments",
            path=write(tmp_path, HEADER + "D-1;X;household;;96;;1;2001\n"),
        )


def test_tax_code_already_registered(tmp_path, admin):
    existing = EstablishmentFactory(code="OLD")
    report = import_file(
        user=admin,
        kind="establishments",
        path=write(tmp_path, HEADER + f"NEW;X;household;{existing.tax_code};96;;1;2001\n"),
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "tax_code")]
    assert "OLD" in report.errors[0].message


def test_cli_exits_non_zero_when_nothing_is_written(tmp_path, admin):
    path = write(tmp_path, HEADER + "E-1;X;household;;Nowhere;;1;2001\n")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", "establishments", path, "--no-progress", stderr=err, stdout=io.StringIO())
    assert exc.value.code == 1
    assert "row 2, column province:" in err.getvalue()
    out = io.StringIO()
    call_command(
        "import",
        "establishments",
        write(tmp_path, HEADER + "E-1;X;household;;96;;1;2001\n", "ok.csv"),
        "--no-progress",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "1 created" in out.getvalue()


def test_xlsx_bad_rows_use_spreadsheet_row_numbers(tmp_path, admin):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["code", "name", "kind", "province"])
    ws.append(["X-1", "A", "household", 96])
    ws.append([None, None, None, None])  # a blank row is skipped but still counted
    ws.append(["X-2", "B", "household", "Nowhere"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    report = import_file(user=admin, kind="establishments", path=str(path))
    assert [(e.row, e.column) for e in report.errors] == [(4, "province")]


def test_preview_names_the_rows_that_change(tmp_path, admin):
    EstablishmentFactory(
        code="U-1", name="Tên cũ", kind="household", province_id=96, commune_id=None, tax_code=None
    )
    report = import_file(
        user=admin,
        kind="establishments",
        dry_run=True,
        path=write(tmp_path, "code;name;kind;province\nU-1;Tên mới;household;96\nU-2;Mới;household;96\n"),
    )
    assert report.samples["create"] == [{"row": 3, "key": "U-2", "fields": []}]
    assert report.samples["update"] == [{"row": 2, "key": "U-1", "fields": ["name"]}]


def test_export_command_and_report_xlsx(tmp_path, admin):
    from openpyxl import load_workbook

    EstablishmentFactory(code="X-9", province_id=96)
    target = tmp_path / "e.xlsx"
    call_command("export", "establishments", str(target), "--province", "96", stdout=io.StringIO())
    assert [r[0] for r in load_workbook(target).active.iter_rows(min_row=2, values_only=True)] == ["X-9"]
    out = tmp_path / "s.xlsx"
    call_command(
        "report",
        "summary",
        "--province",
        "96",
        "--format",
        "xlsx",
        "--output",
        str(out),
        stderr=io.StringIO(),
    )
    assert load_workbook(out)["Tổng hợp"]["A1"].value.startswith("Tổng hợp kết quả khuyến công")


def test_tax_code_number_cell_keeps_its_leading_zero(tmp_path, admin):
    from openpyxl import Workbook

    from khuyencong.core.demo import tax_code

    code = tax_code("010123456")
    wb = Workbook()
    wb.active.append(["code", "name", "kind", "province", "tax_code"])
    wb.active.append(["T-1", "A", "household", 96, int(code)])
    wb.save(tmp_path / "t.xlsx")
    report = import_file(user=admin, kind="establishments", path=str(tmp_path / "t.xlsx"))
    assert report.ok, [str(e) for e in report.errors]
    assert Establishment.objects.get(code="T-1").tax_code == code
