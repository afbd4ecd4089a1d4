"""Phiếu chấm điểm (XLSX): score offline, upload, checked like the review page.

A reviewer (or home affairs, for a council member who scores on paper) downloads one workbook with
the reviewer's assignments in a plan: a protected sheet per set of criteria (collectives,
individuals, initiatives), one row per candidate, one unlocked column per criterion with its
maximum in the header and Excel's own check (a number from 0 to the maximum, decimals allowed).
Two hidden columns carry the assignment id and a signed check code holding the assignment, the
reviewer, the criteria and the version of every saved score at download time.

The upload is read, never trusted: a row whose check code or id was changed, a row of another
reviewer's sheet, a row added by hand, a value above its maximum or with more than two decimals are
refused with their cell and candidate
(``Ô D7 (Sở Tư pháp): điểm 12,5 vượt điểm tối đa 10,00.``); a row whose score was saved
on the portal after the sheet was downloaded is refused naming the row (optimistic versioning, as on
the review page). Nothing is written unless the whole file is clean. The preview lists what will
change; confirming writes through ``reviews.save_scores`` (the review page's own write path:
versions checked again under lock, audited).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from campaigns.models import Campaign, Criterion, TargetGroupKind
from common.display import number, user_display_name
from common.parsing import ParseError, parse_decimal
from common.spreadsheets import FormColumn, FormSheet, form_workbook
from registrations.uploads import XLSX, check_unpacked_size, sniff

from . import reviews
from .models import CriterionScore, ReviewAssignment

SALT = "scoring.score-sheet"
CONFIRM_SALT = "scoring.score-sheet.confirm"
CONFIRM_MAX_AGE = 2 * 60 * 60  # a preview may be confirmed within two hours
MAX_SHEET_BYTES = 5 * 1024 * 1024
MAX_SHEETS = 50
FIXED_COLUMNS = 3  # STT, hồ sơ, cơ quan (people and initiatives; a collective is its agency: 2)
SHEET_TITLE_MAX = 31  # Excel's limit
HEADER_TEXT_MAX = 80  # longer criterion texts are cut at a word in the header, in full in its comment
FIRST_ROW = 3  # row 1: titles, row 2: maxima


class ScoreSheetError(Exception):
    """The file or its rows were refused; ``errors`` are Vietnamese lines naming cells and rows."""

    def __init__(self, errors: list[str], total: int | None = None):
        super().__init__("\n".join(errors))
        self.total = max(total or 0, len(errors))
        self.errors = errors[: settings.IMPORT_MAX_ERRORS]

    @property
    def hidden(self) -> int:
        return self.total - len(self.errors)


def _check_title() -> str:
    return _("Mã kiểm tra (không sửa)")


def _id_title() -> str:
    return _("Mã phân công (không sửa)")


def _agency_title() -> str:
    return _("Cơ quan")


def _titles(make) -> set[str]:
    titles = set()
    for code, _name in settings.LANGUAGES:
        with override(code):
            titles.add(make().casefold())
    return titles


def _check_titles() -> set[str]:
    return _titles(_check_title)


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…" when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and not text[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–") + "…"


def sheet_title(name: str, used: set[str]) -> str:
    """A worksheet name within Excel's 31 characters, cut at a word, unique (case-insensitive) among
    ``used`` (which it extends); characters Excel refuses in sheet names are replaced."""
    name = "".join("-" if ch in "[]:*?/\\" else ch for ch in str(name)).strip("' ") or _("Trang")
    title, n = shorten(name, SHEET_TITLE_MAX), 1
    while title.casefold() in used:
        n += 1
        suffix = f" ({n})"
        title = shorten(name, SHEET_TITLE_MAX - len(suffix)) + suffix
    used.add(title.casefold())
    return title


# --- who and what ----------------------------------------------------------------------------------


def sheet_assignments(campaign: Campaign, reviewer) -> QuerySet[ReviewAssignment]:
    """The reviewer's assignments in the plan that can be scored (no declared conflict)."""
    return (
        ReviewAssignment.objects.filter(
            reviewer=reviewer, registration__campaign=campaign, conflict_declared=False
        )
        .select_related(
            "registration__agency",
            "registration__round",
            "registration__campaign__issuer",
            "individual__person",
            "initiative",
            "target_group",
            "reviewer",
        )
        .order_by("target_group__order", "target_group_id", "registration__agency__code", "pk")
    )


