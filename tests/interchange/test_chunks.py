"""A file longer than one chunk is still all or nothing: rows are checked and written a chunk at a time in one
transaction, so a refusal in the last chunk must undo the chunks already written, and every bad row is still
named (row, column, why), wherever it stands in the file."""

import pytest

from khuyencong.core.audit import LogEntry
from khuyencong.interchange import services
from khuyencong.interchange.services import import_file
from khuyencong.registry.models import Establishment
from tests.factories import make_user

HEADER = "code;name;kind;tax_code;province;commune\n"


@pytest.fixture
def admin(db):
    return make_user("admin", username="root")


def good(n, prefix="K"):
    return [f"{prefix}-{i:05d};Cơ sở {i};household;;96;" for i in range(n)]


def write(tmp_path, lines):
    path = tmp_path / "co-so.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_an_error_in_the_last_chunk_leaves_nothing_written(tmp_path, admin):
    lines = good(services.CHUNK * 2 + 10)
    lines[-1] = lines[-1].replace(";;96;", ";123;96;")  # the last row's tax code is not a tax code
    entries = LogEntry.objects.count()
    report = import_file(user=admin, kind="establishments", path=write(tmp_path, lines))
    assert not report.written
    last_row = len(lines) + 1  # the header is row 1
    assert [(e.row, e.column) for e in report.errors] == [(last_row, "tax_code")]
    assert str(report.errors[0]).startswith(f"dòng {last_row}, cột tax_code: Mã số thuế “123”")
    # the two chunks checked and written before it are gone, and so are their audit entries
    assert Establishment.objects.count() == 0
    assert LogEntry.objects.count() == entries


def test_a_code_of_the_first_chunk_repeated_in_the_last_is_named_and_nothing_written(tmp_path, admin):
    lines = good(services.CHUNK * 2 + 10)
    lines[-1] = lines[0].replace("Cơ sở 0", "Trùng mã")
    report = import_file(user=admin, kind="establishments", path=write(tmp_path, lines))
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(len(lines) + 1, "code")]
    assert "K-00000" in report.errors[0].message
    assert Establishment.objects.count() == 0


def test_every_bad_row_of_every_chunk_is_named(tmp_path, admin):
    lines = good(services.CHUNK * 3)
    for i in (3, services.CHUNK + 7, len(lines) - 1):
        lines[i] = lines[i].replace(";96;", ";Atlantis;")
    report = import_file(user=admin, kind="establishments", path=write(tmp_path, lines))
    assert not report.written
    assert sorted(report.error_rows()) == [5, services.CHUNK + 9, len(lines) + 1]
    assert {e.column for e in report.errors} == {"province"}
    assert Establishment.objects.count() == 0


def test_a_file_of_several_chunks_without_errors_is_written_whole(tmp_path, admin):
    lines = good(services.CHUNK * 2 + 10)
    report = import_file(user=admin, kind="establishments", path=write(tmp_path, lines))
    assert report.written and report.created == len(lines)
    assert Establishment.objects.count() == len(lines)
