"""A filled score sheet uploaded (``scoring.sheets``): read, never trusted, then saved.

A row whose check code or id was changed, a row of another reviewer's sheet, a row added by hand, a
value above its maximum or with more than two decimals are refused with their cell and candidate
(``Ô D7 (Sở Tư pháp): điểm 12,5 vượt điểm tối đa 10,00.``); a row whose score was saved on the portal
after the sheet was downloaded is refused naming the row (optimistic versioning, as on the review
page). Nothing is written unless the whole file is clean: ``read_score_sheet`` lists what will change
(writes nothing); ``apply_score_sheet`` writes it through ``reviews.save_scores`` (the review page's
own write path: versions checked again under lock, audited).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Criterion
from common.display import number, user_display_name
from common.parsing import ParseError, parse_decimal
from registrations.uploads import XLSX, check_unpacked_size, sniff

from . import reviews
from .models import CriterionScore
from .queries import criterion_label
from .sheets import (
    CONFIRM_MAX_AGE,
    CONFIRM_SALT,
    FIRST_ROW,
    FIXED_COLUMNS,
    MAX_SHEET_BYTES,
    MAX_SHEETS,
    SALT,
    ScoreSheetError,
    agency_title,
    check_titles,
    criteria_by_group,
    scores_of,
    sheet_assignments,
    subject_name,
    titles_in_every_language,
)


@dataclass
class RowChange:
    sheet: str
    row: int
    subject: str
    agency: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (criterion, before, after)


@dataclass
class SheetPreview:
    """What a clean upload would change, and the signed list of entries to confirm."""

    rows: list[RowChange]
    unchanged_rows: int
    token: str

    @property
    def change_count(self) -> int:
        return sum(len(r.changes) for r in self.rows)


def _cell_value(raw) -> str | Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float):
        try:
            return Decimal(repr(raw))
        except InvalidOperation:
            return str(raw)
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, (dt.date, dt.datetime, dt.time)):
        return raw.strftime("%d/%m/%Y")
    return str(raw).strip()


def _shown(value) -> str:
    if isinstance(value, Decimal):
        return number_format(value)
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "…"


def _points(value, criterion: Criterion, ref: str) -> tuple[Decimal | None, str | None]:
    """The cell's points, or the error naming the cell."""
    try:
        points = value if isinstance(value, Decimal) else parse_decimal(value)
    except ParseError:
        return None, _("Ô %(cell)s: “%(value)s” không phải là số (ví dụ 8,5).") % {
            "cell": ref,
            "value": _shown(value),
        }
    if not points.is_finite():
        return None, _("Ô %(cell)s: “%(value)s” không phải là số (ví dụ 8,5).") % {
            "cell": ref,
            "value": value,
        }
    if points < 0:
        return None, _("Ô %(cell)s: điểm %(value)s không được âm.") % {"cell": ref, "value": _shown(points)}
    if points > criterion.max_points:
        return None, _("Ô %(cell)s: điểm %(value)s vượt điểm tối đa %(max)s.") % {
            "cell": ref,
            "value": _shown(points),
            "max": number(criterion.max_points),
        }
    if points != points.quantize(Decimal("0.01")):
        return None, _("Ô %(cell)s: điểm %(value)s có quá 2 chữ số thập phân.") % {
            "cell": ref,
            "value": _shown(points),
        }
    return points.quantize(Decimal("0.01")), None


