"""Reminders, in-process: who gets one, when, exactly once; the command; the beat schedule."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django_celery_beat.models import PeriodicTask

from campaigns.models import CampaignState
from common.models import EmailStatus, Notification
from registrations.domain.deadlines import grant_extension
from registrations.models import RegistrationState
from registrations.notices import RegistrationNotice
from registrations.reminders.domain import run_due_reminders
from registrations.reminders.models import ReminderClaim
from registrations.reminders.tasks import DUE_REMINDERS_TASK, send_due_reminders

pytestmark = pytest.mark.django_db


def run(at_text, at):
    """One beat run at a simulated time, with the e-mails sent as the workers would."""
    from common.notifications import send_emails_now

    summary = run_due_reminders(at(at_text), dispatch=None)
    send_emails_now(summary.email_ids)
    return summary


def register(world, ward, state=RegistrationState.CONFIRMED):
    """The agency's registration in ``state`` (written directly: only its state matters here)."""
    from registrations.models import Registration

    return Registration.objects.create(
        round=world.round, campaign=world.campaign, agency=ward, state=state, created_by=world.staff[ward.pk]
    )


def test_first_reminder_goes_to_staff_and_head_of_each_targeted_agency(world, at):
    summary = run("2027-03-07T08:00", at)

    assert (summary.reminders, summary.notifications, len(summary.email_ids)) == (4, 8, 8)
    assert ReminderClaim.objects.filter(milestone=world.registration, offset_days=7).count() == 4
    expected = sorted([u.email for u in world.staff.values()] + [u.email for u in world.head.values()])
    assert sorted(m.to[0] for m in mail.outbox) == expected
    n = Notification.objects.get(recipient=world.staff[world.wards[0].pk])
    assert n.kind == RegistrationNotice.DEADLINE_REMINDER
    assert n.title == "Nhắc hạn: Hạn đăng ký thi đua – còn 7 ngày (hết ngày 14/03/2027)"
    assert n.body.splitlines() == [
        f"Kế hoạch: {world.campaign.title}",
        "Cơ quan, đơn vị: Phường 1",
        "Hạn cuối: hết ngày 14/03/2027",
        "Đơn vị chưa gửi đăng ký thi đua.",
        "Đề nghị hoàn thành trước hạn.",
    ]
    assert n.url == "/registrations/"
    assert n.content_object == world.registration
    assert n.email_status == EmailStatus.SENT


def test_firing_twice_sends_each_reminder_once(world, at):
    first = run("2027-03-07T08:00", at)
    second = run("2027-03-07T08:15", at)
    third = run("2027-03-09T08:00", at)  # still the 7-day window
    assert (first.reminders, second.reminders, third.reminders) == (4, 0, 0)
    assert Notification.objects.count() == 8
    assert len(mail.outbox) == 8


def test_an_agency_that_registered_gets_no_more_registration_reminders(world, at):
    run("2027-03-07T08:00", at)
    done, half, *_ = world.wards
    register(world, done)  # submitted and confirmed by the head
    register(world, half, state=RegistrationState.SUBMITTED)  # not yet confirmed
    mail.outbox.clear()

    summary = run("2027-03-11T08:00", at)

    assert summary.reminders == 3
    reminded = set(
        ReminderClaim.objects.filter(milestone=world.registration, offset_days=3).values_list(
            "agency", flat=True
        )
    )
    assert reminded == {w.pk for w in world.wards} - {done.pk}
    assert len(mail.outbox) == 6
    assert world.staff[done.pk].email not in {m.to[0] for m in mail.outbox}
    half_note = Notification.objects.get(recipient=world.staff[half.pk], title__contains="còn 3 ngày")
    assert "Đăng ký thi đua của đơn vị chưa được thủ trưởng xác nhận." in half_note.body

    # Nor on the last day, nor after the deadline.
    run("2027-03-13T08:00", at)
    run("2027-03-15T08:00", at)
    assert (
        not ReminderClaim.objects.filter(agency=done, milestone=world.registration)
        .exclude(offset_days=7)
        .exists()
    )
    assert ReminderClaim.objects.filter(agency=half, milestone=world.registration).count() == 4


