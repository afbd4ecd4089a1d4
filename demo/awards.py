"""Demo data of the awards app: the other members of the City's Emulation and Reward Council
(besides ``hoidong``), so a session of ``hcmc-par-2022`` can reach its quorum. The cycle itself
(list, vote, decision) is left to the tour (README.md); ``render_samples`` runs it through the
services on a fresh demo (``run_award_cycle``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from agencies.models import Agency, Membership, Role
from awards.domain import council as councils
from awards.domain import decision as decisions
from awards.domain import proposal_list as lists
from awards.models import AwardDecision, ListState, ProposalList, SessionState, VoteChoice
from awards.queries import decision as decision_queries
from campaigns.models import Campaign

from . import Output
from .directory import DEMO_PASSWORD

# username: (first name, last name)
COUNCIL = {
    "hoidong2": ("Lan", "Phạm Thị"),
    "hoidong3": ("Quang", "Võ Minh"),
    "hoidong4": ("Tâm", "Đặng Thanh"),
    "hoidong5": ("Bình", "Nguyễn Thái"),
}


@transaction.atomic
def load(stdout: Output | None = None) -> None:
    city = Agency.objects.filter(code="hcm").first()
    if city is None:
        return
    User = get_user_model()
    for username, (first, last) in COUNCIL.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.gov.vn"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, agency=city, role=Role.COUNCIL)
    if stdout:
        stdout.write(f"Hội đồng Thi đua - Khen thưởng mẫu: hoidong, {', '.join(COUNCIL)}")


DEMO_PLAN = "hcmc-par-2022"


def run_award_cycle(stdout: Output | None = None) -> AwardDecision | None:
    """The award cycle of ``hcmc-par-2022`` as the README's tour does it by hand, through the
    services: noivu makes the Giấy khen list, the five council members meet on 20/01/2023 (four
    vote, hoidong5 sends a written opinion), the council gives the one place left in the districts'
    bloc to Quận 1 (tied with Quận 3 at 93,20), lanhdao approves with 125/QĐ-UBND on 25/01/2023.

    Returns the approved decision (the existing one if the list is already approved), or None when
    the demo plan is not loaded. Used by ``render_samples`` on a fresh database."""
    campaign = Campaign.objects.filter(code=DEMO_PLAN).first()
    if campaign is None:
        return None
    User = get_user_model()
    users = {
        u.username: u for u in User.objects.filter(username__in=["noivu", "lanhdao", "hoidong", *COUNCIL])
    }
    if not {"noivu", "lanhdao", "hoidong", *COUNCIL} <= set(users):
        return None
    form = campaign.award_forms.order_by("order", "pk").first()
    if form is None:
        return None
    plist = (
        ProposalList.objects.filter(campaign=campaign, award_form=form)
        .exclude(state=ListState.WITHDRAWN)
        .first()
    )
    if plist is None:
        plist = lists.make_list(campaign, form, actor=users["noivu"])
    if plist.state in (ListState.DRAFT, ListState.RETURNED):
        members = [users[name] for name in ["hoidong", *COUNCIL]]
        councils.open_session(
            plist, actor=users["noivu"], members=members, secretary=users["noivu"], chair=users["hoidong"],
            held_on=dt.date(2023, 1, 20), place="Phòng họp số 1, Ủy ban nhân dân Thành phố",
        )  # fmt: skip
        plist.refresh_from_db()
    if plist.state == ListState.VOTING:
        session = plist.sessions.get(state=SessionState.OPEN)
        kept = list(plist.proposals.filter(removed=False))
        ties = [p for p in kept if p.tie_at_cutoff and p.kind == "collective"]
        if ties and any(p.tie_chosen is None for p in kept if p.tie_at_cutoff):
            first = sorted(ties, key=lambda p: p.agency.code != "hcm-q1")[0]
            councils.decide_tie(
                session, [first.pk], actor=users["noivu"], note="Quận 1 có tỷ lệ hồ sơ trực tuyến cao hơn"
            )
        votes: dict[int, str] = {p.pk: VoteChoice.AGREE for p in kept}
        for name in ["hoidong", "hoidong2", "hoidong3"]:
            councils.cast_votes(session, votes, actor=users[name])
        # one member abstains on the first candidate, one sends a written opinion
        councils.cast_votes(session, {**votes, kept[0].pk: VoteChoice.ABSTAIN}, actor=users["hoidong4"])
        councils.record_written_opinion(session, users["hoidong5"], votes, actor=users["noivu"])
        councils.close_session(session, actor=users["noivu"])
        plist.refresh_from_db()
    if plist.state == ListState.VOTED:
        decisions.approve(
            plist, actor=users["lanhdao"], number="125/QĐ-UBND", decided_on=dt.date(2023, 1, 25),
            signer_capacity="TM.", signer_title="Chủ tịch", signer_name="Phan Văn Mãi",
        )  # fmt: skip
        plist.refresh_from_db()
    if stdout is not None:
        stdout.write(f"Chu trình khen thưởng mẫu {DEMO_PLAN}: {plist.get_state_display()}")
    return decision_queries.current_decision(plist) if plist.state == ListState.APPROVED else None
