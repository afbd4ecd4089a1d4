"""Kiến nghị xử lý người đứng đầu: the plan's warning rule (``campaigns.WarningRule``), applied to the
agencies of its blocs.

Seed 002 (Quyết định 4000/QĐ-UBND): the head is flagged when the agency's PAR rating is "Khá" or lower
two years running and it fell in rank within its bloc, or when it is rated "Trung bình" in the year.
Which bands, how many years and whether the fall in rank is needed are the plan's data.

Ratings, ranks (``RANK()`` per bloc and year, by PAR score, high to low) and the decision are computed
in the database; Python only words the reasons of the agencies flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from agencies.models import Agency
from campaigns.models import Bloc, Campaign
from common.spreadsheets import Column, Sheet, csv_bytes, xlsx_bytes

from .explain import number
from .ranking import band_sql


@dataclass(frozen=True)
class YearRating:
    year: int
    score: Decimal
    rating: str
    rank: int


@dataclass
class Warning:
    agency: Agency
    bloc: Bloc
    year: int
    score: Decimal
    rating: str
    rank: int
    previous_score: Decimal | None
    previous_rating: str
    previous_rank: int | None
    reason: str
    #: Flagged by the rating of the year alone / by the run of years (and the fall in rank).
    single_year: bool = False
    consecutive: bool = False
    #: The ratings of the years the rule looked at, oldest first.
    history: list[YearRating] = field(default_factory=list)


def _score(value) -> Decimal:
    """A score as the model stores it (2 decimals), whichever type the database returned."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _band(campaign: Campaign, band_id):
    if band_id is None:
        return None
    return next((b for b in campaign.par_bands.all() if b.pk == band_id), None)