def test_after_a_missed_deadline_one_more_reminder_the_next_day(world, at):
    run("2027-03-15T08:00", at)
    n = Notification.objects.filter(recipient=world.staff[world.wards[0].pk]).get()
    assert n.title == "Đã quá hạn: Hạn đăng ký thi đua (hết ngày 14/03/2027)"
    assert "Đề nghị liên hệ Phòng/Sở Nội vụ nếu cần gia hạn." in n.body
    assert run("2027-03-16T08:00", at).reminders == 0
    world.campaign.remind_after_deadline = False
    world.campaign.save(update_fields=["remind_after_deadline"])
    ReminderClaim.objects.all().delete()
    assert run("2027-03-15T09:00", at).reminders == 0


def test_a_missed_window_is_not_sent_late(world, at):
    summary = run("2027-03-12T10:00", at)  # beat was down on the 7th: only the 3-day reminder
    assert set(ReminderClaim.objects.values_list("offset_days", flat=True)) == {3}
    assert summary.reminders == 4


def test_offsets_come_from_the_campaign(world, at):
    world.campaign.reminder_offsets = [10]
    world.campaign.save(update_fields=["reminder_offsets"])
    assert run("2027-03-04T07:59", at).reminders == 0
    assert run("2027-03-04T08:00", at).reminders == 4
    assert set(ReminderClaim.objects.values_list("offset_days", flat=True)) == {10}


def test_draft_campaigns_and_other_milestones_are_not_reminded(world, at):
    world.campaign.state = CampaignState.DRAFT
    world.campaign.save(update_fields=["state"])
    assert run("2027-03-07T08:00", at).reminders == 0
    assert len(mail.outbox) == 0


def test_report_deadline_reminds_those_without_a_final_report(world, at):
    summary = run("2027-11-23T08:00", at)
    assert summary.reminders == 4
    n = Notification.objects.filter(recipient=world.head[world.wards[1].pk]).get()
    assert n.title.startswith("Nhắc hạn: Hạn gửi báo cáo tổng kết")
    assert "Đơn vị chưa gửi báo cáo tổng kết, hồ sơ đề nghị khen thưởng." in n.body


def test_an_extension_moves_the_agencys_reminders(world, at):
    late = world.wards[0]
    grant_extension(
        late, world.registration, dt.date(2027, 3, 20), "Mất điện", actor=user_with_home_affairs(world)
    )
    run("2027-03-15T08:00", at)  # the others missed it; the extended agency has not
    claims = dict(ReminderClaim.objects.values_list("agency", "offset_days"))
    assert claims == {late.pk: 7} | {w.pk: -1 for w in world.wards[1:]}
    n = Notification.objects.get(recipient=world.staff[late.pk])
    assert n.title == "Nhắc hạn: Hạn đăng ký thi đua – còn 5 ngày (hết ngày 20/03/2027)"
    run("2027-03-19T08:00", at)
    assert sorted(ReminderClaim.objects.filter(agency=late).values_list("offset_days", flat=True)) == [1, 7]


def user_with_home_affairs(world):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="noivu")


def test_users_without_address_get_the_bell_only(world, at):
    user = world.head[world.wards[0].pk]
    user.email = ""
    user.save(update_fields=["email"])
    run("2027-03-07T08:00", at)
    assert Notification.objects.get(recipient=user).email_status == EmailStatus.NO_ADDRESS
    assert len(mail.outbox) == 7


def test_the_command_runs_the_same_code_at_a_simulated_time(world):
    out = StringIO()
    call_command("send_due_reminders", "--now", "2027-03-07T08:00", stdout=out)
    assert out.getvalue().splitlines() == [
        "Nhắc hạn lúc 07/03/2027 08:00: 2 mốc, 4 lượt nhắc, 8 thông báo, 8 thư chờ gửi.",
        "E-mails sent: 8",
    ]
    assert len(mail.outbox) == 8
    call_command("send_due_reminders", "--now", "2027-03-07T09:00", stdout=StringIO())
    assert len(mail.outbox) == 8
    with pytest.raises(CommandError, match="is not a date and time"):
        call_command("send_due_reminders", "--now", "tomorrow")


def test_the_beat_task_is_in_the_database_schedule():
    task = PeriodicTask.objects.get(task=DUE_REMINDERS_TASK)
    assert (task.enabled, task.interval.every, task.interval.period) == (True, 15, "minutes")


def test_the_beat_task_fans_out_email_tasks(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_reminders.delay("2027-03-07T08:00").get()
    assert result == {
        "milestones": 2,
        "reminders": 4,
        "notifications": 8,
        "emails": 8,
        "requeued": 0,
        "seconds": result["seconds"],
    }
    assert len(mail.outbox) == 8
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}
