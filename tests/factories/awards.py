from decimal import Decimal

from agencies.models import Role
from campaigns.models import QuotaBase, QuotaKind, QuotaScope, RankingKey, Recipient

from .agencies import user_with_role
from .campaigns import AwardFormFactory

__all__ = ["award_form_with_quota", "council_of"]


def award_form_with_quota(campaign, **kwargs):
    """Giấy khen, collectives, at most 1/3 of each bloc by PAR score, 80% of the council."""
    fields = {
        "recipient": Recipient.COLLECTIVE,
        "quota_kind": QuotaKind.FRACTION,
        "quota_numerator": 1,
        "quota_denominator": 3,
        "quota_base": QuotaBase.RANKED_IN_BLOC,
        "quota_scope": QuotaScope.PER_BLOC,
        "ranking_key": RankingKey.PAR_SCORE,
        "vote_numerator": 4,
        "vote_denominator": 5,
        "prize_individual": Decimal("0.3"),
        "prize_collective": Decimal("0.6"),
    }
    fields.update(kwargs)
    return AwardFormFactory(campaign=campaign, **fields)


def council_of(agency, n: int, prefix: str = "hd"):
    return [user_with_role(Role.COUNCIL, agency, username=f"{prefix}{agency.pk}-{i}") for i in range(n)]
