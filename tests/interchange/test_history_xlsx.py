"""The Cà Mau history's projects as an Excel workbook import as the CSV file does."""

from khuyencong.interchange.history import DEFAULT_DIR, PUBLISHED

from .conftest import import_history
from .test_history import spec_summary


def test_xlsx_projects_import_like_the_csv(admin):
    import_history(admin, overrides={"projects": DEFAULT_DIR / "projects.xlsx"})
    assert spec_summary("96") == PUBLISHED
