"""Imports of PAR Index results and staff ratings (CSV/XLSX), all or nothing, errors by row number.

Every row's agency must be within the actor's reach (home affairs of it or of a body above it; the
administrator reaches all). ``actor=None`` is the system itself (a management command run without
``--user``): no scope applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency, Person
from agencies.rules import in_reach
from campaigns.models import DEFAULT_PAR_BANDS, Campaign, ParBand, StaffRating, band_for
from common.audit import audit_context
from common.parsing import ParseError, int_param, parse_decimal
from common.tabular import ImportErrors, Row, RowError

from .models import ParIndexResult, StaffRatingRecord

PAR_COLUMNS = ["agency_code", "year", "score"]
PAR_OPTIONAL = ["rating"]
STAFF_COLUMNS = ["agency_code", "person_code", "year", "rating"]
STAFF_OPTIONAL = ["disciplined"]

TRUE_WORDS = {"1", "x", "có", "co", "true", "yes", "đúng"}
FALSE_WORDS = {"", "0", "không", "khong", "false", "no", "sai"}


@dataclass
class ImportSummary:
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        return _("Đã thêm %(c)s, cập nhật %(u)s, giữ nguyên %(n)s dòng.") % {
            "c": self.created,
            "u": self.updated,
            "n": self.unchanged,
        }


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


def out_of_reach(actor, agency: Agency) -> str | None:
    """The row error for an agency the actor does not manage, or None."""
    if actor is None or in_reach(actor, agency):
        return None
    return _("Mã cơ quan “%(code)s” không thuộc phạm vi quản lý của anh/chị.") % {"code": agency.code}


def _year(value: str) -> int | None:
    return int_param(value, minimum=2000, maximum=2100)


def _decimal(value: str) -> Decimal | None:
    try:
        return parse_decimal(value)
    except ParseError:
        return None


def import_par_index(rows: list[Row], *, actor=None, campaign: Campaign | None = None) -> ImportSummary:
    """Create or update ``ParIndexResult`` per agency and year. A missing rating is derived from
    the plan's bands (or the default bands); a given rating must name one of them."""
    bands = bands_for(campaign)
    known = {b.name.casefold(): b.name for b in bands}
    if campaign is None:
        known.update({n.casefold(): n for n in ParBand.objects.values_list("name", flat=True)})
    agencies = {a.code: a for a in Agency.objects.filter(code__in={r["agency_code"] for r in rows})}
    errors: list[RowError] = []
    seen: dict[tuple[str, int], int] = {}
    clean = []
    for row in rows:
        code, year, score, rating = (
            row["agency_code"],
            _year(row["year"]),
            _decimal(row["score"]),
            row["rating"],
        )
        problems = []
        if code not in agencies:
            problems.append(_("không tìm thấy cơ quan có mã “%(code)s”.") % {"code": code})
        elif refused := out_of_reach(actor, agencies[code]):
            problems.append(refused)
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
        if code in agencies and year is not None:
            if (code, year) in seen:
                problems.append(
                    _("cơ quan “%(code)s” năm %(year)s trùng với dòng %(other)s.")
                    % {"code": code, "year": year, "other": seen[(code, year)]}
                )
            seen.setdefault((code, year), row.number)
        errors.extend(RowError(row.number, p) for p in problems)
        if not problems:
            if rating:
                name, given = known[rating.casefold()], True
            else:
                band = band_for(bands, score)
                name, given = (band.name if band else ""), False
            clean.append((agencies[code], year, score, name, given))
    if errors:
        raise ImportErrors(errors)

    existing = {
        (r.agency_id, r.year): r
        for r in ParIndexResult.objects.filter(
            agency__in=[c[0] for c in clean], year__in={c[1] for c in clean}
        )
    }
    created = updated = unchanged = 0
    with transaction.atomic(), audit_context(actor, note=_("Nhập kết quả chỉ số CCHC từ tệp")):
        for agency, year, score, rating, given in clean:
            result = existing.get((agency.pk, year))
            if result is None:
                ParIndexResult.objects.create(
                    agency=agency,
                    year=year,
                    score=score,
                    rating=rating,
                    rating_given=given,
                    imported_by=actor,
                )
                created += 1
            elif (result.score, result.rating, result.rating_given) == (score, rating, given):
                unchanged += 1
            else:
                result.score, result.rating, result.rating_given, result.imported_by = (
                    score,
                    rating,
                    given,
                    actor,
                )
                result.save(update_fields=["score", "rating", "rating_given", "imported_by", "imported_at"])
                updated += 1
    return ImportSummary(created, updated, unchanged)


def _staff_rating(value: str) -> str | None:
    folded = value.strip().casefold()
    for choice in StaffRating:
        if folded in {choice.value, str(choice.label).casefold()}:
            return choice.value
    return None


def import_staff_ratings(rows: list[Row], *, actor=None) -> ImportSummary:
    """Create or update ``StaffRatingRecord`` per person and year (person found by agency and code)."""
    agency_codes = {r["agency_code"] for r in rows}
    people = {
        (p.agency.code, p.code): p
        for p in Person.objects.filter(agency__code__in=agency_codes).select_related("agency")
    }
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    clean = []
    labels = ", ".join(str(c.label) for c in StaffRating)
    for row in rows:
        key = (row["agency_code"], row["person_code"])
        year, rating = _year(row["year"]), _staff_rating(row["rating"])
        flag = row["disciplined"].strip().casefold()
        problems = []
        if key not in people:
            problems.append(
                _("không tìm thấy cá nhân mã “%(person)s” thuộc cơ quan “%(agency)s”.")
                % {"person": key[1], "agency": key[0]}
            )
        elif refused := out_of_reach(actor, people[key].agency):
            problems.append(refused)
        if year is None:
            problems.append(_("năm “%(value)s” không hợp lệ.") % {"value": row["year"]})
        if rating is None:
            problems.append(
                _("xếp loại “%(value)s” không hợp lệ; dùng một trong: %(labels)s.")
                % {"value": row["rating"], "labels": labels}
            )
        if flag not in TRUE_WORDS | FALSE_WORDS:
            problems.append(
                _("cột disciplined “%(value)s” phải là 1/0 hoặc có/không.") % {"value": row["disciplined"]}
            )
        if key in people and year is not None:
            if (key, year) in seen:
                problems.append(
                    _("cá nhân “%(person)s” năm %(year)s trùng với dòng %(other)s.")
                    % {"person": key[1], "year": year, "other": seen[(key, year)]}
                )
            seen.setdefault((key, year), row.number)
        errors.extend(RowError(row.number, p) for p in problems)
        if not problems:
            clean.append((people[key], year, rating, flag in TRUE_WORDS))
    if errors:
        raise ImportErrors(errors)

    existing = {
        (r.person_id, r.year): r
        for r in StaffRatingRecord.objects.filter(
            person__in=[c[0] for c in clean], year__in={c[1] for c in clean}
        )
    }
    created = updated = unchanged = 0
    with transaction.atomic(), audit_context(actor, note=_("Nhập xếp loại cán bộ từ tệp")):
        for person, year, rating, disciplined in clean:
            record = existing.get((person.pk, year))
            if record is None:
                StaffRatingRecord.objects.create(
                    person=person, year=year, rating=rating, disciplined=disciplined
                )
                created += 1
            elif (record.rating, record.disciplined) == (rating, disciplined):
                unchanged += 1
            else:
                record.rating, record.disciplined = rating, disciplined
                record.save(update_fields=["rating", "disciplined", "imported_at"])
                updated += 1
    return ImportSummary(created, updated, unchanged)
