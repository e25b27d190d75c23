"""Hostile files: a 2 MB cell, bytes that are not UTF-8 after the first line, NUL and terminal escapes in
names, random cells. Each is reported as `row N, column C: why` (CLI and web), never a traceback or a
generic error; nothing is half-written; the error sheet always downloads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from khuyencong.interchange.models import ImportJob
from khuyencong.interchange.services import import_file
from khuyencong.registry.models import Establishment
from tests.factories import make_user

HEADER = b"code,name,kind,province,workers\n"
GOOD = b"H-1,C\xc6\xa1 s\xe1\xbb\x9f A,household,96,3\n"  # "Cơ sở A"


@pytest.fixture
def officer(db):
    return make_user("province_officer", username="sct96", province_id=96)


def write(tmp_path, data: bytes, name="co-so.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def errors_of(report):
    return [str(e) for e in report.errors]


def test_a_two_megabyte_cell_is_reported_on_its_row_and_column(officer, tmp_path):
    path = write(tmp_path, HEADER + GOOD + b"H-2," + b"x" * (2 * 1024 * 1024) + b",household,96,3\n")
    report = import_file(user=officer, kind="establishments", path=path)
    assert errors_of(report) == ["dòng 3, cột name: tối đa 10.000 ký tự (ô này có 2.097.152)"]
    assert not Establishment.objects.exists()


def test_bytes_that_are_not_utf8_after_the_first_line_are_reported_on_their_cell(officer, tmp_path):
    path = write(tmp_path, HEADER + GOOD + b"H-2,Kh\xf4 m\xe1c,household,96,3\nH-3,B,household,96,\xff\n")
    report = import_file(user=officer, kind="establishments", path=path)
    assert errors_of(report) == [
        "dòng 3, cột name: chứa các byte không phải văn bản UTF-8; hãy lưu tệp dạng “CSV UTF-8”",
        "dòng 4, cột workers: chứa các byte không phải văn bản UTF-8; hãy lưu tệp dạng “CSV UTF-8”",
    ]
    assert not Establishment.objects.exists()


def test_nul_and_terminal_escapes_in_names_are_refused_per_row(officer, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + GOOD
        + b"H-2,Kh\x00o,household,96,3\nH-3,\x1b[2J\x1b[31mRed,household,96,3\n"
        + b"H-4,A\xe2\x80\xaeB,household,96,3\nh-1,dup,household,96,3\n",
    )
    report = import_file(user=officer, kind="establishments", path=path)
    assert errors_of(report) == [
        "dòng 3, cột name: chứa ký tự điều khiển (U+0000 NUL) không lưu được",
        "dòng 4, cột name: chứa ký tự điều khiển (U+001B ESC) không lưu được",
        "dòng 5, cột name: chứa ký tự đổi chiều văn bản (U+202E RIGHT-TO-LEFT OVERRIDE) có thể che giấu nội dung thật",
        "dòng 6, cột code: “H-1” xuất hiện hai lần trong tệp",  # h-1 is H-1: codes are compared canonically
    ]
    assert not Establishment.objects.exists()


def test_the_command_line_reports_rows_and_never_a_traceback(officer, tmp_path, capsys):
    path = write(
        tmp_path,
        HEADER + GOOD + b"H-2," + b"y" * (300 * 1024) + b",household,96,3\nH-3,\xff,household,96,1\n",
    )
    with pytest.raises(SystemExit) as exc:
        call_command("import", "establishments", path, "--no-progress", "--user", officer.username)
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert (
        "row 3, column name: at most 10,000 characters (this has 307,200)" in err
        or "row 3, column name: at most 10.000 characters (this has 307.200)" in err
    )
    assert "row 4, column name: contains bytes that are not UTF-8 text" in err
    assert "Traceback" not in err and "nothing written" in err


def test_the_web_import_reports_the_row_and_the_error_sheet_downloads(client, officer):
    client.force_login(officer)
    data = (
        HEADER + GOOD + b"H-2," + b"x" * (2 * 1024 * 1024) + b",household,96,3\nH-3,\xff\x1b,household,96,1\n"
    )
    client.post(
        "/data/", {"kind": "establishments", "file": SimpleUploadedFile("co-so.csv", data, "text/csv")}
    )
    job = ImportJob.objects.get()
    page = client.post(f"/data/imports/{job.pk}/run/", {"phase": "check"}).content.decode()
    assert "Tệp bị từ chối: không có gì được lưu." in page
    assert "tối đa 10.000 ký tự (ô này có 2.097.152)" in page and "không phải văn bản UTF-8" in page
    assert "lỗi không mong đợi" not in page
    response = client.get(f"/data/imports/{job.pk}/errors.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert rows[0][-1] == "Lỗi" and rows[1][0] == "H-1"
    assert len(rows[2][1]) < 300 and "tối đa 10.000 ký tự" in rows[2][-1]
    assert rows[3][1] == "\ufffd\ufffd" and "UTF-8" in rows[3][-1]
    assert not Establishment.objects.exists()


def test_an_xlsx_with_control_characters_is_refused_per_row_and_its_error_sheet_downloads(
    client, officer, tmp_path
):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["code", "name", "kind", "province"])
    ws.append(["H-1", "Cơ sở\u200b A", "household", 96])
    ws.append(["H-2", '=HYPERLINK("http://evil.example","x")', "household", 96])
    buffer = io.BytesIO()
    wb.save(buffer)
    client.force_login(officer)
    upload = SimpleUploadedFile("co-so.xlsx", buffer.getvalue(), "application/octet-stream")
    client.post("/data/", {"kind": "establishments", "file": upload})
    job = ImportJob.objects.get()
    client.post(f"/data/imports/{job.pk}/run/", {"phase": "check"})
    job.refresh_from_db()
    # row 2: the zero-width space; row 3: a formula cell holds no value for the import (data only)
    assert [(e["row"], e["column"]) for e in job.report["errors"]] == [(2, "name"), (3, "name")]
    assert client.get(f"/data/imports/{job.pk}/errors.xlsx").status_code == 200


# --- generated: whatever the cells hold, the import answers with rows, and writes all or nothing -------

NASTY = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\x1b[2J",
            "\u202e",
            "\u200b",
            "١٢٣",
            "１２３",
            "=1+1",
            "'=1+1",
            "-1",
            "9" * 30,
            "Khô",
            "Kho\u0302",
            "\r\n",
            '"',
            "x" * 11_000,
        ]
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NASTY, workers=NASTY, founded=NASTY, code=NASTY)
def test_random_cells_never_crash_the_import_and_nothing_is_half_written(
    officer, tmp_path, name, workers, founded, code
):
    import csv

    Establishment.objects.all().delete()
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["code", "name", "kind", "province", "workers", "founded"])
    writer.writerow(["H-1", "Cơ sở A", "household", "96", "1", "2000"])
    writer.writerow([code, name, "household", "96", workers, founded])
    path = tmp_path / "random.csv"
    path.write_bytes(text.getvalue().encode("utf-8", "surrogatepass"))
    report = import_file(user=officer, kind="establishments", path=str(path))
    if report.errors:
        assert not report.written and not Establishment.objects.exists()
        assert all(e.row in (1, 2, 3) and e.message for e in report.errors)
        assert all("unexpected" not in e.message and "không mong đợi" not in e.message for e in report.errors)
    else:
        assert report.written and Establishment.objects.count() == 2
        stored = Establishment.objects.exclude(code="H-1").get()
        assert stored.name == stored.name.strip() and "\x00" not in stored.name
