"""Exports of the computed results (CSV, XLSX): one row per candidate and award form, deterministic."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import F

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


def _plain(value) -> str:
    return "" if value is None else str(value)


def rows(run: ResultRun) -> Iterator[list[str]]:
    year = run.round.year
    for r in ordered_results(run).iterator(chunk_size=2000):
        yield [
            r.bloc.code if r.bloc_id else "",
            _plain(r.rank_in_bloc),
            r.kind,
            r.agency.code,
            r.person.full_name if r.person_id else "",
            _plain(r.par_year),
            _plain(r.par_score),
            r.par_rating,
            _plain(r.total_score),
            "1" if r.eligible else "0",
            "1" if r.proposed else "0",
            r.award_form.code,
            " ".join(explain(r, r.award_form, r.bloc.name if r.bloc_id else "", year)),
            # A tie at the cut-off: neither proposed nor cut, the council decides (appended last: the
            # columns before it keep their places for existing readers).
            "1" if r.tie_at_cutoff else "0",
        ]


def export_csv(run: ResultRun) -> bytes:
    """UTF-8 with BOM (Excel opens Vietnamese), CRLF line ends, fixed order: same inputs, same bytes."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(run))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(run: ResultRun) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ket-qua")
    sheet.append(COLUMNS)
    numeric = {"rank_in_bloc", "par_year", "par_score", "total_score"}
    for row in rows(run):
        sheet.append(
            [
                (float(v) if "." in v else int(v)) if c in numeric and v else v
                for c, v in zip(COLUMNS, row, strict=True)
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
