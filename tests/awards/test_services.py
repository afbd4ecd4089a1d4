import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from agencies.models import Role
from awards.domain import council as councils
from awards.domain import decision as decisions
from awards.domain import proposal_list as lists
from awards.errors import AwardError
from awards.models import AwardLine, ListState, Proposal, SessionState, Vote
from awards.queries import decision as decision_queries
from awards.queries import proposal_list as list_queries
from campaigns.models import QuotaKind
from scoring.models import ResultRun
from scoring.results import RunFrozen, compute_results
from tests.factories import AgencyFactory, user_with_role


def names(plist, **filters):
    return [p.agency.code for p in plist.proposals.filter(**filters).order_by("rank_in_bloc", "agency__code")]


def vote_all(session, users, choice="agree", proposals=None):
    if proposals is None:
        proposals = list(session.proposal_list.proposals.filter(removed=False))
    for user in users:
        councils.cast_votes(session, {p.pk: choice for p in proposals}, actor=user)


def open_session(cycle, plist, members=None):
    return councils.open_session(
        plist,
        actor=cycle.officer,
        members=members or cycle.council,
        secretary=cycle.officer,
        held_on=cycle.day,
    )


def test_list_is_made_from_a_frozen_run_with_proposed_and_tied_candidates(cycle):
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    assert names(plist) == ["a1", "a2", "a3"]
    assert names(plist, tie_at_cutoff=True) == ["a2", "a3"]
    run = ResultRun.objects.get(pk=plist.run_id)
    assert run.frozen_at is not None and run.kept is True
    [use] = list_queries.quota_use(plist)
    assert (use.quota, use.used, use.ties_pending) == (2, 1, 2)


def test_recompute_is_refused_while_a_list_is_frozen_and_allowed_after_withdrawal(cycle):
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    with pytest.raises(RunFrozen) as exc:
        compute_results(cycle.campaign)
    assert "Phòng Nội vụ phải rút danh sách" in str(exc.value)
    with pytest.raises(CommandError):
        call_command("compute_results", cycle.campaign.code)
    with pytest.raises(AwardError):
        lists.withdraw_list(plist, actor=cycle.officer, reason="  ")
    lists.withdraw_list(plist, actor=cycle.officer, reason="Sai số liệu chỉ số CCHC")
    new_run = compute_results(cycle.campaign)
    # The frozen run stays readable beside the new one.
    assert set(ResultRun.objects.values_list("pk", flat=True)) == {plist.run_id, new_run.pk}
    assert ResultRun.objects.get(pk=plist.run_id).results.count() == 7
    again = compute_results(cycle.campaign)
    assert set(ResultRun.objects.values_list("pk", flat=True)) == {plist.run_id, again.pk}


def test_add_and_remove_need_reasons_ineligible_and_over_quota_refused(cycle):
    cycle.form.min_par_band = cycle.bands["tot"]
    cycle.form.quota_kind = QuotaKind.FIXED
    cycle.form.quota_fixed = 3
    cycle.form.save()
    compute_results(cycle.campaign)
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    assert names(plist) == ["a1", "a2", "a3"]
    results = {r.agency.code: r.pk for r in plist.run.results.select_related("agency")}
    with pytest.raises(AwardError) as exc:
        lists.add_proposal(plist, results["a5"], actor=cycle.officer, reason="Có thành tích nổi bật")
    assert exc.value.messages == ["Không thể bổ sung Sở a5: không đạt điều kiện chỉ số CCHC."]
    with pytest.raises(AwardError) as exc:
        lists.add_proposal(plist, results["a4"], actor=cycle.officer, reason="Có thành tích")
    assert exc.value.messages == ["Không thể bổ sung Sở a4: Khối so-nganh đã dùng hết chỉ tiêu 3."]
    a1 = plist.proposals.get(agency__code="a1")
    with pytest.raises(AwardError):
        lists.remove_proposal(a1, actor=cycle.officer, reason="")
    lists.remove_proposal(a1, actor=cycle.officer, reason="Thủ trưởng bị kỷ luật")
    with pytest.raises(AwardError):
        lists.add_proposal(plist, results["a4"], actor=cycle.officer, reason="")
    added = lists.add_proposal(plist, results["a4"], actor=cycle.officer, reason="Thay cho Sở a1")
    assert (added.added, added.add_reason) == (True, "Thay cho Sở a1")
    assert names(plist, removed=False) == ["a2", "a3", "a4"]
    assert plist.proposals.get(agency__code="a1").remove_reason == "Thủ trưởng bị kỷ luật"
    outsider = user_with_role(Role.HOME_AFFAIRS, AgencyFactory(code="hn", name="UBND Hà Nội"))
    with pytest.raises(AwardError) as exc:
        lists.remove_proposal(added, actor=outsider, reason="x")
    assert exc.value.code == "permission"


