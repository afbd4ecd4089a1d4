"""Benchmark of the award cycle (``make bench`` or ``python -m tests.bench awards``).

In a throw-away test database: a plan of 2,000 agencies in one bloc, all proposed (no quota), a
council of 30 members who all vote on every candidate (60,000 votes); then measures making the
list, closing the vote and approving, each against a 2-second target, and compares the query
counts with the same cycle on 20 candidates (they must be equal).
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

CANDIDATES = 2000
MEMBERS = 30
TARGET_SECONDS = 2.0


def build(code: str, candidates: int, members: int):
    from django.contrib.auth import get_user_model

    from agencies.models import Agency, AgencyKind, Membership, Role
    from campaigns.models import (
        AwardForm,
        Bloc,
        BlocMembership,
        Campaign,
        CampaignState,
        QuotaKind,
        RankingKey,
        Recipient,
        Round,
    )  # fmt: skip
    from scoring.models import ParIndexResult
    from scoring.results import compute_results

    province = Agency.objects.create(code=f"{code}-tinh", name="UBND tỉnh", kind=AgencyKind.PROVINCE_PC)
    campaign = Campaign.objects.create(
        code=code, issuer=province, title=f"Benchmark {code}", period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31), state=CampaignState.PUBLISHED,
    )  # fmt: skip
    Round.objects.create(
        campaign=campaign, year=2027, starts_on=campaign.period_start, ends_on=campaign.period_end
    )
    bloc = Bloc.objects.create(campaign=campaign, code="khoi", name="Khối")
    form = AwardForm.objects.create(
        campaign=campaign, code="gk", name="Giấy khen", recipient=Recipient.COLLECTIVE,
        quota_kind=QuotaKind.NONE, ranking_key=RankingKey.PAR_SCORE, vote_numerator=1, vote_denominator=2,
        prize_collective=Decimal("0.6"), prize_individual=Decimal("0.3"),
    )  # fmt: skip
    agencies = Agency.objects.bulk_create(
        [
            Agency(code=f"{code}-{i}", name=f"Cơ quan {i}", kind=AgencyKind.DEPARTMENT, parent=province,
                   path=f"{province.path}{code}-{i}/")
            for i in range(candidates)
        ]
    )  # fmt: skip
    BlocMembership.objects.bulk_create(
        [BlocMembership(bloc=bloc, agency=a, campaign=campaign) for a in agencies], batch_size=500
    )
    ParIndexResult.objects.bulk_create(
        [
            ParIndexResult(agency=a, year=2027, score=Decimal(50 + (i % 500) / 10))
            for i, a in enumerate(agencies)
        ],
        batch_size=500,
    )
    User = get_user_model()
    officer = User.objects.create(username=f"{code}-noivu")
    leader = User.objects.create(username=f"{code}-lanhdao")
    Membership.objects.create(user=officer, agency=province, role=Role.HOME_AFFAIRS)
    Membership.objects.create(user=leader, agency=province, role=Role.LEADERSHIP)
    council = [User.objects.create(username=f"{code}-hd{i}") for i in range(members)]
    Membership.objects.bulk_create([Membership(user=u, agency=province, role=Role.COUNCIL) for u in council])
    compute_results(campaign, actor=officer)
    return campaign, form, officer, leader, council


def cycle(code: str, candidates: int, members: int) -> dict[str, tuple[float, int]]:
    """{step: (seconds, queries)} for make_list, close_session and approve."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awards.domain import council as councils
    from awards.domain import decision as decisions
    from awards.domain import proposal_list as lists
    from awards.models import Vote

    campaign, form, officer, leader, council = build(code, candidates, members)
    out = {}

    def measure(name, fn):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = fn()
            out[name] = (time.perf_counter() - started, len(ctx.captured_queries))
        return result

    plist = measure("make_list", lambda: lists.make_list(campaign, form, actor=officer))
    session = councils.open_session(
        plist, actor=officer, members=council, secretary=officer, held_on=dt.date(2028, 1, 10)
    )
    members = list(session.members.all())
    ids = list(plist.proposals.values_list("pk", flat=True))
    Vote.objects.bulk_create(
        [Vote(session=session, member=m, proposal_id=p, choice="agree") for m in members for p in ids],
        batch_size=5000,
    )
    measure("close_session", lambda: councils.close_session(session, actor=officer))
    measure(
        "approve",
        lambda: decisions.approve(
            plist, actor=leader, number=f"{candidates}/QĐ-UBND", decided_on=dt.date(2028, 1, 20),
            signer_capacity="TM.", signer_title="Chủ tịch", signer_name="Nguyễn Văn A",
        ),  # fmt: skip  # fmt: skip
    )
    return out


def run() -> None:
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        cycle("khoi-dong", 2, 3)  # warm-up: first-use caches (content types) cost one query once
        small = cycle("nho", 20, MEMBERS)
        big = cycle("lon", CANDIDATES, MEMBERS)
        for step, (seconds, queries) in big.items():
            verdict = "ok" if seconds < TARGET_SECONDS else "TOO SLOW"
            print(
                f"{step}: {CANDIDATES} candidates x {MEMBERS} members in {seconds:.2f} s ({verdict}, target "
                f"{TARGET_SECONDS:.0f} s); {queries} queries (20 candidates: {small[step][1]})"
            )
            assert queries == small[step][1], (step, queries, small[step][1])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