def may_use_sheet(campaign: Campaign, user, reviewer) -> bool:
    """The reviewer for their own assignments; home affairs of the plan for any of its reviewers."""
    from agencies.rules import has_perm

    if reviewer is None or not getattr(user, "is_authenticated", False):
        return False
    if not ReviewAssignment.objects.filter(reviewer=reviewer, registration__campaign=campaign).exists():
        return False
    if reviewer.pk == user.pk:
        return True
    return has_perm(user, "scoring.manage_results", campaign) and (
        reviews.reviewers_for(campaign).filter(pk=reviewer.pk).exists()
    )


def subject_name(assignment: ReviewAssignment) -> str:
    if assignment.initiative_id:
        return assignment.initiative.title
    if assignment.individual_id:
        return assignment.individual.person.full_name
    return assignment.registration.agency.name


def _criteria_by_group(group_ids) -> dict[int, list[Criterion]]:
    result: dict[int, list[Criterion]] = {g: [] for g in group_ids}
    for criterion in Criterion.objects.filter(target_group__in=group_ids, is_gate=False).order_by(
        "target_group", "order", "pk"
    ):
        result[criterion.target_group_id].append(criterion)
    return result


def _scores_of(assignment_ids) -> dict[tuple[int, int], CriterionScore]:
    return {
        (s.assignment_id, s.criterion_id): s
        for s in CriterionScore.objects.filter(assignment__in=assignment_ids)
    }


def criterion_title(index: int, criterion: Criterion) -> str:
    return _("%(n)s. %(text)s (tối đa %(max)s)") % {
        "n": index,
        "text": shorten(criterion.text, HEADER_TEXT_MAX),
        "max": number(criterion.max_points),
    }


def _criterion_note(criterion: Criterion) -> str:
    """The full text in the header's comment when the header had to cut it."""
    text = " ".join(criterion.text.split())
    return text if len(text) > HEADER_TEXT_MAX else ""


def _fixed_columns(group) -> int:
    """STT, hồ sơ and cơ quan; a collective's candidate is its agency, named once."""
    return 2 if group.kind == TargetGroupKind.COLLECTIVE else FIXED_COLUMNS


# --- download ----------------------------------------------------------------------------------------


