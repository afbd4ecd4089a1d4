"""The ranked bar chart of a bloc's results, as data for an HTML list (no JavaScript: offline intranets,
slow links).

An HTML list rather than an SVG: names wrap instead of being clipped, the chart reflows on a 375 px
phone (name above its bar) and prints; bar lengths are shares of the track, set in CSS.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .explain import rank_value_text
from .models import CandidateKind


@dataclass
class Bar:
    label: str
    value: str
    rank: int | None
    css: str
    #: Share of the track, "0.9540": a plain string so no template localisation puts a comma in the CSS.
    share: str
    #: The quota line falls right after this bar (the last candidate the quota admits).
    quota_after: bool = False


def _label(row) -> str:
    return row.person.full_name if row.person_id else row.agency.name


def _outcome(row) -> str:
    if row.proposed:
        return "proposed"
    if row.tie_at_cutoff:
        return "tie"
    if row.eligible:
        return "cut"
    return "ineligible"


def ranked_chart(rows, form) -> dict:
    """Bars for the ranked rows (in rank order), coloured by outcome, and where the quota line goes:
    under the last candidate the quota admits (at the top when the quota admits none)."""
    ranked = [r for r in rows if r.rank_value is not None]
    top = max((Decimal(r.rank_value) for r in ranked), default=Decimal("0")) or Decimal("1")
    bars = []
    quota = None
    last_admitted = None
    for i, row in enumerate(ranked):
        share = max(Decimal(0), min(Decimal(1), Decimal(row.rank_value) / top))
        value = rank_value_text(row, form.ranking_key_for(row.kind == CandidateKind.INDIVIDUAL))
        bars.append(Bar(_label(row), value, row.rank_in_bloc, _outcome(row), f"{share:.4f}"))
        quota = row.quota if row.quota is not None else quota
        if row.quota is not None and row.eligible_rank is not None and row.eligible_rank <= row.quota:
            last_admitted = i
    if quota is not None and last_admitted is not None:
        bars[last_admitted].quota_after = True
    return {
        "bars": bars,
        "quota": quota,
        "quota_at_top": quota is not None and last_admitted is None and bool(bars),
    }
