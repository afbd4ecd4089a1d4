"""The one writer of every CSV and XLSX file the portal exports (results, registrations, initiatives, ...).

Every export goes through here so that two things hold everywhere:

- Formula injection (CSV injection): a text cell that starts with ``= + - @`` (or a tab or carriage
  return, or their full-width forms) is opened by Excel and LibreOffice as a formula, so a name or
  title such as ``=HYPERLINK(...)`` typed by an agency would run on the reviewer's machine. Such text
  gets a leading apostrophe (OWASP's advice); in XLSX every text cell is also stored as text, never
  as a formula. Numbers, dates and booleans are values, never text, so a negative number stays a
  number.
- Every XLSX looks alike: a bold frozen header with an autofilter, column widths that fit the
  titles and values, real dates shown dd/mm/yyyy, Có/Không for booleans, decimals with their places.

CSV files are machine interfaces (codes, ISO dates, ``1``/``0``); XLSX files are for people.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .display import number

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What Excel/LibreOffice/Google Sheets read as the start of a formula (OWASP "CSV Injection"),
# with the full-width forms that East Asian Excel builds also accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MIN_WIDTH = 8
MAX_WIDTH = 60
WIDTH_SAMPLE = 200  # rows looked at to size the columns (the file is streamed, widths come first)


def safe_text(value: str) -> str:
    """Text that no spreadsheet will run as a formula: a leading apostrophe before a formula start."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# --- CSV ---------------------------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe_text(str(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with BOM (Excel opens Vietnamese), CRLF line ends, text neutralised; same rows, same bytes."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_text(str(h)) for h in header])
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- XLSX --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an XLSX sheet: its Vietnamese title, and optionally a width (in characters),
    a number format (e.g. ``"0.00"``) and whether long text wraps."""

    title: str
    width: int | None = None
    number_format: str | None = None
    wrap: bool | None = None


@dataclass(frozen=True)
class Sheet:
    """A sheet to write: its name (at most 31 characters), its columns and its rows of plain values."""

    title: str
    columns: Sequence[Column | str]
    rows: Iterable[Sequence[Any]]


def _display_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, bool):
        return 5
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def _widths(columns: Sequence[Column], sample: list[Sequence[Any]]) -> list[int]:
    widths = []
    for i, column in enumerate(columns):
        if column.width:
            widths.append(column.width)
            continue
        longest = max([len(column.title) + 3, *(_display_length(row[i]) + 2 for row in sample)])
        widths.append(min(max(longest, MIN_WIDTH), MAX_WIDTH))
    return widths


def _decimal_format(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0." + "0" * places if places else "0"


class _SheetWriter:
    """Appends typed rows to a write-only sheet; styles are shared objects (openpyxl copies them once)."""

    def __init__(self, workbook: Workbook, sheet: Sheet) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter

        self.columns = [c if isinstance(c, Column) else Column(str(c)) for c in sheet.columns]
        rows = iter(sheet.rows)
        sample = list(itertools.islice(rows, WIDTH_SAMPLE))
        widths = _widths(self.columns, sample)
        self.ws = workbook.create_sheet(sheet.title[:31])
        for i, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        # Wrap what does not fit its column (reasons, descriptions), and what the caller asks to wrap.
        self.wrap = [
            c.wrap if c.wrap is not None else any(_display_length(row[i]) > w for row in sample)
            for i, (c, w) in enumerate(zip(self.columns, widths, strict=True))
        ]
        self.wrap_alignment = Alignment(wrap_text=True, vertical="top")
        self.ws.freeze_panes = "A2"
        self.header_font = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor="DDE4EE")
        self.header_alignment = Alignment(wrap_text=True, vertical="center")
        self.last_column = get_column_letter(max(len(self.columns), 1))
        self.count = 0
        self._append_header()
        for row in itertools.chain(sample, rows):
            self._append(row)
        self.ws.auto_filter.ref = f"A1:{self.last_column}{self.count + 1}"

    def _cell(self, value: Any, column: Column, wrap: bool) -> Cell:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cell = WriteOnlyCell(self.ws)
        if value is None:
            return cell
        if isinstance(value, bool):
            value = _("Có") if value else _("Không")
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):  # Excel has no time zones: the Vietnam wall-clock time
                value = timezone.localtime(value).replace(tzinfo=None)
            cell.value = value
            cell.number_format = column.number_format or DATETIME_FORMAT
        elif isinstance(value, dt.date):
            cell.value = value
            cell.number_format = column.number_format or DATE_FORMAT
        elif isinstance(value, (int, float, Decimal)):
            cell.value = value
            if column.number_format:
                cell.number_format = column.number_format
            elif isinstance(value, Decimal):
                cell.number_format = _decimal_format(value)
        else:
            # Control characters pasted into a text are not allowed in XLSX: dropped, not a crash.
            cell.value = safe_text(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
            cell.data_type = "s"  # text is text: openpyxl would store a leading "=" as a formula
            if wrap:
                cell.alignment = self.wrap_alignment
        return cell

    def _append_header(self) -> None:
        from openpyxl.cell import WriteOnlyCell

        header = []
        for column in self.columns:
            cell = WriteOnlyCell(self.ws, safe_text(column.title))
            cell.data_type = "s"
            cell.font = self.header_font
            cell.fill = self.header_fill
            cell.alignment = self.header_alignment
            header.append(cell)
        self.ws.append(header)

    def _append(self, row: Sequence[Any]) -> None:
        if len(row) != len(self.columns):
            raise ValueError(f"row of {len(row)} values for {len(self.columns)} columns")
        self.ws.append([self._cell(v, c, w) for v, c, w in zip(row, self.columns, self.wrap, strict=True)])
        self.count += 1


def xlsx_bytes(*sheets: Sheet) -> bytes:
    """A workbook of the given sheets, streamed (write-only: rows are not kept in memory)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _SheetWriter(workbook, sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- forms to fill offline (score sheets) -------------------------------------------------------


@dataclass(frozen=True)
class FormColumn:
    """A column of a sheet people fill offline. Cells are locked (the sheet is protected) unless
    ``editable``; an editable column with ``maximum`` accepts only numbers from ``minimum`` to
    ``maximum`` (decimals allowed: Excel's data validation, checked again on upload); a ``hidden``
    column carries what the upload needs (ids, versions) out of the way; a ``note`` is the header's
    cell comment (the full text of a title that was shortened)."""

    title: str
    width: int | None = None
    editable: bool = False
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    hidden: bool = False
    number_format: str | None = None
    note: str = ""


@dataclass(frozen=True)
class FormSheet:
    """A protected sheet: a header row, an optional locked second row (``subheader``, e.g. each
    criterion's maximum), then the rows. ``frozen_columns`` stay visible while scrolling right."""

    title: str
    columns: Sequence[FormColumn]
    rows: Sequence[Sequence[Any]]
    subheader: Sequence[Any] | None = None
    frozen_columns: int = 0
    error_title: str = ""
    error_message: str = ""  # "%(min)s" and "%(max)s" are filled per column (decimal comma)


def _form_value(value: Any) -> Any:
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return safe_text(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return value


def _shown_number(value: Decimal | int | float) -> str:
    """A bound in a message people read: the decimal comma ("20,00"), a whole number as it is."""
    return number(value) if isinstance(value, Decimal) or value % 1 else str(value)


def _write_form_sheet(workbook: Workbook, sheet: FormSheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = workbook.create_sheet(sheet.title[:31])
    bold, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    locked_fill, open_fill = PatternFill("solid", fgColor="F2F2F2"), PatternFill("solid", fgColor="FFF9DB")
    wrap = Alignment(wrap_text=True, vertical="center")
    unlocked = Protection(locked=False)
    first = 3 if sheet.subheader is not None else 2
    last = first + max(len(sheet.rows), 1) - 1
    for index, column in enumerate(sheet.columns, 1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=_form_value(column.title))
        cell.data_type = "s"
        cell.font, cell.fill, cell.alignment = bold, header_fill, wrap
        if column.note:
            from openpyxl.comments import Comment

            cell.comment = Comment(_form_value(column.note), "")
            cell.comment.width, cell.comment.height = 320, 160
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width or min(max(len(column.title) + 3, MIN_WIDTH), MAX_WIDTH)
        dimension.hidden = column.hidden
        if sheet.subheader is not None:
            sub = ws.cell(row=2, column=index, value=_form_value(sheet.subheader[index - 1]))
            sub.font, sub.fill = Font(italic=True), header_fill
            if column.number_format and isinstance(sheet.subheader[index - 1], (int, Decimal, float)):
                sub.number_format = column.number_format
        if column.editable and column.maximum is not None:
            minimum = column.minimum if column.minimum is not None else 0
            validation = DataValidation(
                type="decimal",
                operator="between",
                formula1=str(minimum),
                formula2=str(column.maximum),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=sheet.error_title or None,
                error=(
                    sheet.error_message
                    % {"min": _shown_number(minimum), "max": _shown_number(column.maximum)}
                )
                or None,
            )
            validation.add(f"{letter}{first}:{letter}{last}")
            ws.add_data_validation(validation)
    ws.row_dimensions[1].height = 60
    for offset, row in enumerate(sheet.rows):
        if len(row) != len(sheet.columns):
            raise ValueError(f"row of {len(row)} values for {len(sheet.columns)} columns")
        for index, (value, column) in enumerate(zip(row, sheet.columns, strict=True), 1):
            cell = ws.cell(row=first + offset, column=index, value=_form_value(value))
            if isinstance(value, str):
                cell.data_type = "s"
            if column.number_format:
                cell.number_format = column.number_format
            if column.editable:
                cell.protection, cell.fill = unlocked, open_fill
            elif not column.hidden:
                cell.fill = locked_fill
    ws.freeze_panes = ws.cell(row=first, column=sheet.frozen_columns + 1).coordinate
    # Locked cells cannot be changed, nor columns inserted or deleted; widths and heights may be.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def form_workbook(*sheets: FormSheet, notes: Sequence[str] = (), notes_title: str = "") -> bytes:
    """A workbook of protected sheets to fill offline (score sheets), with a sheet of notes first
    when ``notes`` are given. Text is neutralised like every export."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(cast("Worksheet", workbook.active))  # the new workbook's empty sheet
    for sheet in sheets:
        _write_form_sheet(workbook, sheet)
    if notes:
        guide = workbook.create_sheet((notes_title or _("Hướng dẫn"))[:31])
        for line in notes:
            guide.append([_form_value(line)])
            guide.cell(row=guide.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        guide["A1"].font = Font(bold=True, size=13)
        guide.column_dimensions["A"].width = 110
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def spreadsheet_response(data: bytes, filename: str) -> HttpResponse:
    """A download of an export (``.csv`` or ``.xlsx``); the file name is ASCII (codes, years)."""
    content_type = CSV_CONTENT_TYPE if filename.endswith(".csv") else XLSX_CONTENT_TYPE
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
