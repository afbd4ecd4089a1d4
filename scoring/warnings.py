"""Kiến nghị xử lý (seed 002): heads of agencies whose PAR rating was "Khá" or lower two years running
and which fell in rank within their bloc, or which are rated "Trung bình" (or lower) in the year.

Ranks are computed in the database (``RANK()`` per bloc and year, by PAR score, high to low).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _

from agencies.models import Agency
from campaigns.models import Bloc, Campaign

from .explain import number
from .results import _band_sql, _bands


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


def _band_order(campaign: Campaign, name: str) -> int | None:
    for band_name, _min, order in _bands(campaign):
        if band_name.casefold() == name.casefold():
            return order
    return None


def warnings_for(campaign: Campaign, year: int) -> list[Warning]:
    """The agencies of the plan's blocs flagged for ``year``, with the reason for each."""
    fair = _band_order(campaign, "Khá")
    average = _band_order(campaign, "Trung bình")
    if fair is None and average is None:
        return []
    order_sql, name_sql, order_params, name_params = _band_sql(campaign)
    sql = f"""
        WITH r AS (
            SELECT bm.bloc_id, bm.agency_id, p.year, p.score, {order_sql} AS ord, {name_sql} AS rating,
                   RANK() OVER (PARTITION BY bm.bloc_id, p.year ORDER BY p.score DESC) AS rnk
            FROM campaigns_blocmembership bm
            JOIN scoring_parindexresult p ON p.agency_id = bm.agency_id AND p.year IN (%s, %s)
            WHERE bm.campaign_id = %s
        )
        SELECT cur.agency_id, cur.bloc_id, cur.score, cur.rating, cur.ord, cur.rnk,
               prev.score, prev.rating, prev.ord, prev.rnk
        FROM r cur LEFT JOIN r prev ON prev.agency_id = cur.agency_id AND prev.year = %s
        WHERE cur.year = %s
          AND ((cur.ord <= %s AND prev.ord <= %s AND cur.rnk > prev.rnk) OR cur.ord <= %s)
    """
    params = [
        *order_params, *name_params, year, year - 1, campaign.pk, year - 1, year,
        fair if fair is not None else -1, fair if fair is not None else -1,
        average if average is not None else -1,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    agencies = Agency.objects.in_bulk([r[0] for r in rows])
    blocs = Bloc.objects.in_bulk([r[1] for r in rows])
    found = []
    for agency_id, bloc_id, score, rating, order, rank, p_score, p_rating, p_order, p_rank in rows:
        reasons = []
        if average is not None and order <= average:
            reasons.append(
                _("Năm %(year)s xếp loại “%(rating)s” (%(score)s điểm).")
                % {"year": year, "rating": rating, "score": number(score)}
            )
        if fair is not None and p_order is not None and order <= fair and p_order <= fair and rank > p_rank:
            reasons.append(
                _(
                    "Hai năm liên tục xếp loại từ “Khá” trở xuống "
                    "(%(prev_year)s: “%(prev)s”, %(year)s: “%(cur)s”) "
                    "và tụt hạng trong khối từ %(prev_rank)s xuống %(rank)s."
                )
                % {
                    "prev_year": year - 1,
                    "prev": p_rating,
                    "year": year,
                    "cur": rating,
                    "prev_rank": p_rank,
                    "rank": rank,
                }
            )
        found.append(
            Warning(
                agency=agencies[agency_id],
                bloc=blocs[bloc_id],
                year=year,
                score=Decimal(str(score)),
                rating=rating,
                rank=rank,
                previous_score=Decimal(str(p_score)) if p_score is not None else None,
                previous_rating=p_rating or "",
                previous_rank=p_rank,
                reason=" ".join(reasons),
            )
        )
    found.sort(key=lambda w: (w.bloc.order, w.bloc.code, w.rank, w.agency.code))
    return found
