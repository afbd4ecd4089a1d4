"""Exports of the computed results (CSV, XLSX): one row per candidate and award form, deterministic.

The CSV is a machine interface (codes, fixed column names); the XLSX is for people (Vietnamese
titles, names). Both are written by ``common.spreadsheets``, which neutralises formula starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from common.spreadsheets import Column, Sheet, csv_bytes, xlsx_bytes

from .explain import explain
from .models import CandidateResult, ResultRun

COLUMNS = [
    "bloc",
    "rank_in_bloc",
    "candidate_kind",
    "agency_code",
    "person_name",
    "par_year",
    "par_score",
    "par_rating",
    "total_score",
    "eligible",
    "proposed",
    "award_form",
    "reasons",
    "council_decides",
]


def ordered_results(run: ResultRun, bloc=None):
    """Results in a stable order: bloc, award form, kind, rank (unranked last), agency and person code."""
    qs = CandidateResult.objects.filter(run=run)
    if bloc is not None:
        qs = qs.filter(bloc=bloc)
    return qs.select_related("award_form", "award_form__min_par_band", "bloc", "agency", "person").order_by(
        F("bloc__order").asc(nulls_last=True),
        F("bloc__code").asc(nulls_last=True),
        "award_form__order",
        "award_form__code",
        "kind",
        F("rank_in_bloc").asc(nulls_last=True),
        "agency__code",
        F("person__code").asc(nulls_first=True),
        "pk",
    )


def _reasons(r: CandidateResult, year: int) -> list[str]:
    return explain(r, r.award_form, r.bloc.name if r.bloc else "", year)


def rows(run: ResultRun, *, for_people: bool = False) -> Iterator[list[Any]]:
    """The rows as values (numbers, booleans): codes and the reasons on one line for the CSV; for
    people (``for_people``, the XLSX) names, the agency's name beside its code, one reason per line.
    Text cells are neutralised when written."""
    year = run.round.year
    for r in ordered_results(run).iterator(chunk_size=2000):
        reasons = _reasons(r, year)
        agency = [r.agency.code, r.agency.name] if for_people else [r.agency.code]
        yield [
            (r.bloc.name if for_people else r.bloc.code) if r.bloc_id else "",
            r.rank_in_bloc,
            r.get_kind_display() if for_people else r.kind,
            *agency,
            r.person.full_name if r.person_id else "",
            r.par_year,
            r.par_score,
            r.par_rating,
            r.total_score,
            r.eligible,
            r.proposed,
            r.award_form.name if for_people else r.award_form.code,
            ("\n" if for_people else " ").join(reasons),
            # A tie at the cut-off: neither proposed nor cut, the council decides (appended last: the
            # columns before it keep their places for existing readers).
            r.tie_at_cutoff,
        ]


def export_csv(run: ResultRun) -> bytes:
    """UTF-8 with BOM, CRLF line ends, fixed order: same inputs, same bytes."""
    return csv_bytes(COLUMNS, rows(run))


def xlsx_columns() -> list[Column]:
    return [
        Column(_("Khối")),
        Column(_("Hạng trong khối"), width=10, number_format="0"),
        Column(_("Loại ứng viên")),
        Column(_("Mã cơ quan")),
        Column(_("Cơ quan"), width=40),
        Column(_("Cá nhân"), width=28),
        Column(_("Năm chỉ số CCHC"), width=10, number_format="0"),
        Column(_("Điểm chỉ số CCHC"), width=10, number_format="0.00"),
        Column(_("Xếp loại chỉ số CCHC")),
        Column(_("Tổng điểm"), width=10, number_format="0.00"),
        Column(_("Đủ điều kiện"), width=10),
        Column(_("Được đề nghị"), width=10),
        Column(_("Hình thức khen thưởng"), width=30),
        Column(_("Giải thích"), width=90, wrap=True),
        Column(_("Bằng điểm tại ngưỡng: Hội đồng quyết định"), width=14),
    ]


def export_xlsx(run: ResultRun) -> bytes:
    title = _("Kết quả %(year)s") % {"year": run.round.year}
    return xlsx_bytes(Sheet(title, xlsx_columns(), rows(run, for_people=True)))
