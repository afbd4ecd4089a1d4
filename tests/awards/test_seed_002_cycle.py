"""Acceptance on seed 002 (issue 10), the city of the README's tour built with the factories
(tests/factories/hcmc.py): noivu makes the Giấy khen list of hcmc-par-2022 from its results, the council
votes and decides the tie at the cut-off (Quận 1 and Quận 3, both 93,20 in the districts' bloc), lanhdao
approves with 125/QĐ-UBND, the public page shows the awardees and the amounts, and recomputing is refused.
Through the views, as the users do it."""

import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from awards.models import AwardDecision, CouncilSession, ListState, ProposalList
from tests.factories import hcmc_par_2022


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.django_db(transaction=False)
def test_award_cycle_of_seed_002(client):
    campaign = hcmc_par_2022().campaign
    form = campaign.award_forms.get()
    assert form.get_kind_display() == "Giấy khen"

    # noivu makes the list from the results
    login(client, "noivu")
    response = client.post(f"/awards/make/{campaign.code}/", {"award_form": form.pk})
    plist = ProposalList.objects.get(campaign=campaign)
    assert response.status_code == 302 and response["Location"] == f"/awards/list/{plist.pk}/"
    collectives = plist.proposals.filter(kind="collective").order_by(
        "bloc__order", "rank_in_bloc", "agency__code"
    )
    assert [(p.agency.code, p.tie_at_cutoff) for p in collectives] == [
        ("hcm-snv", False), ("hcm-stp", False), ("hcm-stc", False), ("hcm-sxd", False),
        ("hcm-thuduc", False), ("hcm-q1", True), ("hcm-q3", True),
    ]  # fmt: skip
    page = text(client.get(f"/awards/list/{plist.pk}/"))
    assert "Bằng điểm tại ngưỡng" in page

    # Recomputing is refused with a clear message (command exits non-zero, page says why)
    with pytest.raises(CommandError) as exc:
        call_command("compute_results", campaign.code, stdout=io.StringIO())
    assert "Phòng Nội vụ phải rút danh sách" in str(exc.value)
    response = client.post(f"/scoring/{campaign.code}/compute/", follow=True)
    assert "Phòng Nội vụ phải rút danh sách (ghi rõ lý do) trước khi tính lại." in text(response)

    # noivu opens the session with the five council members
    council = list(get_user_model().objects.filter(username__startswith="hoidong").order_by("username"))
    assert [u.username for u in council] == ["hoidong", "hoidong2", "hoidong3", "hoidong4", "hoidong5"]
    response = client.post(
        f"/awards/list/{plist.pk}/session/",
        {"held_on": "20/01/2023", "place": "Phòng họp số 1", "members": [u.pk for u in council]},
    )
    session = CouncilSession.objects.get(proposal_list=plist)
    assert response["Location"] == f"/awards/session/{session.pk}/"

    proposals = list(plist.proposals.filter(removed=False))
    q1 = plist.proposals.get(agency__code="hcm-q1", kind="collective")
    q3 = plist.proposals.get(agency__code="hcm-q3", kind="collective")
    # The council decides the tie: one place left in the districts' bloc (quota 2, Thủ Đức proposed)
    refused = client.post(f"/awards/session/{session.pk}/tie/", {"chosen": [q1.pk, q3.pk], "note": "Cả hai"})
    assert refused.status_code == 302
    client.post(
        f"/awards/session/{session.pk}/tie/",
        {"chosen": [q1.pk], "note": "Quận 1 có tỷ lệ hồ sơ trực tuyến cao hơn"},
    )
    q1.refresh_from_db()
    assert (q1.tie_chosen, q1.tie_note) == (True, "Quận 1 có tỷ lệ hồ sơ trực tuyến cao hơn")

    # hoidong and the other members vote (four present: quorum 2/3 of 5 met)
    for user in council[:4]:
        login(client, user.username)
        page = client.get(f"/awards/session/{session.pk}/")
        assert page.status_code == 200
        client.post(f"/awards/session/{session.pk}/vote/", {f"vote-{p.pk}": "agree" for p in proposals})
    # a member sees only their own votes: no counts on the page before closing
    assert "Tán thành" in text(page) and "votes_agree" not in page.content.decode()

    login(client, "noivu")
    client.post(f"/awards/session/{session.pk}/close/")
    plist.refresh_from_db()
    assert plist.state == ListState.VOTED

    # lanhdao approves with 125/QĐ-UBND (or could return it to the city's Sở Nội vụ)
    login(client, "lanhdao")
    assert "Trả lại Sở Nội vụ" in text(client.get(f"/awards/list/{plist.pk}/"))
    client.post(
        f"/awards/list/{plist.pk}/approve/",
        {"number": "125/QĐ-UBND", "decided_on": "25/01/2023", "signer_capacity": "TM.",
         "signer_title": "Chủ tịch", "signer_name": "Phan Văn Mãi"},
    )  # fmt: skip
    plist.refresh_from_db()
    assert plist.state == ListState.APPROVED
    decision = AwardDecision.objects.get(proposal_list=plist)
    assert (decision.number, decision.base_salary) == ("125/QĐ-UBND", Decimal("1490000"))
    amounts = dict(
        decision.lines.filter(proposal__kind="collective").values_list("proposal__agency__code", "amount")
    )
    # Giấy khen, collective: 0,6 x 1.490.000 = 894.000 đ (base salary in force on 25/01/2023)
    assert amounts == {code: Decimal("894000") for code in
                       ["hcm-snv", "hcm-stp", "hcm-stc", "hcm-sxd", "hcm-thuduc", "hcm-q1"]}  # fmt: skip

    # the public page, for anyone (agency staff too)
    login(client, "canbo")
    page = text(client.get(f"/awards/results/{campaign.code}/"))
    assert "125/QĐ-UBND" in page and "894.000" in page and "Quận 3" not in page.split("Kiến nghị xử lý")[0]
    assert "Kiến nghị xử lý" in page  # seed 002: warnings published with the results
    # canbo sees nothing else of the cycle
    assert client.get(f"/awards/list/{plist.pk}/").status_code == 404
    assert client.get(f"/awards/session/{session.pk}/").status_code == 404

    # a locked list refuses every change
    login(client, "noivu")
    client.post(f"/awards/list/{plist.pk}/remove/{q1.pk}/", {"reason": "Sửa"})
    q1.refresh_from_db()
    assert q1.removed is False

    # a correction is a new decision: lanhdao withdraws one award by an amending decision
    login(client, "lanhdao")
    page = text(client.get(f"/awards/list/{plist.pk}/"))
    assert "Quyết định sửa đổi, bổ sung" in page
    sxd = plist.proposals.get(agency__code="hcm-sxd", kind="collective")
    signer = {"number": "131/QĐ-UBND", "decided_on": "01/03/2023", "signer_capacity": "TM.",
              "signer_title": "Chủ tịch", "signer_name": "Phan Văn Mãi"}  # fmt: skip
    refused = client.post(
        f"/awards/list/{plist.pk}/amend/",
        {**signer, "reason": "", "withdrawn": [sxd.pk]},
        follow=True,
    )
    assert "Phải ghi lý do sửa đổi quyết định." in text(refused)
    response = client.post(
        f"/awards/list/{plist.pk}/amend/",
        {**signer, "reason": "Thanh tra phát hiện sai phạm", "withdrawn": [sxd.pk, "x"]},
        follow=True,
    )
    assert "Đã ban hành quyết định 131/QĐ-UBND sửa đổi quyết định 125/QĐ-UBND." in text(response)
    amended = AwardDecision.objects.get(number="131/QĐ-UBND")
    assert amended.amends == decision and amended.total == decision.total - Decimal("894000")
    assert not amended.lines.filter(proposal=sxd).exists() and decision.lines.filter(proposal=sxd).exists()
    login(client, "canbo")
    page = text(client.get(f"/awards/results/{campaign.code}/"))
    assert "131/QĐ-UBND" in page and "Sở Xây dựng" not in page.split("Kiến nghị xử lý")[0]