def test_vote_threshold_80_percent_of_9_members(cycle):
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    session = open_session(cycle, plist)
    a1, a2, a3 = plist.proposals.order_by("agency__code")
    councils.decide_tie(
        session, [a2.pk], actor=cycle.officer, note="Hội đồng chọn Sở a2: nhiều sáng kiến hơn"
    )
    vote_all(session, cycle.council[:7], "agree", [a1])
    vote_all(session, cycle.council[7:], "disagree", [a1])
    vote_all(session, cycle.council[:8], "agree", [a2])
    vote_all(session, cycle.council[8:], "abstain", [a2, a3])
    councils.close_session(session, actor=cycle.officer)
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert (a1.votes_agree, a1.votes_disagree, a1.passed) == (7, 2, False)  # 7/9 < 80%
    assert (a2.votes_agree, a2.votes_abstain, a2.passed) == (8, 1, True)  # 8/9 >= 80%
    assert list(list_queries.awarded(plist)) == [a2]
    session.refresh_from_db()
    assert session.state == SessionState.CLOSED
    assert session.minutes["present"].__len__() == 9
    plist.refresh_from_db()
    assert plist.state == ListState.VOTED


def test_quorum_not_met_refuses_closing(cycle):
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    session = open_session(cycle, plist)
    councils.decide_tie(session, [], actor=cycle.officer, note="Không chọn")
    vote_all(session, cycle.council[:5])  # 5 of 9 < 2/3
    with pytest.raises(AwardError) as exc:
        councils.close_session(session, actor=cycle.officer)
    assert exc.value.code == "quorum"
    # A written opinion of an absent member counts toward the quorum.
    councils.record_written_opinion(
        session, cycle.council[5], {p.pk: "agree" for p in plist.proposals.all()}, actor=cycle.officer
    )
    councils.close_session(session, actor=cycle.officer)  # 6 of 9 = 2/3 exactly: met
    session.refresh_from_db()
    minutes = session.minutes
    assert [len(minutes["present"]), len(minutes["written"]), len(minutes["absent"])] == [5, 1, 3]
    # Votes are counted against all 9 members: 6 agree of 9 < 80%
    assert plist.proposals.filter(passed=True).count() == 0


def test_double_vote_keeps_one_late_and_non_member_votes_refused(cycle):
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    session = open_session(cycle, plist, members=cycle.council[:3])
    a1 = plist.proposals.get(agency__code="a1")
    councils.cast_votes(session, {a1.pk: "agree"}, actor=cycle.council[0])
    councils.cast_votes(session, {a1.pk: "disagree"}, actor=cycle.council[0])
    assert list(Vote.objects.filter(proposal=a1).values_list("choice", flat=True)) == ["disagree"]
    with pytest.raises(AwardError) as exc:
        councils.cast_votes(session, {a1.pk: "agree"}, actor=cycle.council[5])
    assert exc.value.code == "member"
    with pytest.raises(AwardError):
        councils.cast_votes(session, {a1.pk: "maybe"}, actor=cycle.council[1])
    councils.decide_tie(session, [], actor=cycle.officer, note="Không chọn ai")
    vote_all(session, cycle.council[:3])
    councils.close_session(session, actor=cycle.officer)
    with pytest.raises(AwardError) as exc:
        councils.cast_votes(session, {a1.pk: "agree"}, actor=cycle.council[0])
    assert exc.value.code == "closed"


def test_tie_decision_never_exceeds_quota_and_is_required_before_closing(cycle):
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    session = open_session(cycle, plist)
    a2, a3 = plist.proposals.filter(tie_at_cutoff=True).order_by("agency__code")
    vote_all(session, cycle.council)
    with pytest.raises(AwardError) as exc:
        councils.close_session(session, actor=cycle.officer)
    assert exc.value.code == "tie_pending"
    with pytest.raises(AwardError) as exc:
        councils.decide_tie(session, [a2.pk, a3.pk], actor=cycle.officer, note="Chọn cả hai")
    assert exc.value.messages == [
        "Chỉ còn 1 chỉ tiêu cho các trường hợp bằng điểm (Khối so-nganh); đã chọn 2."
    ]
    with pytest.raises(AwardError):
        councils.decide_tie(session, [a3.pk], actor=cycle.council[0], note="Thành viên không chủ trì")
    councils.decide_tie(
        session, [a3.pk], actor=cycle.officer, note="Sở a3 có nhiều sáng kiến được nhân rộng hơn"
    )
    councils.close_session(session, actor=cycle.officer)
    assert [p.agency.code for p in list_queries.awarded(plist).order_by("agency__code")] == ["a1", "a3"]
    a2.refresh_from_db()
    assert (a2.tie_chosen, a2.tie_note) == (False, "Sở a3 có nhiều sáng kiến được nhân rộng hơn")


