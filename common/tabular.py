"""Reading CSV and XLSX tables for the imports (agencies, people, PAR Index, staff ratings), and the
downloadable XLSX template of each.

The one import reader: rows come back as dicts with their spreadsheet row number (the header is
row 1), so every error names the row a person can find in their file. Reading stops at
``settings.IMPORT_MAX_ROWS`` (a 147 KB workbook can hold a million rows), an import reports at
most ``settings.IMPORT_MAX_ERRORS`` row errors with the count of the rest, and a header may use
the column's code (``agency_code``) or its Vietnamese title (``Mã cơ quan``), never twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from django.conf import settings
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .display import day as display_day

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableError(Exception):
    """A file that cannot be read as a table at all (wrong format, missing columns)."""


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return _("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportErrors(Exception):
    """Rows that failed validation; nothing of the file was saved.

    Keeps the first ``settings.IMPORT_MAX_ERRORS`` errors (by row) and the count of all: a file
    of a million bad rows must not become a million-line page or session message."""

    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    def __post_init__(self) -> None:
        self.total = max(self.total, len(self.errors))
        self.errors = sorted(self.errors, key=lambda e: e.row)[: settings.IMPORT_MAX_ERRORS]

    @property
    def hidden(self) -> int:
        """How many errors are not listed."""
        return self.total - len(self.errors)

    def more_text(self) -> str:
        if not self.hidden:
            return ""
        return _("… và %(n)s lỗi khác (sửa các lỗi trên rồi nhập lại để xem tiếp).") % {
            "n": number_format(self.hidden, force_grouping=True)
        }

    def __str__(self) -> str:
        return "\n".join([str(e) for e in self.errors] + ([self.more_text()] if self.hidden else []))


@dataclass
class Row:
    number: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass(frozen=True)
class Column:
    """One column of an import: its code, its Vietnamese title (both accepted as the header),
    whether it is required, an example value and a note for the template."""

    key: str
    title: str  # Vietnamese source text, marked with gettext_noop; translated when shown
    required: bool = True
    example: str = ""
    note: str = ""
    width: int = 18


@dataclass(frozen=True)
class TableSpec:
    """The columns of one import, and the name of its template file."""

    slug: str
    title: str
    columns: tuple[Column, ...]

    @property
    def required(self) -> list[str]:
        return [c.key for c in self.columns if c.required]

    @property
    def optional(self) -> list[str]:
        return [c.key for c in self.columns if not c.required]

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def _normalise_header(name: object) -> str:
    """Case, accents' Unicode form, spaces and underscores do not matter in a header."""
    text = unicodedata.normalize("NFC", str(name or "")).replace("\ufeff", "")
    text = re.sub(r"[\s_]+", " ", text).strip().rstrip("*").strip()
    return text.casefold()


def _header_names(spec: TableSpec | None, keys: list[str]) -> dict[str, str]:
    """Every accepted spelling of a header -> the column's code."""
    names = {_normalise_header(k): k for k in keys}
    for column in spec.columns if spec else ():
        names.setdefault(_normalise_header(column.title), column.key)
        names.setdefault(_normalise_header(_(column.title)), column.key)
    return names


def _label(spec: TableSpec | None, key: str) -> str:
    column = spec.column(key) if spec else None
    return f"{_(column.title)} ({key})" if column else key


