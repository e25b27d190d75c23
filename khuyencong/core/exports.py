"""The one writer of every CSV and XLSX file the project hands out (public catalogue, surveys, reports, lists,
interchange files, error sheets).

Why one: a cell a spreadsheet would run as a formula is a way to attack whoever opens the file (a product
named `=HYPERLINK("http://evil.example","x")` in the public catalogue). Every file goes through here, so
every file is neutralised the same way:

- CSV: a text cell starting with = + - @ tab or CR gets a leading apostrophe (what Excel itself shows
  for "text that looks like a formula"); the interchange import strips it again, so an export
  re-imports unchanged.
- XLSX: such a cell is written as a string cell, never as a formula; characters an XLSX file cannot
  hold (C0 controls) are replaced by U+FFFD, so a hostile cell cannot make the file unwritable.

Both stream: rows are any iterable (a generator over `queryset.iterator()`), CSV responses are
`StreamingHttpResponse`s, XLSX goes through openpyxl's write-only mode into a temporary file, so memory
stays flat however many rows.
"""

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.http import FileResponse, StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# what openpyxl refuses in a string (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE)
# (and lone surrogates: the bytes of a file that was not UTF-8, read with errors="surrogateescape")
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
XLSX_MAX_CELL = 32767  # characters Excel holds in one cell
_XLSX_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_value(value):
    """A value as a CSV cell: None as empty, formula-like text behind an apostrophe."""
    if value is None:
        return ""
    if is_formula_like(value):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def csv_lines(
    rows: Iterable[Iterable], *, header: Iterable | None = None, delimiter: str = ","
) -> Iterator[str]:
    """The lines of a CSV file (header first, if given), each cell neutralised."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    if header is not None:
        yield writer.writerow([csv_value(v) for v in header])
    for row in rows:
        yield writer.writerow([csv_value(v) for v in row])


def write_csv(
    stream, rows: Iterable[Iterable], *, header: Iterable | None = None, delimiter: str = ","
) -> None:
    """Write a CSV file to the text `stream` (open it with newline="" and encoding utf-8 or utf-8-sig)."""
    for line in csv_lines(rows, header=header, delimiter=delimiter):
        stream.write(line)


def dict_rows(fields: list[str], records: Iterable[dict]) -> Iterator[list]:
    """Dicts as rows in the order of `fields` (what csv.DictWriter would write)."""
    for record in records:
        yield [record.get(name) for name in fields]


def csv_response(
    filename: str,
    rows: Iterable[Iterable],
    *,
    header: Iterable | None = None,
    delimiter: str = ",",
    bom: bool = True,
) -> StreamingHttpResponse:
    """A CSV attachment, streamed. The BOM lets Excel read the Vietnamese as UTF-8."""

    def stream():
        if bom:
            yield "\ufeff"
        yield from csv_lines(rows, header=header, delimiter=delimiter)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_text(value: str) -> str:
    """Text an XLSX cell can hold: illegal characters as U+FFFD, cut at Excel's cell limit."""
    value = _XLSX_ILLEGAL.sub("\ufffd", value)
    if len(value) > XLSX_MAX_CELL:
        value = value[: XLSX_MAX_CELL - 1] + "…"
    return value


def xlsx_value(ws, value):
    """A value for `ws.append` of a write-only sheet: plain values stay plain (fast), formula-like or
    error-code-like text becomes a string cell."""
    if not isinstance(value, str):
        return value
    value = xlsx_text(value)
    if value.startswith("=") or value in _XLSX_ERROR_CODES:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def append_row(ws, values: Iterable) -> None:
    """Append a row to a worksheet (write-only or ordinary), every text cell neutralised."""
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    values = list(values)
    if isinstance(ws, WriteOnlyWorksheet):
        ws.append([xlsx_value(ws, v) for v in values])
        return
    ws.append([xlsx_text(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if cell.data_type in ("f", "e"):
            cell.data_type = "s"


@dataclass
class Sheet:
    """One worksheet of an XLSX file: its rows streamed, the header in bold, optional column widths."""

    title: str
    rows: Iterable[Iterable]
    header: Iterable | None = None
    widths: dict[str, float] = field(default_factory=dict)
    # called with (ws, row) for each row; returns the cells to append (for fills on error sheets)
    styler: object = None


def _sheet_title(title: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", xlsx_text(title or "Sheet")).strip()[:31] or "Sheet"
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title)
    return title


def write_xlsx(target, sheets: Iterable[Sheet]) -> None:
    """Write a workbook of `sheets` (openpyxl write-only, streamed) to `target`: a path or a binary file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_title(sheet.title, used))
        for column, width in sheet.widths.items():
            ws.column_dimensions[column].width = width
        if sheet.header is not None:
            cells = []
            for name in sheet.header:
                if hasattr(name, "data_type"):  # a cell styled by the caller
                    cells.append(name)
                    continue
                cell = WriteOnlyCell(ws, value=xlsx_text(str(name)) if name is not None else None)
                cell.data_type = "s" if name is not None else cell.data_type
                cell.font = bold
                cells.append(cell)
            ws.append(cells)
        for row in sheet.rows:
            if sheet.styler is not None:
                ws.append(sheet.styler(ws, [xlsx_value(ws, v) for v in row]))
            else:
                ws.append([xlsx_value(ws, v) for v in row])
    if not wb.worksheets:
        wb.create_sheet("Sheet")
    wb.save(target)


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> FileResponse:
    """An XLSX attachment written to a temporary file (flat memory) and streamed from it."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx(handle, sheets)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def bytes_response(content: bytes, filename: str, content_type: str):
    """A file already rendered in memory (a small report) as an attachment."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