def warnings_for(campaign: Campaign, year: int) -> list[Warning]:
    """The agencies of the plan's blocs flagged for ``year`` by the plan's rule, with the reason."""
    rule = campaign.warning
    if rule is None:
        return []
    low = _band(campaign, rule.band_id)
    single = _band(campaign, rule.single_year_band_id)
    if low is None and single is None:
        return []
    years = rule.years if low is not None else 1
    rank_fall = bool(low is not None and rule.rank_fall)
    first = year - years + 1
    if rank_fall:
        first = min(first, year - 1)
    order_sql, name_sql, order_params, name_params = band_sql(campaign)
    low_order = low.order if low is not None else -1
    single_order = single.order if single is not None else -1
    sql = f"""
        WITH r AS (
            SELECT bm.bloc_id, bm.agency_id, p.year, p.score, {order_sql} AS ord, {name_sql} AS rating,
                   RANK() OVER (PARTITION BY bm.bloc_id, p.year ORDER BY p.score DESC) AS rnk
            FROM campaigns_blocmembership bm
            JOIN scoring_parindexresult p ON p.agency_id = bm.agency_id AND p.year BETWEEN %s AND %s
            WHERE bm.campaign_id = %s
        ), flagged AS (
            SELECT cur.agency_id,
                   (cur.ord <= %s) AS single_year,
                   ((SELECT COUNT(*) FROM r x
                     WHERE x.agency_id = cur.agency_id AND x.year BETWEEN %s AND %s AND x.ord <= %s) = %s
                    AND (%s = 0 OR (prev.rnk IS NOT NULL AND cur.rnk > prev.rnk))) AS consecutive
            FROM r cur LEFT JOIN r prev ON prev.agency_id = cur.agency_id AND prev.year = %s
            WHERE cur.year = %s
        )
        SELECT r.agency_id, r.bloc_id, r.year, r.score, r.rating, r.rnk, f.single_year, f.consecutive
        FROM r JOIN flagged f ON f.agency_id = r.agency_id
        WHERE f.single_year OR f.consecutive
        ORDER BY r.agency_id, r.year
    """
    params = [
        *order_params, *name_params, first, year, campaign.pk,
        single_order,
        year - years + 1, year, low_order, years if low is not None else -1,
        1 if rank_fall else 0,
        year - 1, year,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_agency: dict[int, list] = {}
    for row in rows:
        by_agency.setdefault(row[0], []).append(row)
    agencies = Agency.objects.in_bulk(list(by_agency))
    blocs = Bloc.objects.in_bulk({r[1] for r in rows})
    found = []
    for agency_id, agency_rows in by_agency.items():
        history = [YearRating(y, _score(s), rating, rank) for _a, _b, y, s, rating, rank, *_f in agency_rows]
        current = history[-1]
        previous = next((h for h in history if h.year == year - 1), None)
        single_year, consecutive = bool(agency_rows[-1][6]), bool(agency_rows[-1][7])
        found.append(
            Warning(
                agency=agencies[agency_id],
                bloc=blocs[agency_rows[-1][1]],
                year=year,
                score=current.score,
                rating=current.rating,
                rank=current.rank,
                previous_score=previous.score if previous else None,
                previous_rating=previous.rating if previous else "",
                previous_rank=previous.rank if previous else None,
                reason="",
                single_year=single_year,
                consecutive=consecutive,
                history=[h for h in history if h.year >= year - years + 1],
            )
        )
    for w in found:
        w.reason = _reason(w, low, years, rank_fall, single)
    found.sort(key=lambda w: (w.bloc.order, w.bloc.code, w.rank, w.agency.code))
    return found


def _reason(w: Warning, low, years: int, rank_fall: bool, single) -> str:
    reasons = []
    if w.single_year:
        reasons.append(
            _("Năm %(year)s xếp loại “%(rating)s” (%(score)s điểm).")
            % {"year": w.year, "rating": w.rating, "score": number(w.score)}
        )
    if w.consecutive:
        ratings = ", ".join(f"{h.year}: “{h.rating}”" for h in w.history)
        if years == 1:
            text = _("Năm %(year)s xếp loại từ “%(band)s” trở xuống (“%(cur)s”)") % {
                "year": w.year,
                "band": low.name,
                "cur": w.rating,
            }
        else:
            text = _("%(n)s năm liên tục xếp loại từ “%(band)s” trở xuống (%(ratings)s)") % {
                "n": f"{years:02d}",
                "band": low.name,
                "ratings": ratings,
            }
        if rank_fall:
            text += _(" và tụt hạng trong khối từ %(prev_rank)s xuống %(rank)s") % {
                "prev_rank": w.previous_rank,
                "rank": w.rank,
            }
        reasons.append(text + ".")
    return " ".join(reasons)


def default_year(campaign: Campaign) -> int:
    """The year the warnings page and export show first: the plan's latest round."""
    return (
        campaign.rounds.order_by("-year").values_list("year", flat=True).first() or campaign.period_end.year
    )


# --- export ------------------------------------------------------------------------------------

#: The CSV interface (codes, fixed order); the XLSX has Vietnamese titles (xlsx_columns).
COLUMNS = [
    "bloc",
    "agency_code",
    "agency_name",
    "year",
    "par_score",
    "par_rating",
    "rank_in_bloc",
    "previous_par_score",
    "previous_par_rating",
    "previous_rank_in_bloc",
    "single_year",
    "consecutive",
    "reason",
]


def warning_rows(warnings: list[Warning], *, for_people: bool = False) -> list[list[Any]]:
    """Plain values (numbers, booleans): common.spreadsheets writes them and neutralises text."""
    return [
        [
            w.bloc.name if for_people else w.bloc.code,
            w.agency.code,
            w.agency.name,
            w.year,
            w.score,
            w.rating,
            w.rank,
            w.previous_score,
            w.previous_rating,
            w.previous_rank,
            w.single_year,
            w.consecutive,
            w.reason,
        ]
        for w in warnings
    ]


def xlsx_columns() -> list[Column]:
    return [
        Column(_("Khối")),
        Column(_("Mã cơ quan")),
        Column(_("Cơ quan"), width=40),
        Column(_("Năm"), width=8, number_format="0"),
        Column(_("Điểm chỉ số CCHC"), width=10, number_format="0.00"),
        Column(_("Xếp loại")),
        Column(_("Hạng trong khối"), width=10, number_format="0"),
        Column(_("Điểm năm trước"), width=10, number_format="0.00"),
        Column(_("Xếp loại năm trước")),
        Column(_("Hạng năm trước"), width=10, number_format="0"),
        Column(_("Do xếp loại trong năm"), width=12),
        Column(_("Do nhiều năm liên tục"), width=12),
        Column(_("Lý do"), width=90, wrap=True),
    ]


def export_csv(warnings: list[Warning]) -> bytes:
    """UTF-8 with BOM, CRLF, fixed order (bloc, rank, agency code): same inputs, same bytes."""
    return csv_bytes(COLUMNS, warning_rows(warnings))


def export_xlsx(warnings: list[Warning]) -> bytes:
    """For people: Vietnamese titles, bloc names, numbers as numbers, Có/Không."""
    return xlsx_bytes(Sheet(_("Kiến nghị xử lý"), xlsx_columns(), warning_rows(warnings, for_people=True)))