def read_table(
    source: IO[bytes] | Path | str,
    filename: str,
    required: list[str] | TableSpec,
    optional: list[str] | None = None,
    *,
    max_rows: int | None = None,
) -> list[Row]:
    """Read a CSV (UTF-8, comma or semicolon) or XLSX file into rows of stripped strings.

    ``required`` is a ``TableSpec`` (its Vietnamese titles are accepted as headers) or, as before,
    the list of required codes with ``optional`` beside it."""
    spec: TableSpec | None
    if isinstance(required, TableSpec):
        spec, required_keys, optional_keys = required, required.required, required.optional
    else:
        spec, required_keys, optional_keys = None, list(required), list(optional or [])
    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    name = filename.lower()
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else source.read()
    rows: Iterator[Sequence[object]]
    if name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _read_csv(data)
    else:
        raise TableError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    try:
        header = next(rows)
    except StopIteration:
        raise TableError(_("Tệp trống.")) from None
    names = _header_names(spec, required_keys + optional_keys)
    columns: list[str] = []
    unknown: list[str] = []
    written: dict[str, str] = {}
    for cell in header:
        raw = _cell(cell)
        key = names.get(_normalise_header(raw), "") if raw else ""
        if raw and not key:
            unknown.append(raw)
        elif key in written:
            raise TableError(
                _("Cột “%(column)s” có hai lần (“%(first)s” và “%(second)s”); hãy giữ một cột.")
                % {"column": _label(spec, key), "first": written[key], "second": raw}
            )
        elif key:
            written[key] = raw
        columns.append(key)
    missing = [_label(spec, c) for c in required_keys if c not in written]
    if missing:
        raise TableError(_("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        raise TableError(_("Cột không được hỗ trợ: %(columns)s.") % {"columns": ", ".join(unknown)})
    result = []
    for offset, cells in enumerate(rows, start=2):
        if offset - 1 > max_rows:
            raise TableError(
                _("Tệp có hơn %(max)s dòng; mỗi lần chỉ nhập được tối đa %(max)s dòng, hãy chia nhỏ tệp.")
                % {"max": number_format(max_rows, force_grouping=True)}
            )
        values = {col: _cell(cells[i] if i < len(cells) else None) for i, col in enumerate(columns) if col}
        if any(values.values()):
            result.append(Row(offset, values))
    return result


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = display_day(value)
    return str(value).strip()


def _read_csv(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_("Tệp CSV phải được lưu với mã hoá UTF-8.")) from None
    nul = text.find("\x00")
    if nul >= 0:
        # PostgreSQL refuses a NUL byte in text; no real table has one.
        line = text.count("\n", 0, nul) + text.count("\r", 0, nul) - text.count("\r\n", 0, nul) + 1
        raise TableError(_("Tệp có ký tự không hợp lệ (NUL) ở dòng %(row)s.") % {"row": line})
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    # newline="" lets the csv module read any line ending: \n, \r\n and the old Mac's \r alone.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _csv_rows(reader)


def _csv_rows(reader: Any) -> Iterator[list[str]]:
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            # A field over csv.field_size_limit() (131,072 characters) or a broken quote.
            raise TableError(
                _("Không đọc được dòng %(row)s của tệp CSV (một ô quá dài hoặc dấu ngoặc kép không khớp).")
                % {"row": reader.line_num}
            ) from None


def _read_xlsx(data: bytes) -> Iterator[tuple[object, ...]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableError(_("Không đọc được tệp Excel (.xlsx).")) from None
    return _xlsx_rows(workbook, sheet.iter_rows(values_only=True))


def _xlsx_rows(workbook: Any, rows: Iterable[tuple[object, ...]]) -> Iterator[tuple[object, ...]]:
    """Rows one at a time (read-only mode parses lazily), so reading stops at the cap."""
    try:
        yield from rows
    except TableError:
        raise
    except Exception:  # a damaged sheet fails only when its rows are read
        raise TableError(_("Không đọc được tệp Excel (.xlsx).")) from None
    finally:
        workbook.close()


# --- templates ------------------------------------------------------------------------------------


def template_workbook(spec: TableSpec) -> bytes:
    """The import's template: a data sheet with the Vietnamese column titles (bold, frozen, wide
    enough) and a sheet explaining each column with an example value."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    data = cast("Worksheet", workbook.active)  # a new workbook's one sheet
    data.title = _("Dữ liệu")[:31]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(spec.columns, start=1):
        cell = data.cell(row=1, column=index, value=_(column.title))
        cell.font, cell.fill = bold, fill
        data.column_dimensions[get_column_letter(index)].width = max(column.width, len(_(column.title)) + 4)
    data.freeze_panes = "A2"

    notes = workbook.create_sheet(_("Hướng dẫn")[:31])
    notes.append([_(spec.title)])
    notes["A1"].font = Font(bold=True, size=13)
    notes.append(
        [
            _(
                "Điền dữ liệu ở trang “Dữ liệu”, từ dòng 2, mỗi dòng một mục; giữ nguyên dòng tiêu đề. "
                "Tiêu đề cột có thể là tên tiếng Việt hoặc mã cột. Nếu có dòng lỗi, toàn bộ tệp không "
                "được nhập."
            )
        ]
    )
    notes.append([])
    header = [_("Cột"), _("Mã cột"), _("Bắt buộc"), _("Ví dụ"), _("Ghi chú")]
    notes.append(header)
    for cell in notes[notes.max_row]:
        cell.font, cell.fill = bold, fill
    for column in spec.columns:
        notes.append(
            [
                _(column.title),
                column.key,
                _("Có") if column.required else _("Không"),
                column.example,
                _(column.note) if column.note else "",
            ]
        )
    for letter, width in zip("ABCDE", (30, 16, 10, 26, 70), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=5):
        row[4].alignment = Alignment(wrap_text=True, vertical="top")
    notes.freeze_panes = "A5"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_response(spec: TableSpec) -> HttpResponse:
    response = HttpResponse(template_workbook(spec), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{spec.slug}.xlsx"'
    return response


# Notes shared by several imports.
AGENCY_CODE_NOTE = gettext_noop("Mã cơ quan trong danh bạ của cổng, ví dụ 000.00.31.H29.")
YEAR_NOTE = gettext_noop("Năm bốn chữ số, ví dụ 2027.")
