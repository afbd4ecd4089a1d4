"""Kiến nghị xử lý người đứng đầu: the plan's warning rule (``campaigns.WarningRule``), applied to the
agencies of its blocs.

Seed 002 (Quyết định 4000/QĐ-UBND): the head is flagged when the agency's PAR rating is "Khá" or lower
two years running and it fell in rank within its bloc, or when it is rated "Trung bình" in the year.
Which bands, how many years and whether the fall in rank is needed are the plan's data.

Ratings, ranks (``RANK()`` per bloc and year, by PAR score, high to low) and the decision are computed
in the database; Python only words the reasons of the agencies flagged.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency
from campaigns.models import Bloc, Campaign

from .explain import number
from .results import _band_sql


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
    order_sql, name_sql, order_params, name_params = _band_sql(campaign)
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
#: Vietnamese column titles of the XLSX (the CSV keeps the codes above, an interface).
TITLES = [
    gettext_lazy("Khối"),
    gettext_lazy("Mã cơ quan"),
    gettext_lazy("Cơ quan"),
    gettext_lazy("Năm"),
    gettext_lazy("Điểm chỉ số CCHC"),
    gettext_lazy("Xếp loại"),
    gettext_lazy("Hạng trong khối"),
    gettext_lazy("Điểm năm trước"),
    gettext_lazy("Xếp loại năm trước"),
    gettext_lazy("Hạng năm trước"),
    gettext_lazy("Do xếp loại trong năm"),
    gettext_lazy("Do nhiều năm liên tục"),
    gettext_lazy("Lý do"),
]
NUMERIC = {"year", "par_score", "rank_in_bloc", "previous_par_score", "previous_rank_in_bloc"}


def _plain(value) -> str:
    return "" if value is None else str(value)


def warning_rows(warnings: list[Warning]) -> list[list[str]]:
    return [
        [
            w.bloc.code,
            w.agency.code,
            w.agency.name,
            str(w.year),
            _plain(w.score),
            w.rating,
            str(w.rank),
            _plain(w.previous_score),
            w.previous_rating,
            _plain(w.previous_rank),
            "1" if w.single_year else "0",
            "1" if w.consecutive else "0",
            w.reason,
        ]
        for w in warnings
    ]


def _safe(text: str) -> str:
    """A text cell that a spreadsheet would read as a formula is written as text (issue 9)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(columns: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 with BOM, CRLF, text cells neutralised (the shared export helper can take this over)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([[_safe(v) for v in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(title: str, columns: list[str], rows: list[list], numeric: set[int]) -> bytes:
    """One sheet, ``numeric`` column indexes as numbers, other cells as neutralised text."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append(columns)
    for row in rows:
        sheet.append(
            [
                (Decimal(v) if "." in v else int(v)) if i in numeric and v else _safe(v)
                for i, v in enumerate(row)
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_csv(warnings: list[Warning]) -> bytes:
    """The CSV interface: code column names, fixed order (bloc, rank, agency code)."""
    return write_csv(COLUMNS, warning_rows(warnings))


def export_xlsx(warnings: list[Warning]) -> bytes:
    """For people: Vietnamese column titles, numbers as numbers, Có/Không."""
    numeric = {i for i, c in enumerate(COLUMNS) if c in NUMERIC}
    flags = {COLUMNS.index("single_year"), COLUMNS.index("consecutive")}
    yes, no = _("Có"), _("Không")
    rows = [
        [(yes if v == "1" else no) if i in flags else v for i, v in enumerate(row)]
        for row in warning_rows(warnings)
    ]
    return write_xlsx(_("Kiến nghị xử lý"), [str(t) for t in TITLES], rows, numeric)
