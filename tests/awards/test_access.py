"""One permission style in awards: the access helper of each object kind (404 for another
province's object, a missing one or an odd id), the services' checks through the same rules (the
superuser gets no business power, a locked account none at all, ``actor=None`` is the system under
the business rules), and ``holders()`` as the one answer to "who holds the role" (a locked account
is never offered, seated or notified)."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from agencies.models import Role
from agencies.rules import forget_grants
from awards.domain import council as councils
from awards.domain import decision as decisions
from awards.domain import proposal_list as lists
from awards.dossier import jobs
from awards.errors import AwardError, DossierError
from awards.models import ListState, ProposalList
from awards.queries.council import council_candidates
from awards.rules import (
    get_decision_for_user,
    get_dossier_job_for_user,
    get_list_for_user,
    get_session_for_user,
)
from common.display import user_display_name
from common.errors import PortalError
from common.models import Notification
from tests.factories import UserFactory, decision_with_awardees, user_with_role

from .test_services import vote_all


@pytest.fixture
def provinces(db):
    """Two provinces, each with an approved decision, its list, its closed session and a dossier job
    (queued: its tasks wait for the commit, which never comes in a test)."""
    out = []
    for code in ("kh-a", "kh-b"):
        p = decision_with_awardees(code, 1)
        p.session = p.plist.sessions.get()
        p.job = jobs.start_job(p.decision, actor=p.officer, kinds=["quyet_dinh"], format="pdf")
        out.append(p)
    return out


HELPERS = [
    (get_list_for_user, "plist"),
    (get_session_for_user, "session"),
    (get_decision_for_user, "decision"),
    (get_dossier_job_for_user, "job"),
]


@pytest.mark.parametrize(("helper", "kind"), HELPERS, ids=[kind for _h, kind in HELPERS])
def test_each_access_helper_gives_its_own_object_and_404s_another_provinces(provinces, helper, kind):
    a, b = provinces
    assert helper(a.officer, getattr(a, kind).pk) == getattr(a, kind)
    assert helper(b.officer, getattr(b, kind).pk) == getattr(b, kind)
    for pk in (getattr(b, kind).pk, 987654, "abc", None):
        with pytest.raises(Http404):
            helper(a.officer, pk)


def test_the_helpers_ask_the_permission_they_are_given(provinces):
    a, _b = provinces
    assert get_list_for_user(a.leader, a.plist.pk, perm="awards.approve_list") == a.plist
    with pytest.raises(Http404):
        get_list_for_user(a.leader, a.plist.pk, perm="awards.manage_list")
    with pytest.raises(Http404):  # the leadership reads the dossier, home affairs generates it
        get_decision_for_user(a.leader, a.decision.pk, perm="awards.generate_dossier")
    assert get_decision_for_user(a.leader, a.decision.pk) == a.decision
    superuser = UserFactory(username="quan-tri", is_superuser=True, is_staff=True)
    assert get_list_for_user(superuser, a.plist.pk) == a.plist  # the administrator reads ...
    with pytest.raises(Http404):  # ... but takes no part in the cycle
        get_list_for_user(superuser, a.plist.pk, perm="awards.manage_list")


def test_services_refuse_the_superuser_and_a_locked_officer(cycle):
    superuser = UserFactory(username="quan-tri", is_superuser=True, is_staff=True)
    with pytest.raises(AwardError) as exc:
        lists.make_list(cycle.campaign, cycle.form, actor=superuser)
    assert (exc.value.code, exc.value.messages) == (
        "permission",
        ["Anh/chị không có quyền thực hiện thao tác này."],
    )
    cycle.officer.is_active = False
    cycle.officer.save(update_fields=["is_active"])
    forget_grants(cycle.officer)
    with pytest.raises(AwardError) as exc:
        lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    assert exc.value.code == "permission"
    assert ProposalList.objects.count() == 0


def test_the_award_errors_are_portal_errors():
    assert issubclass(AwardError, PortalError) and issubclass(DossierError, PortalError)


def test_the_system_acts_without_a_person_under_the_business_rules(cycle):
    plist = lists.make_list(cycle.campaign, cycle.form, actor=None)
    assert plist.created_by is None
    session = councils.open_session(
        plist, actor=None, members=cycle.council, secretary=cycle.officer, held_on=cycle.day
    )
    a1, a2, _a3 = plist.proposals.order_by("agency__code")
    with pytest.raises(AwardError) as exc:  # a vote is a person's: the system casts none
        councils.cast_votes(session, {a1.pk: "agree"}, actor=None)
    assert exc.value.code == "member"
    with pytest.raises(AwardError) as exc:  # no approval before the council has voted
        decisions.approve(
            plist, actor=None, number="125/QĐ-UBND", decided_on=cycle.day, signer_capacity="TM.",
            signer_title="Chủ tịch", signer_name="Nguyễn Văn A",
        )  # fmt: skip
    assert exc.value.code == "transition"
    councils.decide_tie(session, [a2.pk], actor=None, note="Hội đồng chọn Sở a2")
    vote_all(session, cycle.council)
    councils.close_session(session, actor=None)
    decision = decisions.approve(
        plist, actor=None, number="125/QĐ-UBND", decided_on=cycle.day, signer_capacity="TM.",
        signer_title="Chủ tịch", signer_name="Nguyễn Văn A",
    )  # fmt: skip
    plist.refresh_from_db()
    assert (plist.state, decision.created_by) == (ListState.APPROVED, None)
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ProposalList), object_pk=str(plist.pk)
    )
    assert entries.count() == 4  # made, submitted to the council, voted, approved
    assert list(entries.exclude(actor=None)) == []
    with pytest.raises(AwardError) as exc:  # a decision number is used once per issuer and year
        decisions.amend_decision(
            decision, actor=None, number="125/QĐ-UBND", decided_on=cycle.day, signer_capacity="TM.",
            signer_title="Chủ tịch", signer_name="Nguyễn Văn A", reason="Sửa",
        )  # fmt: skip
    assert exc.value.code == "number"


def test_a_locked_council_account_is_never_offered_nor_seated(cycle):
    locked = cycle.council[0]
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    others = sorted(cycle.council[1:], key=lambda u: u.username)
    assert list(council_candidates(cycle.campaign)) == others
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    with pytest.raises(AwardError) as exc:
        councils.open_session(
            plist, actor=cycle.officer, members=[cycle.council[1], locked], secretary=cycle.officer,
            held_on=cycle.day,
        )  # fmt: skip
    assert exc.value.messages == [
        f"{user_display_name(locked)} không phải thành viên Hội đồng Thi đua - Khen thưởng "
        "của cơ quan ban hành."
    ]
    assert plist.sessions.count() == 0


def test_the_list_page_offers_only_active_council_members(client, cycle):
    locked = cycle.council[0]
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    client.force_login(cycle.officer)
    offered = client.get(f"/awards/list/{plist.pk}/").context["council"]
    assert [u.username for u in offered] == sorted(u.username for u in cycle.council[1:])


def test_closing_tells_the_issuers_home_affairs_and_leadership_never_a_locked_account(cycle):
    user_with_role(Role.HOME_AFFAIRS, cycle.province, username="noivu-da-khoa", is_active=False)
    user_with_role(Role.LEADERSHIP, cycle.province, username="lanhdao-da-khoa", is_active=False)
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    session = councils.open_session(
        plist, actor=cycle.officer, members=cycle.council, secretary=cycle.officer, held_on=cycle.day
    )
    councils.decide_tie(session, [], actor=cycle.officer, note="Không chọn")
    vote_all(session, cycle.council)
    councils.close_session(session, actor=cycle.officer)
    told = Notification.objects.filter(
        kind="council_vote", content_type=ContentType.objects.get_for_model(ProposalList), object_id=plist.pk
    )
    assert sorted(told.values_list("recipient__username", "title")) == sorted(
        [
            (cycle.officer.username, f"Hội đồng đã bình xét xong: {plist}"),
            (cycle.leader.username, f"Danh sách đề nghị khen thưởng chờ phê duyệt: {plist}"),
        ]
    )


def test_odd_form_values_come_back_as_messages_never_a_500(client, cycle):
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    client.force_login(cycle.officer)
    url = f"/awards/list/{plist.pk}/"

    def messages_after(path, data):
        response = client.post(url + path, data, follow=True)
        assert response.redirect_chain == [(url, 302)]
        return [str(m) for m in response.context["messages"]]

    assert messages_after("add/", {"result": "abc", "reason": "Bổ sung"}) == [
        "Không có ứng viên này trong kết quả xét của danh sách."
    ]
    assert messages_after("session/", {"held_on": "31/02/2028", "members": [cycle.council[0].pk]}) == [
        "Ngày họp không hợp lệ (định dạng dd/mm/yyyy)."
    ]
    assert messages_after("withdraw/", {"reason": "  "}) == ["Phải ghi lý do rút danh sách."]
    assert plist.sessions.count() == 0
    response = client.post(url + "withdraw/", {"reason": "Sai số liệu"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Đã rút danh sách; có thể tính lại kết quả."]
    plist.refresh_from_db()
    assert plist.state == ListState.WITHDRAWN


def test_withdrawing_is_offered_exactly_where_the_state_table_allows_it(client, cycle):
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    client.force_login(cycle.officer)
    assert client.get(f"/awards/list/{plist.pk}/").context["can_withdraw"] is True
    councils.open_session(
        plist, actor=cycle.officer, members=cycle.council, secretary=cycle.officer, held_on=cycle.day
    )
    assert client.get(f"/awards/list/{plist.pk}/").context["can_withdraw"] is False  # the council is voting
    client.force_login(cycle.leader)
    assert client.get(f"/awards/list/{plist.pk}/").context["can_withdraw"] is False


def test_the_dossier_of_a_draft_list_is_refused_as_a_dossier_error(cycle):
    from awards.dossier.documents import DocumentSpec, build
    from awards.models import AwardDecision

    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    decision = AwardDecision.objects.create(
        proposal_list=plist, issuer=cycle.province, number="9/QĐ-UBND", year=2028,
        decided_on=dt.date(2028, 1, 1), signer_capacity="TM.", signer_title="Chủ tịch", signer_name="A",
        base_salary=1, total=0,
    )  # fmt: skip
    with pytest.raises(DossierError) as exc:
        build(decision, DocumentSpec("quyet_dinh", "quyet-dinh", "Quyết định", "4-quyet-dinh", "qd", None))
    assert exc.value.messages == ["Danh sách chưa được phê duyệt: chưa có hồ sơ khen thưởng."]
