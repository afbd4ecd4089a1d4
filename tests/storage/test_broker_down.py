"""Issue 19, item 5: with the broker unreachable, what was committed succeeds, the page says what will
happen later in Vietnamese, and the tasks run once the broker is back (the outbox, relayed by beat).

The broker URL (and the cache, on the same Redis) points at a closed port on 127.0.0.1; the tasks are
not run in-process, as in production. Then the broker comes back (the real Redis of REDIS_URL), the
beat task relays the outbox and a real worker runs what waited: the dossier started during the
outage is made, the invitation e-mail leaves.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from agencies.models import Role
from awards.domain import council as councils
from awards.domain import proposal_list as lists
from awards.models import DossierJob, JobState, ListState, Vote
from campaign_portal.celery import app
from common.models import OutboxTask
from common.tasks import relay_outbox
from tests.bench_awards import build
from tests.factories import decision_with_awardees, user_with_role

from .conftest import broker_back, needs_redis

pytestmark = [pytest.mark.celery_worker, needs_redis]

WARNING = "Hàng đợi xử lý nền tạm thời không kết nối được"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def purged():
    broker_back(app)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)


def open_session(code: str):
    campaign, form, officer, leader, council = build(code, 3, 3)
    for user in (officer, leader):  # so that the closing's notifications go out by e-mail too
        get_user_model().objects.filter(pk=user.pk).update(email=f"{user.username}@outage.gov.vn")
    plist = lists.make_list(campaign, form, actor=officer)
    session = councils.open_session(
        plist, actor=officer, members=council, secretary=officer, held_on=dt.date(2028, 1, 10)
    )
    Vote.objects.bulk_create(
        [Vote(session=session, member=m, proposal=p, choice="agree") for m in session.members.all()
         for p in plist.proposals.all()]
    )  # fmt: skip
    return campaign, plist, session, officer


def test_actions_during_a_broker_outage_succeed_say_so_and_run_once_it_is_back(
    transactional_db, purged, broker_down, client, settings
):
    from celery.contrib.testing.worker import start_worker

    # The world is made while the broker still answers (in-process tasks, as the other tests).
    app.conf.task_always_eager = True
    world = decision_with_awardees("kh-outage", 2)
    campaign, plist, session, officer = open_session("kh-outage-2")
    app.conf.task_always_eager = False
    OutboxTask.objects.all().delete()
    mail.outbox.clear()
    home_affairs = user_with_role(Role.HOME_AFFAIRS, world.province, username="noivu-outage")

    # Closing a council session: done, and the page says its e-mails will follow.
    client.force_login(officer)
    started = time.monotonic()
    response = client.post(reverse("awards:close", args=[session.pk]), follow=True)
    assert response.status_code == 200
    plist.refresh_from_db()
    assert plist.state == ListState.VOTED
    shown = messages_of(response)
    assert shown[0] == "Đã kết thúc bình xét; danh sách chờ lãnh đạo phê duyệt."
    assert shown[1] == (
        "Việc đã được lưu. Hàng đợi xử lý nền tạm thời không kết nối được: gửi thư thông báo sẽ được thực "
        "hiện tự động khi hàng đợi hoạt động trở lại."
    )
    assert time.monotonic() - started < 15  # the broker's refusal is not waited on for long

    # Adding an account: created, its invitation waits for the broker.
    client.force_login(home_affairs)
    response = client.post(
        reverse("agencies:account_add"),
        {"agency": world.province.code, "full_name": "Ngô Thị Hạnh", "email": "nth@outage.gov.vn",
         "role": "staff", "phone": "", "person_code": ""},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert get_user_model().objects.filter(email="nth@outage.gov.vn").exists()
    assert any(WARNING in m for m in messages_of(response))

    # Starting a dossier: the job is recorded, its page says the queue is away.
    client.force_login(world.officer)
    response = client.post(
        reverse("awards:dossier_start", args=[world.decision.pk]), {"kinds": ["giay_khen"], "format": "pdf"},
        follow=True,
    )  # fmt: skip
    job = DossierJob.objects.get(decision=world.decision)
    assert response.redirect_chain[-1][0] == reverse("awards:dossier_job", args=[job.pk])
    assert messages_of(response) == [
        "Đã bắt đầu tạo hồ sơ: 2 văn bản.",
        "Việc đã được lưu. Hàng đợi xử lý nền tạm thời không kết nối được: tạo các văn bản của hồ sơ sẽ "
        "được thực hiện tự động khi hàng đợi hoạt động trở lại.",
    ]
    notice = (
        "Hàng đợi xử lý nền đang tạm thời không kết nối được: hồ sơ đã được ghi nhận và sẽ được tạo tự động "
        "khi hàng đợi hoạt động trở lại."
    )
    assert notice in response.content.decode()
    progress = client.get(reverse("awards:dossier_progress", args=[job.pk])).json()
    assert (progress["state"], progress["done"], progress["notice"]) == ("running", 0, notice)

    # The bloc results page reads the cache on the same Redis: a miss, not a 500.
    client.force_login(officer)
    assert client.get(reverse("scoring:bloc", args=[campaign.code, "khoi"])).status_code == 200
    # The health check says the portal is not whole, and nothing more to an anonymous caller.
    client.logout()
    health = client.get(reverse("healthz"))
    assert (health.status_code, health.json()) == (503, {"status": "unavailable"})

    waiting = list(OutboxTask.objects.filter(sent_at__isnull=True).values_list("task", flat=True))
    assert sorted(set(waiting)) == ["awards.render_dossier_document", "common.send_notification_emails"]
    assert all(row.attempts == 1 and row.last_error for row in OutboxTask.objects.all())
    assert relay_outbox() == {"sent": 0, "failed": len(waiting)}  # beat, still down: kept

    # The broker is back: beat relays the outbox, a worker runs what waited.
    broker_back(app)
    assert relay_outbox() == {"sent": len(waiting), "failed": 0}
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=60):
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            job.refresh_from_db()
            invited = any(m.to == ["nth@outage.gov.vn"] for m in mail.outbox)
            if job.state == JobState.DONE and invited:
                break
            time.sleep(0.3)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.archive
    assert [m.to for m in mail.outbox if m.to == ["nth@outage.gov.vn"]] == [["nth@outage.gov.vn"]]
    assert relay_outbox() == {"sent": 0, "failed": 0}
