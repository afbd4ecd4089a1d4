"""Phiếu chấm điểm (XLSX): score offline, upload, checked like the review page.

A reviewer (or home affairs, for a council member who scores on paper) downloads one workbook with
the reviewer's assignments in a plan: a protected sheet per set of criteria (collectives,
individuals, initiatives), one row per candidate, one unlocked column per criterion with its
maximum in the header and Excel's own check (a number from 0 to the maximum, decimals allowed).
Two hidden columns carry the assignment id and a signed check code holding the assignment, the
reviewer, the criteria and the version of every saved score at download time.

This module is the sheet's layout and its download; reading an upload and saving it is
``scoring.sheet_upload``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from campaigns.models import Campaign, Criterion, TargetGroup, TargetGroupKind
from common.display import number, user_display_name
from common.errors import PortalError
from common.spreadsheets import FormColumn, FormSheet, form_workbook

from .models import CriterionScore, ReviewAssignment
from .queries import reviewers_for

SALT = "scoring.score-sheet"
CONFIRM_SALT = "scoring.score-sheet.confirm"
CONFIRM_MAX_AGE = 2 * 60 * 60  # a preview may be confirmed within two hours
MAX_SHEET_BYTES = 5 * 1024 * 1024
MAX_SHEETS = 50
FIXED_COLUMNS = 3  # STT, hồ sơ, cơ quan (people and initiatives; a collective is its agency: 2)
SHEET_TITLE_MAX = 31  # Excel's limit
HEADER_TEXT_MAX = 80  # longer criterion texts are cut at a word in the header, in full in its comment
FIRST_ROW = 3  # row 1: titles, row 2: maxima


class ScoreSheetError(PortalError):
    """The file or its rows were refused; ``errors`` are Vietnamese lines naming cells and rows (at
    most ``IMPORT_MAX_ERRORS`` of them; ``hidden`` counts the others)."""

    def __init__(self, errors: list[str], total: int | None = None):
        self.total = max(total or 0, len(errors))
        self.errors = errors[: settings.IMPORT_MAX_ERRORS]
        super().__init__(self.errors)

    @property
    def hidden(self) -> int:
        return self.total - len(self.errors)


def check_title() -> str:
    return _("Mã kiểm tra (không sửa)")


def id_title() -> str:
    return _("Mã phân công (không sửa)")


def agency_title() -> str:
    return _("Cơ quan")


def titles_in_every_language(make) -> set[str]:
    titles = set()
    for code, _name in settings.LANGUAGES:
        with override(code):
            titles.add(make().casefold())
    return titles


def check_titles() -> set[str]:
    return titles_in_every_language(check_title)


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


def subject_name(assignment: ReviewAssignment) -> str:
    if assignment.initiative is not None:
        return assignment.initiative.title
    if assignment.individual is not None:
        return assignment.individual.person.full_name
    return assignment.registration.agency.name


def criteria_by_group(group_ids) -> dict[int, list[Criterion]]:
    result: dict[int, list[Criterion]] = {g: [] for g in group_ids}
    for criterion in Criterion.objects.filter(target_group__in=group_ids, is_gate=False).order_by(
        "target_group", "order", "pk"
    ):
        result[criterion.target_group_id].append(criterion)
    return result


def scores_of(assignment_ids) -> dict[tuple[int, int], CriterionScore]:
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
    groups: dict[int, tuple[TargetGroup, list[ReviewAssignment]]] = {}
    for a in assignments:
        groups.setdefault(a.target_group_id, (a.target_group, []))[1].append(a)
    criteria = criteria_by_group(list(groups))
    scores = scores_of([a.pk for a in assignments])
    sheets = []
    used_titles: set[str] = {_("Hướng dẫn").casefold()}
    for group, items in groups.values():
        crit = criteria[group.pk]
        fixed = _fixed_columns(group)
        columns = [
            FormColumn(_("STT"), width=6),
            FormColumn(_("Hồ sơ"), width=40),
            *([FormColumn(agency_title(), width=32)] if fixed == FIXED_COLUMNS else []),
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
            FormColumn(id_title(), width=12, hidden=True),
            FormColumn(check_title(), width=30, hidden=True),
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


def reviewer_choices(campaign: Campaign) -> QuerySet:
    """Reviewers of the plan who have assignments in it, for home affairs' choice."""
    return (
        get_user_model()
        .objects.filter(
            pk__in=ReviewAssignment.objects.filter(registration__campaign=campaign).values("reviewer"),
        )
        .filter(pk__in=reviewers_for(campaign).values("pk"))
        .order_by("last_name", "first_name", "username")
    )
