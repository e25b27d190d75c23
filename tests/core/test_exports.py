"""The one CSV/XLSX writer: formula-like cells neutralised, hostile text still writable, rows streamed."""

import io
import re

from openpyxl import Workbook, load_workbook

from khuyencong.core import exports
from tests.exports import HOSTILE, assert_csv_safe, assert_xlsx_safe, body


def test_csv_puts_an_apostrophe_before_each_formula_start():
    stream = io.StringIO(newline="")
    exports.write_csv(stream, [[v, 1] for v in HOSTILE] + [["Khô mực", -5, None]], header=["tên", "số"])
    data = stream.getvalue().encode()
    assert_csv_safe(data)
    assert "Khô mực,-5,\r\n" in stream.getvalue()  # numbers (even negative) stay numbers, None is empty


def test_a_break_in_the_writer_would_be_seen():
    stream = io.StringIO(newline="")
    stream.write('"=HYPERLINK(""x"")"\r\n')
    try:
        assert_csv_safe(stream.getvalue().encode(), hostile=['=HYPERLINK("x")'])
    except AssertionError:
        return
    raise AssertionError("the check let a live formula through")


def test_csv_response_streams_a_generator_with_a_bom():
    produced = []

    def rows():
        for i in range(3):
            produced.append(i)
            yield [f"=A{i}", i]

    response = exports.csv_response("x.csv", rows(), header=["a", "b"])
    assert response.streaming and produced == []  # nothing is read before the response is sent
    data = body(response)
    assert data.startswith("\ufeff".encode()) and produced == [0, 1, 2]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert_csv_safe(data, hostile=["=A0", "=A1", "=A2"])


def test_xlsx_writes_formula_like_text_as_strings_and_survives_control_characters():
    target = io.BytesIO()
    rows = [[v, 3] for v in HOSTILE] + [
        ["bell\x07 esc\x1b nul\x00", "#N/A"],
        ["x" * 40000, "bad \udcff byte"],
    ]
    exports.write_xlsx(target, [exports.Sheet("Tên: [dài] / quá *", rows, header=["tên", "số"])])
    assert_xlsx_safe(target.getvalue())
    ws = load_workbook(io.BytesIO(target.getvalue())).active
    assert ws.title == "Tên  dài    quá"[:31] or ":" not in ws.title
    assert ws.cell(1, 1).font.bold
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert values[len(HOSTILE)] == ["bell\ufffd esc\ufffd nul\ufffd", "#N/A"]
    assert ws.cell(len(HOSTILE) + 2, 2).data_type == "s"  # an error code stays text
    assert len(values[-1][0]) == exports.XLSX_MAX_CELL and values[-1][1] == "bad \ufffd byte"


def test_xlsx_response_is_an_attachment_from_a_temporary_file():
    response = exports.xlsx_response("bao-cao.xlsx", [exports.Sheet("a", iter([["=1+1"]]))])
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert 'attachment; filename="bao-cao.xlsx"' in response["Content-Disposition"]
    assert_xlsx_safe(body(response), hostile=["=1+1"])


def test_append_row_neutralises_ordinary_and_write_only_sheets():
    for write_only in (False, True):
        wb = Workbook(write_only=write_only)
        ws = wb.create_sheet("s") if write_only else wb.active
        for value in HOSTILE:
            exports.append_row(ws, [value, 1])
        target = io.BytesIO()
        wb.save(target)
        assert_xlsx_safe(target.getvalue())


def test_no_module_writes_csv_or_xlsx_rows_but_the_one_writer():
    """A new export that writes rows itself would skip the formula guard: it must go through core.exports."""
    from pathlib import Path

    import khuyencong

    root = Path(khuyencong.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "exports.py" and path.parent.name == "core":
            continue
        source = path.read_text()
        for needle in (
            r"csv\.writer\(",
            r"csv\.DictWriter\(",
            r"\b(ws|sh|sheet)\.append\(",
            r"\.writerows?\(",
        ):
            if re.search(needle, source):
                offenders.append(f"{path.relative_to(root)}: {needle}")
    assert offenders == []


def test_the_streaming_xlsx_writer_keeps_every_kind_of_value_and_sheet():
    """Plain sheets are written as XML text by the one writer: what openpyxl reads back is what was given."""
    import datetime
    import decimal
    import io

    from django.utils.translation import gettext_lazy
    from openpyxl import load_workbook

    from khuyencong.core.exports import Sheet, write_xlsx

    rows = [
        ["Khô mực <Sông Đốc> & co", 12, 1.5, decimal.Decimal("19.51"), True, None, "=1+1"],
        ["a\x07b", -3, 0.0, decimal.Decimal("0"), False, "#N/A", "@x"],
        [datetime.date(2025, 7, 1), datetime.datetime(2025, 7, 1, 8, 30), gettext_lazy("name"), "  spaced  "],
    ]
    out = io.BytesIO()
    write_xlsx(
        out,
        [
            Sheet("list", iter(rows), header=["Tên", "Số", None, 4], widths={"A": 30, "C": 12}),
            Sheet("list", iter([]), header=None),
        ],
    )
    wb = load_workbook(io.BytesIO(out.getvalue()))
    assert wb.sheetnames == ["list", "list (2)"]
    ws = wb["list"]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][:4] == ["Tên", "Số", None, "4"] and ws["A1"].font.b
    assert values[1] == ["Khô mực <Sông Đốc> & co", 12, 1.5, 19.51, True, None, "=1+1"]
    assert ws["G2"].data_type == "s"  # never a formula
    assert values[2][:7] == ["a\ufffdb", -3, 0, 0, False, "#N/A", "@x"]
    lazy = str(gettext_lazy("name"))
    assert values[3][:4] == [
        datetime.datetime(2025, 7, 1),
        datetime.datetime(2025, 7, 1, 8, 30),
        lazy,
        "  spaced  ",
    ]
    assert ws.column_dimensions["A"].width == 30
    assert list(wb["list (2)"].iter_rows(values_only=True)) == []
