"""Checks shared by the tests of every export: no cell a spreadsheet would run as a formula."""

import csv
import io
import re
import zipfile

from openpyxl import load_workbook

# what a hostile user types into a name, a title or an answer
HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def body(response) -> bytes:
    """The bytes of a response, streamed or not."""
    return response.getvalue() if response.streaming else response.content


def csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def assert_csv_safe(data: bytes, hostile=HOSTILE) -> None:
    """Each hostile value is in the file, behind an apostrophe; no cell starts a formula."""
    cells = [cell for row in csv_rows(data) for cell in row]
    for cell in cells:  # a number may be negative; nothing else may start a formula
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(r"-\d+", cell), cell
    for value in hostile:
        assert "'" + value in cells, (value, cells)


def assert_xlsx_safe(data: bytes, hostile=HOSTILE) -> None:
    """No formula anywhere in the workbook's XML, and each hostile value is a string cell."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    wb = load_workbook(io.BytesIO(data))
    strings = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    strings[cell.value] = cell.data_type
    for value in hostile:
        expected = value.replace("\r", "\n") if value.startswith("\r") else value  # XML normalises a CR
        found = {k: v for k, v in strings.items() if k in (value, expected)}
        assert found and set(found.values()) == {"s"}, (value, sorted(strings))