def approve(cycle, plist, number="125/QĐ-UBND", day=None):
    return decisions.approve(
        plist, actor=cycle.leader, number=number, decided_on=day or cycle.day, signer_capacity="KT.",
        signer_title="Phó Chủ tịch", signer_name="Nguyễn Văn A",
    )  # fmt: skip


def voted_list(cycle):
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    session = open_session(cycle, plist)
    councils.decide_tie(
        session, [plist.proposals.get(agency__code="a2").pk], actor=cycle.officer, note="Chọn Sở a2"
    )
    vote_all(session, cycle.council)
    councils.close_session(session, actor=cycle.officer)
    plist.refresh_from_db()
    return plist


def test_approval_records_the_decision_amounts_and_locks_everything(cycle):
    plist = voted_list(cycle)
    with pytest.raises(AwardError) as exc:
        approve(cycle, plist, number="125/UBND")
    assert exc.value.code == "number"
    with pytest.raises(AwardError) as exc:
        decisions.approve(
            plist, actor=cycle.officer, number="125/QĐ-UBND", decided_on=cycle.day, signer_capacity="TM.",
            signer_title="Chủ tịch", signer_name="B",
        )  # fmt: skip
    assert exc.value.code == "permission"
    decision = approve(cycle, plist)
    # 0.6 x 2,340,000 = 1,404,000 per collective (from 01/07/2024)
    assert decision.base_salary == Decimal("2340000")
    lines = AwardLine.objects.filter(decision=decision).order_by("proposal__agency__code")
    assert list(lines.values_list("proposal__agency__code", "amount")) == [
        ("a1", Decimal("1404000")),
        ("a2", Decimal("1404000")),
    ]
    assert decision.total == Decimal("2808000")
    plist.refresh_from_db()
    assert plist.state == ListState.APPROVED
    a1 = plist.proposals.get(agency__code="a1")
    with pytest.raises(AwardError) as exc:
        lists.remove_proposal(a1, actor=cycle.officer, reason="x")
    assert exc.value.code == "locked"
    with pytest.raises(AwardError):
        lists.withdraw_list(plist, actor=cycle.officer, reason="x")
    with pytest.raises(RunFrozen):
        compute_results(cycle.campaign)
    # Unique per issuer and year: the same number again in 2028 is refused, in 2029 it is free.
    signer = {"signer_capacity": "TM.", "signer_title": "Chủ tịch", "signer_name": "Trần Văn B"}
    with pytest.raises(AwardError) as exc:
        decisions.amend_decision(
            decision, actor=cycle.leader, number="125/QĐ-UBND", decided_on=dt.date(2028, 3, 1),
            reason="Sửa", **signer,
        )  # fmt: skip
    assert exc.value.messages == ["Số quyết định 125/QĐ-UBND đã được dùng trong năm 2028."]
    with pytest.raises(AwardError) as exc:
        decisions.amend_decision(
            decision, actor=cycle.officer, number="131/QĐ-UBND", decided_on=dt.date(2028, 3, 1),
            reason="Sửa", **signer,
        )  # fmt: skip
    assert exc.value.code == "permission"
    amended = decisions.amend_decision(
        decision, actor=cycle.leader, number="130/QĐ-UBND", decided_on=dt.date(2028, 2, 1),
        signer_capacity="TM.", signer_title="Chủ tịch", signer_name="Trần Văn B",
        reason="Sửa chức vụ người ký",
    )  # fmt: skip
    assert (amended.amends, amended.total) == (decision, Decimal("2808000"))
    assert decision_queries.current_decision(plist) == amended


