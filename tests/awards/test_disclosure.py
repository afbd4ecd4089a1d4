"""Công khai (issue 22): where the plan asks, the proposed list is published on the public pages for a number
of working days before the council may meet; the public comments (name, contact, text), home affairs
moderates, the accepted comments reach the council; a session opened early is refused with the day it may
open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.domain import council as councils
from awards.domain import disclosure
from awards.domain import proposal_list as lists
from awards.errors import AwardError
from awards.models import CommentState, DisclosureComment
from common.display import day


@pytest.fixture
def listed(cycle):
    cycle.form.disclosure_days = 5
    cycle.form.save()
    return cycle, lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)


def open_session(cycle, plist, held_on):
    return councils.open_session(
        plist, actor=cycle.officer, members=cycle.council, secretary=cycle.officer, held_on=held_on
    )


def test_working_days_skip_the_weekend():
    friday = dt.date(2028, 1, 7)
    assert disclosure.add_working_days(friday, 1) == dt.date(2028, 1, 10)
    assert disclosure.add_working_days(dt.date(2028, 1, 3), 5) == dt.date(2028, 1, 10)
    assert disclosure.add_working_days(friday, 0) == friday


def test_a_session_before_the_window_ends_is_refused_naming_the_day_it_may_open(listed):
    cycle, plist = listed
    with pytest.raises(AwardError) as refused:
        open_session(cycle, plist, timezone.localdate())
    assert refused.value.messages == [
        "Danh sách phải được công khai 5 ngày làm việc trên trang công khai trước khi Hội đồng họp: bấm "
        "“Công khai danh sách” trên trang danh sách."
    ]
    today = timezone.localdate()
    published = disclosure.publish(plist, actor=cycle.officer)
    ends = disclosure.add_working_days(today, 5)
    assert (published.published_on, published.ends_on, published.may_open_on) == (
        today,
        ends,
        ends + dt.timedelta(days=1),
    )
    with pytest.raises(AwardError) as refused:
        open_session(cycle, plist, ends + dt.timedelta(days=3))
    assert refused.value.messages == [
        f"Danh sách đang được công khai lấy ý kiến đến hết ngày {day(ends)}: phiên họp Hội đồng chỉ được mở "
        f"từ ngày {day(ends + dt.timedelta(days=1))}."
    ]
    plist.refresh_from_db()
    assert plist.state == "draft"  # nothing written


def test_after_the_window_the_session_opens_unless_the_list_changed(listed):
    cycle, plist = listed
    long_ago = timezone.localdate() - dt.timedelta(days=30)
    disclosure.publish(plist, actor=cycle.officer, today=long_ago)
    dropped = plist.proposals.filter(removed=False).first()
    lists.remove_proposal(dropped, actor=cycle.officer, reason="Bị kỷ luật")
    with pytest.raises(AwardError) as refused:
        open_session(cycle, plist, timezone.localdate())
    assert refused.value.messages == [
        f"Danh sách đã thay đổi sau khi công khai ngày {day(long_ago)}: hãy công khai lại danh sách hiện tại."
    ]
    # published again (long enough ago in this test), the session opens
    disclosure.publish(plist, actor=cycle.officer, today=long_ago + dt.timedelta(days=1))
    session = open_session(cycle, plist, timezone.localdate())
    assert session.proposal_list_id == plist.pk


def test_a_plan_that_asks_nothing_opens_at_once(cycle):
    plist = lists.make_list(cycle.campaign, cycle.form, actor=cycle.officer)
    assert open_session(cycle, plist, timezone.localdate()).pk
    with pytest.raises(AwardError) as refused:
        disclosure.publish(plist, actor=cycle.officer)
    assert refused.value.messages == [
        "Kế hoạch không yêu cầu công khai danh sách này trước khi Hội đồng họp."
    ]


def test_the_public_comments_home_affairs_moderates_and_the_council_reads(listed, client):
    cycle, plist = listed
    published = disclosure.publish(plist, actor=cycle.officer, today=timezone.localdate())
    page = client.get(reverse("awards:disclosure_public", args=[cycle.campaign.code]))
    assert page.status_code == 200
    names = [p.name for p in plist.proposals.filter(removed=False)]
    for name in names:
        assert name in page.content.decode()
    url = reverse("awards:disclosure_comment", args=[published.pk])
    bad = client.post(url, {"name": "Trần Văn Bình", "contact": "", "text": "Đơn vị này còn hồ sơ trễ hạn."})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Ghi địa chỉ liên hệ (số điện thoại, thư điện tử hoặc địa chỉ)." in text
    assert (
        "Đơn vị này còn hồ sơ trễ hạn." in text and 'value="Trần Văn Bình"' in text
    )  # nothing typed is lost
    assert not DisclosureComment.objects.exists()
    for name, words in (("Trần Văn Bình", "Đơn vị này còn hồ sơ trễ hạn."), ("Quảng cáo", "Mua bán ...")):
        sent = client.post(url, {"name": name, "contact": "0903 000 000", "text": words})
        assert sent.status_code == 302
    first, spam = DisclosureComment.objects.order_by("pk")
    assert (first.state, first.disclosure_id) == (CommentState.PENDING, published.pk)
    disclosure.moderate(first, actor=cycle.officer, accept=True)
    disclosure.moderate(spam, actor=cycle.officer, accept=False, note="Quảng cáo")
    with pytest.raises(AwardError):
        disclosure.moderate(first, actor=cycle.council[0], accept=False)  # only home affairs moderates
    # the window over, the session opens and its members read the accepted comment only
    published.published_on = published.ends_on = timezone.localdate() - dt.timedelta(days=10)
    published.may_open_on = published.ends_on + dt.timedelta(days=1)
    published.save()
    session = open_session(cycle, plist, timezone.localdate())
    assert disclosure.council_comments(plist) == [first]
    client.force_login(cycle.council[0])
    shown = client.get(reverse("awards:session", args=[session.pk])).content.decode()
    assert "Đơn vị này còn hồ sơ trễ hạn." in shown and "Mua bán" not in shown
    closed = client.post(url, {"name": "Lê C", "contact": "c@example.vn", "text": "Muộn"})
    assert closed.status_code == 400
    assert (
        f"Thời gian nhận ý kiến về danh sách này đã kết thúc ngày {day(published.ends_on)}."
        in closed.content.decode()
    )


def test_home_affairs_publishes_from_the_list_page_after_confirming(listed, client):
    cycle, plist = listed
    client.force_login(cycle.officer)
    page = client.get(reverse("awards:list", args=[plist.pk])).content.decode()
    assert "Kế hoạch yêu cầu công khai danh sách 5 ngày làm việc" in page
    asked = client.post(reverse("awards:disclose", args=[plist.pk]))
    assert asked.status_code == 200 and "Công khai danh sách đề nghị khen thưởng?" in asked.content.decode()
    assert not plist.disclosures.exists()
    done = client.post(reverse("awards:disclose", args=[plist.pk]), {"confirmed": "1"})
    assert done.status_code == 302 and plist.disclosures.count() == 1
    client.force_login(cycle.leader)
    assert client.post(reverse("awards:disclose", args=[plist.pk]), {"confirmed": "1"}).status_code == 404
