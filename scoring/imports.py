"""Imports of PAR Index results and staff ratings (CSV/XLSX), all or nothing, errors by row number.

Each has a planner (checks every row and says what it would do, writes nothing) and a writer
(plans again in its transaction and writes), as every import does (``common.importing``). Every
row's agency is found and checked by the directory's resolver (``agencies.imports``): it must be
within the actor's reach (home affairs of it or of a body above it; the administrator reaches
all). ``actor=None`` is the system itself (a management command run without ``--user``): no scope
applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.imports import resolve_agencies
from agencies.models import Agency, Person
from campaigns.models import DEFAULT_PAR_BANDS, Campaign, ParBand, StaffRating, band_for
from common.audit import audit_context
from common.display import number
from common.importing import (
    Action,
    ImportPlan,
    ImportSummary,
    PlannedRow,
    TableImport,
    choice_from_text,
    chunks,
    flag_from_text,
)
from common.parsing import ParseError, int_param, parse_decimal
from common.tabular import ImportErrors, Row, RowError

from .import_tables import PAR_TABLE, STAFF_TABLE
from .models import ParIndexResult, StaffRatingRecord

PAR_COLUMNS = PAR_TABLE.required
PAR_OPTIONAL = PAR_TABLE.optional
STAFF_COLUMNS = STAFF_TABLE.required
STAFF_OPTIONAL = STAFF_TABLE.optional


@dataclass(frozen=True)
class _Band:
    name: str
    min_score: Decimal


def bands_for(campaign: Campaign | None) -> list:
    """The plan's PAR bands, or the default ones (Tốt/Khá/Trung bình/Yếu) without a plan."""
    if campaign is not None:
        bands = list(campaign.par_bands.all())
        if bands:
            return bands
    return [_Band(name, min_score) for _code, name, min_score, _order in DEFAULT_PAR_BANDS]


def _year(value: str) -> int | None:
    return int_param(value, minimum=2000, maximum=2100)


def _decimal(value: str) -> Decimal | None:
    try:
        return parse_decimal(value)
    except ParseError:
        return None


def _year_label(year: int) -> str:
    return _("Năm %(year)s") % {"year": year}


def _match_current(planned: list, model, owner: str, fields: tuple[str, ...]) -> None:
    """Find each planned row's record (one per ``owner`` and year) and say whether the row
    creates it, changes it or leaves it as it is."""
    current: dict[tuple[int, int], object] = {}
    years = {p.year for p in planned}
    for chunk in chunks({getattr(p, owner).pk for p in planned}):
        records = model.objects.filter(**{f"{owner}_id__in": chunk}, year__in=years)
        current.update({(getattr(r, f"{owner}_id"), r.year): r for r in records})
    for p in planned:
        p.current = current.get((getattr(p, owner).pk, p.year))
        if p.current is not None:
            same = all(getattr(p.current, f) == getattr(p, f) for f in fields)
            p.action = Action.UNCHANGED if same else Action.UPDATE


def _write(plan: ImportPlan, model, owner: str, fields: tuple[str, ...], **stamp) -> None:
    """Create the plan's new records and update its changed ones (``stamp``: who imported)."""
    for p in plan.of(Action.CREATE):
        values = {f: getattr(p, f) for f in fields}
        model.objects.create(**{owner: getattr(p, owner), "year": p.year}, **values, **stamp)
    for p in plan.of(Action.UPDATE):
        for name, value in [*((f, getattr(p, f)) for f in fields), *stamp.items()]:
            setattr(p.current, name, value)
        p.current.save(update_fields=[*fields, *stamp, "imported_at"])


# --- PAR Index results -------------------------------------------------------------------------------


@dataclass
class PlannedParResult(PlannedRow):
    row: int
    action: str
    agency: Agency
    year: int
    score: Decimal
    rating: str
    rating_given: bool  # False: derived from the bands
    current: ParIndexResult | None = None

    @property
    def shown_name(self) -> str:
        return _year_label(self.year)

    def describe(self) -> str:
        now = _("điểm %(score)s, xếp loại %(rating)s") % {
            "score": number(self.score),
            "rating": self.rating or "–",
        }
        if self.current is None or self.action == Action.UNCHANGED:
            return now
        before = _("điểm %(score)s, xếp loại %(rating)s") % {
            "score": number(self.current.score),
            "rating": self.current.rating or "–",
        }
        return f"{before} → {now}"


PAR_FIELDS = ("score", "rating", "rating_given")


class ParPlan(ImportPlan[PlannedParResult]):
    """Counted in rows (dòng): the import's own sentences are the pipeline's."""


