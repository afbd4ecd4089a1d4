"""Server-rendered SVG geometry for the ranked bar chart (no JavaScript: offline intranets, slow links)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .explain import rank_value_text
from .models import CandidateKind

ROW = 22
LABEL_WIDTH = 220
BAR_WIDTH = 420
TOP = 8


@dataclass
class Bar:
    y: int
    width: int
    label: str
    value: str
    rank: int | None
    css: str


def _label(row) -> str:
    text = row.person.full_name if row.person_id else row.agency.name
    return text if len(text) <= 34 else text[:33] + "…"


def ranked_chart(rows, form) -> dict:
    """Bars for the ranked rows (in rank order), coloured by outcome, and the y of the quota line:
    under the last candidate the quota admits (at the top when the quota is 0)."""
    ranked = [r for r in rows if r.rank_value is not None]
    top = max((Decimal(r.rank_value) for r in ranked), default=Decimal("0")) or Decimal("1")
    bars = []
    quota_y = None
    quota = None
    for i, row in enumerate(ranked):
        if row.proposed:
            css = "proposed"
        elif row.tie_at_cutoff:
            css = "tie"
        elif row.eligible:
            css = "cut"
        else:
            css = "ineligible"
        y = TOP + i * ROW
        bars.append(
            Bar(
                y,
                int(BAR_WIDTH * Decimal(row.rank_value) / top),
                _label(row),
                rank_value_text(row, form.ranking_key_for(row.kind == CandidateKind.INDIVIDUAL)),
                row.rank_in_bloc,
                css,
            )
        )
        quota = row.quota if row.quota is not None else quota
        if row.quota is not None and row.eligible_rank is not None and row.eligible_rank <= row.quota:
            quota_y = y + ROW - 2
    if quota is not None and quota_y is None:
        quota_y = TOP - 3
    height = TOP * 2 + len(bars) * ROW
    return {
        "bars": bars,
        "height": height,
        "width": LABEL_WIDTH + BAR_WIDTH + 70,
        "label_width": LABEL_WIDTH,
        "quota": quota,
        "quota_y": quota_y if quota is not None else None,
        "value_x": LABEL_WIDTH + 6,
    }
