"""Reading the files row by row (streaming): CSV (UTF-8 with or without BOM, comma or semicolon) or XLSX (first sheet)."""  # noqa: E501

import codecs
import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _


class FileError(ValueError):
    """The file cannot be read (as a whole, or from `row` on)."""

    def __init__(self, message, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column


# A cell longer than this is not kept whole (the text policy refuses it, with its length): a 2 MB cell
# must give "row N, column C: at most … characters", not a crash or a 2 MB error message.
MAX_CELL = 32767  # also what Excel holds in one cell
# csv's own limit (131072 by default) raises on a long cell without saying where; read any cell up to
# the largest file the upload takes, and bound it ourselves.
CSV_FIELD_LIMIT = 64 * 1024 * 1024


class OversizeCell(str):
    """The start of a cell that was longer than MAX_CELL; `length` is its real length."""

    length: int

    def __new__(cls, value: str):
        cell = super().__new__(cls, value[:200] + "…")
        cell.length = len(value)
        return cell


def _bounded(values: list) -> list:
    return [OversizeCell(v) if isinstance(v, str) and len(v) > MAX_CELL else v for v in values]


@dataclass
class Sheet:
    """The header and a fresh iterator over (spreadsheet row number, values) pairs."""

    header: list[str]
    total: int | None  # rows after the header, when known cheaply

    def __init__(self, opener, header, total):
        self._opener = opener
        self.header = header
        self.total = total

    def rows(self) -> Iterator[tuple[int, list]]:
        return self._opener()


def _file_format(name: str) -> str:
    ext = os.path.splitext(name or "")[1].lower()
    if ext in (".csv", ".txt"):
        return "csv"
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    raise FileError(_("File “%(name)s”: only .csv and .xlsx files can be imported.") % {"name": name})


def _is_blank_row(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def open_sheet(path: str, name: str | None = None) -> Sheet:
    """Open `path` (a file on disk; `name` gives the user's file name when it differs)."""
    kind = _file_format(name or path)
    return _open_csv(path) if kind == "csv" else _open_xlsx(path)


def _open_csv(path: str) -> Sheet:
    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    try:
        first_line = head.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError as exc:
        raise FileError(_("The file is not UTF-8 text; save it as “CSV UTF-8”.")) from exc
    if not first_line.strip():
        raise FileError(_("The file is empty: the first row must hold the column names."))
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","

    def reader():
        # Bytes that are not UTF-8 become lone surrogates (surrogateescape): the text policy refuses the
        # cell that holds them as "row N, column C", and the rest of the file is still checked.
        fh = open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")  # noqa: SIM115 - closed below
        if csv.field_size_limit() < CSV_FIELD_LIMIT:
            csv.field_size_limit(CSV_FIELD_LIMIT)
        index = 0
        try:
            for index, values in enumerate(csv.reader(fh, delimiter=delimiter)):
                if index == 0 or _is_blank_row(values):
                    continue
                yield index + 1, _bounded(values)
        except csv.Error as exc:
            raise FileError(
                _("the file cannot be read from here on (%(err)s)") % {"err": exc}, row=index + 2
            ) from exc
        finally:
            fh.close()

    header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter))
    with open(path, "rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return Sheet(reader, [h.strip() for h in header], max(lines - 1, 0) or None)


def _open_xlsx(path: str) -> Sheet:
    from openpyxl import load_workbook

    def open_ws():
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise FileError(
                _("The file could not be read as an Excel workbook: %(err)s") % {"err": exc}
            ) from exc
        return wb, wb.worksheets[0]

    wb, ws = open_ws()
    try:
        first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), None)
        total = (ws.max_row - 1) if ws.max_row else None
    finally:
        wb.close()
    if not first or _is_blank_row(first):
        raise FileError(_("The file is empty: the first row must hold the column names."))
    header = ["" if v is None else str(v).strip() for v in first]
    while header and not header[-1]:
        header.pop()

    def reader():
        wb, ws = open_ws()
        try:
            for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
                if _is_blank_row(values):
                    continue
                yield number, _bounded(list(values))
        finally:
            wb.close()

    return Sheet(reader, header, total)