def build_score_sheet(campaign: Campaign, reviewer) -> bytes:
    """The reviewer's score sheet: a protected sheet per set of criteria, saved scores filled in."""
    assignments = list(sheet_assignments(campaign, reviewer))
    groups = {}
    for a in assignments:
        groups.setdefault(a.target_group_id, (a.target_group, []))[1].append(a)
    criteria = _criteria_by_group(list(groups))
    scores = _scores_of([a.pk for a in assignments])
    sheets = []
    used_titles: set[str] = {_("Hướng dẫn").casefold()}
    for group, items in groups.values():
        crit = criteria[group.pk]
        fixed = _fixed_columns(group)
        columns = [
            FormColumn(_("STT"), width=6),
            FormColumn(_("Hồ sơ"), width=40),
            *([FormColumn(_agency_title(), width=32)] if fixed == FIXED_COLUMNS else []),
            *(
                FormColumn(
                    criterion_title(i, c),
                    width=18,
                    editable=True,
                    maximum=c.max_points,
                    number_format="0.00",
                    note=_criterion_note(c),
                )
                for i, c in enumerate(crit, 1)
            ),
            FormColumn(_id_title(), width=12, hidden=True),
            FormColumn(_check_title(), width=30, hidden=True),
        ]
        subheader = ["", _("Điểm tối đa"), *[""] * (fixed - 2), *(c.max_points for c in crit), "", ""]
        rows = []
        for n, a in enumerate(items, 1):
            saved = [scores.get((a.pk, c.pk)) for c in crit]
            token = signing.dumps(
                {
                    "a": a.pk,
                    "r": reviewer.pk,
                    "c": [c.pk for c in crit],
                    "v": [s.version if s else 0 for s in saved],
                },
                salt=SALT,
                compress=True,
            )
            rows.append(
                [
                    n,
                    subject_name(a),
                    *([a.registration.agency.name] if fixed == FIXED_COLUMNS else []),
                    *(s.points if s else None for s in saved),
                    a.pk,
                    token,
                ]
            )
        sheets.append(
            FormSheet(
                title=sheet_title(group.name, used_titles),
                columns=columns,
                rows=rows,
                subheader=subheader,
                frozen_columns=fixed,
                error_title=_("Điểm không hợp lệ"),
                error_message=_("Nhập một số từ %(min)s đến %(max)s (có thể có phần thập phân)."),
            )
        )
    notes = [
        _("Phiếu chấm điểm: %(campaign)s") % {"campaign": campaign.title},
        _("Người chấm: %(name)s. Tải về lúc %(at)s.")
        % {"name": user_display_name(reviewer), "at": date_format(timezone.localtime(), "d/m/Y H:i")},
        _(
            "Mỗi trang là một bộ tiêu chí; mỗi dòng là một hồ sơ được phân công. Chỉ điền điểm vào các ô "
            "màu vàng, từ 0 đến điểm tối đa ghi ở tiêu đề cột (dấu phẩy hoặc dấu chấm thập phân, tối đa 2 "
            "chữ số thập phân). Ô để trống là tiêu chí chưa chấm."
        ),
        _(
            "Không thêm, xóa hay sửa tên hồ sơ và các cột ẩn: cổng đối chiếu từng dòng với phân công của "
            "người chấm. Nếu điểm của một hồ sơ được sửa trên cổng sau khi tải phiếu này, dòng đó sẽ bị từ "
            "chối; hãy tải phiếu mới."
        ),
        _("Tải phiếu đã điền lên cổng (Chấm điểm → Phiếu chấm điểm), xem trước rồi xác nhận để lưu."),
    ]
    return form_workbook(*sheets, notes=notes, notes_title=_("Hướng dẫn"))


def sheet_filename(campaign: Campaign, reviewer) -> str:
    return f"phieu-cham-{campaign.code}-{slugify(reviewer.get_username()) or reviewer.pk}.xlsx"


# --- upload --------------------------------------------------------------------------------------------


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
    from openpyxl.utils import get_column_letter  # noqa: F401  (used by callers through refs)

    titles, agency_titles = _check_titles(), _titles(_agency_title)
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
    ) % {"row": row_label, "cell": ref, "criterion": reviews.criterion_label(criterion), "when": when}


def read_score_sheet(upload, campaign: Campaign, reviewer, actor) -> SheetPreview:
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
    criteria = _criteria_by_group({a.target_group_id for a in assignments.values()})
    scores = _scores_of(list(assignments))
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
                        reviews.criterion_label(criterion),
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
    token: str, campaign: Campaign, reviewer, actor, *, complete: bool = False
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
        for group in _criteria_by_group({a.target_group_id for a in assignments.values()}).values()
        for c in group
    }
    scores = _scores_of(list(assignments))
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
            batch, actor, on_behalf=on_behalf, note=_("Chấm điểm theo phiếu chấm (tệp Excel)")
        )
        completed = 0
        if complete:
            completed = reviews.complete_scored(list(assignments.values()), actor, on_behalf=on_behalf)
    except reviews.ReviewError as exc:
        raise ScoreSheetError(exc.messages) from None
    return SheetResult(saved=len(saved), rows=len(rows), completed=completed)


def reviewer_choices(campaign: Campaign) -> QuerySet:
    """Reviewers of the plan who have assignments in it, for home affairs' choice."""
    return (
        get_user_model()
        .objects.filter(
            pk__in=ReviewAssignment.objects.filter(registration__campaign=campaign).values("reviewer"),
        )
        .filter(pk__in=reviews.reviewers_for(campaign).values("pk"))
        .order_by("last_name", "first_name", "username")
    )
