"""Exports: the import's columns, and cells a spreadsheet would run as formulas written as text."""

import csv

from openpyxl import load_workbook

from khuyencong.interchange import exporters
from khuyencong.interchange.services import import_file
from tests.factories import EstablishmentFactory, make_user


def test_formula_cells_are_text(db, tmp_path):
    admin = make_user("admin", username="root")
    EstablishmentFactory(
        code="F-1", name='=HYPERLINK("http://evil")', address="+84 ấp 1", phone="-1", email=""
    )
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


def test_round_trip_keeps_former_units_the_file_cannot_hold(db, tmp_path):
    """A record in today's commune and in its former district (as the demo's are) re-imports unchanged."""
    admin = make_user("admin", username="root2")
    EstablishmentFactory(
        code="H-1", province_id=96, commune_id=32098, legacy_province_id=96, legacy_district_id=968
    )
    EstablishmentFactory(
        code="H-2", province_id=96, commune_id=31825, legacy_province_id=95, legacy_district_id=954
    )
    EstablishmentFactory(
        code="H-3", province_id=96, commune_id=None, legacy_province_id=96, legacy_district_id=None
    )
    qs = exporters.queryset_for("establishments", admin)
    for fmt in ("xlsx", "csv"):
        target = tmp_path / f"e.{fmt}"
        exporters.export("establishments", qs, str(target), fmt)
        report = import_file(user=admin, kind="establishments", path=str(target))
        assert report.ok and report.unchanged == 3 and report.updated == 0, report.samples
    from khuyencong.registry.models import Establishment

    assert Establishment.objects.get(code="H-2").legacy_district_id == 954
