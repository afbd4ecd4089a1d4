"""The one export helper: formula starts neutralised, numbers and dates kept as values, every XLSX alike."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from common.spreadsheets import Column, Sheet, csv_bytes, safe_text, xlsx_bytes

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_safe_text_neutralises_each_formula_start(prefix):
    assert safe_text(f'{prefix}HYPERLINK("http://x")') == f'\'{prefix}HYPERLINK("http://x")'


def test_safe_text_keeps_ordinary_text():
    assert safe_text("Sở Nội vụ") == "Sở Nội vụ"
    assert safe_text("a=b") == "a=b"
    assert safe_text("") == ""


@pytest.mark.parametrize("prefix", PREFIXES)
def test_csv_text_cells_are_neutralised_numbers_are_not(prefix):
    data = csv_bytes(["name", "score"], [[f"{prefix}1+1", Decimal("-3.50")], [None, -2]])
    quote = '"' if prefix == "\r" else ""  # the csv module quotes a field holding a CR
    assert data.decode("utf-8") == f"\ufeffname,score\r\n{quote}'{prefix}1+1{quote},-3.50\r\n,-2\r\n"


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_xlsx_text_cells_are_text_with_the_start_neutralised(prefix):
    ws = _sheet(xlsx_bytes(Sheet("Thử", ["Tên", "Điểm"], [[f"{prefix}SUM(1,2)", -5]])))
    # A stored CR reads back as CR or LF depending on the XML reader (lxml 6 keeps it)
    assert ws["A2"].value.replace("\r", "\n") == f"'{prefix}SUM(1,2)".replace("\r", "\n")
    assert ws["A2"].data_type == "s"
    assert ws["B2"].value == -5 and ws["B2"].data_type == "n"


def test_xlsx_header_dates_numbers_and_widths():
    sent = dt.datetime(2027, 3, 1, 1, 30, tzinfo=dt.UTC)
    ws = _sheet(
        xlsx_bytes(
            Sheet(
                "Đăng ký",
                [Column("Cơ quan"), Column("Ngày"), Column("Lúc"), Column("Điểm"), Column("Đạt"), "Ghi chú"],
                [["Sở Nội vụ", dt.date(2027, 3, 15), sent, Decimal("78.90"), True, "x" * 200], [None] * 6],
            )
        )
    )
    assert ws.title == "Đăng ký"
    assert [c.value for c in ws[1]] == ["Cơ quan", "Ngày", "Lúc", "Điểm", "Đạt", "Ghi chú"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:F3"
    assert ws["B2"].value == dt.datetime(2027, 3, 15) and ws["B2"].number_format == "dd/mm/yyyy"
    assert ws["C2"].value == dt.datetime(2027, 3, 1, 8, 30)  # Vietnam wall-clock time
    assert ws["C2"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["D2"].value == 78.9 and ws["D2"].number_format == "0.00"
    assert ws["E2"].value == "Có"
    assert ws["F2"].alignment.wrap_text is True
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths == {"A": 11.0, "B": 12.0, "C": 18.0, "D": 8.0, "E": 8.0, "F": 60.0}


def test_xlsx_drops_control_characters_instead_of_failing():
    ws = _sheet(xlsx_bytes(Sheet("Thử", ["Tên"], [["Sở\x01 Nội vụ\x0b"]])))
    assert ws["A2"].value == "Sở Nội vụ"


def test_every_export_is_written_by_the_helper():
    """One writer: a CSV or XLSX written anywhere else would skip the formula neutralising."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = ("Workbook(", "csv.writer(", "csv.DictWriter(", "xlsxwriter", "tablib")
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] not in {".venv", "tests", "static", "node_modules"}
        # tabular.py writes the blank import templates: the portal's own titles and examples, no user text
        and path.relative_to(root).as_posix() not in {"common/spreadsheets.py", "common/tabular.py"}
        and any(w in path.read_text(encoding="utf-8") for w in writers)
    ]
    assert offenders == []
