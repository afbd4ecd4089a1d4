"""Issue 9, item 24: the bloc chart keeps whole names and rank numbers, puts the quota on its own line,
and carries the bar lengths in a form CSS reads whatever the language."""

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from campaigns.models import RankingKey
from scoring.charts import ranked_chart
from scoring.models import CandidateKind


@dataclass
class Row:
    rank_value: Decimal | None
    rank_in_bloc: int | None
    proposed: bool = False
    tie_at_cutoff: bool = False
    eligible: bool = True
    quota: int | None = None
    eligible_rank: int | None = None
    person_id: int | None = None
    person: object = None
    agency: object = None
    kind: str = CandidateKind.COLLECTIVE
    staff_rating: str = ""


class Form:
    """The award form as the chart reads it: which key ranks its candidates."""

    def ranking_key_for(self, individual: bool) -> str:
        return RankingKey.PAR_SCORE


def _row(name, value, rank, **kw):
    return Row(Decimal(value), rank, agency=SimpleNamespace(name=name), **kw)


LONG = "Ban Quản lý các Khu chế xuất và công nghiệp Thành phố Hồ Chí Minh"


def test_long_names_are_kept_whole():
    chart = ranked_chart([_row(LONG, "81", 1, quota=1, eligible_rank=1, proposed=True)], Form())
    assert chart["bars"][0].label == LONG
    assert chart["bars"][0].rank == 1


def test_shares_are_plain_decimals_and_the_quota_follows_the_last_admitted():
    rows = [
        _row("Sở A", "95.40", 1, proposed=True, quota=2, eligible_rank=1),
        _row("Sở B", "93.75", 2, proposed=True, quota=2, eligible_rank=2),
        _row("Sở C", "90.10", 3, quota=2, eligible_rank=3),
        _row("Sở D", "47.70", 4, eligible=False, quota=2),
        Row(None, None, eligible=False, agency=SimpleNamespace(name="Sở E")),  # unranked: no bar
    ]
    chart = ranked_chart(rows, Form())
    assert [(b.label, b.share, b.value, b.css, b.quota_after) for b in chart["bars"]] == [
        ("Sở A", "1.0000", "95,40", "proposed", False),
        ("Sở B", "0.9827", "93,75", "proposed", True),
        ("Sở C", "0.9444", "90,10", "cut", False),
        ("Sở D", "0.5000", "47,70", "ineligible", False),
    ]
    assert (chart["quota"], chart["quota_at_top"]) == (2, False)


def test_a_quota_admitting_none_is_drawn_at_the_top():
    chart = ranked_chart([_row("Sở A", "80", 1, quota=0, eligible_rank=1)], Form())
    assert (chart["quota"], chart["quota_at_top"]) == (0, True)
    assert [b.quota_after for b in chart["bars"]] == [False]


def test_no_quota_no_line():
    chart = ranked_chart([_row("Sở A", "80", 1)], Form())
    assert (chart["quota"], chart["quota_at_top"], chart["bars"][0].quota_after) == (None, False, False)
