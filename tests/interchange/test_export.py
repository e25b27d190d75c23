"""Exports: the import's columns, and cells a spreadsheet would run as formulas written as text."""

import csv

from openpyxl import load_workbook

from khuyencong.interchange import exporters
from khuyencong.interchange.services import import_file
from tests.factories import EstablishmentFactory, make_user


def test_formula_cells_are_text(db, tmp_path):
    admin = make_user("admin", username="root")
    EstablishmentFactory(code="F-1", name="=HYPERLINK(\"http://evil\")", address="+84 ấp 1", phone="-1", email="")
    qs = exporters.queryset_for("establishments", admin)
    xlsx = tmp_path / "e.xlsx"
    exporters.export("establishments", qs, str(xlsx), "xlsx")
    ws = load_workbook(xlsx).active
    name_cell = ws.cell(2, 2)
    assert name_cell.data_type == "s" and name_cell.value.startswith("=HYPERLINK")
    assert ws.cell(2, 7).data_type == "s"
    path = tmp_path / "e.csv"
    exporters.export("establishments", qs, str(path), "csv")
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["Mã cơ sở", "Tên cơ sở", "Loại hình"]
    assert rows[1][1].startswith("'=") and rows[1][6] == "'+84 ấp 1"
    # and they come back unchanged
    for target in (path, xlsx):
        report = import_file(user=admin, kind="establishments", path=str(target))
        assert report.ok and report.unchanged == 1, [str(e) for e in report.errors]


def test_export_is_scoped(db):
    EstablishmentFactory(code="CM", province_id=96, commune_id=32098)
    EstablishmentFactory(code="CT", province_id=92, commune_id=None)
    officer = make_user("province_officer", username="o92", province_id=92)
    assert list(exporters.queryset_for("establishments", officer).values_list("code", flat=True)) == ["CT"]
    assert not exporters.queryset_for("establishments", officer, {"province": "96"}).exists()
