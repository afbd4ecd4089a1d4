"""Reading CSV and XLSX tables for the imports (agencies, people, PAR Index, staff ratings).

Rows come back as dicts with their spreadsheet row number (the header is row 1), so every
error names the row a person can find in their file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _


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
    """Rows that failed validation; nothing of the file was saved."""

    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


@dataclass
class Row:
    number: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


def _normalise_header(name) -> str:
    return str(name or "").strip().lower().replace(" ", "_").lstrip("\ufeff")


def read_table(
    source: IO[bytes] | Path | str, filename: str, required: list[str], optional: list[str] | None = None
) -> list[Row]:
    """Read a CSV (UTF-8, comma or semicolon) or XLSX file into rows of stripped strings."""
    optional = optional or []
    name = filename.lower()
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else source.read()
    if name.endswith(".xlsx"):
        header, body = _read_xlsx(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        header, body = _read_csv(data)
    else:
        raise TableError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    columns = [_normalise_header(h) for h in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise TableError(_("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)})
    unknown = [c for c in columns if c and c not in required and c not in optional]
    if unknown:
        raise TableError(_("Cột không được hỗ trợ: %(columns)s.") % {"columns": ", ".join(unknown)})
    rows = []
    for offset, cells in enumerate(body, start=2):
        values = {col: _cell(cells[i] if i < len(cells) else None) for i, col in enumerate(columns) if col}
        if any(values.values()):
            rows.append(Row(offset, values))
    return rows


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_csv(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_("Tệp CSV phải được lưu với mã hoá UTF-8.")) from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not reader:
        raise TableError(_("Tệp trống."))
    return reader[0], reader[1:]


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableError(_("Không đọc được tệp Excel (.xlsx).")) from None
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    workbook.close()
    if not rows:
        raise TableError(_("Tệp trống."))
    return list(rows[0]), [list(r) for r in rows[1:]]