def _open_workbook(upload):
    """The uploaded file as a read-only workbook, or ScoreSheetError: not XLSX (CSV, PDF, another
    format renamed), too big, a zip bomb, a damaged file."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if not size:
        raise ScoreSheetError([_("Tệp “%(name)s” trống.") % {"name": name}])
    if size > MAX_SHEET_BYTES:
        raise ScoreSheetError(
            [
                _("Tệp “%(name)s” lớn %(size)s, vượt quá giới hạn %(limit)s của phiếu chấm.")
                % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(MAX_SHEET_BYTES)}
            ]
        )
    if sniff(upload) is not XLSX:
        raise ScoreSheetError(
            [
                _(
                    "Tệp “%(name)s” không phải tệp Excel (.xlsx). Hãy tải phiếu chấm điểm từ cổng, điền điểm "
                    "rồi tải lên đúng tệp đó (không lưu sang CSV hay định dạng khác)."
                )
                % {"name": name}
            ]
        )
    try:
        check_unpacked_size(upload)
    except ValidationError as exc:
        raise ScoreSheetError(exc.messages) from None
    from openpyxl import load_workbook

    upload.seek(0)
    try:
        return load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise ScoreSheetError([_("Không đọc được tệp Excel “%(name)s”.") % {"name": name}]) from None


def _read_rows(workbook):
    """(sheet title, fixed columns, check column, [(row number, cells)]) of every score sheet."""
    titles, agency_titles = check_titles(), titles_in_every_language(agency_title)
    found = []
    try:
        for ws in workbook.worksheets[:MAX_SHEETS]:
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                continue
            filled = [i for i, v in enumerate(header) if v not in (None, "")]
            if not filled or str(header[filled[-1]]).strip().casefold() not in titles:
                continue
            check = filled[-1]
            agency = len(header) > 2 and str(header[2] or "").strip().casefold() in agency_titles
            fixed = FIXED_COLUMNS if agency else FIXED_COLUMNS - 1
            if check < fixed + 2:
                continue
            data = []
            for number_, cells in enumerate(rows, start=2):
                if number_ - 1 > settings.IMPORT_MAX_ROWS:
                    raise ScoreSheetError(
                        [
                            _("Trang “%(sheet)s” có hơn %(max)s dòng; phiếu chấm không thể dài như vậy.")
                            % {
                                "sheet": ws.title,
                                "max": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True),
                            }
                        ]
                    )
                data.append((number_, cells))
            found.append((ws.title, fixed, check, data))
    except ScoreSheetError:
        raise
    except Exception:
        raise ScoreSheetError([_("Không đọc được tệp Excel (.xlsx).")]) from None
    finally:
        workbook.close()
    return found


def _stale_message(row_label: str, criterion: Criterion, current: CriterionScore | None, ref: str) -> str:
    when = (
        _(" (lưu lúc %(at)s)") % {"at": date_format(timezone.localtime(current.updated_at), "d/m/Y H:i")}
        if current is not None
        else ""
    )
    return _(
        "%(row)s, ô %(cell)s: điểm tiêu chí “%(criterion)s” đã được sửa trên cổng sau khi tải "
        "phiếu này%(when)s; dòng này bị từ chối để không ghi đè. Hãy tải phiếu mới rồi nhập lại."
    ) % {"row": row_label, "cell": ref, "criterion": criterion_label(criterion), "when": when}


def read_score_sheet(upload, campaign: Campaign, reviewer, *, actor) -> SheetPreview:
    """Check an uploaded score sheet against the reviewer's assignments; nothing is written.
    Raises ScoreSheetError with every refused cell and row (at most IMPORT_MAX_ERRORS listed)."""
    from openpyxl.utils import get_column_letter

    sheets = _read_rows(_open_workbook(upload))
    if not sheets:
        raise ScoreSheetError(
            [
                _(
                    "Tệp không phải phiếu chấm điểm của cổng (không thấy cột mã kiểm tra). "
                    "Hãy tải phiếu chấm "
                    "điểm từ cổng, điền điểm rồi tải lên."
                )
            ]
        )
    assignments = {a.pk: a for a in sheet_assignments(campaign, reviewer)}
    criteria = criteria_by_group({a.target_group_id for a in assignments.values()})
    scores = scores_of(list(assignments))
    many = len(sheets) > 1
    errors: list[str] = []
    seen: dict[int, str] = {}
    changes: list[RowChange] = []
    entries: list[list] = []
    unchanged = 0
    reviewer_name = user_display_name(reviewer)

    for title, fixed, check, data in sheets:
        id_col = check - 1
        crit_cols = list(range(fixed, id_col))

        def where(text: str, _title=title) -> str:
            return (
                _("Trang “%(sheet)s”, %(text)s") % {"sheet": _title, "text": text[:1].lower() + text[1:]}
                if many
                else text
            )

        for row_number, cells in data:
            cells = list(cells) + [None] * (check + 1 - len(cells))
            values = [_cell_value(cells[i]) for i in crit_cols]
            token = _cell_value(cells[check])
            label = Truncator(" ".join(str(cells[1] or "").split())).chars(60)
            row_label = (
                _("Dòng %(row)s (%(subject)s)") % {"row": row_number, "subject": label}
                if label
                else _("Dòng %(row)s") % {"row": row_number}
            )

            def cell(ref: str, subject: str = label) -> str:
                """The cell and the row's candidate: "D4 (Sở Tư pháp)"."""
                return f"{ref} ({subject})" if subject else ref

            if token is None:
                if any(v is not None for v in values) and row_number >= FIRST_ROW:
                    errors.append(
                        where(
                            _(
                                "%(row)s: dòng không có trong phiếu tải từ cổng (không có mã kiểm tra); "
                                "chỉ chấm "
                                "các hồ sơ có sẵn trong phiếu."
                            )
                            % {"row": row_label}
                        )
                    )
                continue
            check_ref = cell(f"{get_column_letter(check + 1)}{row_number}")
            try:
                payload = signing.loads(str(token), salt=SALT)
                a_id, r_id, c_ids, versions = payload["a"], payload["r"], payload["c"], payload["v"]
            except (signing.BadSignature, KeyError, TypeError, ValueError):
                errors.append(
                    where(
                        _("Ô %(cell)s: mã kiểm tra đã bị sửa; hãy dùng phiếu tải từ cổng.")
                        % {"cell": check_ref}
                    )
                )
                continue
            id_value = _cell_value(cells[id_col])
            if id_value is None or str(id_value) != str(a_id):
                errors.append(
                    where(
                        _("Ô %(cell)s: mã phân công đã bị sửa; hãy dùng phiếu tải từ cổng.")
                        % {"cell": cell(f"{get_column_letter(id_col + 1)}{row_number}")}
                    )
                )
                continue
            assignment = assignments.get(a_id)
            if r_id != reviewer.pk or assignment is None:
                errors.append(
                    where(
                        _(
                            "%(row)s: hồ sơ này không được phân công cho %(reviewer)s (hoặc người chấm đã "
                            "khai xung đột lợi ích)."
                        )
                        % {"row": row_label, "reviewer": reviewer_name}
                    )
                )
                continue
            if a_id in seen:
                errors.append(
                    where(_("%(row)s: hồ sơ trùng với %(other)s.") % {"row": row_label, "other": seen[a_id]})
                )
                continue
            seen[a_id] = _("dòng %(row)s") % {"row": row_number}
            crit = criteria.get(assignment.target_group_id, [])
            if (
                [c.pk for c in crit] != list(c_ids)
                or len(crit_cols) != len(crit)
                or len(versions) != len(crit)
            ):
                errors.append(
                    where(
                        _("%(row)s: tiêu chí của kế hoạch đã thay đổi sau khi tải phiếu; hãy tải phiếu mới.")
                        % {"row": row_label}
                    )
                )
                continue
            row_changes = RowChange(
                title, row_number, subject_name(assignment), assignment.registration.agency.name
            )
            row_entries = []
            stale = None
            for col, criterion, value, version in zip(crit_cols, crit, values, versions, strict=True):
                if value is None:
                    continue
                ref = f"{get_column_letter(col + 1)}{row_number}"
                points, error = _points(value, criterion, cell(ref, subject_name(assignment)))
                if error:
                    errors.append(where(error))
                    continue
                current = scores.get((a_id, criterion.pk))
                if current is not None and current.points == points:
                    continue
                if (current.version if current else 0) != version:
                    stale = stale or (criterion, current, ref)
                    continue
                row_changes.changes.append(
                    (
                        criterion_label(criterion),
                        number(current.points) if current else "",
                        number(points),
                    )
                )
                row_entries.append([a_id, criterion.pk, str(points), version, row_number, title])
            if stale is not None:
                errors.append(where(_stale_message(row_label, *stale)))
                continue
            if row_changes.changes:
                changes.append(row_changes)
                entries.extend(row_entries)
            elif any(v is not None for v in values):
                unchanged += 1
    if errors:
        raise ScoreSheetError(errors)
    token = signing.dumps(
        {"c": campaign.pk, "r": reviewer.pk, "u": actor.pk, "e": entries}, salt=CONFIRM_SALT, compress=True
    )
    return SheetPreview(rows=changes, unchanged_rows=unchanged, token=token)


