import datetime as dt
from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace

from agencies.models import Role
from campaigns.models import QuotaBase, QuotaKind, QuotaScope, RankingKey, Recipient

from .agencies import user_with_role
from .campaigns import AwardFormFactory

__all__ = [
    "award_form_with_quota",
    "council_of",
    "decision_with_awardees",
    "ensure_base_salaries",
    "voted_list",
]


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


def ensure_base_salaries():
    """The base-salary table of the data migration (a transactional test flushes it)."""
    from awards.models import BaseSalary

    for day, amount, basis in import_module("awards.migrations.0002_base_salary_table").ROWS:
        BaseSalary.objects.get_or_create(
            effective_from=dt.date.fromisoformat(day), defaults={"amount": amount, "legal_basis": basis}
        )


def voted_list(code: str, awardees: int, members: int = 3):
    """A list of ``awardees`` collectives (Cơ quan 0, 1, ...) that the council passed (every member agrees),
    waiting for the leadership's approval: (campaign, list, home affairs, leadership)."""
    from awards.domain import council as councils
    from awards.domain import proposal_list as lists
    from awards.models import Vote
    from tests.bench_awards import build

    ensure_base_salaries()
    campaign, form, officer, leader, council = build(code, awardees, members)
    plist = lists.make_list(campaign, form, actor=officer)
    session = councils.open_session(
        plist, actor=officer, members=council, secretary=officer, held_on=dt.date(2028, 1, 10)
    )
    ids = list(plist.proposals.values_list("pk", flat=True))
    Vote.objects.bulk_create(
        [
            Vote(session=session, member=m, proposal_id=p, choice="agree")
            for m in session.members.all()
            for p in ids
        ],
        batch_size=2000,
    )
    councils.close_session(session, actor=officer)
    plist.refresh_from_db()
    return campaign, plist, officer, leader


def decision_with_awardees(code: str, awardees: int, members: int = 3, number: str = "125/QĐ-UBND"):
    """A decision of ``awardees`` collectives (Cơ quan 0, 1, ...), built through the award services:
    a list from computed results, a council session where every member agrees, the approval.
    Returns the decision, its list, home affairs (``officer``) and the leadership (``leader``)."""
    from awards.domain import decision as decisions

    campaign, plist, officer, leader = voted_list(code, awardees, members)
    decision = decisions.approve(
        plist, actor=leader, number=number, decided_on=dt.date(2028, 1, 20),
        signer_capacity="TM.", signer_title="Chủ tịch", signer_name="Nguyễn Văn An",
    )  # fmt: skip
    return SimpleNamespace(
        decision=decision,
        plist=plist,
        officer=officer,
        leader=leader,
        province=campaign.issuer,
        campaign=campaign,
    )