def plan_par_index(rows: list[Row], *, actor=None, campaign: Campaign | None = None) -> ParPlan:
    """Check every row and say what it would do to ``ParIndexResult`` (one per agency and year);
    writes nothing. A missing rating is derived from the plan's bands (or the default bands); a
    given rating must name one of them."""
    bands = bands_for(campaign)
    known = {b.name.casefold(): b.name for b in bands}
    if campaign is None:
        known.update({n.casefold(): n for n in ParBand.objects.values_list("name", flat=True)})
    directory = resolve_agencies(actor, rows)
    errors: list[RowError] = []
    seen: dict[tuple[str, int], int] = {}
    planned: list[PlannedParResult] = []
    for row in rows:
        code, year, score, rating = (
            row["agency_code"],
            _year(row["year"]),
            _decimal(row["score"]),
            row["rating"],
        )
        problems: list[str] = []
        agency = directory.agency(code, problems)
        if year is None:
            problems.append(_("năm “%(value)s” không hợp lệ.") % {"value": row["year"]})
        if score is None or score < 0 or score > 100:
            problems.append(
                _("điểm “%(value)s” không hợp lệ (số từ 0 đến 100, ví dụ 85,25).") % {"value": row["score"]}
            )
        elif score != score.quantize(Decimal("0.01")):
            problems.append(_("điểm “%(value)s” có quá 2 chữ số thập phân.") % {"value": row["score"]})
        if rating and rating.casefold() not in known:
            problems.append(
                _("xếp loại “%(value)s” không có trong kế hoạch; dùng một trong: %(names)s.")
                % {"value": rating, "names": ", ".join(b.name for b in bands)}
            )
        if agency is not None and year is not None:
            if (code, year) in seen:
                problems.append(
                    _("cơ quan “%(code)s” năm %(year)s trùng với dòng %(other)s.")
                    % {"code": code, "year": year, "other": seen[(code, year)]}
                )
            seen.setdefault((code, year), row.number)
        errors.extend(RowError(row.number, p) for p in problems)
        if problems or agency is None or year is None or score is None:
            continue
        if rating:
            name, given = known[rating.casefold()], True
        else:
            band = band_for(bands, score)
            name, given = (band.name if band else ""), False
        planned.append(PlannedParResult(row.number, Action.CREATE, agency, year, score, name, given))
    if errors:
        raise ImportErrors(errors)

    _match_current(planned, ParIndexResult, "agency", PAR_FIELDS)
    return ParPlan(planned)


def import_par_index(rows: list[Row], *, actor=None, campaign: Campaign | None = None) -> ImportSummary:
    """Plan the rows (``plan_par_index``) and write them, all or nothing."""
    with transaction.atomic(), audit_context(actor, note=_("Nhập kết quả chỉ số CCHC từ tệp")):
        plan = plan_par_index(rows, actor=actor, campaign=campaign)
        _write(plan, ParIndexResult, "agency", PAR_FIELDS, imported_by=actor)
    return plan.done()


# --- staff ratings -----------------------------------------------------------------------------------


@dataclass
class PlannedStaffRating(PlannedRow):
    row: int
    action: str
    person: Person
    year: int
    rating: str
    disciplined: bool
    current: StaffRatingRecord | None = None

    def describe(self) -> str:
        parts = [_year_label(self.year), str(StaffRating(self.rating).label)]
        if self.disciplined:
            parts.append(_("bị kỷ luật"))
        return ", ".join(parts)


STAFF_FIELDS = ("rating", "disciplined")


class StaffRatingPlan(ImportPlan[PlannedStaffRating]):
    """Counted in rows (dòng): the import's own sentences are the pipeline's."""


def plan_staff_ratings(rows: list[Row], *, actor=None) -> StaffRatingPlan:
    """Check every row and say what it would do to ``StaffRatingRecord`` (one per person and year;
    the person found by agency and code); writes nothing."""
    directory = resolve_agencies(actor, rows)
    people: dict[tuple[int, str], Person] = {}
    for chunk in chunks({a.pk for a in directory.by_code.values()}):
        people.update(
            {
                (p.agency_id, p.code): p
                for p in Person.objects.filter(
                    agency_id__in=chunk, code__in={r["person_code"] for r in rows}
                ).select_related("agency")
            }
        )
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    planned: list[PlannedStaffRating] = []
    labels = ", ".join(str(c.label) for c in StaffRating)
    for row in rows:
        year, rating = _year(row["year"]), choice_from_text(StaffRating.choices, row["rating"])
        disciplined = flag_from_text(row["disciplined"])
        problems: list[str] = []
        agency = directory.agency(row["agency_code"], problems)
        person = people.get((agency.pk, row["person_code"])) if agency is not None else None
        if agency is not None and person is None:
            problems.append(
                _("không tìm thấy cá nhân mã “%(person)s” thuộc cơ quan “%(agency)s”.")
                % {"person": row["person_code"], "agency": row["agency_code"]}
            )
        if year is None:
            problems.append(_("năm “%(value)s” không hợp lệ.") % {"value": row["year"]})
        if rating is None:
            problems.append(
                _("xếp loại “%(value)s” không hợp lệ; dùng một trong: %(labels)s.")
                % {"value": row["rating"], "labels": labels}
            )
        if disciplined is None:
            problems.append(
                _("cột disciplined “%(value)s” phải là 1/0 hoặc có/không.") % {"value": row["disciplined"]}
            )
        if person is not None and year is not None:
            if (person.pk, year) in seen:
                problems.append(
                    _("cá nhân “%(person)s” năm %(year)s trùng với dòng %(other)s.")
                    % {"person": person.code, "year": year, "other": seen[(person.pk, year)]}
                )
            seen.setdefault((person.pk, year), row.number)
        errors.extend(RowError(row.number, p) for p in problems)
        if problems or person is None or year is None or rating is None or disciplined is None:
            continue
        planned.append(PlannedStaffRating(row.number, Action.CREATE, person, year, rating, disciplined))
    if errors:
        raise ImportErrors(errors)

    _match_current(planned, StaffRatingRecord, "person", STAFF_FIELDS)
    return StaffRatingPlan(planned)


def import_staff_ratings(rows: list[Row], *, actor=None) -> ImportSummary:
    """Plan the rows (``plan_staff_ratings``) and write them, all or nothing."""
    with transaction.atomic(), audit_context(actor, note=_("Nhập xếp loại cán bộ từ tệp")):
        plan = plan_staff_ratings(rows, actor=actor)
        _write(plan, StaffRatingRecord, "person", STAFF_FIELDS)
    return plan.done()


PAR_IMPORT = TableImport("par", PAR_TABLE, plan_par_index, import_par_index)
STAFF_IMPORT = TableImport("staff-ratings", STAFF_TABLE, plan_staff_ratings, import_staff_ratings)