@dataclass
class SheetResult:
    saved: int
    rows: int
    completed: int


def apply_score_sheet(
    token: str, campaign: Campaign, reviewer, *, actor, complete: bool = False
) -> SheetResult:
    """Write a previewed sheet through ``reviews.save_scores`` (all or nothing, versions checked
    again under lock, audited); with ``complete`` the rows whose criteria are all scored are marked
    done, as the review page's "Lưu và hoàn thành"."""
    try:
        payload = signing.loads(token or "", salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        entries = payload["e"]
        same = (payload["c"], payload["r"], payload["u"]) == (campaign.pk, reviewer.pk, actor.pk)
    except (signing.BadSignature, KeyError, TypeError):
        same, entries = False, []
    if not same:
        raise ScoreSheetError([_("Bản xem trước đã hết hạn hoặc không hợp lệ; hãy tải phiếu lên lại.")])
    assignments = {a.pk: a for a in sheet_assignments(campaign, reviewer)}
    criteria = {
        c.pk: c
        for group in criteria_by_group({a.target_group_id for a in assignments.values()}).values()
        for c in group
    }
    scores = scores_of(list(assignments))
    errors, batch, rows = [], [], set()
    for a_id, c_id, points, version, row_number, _sheet in entries:
        assignment, criterion = assignments.get(a_id), criteria.get(c_id)
        current = scores.get((a_id, c_id))
        if assignment is None or criterion is None:
            errors.append(
                _("Dòng %(row)s: hồ sơ không còn được phân công cho người chấm.") % {"row": row_number}
            )
            continue
        if (current.version if current else 0) != version:
            errors.append(
                _(
                    "Dòng %(row)s (%(subject)s): điểm vừa được lưu trên cổng sau khi tải phiếu; dòng bị từ "
                    "chối, chưa có điểm nào được lưu."
                )
                % {"row": row_number, "subject": subject_name(assignment)}
            )
            continue
        rows.add(a_id)
        batch.append(
            reviews.ScoreEntry(
                assignment, criterion, points, current.comment if current else "", version or None
            )
        )
    if errors:
        raise ScoreSheetError(errors)
    on_behalf = actor.pk != reviewer.pk
    try:
        saved = reviews.save_scores(
            batch, actor=actor, on_behalf=on_behalf, note=_("Chấm điểm theo phiếu chấm (tệp Excel)")
        )
        completed = 0
        if complete:
            completed = reviews.complete_scored(list(assignments.values()), actor=actor, on_behalf=on_behalf)
    except reviews.ReviewError as exc:
        raise ScoreSheetError(exc.messages) from None
    return SheetResult(saved=len(saved), rows=len(rows), completed=completed)