def test_base_salary_is_dated(db):
    assert decisions.base_salary_on(dt.date(2024, 6, 30)) == Decimal("1800000")
    assert decisions.base_salary_on(dt.date(2024, 7, 1)) == Decimal("2340000")
    assert decisions.prize_amount(Decimal("0.3"), Decimal("1800000"), 1000) == Decimal("540000")
    # 521,500 up
    assert decisions.prize_amount(Decimal("0.35"), Decimal("1490000"), 1000) == Decimal("522000")


def test_return_sends_back_to_home_affairs_with_reason(cycle):
    plist = voted_list(cycle)
    with pytest.raises(AwardError):
        lists.return_list(plist, actor=cycle.leader, reason="")
    lists.return_list(plist, actor=cycle.leader, reason="Bổ sung hồ sơ")
    plist.refresh_from_db()
    assert (plist.state, plist.return_reason) == (ListState.RETURNED, "Bổ sung hồ sơ")
    a1 = plist.proposals.get(agency__code="a1")
    lists.remove_proposal(a1, actor=cycle.officer, reason="Theo ý kiến lãnh đạo")
    assert Proposal.objects.get(pk=a1.pk).removed is True


def test_xlsx_export_lists_votes_per_candidate(cycle):
    import io

    from openpyxl import load_workbook

    from awards.exports import list_xlsx

    plist = voted_list(cycle)
    sheet = load_workbook(io.BytesIO(list_xlsx(plist))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Khối", "Thứ hạng", "Tập thể, cá nhân"]
    assert rows[1][2] == "Sở a1" and rows[1][7:] == [9, 0, 0, "Thông qua"]


def test_members_are_reminded_once_a_day_before_voting_closes(cycle):
    from django.utils import timezone

    from common.models import Notification

    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    now = timezone.now()
    session = councils.open_session(
        plist, actor=cycle.officer, members=cycle.council[:2], secretary=cycle.officer, held_on=cycle.day,
        closes_at=now + dt.timedelta(hours=20),
    )  # fmt: skip
    assert councils.remind_sessions_closing(now) == 1
    assert councils.remind_sessions_closing(now) == 0  # claimed: never twice
    reminders = Notification.objects.filter(kind="deadline_reminder", object_id=session.pk)
    assert sorted(reminders.values_list("recipient__username", flat=True)) == sorted(
        u.username for u in cycle.council[:2]
    )


def test_a_form_without_prize_money_is_approved_with_no_multiple_and_no_amount(cycle):
    """Both multiples empty: PostgreSQL typed the annex's CASE of two NULLs as text (a 500)."""
    cycle.form.prize_individual = cycle.form.prize_collective = None
    cycle.form.save(update_fields=["prize_individual", "prize_collective"])
    decision = approve(cycle, voted_list(cycle))
    lines = AwardLine.objects.filter(decision=decision).order_by("proposal__agency__code")
    assert list(lines.values_list("proposal__agency__code", "multiple", "amount")) == [
        ("a1", None, Decimal("0")),
        ("a2", None, Decimal("0")),
    ]
    assert decision.total == Decimal("0")


def amend(cycle, decision, number, day, reason="Sửa", withdrawn=(), actor=None):
    return decisions.amend_decision(
        decision, actor=actor or cycle.leader, number=number, decided_on=day, signer_capacity="TM.",
        signer_title="Chủ tịch", signer_name="Trần Văn B", reason=reason, withdrawn=withdrawn,
    )  # fmt: skip


def test_amending_decision_withdraws_an_award_keeps_amounts_and_corrects_only_the_latest(cycle):
    from common.models import Notification

    plist = voted_list(cycle)
    decision = approve(cycle, plist)
    a1, a2 = (plist.proposals.get(agency__code=c) for c in ("a1", "a2"))
    a3 = plist.proposals.get(agency__code="a3")  # tied and not chosen: not in the annex
    day = cycle.day + dt.timedelta(days=30)
    with pytest.raises(AwardError) as exc:
        amend(cycle, decision, "140/QĐ-UBND", day, withdrawn=[a3.pk])
    assert exc.value.code == "withdrawn"
    with pytest.raises(AwardError) as exc:
        amend(cycle, decision, "140/QĐ-UBND", day, withdrawn=[a1.pk, a2.pk])
    assert exc.value.messages == [
        "Không thể thu hồi tất cả: hãy ban hành quyết định hủy bỏ theo thủ tục riêng."
    ]
    with pytest.raises(AwardError) as exc:
        amend(cycle, decision, "140/QĐ-UBND", cycle.day - dt.timedelta(days=1))
    assert exc.value.code == "date"
    with pytest.raises(AwardError) as exc:
        amend(cycle, decision, "140/QĐ-UBND", day, reason="  ")
    assert exc.value.messages == ["Phải ghi lý do sửa đổi quyết định."]
    staff_a2 = user_with_role(Role.STAFF, a2.agency)
    amended = amend(cycle, decision, "140/QĐ-UBND", day, reason="Sở a2 vi phạm kỷ luật", withdrawn=[a2.pk])
    assert amended.amends == decision
    assert (amended.base_salary, amended.total) == (Decimal("2340000"), Decimal("1404000"))
    assert list(amended.lines.values_list("proposal__agency__code", "amount")) == [("a1", Decimal("1404000"))]
    # The corrected decision is a record: its annex is untouched.
    assert decision.lines.count() == 2
    assert decision_queries.current_decision(plist) == amended
    # The agency losing its award hears of it, with the reason.
    assert list(Notification.objects.filter(recipient=staff_a2).values_list("title", "body")) == [
        ("Quyết định 140/QĐ-UBND sửa đổi quyết định khen thưởng 125/QĐ-UBND", "Sở a2 vi phạm kỷ luật")
    ]
    # Only the latest decision can be corrected.
    with pytest.raises(AwardError) as exc:
        amend(cycle, decision, "141/QĐ-UBND", day)
    assert exc.value.messages == [
        "Quyết định 125/QĐ-UBND đã được sửa đổi bởi quyết định 140/QĐ-UBND: hãy sửa đổi quyết định mới nhất."
    ]
    again = amend(cycle, amended, "141/QĐ-UBND", day, reason="Sửa chức vụ người ký")
    assert (again.amends, again.total) == (amended, Decimal("1404000"))


def test_head_of_a_collective_the_council_does_not_pass_is_not_awarded_on_own_votes(cycle):
    """Seed 002: the head is proposed because the agency is; when the council does not pass the
    collective, the head's own votes do not award them (and the minutes say so)."""
    from tests.factories import PersonFactory

    cycle.form.extends_to_head_and_deputy = True
    cycle.form.save()
    head = PersonFactory(agency=cycle.agencies["a1"], is_head=True, full_name="Lê Thị Hoa")
    compute_results(cycle.campaign)
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    collective = plist.proposals.get(agency__code="a1", kind="collective")
    proposed_head = plist.proposals.get(person=head)
    assert (proposed_head.kind, proposed_head.counts_for_quota) == ("head", False)
    session = open_session(cycle, plist)
    councils.decide_tie(
        session, [plist.proposals.get(agency__code="a2").pk], actor=cycle.officer, note="Chọn Sở a2"
    )
    others = list(plist.proposals.exclude(pk=collective.pk))
    vote_all(session, cycle.council, "agree", others)
    vote_all(session, cycle.council, "disagree", [collective])
    session = councils.close_session(session, actor=cycle.officer)
    proposed_head.refresh_from_db()
    assert (proposed_head.votes_agree, proposed_head.passed) == (9, False)
    assert session.minutes["withheld"] == [proposed_head.pk]
    assert not list_queries.awarded(plist).filter(pk=proposed_head.pk).exists()
    page = Client()
    page.force_login(cycle.officer)
    assert "tập thể không được Hội đồng thông qua" in page.get(f"/awards/list/{plist.pk}/").content.decode()


def test_admin_refuses_every_change_to_a_locked_list(cycle):
    from django.contrib.auth import get_user_model

    plist = voted_list(cycle)
    decision = approve(cycle, plist)
    session = plist.sessions.get()
    vote = Vote.objects.filter(session=session).first()
    admin = get_user_model().objects.create_superuser("quantri-khoa", "qt@example.gov.vn", "x")
    client = Client()
    client.force_login(admin)
    for url in [
        f"/admin/awards/proposallist/{plist.pk}/change/",
        f"/admin/awards/councilsession/{session.pk}/change/",
        f"/admin/awards/vote/{vote.pk}/change/",
        f"/admin/awards/awarddecision/{decision.pk}/change/",
    ]:
        assert client.get(url).status_code == 200  # viewable, read-only
        assert client.post(url, {"state": "draft"}).status_code == 403
        assert client.post(url.replace("/change/", "/delete/"), {"post": "yes"}).status_code == 403
    response = client.post(
        "/admin/awards/proposallist/",
        {"action": "delete_selected", "_selected_action": [plist.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    plist.refresh_from_db()
    assert plist.state == ListState.APPROVED
    assert Vote.objects.filter(pk=vote.pk).exists() and decision.lines.count() == 2
